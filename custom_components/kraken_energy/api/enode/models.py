"""Enode devices, actions and interventions as frozen dataclasses.

Field names follow the Enode API (`chargeState.batteryLevel` -> `battery_level`); units are the
API's: percent, km, kW, kWh, A, minutes and °C. Enode enums are open sets: a value this client
does not know parses to None (logged once by the parser), never to a crash or a free-form state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from types import MappingProxyType

from .exceptions import EnodeError


class PowerDeliveryState(StrEnum):
    """`VehiclePowerDeliveryState` and `ChargerPowerDeliveryState` (the charger lacks COMPLETE)."""

    UNKNOWN = "UNKNOWN"
    UNPLUGGED = "UNPLUGGED"
    INITIALIZING = "PLUGGED_IN:INITIALIZING"
    CHARGING = "PLUGGED_IN:CHARGING"
    STOPPED = "PLUGGED_IN:STOPPED"
    COMPLETE = "PLUGGED_IN:COMPLETE"
    NO_POWER = "PLUGGED_IN:NO_POWER"
    FAULT = "PLUGGED_IN:FAULT"
    DISCHARGING = "PLUGGED_IN:DISCHARGING"


class HvacMode(StrEnum):
    """`HvacMode`."""

    UNKNOWN = "UNKNOWN"
    OFF = "OFF"
    AUTO = "AUTO"
    COOL = "COOL"
    HEAT = "HEAT"


class HvacHoldType(StrEnum):
    """`HvacHoldType`: PERMANENT hold, or SCHEDULED (the device follows its own schedule)."""

    PERMANENT = "PERMANENT"
    SCHEDULED = "SCHEDULED"


class HvacCategory(StrEnum):
    """`information.category` of an HVAC unit."""

    HEATING = "HEATING"
    COOLING = "COOLING"
    HEAT_PUMP = "HEAT_PUMP"
    AGGREGATOR = "AGGREGATOR"


class BatteryChargeStatus(StrEnum):
    """A battery's `chargeState.status` as Enode reports it."""

    CHARGING = "CHARGING"
    DISCHARGING = "DISCHARGING"
    IDLE = "IDLE"
    FAULT = "FAULT"
    UNKNOWN = "UNKNOWN"


class BatteryOperationMode(StrEnum):
    """`config.operationMode`; UNKNOWN can be read but never set."""

    IMPORT_FOCUS = "IMPORT_FOCUS"
    EXPORT_FOCUS = "EXPORT_FOCUS"
    TIME_OF_USE = "TIME_OF_USE"
    SELF_RELIANCE = "SELF_RELIANCE"
    UNKNOWN = "UNKNOWN"


class ActionState(StrEnum):
    """`ActionState`: PENDING until the target confirms, fails or the action is cancelled."""

    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class ActionTargetType(StrEnum):
    """The kind of device an action controls (selects the action endpoint)."""

    VEHICLE = "vehicle"
    CHARGER = "charger"
    HVAC = "hvac"
    BATTERY = "battery"


class ChargingAction(StrEnum):
    """`ChargingAction`."""

    START = "START"
    STOP = "STOP"


class VendorType(StrEnum):
    """`VendorType`."""

    VEHICLE = "vehicle"
    CHARGER = "charger"
    HVAC = "hvac"
    INVERTER = "inverter"
    BATTERY = "battery"
    METER = "meter"


class InterventionLanguage(StrEnum):
    """Languages Enode translates intervention resolutions into (falls back to en-US)."""

    EN_US = "en-US"
    EN_GB = "en-GB"
    DE_DE = "de-DE"
    FR_FR = "fr-FR"
    ES_ES = "es-ES"
    PT_PT = "pt-PT"
    NL_NL = "nl-NL"
    NL_BE = "nl-BE"
    NB_NO = "nb-NO"
    SV_SE = "sv-SE"
    DA_DK = "da-DK"
    FI_FI = "fi-FI"
    RO_RO = "ro-RO"


@dataclass(frozen=True, slots=True, kw_only=True)
class Capability:
    """Whether a device can do something; if not, the interventions that would enable it."""

    is_capable: bool
    intervention_ids: tuple[str, ...] = ()


INCAPABLE = Capability(is_capable=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class GeoLocation:
    """Where a device is; `location_id` is the Enode Location it is at, if any."""

    latitude: float | None
    longitude: float | None
    location_id: str | None
    last_updated: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SmartChargingPolicy:
    """Smart charging: charge cheaply by `deadline`, promptly up to the minimum charge limit."""

    is_enabled: bool
    deadline: time | None
    minimum_charge_limit: float


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleCapabilities:
    """`VehicleCapabilities`."""

    information: Capability = INCAPABLE
    charge_state: Capability = INCAPABLE
    location: Capability = INCAPABLE
    odometer: Capability = INCAPABLE
    set_max_current: Capability = INCAPABLE
    start_charging: Capability = INCAPABLE
    stop_charging: Capability = INCAPABLE
    smart_charging: Capability = INCAPABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Vehicle:
    """An electric vehicle (`Vehicle` plus its `location`)."""

    id: str
    user_id: str
    vendor: str
    last_seen: datetime | None
    is_reachable: bool | None
    brand: str | None
    model: str | None
    year: int | None
    vin: str | None
    display_name: str | None
    battery_level: float | None
    range: float | None
    is_plugged_in: bool | None
    is_charging: bool | None
    is_fully_charged: bool | None
    battery_capacity: float | None
    charge_limit: float | None
    charge_rate: float | None
    charge_time_remaining: float | None
    max_current: float | None
    power_delivery_state: PowerDeliveryState | None
    charge_state_updated: datetime | None
    smart_charging_policy: SmartChargingPolicy | None
    odometer: float | None
    location: GeoLocation | None
    capabilities: VehicleCapabilities
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerCapabilities:
    """`ChargerCapabilities`."""

    information: Capability = INCAPABLE
    charge_state: Capability = INCAPABLE
    start_charging: Capability = INCAPABLE
    stop_charging: Capability = INCAPABLE
    set_max_current: Capability = INCAPABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Charger:
    """An EV charger (`Charger`)."""

    id: str
    user_id: str
    vendor: str
    last_seen: datetime | None
    is_reachable: bool | None
    brand: str | None
    model: str | None
    year: int | None
    serial_number: str | None
    is_plugged_in: bool | None
    is_charging: bool | None
    charge_rate: float | None
    max_current: float | None
    power_delivery_state: PowerDeliveryState | None
    charge_state_updated: datetime | None
    location_id: str | None
    capabilities: ChargerCapabilities
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class TemperatureRange:
    """An inclusive range in °C (either end may be unknown)."""

    min: float | None
    max: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HvacCapabilities:
    """The modes and setpoint ranges an HVAC unit accepts, and what it can be told to do."""

    capable_modes: tuple[HvacMode, ...] = ()
    heat_setpoint_range: TemperatureRange | None = None
    cool_setpoint_range: TemperatureRange | None = None
    setpoint_difference_range: TemperatureRange | None = None
    set_follow_schedule: Capability = INCAPABLE
    set_permanent_hold: Capability = INCAPABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Hvac:
    """A heater, air conditioner, heat pump or thermostat (the inline HVAC schema)."""

    id: str
    user_id: str
    vendor: str
    last_seen: datetime | None
    is_reachable: bool | None
    brand: str | None
    model: str | None
    display_name: str | None
    group_name: str | None
    category: HvacCategory | None
    consumption_rate: float | None
    current_temperature: float | None
    is_active: bool | None
    mode: HvacMode | None
    heat_setpoint: float | None
    cool_setpoint: float | None
    hold_type: HvacHoldType | None
    location_id: str | None
    capabilities: HvacCapabilities
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryCapabilities:
    """Which operation modes a battery supports."""

    import_focus: Capability = INCAPABLE
    export_focus: Capability = INCAPABLE
    time_of_use: Capability = INCAPABLE
    self_reliance: Capability = INCAPABLE

    def for_mode(self, mode: BatteryOperationMode) -> Capability:
        """The capability that gates an operation mode (UNKNOWN is never settable)."""
        return {
            BatteryOperationMode.IMPORT_FOCUS: self.import_focus,
            BatteryOperationMode.EXPORT_FOCUS: self.export_focus,
            BatteryOperationMode.TIME_OF_USE: self.time_of_use,
            BatteryOperationMode.SELF_RELIANCE: self.self_reliance,
        }.get(mode, INCAPABLE)

    @property
    def settable_modes(self) -> tuple[BatteryOperationMode, ...]:
        """The operation modes the battery can be switched to."""
        return tuple(
            mode
            for mode in BatteryOperationMode
            if mode is not BatteryOperationMode.UNKNOWN and self.for_mode(mode).is_capable
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Battery:
    """A home battery (`Battery`); `charge_rate` is in kW, positive while charging."""

    id: str
    user_id: str
    vendor: str
    last_seen: datetime | None
    is_reachable: bool | None
    brand: str | None
    model: str | None
    site_name: str | None
    battery_level: float | None
    battery_capacity: float | None
    charge_rate: float | None
    discharge_limit: float | None
    charge_status: BatteryChargeStatus | None
    operation_mode: BatteryOperationMode | None
    location: GeoLocation | None
    capabilities: BatteryCapabilities
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class InverterCapabilities:
    """`InverterCapabilities`."""

    production_state: Capability = INCAPABLE
    production_statistics: Capability = INCAPABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Inverter:
    """A solar inverter (`Inverter`)."""

    id: str
    user_id: str
    vendor: str
    last_seen: datetime | None
    is_reachable: bool | None
    brand: str | None
    model: str | None
    site_name: str | None
    serial_number: str | None
    production_rate: float | None
    is_producing: bool | None
    total_lifetime_production: float | None
    timezone: str | None
    location: GeoLocation | None
    capabilities: InverterCapabilities
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterCapabilities:
    """`MeterCapabilities`."""

    measures_consumption: Capability = INCAPABLE
    measures_production: Capability = INCAPABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Meter:
    """A grid meter (the inline Meter schema); `power` in kW, + import, - export."""

    id: str
    user_id: str
    vendor: str
    last_seen: datetime | None
    is_reachable: bool | None
    brand: str | None
    model: str | None
    site_name: str | None
    power: float | None
    location: GeoLocation | None
    capabilities: MeterCapabilities
    scopes: frozenset[str]


type EnodeDevice = Vehicle | Charger | Hvac | Battery | Inverter | Meter

_NO_FAILURES: Mapping[VendorType, EnodeError] = MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class EnodeDevices:
    """Every device of one Enode user at one moment.

    `failed_kinds` holds each requested kind whose list could not be read this time (a 403
    for a scope the user did not grant, a 404, a connection, timeout or server error, an
    answer that did not parse, or a 429), with the error; that kind's tuple is empty, which
    then means "unknown", not "none": keep the devices last seen of a failed kind.
    """

    vehicles: tuple[Vehicle, ...] = ()
    chargers: tuple[Charger, ...] = ()
    hvacs: tuple[Hvac, ...] = ()
    batteries: tuple[Battery, ...] = ()
    inverters: tuple[Inverter, ...] = ()
    meters: tuple[Meter, ...] = ()
    failed_kinds: Mapping[VendorType, EnodeError] = field(default=_NO_FAILURES, hash=False)

    def __post_init__(self) -> None:
        # A read-only copy: the caller's dict cannot change a frozen result afterwards.
        if self.failed_kinds is not _NO_FAILURES:
            object.__setattr__(
                self,
                "failed_kinds",
                MappingProxyType(dict(self.failed_kinds)) if self.failed_kinds else _NO_FAILURES,
            )

    @property
    def complete(self) -> bool:
        """Whether every requested kind was listed (no kind failed)."""
        return not self.failed_kinds

    def of_kind(self, kind: VendorType) -> tuple[EnodeDevice, ...]:
        """The devices of one kind."""
        by_kind: dict[VendorType, tuple[EnodeDevice, ...]] = {
            VendorType.VEHICLE: self.vehicles,
            VendorType.CHARGER: self.chargers,
            VendorType.HVAC: self.hvacs,
            VendorType.BATTERY: self.batteries,
            VendorType.INVERTER: self.inverters,
            VendorType.METER: self.meters,
        }
        return by_kind[kind]

    def all(self) -> tuple[EnodeDevice, ...]:
        """Every device, vehicles first."""
        return (
            *self.vehicles,
            *self.chargers,
            *self.hvacs,
            *self.batteries,
            *self.inverters,
            *self.meters,
        )

    def device(self, device_id: str) -> EnodeDevice | None:
        """The device with this id."""
        return next((device for device in self.all() if device.id == device_id), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionFailureReason:
    """Why an action failed (`ChargingActionFailureReason`; `type` e.g. NO_RESPONSE)."""

    type: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """A command Enode keeps sending until the device confirms, fails or it is cancelled."""

    id: str
    user_id: str
    target_id: str
    target_type: ActionTargetType
    state: ActionState | None
    created_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    kind: ChargingAction | None = None
    failure_reason: ActionFailureReason | None = None

    @property
    def is_pending(self) -> bool:
        """Still being worked on (an unknown state counts as pending)."""
        return self.state is ActionState.PENDING or self.state is None


@dataclass(frozen=True, slots=True, kw_only=True)
class SmartOverride:
    """A "charge now" override of smart charging; active while `ended_at` is None."""

    target_id: str
    target_type: str
    created_at: datetime | None
    ended_at: datetime | None
    vendor_action_id: str | None

    @property
    def is_active(self) -> bool:
        """Whether the override still applies."""
        return self.ended_at is None


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkSession:
    """A single-use Link UI session (valid 24 hours) for linking a vendor account."""

    link_url: str
    link_token: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Page[T]:
    """One page of a paginated list; `after` is the cursor of the next page (None: last)."""

    items: tuple[T, ...]
    after: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessToken:
    """The token endpoint's answer (RFC 6749 section 5.1); `value` stays out of repr."""

    value: str = field(repr=False)
    expires_in: float | None
    """Lifetime in seconds, when the endpoint said (finite, never negative)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """What a non-2xx answer says: Enode's Problem body (RFC 7807 style), read leniently.

    Every field is None when the body does not have it (or is not JSON). `action_state` is the
    `state` of an action body (a 409 on cancel answers with the action); `missing_scope` is an
    Enode scope (e.g. `hvac:read:data`) named in the title, detail or issues, if any.
    """

    type: str | None = None
    title: str | None = None
    detail: str | None = None
    action_state: str | None = None
    missing_scope: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Intervention:
    """What the user must do to unblock a capability, in the requested language (Markdown)."""

    id: str
    vendor: str | None
    vendor_type: VendorType | None
    brand: str | None
    introduced_at: datetime | None
    domain: str | None
    title: str
    description: str
    access: str | None
    agent: str | None
    action: str | None
