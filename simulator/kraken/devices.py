"""SmartFlex devices and dispatches of the simulated Kraken accounts.

A vehicle or charge point's `currentState` is derived from a few facts the tests and the
scenario change (plugged in, at home, suspended, boosting until, lost connection, lifecycle), so
it always agrees with itself. Dispatches are planned at the supplier's cheap night window while a
device waits under smart control; tests can add their own windows.

Every dispatch belongs to the device it charges (`SimDispatch.device_id`), which is what the
per-device `flexPlannedDispatches(deviceId)` of the 2026 API lists (research kraken_gb.md
section 1: `SmartFlexDispatch { start end type energyAddedKwh }`, type SMART, BOOST or TEST,
energy negative for import). The account-wide `plannedDispatches` / `completedDispatches` of the
older API add up the devices' night windows into one window per night, as the seed always did.
A boost charge shows as a BOOST dispatch (source `bump-charge` in the older vocabulary) from its
start to its end, except in the seed dialect, whose answers stay as they were.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .errors import ErrorSpec, KrakenError

LONDON = ZoneInfo("Europe/London")

# Intelligent-style tariffs plan smart charging inside the night window (GB: Intelligent
# Octopus Go's 23:30-05:30; the German IO Go's GO slot is 00:00-05:00, see `germany.py`).
NIGHT_START = time(23, 30)
NIGHT_END = time(5, 30)
CHARGE_RATE_KW = 7.0
PLANNED_HORIZON = timedelta(hours=24)
COMPLETED_HORIZON = timedelta(hours=12)
BOOST_DURATION = timedelta(hours=1)
# Octopus accepts ready-by times from 04:00 to 11:00 and charge targets from 10 %.
READY_BY_EARLIEST = time(4, 0)
READY_BY_LATEST = time(11, 0)
MIN_CHARGE_TARGET = 10.0
MIN_TEMPERATURE = 7.0
MAX_TEMPERATURE = 30.0

DEVICE_NOT_FOUND = ErrorSpec(
    "KT-CT-4301",
    "Unable to find device for given account.",
    "NOT_FOUND",
    # Wording of a real answer (thecem/octopus_germany issue #19; research kraken_de.md 3.1).
    "We were unable to find a device for the given account. Please check that the account "
    "number (and property ID) is correct.",
)
VALIDATION_ERROR = ErrorSpec("KT-CT-4321", "Serializer validation error.", "VALIDATION")
CANNOT_CANCEL_BOOST = ErrorSpec("KT-CT-4354", "Unable to cancel boost charge.", "VALIDATION")
BOOST_REFUSED = ErrorSpec(
    "KT-CT-4356", "A boost charge cannot currently be performed.", "VALIDATION"
)
BOOST_FAILED = ErrorSpec("KT-CT-4357", "Unable to trigger boost charge.", "VALIDATION")
CANNOT_SUSPEND = ErrorSpec("KT-CT-4358", "Unable to suspend device control.", "VALIDATION")
CANNOT_RESUME = ErrorSpec("KT-CT-4359", "Unable to resume device control.", "VALIDATION")


class RefusedError(KrakenError):
    """A refused device command; `extensions` carries the refusal reasons."""

    def __init__(self, spec: ErrorSpec, reasons_key: str, reasons: list[str]) -> None:
        super().__init__(spec.code, spec.message, spec.error_type, spec.description)
        self.reasons_key = reasons_key
        self.reasons = reasons

    @property
    def extensions(self) -> dict[str, Any]:
        """The Kraken extensions plus the list of reasons."""
        return {**super().extensions, self.reasons_key: self.reasons}


def validation_error(description: str) -> KrakenError:
    """KT-CT-4321 with a description of what was wrong."""
    spec = VALIDATION_ERROR
    return KrakenError(spec.code, spec.message, spec.error_type, description)


@dataclass
class Schedule:
    """`SmartFlexDevicePreferenceSchedule`."""

    day_of_week: str
    time: time
    max: float
    min: float | None = None


@dataclass
class Preferences:
    """`SmartFlexDevicePreferences`."""

    mode: str
    target_type: str
    unit: str
    schedules: list[Schedule]


def weekly(
    ready_by: time, maximum: float, minimum: float | None = None, *, weekend: time | None = None
) -> list[Schedule]:
    """One schedule per day; weekends may have their own time."""
    days = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
    return [
        Schedule(
            day,
            weekend if weekend is not None and day in ("SATURDAY", "SUNDAY") else ready_by,
            maximum,
            minimum,
        )
        for day in days
    ]


@dataclass
class Telemetry:
    """An inverter's live readings (kW; battery power positive while charging)."""

    battery_soc: float = 55.0
    battery_power: float = 1.2
    battery_online: bool = True
    inverter_power: float = 2.1
    inverter_online: bool = True
    solar_power: float = 3.3
    grid_power: float = -0.4
    consumption: float = 1.7
    export: float = 0.4


@dataclass
class HeatPump:
    """A heat pump's reported mode, activity and temperatures."""

    mode: str = "HEATING"
    activity: str = "SCHEDULED_HEATING"
    target_temperature: float = 21.0
    zone_temperatures: dict[str, float] = field(
        default_factory=lambda: {"ZONE_1": 19.5, "WATER": 48.0}
    )


GRAPHQL_TYPES = {
    "ELECTRIC_VEHICLES": "SmartFlexVehicle",
    "BATTERIES": "SmartFlexBattery",
    "HEAT_PUMPS": "SmartFlexHeatPump",
    "INVERTERS": "SmartFlexInverter",
    "STORAGE_HEATERS": "SmartFlexStorageHeaters",
}
CHARGE_POINT = "SmartFlexChargePoint"


@dataclass(kw_only=True)
class SmartDevice:
    """A SmartFlex device registration and the facts its state machine reads."""

    id: str
    device_type: str
    provider: str
    name: str | None = None
    make: str | None = None
    model: str | None = None
    graphql_type: str | None = None
    """`SmartFlexChargePoint` for charge points; otherwise derived from `device_type`."""
    integration_device_id: str | None = None
    lifecycle: str = "LIVE"
    onboarding_state: str = "AUTHENTICATION_COMPLETE"
    """`currentState` while the lifecycle is not yet LIVE."""
    is_suspended: bool = False
    plugged_in: bool = True
    at_home: bool = True
    lost_connection: bool = False
    boost_until: datetime | None = None
    boost_from: datetime | None = None
    """Start of the current or last boost (default: an hour before `boost_until`)."""
    upper_soc_limit: int | None = None
    battery_size: Decimal | None = None
    power_in_kw: Decimal | None = None
    charge_point_power_kw: Decimal | None = None
    """`chargePointPowerOutput` (2026 API)."""
    state_of_charge: Decimal | None = None
    """Latest state of charge in % (`status.stateOfCharge`, 2026 API); null when unknown."""
    preferences: Preferences | None = None
    telemetry: Telemetry | None = None
    heat_pump: HeatPump | None = None

    @property
    def typename(self) -> str:
        """The GraphQL object type of the device."""
        return self.graphql_type or GRAPHQL_TYPES.get(self.device_type, "SmartFlexDevice")

    @property
    def charges_vehicles(self) -> bool:
        """Vehicles and charge points: boost, charge targets and dispatches apply."""
        return self.typename in ("SmartFlexVehicle", CHARGE_POINT)

    @property
    def retired(self) -> bool:
        """Retired registrations cannot be controlled any more."""
        return self.lifecycle == "RETIRED"

    def boosting(self, now: datetime) -> bool:
        """Whether a boost charge runs at `now`."""
        return self.boost_until is not None and now < self.boost_until

    def boost_window(self) -> tuple[datetime, datetime] | None:
        """Start and end of the current or last boost charge."""
        if self.boost_until is None:
            return None
        start = self.boost_from or self.boost_until - BOOST_DURATION
        return start, self.boost_until

    def waiting_for_dispatch(self, now: datetime) -> bool:
        """Plugged in at home under smart control: the supplier plans its charging."""
        return self.current_state(now) == "SMART_CONTROL_IN_PROGRESS"

    def current_state(self, now: datetime) -> str:
        """`SmartFlexDeviceState` at `now`."""
        if self.retired:
            return "RETIRED"
        if self.lifecycle != "LIVE":
            return self.onboarding_state
        if self.lost_connection:
            return "LOST_CONNECTION"
        if self.is_suspended:
            return "SMART_CONTROL_OFF"
        if not self.charges_vehicles:
            return "SMART_CONTROL_CAPABLE"
        if self.boosting(now):
            return "BOOSTING"
        if not (self.plugged_in and self.at_home):
            return "SMART_CONTROL_NOT_AVAILABLE"
        return "SMART_CONTROL_IN_PROGRESS"

    # --- commands ------------------------------------------------------------------------

    def set_smart_control(self, action: str) -> None:
        """SUSPEND or UNSUSPEND (`updateDeviceSmartControl`)."""
        if action == "SUSPEND":
            if self.retired or self.lifecycle != "LIVE":
                raise CANNOT_SUSPEND.error()
            self.is_suspended = True
            self.boost_until = self.boost_from = None
        else:
            if self.retired or self.lifecycle != "LIVE":
                raise CANNOT_RESUME.error()
            self.is_suspended = False

    def boost_refusal_reasons(self, now: datetime) -> list[str]:
        """Why a boost charge cannot start now (`boostChargeRefusalReasons`)."""
        if self.retired:
            return ["BC_DEVICE_RETIRED"]
        if self.lifecycle != "LIVE":
            return ["BC_DEVICE_NOT_YET_LIVE"]
        reasons = []
        if self.is_suspended:
            reasons.append("BC_DEVICE_SUSPENDED")
        if not self.plugged_in or self.lost_connection:
            reasons.append("BC_DEVICE_DISCONNECTED")
        if not self.at_home:
            reasons.append("BC_DEVICE_NOT_AT_HOME")
        if self.boosting(now):
            reasons.append("BC_BOOST_CHARGE_IN_PROGRESS")
        return reasons

    def update_boost(self, action: str, now: datetime) -> None:
        """BOOST or CANCEL (`updateBoostCharge`)."""
        if not self.charges_vehicles:
            raise BOOST_FAILED.error()
        if action == "CANCEL":
            if not self.boosting(now):
                raise CANNOT_CANCEL_BOOST.error()
            self.boost_until = self.boost_from = None
            return
        reasons = self.boost_refusal_reasons(now)
        if reasons:
            raise RefusedError(BOOST_REFUSED, "boostChargeRefusalReasons", reasons)
        self.boost_from = now
        self.boost_until = now + BOOST_DURATION

    def set_preferences(self, data: dict[str, Any]) -> None:
        """Validate and store a `SmartFlexDevicePreferencesInput`."""
        if self.retired:
            raise DEVICE_NOT_FOUND.error()
        unit = str(data["unit"])
        mode = str(data["mode"])
        schedules = [_schedule(item) for item in data.get("schedules") or []]
        if self.heat_pump is not None:
            if unit != "CELSIUS" or mode not in ("HEAT", "COOL"):
                raise validation_error("Heat pumps take HEAT or COOL targets in CELSIUS.")
            for schedule in schedules:
                if not MIN_TEMPERATURE <= schedule.max <= MAX_TEMPERATURE:
                    raise validation_error(
                        f"Temperature must be between {MIN_TEMPERATURE:g} and "
                        f"{MAX_TEMPERATURE:g} °C."
                    )
        else:
            if unit not in ("PERCENTAGE", "PERCENTAGE_ABSOLUTE", "PERCENTAGE_RELATIVE"):
                raise validation_error("Charge targets are percentages.")
            for schedule in schedules:
                if not MIN_CHARGE_TARGET <= schedule.max <= 100:
                    raise validation_error("Target must be between 10 and 100 %.")
                if schedule.min is not None and not 0 <= schedule.min <= schedule.max:
                    raise validation_error("Minimum must be between 0 % and the target.")
                if self.charges_vehicles and not (
                    READY_BY_EARLIEST <= schedule.time <= READY_BY_LATEST
                ):
                    raise validation_error("Ready-by time must be between 04:00 and 11:00.")
        target_type = data.get("targetType") or (
            self.preferences.target_type if self.preferences else "ABSOLUTE_STATE_OF_CHARGE"
        )
        self.preferences = Preferences(mode, str(target_type), unit, schedules)
        if self.heat_pump is not None and schedules:
            self.heat_pump.mode = "HEATING" if mode == "HEAT" else "COOLING"
            self.heat_pump.target_temperature = schedules[0].max

    # --- GraphQL views -------------------------------------------------------------------

    def status(self, now: datetime, active_power_kw: float = 0.0) -> dict[str, Any]:
        """The status object with its GraphQL type name."""
        status: dict[str, Any] = {
            "current": self.lifecycle,
            "current_state": self.current_state(now),
            "is_suspended": self.is_suspended,
        }
        if self.charges_vehicles:
            status["__typename"] = (
                "SmartFlexVehicleStatus"
                if self.typename == "SmartFlexVehicle"
                else "SmartFlexChargePointStatus"
            )
            status["test_dispatch_failure_reason"] = "NONE"
            status["state_of_charge"] = (
                {"value": self.state_of_charge, "timestamp": now}
                if self.state_of_charge is not None
                else None
            )
            status["active_power"] = {"value": Decimal(str(active_power_kw)), "timestamp": now}
            if self.upper_soc_limit is not None:
                target = self._highest_target()
                status["state_of_charge_limit"] = {
                    "upper_soc_limit": self.upper_soc_limit,
                    "is_limit_violated": target is not None and target > self.upper_soc_limit,
                    "timestamp": now.isoformat(),
                }
        elif self.heat_pump is not None:
            pump = self.heat_pump
            status["__typename"] = "SmartFlexHeatPumpStatus"
            status["activity"] = {"timestamp": now, "value": pump.activity}
            status["mode"] = {"timestamp": now, "value": pump.mode}
            status["target_temperature"] = {"timestamp": now, "value": pump.target_temperature}
            status["current_temperatures"] = [
                {"zone": zone, "value": value, "timestamp": now}
                for zone, value in pump.zone_temperatures.items()
            ]
        else:
            status["__typename"] = "SmartFlexDeviceStatus"
        return status

    def preferences_view(self) -> dict[str, Any] | None:
        """The preferences object, if the device has any."""
        if self.preferences is None:
            return None
        return {
            "__typename": "SmartFlexDevicePreferences",
            "mode": self.preferences.mode,
            "target_type": self.preferences.target_type,
            "unit": self.preferences.unit,
            "schedules": [
                {
                    "day_of_week": s.day_of_week,
                    "time": s.time,
                    "max": s.max,
                    "min": s.min,
                }
                for s in self.preferences.schedules
            ],
        }

    def charging_preferences_view(self) -> dict[str, Any] | None:
        """`SmartFlexVehicleChargingPreferences` (the 2024 API's targets), from the preferences."""
        if not self.charges_vehicles or self.preferences is None:
            return None
        by_day = {s.day_of_week: s for s in self.preferences.schedules}
        weekday = by_day.get("MONDAY")
        weekend = by_day.get("SATURDAY") or weekday
        if weekday is None or weekend is None:
            return None
        return {
            "weekday_target_time": weekday.time,
            "weekday_target_soc": round(weekday.max),
            "weekend_target_time": weekend.time,
            "weekend_target_soc": round(weekend.max),
            "minimum_soc": round(weekday.min) if weekday.min is not None else None,
            "maximum_soc": self.upper_soc_limit,
        }

    def telemetry_view(self) -> dict[str, Any] | None:
        """`SmartFlexInverterTelemetry`, for inverters."""
        t = self.telemetry
        if t is None:
            return None
        return {
            "battery": {
                "state_of_charge": t.battery_soc,
                "power_in_kw": t.battery_power,
                "connection_status": "ONLINE" if t.battery_online else "OFFLINE",
            },
            "inverter": {
                "power_in_kw": t.inverter_power,
                "connection_status": "ONLINE" if t.inverter_online else "OFFLINE",
            },
            "grid": {"power_in_kw": t.grid_power},
            "site": {"consumption_in_kw": t.consumption, "export_in_kw": t.export},
            "solar": {"power_in_kw": t.solar_power},
        }

    def _highest_target(self) -> float | None:
        if self.preferences is None or not self.preferences.schedules:
            return None
        return max(schedule.max for schedule in self.preferences.schedules)


def _schedule(item: dict[str, Any]) -> Schedule:
    return Schedule(
        day_of_week=str(item["dayOfWeek"]),
        time=item["time"],
        max=float(item["max"]),
        min=float(item["min"]) if item.get("min") is not None else None,
    )


# `meta.source` of the older API -> `SmartFlexDispatch.type` of the 2026 API.
CHARGING_TYPES = {"smart-charge": "SMART", "bump-charge": "BOOST", "test-charge": "TEST"}


@dataclass
class SimDispatch:
    """A dispatch window (`UpsideDispatchType`); delta in kWh, negative for import."""

    start: datetime
    end: datetime
    delta: float
    source: str = "smart-charge"
    location: str = "AT_HOME"
    device_id: str | None = None
    """The device it charges; None: the home's first vehicle or charge point."""

    def flex_view(self) -> dict[str, Any]:
        """The `SmartFlexDispatch` of the 2026 API."""
        return {
            "start": self.start,
            "end": self.end,
            "type": CHARGING_TYPES.get(self.source, "SMART"),
            "energy_added_kwh": Decimal(str(round(self.delta, 4))),
        }

    def view(self, *, planned: bool) -> dict[str, Any]:
        """The GraphQL object: planned dispatches name a source, completed ones a location."""
        return {
            "start": self.start,
            "end": self.end,
            "delta": round(self.delta, 3),
            "delta_kwh": round(self.delta),
            "start_dt": self.start.isoformat(),
            "end_dt": self.end.isoformat(),
            "meta": {
                "source": self.source if planned else None,
                "location": None if planned else self.location,
            },
        }


@dataclass
class SmartFlexHome:
    """An account's devices and dispatch plan."""

    devices: list[SmartDevice] = field(default_factory=list)
    extra_dispatches: list[SimDispatch] = field(default_factory=list)
    """Windows added by hand (tests, the developer), on top of the night plan."""
    plan_nights: bool = True
    timezone: ZoneInfo = LONDON
    night_start: time = NIGHT_START
    night_end: time = NIGHT_END
    """Local night window in which waiting devices get their smart-charge dispatch."""
    charge_rate_kw: float = CHARGE_RATE_KW

    def device(self, device_id: str) -> SmartDevice:
        """The device with this id (KT-CT-4301 if none)."""
        for device in self.devices:
            if device.id == device_id:
                return device
        raise DEVICE_NOT_FOUND.error()

    def dispatches(
        self, now: datetime, *, per_device: bool = False, boosts: bool = False
    ) -> list[SimDispatch]:
        """Every window from 12 hours ago to 24 hours ahead, in start order.

        `per_device`: one night window per waiting device (each with its own energy) instead
        of one for all of them; `boosts`: boost charges as `bump-charge` windows too.
        """
        windows = [d for d in self.extra_dispatches if self._in_horizon(d.start, d.end, now)]
        waiting = [d for d in self.devices if d.waiting_for_dispatch(now)]
        if self.plan_nights and waiting:
            if per_device:
                for device in waiting:
                    windows.extend(self._night_windows(now, 1, device.id))
            else:
                windows.extend(self._night_windows(now, len(waiting)))
        if boosts:
            for device in self.devices:
                window = device.boost_window()
                if window is not None and self._in_horizon(*window, now):
                    hours = (window[1] - window[0]).total_seconds() / 3600
                    windows.append(
                        SimDispatch(
                            *window,
                            -hours * self.charge_rate_kw,
                            source="bump-charge",
                            device_id=device.id,
                        )
                    )
        return sorted(windows, key=lambda d: d.start)

    def planned(self, now: datetime, *, boosts: bool = False) -> list[SimDispatch]:
        """Windows that have not ended (the account's, night windows added up)."""
        return [d for d in self.dispatches(now, boosts=boosts) if d.end > now]

    def completed(self, now: datetime, *, boosts: bool = False) -> list[SimDispatch]:
        """Windows that have ended in the last 12 hours."""
        return [d for d in self.dispatches(now, boosts=boosts) if d.end <= now]

    def device_planned(self, device_id: str, now: datetime) -> list[SimDispatch]:
        """The planned (not yet ended) windows of one device, boosts included."""
        owner = self._default_owner()
        return [
            d
            for d in self.dispatches(now, per_device=True, boosts=True)
            if d.end > now and (d.device_id or owner) == device_id
        ]

    def active_power_kw(self, device: SmartDevice, now: datetime) -> float:
        """Charging power of a vehicle or charge point at `now` (inside one of its windows)."""
        if not device.charges_vehicles:
            return 0.0
        if device.boosting(now):
            return self.charge_rate_kw
        if device.waiting_for_dispatch(now) and any(
            d.start <= now for d in self.device_planned(device.id, now)
        ):
            return self.charge_rate_kw
        return 0.0

    def _default_owner(self) -> str | None:
        return next((d.id for d in self.devices if d.charges_vehicles), None)

    @staticmethod
    def _in_horizon(start: datetime, end: datetime, now: datetime) -> bool:
        return end > now - COMPLETED_HORIZON and start < now + PLANNED_HORIZON

    def _night_windows(
        self, now: datetime, devices: int, device_id: str | None = None
    ) -> list[SimDispatch]:
        """The night that ended (local) today and the one ending tomorrow, if in the horizon."""
        local = now.astimezone(self.timezone)
        crosses_midnight = self.night_end <= self.night_start
        windows = []
        for offset in (0, 1):
            end_day = local.date() + timedelta(days=offset)
            start_day = end_day - timedelta(days=1) if crosses_midnight else end_day
            start = datetime.combine(start_day, self.night_start, self.timezone)
            end = datetime.combine(end_day, self.night_end, self.timezone)
            if self._in_horizon(start, end, now):
                hours = (end - start).total_seconds() / 3600
                delta = -hours * self.charge_rate_kw * devices
                windows.append(SimDispatch(start, end, delta, device_id=device_id))
        return windows


def default_home() -> SmartFlexHome:
    """One device of every kind, all live: the GB account's smart home."""
    return SmartFlexHome(
        devices=[
            SmartDevice(
                id="6f1c2f50-0001-4e6a-9a55-000000000001",
                device_type="ELECTRIC_VEHICLES",
                provider="TESLA",
                name="Family car",
                make="Tesla",
                model="Model 3",
                integration_device_id="5YJ3E1EA7KF000001",
                upper_soc_limit=90,
                battery_size=Decimal("57.5"),
                charge_point_power_kw=Decimal("7.0"),
                state_of_charge=Decimal("62"),
                preferences=Preferences(
                    "CHARGE",
                    "ABSOLUTE_STATE_OF_CHARGE",
                    "PERCENTAGE",
                    weekly(time(7, 0), 80.0, weekend=time(9, 0)),
                ),
            ),
            SmartDevice(
                id="6f1c2f50-0002-4e6a-9a55-000000000002",
                device_type="ELECTRIC_VEHICLES",
                graphql_type=CHARGE_POINT,
                provider="MYENERGI",
                name="Driveway charger",
                make="myenergi",
                model="Zappi",
                plugged_in=False,
                preferences=Preferences(
                    "CHARGE", "ABSOLUTE_STATE_OF_CHARGE", "PERCENTAGE", weekly(time(8, 0), 60.0)
                ),
            ),
            SmartDevice(
                id="6f1c2f50-0003-4e6a-9a55-000000000003",
                device_type="BATTERIES",
                provider="GIVENERGY",
                name="Home battery",
                make="GivEnergy",
                model="All in One",
                preferences=Preferences(
                    "CHARGE",
                    "ABSOLUTE_STATE_OF_CHARGE",
                    "PERCENTAGE",
                    weekly(time(6, 0), 100.0, 20.0),
                ),
            ),
            SmartDevice(
                id="6f1c2f50-0004-4e6a-9a55-000000000004",
                device_type="HEAT_PUMPS",
                provider="DAIKIN",
                name="Heat pump",
                make="Daikin",
                model="EDLA04E2V3",
                power_in_kw=Decimal("4.0"),
                heat_pump=HeatPump(),
                preferences=Preferences(
                    "HEAT", "ABSOLUTE_TEMPERATURE", "CELSIUS", weekly(time(6, 30), 21.0)
                ),
            ),
            SmartDevice(
                id="6f1c2f50-0005-4e6a-9a55-000000000005",
                device_type="INVERTERS",
                provider="SOLAREDGE",
                name="Solar inverter",
                make="SolarEdge",
                model="SE5000H",
                telemetry=Telemetry(),
            ),
            SmartDevice(
                id="6f1c2f50-0006-4e6a-9a55-000000000006",
                device_type="STORAGE_HEATERS",
                provider="OCTOPUS_ENERGY",
                name="Storage heaters",
            ),
        ]
    )


def fleet(count: int) -> list[SmartDevice]:
    """`count` live devices, the default home's kinds in turn (a car first), each its own.

    For measuring how the integration scales with the number of devices on one account; real
    accounts have a handful, fleet accounts (businesses) many.
    """
    kinds = default_home().devices
    devices = []
    for index in range(count):
        template = deepcopy(kinds[index % len(kinds)])
        number = index + 1
        template.id = f"{number:08x}-0000-4e6a-9a55-{number:012x}"
        template.name = f"{template.name} {number}"
        if template.integration_device_id is not None:
            template.integration_device_id = f"5YJ3E1EA7KF{number:06d}"
        devices.append(template)
    return devices
