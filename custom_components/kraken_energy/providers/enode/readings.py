"""Enode devices in the provider-neutral vocabulary."""

from __future__ import annotations

from ...api.enode.models import (
    Battery,
    BatteryChargeStatus,
    Charger,
    EnodeDevice,
    Hvac,
    Inverter,
    Meter,
    PowerDeliveryState,
    Vehicle,
)
from ...readings import BatteryStatus, ChargerOpMode, Readings, battery_status

# powerDeliveryState -> canonical op-mode (Easee's Op Mode semantics), for every Enode value:
#   UNKNOWN                 -> None               nothing is known about the cable
#   UNPLUGGED               -> DISCONNECTED
#   PLUGGED_IN:INITIALIZING -> READY_TO_CHARGE    power is offered, the car is about to draw it
#   PLUGGED_IN:CHARGING     -> CHARGING
#   PLUGGED_IN:STOPPED      -> AWAITING_START     stopped by car or charger; a start resumes it
#   PLUGGED_IN:COMPLETE     -> COMPLETED          (vehicles only) the charge limit is reached
#   PLUGGED_IN:NO_POWER     -> vehicle: AWAITING_START (no power from the charger, e.g. its own
#                              timer; the car waits for power)
#                              charger: READY_TO_CHARGE (power is offered, the car takes none)
#   PLUGGED_IN:FAULT        -> ERROR
#   PLUGGED_IN:DISCHARGING  -> None               vehicle-to-home/grid has no canonical op-mode;
#                              the native state (its own enum sensor) shows it
_OP_MODES: dict[PowerDeliveryState, ChargerOpMode | None] = {
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


def power_delivery_op_mode(
    state: PowerDeliveryState | None, *, charger: bool = False
) -> ChargerOpMode | None:
    """The canonical op-mode of an Enode powerDeliveryState (see the table above)."""
    if state is None:
        return None
    if charger and state is PowerDeliveryState.NO_POWER:
        return ChargerOpMode.READY_TO_CHARGE
    return _OP_MODES[state]


def op_mode(device: Vehicle | Charger) -> ChargerOpMode | None:
    """The canonical op-mode of a vehicle or charger (see `power_delivery_op_mode`)."""
    return power_delivery_op_mode(device.power_delivery_state, charger=isinstance(device, Charger))


_BATTERY_STATUSES: dict[BatteryChargeStatus, BatteryStatus] = {
    BatteryChargeStatus.CHARGING: BatteryStatus.CHARGING,
    BatteryChargeStatus.DISCHARGING: BatteryStatus.DISCHARGING,
    BatteryChargeStatus.IDLE: BatteryStatus.IDLE,
    BatteryChargeStatus.FAULT: BatteryStatus.FAULT,
}


def battery_status_of(battery: Battery) -> BatteryStatus | None:
    """The canonical status; Enode's UNKNOWN (or none) falls back to the sign of the power."""
    if battery.charge_status in _BATTERY_STATUSES:
        return _BATTERY_STATUSES[battery.charge_status]
    return battery_status(battery.charge_rate)


def charging_power(device: Vehicle | Charger) -> float | None:
    """KW drawn; Enode sends chargeRate only while charging (null otherwise), which is 0 kW.

    Unknown only while Enode does not know whether the device charges.
    """
    if device.charge_rate is not None:
        return device.charge_rate
    return 0.0 if device.is_charging is False else None


def device_readings(device: EnodeDevice) -> Readings:
    """A device in the provider-neutral vocabulary (an HVAC unit's climate entity has the rest)."""
    match device:
        case Vehicle():
            return Readings.of(
                op_mode=op_mode(device),
                plugged_in=device.is_plugged_in,
                charging=device.is_charging,
                charging_power=charging_power(device),
                battery_level=device.battery_level,
                online=device.is_reachable,
            )
        case Charger():
            return Readings.of(
                op_mode=op_mode(device),
                plugged_in=device.is_plugged_in,
                charging=device.is_charging,
                charging_power=charging_power(device),
                online=device.is_reachable,
            )
        case Battery():
            return Readings.of(
                battery_level=device.battery_level,
                battery_power=device.charge_rate,
                battery_status=battery_status_of(device),
                online=device.is_reachable,
            )
        case Inverter():
            return Readings.of(solar_power=device.production_rate, online=device.is_reachable)
        case Meter():
            return Readings.of(grid_power=device.power, online=device.is_reachable)
        case Hvac():
            return Readings.of(online=device.is_reachable)
