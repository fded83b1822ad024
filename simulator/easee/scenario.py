"""The Easee scenario: one user with one site and two chargers, and how a charger behaves.

Simulator-only credentials (they work nowhere else):

====================  =================================  =============
User                  Username                           Password
====================  =================================  =============
Household             ``easee@example.com``              ``simulator``
No chargers           ``easee-empty@example.com``        ``simulator``
====================  =================================  =============

Site ``150001`` "Home" has one circuit (``250001``) with two Easee Home chargers:

- ``EH100001`` "Garage": a car is plugged in and charging at 16 A on three phases (11 kW, the
  dynamic charger current holds it below the 32 A max: reason 78); the car takes 30 kWh more.
- ``EH100002`` "Driveway": no car (op mode 1, reason 50), smart charging on.

How a charger moves (`SimCharger.settle` and `SimCharger.advance`): a car plugged in waits
(awaiting start, reason 55 pending authorization) until it is authorized, by
`AUTO_START_DELAY` seconds passing (unless `authorization_required`) or by a start command; it
then charges at min(max, dynamic, cable rating) A while that is at least 6 A (else it waits
with reason 51 or 52), the energy going into the session and lifetime counters, until the car's
demand is met (completed, reason 79). A disabled charger waits with reason 53; a stop ends the
session (completed) until the next start; a pause sets the dynamic current to 0 (awaiting start,
reason 52) and a resume sets it back to the max. `fail()` puts a charger in error (op mode 5,
reason 56); `unplug()` disconnects the car (op mode 1, reason 50). `reported_op_mode` and
`reported_reason` make a charger report any code (the extended op modes, say) until cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

EASEE_USERNAME = "easee@example.com"
EASEE_PASSWORD = "simulator"
EASEE_EMPTY_USERNAME = "easee-empty@example.com"

SITE_ID = 150001
SITE_KEY = "SIM1-5000"
SITE_NAME = "Home"
CIRCUIT_ID = 250001
GARAGE_CHARGER_ID = "EH100001"
DRIVEWAY_CHARGER_ID = "EH100002"

# Op modes and reasons for no current the simulator uses (Easee's codes).
DISCONNECTED, AWAITING_START, CHARGING, COMPLETED, ERROR = 1, 2, 3, 4, 5
REASON_OK = 0
REASON_NO_CAR = 50
REASON_MAX_CURRENT_TOO_LOW = 51
REASON_DYNAMIC_CURRENT_TOO_LOW = 52
REASON_DISABLED = 53
REASON_PENDING_AUTHORIZATION = 55
REASON_IN_ERROR = 56
REASON_LIMITED_BY_MAX_CURRENT = 77
REASON_LIMITED_BY_DYNAMIC_CURRENT = 78
REASON_CAR_NOT_CHARGING = 79

MIN_CHARGING_CURRENT = 6.0
MAX_CURRENT = 32.0
AUTO_START_DELAY = 10.0
"""Seconds a plugged-in car waits before a charger without authorization starts it."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class EaseeUser:
    """An Easee account user and the sites they can see."""

    user_id: int
    username: str
    password: str
    site_ids: list[int] = field(default_factory=list)


@dataclass
class SimSite:
    """An installation with one circuit."""

    site_id: int
    name: str
    site_key: str
    circuit_id: int
    charger_ids: list[str] = field(default_factory=list)


@dataclass
class SimCharger:
    """A charger's settings, the car at its cable, and what follows from them."""

    charger_id: str
    name: str
    site_id: int
    circuit_id: int
    product_code: int = 1
    # Settings (config and state).
    enabled: bool = True
    smart_charging: bool = False
    max_charger_current: float = MAX_CURRENT
    dynamic_charger_current: float = MAX_CURRENT
    phase_mode: int = 2
    offline_charging_mode: int = 0
    authorization_required: bool = False
    smart_button_enabled: bool = False
    lock_cable_permanently: bool = False
    cable_rating: float = MAX_CURRENT
    voltage: float = 230.0
    online: bool = True
    firmware: int = 328
    """`chargerFirmware`: Easee's firmware build; a charger updates itself now and then."""
    # The car and the session.
    car_connected: bool = False
    car_demand: float = 0.0
    """kWh the car still takes before it is full."""
    authorized: bool = False
    stopped: bool = False
    failed: bool = False
    waited: float = 0.0
    """Seconds the plugged-in car has waited for authorization."""
    session_energy: float = 0.0
    lifetime_energy: float = 0.0
    reported_op_mode: int | None = None
    """When set, the op mode reported whatever the charger does (any Easee code)."""
    reported_reason: int | None = None
    """When set, the reason for no current reported whatever the charger does."""
    # What follows (kept up to date by `settle`).
    op_mode: int = DISCONNECTED
    reason_for_no_current: int = REASON_NO_CAR
    latest_pulse: datetime = field(default_factory=_now)

    # --- what the car and the people do ---------------------------------------------------

    def plug_in(self, demand_kwh: float = 20.0) -> None:
        """A car is plugged in and wants `demand_kwh`; a new session begins."""
        self.car_connected = True
        self.car_demand = demand_kwh
        self.authorized = False
        self.stopped = False
        self.waited = 0.0
        self.session_energy = 0.0
        self.settle()

    def unplug(self) -> None:
        """The car is unplugged (the session's energy stays readable until the next one)."""
        self.car_connected = False
        self.car_demand = 0.0
        self.authorized = False
        self.stopped = False
        self.waited = 0.0
        self.settle()

    def fail(self) -> None:
        """The charger goes into its error state."""
        self.failed = True
        self.settle()

    def repair(self) -> None:
        """The charger recovers from its error state."""
        self.failed = False
        self.settle()

    # --- derived values ---------------------------------------------------------------------

    @property
    def offered_current(self) -> float:
        """The current the charger may offer (A), before the car takes any of it."""
        return min(self.max_charger_current, self.dynamic_charger_current, self.cable_rating)

    @property
    def phases(self) -> int:
        """1 when locked to one phase, else 3."""
        return 1 if self.phase_mode == 1 else 3

    @property
    def output_current(self) -> float:
        """The current flowing to the car (A)."""
        return self.offered_current if self.op_mode == CHARGING else 0.0

    @property
    def total_power(self) -> float:
        """The power flowing to the car (kW)."""
        return round(self.output_current * self.voltage * self.phases / 1000.0, 3)

    @property
    def output_phase(self) -> int:
        """Easee's output phase code: 10 (N+L1) on one phase, 30 on three, 0 when idle."""
        if self.op_mode != CHARGING:
            return 0
        return 10 if self.phases == 1 else 30

    @property
    def pilot_mode(self) -> str:
        """The control pilot letter: A no car, B connected, C charging, F fault."""
        if self.failed:
            return "F"
        if not self.car_connected:
            return "A"
        return "C" if self.op_mode == CHARGING else "B"

    @property
    def led_mode(self) -> int:
        """Easee's LED mode code for the current state."""
        if self.failed:
            return 16
        if not self.enabled:
            return 0
        if not self.car_connected:
            return 18
        if self.op_mode == AWAITING_START and self.reason_for_no_current == (
            REASON_PENDING_AUTHORIZATION
        ):
            return 25
        charging = self.op_mode == CHARGING
        if self.smart_charging:
            return 22 if charging else 21
        return 24 if charging else 23

    @property
    def cable_locked(self) -> bool:
        """The cable is locked while a car is connected (or when locked permanently)."""
        return self.car_connected or self.lock_cable_permanently

    # --- evolution ----------------------------------------------------------------------------

    def settle(self) -> None:
        """Derive the op mode and reason for no current from the settings and the car."""
        op_mode, reason = self._mode()
        self.op_mode = op_mode if self.reported_op_mode is None else self.reported_op_mode
        self.reason_for_no_current = (
            reason if self.reported_reason is None else self.reported_reason
        )

    def _mode(self) -> tuple[int, int]:
        if self.failed:
            return ERROR, REASON_IN_ERROR
        if not self.car_connected:
            return DISCONNECTED, REASON_NO_CAR
        if not self.enabled:
            return AWAITING_START, REASON_DISABLED
        if self.stopped:
            return COMPLETED, REASON_OK
        if not self.authorized:
            return AWAITING_START, REASON_PENDING_AUTHORIZATION
        if self.max_charger_current < MIN_CHARGING_CURRENT:
            return AWAITING_START, REASON_MAX_CURRENT_TOO_LOW
        if self.dynamic_charger_current < MIN_CHARGING_CURRENT:
            return AWAITING_START, REASON_DYNAMIC_CURRENT_TOO_LOW
        if self.car_demand <= 0:
            return COMPLETED, REASON_CAR_NOT_CHARGING
        if self.dynamic_charger_current < min(self.max_charger_current, self.cable_rating):
            return CHARGING, REASON_LIMITED_BY_DYNAMIC_CURRENT
        if self.max_charger_current < self.cable_rating:
            return CHARGING, REASON_LIMITED_BY_MAX_CURRENT
        return CHARGING, REASON_OK

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass: authorization after the wait, energy into the car."""
        if seconds <= 0:
            return
        if self.online:
            self.latest_pulse = _now()
        if (
            self.car_connected
            and not self.authorized
            and not self.stopped
            and not self.authorization_required
        ):
            self.waited += seconds
            if self.waited >= AUTO_START_DELAY:
                self.authorized = True
                # Only the time after the authorization charges the car.
                seconds = self.waited - AUTO_START_DELAY
        self.settle()
        if self._mode()[0] == CHARGING:
            energy = min(self.total_power * seconds / 3600.0, self.car_demand)
            self.session_energy += energy
            self.lifetime_energy += energy
            self.car_demand = max(0.0, self.car_demand - energy)
            self.settle()


def default_chargers() -> list[SimCharger]:
    """The two chargers of the default site, in their starting state."""
    garage = SimCharger(
        charger_id=GARAGE_CHARGER_ID,
        name="Garage",
        site_id=SITE_ID,
        circuit_id=CIRCUIT_ID,
        dynamic_charger_current=16.0,
        car_connected=True,
        car_demand=30.0,
        authorized=True,
        session_energy=4.2,
        lifetime_energy=1523.6,
    )
    driveway = SimCharger(
        charger_id=DRIVEWAY_CHARGER_ID,
        name="Driveway",
        site_id=SITE_ID,
        circuit_id=CIRCUIT_ID,
        smart_charging=True,
        lifetime_energy=812.4,
        session_energy=7.9,
    )
    for charger in (garage, driveway):
        charger.settle()
    return [garage, driveway]


def default_sites() -> list[SimSite]:
    """The default site with its circuit and chargers."""
    return [
        SimSite(
            site_id=SITE_ID,
            name=SITE_NAME,
            site_key=SITE_KEY,
            circuit_id=CIRCUIT_ID,
            charger_ids=[GARAGE_CHARGER_ID, DRIVEWAY_CHARGER_ID],
        )
    ]


def default_users() -> list[EaseeUser]:
    """The household user (the default site) and a user without sites."""
    return [
        EaseeUser(1, EASEE_USERNAME, EASEE_PASSWORD, [SITE_ID]),
        EaseeUser(2, EASEE_EMPTY_USERNAME, EASEE_PASSWORD, []),
    ]
