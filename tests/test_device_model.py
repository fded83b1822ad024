"""Provider values map into the canonical device states; unknown values map to None."""

from __future__ import annotations

import pytest

from custom_components.kraken_energy.providers.kraken.readings import smartflex_op_mode
from custom_components.kraken_energy.readings import BatteryStatus, ChargerOpMode, battery_status


@pytest.mark.parametrize(
    ("state", "dispatching", "expected"),
    [
        ("SMART_CONTROL_NOT_AVAILABLE", False, ChargerOpMode.DISCONNECTED),
        ("SMART_CONTROL_CAPABLE", False, ChargerOpMode.READY_TO_CHARGE),
        ("SMART_CONTROL_IN_PROGRESS", False, ChargerOpMode.AWAITING_START),
        ("SMART_CONTROL_IN_PROGRESS", True, ChargerOpMode.CHARGING),
        ("BOOSTING", False, ChargerOpMode.CHARGING),
        ("LOST_CONNECTION", False, ChargerOpMode.ERROR),
        ("AUTHENTICATION_FAILED", False, ChargerOpMode.ERROR),
        ("SMART_CONTROL_OFF", False, None),
        ("RETIRED", False, None),
        ("A_STATE_FROM_THE_FUTURE", True, None),
        (None, False, None),
    ],
)
def test_smartflex_state_to_op_mode(
    state: str | None, dispatching: bool, expected: ChargerOpMode | None
) -> None:
    assert smartflex_op_mode(state, dispatching=dispatching) is expected


@pytest.mark.parametrize(
    ("power", "online", "expected"),
    [
        (2.5, True, BatteryStatus.CHARGING),
        (-1.2, True, BatteryStatus.DISCHARGING),
        (0.0, True, BatteryStatus.IDLE),
        (None, True, None),
        (1.0, False, BatteryStatus.FAULT),
    ],
)
def test_battery_status_from_signed_power(
    power: float | None, online: bool, expected: BatteryStatus | None
) -> None:
    assert battery_status(power, online=online) is expected
