"""Parsing SmartFlex devices and dispatches, and editing their schedules (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken import KrakenParseError
from custom_components.kraken_energy.api.kraken.models import WEEKDAYS, WEEKEND, DeviceKind
from custom_components.kraken_energy.api.kraken.parsers import parse_device, parse_smartflex
from custom_components.kraken_energy.readings import BatteryStatus, battery_status

SCHEDULES = [
    {"dayOfWeek": day, "time": "07:00:00", "min": None, "max": 80.0}
    for day in (*WEEKDAYS, *WEEKEND)
]


def _vehicle(**overrides: Any) -> dict[str, Any]:
    vehicle: dict[str, Any] = {
        "__typename": "SmartFlexVehicle",
        "id": "0e4c-vehicle",
        "name": None,
        "deviceType": "ELECTRIC_VEHICLES",
        "provider": "TESLA",
        "make": "Tesla",
        "model": "Model 3",
        "vehicleVariant": {"batterySize": "75.0"},
        "status": {
            "current": "LIVE",
            "currentState": "SMART_CONTROL_IN_PROGRESS",
            "isSuspended": False,
            "stateOfChargeLimit": {"upperSocLimit": 90, "isLimitViolated": False},
        },
        "preferences": {
            "mode": "CHARGE",
            "targetType": "ABSOLUTE_STATE_OF_CHARGE",
            "unit": "PERCENTAGE",
            "schedules": SCHEDULES,
        },
    }
    vehicle.update(overrides)
    return vehicle


def test_vehicle_with_schedules_and_limit() -> None:
    device = parse_device(_vehicle(), "device")
    assert device.kind is DeviceKind.VEHICLE
    assert device.charges_vehicles
    assert device.upper_soc_limit == 90
    assert device.battery_capacity_kwh == 75.0
    assert device.preferences is not None
    monday = device.preferences.schedule("MONDAY")
    assert monday is not None
    assert monday.ready_by == time(7, 0)
    assert monday.max == 80.0
    assert not device.is_retired


def test_unknown_device_type_is_generic_and_retired_is_flagged() -> None:
    device = parse_device(
        _vehicle(
            __typename="SmartFlexHoverboard",
            provider=None,
            preferences=None,
            status={"current": "RETIRED", "currentState": "RETIRED", "isSuspended": None},
        ),
        "device",
    )
    assert device.kind is DeviceKind.OTHER
    assert device.provider == "UNKNOWN"
    assert device.is_suspended is None
    assert device.is_retired


def test_inverter_telemetry_and_heat_pump_status() -> None:
    inverter = parse_device(
        {
            "__typename": "SmartFlexInverter",
            "id": "inv",
            "provider": "GIVENERGY",
            "status": {"current": "LIVE", "currentState": "SMART_CONTROL_CAPABLE"},
            "telemetry": {
                "battery": {"stateOfCharge": 64.5, "powerInKw": -1.2, "connectionStatus": "ONLINE"},
                "inverter": {"powerInKw": 2.0, "connectionStatus": "OFFLINE"},
                "grid": {"powerInKw": 0.4},
                "site": {"consumptionInKw": 1.1, "exportInKw": 0},
                "solar": {"powerInKw": 3.1},
            },
        },
        "device",
    )
    assert inverter.telemetry is not None
    assert inverter.telemetry.battery_level == 64.5
    assert inverter.telemetry.inverter_online is False
    assert inverter.telemetry.solar_power == 3.1
    assert battery_status(inverter.telemetry.battery_power) is BatteryStatus.DISCHARGING

    heat_pump = parse_device(
        {
            "__typename": "SmartFlexHeatPump",
            "id": "hp",
            "provider": "OCTOPUS",
            "status": {
                "current": "LIVE",
                "currentState": "SMART_CONTROL_CAPABLE",
                "isSuspended": False,
                "mode": {"value": "HEATING"},
                "activity": {"value": "PRE_HEATING"},
                "targetTemperature": {"value": "21.5"},
                "currentTemperatures": [{"zone": "ZONE1", "value": 19.0}],
            },
        },
        "device",
    )
    assert heat_pump.heat_pump is not None
    assert heat_pump.heat_pump.mode == "HEATING"
    assert heat_pump.heat_pump.target_temperature == 21.5
    assert heat_pump.heat_pump.current_temperature == 19.0


def test_dispatches_are_sorted_with_positive_energy() -> None:
    data = parse_smartflex(
        {
            "devices": [_vehicle()],
            "plannedDispatches": [
                {"start": "2026-11-24T03:00:00Z", "end": "2026-11-24T04:00:00Z", "delta": "-7.0"},
                {"start": "2026-11-23T23:30:00Z", "end": "2026-11-24T01:00:00Z", "delta": -10.5},
            ],
            "completedDispatches": None,
        }
    )
    assert [d.energy_kwh for d in data.planned_dispatches] == [10.5, 7.0]
    # The account-wide list of an older schema belongs to the car waiting under smart control.
    assert not data.per_device
    car = data.device("0e4c-vehicle")
    assert car is not None
    current = data.dispatch_for(car, datetime(2026, 11, 24, 0, 30, tzinfo=UTC))
    assert current is not None
    assert current.end == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    following = data.next_dispatch_for(car, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    assert following is not None
    assert following.start == datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert data.completed_dispatches == ()


def test_dispatches_per_device_belong_to_their_device_and_only_smart_ones_dispatch() -> None:
    """2026 schemas plan per device (flexPlannedDispatches aliases, one per asked device)."""
    other = _vehicle(id="0e4c-other", status={"currentState": "SMART_CONTROL_CAPABLE"})
    data = parse_smartflex(
        {
            "devices": [_vehicle(), other],
            "dispatches0": [
                {
                    "start": "2026-11-24T01:00:00+00:00",
                    "end": "2026-11-24T02:00:00+00:00",
                    "type": "SMART",
                    "energyAddedKwh": "-6.521",
                },
                {
                    "start": "2026-11-24T03:00:00+00:00",
                    "end": "2026-11-24T03:30:00+00:00",
                    "type": "BOOST",
                    "energyAddedKwh": None,
                },
            ],
            "dispatches1": None,
            "completedDispatches": [],
        },
        ["0e4c-vehicle", "0e4c-other"],
    )
    assert data.per_device
    car, second = data.device("0e4c-vehicle"), data.device("0e4c-other")
    assert car is not None
    assert second is not None
    smart = data.dispatch_for(car, datetime(2026, 11, 24, 1, 30, tzinfo=UTC))
    assert smart is not None
    assert (smart.kind, smart.energy_kwh, smart.device_id) == ("smart", 6.521, "0e4c-vehicle")
    # A boost is the household's own charge, not a dispatch; it is still the next window.
    at_boost = datetime(2026, 11, 24, 3, 10, tzinfo=UTC)
    assert data.dispatch_for(car, at_boost) is None
    boost = data.next_dispatch_for(car, at_boost)
    assert boost is not None
    assert boost.kind == "boost"
    # The other car has none of its own, whatever the first one has.
    assert data.planned_for(second) == ()


@pytest.mark.parametrize(
    "schedule",
    [
        {"dayOfWeek": "MONDAY", "time": "seven", "max": 80},
        {"dayOfWeek": "MONDAY", "time": "07:00", "max": None},
    ],
)
def test_bad_schedules_are_parse_errors(schedule: dict[str, Any]) -> None:
    prefs = {"mode": "CHARGE", "schedules": [schedule]}
    with pytest.raises(KrakenParseError, match="schedules"):
        parse_device(_vehicle(preferences=prefs), "device")


def test_with_days_changes_only_the_given_days() -> None:
    device = parse_device(_vehicle(), "device")
    assert device.preferences is not None
    updated = device.preferences.with_days(WEEKEND, ready_by=time(9, 30), maximum=100)
    saturday = updated.schedule("SATURDAY")
    monday = updated.schedule("MONDAY")
    assert saturday is not None
    assert monday is not None
    assert (saturday.ready_by, saturday.max) == (time(9, 30), 100)
    assert (monday.ready_by, monday.max) == (time(7, 0), 80.0)
    assert [s.day_of_week for s in updated.schedules] == [*WEEKDAYS, *WEEKEND]
