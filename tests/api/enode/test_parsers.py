"""Parsing details: the op-mode and battery-status mappings, wrong types, missing blocks."""

from __future__ import annotations

import math
from typing import Any

import pytest

from custom_components.kraken_energy.api.enode import EnodeParseError
from custom_components.kraken_energy.api.enode.models import (
    ActionState,
    ActionTargetType,
    BatteryChargeStatus,
    PowerDeliveryState,
)
from custom_components.kraken_energy.api.enode.parsers import (
    parse_action,
    parse_battery,
    parse_charger,
    parse_hvac,
    parse_intervention,
    parse_interventions,
    parse_oauth_error,
    parse_problem,
    parse_smart_charging_policy,
    parse_token,
    parse_vehicle,
)
from custom_components.kraken_energy.providers.enode.readings import (
    battery_status_of,
    op_mode,
    power_delivery_op_mode,
)
from custom_components.kraken_energy.readings import BatteryStatus, ChargerOpMode

VEHICLE_OP_MODES = {
    PowerDeliveryState.UNKNOWN: None,
    PowerDeliveryState.UNPLUGGED: ChargerOpMode.DISCONNECTED,
    PowerDeliveryState.INITIALIZING: ChargerOpMode.READY_TO_CHARGE,
    PowerDeliveryState.CHARGING: ChargerOpMode.CHARGING,
    PowerDeliveryState.STOPPED: ChargerOpMode.AWAITING_START,
    PowerDeliveryState.COMPLETE: ChargerOpMode.COMPLETED,
    PowerDeliveryState.NO_POWER: ChargerOpMode.AWAITING_START,
    PowerDeliveryState.FAULT: ChargerOpMode.ERROR,
    PowerDeliveryState.DISCHARGING: None,
}


@pytest.mark.parametrize(("state", "expected"), VEHICLE_OP_MODES.items())
def test_every_power_delivery_state_maps(
    state: PowerDeliveryState, expected: ChargerOpMode | None
) -> None:
    assert power_delivery_op_mode(state) is expected
    charger_expected = (
        ChargerOpMode.READY_TO_CHARGE if state is PowerDeliveryState.NO_POWER else expected
    )
    assert power_delivery_op_mode(state, charger=True) is charger_expected


def test_mapping_covers_every_spec_value() -> None:
    assert set(VEHICLE_OP_MODES) == set(PowerDeliveryState)
    assert power_delivery_op_mode(None) is None


def charger(state: str) -> dict[str, Any]:
    return {
        "id": "c",
        "userId": "u",
        "vendor": "ZAPTEC",
        "chargeState": {"powerDeliveryState": state},
    }


def test_charger_no_power_is_ready_to_charge() -> None:
    parsed = parse_charger(charger("PLUGGED_IN:NO_POWER"))
    assert op_mode(parsed) is ChargerOpMode.READY_TO_CHARGE
    # Blocks the device does not report parse to None / not capable.
    assert parsed.max_current is None
    assert parsed.location_id is None
    assert not parsed.capabilities.start_charging.is_capable


@pytest.mark.parametrize(
    ("status", "rate", "expected"),
    [
        ("CHARGING", 2.0, BatteryStatus.CHARGING),
        ("DISCHARGING", -2.0, BatteryStatus.DISCHARGING),
        ("IDLE", 0.0, BatteryStatus.IDLE),
        ("FAULT", 0.0, BatteryStatus.FAULT),
        ("UNKNOWN", 1.5, BatteryStatus.CHARGING),
        ("UNKNOWN", -1.5, BatteryStatus.DISCHARGING),
        (None, 0.0, BatteryStatus.IDLE),
        (None, None, None),
    ],
)
def test_battery_status(status: str | None, rate: float | None, expected: BatteryStatus) -> None:
    battery = parse_battery(
        {
            "id": "b",
            "userId": "u",
            "vendor": "TESLA",
            "chargeState": {"status": status, "chargeRate": rate},
        }
    )
    assert battery_status_of(battery) is expected
    if status is not None:
        assert battery.charge_status is BatteryChargeStatus(status)


def test_wrong_type_names_the_field() -> None:
    with pytest.raises(EnodeParseError, match=r"vehicle\.chargeState\.batteryLevel"):
        parse_vehicle(
            {"id": "v", "userId": "u", "vendor": "TESLA", "chargeState": {"batteryLevel": "lots"}}
        )
    with pytest.raises(EnodeParseError, match=r"vehicle\.id"):
        parse_vehicle({"userId": "u", "vendor": "TESLA"})
    with pytest.raises(EnodeParseError, match=r"smartChargingPolicy\.deadline"):
        parse_vehicle(
            {"id": "v", "userId": "u", "vendor": "X", "smartChargingPolicy": {"deadline": "7am"}}
        )
    with pytest.raises(EnodeParseError, match="expected an object"):
        parse_vehicle(["not", "an", "object"])


def test_action_failure_reason_and_unknown_state() -> None:
    action = parse_action(
        {
            "id": "a",
            "userId": "u",
            "targetId": "v",
            "targetType": "vehicle",
            "state": "FAILED",
            "kind": "START",
            "failureReason": {"type": "NO_RESPONSE", "detail": "Unreachable."},
            "createdAt": "2025-01-01T10:00:00Z",
            "updatedAt": "2025-01-01T10:01:00.123Z",
            "completedAt": None,
        },
        ActionTargetType.VEHICLE,
    )
    assert action.state is ActionState.FAILED
    assert action.failure_reason is not None
    assert action.failure_reason.detail == "Unreachable."
    assert action.created_at is not None
    assert action.created_at.tzinfo is not None
    pending = parse_action({"id": "a", "targetId": "h", "state": "QUEUED"}, ActionTargetType.HVAC)
    assert pending.state is None
    assert pending.is_pending
    assert pending.target_type is ActionTargetType.HVAC


def test_generic_intervention_with_null_vendor() -> None:
    parsed = parse_intervention(
        {
            "id": "i",
            "vendor": None,
            "vendorType": None,
            "brand": None,
            "introducedAt": "2023-03-16T00:00:00Z",
            "domain": "Account",
            "resolution": {
                "title": "Accept the terms",
                "description": "**Open** the app",
                "access": "Remote",
                "agent": "User",
                "action": None,
            },
        }
    )
    assert parsed.vendor is None
    assert parsed.action is None
    assert parsed.description == "**Open** the app"


def vehicle(**information: Any) -> dict[str, Any]:
    return {"id": "v", "userId": "u", "vendor": "TESLA", "information": information}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (math.nan, None),
        (math.inf, None),
        (-math.inf, None),
        (1e999, None),
        (10**400, None),
        (2**53 + 2, None),
        (2022.0, 2022),
        (2022, 2022),
        (None, None),
    ],
)
def test_vehicle_year_never_raises_from_int(year: Any, expected: int | None) -> None:
    assert parse_vehicle(vehicle(year=year)).year == expected


@pytest.mark.parametrize("year", ["NaN", "2022", True, 2022.5, [2022]])
def test_vehicle_year_of_the_wrong_type_is_a_parse_error(year: Any) -> None:
    with pytest.raises(EnodeParseError, match=r"information\.year"):
        parse_vehicle(vehicle(year=year))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, -(10**400)])
def test_non_finite_readings_are_unknown(value: float) -> None:
    parsed = parse_hvac(
        {
            "id": "h",
            "userId": "u",
            "vendor": "X",
            "consumptionRate": value,
            "temperatureState": {"currentTemperature": value},
            "thermostatState": {"heatSetpoint": value, "coolSetpoint": value},
            "capabilities": {"heatSetpointRange": {"min": value, "max": value}},
        }
    )
    assert parsed.consumption_rate is None
    assert parsed.current_temperature is None
    assert parsed.heat_setpoint is None
    assert parsed.capabilities.heat_setpoint_range is not None
    assert parsed.capabilities.heat_setpoint_range.min is None
    policy = parse_smart_charging_policy({"minimumChargeLimit": value}, "policy")
    assert policy is not None
    assert policy.minimum_charge_limit == 0.0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999", "52"])
def test_numbers_sent_as_strings_are_a_parse_error(value: str) -> None:
    # The spec types readings as JSON numbers; a string is a malformed answer, not a reading.
    with pytest.raises(EnodeParseError, match=r"chargeState\.batteryLevel"):
        parse_vehicle({**vehicle(), "chargeState": {"batteryLevel": value}})


@pytest.mark.parametrize(("value", "expected"), [(True, True), ("false", False), ("TRUE", True)])
def test_booleans(value: Any, expected: bool) -> None:
    parsed = parse_vehicle({**vehicle(), "chargeState": {"isCharging": value}})
    assert parsed.is_charging is expected


@pytest.mark.parametrize("value", [1, 0, "yes", "", [True], 1.0])
def test_not_booleans_are_a_parse_error(value: Any) -> None:
    with pytest.raises(EnodeParseError, match=r"chargeState\.isCharging"):
        parse_vehicle({**vehicle(), "chargeState": {"isCharging": value}})


@pytest.mark.parametrize(
    ("expires_in", "expected"),
    [
        (3600, 3600.0),
        ("3600", 3600.0),
        (math.nan, None),
        ("NaN", None),
        (math.inf, None),
        ("1e999", None),
        (10**400, None),
        (-5, 0.0),
        (None, None),
    ],
)
def test_token_lifetime(expires_in: Any, expected: float | None) -> None:
    token = parse_token({"access_token": "tok", "token_type": "Bearer", "expires_in": expires_in})
    assert token.expires_in == expected
    assert "tok" not in repr(token)


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {},
        {"access_token": None},
        {"access_token": "tok", "token_type": "mac"},
        {"access_token": "tok\r\nX-Injected: 1"},
        {"access_token": "tök"},
        {"access_token": "tok", "expires_in": "soon"},
    ],
)
def test_not_a_token(body: Any) -> None:
    with pytest.raises(EnodeParseError):
        parse_token(body)


def test_problem_is_read_leniently() -> None:
    assert parse_problem(None).title is None
    assert parse_problem(["x"]).detail is None
    problem = parse_problem({"type": 5, "title": " Forbidden ", "detail": "", "state": "CONFIRMED"})
    assert problem.type is None
    assert problem.title == "Forbidden"
    assert problem.detail is None
    assert problem.action_state == "CONFIRMED"
    assert parse_problem({"detail": "Needs the meter:read:location scope"}).missing_scope == (
        "meter:read:location"
    )
    assert parse_problem({"issues": ["charger:control:charging"]}).missing_scope == (
        "charger:control:charging"
    )
    assert parse_problem({"detail": "vehicle:fly:away is no scope"}).missing_scope is None


def test_oauth_error_is_read_leniently() -> None:
    assert parse_oauth_error({"error": "invalid_grant"}) == "invalid_grant"
    assert parse_oauth_error({"error": ""}) is None
    assert parse_oauth_error({"error": 7}) is None
    assert parse_oauth_error("invalid_client") is None


def test_interventions_must_be_a_list() -> None:
    assert parse_interventions([]) == ()
    bodies: list[Any] = [None, {}, {"data": []}]
    for body in bodies:
        with pytest.raises(EnodeParseError):
            parse_interventions(body)
