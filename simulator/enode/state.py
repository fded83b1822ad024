"""Mutable Enode simulator state: OAuth clients, a household of devices, actions, interventions.

The household (user `ENODE_USER_ID`) has one device of every kind. Device state moves on with
the simulated clock (`EnodeState.now()`: the wall clock plus `advance()`d seconds): a charging
vehicle gains battery level until its charge limit, the charger delivers power, the HVAC unit
warms or cools towards its setpoint, the battery follows its operation mode, the inverter
produces by time of day and the meter adds it all up.

Control requests create actions that resolve `action_delay` seconds later: CONFIRMED (and the
device changes) unless an outcome was queued with `queue_action_outcomes` (FAILED or CANCELLED
with a reason, or never resolving).
"""

from __future__ import annotations

import base64
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
import math
import secrets
from typing import Any
import uuid

from .webhooks import KINDS, EnodeWebhooks

# --- documented constants -------------------------------------------------------------------

ENODE_CLIENT_ID = "sim-enode-client"
"""OAuth2 client id of the simulator's Enode client account."""
ENODE_CLIENT_SECRET = "sim-enode-secret-0f3a9c"
"""Its client secret (HTTP Basic auth or `client_secret` in the form body)."""
ENODE_RESTRICTED_CLIENT_ID = "sim-enode-restricted"
"""A client whose tokens are valid but forbidden (HTTP 403) on every API endpoint."""
ENODE_RESTRICTED_CLIENT_SECRET = "sim-enode-restricted-secret"
ENODE_USER_ID = "sim-household"
"""The household user; it has one device of every kind."""

VEHICLE_ID = "sim-vehicle-1"
CHARGER_ID = "sim-charger-1"
HVAC_ID = "sim-hvac-1"
BATTERY_ID = "5b5b1e0a-1c53-4d4e-9d7a-0b0f7c3b1a01"
INVERTER_ID = "5b5b1e0a-1c53-4d4e-9d7a-0b0f7c3b1a02"
METER_ID = "5b5b1e0a-1c53-4d4e-9d7a-0b0f7c3b1a03"
HOME_LOCATION_ID = "8d90101b-3f2f-462a-bbb4-1ed320d33bbe"

TIME_OF_USE_INTERVENTION_ID = "9d90a9ad-9b24-4ce0-94e9-e888b1b877f4"
"""Blocks the battery's TIME_OF_USE operation mode."""
MAX_CURRENT_INTERVENTION_ID = "4eaeb363-296d-4ccc-a973-7805e6f400bd"
"""Blocks the vehicle's setMaxCurrent capability."""

PROBLEM_BASE = "https://developers.enode.com/api/problems/"
HOME_LATITUDE = 51.5072
HOME_LONGITUDE = -0.1276
GRID_VOLTAGE = 230.0


def iso(moment: datetime | None) -> str | None:
    """An ISO 8601 UTC timestamp with milliseconds, as Enode writes them."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ProblemError(Exception):
    """An error the API answers with a Problem body."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        issues: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.issues = issues

    def body(self) -> dict[str, Any]:
        """The `Problem` object."""
        problem: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "detail": self.detail,
        }
        if self.issues is not None:
            problem["issues"] = self.issues
        return problem


def bad_request(detail: str, issues: list[dict[str, Any]] | None = None) -> ProblemError:
    """HTTP 400 (a precondition failed or the request is invalid)."""
    return ProblemError(400, "bad-request", "Bad Request", detail, issues)


def not_found(detail: str) -> ProblemError:
    """HTTP 404."""
    return ProblemError(404, "not-found", "Not Found", detail)


def capability(capable: bool = True, *interventions: str) -> dict[str, Any]:
    """A `Capability` object."""
    return {"isCapable": capable, "interventionIds": list(interventions)}


# --- devices --------------------------------------------------------------------------------


@dataclass(kw_only=True)
class SimVehicle:
    """An EV; charges at `charge_power` kW while `is_charging`."""

    id: str
    user_id: str = ENODE_USER_ID
    vendor: str = "TESLA"
    brand: str = "Tesla"
    model: str = "Model 3 Long Range"
    year: int = 2022
    vin: str = "5YJ3E7EB0NF000001"
    display_name: str = "Blue Tesla"
    battery_level: float = 52.0
    battery_capacity: float = 75.0
    charge_limit: float = 80.0
    km_per_percent: float = 4.9
    is_plugged_in: bool = True
    is_charging: bool = False
    power_delivery_state: str = "PLUGGED_IN:STOPPED"
    charge_power: float = 7.4
    max_current: float = 32.0
    odometer: float = 18234.5
    is_reachable: bool = True
    smart_charging_enabled: bool = False
    deadline: str | None = "07:00"
    minimum_charge_limit: float = 20.0
    capabilities: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "information": capability(),
            "chargeState": capability(),
            "location": capability(),
            "odometer": capability(),
            "setMaxCurrent": capability(False, MAX_CURRENT_INTERVENTION_ID),
            "startCharging": capability(),
            "stopCharging": capability(),
            "smartCharging": capability(),
        }
    )
    scopes: list[str] = field(
        default_factory=lambda: [
            "vehicle:control:charging",
            "vehicle:read:data",
            "vehicle:read:location",
        ]
    )
    updated: datetime | None = None

    @property
    def is_fully_charged(self) -> bool:
        """At (or above) the charge limit."""
        return self.battery_level >= self.charge_limit - 1e-9

    def start(self) -> None:
        """Charging starts."""
        self.is_charging = True
        self.power_delivery_state = "PLUGGED_IN:CHARGING"

    def stop(self, state: str = "PLUGGED_IN:STOPPED") -> None:
        """Charging stops."""
        self.is_charging = False
        self.power_delivery_state = state

    def step(self, seconds: float, *, smart_override: bool) -> None:
        """Move on `seconds`: charge, and let smart charging decide when to."""
        if not self.is_plugged_in:
            return
        if self.smart_charging_enabled and not smart_override:
            # Charge promptly up to the minimum; wait for cheap hours above it.
            wants = self.battery_level < self.minimum_charge_limit
            if wants and not self.is_charging and not self.is_fully_charged:
                self.start()
            elif not wants and self.is_charging:
                self.stop()
        if self.is_charging:
            gained = self.charge_power * seconds / 3600 / self.battery_capacity * 100
            self.battery_level = min(self.charge_limit, self.battery_level + gained)
            if self.is_fully_charged:
                self.stop("PLUGGED_IN:COMPLETE")

    def policy_json(self) -> dict[str, Any]:
        """The `VehicleSmartChargingPolicy`."""
        return {
            "isEnabled": self.smart_charging_enabled,
            "deadline": self.deadline,
            "minimumChargeLimit": self.minimum_charge_limit,
        }

    def to_json(self, now: datetime) -> dict[str, Any]:
        """`Vehicle` plus `location`."""
        remaining_kwh = (self.charge_limit - self.battery_level) / 100 * self.battery_capacity
        return {
            "id": self.id,
            "userId": self.user_id,
            "vendor": self.vendor,
            "lastSeen": iso(now),
            "isReachable": self.is_reachable,
            "information": {
                "vin": self.vin,
                "brand": self.brand,
                "model": self.model,
                "year": self.year,
                "displayName": self.display_name,
            },
            "chargeState": {
                "batteryLevel": round(self.battery_level, 2),
                "range": round(self.battery_level * self.km_per_percent, 1),
                "isPluggedIn": self.is_plugged_in,
                "isCharging": self.is_charging,
                "isFullyCharged": self.is_fully_charged,
                "batteryCapacity": self.battery_capacity,
                "chargeLimit": self.charge_limit,
                "chargeRate": self.charge_power if self.is_charging else None,
                "chargeTimeRemaining": (
                    round(remaining_kwh / self.charge_power * 60) if self.is_charging else None
                ),
                "lastUpdated": iso(now),
                "maxCurrent": self.max_current,
                "powerDeliveryState": self.power_delivery_state,
            },
            "smartChargingPolicy": self.policy_json(),
            "odometer": {"distance": self.odometer, "lastUpdated": iso(now)},
            "capabilities": self.capabilities,
            "scopes": self.scopes,
            "location": {
                "id": HOME_LOCATION_ID,
                "latitude": HOME_LATITUDE,
                "longitude": HOME_LONGITUDE,
                "lastUpdated": iso(now),
            },
        }


@dataclass(kw_only=True)
class SimCharger:
    """A three-phase wallbox; delivers max current x 3 x 230 V while charging."""

    id: str
    user_id: str = ENODE_USER_ID
    vendor: str = "ZAPTEC"
    brand: str = "Zaptec"
    model: str = "ZAPTEC PRO"
    serial_number: str = "ZAP000123"
    is_plugged_in: bool = True
    is_charging: bool = False
    power_delivery_state: str = "PLUGGED_IN:STOPPED"
    max_current: float = 16.0
    phases: int = 3
    is_reachable: bool = True
    capabilities: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "information": capability(),
            "chargeState": capability(),
            "startCharging": capability(),
            "stopCharging": capability(),
            "setMaxCurrent": capability(),
        }
    )
    scopes: list[str] = field(
        default_factory=lambda: ["charger:control:charging", "charger:read:data"]
    )

    @property
    def charge_rate(self) -> float | None:
        """Power delivered in kW, None unless charging."""
        if not self.is_charging:
            return None
        return round(self.max_current * self.phases * GRID_VOLTAGE / 1000, 3)

    def start(self) -> None:
        """Charging starts."""
        self.is_charging = True
        self.power_delivery_state = "PLUGGED_IN:CHARGING"

    def stop(self) -> None:
        """Charging stops."""
        self.is_charging = False
        self.power_delivery_state = "PLUGGED_IN:STOPPED"

    def to_json(self, now: datetime) -> dict[str, Any]:
        """`Charger`."""
        return {
            "id": self.id,
            "userId": self.user_id,
            "vendor": self.vendor,
            "lastSeen": iso(now),
            "isReachable": self.is_reachable,
            "chargeState": {
                "isPluggedIn": self.is_plugged_in,
                "isCharging": self.is_charging,
                "chargeRate": self.charge_rate,
                "lastUpdated": iso(now),
                "maxCurrent": self.max_current,
                "powerDeliveryState": self.power_delivery_state,
            },
            "capabilities": self.capabilities,
            "scopes": self.scopes,
            "information": {
                "brand": self.brand,
                "model": self.model,
                "year": None,
                "serialNumber": self.serial_number,
            },
            "location": {"id": HOME_LOCATION_ID, "lastUpdated": iso(now)},
        }


@dataclass(kw_only=True)
class SimHvac:
    """An air-to-air heat pump; moves 2 °C an hour towards its setpoint while active."""

    id: str
    user_id: str = ENODE_USER_ID
    vendor: str = "DAIKIN"
    brand: str = "Daikin"
    model: str = "Perfera FTXM"
    display_name: str = "Living room heat pump"
    group_name: str | None = "Living room"
    category: str = "HEAT_PUMP"
    mode: str = "HEAT"
    heat_setpoint: float | None = 21.0
    cool_setpoint: float | None = 24.0
    hold_type: str | None = "PERMANENT"
    current_temperature: float = 19.5
    outdoor_temperature: float = 12.0
    schedule_mode: str = "HEAT"
    schedule_heat_setpoint: float = 19.0
    capable_modes: list[str] = field(default_factory=lambda: ["OFF", "HEAT", "COOL", "AUTO"])
    heat_range: tuple[float, float] = (10.0, 30.0)
    cool_range: tuple[float, float] = (16.0, 32.0)
    difference_range: tuple[float, float] = (2.0, 10.0)
    is_reachable: bool = True
    capabilities: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "setFollowSchedule": capability(),
            "setPermanentHold": capability(),
        }
    )
    scopes: list[str] = field(default_factory=lambda: ["hvac:control:mode", "hvac:read:data"])

    @property
    def is_active(self) -> bool:
        """Heating or cooling right now."""
        heating = self.mode in ("HEAT", "AUTO") and self.heat_setpoint is not None
        cooling = self.mode in ("COOL", "AUTO") and self.cool_setpoint is not None
        if heating and self.current_temperature < (self.heat_setpoint or 0) - 0.2:
            return True
        return cooling and self.current_temperature > (self.cool_setpoint or 0) + 0.2

    def step(self, seconds: float) -> None:
        """Warm or cool towards the setpoint while active, drift outdoors otherwise."""
        hours = seconds / 3600
        if self.is_active:
            heating = self.mode in ("HEAT", "AUTO") and self.current_temperature < (
                self.heat_setpoint or 0
            )
            target = (self.heat_setpoint if heating else self.cool_setpoint) or 20.0
            delta = min(abs(target - self.current_temperature), 2.0 * hours)
            self.current_temperature += delta if heating else -delta
        else:
            drift = (self.outdoor_temperature - self.current_temperature) * min(1.0, 0.05 * hours)
            self.current_temperature += drift

    def to_json(self, now: datetime) -> dict[str, Any]:
        """The inline HVAC object."""
        return {
            "id": self.id,
            "userId": self.user_id,
            "vendor": self.vendor,
            "lastSeen": iso(now),
            "isReachable": self.is_reachable,
            "consumptionRate": 1.2 if self.is_active else 0,
            "information": {
                "brand": self.brand,
                "model": self.model,
                "displayName": self.display_name,
                "groupName": self.group_name,
                "category": self.category,
            },
            "temperatureState": {
                "currentTemperature": round(self.current_temperature, 2),
                "isActive": self.is_active,
                "lastUpdated": iso(now),
            },
            "thermostatState": {
                "mode": self.mode,
                "heatSetpoint": self.heat_setpoint,
                "coolSetpoint": self.cool_setpoint,
                "holdType": self.hold_type,
                "lastUpdated": iso(now),
            },
            "scopes": self.scopes,
            "capabilities": {
                "capableModes": self.capable_modes,
                "coolSetpointRange": {"min": self.cool_range[0], "max": self.cool_range[1]},
                "heatSetpointRange": {"min": self.heat_range[0], "max": self.heat_range[1]},
                "setpointDifferenceRange": {
                    "min": self.difference_range[0],
                    "max": self.difference_range[1],
                },
                **self.capabilities,
            },
            "location": {"id": HOME_LOCATION_ID},
        }


# kW a battery charges (+) or discharges (-) at in each operation mode, before limits.
BATTERY_MODE_POWER = {
    "IMPORT_FOCUS": 3.3,
    "EXPORT_FOCUS": -3.3,
    "SELF_RELIANCE": -0.6,
    "TIME_OF_USE": 0.0,
}


@dataclass(kw_only=True)
class SimBattery:
    """A home battery following its operation mode, never below its reserve."""

    id: str
    user_id: str = ENODE_USER_ID
    vendor: str = "TESLA"
    brand: str = "Tesla"
    model: str = "Powerwall 2"
    site_name: str = "Powerwall Home"
    battery_level: float = 60.0
    battery_capacity: float = 13.5
    discharge_limit: float = 20.0
    operation_mode: str = "SELF_RELIANCE"
    is_reachable: bool = True
    capabilities: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "exportFocus": capability(),
            "importFocus": capability(),
            "timeOfUse": capability(False, TIME_OF_USE_INTERVENTION_ID),
            "selfReliance": capability(),
        }
    )
    scopes: list[str] = field(
        default_factory=lambda: [
            "battery:control:operation_mode",
            "battery:read:data",
            "battery:read:location",
        ]
    )

    @property
    def charge_rate(self) -> float:
        """Power in kW, + charging, - discharging."""
        power = BATTERY_MODE_POWER.get(self.operation_mode, 0.0)
        if power > 0 and self.battery_level >= 100:
            return 0.0
        if power < 0 and self.battery_level <= self.discharge_limit:
            return 0.0
        return power

    @property
    def status(self) -> str:
        """`chargeState.status`."""
        rate = self.charge_rate
        if rate > 0:
            return "CHARGING"
        return "DISCHARGING" if rate < 0 else "IDLE"

    def step(self, seconds: float) -> None:
        """Charge or discharge for `seconds`."""
        change = self.charge_rate * seconds / 3600 / self.battery_capacity * 100
        level = self.battery_level + change
        floor = self.discharge_limit if change < 0 else 0.0
        self.battery_level = max(floor, min(100.0, level))

    def to_json(self, now: datetime) -> dict[str, Any]:
        """`Battery`."""
        return {
            "id": self.id,
            "userId": self.user_id,
            "vendor": self.vendor,
            "lastSeen": iso(now),
            "isReachable": self.is_reachable,
            "chargeState": {
                "status": self.status,
                "batteryCapacity": self.battery_capacity,
                "batteryLevel": round(self.battery_level, 2),
                "chargeRate": self.charge_rate,
                "dischargeLimit": self.discharge_limit,
                "lastUpdated": iso(now),
            },
            "config": {"operationMode": self.operation_mode, "lastUpdated": iso(now)},
            "information": {
                "id": "TG0000001",
                "brand": self.brand,
                "model": self.model,
                "siteName": self.site_name,
                "installationDate": "2023-04-01T09:00:00.000Z",
            },
            "capabilities": self.capabilities,
            "scopes": self.scopes,
            "location": {
                "id": HOME_LOCATION_ID,
                "longitude": HOME_LONGITUDE,
                "latitude": HOME_LATITUDE,
                "lastUpdated": iso(now),
            },
        }


@dataclass(kw_only=True)
class SimInverter:
    """A solar inverter producing on a daylight curve (06:00-18:00 UTC, `peak` kW at noon)."""

    id: str
    user_id: str = ENODE_USER_ID
    vendor: str = "SMA"
    brand: str = "SMA"
    model: str = "Sunny Boy 5.0"
    site_name: str = "Home solar"
    serial_number: str | None = "SMA3000123456"
    peak: float = 4.8
    total_lifetime_production: float = 12345.6
    is_reachable: bool = True
    production_rate: float = 0.0

    def rate_at(self, moment: datetime) -> float:
        """Power produced at a moment, in kW."""
        hour = moment.astimezone(UTC).hour + moment.minute / 60
        if not 6 <= hour <= 18:
            return 0.0
        return round(self.peak * math.sin(math.pi * (hour - 6) / 12), 3)

    def step(self, seconds: float, now: datetime) -> None:
        """Produce for `seconds` up to `now`."""
        self.production_rate = self.rate_at(now)
        self.total_lifetime_production += self.production_rate * seconds / 3600

    def to_json(self, now: datetime) -> dict[str, Any]:
        """`Inverter`."""
        return {
            "id": self.id,
            "userId": self.user_id,
            "vendor": self.vendor,
            "lastSeen": iso(now),
            "isReachable": self.is_reachable,
            "productionState": {
                "productionRate": self.production_rate,
                "isProducing": self.production_rate > 0,
                "totalLifetimeProduction": round(self.total_lifetime_production, 3),
                "lastUpdated": iso(now),
            },
            "timezone": "Europe/London",
            "capabilities": {
                "productionState": capability(),
                "productionStatistics": capability(),
            },
            "scopes": ["inverter:read:data", "inverter:read:location"],
            "information": {
                "id": "SMA-INV-1",
                "sn": self.serial_number,
                "brand": self.brand,
                "model": self.model,
                "siteName": self.site_name,
                "installationDate": "2022-06-01T09:00:00.000Z",
            },
            "location": {
                "id": HOME_LOCATION_ID,
                "longitude": HOME_LONGITUDE,
                "latitude": HOME_LATITUDE,
                "lastUpdated": iso(now),
            },
        }


@dataclass(kw_only=True)
class SimMeter:
    """The grid meter: house load plus charging and battery, minus solar (kW, + import)."""

    id: str
    user_id: str = ENODE_USER_ID
    vendor: str = "TESLA"
    brand: str = "Tesla"
    model: str = "Tesla Powerwall built-in meter"
    site_name: str = "Powerwall Home"
    house_load: float = 0.45
    power: float = 0.45
    is_reachable: bool = True

    def to_json(self, now: datetime) -> dict[str, Any]:
        """The inline Meter object."""
        return {
            "id": self.id,
            "userId": self.user_id,
            "vendor": self.vendor,
            "lastSeen": iso(now),
            "isReachable": self.is_reachable,
            "information": {
                "brand": self.brand,
                "model": self.model,
                "siteName": self.site_name,
                "installationDate": "2023-04-01T09:00:00.000Z",
            },
            "energyState": {"power": round(self.power, 3), "lastUpdated": iso(now)},
            "location": {
                "id": HOME_LOCATION_ID,
                "longitude": HOME_LONGITUDE,
                "latitude": HOME_LATITUDE,
                "lastUpdated": iso(now),
            },
            "capabilities": {
                "measuresConsumption": capability(),
                "measuresProduction": capability(),
            },
            "scopes": ["meter:read:data", "meter:read:location"],
        }


# --- actions --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ActionOutcome:
    """How the next action ends: CONFIRMED, FAILED or CANCELLED (with a reason), or never."""

    state: str = "CONFIRMED"
    failure_type: str | None = None
    detail: str | None = None
    never_resolves: bool = False

    @classmethod
    def failed(
        cls,
        failure_type: str = "NO_RESPONSE",
        detail: str = "The chargeable device remained unreachable.",
    ) -> ActionOutcome:
        """The device does not react before Enode gives up."""
        return cls(state="FAILED", failure_type=failure_type, detail=detail)

    @classmethod
    def cancelled(
        cls,
        failure_type: str = "FAILED_PRECONDITION",
        detail: str = "The vehicle was unplugged before charging could start.",
    ) -> ActionOutcome:
        """A precondition was not met within the action's timeout window."""
        return cls(state="CANCELLED", failure_type=failure_type, detail=detail)

    @classmethod
    def pending(cls) -> ActionOutcome:
        """The action stays PENDING (for client timeouts)."""
        return cls(never_resolves=True)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActionOutcome:
        """From `{"state", "failureType", "detail", "neverResolves"}`."""
        return cls(
            state=str(data.get("state", "CONFIRMED")),
            failure_type=data.get("failureType"),
            detail=data.get("detail"),
            never_resolves=bool(data.get("neverResolves", False)),
        )


@dataclass(kw_only=True)
class SimAction:
    """An Enode action; `shape` selects its JSON schema."""

    id: str
    user_id: str
    target_id: str
    target_type: str  # vehicle, charger, hvac, battery
    shape: str  # charge, max_current, permanent_hold, follow_schedule, operation_mode
    payload: dict[str, Any]
    created_at: datetime
    resolve_at: datetime | None
    outcome: ActionOutcome
    apply: Callable[[], None]
    state: str = "PENDING"
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    failure_type: str | None = None
    detail: str | None = None

    def finish(
        self, state: str, now: datetime, failure_type: str | None, detail: str | None
    ) -> None:
        """Leave PENDING."""
        self.state = state
        self.updated_at = now
        self.completed_at = now
        self.failure_type = failure_type
        self.detail = detail
        if state == "CONFIRMED":
            self.apply()

    def to_json(self) -> dict[str, Any]:
        """`ChargeAction`, `MaxCurrentAction`, `HvacAction*` or `OperationModeAction`."""
        body: dict[str, Any] = {
            "id": self.id,
            "userId": self.user_id,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at or self.created_at),
            "completedAt": iso(self.completed_at),
            "state": self.state,
            "targetId": self.target_id,
            "targetType": self.target_type,
            **self.payload,
        }
        if self.shape in ("charge", "max_current"):
            body["failureReason"] = (
                {"type": self.failure_type, "detail": self.detail or ""}
                if self.failure_type
                else None
            )
        return body


@dataclass(kw_only=True)
class SimSmartOverride:
    """A vehicle's "charge now" override."""

    target_id: str
    user_id: str
    vendor: str
    created_at: datetime
    vendor_action_id: str | None
    ended_at: datetime | None = None
    seen_charging: bool = False

    def to_json(self) -> dict[str, Any]:
        """`SmartOverrideStatus` plus userId and vendor."""
        return {
            "createdAt": iso(self.created_at),
            "endedAt": iso(self.ended_at),
            "targetType": "vehicle",
            "targetId": self.target_id,
            "vendorActionId": self.vendor_action_id,
            "userId": self.user_id,
            "vendor": self.vendor,
        }


# --- interventions --------------------------------------------------------------------------


@dataclass(kw_only=True)
class SimIntervention:
    """An intervention with its resolution in several languages (falls back to en-US)."""

    id: str
    vendor: str
    vendor_type: str
    brand: str
    domain: str
    access: str
    agent: str
    translations: dict[str, tuple[str, str]]
    action: str = "Link"

    def to_json(self, language: str | None) -> dict[str, Any]:
        """`Intervention` in a language."""
        title, description = self.translations.get(language or "", self.translations["en-US"])
        return {
            "id": self.id,
            "vendor": self.vendor,
            "vendorType": self.vendor_type,
            "brand": self.brand,
            "introducedAt": "2024-03-16T00:00:00.000Z",
            "domain": self.domain,
            "resolution": {
                "title": title,
                "description": description,
                "access": self.access,
                "agent": self.agent,
                "action": self.action,
            },
        }


def default_interventions() -> dict[str, SimIntervention]:
    """The interventions the scenario's capabilities point at."""
    time_of_use = SimIntervention(
        id=TIME_OF_USE_INTERVENTION_ID,
        vendor="TESLA",
        vendor_type="battery",
        brand="Tesla",
        domain="Device",
        access="Remote",
        agent="User",
        translations={
            "en-US": (
                "Enable Time-Based Control in the Tesla app",
                (
                    "1. Open the **Tesla app**<br>2. Go to *Powerwall > Settings*<br>"
                    "3. Turn on **Time-Based Control**"
                ),
            ),
            "en-GB": (
                "Enable Time-Based Control in the Tesla app",
                (
                    "1. Open the **Tesla app**<br>2. Go to *Powerwall > Settings*<br>"
                    "3. Switch on **Time-Based Control**"
                ),
            ),
            "de-DE": (
                "Zeitbasierte Steuerung in der Tesla-App aktivieren",
                (
                    "1. Öffnen Sie die **Tesla-App**<br>2. Gehen Sie zu *Powerwall > Einstellungen*"
                    "<br>3. Aktivieren Sie **Zeitbasierte Steuerung**"
                ),
            ),
        },
    )
    max_current = SimIntervention(
        id=MAX_CURRENT_INTERVENTION_ID,
        vendor="TESLA",
        vendor_type="vehicle",
        brand="Tesla",
        domain="Account",
        access="Remote",
        agent="User",
        translations={
            "en-US": (
                "Relink your Tesla account",
                (
                    "Setting the charge current needs a newer Tesla connection. "
                    "Relink your Tesla account to grant it."
                ),
            ),
            "de-DE": (
                "Tesla-Konto erneut verknüpfen",
                (
                    "Zum Einstellen des Ladestroms wird eine neuere Tesla-Verbindung benötigt. "
                    "Verknüpfen Sie Ihr Tesla-Konto erneut."
                ),
            ),
        },
    )
    return {item.id: item for item in (time_of_use, max_current)}


# --- the state ------------------------------------------------------------------------------


@dataclass
class Exchange:
    """One handled Enode request and its answer (for conformance checks)."""

    operation_id: str
    method: str
    path: str
    query: dict[str, str]
    content_type: str | None
    request_body: Any
    status: int
    response_body: str


@dataclass
class TokenRecord:
    """An issued access token."""

    client_id: str
    expires_at: datetime


def encode_cursor(index: int) -> str:
    """An opaque pagination cursor."""
    return base64.urlsafe_b64encode(f"idx:{index}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    """The index in a cursor, None if it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except ValueError, UnicodeDecodeError:
        return None
    if not text.startswith("idx:") or not text[4:].isdigit():
        return None
    return int(text[4:])


@dataclass
class EnodeState:
    """The Enode side of the simulator."""

    clients: dict[str, str] = field(
        default_factory=lambda: {
            ENODE_CLIENT_ID: ENODE_CLIENT_SECRET,
            ENODE_RESTRICTED_CLIENT_ID: ENODE_RESTRICTED_CLIENT_SECRET,
        }
    )
    restricted_clients: set[str] = field(default_factory=lambda: {ENODE_RESTRICTED_CLIENT_ID})
    token_lifetime: timedelta = timedelta(hours=1)
    action_delay: float = 2.0
    """Seconds (simulated) after which a new action resolves."""
    connections_limit: int | None = None
    """Linked users allowed; Link User answers 403 beyond it (None: no limit)."""
    time_offset: float = 0.0
    vehicles: dict[str, SimVehicle] = field(
        default_factory=lambda: {VEHICLE_ID: SimVehicle(id=VEHICLE_ID)}
    )
    chargers: dict[str, SimCharger] = field(
        default_factory=lambda: {CHARGER_ID: SimCharger(id=CHARGER_ID)}
    )
    hvacs: dict[str, SimHvac] = field(default_factory=lambda: {HVAC_ID: SimHvac(id=HVAC_ID)})
    batteries: dict[str, SimBattery] = field(
        default_factory=lambda: {BATTERY_ID: SimBattery(id=BATTERY_ID)}
    )
    inverters: dict[str, SimInverter] = field(
        default_factory=lambda: {INVERTER_ID: SimInverter(id=INVERTER_ID)}
    )
    meters: dict[str, SimMeter] = field(default_factory=lambda: {METER_ID: SimMeter(id=METER_ID)})
    users: set[str] = field(default_factory=lambda: {ENODE_USER_ID})
    interventions: dict[str, SimIntervention] = field(default_factory=default_interventions)
    schedule_controlled: set[str] = field(default_factory=set)
    """Device ids an Enode schedule controls: their control endpoints answer 422."""
    tokens: dict[str, TokenRecord] = field(default_factory=dict)
    actions: dict[str, SimAction] = field(default_factory=dict)
    smart_overrides: dict[str, SimSmartOverride] = field(default_factory=dict)
    link_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    exchanges: deque[Exchange] = field(default_factory=lambda: deque(maxlen=5000))
    webhooks: EnodeWebhooks = field(default_factory=EnodeWebhooks)
    """Webhook subscriptions; `pump_webhooks` delivers what changed."""
    _action_outcomes: deque[ActionOutcome] = field(default_factory=deque)
    _last_tick: datetime | None = None

    # --- time ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """Simulated time: the wall clock plus every `advance`."""
        return datetime.now(UTC) + timedelta(seconds=self.time_offset)

    def advance(self, seconds: float) -> None:
        """Move simulated time on (devices change, actions resolve, tokens expire)."""
        self.tick()
        self.time_offset += seconds
        self.tick()

    def tick(self) -> None:
        """Bring every device and action up to `now()`, in steps of at most a minute."""
        now = self.now()
        last = self._last_tick or now
        self._last_tick = now
        elapsed = (now - last).total_seconds()
        moment = last
        while elapsed > 0:
            step = min(60.0, elapsed)
            moment += timedelta(seconds=step)
            elapsed -= step
            self._resolve_actions(moment)
            self._step(step, moment)
        self._resolve_actions(now)
        self._update_meters()

    def _step(self, seconds: float, moment: datetime) -> None:
        for vehicle in self.vehicles.values():
            override = self.smart_overrides.get(vehicle.id)
            active = override is not None and override.ended_at is None
            vehicle.step(seconds, smart_override=active)
            if override is not None and active:
                # The override lasts until the vehicle stops charging.
                if vehicle.is_charging:
                    override.seen_charging = True
                elif override.seen_charging:
                    override.ended_at = moment
        for hvac in self.hvacs.values():
            hvac.step(seconds)
        for battery in self.batteries.values():
            battery.step(seconds)
        for inverter in self.inverters.values():
            inverter.step(seconds, moment)

    def _update_meters(self) -> None:
        for meter in self.meters.values():
            users = meter.user_id
            load = meter.house_load
            load += sum(c.charge_rate or 0 for c in self.chargers.values() if c.user_id == users)
            load += sum(b.charge_rate for b in self.batteries.values() if b.user_id == users)
            load -= sum(i.production_rate for i in self.inverters.values() if i.user_id == users)
            meter.power = load

    def _resolve_actions(self, moment: datetime) -> None:
        for action in self.actions.values():
            if action.state != "PENDING" or action.resolve_at is None:
                continue
            if moment >= action.resolve_at:
                outcome = action.outcome
                action.finish(outcome.state, moment, outcome.failure_type, outcome.detail)

    # --- configuration ------------------------------------------------------------------

    def queue_action_outcomes(self, *outcomes: ActionOutcome) -> None:
        """How the next actions end, in order (afterwards: CONFIRMED)."""
        self._action_outcomes.extend(outcomes)

    def expire_tokens(self) -> None:
        """Every issued access token expires now."""
        now = self.now()
        for record in self.tokens.values():
            record.expires_at = min(record.expires_at, now)

    # --- tokens -------------------------------------------------------------------------

    def issue_token(self, client_id: str) -> tuple[str, int]:
        """A new access token and its lifetime in seconds."""
        token = secrets.token_urlsafe(24)
        self.tokens[token] = TokenRecord(client_id, self.now() + self.token_lifetime)
        return token, int(self.token_lifetime.total_seconds())

    def token_client(self, token: str) -> str | None:
        """The client a valid token was issued to."""
        record = self.tokens.get(token)
        if record is None or self.now() >= record.expires_at:
            return None
        return record.client_id

    # --- actions ------------------------------------------------------------------------

    def create_action(
        self,
        *,
        user_id: str,
        target_id: str,
        target_type: str,
        shape: str,
        payload: dict[str, Any],
        apply: Callable[[], None],
    ) -> SimAction:
        """A PENDING action; an earlier pending one on the target is CANCELLED (CONFLICT).

        A vehicle charge action identical to a pending one is reused, as Enode does.
        """
        now = self.now()
        for existing in self.actions.values():
            if existing.state != "PENDING" or existing.target_id != target_id:
                continue
            if shape == "charge" and existing.shape == "charge" and existing.payload == payload:
                return existing
            existing.finish(
                "CANCELLED", now, "CONFLICT", "A newer action for this target has been created."
            )
        outcome = self._action_outcomes.popleft() if self._action_outcomes else ActionOutcome()
        resolve_at = None if outcome.never_resolves else now + timedelta(seconds=self.action_delay)
        action = SimAction(
            id=str(uuid.uuid4()),
            user_id=user_id,
            target_id=target_id,
            target_type=target_type,
            shape=shape,
            payload=payload,
            created_at=now,
            resolve_at=resolve_at,
            outcome=outcome,
            apply=apply,
        )
        self.actions[action.id] = action
        if self.action_delay <= 0:
            self._resolve_actions(now)
        return action

    # --- webhooks -----------------------------------------------------------------------

    def all_devices_json(self) -> dict[str, list[dict[str, Any]]]:
        """Every device of every user, by kind (the state attribute's name)."""
        return {kind: self.devices_json(kind) for kind in KINDS}

    async def pump_webhooks(self) -> None:
        """Bring devices up to now, queue events for what changed and deliver what may go."""
        self.tick()
        if not self.webhooks.hooks:
            return
        self.webhooks.collect(self.all_devices_json(), self.now())
        await self.webhooks.pump(self.now())

    def linked_vendors(self, user_id: str) -> list[dict[str, Any]]:
        """`UserResponse.linkedVendors`: one entry per vendor and kind the user's devices have."""
        linked: dict[tuple[str, str], dict[str, Any]] = {}
        for kind, vendor_type in KINDS.items():
            devices: dict[str, Any] = getattr(self, kind)
            for device in devices.values():
                if device.user_id == user_id:
                    linked.setdefault(
                        (device.vendor, vendor_type),
                        {"vendor": device.vendor, "vendorType": vendor_type, "isValid": True},
                    )
        return list(linked.values())

    # --- scale ----------------------------------------------------------------------------

    def add_copies(self, kind: str, count: int) -> list[str]:
        """`count` more devices of a kind, copies of its first one with ids of their own."""
        devices: dict[str, Any] = getattr(self, kind)
        template = next(iter(devices.values()))
        added: list[str] = []
        for index in range(len(devices), len(devices) + count):
            device_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"enode-sim/{kind}/{index}"))
            copy = replace(template, id=device_id)
            if hasattr(copy, "capabilities"):
                # Each its own: a test may change one device's capabilities alone.
                copy.capabilities = {
                    key: dict(value) for key, value in template.capabilities.items()
                }
            devices[device_id] = copy
            added.append(device_id)
        return added

    # --- lookups ------------------------------------------------------------------------

    def devices_json(self, kind: str, user_id: str | None = None) -> list[dict[str, Any]]:
        """Every device of a kind (of one user), sorted by id."""
        devices: dict[str, Any] = getattr(self, kind)
        now = self.now()
        return [
            device.to_json(now)
            for device in sorted(devices.values(), key=lambda d: d.id)
            if user_id is None or device.user_id == user_id
        ]
