"""Parsing details: the op-mode and battery-status mappings, wrong types, missing blocks."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.kraken_energy.api.enode import EnodeParseError
from custom_components.kraken_energy.api.enode.models import (
    ActionState,
    ActionTargetType,
    BatteryChargeStatus,
    PowerDeliveryState,
    power_delivery_op_mode,
)
from custom_components.kraken_energy.api.enode.parsers import (
    parse_action,
    parse_battery,
    parse_charger,
    parse_intervention,
    parse_vehicle,
)
from custom_components.kraken_energy.model import BatteryStatus, ChargerOpMode

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
    assert parsed.op_mode is ChargerOpMode.READY_TO_CHARGE
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
    assert battery.status is expected
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
