"""Device lists (paginated), single devices, parsing into models, open enums."""

from __future__ import annotations

import logging

import pytest

from custom_components.kraken_energy.api.enode import EnodeClient, EnodeNotFoundError
from custom_components.kraken_energy.api.enode.models import (
    BatteryChargeStatus,
    BatteryOperationMode,
    HvacCategory,
    HvacHoldType,
    HvacMode,
    PowerDeliveryState,
    VendorType,
)
from custom_components.kraken_energy.providers.enode.readings import battery_status_of, op_mode
from custom_components.kraken_energy.readings import BatteryStatus, ChargerOpMode
from simulator.app import RunningSimulator
from simulator.enode.state import (
    BATTERY_ID,
    CHARGER_ID,
    ENODE_USER_ID,
    HVAC_ID,
    INVERTER_ID,
    MAX_CURRENT_INTERVENTION_ID,
    METER_ID,
    TIME_OF_USE_INTERVENTION_ID,
    VEHICLE_ID,
    SimVehicle,
)

from .conftest import ClientFactory


async def test_fetch_devices_parses_one_of_each(enode: EnodeClient) -> None:
    devices = await enode.fetch_devices(ENODE_USER_ID)
    assert [d.id for d in devices.all()] == [
        VEHICLE_ID,
        CHARGER_ID,
        HVAC_ID,
        BATTERY_ID,
        INVERTER_ID,
        METER_ID,
    ]
    vehicle = devices.vehicles[0]
    assert vehicle.brand == "Tesla"
    assert vehicle.battery_level == pytest.approx(52.0)
    assert vehicle.range == pytest.approx(52 * 4.9, abs=0.1)
    assert vehicle.charge_limit == 80
    assert vehicle.odometer == pytest.approx(18234.5)
    assert vehicle.is_plugged_in is True
    assert vehicle.is_charging is False
    assert vehicle.is_fully_charged is False
    assert vehicle.is_reachable is True
    assert vehicle.charge_rate is None
    assert vehicle.charge_time_remaining is None
    assert vehicle.power_delivery_state is PowerDeliveryState.STOPPED
    assert op_mode(vehicle) is ChargerOpMode.AWAITING_START
    assert vehicle.smart_charging_policy is not None
    assert vehicle.smart_charging_policy.is_enabled is False
    assert vehicle.smart_charging_policy.deadline is not None
    assert vehicle.smart_charging_policy.deadline.hour == 7
    assert vehicle.location is not None
    assert vehicle.location.latitude == pytest.approx(51.5072)
    assert vehicle.capabilities.start_charging.is_capable
    assert not vehicle.capabilities.set_max_current.is_capable
    assert vehicle.capabilities.set_max_current.intervention_ids == (MAX_CURRENT_INTERVENTION_ID,)
    assert "vehicle:control:charging" in vehicle.scopes

    charger = devices.chargers[0]
    assert charger.max_current == 16
    assert charger.is_plugged_in is True
    assert charger.charge_rate is None
    assert op_mode(charger) is ChargerOpMode.AWAITING_START
    assert charger.capabilities.set_max_current.is_capable
    assert charger.serial_number == "ZAP000123"

    hvac = devices.hvacs[0]
    assert hvac.mode is HvacMode.HEAT
    assert hvac.heat_setpoint == 21
    assert hvac.current_temperature == pytest.approx(19.5, abs=0.1)
    assert hvac.is_active is True
    assert hvac.hold_type is HvacHoldType.PERMANENT
    assert hvac.category is HvacCategory.HEAT_PUMP
    assert hvac.capabilities.capable_modes == (
        HvacMode.OFF,
        HvacMode.HEAT,
        HvacMode.COOL,
        HvacMode.AUTO,
    )
    assert hvac.capabilities.heat_setpoint_range is not None
    assert hvac.capabilities.heat_setpoint_range.max == 30
    assert hvac.capabilities.set_permanent_hold.is_capable

    battery = devices.batteries[0]
    assert battery.battery_level == pytest.approx(60, abs=0.5)
    assert battery.charge_rate == pytest.approx(-0.6)
    assert battery.charge_status is BatteryChargeStatus.DISCHARGING
    assert battery_status_of(battery) is BatteryStatus.DISCHARGING
    assert battery.operation_mode is BatteryOperationMode.SELF_RELIANCE
    assert battery.discharge_limit == 20
    assert battery.battery_capacity == 13.5
    assert battery.capabilities.settable_modes == (
        BatteryOperationMode.IMPORT_FOCUS,
        BatteryOperationMode.EXPORT_FOCUS,
        BatteryOperationMode.SELF_RELIANCE,
    )
    assert battery.capabilities.time_of_use.intervention_ids == (TIME_OF_USE_INTERVENTION_ID,)

    inverter = devices.inverters[0]
    assert inverter.production_rate is not None
    assert inverter.total_lifetime_production == pytest.approx(12345.6, abs=5)
    assert inverter.timezone == "Europe/London"

    meter = devices.meters[0]
    assert meter.power is not None
    assert meter.capabilities.measures_consumption.is_capable


async def test_fetch_devices_of_some_kinds(sim: RunningSimulator, enode: EnodeClient) -> None:
    devices = await enode.fetch_devices(ENODE_USER_ID, kinds=[VendorType.VEHICLE])
    assert len(devices.vehicles) == 1
    assert devices.chargers == ()
    assert sim.state.requests.count(path="/enode/users") == 1
    assert devices.device(VEHICLE_ID) is devices.vehicles[0]
    assert devices.device("nope") is None


async def test_pagination_follows_every_page(
    sim: RunningSimulator, make_client: ClientFactory
) -> None:
    for number in (2, 3):
        sim.state.enode.vehicles[f"sim-vehicle-{number}"] = SimVehicle(id=f"sim-vehicle-{number}")
    enode = make_client(page_size=1)
    vehicles = await enode.list_vehicles(ENODE_USER_ID)
    assert [v.id for v in vehicles] == ["sim-vehicle-1", "sim-vehicle-2", "sim-vehicle-3"]
    pages = [e for e in sim.state.enode.exchanges if e.operation_id == "listUserVehicles"]
    assert len(pages) == 3
    assert all(page.query["pageSize"] == "1" for page in pages)
    assert "after" not in pages[0].query
    assert pages[1].query["after"] != pages[2].query["after"]


async def test_other_users_devices_stay_apart(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.vehicles["other"] = SimVehicle(id="other", user_id="someone-else")
    assert [v.id for v in await enode.list_vehicles(ENODE_USER_ID)] == [VEHICLE_ID]
    assert [v.id for v in await enode.list_vehicles("someone-else")] == ["other"]
    assert await enode.list_vehicles("nobody") == ()


async def test_get_each_device(enode: EnodeClient) -> None:
    assert (await enode.get_vehicle(VEHICLE_ID)).id == VEHICLE_ID
    assert (await enode.get_charger(CHARGER_ID)).id == CHARGER_ID
    assert (await enode.get_hvac(HVAC_ID)).id == HVAC_ID
    assert (await enode.get_battery(BATTERY_ID)).id == BATTERY_ID
    assert (await enode.get_inverter(INVERTER_ID)).id == INVERTER_ID
    assert (await enode.get_meter(METER_ID)).id == METER_ID


async def test_unknown_device_is_not_found(enode: EnodeClient) -> None:
    with pytest.raises(EnodeNotFoundError) as caught:
        await enode.get_charger("missing")
    assert caught.value.status == 404
    assert caught.value.title == "Not Found"
    assert caught.value.detail == "Charger missing was not found."
    assert str(caught.value) == "getCharger: HTTP 404 Not Found: Charger missing was not found."


async def test_unknown_enum_values_are_none_and_logged_once(
    sim: RunningSimulator, enode: EnodeClient, caplog: pytest.LogCaptureFixture
) -> None:
    sim.state.enode.vehicles[VEHICLE_ID].power_delivery_state = "PLUGGED_IN:WARP_SPEED"
    sim.state.enode.batteries[BATTERY_ID].operation_mode = "STORM_WATCH"
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            devices = await enode.fetch_devices(ENODE_USER_ID)
    vehicle = devices.vehicles[0]
    assert vehicle.power_delivery_state is None
    assert op_mode(vehicle) is None
    assert devices.batteries[0].operation_mode is None
    assert caplog.text.count("PLUGGED_IN:WARP_SPEED") == 1
    assert caplog.text.count("STORM_WATCH") == 1
