"""Turn Enode JSON into the dataclasses of `models`.

A field of the wrong type raises EnodeParseError naming its path, never a bare KeyError or
TypeError. A missing optional block parses to None. Enum values the client does not know parse
to None and are logged once per enum and value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from enum import StrEnum
import logging
import re
from typing import Any

from ..json_fields import JsonFields
from .exceptions import EnodeParseError
from .models import (
    AccessToken,
    Action,
    ActionFailureReason,
    ActionState,
    ActionTargetType,
    Battery,
    BatteryCapabilities,
    BatteryChargeStatus,
    BatteryOperationMode,
    Capability,
    Charger,
    ChargerCapabilities,
    ChargingAction,
    GeoLocation,
    Hvac,
    HvacCapabilities,
    HvacCategory,
    HvacHoldType,
    HvacMode,
    Intervention,
    Inverter,
    InverterCapabilities,
    LinkSession,
    Meter,
    MeterCapabilities,
    Page,
    PowerDeliveryState,
    Problem,
    SmartChargingPolicy,
    SmartOverride,
    TemperatureRange,
    Vehicle,
    VehicleCapabilities,
    VendorType,
)

_LOGGER = logging.getLogger(__name__)
_UNKNOWN_LOGGED: set[tuple[str, str]] = set()


_FIELDS = JsonFields(EnodeParseError)
as_dict = _FIELDS.as_dict
opt_dict = _FIELDS.opt_dict
as_list = _FIELDS.as_list
required_list = _FIELDS.required_list
as_str = _FIELDS.as_str
opt_datetime = _FIELDS.opt_datetime
opt_number = _FIELDS.opt_number
"""An optional finite number: NaN, infinities and out-of-range numbers read as None."""
opt_int = _FIELDS.opt_int
"""An optional whole number; None if not finite or beyond 2**53 (never raises on NaN)."""
opt_bool = _FIELDS.opt_bool

# Unknown enum values are logged once each; past this many, no more are remembered (or
# logged), so a misbehaving server cannot grow the set without bound.
_UNKNOWN_LOG_LIMIT = 256
# An Enode scope, as the link session's `Scopes` enum spells them (`hvac:read:data`, ...).
_SCOPE = re.compile(r"\b(?:vehicle|charger|hvac|battery|inverter|meter):(?:read|control):[a-z_]+\b")
# RFC 6749 appendix A.12: an access token is one or more visible ASCII characters (or spaces);
# anything else could not be sent in an Authorization header.
_ACCESS_TOKEN = re.compile(r"[\x20-\x7e]+")


def opt_str(value: Any, path: str) -> str | None:
    """An optional string."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise EnodeParseError(f"{path}: expected a string, got {type(value).__name__}")
    return value


def opt_hour_minute(value: Any, path: str) -> time | None:
    """An optional "HH:MM" time of day."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    # Only a string is shown: repr() of a huge integer or a deeply nested list can raise.
    shown = f"{value!r:.40}" if isinstance(value, str) else type(value).__name__
    raise EnodeParseError(f"{path}: expected HH:MM, got {shown}")


def opt_enum[E: StrEnum](enum: type[E], value: Any, path: str) -> E | None:
    """A member of an open enum; unknown values are None and logged once."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise EnodeParseError(f"{path}: expected a string, got {type(value).__name__}")
    try:
        return enum(value)
    except ValueError:
        key = (enum.__name__, value)
        if key not in _UNKNOWN_LOGGED and len(_UNKNOWN_LOGGED) < _UNKNOWN_LOG_LIMIT:
            _UNKNOWN_LOGGED.add(key)
            _LOGGER.warning(
                "Unknown Enode %s %.60r at %s; treated as unknown", enum.__name__, value, path
            )
        return None


def parse_capability(value: Any, path: str) -> Capability:
    """A `Capability`; a missing one counts as not capable."""
    if value is None:
        return Capability(is_capable=False)
    data = as_dict(value, path)
    return Capability(
        is_capable=opt_bool(data.get("isCapable"), f"{path}.isCapable") is True,
        intervention_ids=tuple(
            as_str(item, f"{path}.interventionIds[]")
            for item in as_list(data.get("interventionIds"), f"{path}.interventionIds")
        ),
    )


def _capabilities(data: dict[str, Any], path: str, names: dict[str, str]) -> dict[str, Capability]:
    block = opt_dict(data.get("capabilities"), f"{path}.capabilities")
    return {
        attribute: parse_capability(block.get(key), f"{path}.capabilities.{key}")
        for key, attribute in names.items()
    }


def _scopes(data: dict[str, Any], path: str) -> frozenset[str]:
    return frozenset(
        as_str(scope, f"{path}.scopes[]") for scope in as_list(data.get("scopes"), f"{path}.scopes")
    )


def _location(value: Any, path: str) -> GeoLocation | None:
    if value is None:
        return None
    data = as_dict(value, path)
    return GeoLocation(
        latitude=opt_number(data.get("latitude"), f"{path}.latitude"),
        longitude=opt_number(data.get("longitude"), f"{path}.longitude"),
        location_id=opt_str(data.get("id"), f"{path}.id"),
        last_updated=opt_datetime(data.get("lastUpdated"), f"{path}.lastUpdated"),
    )


def _common(data: dict[str, Any], path: str) -> dict[str, Any]:
    return {
        "id": as_str(data.get("id"), f"{path}.id"),
        "user_id": as_str(data.get("userId"), f"{path}.userId"),
        "vendor": as_str(data.get("vendor"), f"{path}.vendor"),
        "last_seen": opt_datetime(data.get("lastSeen"), f"{path}.lastSeen"),
        "is_reachable": opt_bool(data.get("isReachable"), f"{path}.isReachable"),
        "scopes": _scopes(data, path),
    }


def parse_smart_charging_policy(value: Any, path: str) -> SmartChargingPolicy | None:
    """A `VehicleSmartChargingPolicy`."""
    if value is None:
        return None
    data = as_dict(value, path)
    return SmartChargingPolicy(
        is_enabled=opt_bool(data.get("isEnabled"), f"{path}.isEnabled") is True,
        deadline=opt_hour_minute(data.get("deadline"), f"{path}.deadline"),
        minimum_charge_limit=opt_number(
            data.get("minimumChargeLimit"), f"{path}.minimumChargeLimit"
        )
        or 0.0,
    )


def parse_vehicle(value: Any, path: str = "vehicle") -> Vehicle:
    """A `Vehicle` (with its `location`)."""
    data = as_dict(value, path)
    info = opt_dict(data.get("information"), f"{path}.information")
    charge = opt_dict(data.get("chargeState"), f"{path}.chargeState")
    odometer = opt_dict(data.get("odometer"), f"{path}.odometer")
    cs = f"{path}.chargeState"
    return Vehicle(
        **_common(data, path),
        brand=opt_str(info.get("brand"), f"{path}.information.brand"),
        model=opt_str(info.get("model"), f"{path}.information.model"),
        year=opt_int(info.get("year"), f"{path}.information.year"),
        vin=opt_str(info.get("vin"), f"{path}.information.vin"),
        display_name=opt_str(info.get("displayName"), f"{path}.information.displayName"),
        battery_level=opt_number(charge.get("batteryLevel"), f"{cs}.batteryLevel"),
        range=opt_number(charge.get("range"), f"{cs}.range"),
        is_plugged_in=opt_bool(charge.get("isPluggedIn"), f"{cs}.isPluggedIn"),
        is_charging=opt_bool(charge.get("isCharging"), f"{cs}.isCharging"),
        is_fully_charged=opt_bool(charge.get("isFullyCharged"), f"{cs}.isFullyCharged"),
        battery_capacity=opt_number(charge.get("batteryCapacity"), f"{cs}.batteryCapacity"),
        charge_limit=opt_number(charge.get("chargeLimit"), f"{cs}.chargeLimit"),
        charge_rate=opt_number(charge.get("chargeRate"), f"{cs}.chargeRate"),
        charge_time_remaining=opt_number(
            charge.get("chargeTimeRemaining"), f"{cs}.chargeTimeRemaining"
        ),
        max_current=opt_number(charge.get("maxCurrent"), f"{cs}.maxCurrent"),
        power_delivery_state=opt_enum(
            PowerDeliveryState, charge.get("powerDeliveryState"), f"{cs}.powerDeliveryState"
        ),
        charge_state_updated=opt_datetime(charge.get("lastUpdated"), f"{cs}.lastUpdated"),
        smart_charging_policy=parse_smart_charging_policy(
            data.get("smartChargingPolicy"), f"{path}.smartChargingPolicy"
        ),
        odometer=opt_number(odometer.get("distance"), f"{path}.odometer.distance"),
        location=_location(data.get("location"), f"{path}.location"),
        capabilities=VehicleCapabilities(
            **_capabilities(
                data,
                path,
                {
                    "information": "information",
                    "chargeState": "charge_state",
                    "location": "location",
                    "odometer": "odometer",
                    "setMaxCurrent": "set_max_current",
                    "startCharging": "start_charging",
                    "stopCharging": "stop_charging",
                    "smartCharging": "smart_charging",
                },
            )
        ),
    )


def parse_charger(value: Any, path: str = "charger") -> Charger:
    """A `Charger`."""
    data = as_dict(value, path)
    info = opt_dict(data.get("information"), f"{path}.information")
    charge = opt_dict(data.get("chargeState"), f"{path}.chargeState")
    location = opt_dict(data.get("location"), f"{path}.location")
    cs = f"{path}.chargeState"
    return Charger(
        **_common(data, path),
        brand=opt_str(info.get("brand"), f"{path}.information.brand"),
        model=opt_str(info.get("model"), f"{path}.information.model"),
        year=opt_int(info.get("year"), f"{path}.information.year"),
        serial_number=opt_str(info.get("serialNumber"), f"{path}.information.serialNumber"),
        is_plugged_in=opt_bool(charge.get("isPluggedIn"), f"{cs}.isPluggedIn"),
        is_charging=opt_bool(charge.get("isCharging"), f"{cs}.isCharging"),
        charge_rate=opt_number(charge.get("chargeRate"), f"{cs}.chargeRate"),
        max_current=opt_number(charge.get("maxCurrent"), f"{cs}.maxCurrent"),
        power_delivery_state=opt_enum(
            PowerDeliveryState, charge.get("powerDeliveryState"), f"{cs}.powerDeliveryState"
        ),
        charge_state_updated=opt_datetime(charge.get("lastUpdated"), f"{cs}.lastUpdated"),
        location_id=opt_str(location.get("id"), f"{path}.location.id"),
        capabilities=ChargerCapabilities(
            **_capabilities(
                data,
                path,
                {
                    "information": "information",
                    "chargeState": "charge_state",
                    "startCharging": "start_charging",
                    "stopCharging": "stop_charging",
                    "setMaxCurrent": "set_max_current",
                },
            )
        ),
    )


def _temperature_range(value: Any, path: str) -> TemperatureRange | None:
    if value is None:
        return None
    data = as_dict(value, path)
    return TemperatureRange(
        min=opt_number(data.get("min"), f"{path}.min"),
        max=opt_number(data.get("max"), f"{path}.max"),
    )


def parse_hvac(value: Any, path: str = "hvac") -> Hvac:
    """An HVAC unit."""
    data = as_dict(value, path)
    info = opt_dict(data.get("information"), f"{path}.information")
    temperature = opt_dict(data.get("temperatureState"), f"{path}.temperatureState")
    thermostat = opt_dict(data.get("thermostatState"), f"{path}.thermostatState")
    capabilities = opt_dict(data.get("capabilities"), f"{path}.capabilities")
    location = opt_dict(data.get("location"), f"{path}.location")
    caps = f"{path}.capabilities"
    ts = f"{path}.thermostatState"
    modes = (
        opt_enum(HvacMode, mode, f"{caps}.capableModes[]")
        for mode in as_list(capabilities.get("capableModes"), f"{caps}.capableModes")
    )
    return Hvac(
        **_common(data, path),
        brand=opt_str(info.get("brand"), f"{path}.information.brand"),
        model=opt_str(info.get("model"), f"{path}.information.model"),
        display_name=opt_str(info.get("displayName"), f"{path}.information.displayName"),
        group_name=opt_str(info.get("groupName"), f"{path}.information.groupName"),
        category=opt_enum(HvacCategory, info.get("category"), f"{path}.information.category"),
        consumption_rate=opt_number(data.get("consumptionRate"), f"{path}.consumptionRate"),
        current_temperature=opt_number(
            temperature.get("currentTemperature"), f"{path}.temperatureState.currentTemperature"
        ),
        is_active=opt_bool(temperature.get("isActive"), f"{path}.temperatureState.isActive"),
        mode=opt_enum(HvacMode, thermostat.get("mode"), f"{ts}.mode"),
        heat_setpoint=opt_number(thermostat.get("heatSetpoint"), f"{ts}.heatSetpoint"),
        cool_setpoint=opt_number(thermostat.get("coolSetpoint"), f"{ts}.coolSetpoint"),
        hold_type=opt_enum(HvacHoldType, thermostat.get("holdType"), f"{ts}.holdType"),
        location_id=opt_str(location.get("id"), f"{path}.location.id"),
        capabilities=HvacCapabilities(
            capable_modes=tuple(mode for mode in modes if mode is not None),
            heat_setpoint_range=_temperature_range(
                capabilities.get("heatSetpointRange"), f"{caps}.heatSetpointRange"
            ),
            cool_setpoint_range=_temperature_range(
                capabilities.get("coolSetpointRange"), f"{caps}.coolSetpointRange"
            ),
            setpoint_difference_range=_temperature_range(
                capabilities.get("setpointDifferenceRange"), f"{caps}.setpointDifferenceRange"
            ),
            set_follow_schedule=parse_capability(
                capabilities.get("setFollowSchedule"), f"{caps}.setFollowSchedule"
            ),
            set_permanent_hold=parse_capability(
                capabilities.get("setPermanentHold"), f"{caps}.setPermanentHold"
            ),
        ),
    )


def parse_battery(value: Any, path: str = "battery") -> Battery:
    """A `Battery`."""
    data = as_dict(value, path)
    info = opt_dict(data.get("information"), f"{path}.information")
    charge = opt_dict(data.get("chargeState"), f"{path}.chargeState")
    config = opt_dict(data.get("config"), f"{path}.config")
    cs = f"{path}.chargeState"
    return Battery(
        **_common(data, path),
        brand=opt_str(info.get("brand"), f"{path}.information.brand"),
        model=opt_str(info.get("model"), f"{path}.information.model"),
        site_name=opt_str(info.get("siteName"), f"{path}.information.siteName"),
        battery_level=opt_number(charge.get("batteryLevel"), f"{cs}.batteryLevel"),
        battery_capacity=opt_number(charge.get("batteryCapacity"), f"{cs}.batteryCapacity"),
        charge_rate=opt_number(charge.get("chargeRate"), f"{cs}.chargeRate"),
        discharge_limit=opt_number(charge.get("dischargeLimit"), f"{cs}.dischargeLimit"),
        charge_status=opt_enum(BatteryChargeStatus, charge.get("status"), f"{cs}.status"),
        operation_mode=opt_enum(
            BatteryOperationMode, config.get("operationMode"), f"{path}.config.operationMode"
        ),
        location=_location(data.get("location"), f"{path}.location"),
        capabilities=BatteryCapabilities(
            **_capabilities(
                data,
                path,
                {
                    "importFocus": "import_focus",
                    "exportFocus": "export_focus",
                    "timeOfUse": "time_of_use",
                    "selfReliance": "self_reliance",
                },
            )
        ),
    )


def parse_inverter(value: Any, path: str = "inverter") -> Inverter:
    """An `Inverter`."""
    data = as_dict(value, path)
    info = opt_dict(data.get("information"), f"{path}.information")
    production = opt_dict(data.get("productionState"), f"{path}.productionState")
    ps = f"{path}.productionState"
    return Inverter(
        **_common(data, path),
        brand=opt_str(info.get("brand"), f"{path}.information.brand"),
        model=opt_str(info.get("model"), f"{path}.information.model"),
        site_name=opt_str(info.get("siteName"), f"{path}.information.siteName"),
        serial_number=opt_str(info.get("sn"), f"{path}.information.sn"),
        production_rate=opt_number(production.get("productionRate"), f"{ps}.productionRate"),
        is_producing=opt_bool(production.get("isProducing"), f"{ps}.isProducing"),
        total_lifetime_production=opt_number(
            production.get("totalLifetimeProduction"), f"{ps}.totalLifetimeProduction"
        ),
        timezone=opt_str(data.get("timezone"), f"{path}.timezone"),
        location=_location(data.get("location"), f"{path}.location"),
        capabilities=InverterCapabilities(
            **_capabilities(
                data,
                path,
                {
                    "productionState": "production_state",
                    "productionStatistics": "production_statistics",
                },
            )
        ),
    )


def parse_meter(value: Any, path: str = "meter") -> Meter:
    """A meter."""
    data = as_dict(value, path)
    info = opt_dict(data.get("information"), f"{path}.information")
    energy = opt_dict(data.get("energyState"), f"{path}.energyState")
    return Meter(
        **_common(data, path),
        brand=opt_str(info.get("brand"), f"{path}.information.brand"),
        model=opt_str(info.get("model"), f"{path}.information.model"),
        site_name=opt_str(info.get("siteName"), f"{path}.information.siteName"),
        power=opt_number(energy.get("power"), f"{path}.energyState.power"),
        location=_location(data.get("location"), f"{path}.location"),
        capabilities=MeterCapabilities(
            **_capabilities(
                data,
                path,
                {
                    "measuresConsumption": "measures_consumption",
                    "measuresProduction": "measures_production",
                },
            )
        ),
    )


def parse_action(value: Any, target_type: ActionTargetType, path: str = "action") -> Action:
    """Any Enode action (charge, max current, HVAC hold/schedule, battery operation mode)."""
    data = as_dict(value, path)
    reason = data.get("failureReason")
    failure = None
    if reason is not None:
        reason_data = as_dict(reason, f"{path}.failureReason")
        failure = ActionFailureReason(
            type=opt_str(reason_data.get("type"), f"{path}.failureReason.type") or "UNKNOWN",
            detail=opt_str(reason_data.get("detail"), f"{path}.failureReason.detail") or "",
        )
    raw_target = opt_str(data.get("targetType"), f"{path}.targetType")
    try:
        parsed_target = ActionTargetType(raw_target) if raw_target else target_type
    except ValueError:
        parsed_target = target_type
    return Action(
        id=as_str(data.get("id"), f"{path}.id"),
        user_id=opt_str(data.get("userId"), f"{path}.userId") or "",
        target_id=as_str(data.get("targetId"), f"{path}.targetId"),
        target_type=parsed_target,
        state=opt_enum(ActionState, data.get("state"), f"{path}.state"),
        created_at=opt_datetime(data.get("createdAt"), f"{path}.createdAt"),
        updated_at=opt_datetime(data.get("updatedAt"), f"{path}.updatedAt"),
        completed_at=opt_datetime(data.get("completedAt"), f"{path}.completedAt"),
        kind=opt_enum(ChargingAction, data.get("kind"), f"{path}.kind"),
        failure_reason=failure,
    )


def parse_smart_override(value: Any, path: str = "smartOverride") -> SmartOverride:
    """A `SmartOverrideStatus`."""
    data = as_dict(value, path)
    return SmartOverride(
        target_id=as_str(data.get("targetId"), f"{path}.targetId"),
        target_type=opt_str(data.get("targetType"), f"{path}.targetType") or "vehicle",
        created_at=opt_datetime(data.get("createdAt"), f"{path}.createdAt"),
        ended_at=opt_datetime(data.get("endedAt"), f"{path}.endedAt"),
        vendor_action_id=opt_str(data.get("vendorActionId"), f"{path}.vendorActionId"),
    )


def parse_link_session(value: Any, path: str = "link") -> LinkSession:
    """A `LinkUserResponse`."""
    data = as_dict(value, path)
    return LinkSession(
        link_url=as_str(data.get("linkUrl"), f"{path}.linkUrl"),
        link_token=as_str(data.get("linkToken"), f"{path}.linkToken"),
    )


def parse_intervention(value: Any, path: str = "intervention") -> Intervention:
    """An `Intervention` with its localized resolution."""
    data = as_dict(value, path)
    resolution = as_dict(data.get("resolution"), f"{path}.resolution")
    return Intervention(
        id=as_str(data.get("id"), f"{path}.id"),
        vendor=opt_str(data.get("vendor"), f"{path}.vendor"),
        vendor_type=opt_enum(VendorType, data.get("vendorType"), f"{path}.vendorType"),
        brand=opt_str(data.get("brand"), f"{path}.brand"),
        introduced_at=opt_datetime(data.get("introducedAt"), f"{path}.introducedAt"),
        domain=opt_str(data.get("domain"), f"{path}.domain"),
        title=opt_str(resolution.get("title"), f"{path}.resolution.title") or "",
        description=opt_str(resolution.get("description"), f"{path}.resolution.description") or "",
        access=opt_str(resolution.get("access"), f"{path}.resolution.access"),
        agent=opt_str(resolution.get("agent"), f"{path}.resolution.agent"),
        action=opt_str(resolution.get("action"), f"{path}.resolution.action"),
    )


def parse_interventions(value: Any, path: str = "interventions") -> tuple[Intervention, ...]:
    """An `InterventionsList` (a plain array; it must be one)."""
    return tuple(
        parse_intervention(item, f"{path}[{index}]")
        for index, item in enumerate(required_list(value, path))
    )


def parse_page[T](
    value: Any, path: str, parse_item: Callable[[Any, str], T], start: int = 0
) -> Page[T]:
    """One page of a `Paginated*List`: `{data: T[], pagination: {after, before}}`.

    Both keys are required by the spec and so is `pagination.after` (null on the last page):
    a page without them is a parse error, never an empty or final page, since reading it so
    would make devices look gone. One item that does not parse fails the page (the spec
    requires every device field; skipping the item would make that device look removed).
    `start` numbers the items in error paths across pages.
    """
    data = as_dict(value, path)
    items = tuple(
        parse_item(item, f"{path}.data[{start + index}]")
        for index, item in enumerate(required_list(data.get("data"), f"{path}.data"))
    )
    pagination = as_dict(data.get("pagination"), f"{path}.pagination")
    if "after" not in pagination:
        raise EnodeParseError(f"{path}.pagination.after: missing")
    after = opt_str(pagination.get("after"), f"{path}.pagination.after")
    opt_str(pagination.get("before"), f"{path}.pagination.before")
    return Page(items=items, after=after or None)


def parse_token(value: Any, path: str = "token") -> AccessToken:
    """The token endpoint's successful answer (RFC 6749 section 5.1)."""
    data = as_dict(value, path)
    token = as_str(data.get("access_token"), f"{path}.access_token")
    if not _ACCESS_TOKEN.fullmatch(token):
        raise EnodeParseError(f"{path}.access_token: not a valid access token")
    token_type = opt_str(data.get("token_type"), f"{path}.token_type")
    if token_type is not None and token_type.lower() != "bearer":
        raise EnodeParseError(f"{path}.token_type: expected bearer, got {token_type!r:.40}")
    expires_in = opt_number(data.get("expires_in"), f"{path}.expires_in", strings=True)
    return AccessToken(value=token, expires_in=None if expires_in is None else max(0.0, expires_in))


def parse_oauth_error(value: Any) -> str | None:
    """The `error` code of an OAuth 2 error body (RFC 6749 section 5.2), else None.

    Lenient: any JSON value (or None for a body that was not JSON) is accepted.
    """
    if not isinstance(value, dict):
        return None
    error = value.get("error")
    return (error.strip() or None) if isinstance(error, str) else None


def parse_problem(value: Any) -> Problem:
    """What an error answer says (Enode's Problem body), leniently: it never raises.

    `value` is the decoded JSON of the body, or None when it was not JSON; fields of the
    wrong type read as None.
    """
    if not isinstance(value, dict):
        return Problem()

    def text(key: str) -> str | None:
        item = value.get(key)
        return (item.strip() or None) if isinstance(item, str) else None

    title, detail = text("title"), text("detail")
    return Problem(
        type=text("type"),
        title=title,
        detail=detail,
        action_state=text("state"),
        missing_scope=_missing_scope(title, detail, value.get("issues")),
    )


def _missing_scope(title: str | None, detail: str | None, issues: Any) -> str | None:
    """The first Enode scope named in a Problem's detail, title or issues."""
    texts = [detail, title]
    if isinstance(issues, list):
        for issue in issues[:20]:
            if isinstance(issue, str):
                texts.append(issue)
            elif isinstance(issue, dict):
                texts.extend(item for item in issue.values() if isinstance(item, str))
    for text in texts:
        if text and (match := _SCOPE.search(text)):
            return match.group(0)
    return None
