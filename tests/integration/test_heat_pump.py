"""Heat pump energy counters and live performance on the SmartFlex heat pump's device."""

from __future__ import annotations

from datetime import timedelta
import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import STATE_UNAVAILABLE, UnitOfEnergy, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.kraken_energy.const import CONF_ENDPOINT
from custom_components.kraken_energy.providers.kraken.const import (
    CONF_HEAT_PUMP_ENDPOINT,
    CONF_SUPPLIER,
    SUPPLIERS,
)
from custom_components.kraken_energy.providers.kraken.heat_pump import heat_pump_endpoint
from simulator.app import RunningSimulator
from simulator.faults import Fault
from simulator.kraken.heat_pump import HeatPumpController
from simulator.kraken.routes import BACKEND_GRAPHQL_PATH
from simulator.kraken.scenario import GB_HEAT_PUMP_EUID

from ..conftest import GB_ACCOUNT, MORNING, advance, entity_id, setup_entry

pytestmark = pytest.mark.usefixtures("london")

HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
ENERGY_INPUT = f"smartflex_{HEAT_PUMP}_heat_pump_energy_input"
HEAT_ENERGY = f"smartflex_{HEAT_PUMP}_heat_pump_heat_energy"
POWER_INPUT = f"smartflex_{HEAT_PUMP}_heat_pump_power_input"
HEAT_OUTPUT = f"smartflex_{HEAT_PUMP}_heat_pump_heat_output"
COP = f"smartflex_{HEAT_PUMP}_heat_pump_cop"
SEASONAL_COP = f"smartflex_{HEAT_PUMP}_heat_pump_seasonal_cop"
EV_STATE = f"smartflex_{EV}_smartflex_state"
FIVE_MINUTES = timedelta(minutes=5)


def _controller(simulator: RunningSimulator) -> HeatPumpController:
    return (
        simulator.state.kraken.scenario.account(GB_ACCOUNT).properties[0].heat_pump_controllers[0]
    )


def _number(hass: HomeAssistant, unique_id: str) -> float:
    state = hass.states.get(entity_id(hass, "sensor", unique_id))
    assert state is not None
    return float(state.state)


def _state(hass: HomeAssistant, unique_id: str) -> str:
    state = hass.states.get(entity_id(hass, "sensor", unique_id))
    assert state is not None
    return state.state


def _backend_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(path=BACKEND_GRAPHQL_PATH)


@pytest.fixture
async def loaded(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> MockConfigEntry:
    """The GB account (a SmartFlex heat pump with an Octopus controller), set up."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    return gb_entry


async def test_readings_show_on_the_heat_pump_device(
    hass: HomeAssistant, simulator: RunningSimulator, loaded: MockConfigEntry
) -> None:
    now = dt_util.utcnow()
    pump = _controller(simulator)
    assert _number(hass, ENERGY_INPUT) == pytest.approx(pump.energy_input_kwh(now), abs=1e-3)
    assert _number(hass, HEAT_ENERGY) == pytest.approx(pump.heat_output_kwh(now), abs=1e-3)
    assert _number(hass, POWER_INPUT) == pytest.approx(pump.power_input_kw(now) * 1000, abs=1)
    assert _number(hass, HEAT_OUTPUT) == pytest.approx(pump.heat_output_kw(now) * 1000, abs=1)
    assert _number(hass, COP) == pytest.approx(pump.cop(now), abs=1e-3)
    assert _number(hass, SEASONAL_COP) == pytest.approx(
        pump.heat_output_kwh(now) / pump.energy_input_kwh(now), abs=1e-3
    )

    # What the Energy dashboard asks of a device's consumption: energy, kWh, a growing total.
    energy = hass.states.get(entity_id(hass, "sensor", ENERGY_INPUT))
    assert energy is not None
    assert energy.attributes["device_class"] == SensorDeviceClass.ENERGY
    assert energy.attributes["state_class"] == SensorStateClass.TOTAL_INCREASING
    assert energy.attributes["unit_of_measurement"] == UnitOfEnergy.KILO_WATT_HOUR
    power = hass.states.get(entity_id(hass, "sensor", POWER_INPUT))
    assert power is not None
    assert power.attributes["unit_of_measurement"] == UnitOfPower.WATT
    assert power.attributes["state_class"] == SensorStateClass.MEASUREMENT
    cop = hass.states.get(entity_id(hass, "sensor", COP))
    assert cop is not None
    assert "unit_of_measurement" not in cop.attributes

    # On the device the heat pump's climate entity belongs to, not one of their own.
    registry = er.async_get(hass)
    climate = registry.async_get(entity_id(hass, "climate", f"smartflex_{HEAT_PUMP}_heat_pump"))
    sensor = registry.async_get(entity_id(hass, "sensor", ENERGY_INPUT))
    assert climate is not None
    assert sensor is not None
    assert sensor.device_id == climate.device_id


async def test_counters_grow_and_live_values_follow(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    pump = _controller(simulator)
    read_at = dt_util.utcnow()
    energy_before = _number(hass, ENERGY_INPUT)
    heat_before = _number(hass, HEAT_ENERGY)

    await advance(hass, freezer, FIVE_MINUTES)
    now = dt_util.utcnow()
    # Live values every five minutes; the counters wait for their half hour.
    assert _number(hass, POWER_INPUT) == pytest.approx(pump.power_input_kw(now) * 1000, abs=1)
    assert _number(hass, ENERGY_INPUT) == energy_before

    for _ in range(5):
        await advance(hass, freezer, FIVE_MINUTES)
    now = dt_util.utcnow()
    energy_after = _number(hass, ENERGY_INPUT)
    heat_after = _number(hass, HEAT_ENERGY)
    assert energy_after > energy_before
    assert heat_after > heat_before
    # They grew by what the heat pump drew and delivered in between.
    drawn = pump.energy_input_kwh(now) - pump.energy_input_kwh(read_at)
    assert energy_after - energy_before == pytest.approx(drawn, abs=2e-3)


async def test_a_failing_backend_keeps_devices_and_values(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    energy = _state(hass, ENERGY_INPUT)
    power = _state(hass, POWER_INPUT)
    fault = simulator.state.faults.add(Fault.http_status(503, count=None, path="/backend/"))

    await advance(hass, freezer, FIVE_MINUTES)
    await advance(hass, freezer, timedelta(seconds=30))
    # The last values stand while they are recent; the device poll never noticed.
    assert _state(hass, ENERGY_INPUT) == energy
    assert _state(hass, POWER_INPUT) == power
    assert _state(hass, EV_STATE) != STATE_UNAVAILABLE
    assert loaded.runtime_data.devices.last_update_success

    for _ in range(3):
        await advance(hass, freezer, FIVE_MINUTES)
    # Too old now: the readings go, the devices and their other entities stay.
    assert _state(hass, POWER_INPUT) == STATE_UNAVAILABLE
    assert _state(hass, ENERGY_INPUT) == STATE_UNAVAILABLE
    assert _state(hass, EV_STATE) != STATE_UNAVAILABLE
    assert loaded.runtime_data.devices.data is not None
    assert HEAT_PUMP in loaded.runtime_data.devices.data.live_devices

    simulator.state.faults.remove(fault)
    await advance(hass, freezer, timedelta(minutes=10))
    assert float(_state(hass, ENERGY_INPUT)) >= float(energy)
    assert _state(hass, POWER_INPUT) != STATE_UNAVAILABLE


async def test_a_backend_refusal_asks_nobody_to_sign_in_again(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    energy = _state(hass, ENERGY_INPUT)
    simulator.state.faults.add(
        Fault.graphql_error("KT-CT-1111", "Unauthorized.", count=None, path="/backend/")
    )
    await advance(hass, freezer, FIVE_MINUTES)
    assert not hass.config_entries.flow.async_progress()
    assert _state(hass, ENERGY_INPUT) == energy
    assert loaded.runtime_data.devices.last_update_success


async def test_no_heat_pump_no_readings_and_no_requests(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    home = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex
    home.devices[:] = [device for device in home.devices if device.id != HEAT_PUMP]
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    for _ in range(12):
        await advance(hass, freezer, FIVE_MINUTES)

    registry = er.async_get(hass)
    assert not [
        entry.entity_id
        for entry in er.async_entries_for_config_entry(registry, gb_entry.entry_id)
        if "heat_pump_" in (entry.unique_id or "")
    ]
    assert _backend_requests(simulator) == 0


async def test_a_heat_pump_registered_later_gets_its_readings_with_the_device_poll(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    home = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex
    heat_pump = home.device(HEAT_PUMP)
    home.devices.remove(heat_pump)
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    assert er.async_get(hass).async_get_entity_id("sensor", "kraken_energy", ENERGY_INPUT) is None

    home.devices.append(heat_pump)
    await advance(hass, freezer, FIVE_MINUTES)
    await advance(hass, freezer, timedelta(seconds=15))
    # Not half an hour later, at the heat pump poll's idle cadence: with the device itself.
    now = dt_util.utcnow()
    assert _number(hass, ENERGY_INPUT) == pytest.approx(
        _controller(simulator).energy_input_kwh(now), abs=0.1
    )
    # The controller was looked up once it had a heat pump to pair with, not before.
    assert simulator.state.requests.count(operation_name="HeatPumpControllers") == 1


async def test_a_heat_pump_without_controller_asks_once(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A SmartFlex heat pump of another make: controllers looked up, none, nothing more."""
    simulator.state.kraken.scenario.account(GB_ACCOUNT).properties[0].heat_pump_controllers.clear()
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    for _ in range(12):
        await advance(hass, freezer, FIVE_MINUTES)
    assert _backend_requests(simulator) == 1
    assert er.async_get(hass).async_get_entity_id("sensor", "kraken_energy", ENERGY_INPUT) is None


async def test_diagnostics_hide_the_controller(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, gb_entry: MockConfigEntry
) -> None:
    # On the real clock: Home Assistant's sign-in for the download checks token times.
    await setup_entry(hass, gb_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, gb_entry)
    heat_pump = diagnostics["heat_pump"]
    assert heat_pump["controllers"] == 1
    assert heat_pump["readings"]
    assert GB_HEAT_PUMP_EUID not in json.dumps(diagnostics)


def test_only_the_suppliers_own_api_leads_to_its_backend() -> None:
    gb = SUPPLIERS["octopus_energy_gb"]
    assert heat_pump_endpoint({CONF_SUPPLIER: "octopus_energy_gb", CONF_ENDPOINT: gb.endpoint}) == (
        gb.heat_pump_endpoint
    )
    assert gb.heat_pump_endpoint == "https://api.backend.octopus.energy/v1/graphql/"
    # A proxy or a stand-in for the account API: its backend only when the entry names it.
    elsewhere = {CONF_SUPPLIER: "octopus_energy_gb", CONF_ENDPOINT: "http://127.0.0.1/v1/graphql/"}
    assert heat_pump_endpoint(elsewhere) is None
    assert (
        heat_pump_endpoint({**elsewhere, CONF_HEAT_PUMP_ENDPOINT: "http://x/b/"}) == "http://x/b/"
    )
    germany = SUPPLIERS["octopus_energy_germany"]
    assert (
        heat_pump_endpoint(
            {CONF_SUPPLIER: "octopus_energy_germany", CONF_ENDPOINT: germany.endpoint}
        )
        is None
    )
