"""SmartFlex devices in the provider-neutral vocabulary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...api.kraken.models import Device, SmartFlexData
from ...readings import ChargerOpMode, Readings, battery_status

# Kraken SmartFlexDeviceState -> canonical op-mode. States about onboarding, and a suspended
# or retired device, say nothing about the cable and map to None (unknown).
_SMARTFLEX_OP_MODES: dict[str, ChargerOpMode] = {
    "SMART_CONTROL_NOT_AVAILABLE": ChargerOpMode.DISCONNECTED,
    "SMART_CONTROL_CAPABLE": ChargerOpMode.READY_TO_CHARGE,
    "SMART_CONTROL_IN_PROGRESS": ChargerOpMode.AWAITING_START,
    "BOOSTING": ChargerOpMode.CHARGING,
    "LOST_CONNECTION": ChargerOpMode.ERROR,
    "AUTHENTICATION_FAILED": ChargerOpMode.ERROR,
    "TEST_CHARGE_FAILED": ChargerOpMode.ERROR,
}


def smartflex_op_mode(state: str | None, *, dispatching: bool) -> ChargerOpMode | None:
    """The canonical op-mode of a SmartFlex vehicle or charge point.

    A device under smart control charges during its planned dispatches and waits between them.
    """
    mode = _SMARTFLEX_OP_MODES.get(state or "")
    if mode is ChargerOpMode.AWAITING_START and dispatching:
        return ChargerOpMode.CHARGING
    return mode


def smartflex_readings(device: Device, data: SmartFlexData, at: datetime) -> Readings:
    """A SmartFlex device's readings: charging status, or an inverter's telemetry."""
    values: dict[str, Any] = {}
    if device.charges_vehicles:
        values["op_mode"] = smartflex_op_mode(
            device.state, dispatching=data.dispatch_for(device, at) is not None
        )
    if (t := device.telemetry) is not None:
        values.update(
            battery_level=t.battery_level,
            battery_power=t.battery_power,
            battery_status=battery_status(t.battery_power, online=t.battery_online is not False),
            solar_power=t.solar_power,
            grid_power=t.grid_power,
            online=t.inverter_online,
        )
    return Readings.of(**values)
