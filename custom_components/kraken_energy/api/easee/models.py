"""What the Easee client returns: sites, chargers, their state and config.

Every raw code is kept next to its enum member (None when Easee sends a code this list does
not know), and the op mode is also mapped into the provider-neutral `ChargerOpMode`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import logging

from ...model import ChargerOpMode, Readings
from .enums import (
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)

_LOGGER = logging.getLogger(__name__)
_UNMAPPED_LOGGED: set[int] = set()

# Easee op mode -> canonical op mode. The rule: is power flowing (charging), is a car there and
# the charger holding back (awaiting start: load balancer, authorization, smart or scheduled
# start, a pause by the equalizer, a start being carried out), has the car stopped taking
# energy (completed / ready to charge), or can the charger not work (error). An offline charger
# says nothing about the cable: None (unknown).
OP_MODE_CANONICAL: dict[EaseeOpMode, ChargerOpMode | None] = {
    EaseeOpMode.OFFLINE: None,
    EaseeOpMode.DISCONNECTED: ChargerOpMode.DISCONNECTED,
    EaseeOpMode.AWAITING_START: ChargerOpMode.AWAITING_START,
    EaseeOpMode.CHARGING: ChargerOpMode.CHARGING,
    EaseeOpMode.COMPLETED: ChargerOpMode.COMPLETED,
    EaseeOpMode.ERROR: ChargerOpMode.ERROR,
    EaseeOpMode.READY_TO_CHARGE: ChargerOpMode.READY_TO_CHARGE,
    EaseeOpMode.AWAITING_AUTHORIZATION: ChargerOpMode.AWAITING_START,
    # The session's authorization ends: the car has stopped charging, the cable is still in.
    EaseeOpMode.DE_AUTHORIZING: ChargerOpMode.COMPLETED,
    # Transitional: no current flows yet.
    EaseeOpMode.START_CHARGING: ChargerOpMode.AWAITING_START,
    # Transitional: the session is being stopped.
    EaseeOpMode.STOP_CHARGING: ChargerOpMode.COMPLETED,
    EaseeOpMode.OFFLINE_102: None,
    EaseeOpMode.AWAITING_LOAD_BALANCING: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AWAITING_AUTHORIZATION_104: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AWAITING_SMART_START: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AWAITING_SCHEDULED_START: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AUTHENTICATING: ChargerOpMode.AWAITING_START,
    EaseeOpMode.PAUSED_DUE_TO_EQUALIZER: ChargerOpMode.AWAITING_START,
    # A secondary unit without its master cannot charge (reason 9, "master communication lost").
    EaseeOpMode.SEARCHING_FOR_MASTER: ChargerOpMode.ERROR,
    EaseeOpMode.ERRATIC_EV: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_TEMPERATURE_TOO_HIGH: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_DEAD_POWERBOARD: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_OVERCURRENT: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_PEN_FAULT: ChargerOpMode.ERROR,
}


def canonical_op_mode(code: int | None) -> ChargerOpMode | None:
    """The canonical op mode of a raw Easee op mode code (unknown codes: None, logged once)."""
    mode = EaseeOpMode.from_code(code)
    if mode is None:
        return None
    if mode not in OP_MODE_CANONICAL:  # pragma: no cover - the table covers every member
        if mode not in _UNMAPPED_LOGGED:
            _UNMAPPED_LOGGED.add(mode)
            _LOGGER.warning("Easee op mode %s has no canonical mapping", mode.name)
        return None
    return OP_MODE_CANONICAL[mode]


# The product family by the first letters of the charger id (EH... is an Easee Home); the API
# has no model field, only a numeric `productCode`, which is kept as it is.
MODEL_BY_ID_PREFIX = {"EH": "Easee Home", "EC": "Easee Charge"}


def model_from_id(charger_id: str) -> str | None:
    """The product name a charger id implies, when its prefix is known."""
    return MODEL_BY_ID_PREFIX.get(charger_id[:2].upper())


def _plugged_in(state: EaseeChargerState | None, op_mode: ChargerOpMode | None) -> bool | None:
    """From the control pilot (A: no car) where reported, else from the op-mode.

    An error or an offline charger says nothing about the cable.
    """
    pilot = state.pilot_mode if state is not None else None
    if pilot is EaseePilotMode.CAR_DISCONNECTED:
        return False
    if pilot is not None and pilot is not EaseePilotMode.FAULT:
        return True
    if op_mode is None or op_mode is ChargerOpMode.ERROR:
        return None
    return op_mode is not ChargerOpMode.DISCONNECTED


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeChargerState:
    """A charger's live state (`GET /api/chargers/{id}/state`).

    Powers are in kW, energies in kWh, currents in A, voltage in V.
    """

    op_mode_code: int | None
    op_mode: ChargerOpMode | None
    easee_op_mode: EaseeOpMode | None
    reason_for_no_current_code: int | None
    reason_for_no_current: EaseeReasonForNoCurrent | None
    output_phase_code: int | None
    output_phase: EaseeOutputPhase | None
    led_mode_code: int | None
    led_mode: EaseeLedMode | None
    pilot_mode_code: str | None
    pilot_mode: EaseePilotMode | None
    total_power: float | None
    session_energy: float | None
    lifetime_energy: float | None
    output_current: float | None
    voltage: float | None
    online: bool | None
    cable_locked: bool | None
    smart_charging: bool | None
    dynamic_charger_current: float | None
    cable_rating: float | None
    latest_pulse: datetime | None
    error_code: int | None = None
    fatal_error_code: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeChargerConfig:
    """A charger's settings (`GET /api/chargers/{id}/config`); currents in A."""

    enabled: bool | None
    phase_mode_code: int | None
    phase_mode: EaseePhaseMode | None
    max_charger_current: float | None
    offline_charging_mode_code: int | None
    offline_charging_mode: EaseeOfflineChargingMode | None
    authorization_required: bool | None
    smart_button_enabled: bool | None
    lock_cable_permanently: bool | None
    limit_to_single_phase_charging: bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeCharger:
    """A charger on a site; `state` and `config` once fetched (`EaseeClient.fetch_charger`)."""

    charger_id: str
    name: str
    site_id: int | None
    site_name: str | None
    circuit_id: int | None
    product_code: int | None
    model: str | None
    level_of_access: int | None
    state: EaseeChargerState | None = None
    config: EaseeChargerConfig | None = None

    @property
    def op_mode(self) -> ChargerOpMode | None:
        """The canonical op mode, None until the state is known."""
        return self.state.op_mode if self.state else None

    @property
    def readings(self) -> Readings:
        """The charger in the provider-neutral vocabulary."""
        state = self.state
        op_mode = self.op_mode
        return Readings.of(
            op_mode=op_mode,
            plugged_in=_plugged_in(state, op_mode),
            charging=None if op_mode is None else op_mode is ChargerOpMode.CHARGING,
            charging_power=state.total_power if state else None,
            online=state.online if state else None,
        )

    @property
    def charging_enabled(self) -> bool | None:
        """Whether the charger is enabled (config `isEnabled`)."""
        return self.config.enabled if self.config else None

    @property
    def smart_charging(self) -> bool | None:
        """Whether smart charging is on (state `smartCharging`)."""
        return self.state.smart_charging if self.state else None

    @property
    def dynamic_charger_current(self) -> float | None:
        """The dynamic charger current limit in A (state)."""
        return self.state.dynamic_charger_current if self.state else None

    @property
    def max_charger_current(self) -> float | None:
        """The max charger current setting in A (config)."""
        return self.config.max_charger_current if self.config else None

    @property
    def phase_mode(self) -> EaseePhaseMode | None:
        """The phase mode setting (config)."""
        return self.config.phase_mode if self.config else None


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeSite:
    """A site (an installation: address, circuits) with its chargers."""

    site_id: int
    name: str
    site_key: str | None
    chargers: tuple[EaseeCharger, ...] = ()

    def charger(self, charger_id: str) -> EaseeCharger | None:
        """The charger with the given id."""
        return next((c for c in self.chargers if c.charger_id == charger_id), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeCommandResult:
    """Easee's receipt for an accepted command or settings change."""

    charger_id: str
    command_id: int | None
    ticks: int | None
