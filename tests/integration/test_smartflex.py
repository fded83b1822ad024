"""SmartFlex devices in Home Assistant against the simulator: entities, controls, dispatches."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.const import (
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.kraken.const import DEVICES_UPDATE_INTERVAL
from simulator.app import RunningSimulator
from simulator.faults import Fault
from simulator.kraken.devices import SimDispatch, SmartDevice, SmartFlexHome
from simulator.kraken.rates import without_vat
from simulator.kraken.routes import GRAPHQL_PATH
from simulator.kraken.scenario import GB_IMPORT_MPAN, StandardTariff

from ..conftest import (
    GB_ACCOUNT,
    MORNING,
    advance,
    call_service,
    entity_id,
    registry_device,
    setup_entry,
    unique_state,
)

EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
CHARGER = "6f1c2f50-0002-4e6a-9a55-000000000002"
BATTERY = "6f1c2f50-0003-4e6a-9a55-000000000003"
HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"
POLL = DEVICES_UPDATE_INTERVAL + timedelta(seconds=5)
CLIMATE_DOMAIN = "climate"
NUMBER_DOMAIN = "number"
SWITCH_DOMAIN = "switch"
TIME_DOMAIN = "time"
SERVICE_SET_VALUE = "set_value"
SERVICE_SET_TIME = "set_value"
ATTR_VALUE = "value"
ATTR_TIME = "time"

pytestmark = pytest.mark.freeze_time(MORNING)


def _home(simulator: RunningSimulator) -> SmartFlexHome:
    return simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex


def _device(simulator: RunningSimulator, device_id: str) -> SmartDevice:
    return _home(simulator).device(device_id)


def _entity(hass: HomeAssistant, platform: str, device_id: str, key: str) -> str:
    return entity_id(hass, platform, f"smartflex_{device_id}_{key}")


def _timestamp(hass: HomeAssistant, device_id: str, key: str) -> datetime:
    return datetime.fromisoformat(_state(hass, "sensor", device_id, key))


def _state(hass: HomeAssistant, platform: str, device_id: str, key: str) -> str:
    return unique_state(hass, platform, f"smartflex_{device_id}_{key}")


@pytest.fixture
async def loaded(
    hass: HomeAssistant, london: None, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> MockConfigEntry:
    """The GB account, whose home has one SmartFlex device of every kind, set up."""
    await setup_entry(hass, gb_entry)
    return gb_entry


async def test_every_device_kind_has_its_entities(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    registry = dr.async_get(hass)
    devices = {
        device.name: device
        for device in dr.async_entries_for_config_entry(registry, loaded.entry_id)
    }
    car = devices["Family car"]
    assert (car.manufacturer, car.model) == ("Tesla", "Model 3")
    assert car.via_device_id == devices[f"Octopus Energy …{GB_ACCOUNT[-4:]}"].id

    # Vehicle: plugged in at home, charging planned for tonight.
    assert _state(hass, "sensor", EV, "smartflex_state") == "smart_control_in_progress"
    assert _state(hass, "sensor", EV, "op_mode") == "awaiting_start"
    assert _state(hass, "switch", EV, "smart_control") == STATE_ON
    assert _state(hass, "switch", EV, "boost_charge") == STATE_OFF
    assert _state(hass, "binary_sensor", EV, "dispatching") == STATE_OFF
    assert _state(hass, "sensor", EV, "next_dispatch_start") == "2026-11-23T23:30:00+00:00"
    assert _state(hass, "time", EV, "weekday_ready_by") == "07:00:00"
    assert _state(hass, "time", EV, "weekend_ready_by") == "09:00:00"
    target = hass.states.get(_entity(hass, "number", EV, "weekday_charge_target"))
    assert target is not None
    assert float(target.state) == 80
    # Bounded by the car's state-of-charge limit.
    assert (target.attributes["min"], target.attributes["max"]) == (10, 90)
    name = hass.states.get(_entity(hass, "sensor", EV, "smartflex_state")).attributes  # type: ignore[union-attr]
    assert name["friendly_name"] == "Family car Smart control state"

    # Charge point: unplugged, so nothing is planned for it.
    assert _state(hass, "sensor", CHARGER, "smartflex_state") == "smart_control_not_available"
    assert _state(hass, "sensor", CHARGER, "op_mode") == "disconnected"
    assert _state(hass, "sensor", CHARGER, "next_dispatch_start") == "unknown"
    # Kraken cannot smart-control it now: no "On" beside "Smart control not available".
    assert _state(hass, "switch", CHARGER, "smart_control") == STATE_UNAVAILABLE

    # Battery: charge limits.
    assert float(_state(hass, "number", BATTERY, "battery_minimum_charge")) == 20
    assert float(_state(hass, "number", BATTERY, "battery_maximum_charge")) == 100

    # Heat pump: a climate entity named after the device.
    climate = hass.states.get(_entity(hass, "climate", HEAT_PUMP, "heat_pump"))
    assert climate is not None
    assert climate.state == HVACMode.HEAT
    assert climate.attributes["friendly_name"] == "Heat pump"
    assert climate.attributes["temperature"] == 21.0
    assert climate.attributes["current_temperature"] == 19.5
    assert climate.attributes["hvac_action"] == "heating"

    # Inverter telemetry.
    inverter = "6f1c2f50-0005-4e6a-9a55-000000000005"
    assert float(_state(hass, "sensor", inverter, "battery_level")) == 55.0
    assert float(_state(hass, "sensor", inverter, "solar_power")) == 3.3
    assert float(_state(hass, "sensor", inverter, "grid_power")) == -0.4
    assert _state(hass, "binary_sensor", inverter, "online") == STATE_ON
    assert float(_state(hass, "sensor", inverter, "inverter_power")) == 2.1
    assert _state(hass, "sensor", inverter, "battery_status") == "charging"

    # Heat pump zones, the hot water tank among them.
    zone = hass.states.get(_entity(hass, "sensor", HEAT_PUMP, "temperature_zone_1"))
    assert zone is not None
    assert (zone.state, zone.attributes["friendly_name"]) == (
        "19.5",
        "Heat pump Zone 1 temperature",
    )
    water = hass.states.get(_entity(hass, "sensor", HEAT_PUMP, "temperature_water"))
    assert water is not None
    assert (water.state, water.attributes["unit_of_measurement"]) == ("48.0", "°C")
    assert water.attributes["friendly_name"] == "Heat pump Hot water temperature"

    # Storage heaters: a device kind with nothing but its state and smart control.
    heaters = "6f1c2f50-0006-4e6a-9a55-000000000006"
    assert _state(hass, "sensor", heaters, "smartflex_state") == "smart_control_capable"
    assert _state(hass, "switch", heaters, "smart_control") == STATE_ON
    # Kraken names no make or model for them: none shown, the supplier as maker.
    heater_device = devices["Storage heaters"]
    assert (heater_device.manufacturer, heater_device.model) == ("Octopus Energy", None)
    # The account links to the supplier's own account pages.
    account = devices[f"Octopus Energy …{GB_ACCOUNT[-4:]}"]
    assert account.configuration_url == "https://octopus.energy/dashboard/"


async def test_smart_control_switch_suspends_and_resumes(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    switch = _entity(hass, "switch", EV, "smart_control")
    await call_service(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, switch)
    assert _device(simulator, EV).is_suspended
    # The command refreshes at once: no waiting for the next poll.
    assert hass.states.get(switch).state == STATE_OFF  # type: ignore[union-attr]
    assert _state(hass, "sensor", EV, "smartflex_state") == "smart_control_off"
    assert _state(hass, "sensor", EV, "next_dispatch_start") == "unknown"

    await call_service(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, switch)
    assert not _device(simulator, EV).is_suspended
    assert _state(hass, "sensor", EV, "smartflex_state") == "smart_control_in_progress"


async def test_boost_switch_starts_and_cancels_a_boost(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    boost = _entity(hass, "switch", EV, "boost_charge")
    await call_service(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, boost)
    assert _device(simulator, EV).boosting(dt_util.utcnow())
    assert hass.states.get(boost).state == STATE_ON  # type: ignore[union-attr]
    assert _state(hass, "sensor", EV, "smartflex_state") == "boosting"
    assert _state(hass, "sensor", EV, "op_mode") == "charging"
    # A boost is the household's own dispatch: dispatching, with the boost's window.
    dispatching = hass.states.get(_entity(hass, "binary_sensor", EV, "dispatching"))
    assert dispatching is not None
    assert dispatching.state == STATE_ON
    assert dispatching.attributes["type"] == "boost"

    await call_service(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, boost)
    assert not _device(simulator, EV).boosting(dt_util.utcnow())
    assert hass.states.get(boost).state == STATE_OFF  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("situation", "translation_key", "words"),
    [
        ("unplugged", "refused_disconnected", "not plugged in"),
        ("away", "refused_not_at_home", "not at home"),
        ("suspended", "refused_suspended", "smart control"),
        ("onboarding", "refused_not_live", "setting up"),
    ],
)
async def test_refused_boost_names_the_reason(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    situation: str,
    translation_key: str,
    words: str,
) -> None:
    car = _device(simulator, EV)
    if situation == "unplugged":
        car.plugged_in = False
    elif situation == "away":
        car.at_home = False
    elif situation == "suspended":
        car.is_suspended = True
    else:
        car.lifecycle = "ONBOARDING"
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass, SWITCH_DOMAIN, SERVICE_TURN_ON, _entity(hass, "switch", EV, "boost_charge")
        )
    assert refused.value.translation_key == translation_key
    assert words in str(refused.value)
    assert car.boost_until is None


async def test_boosting_twice_is_refused_with_its_reason(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    # Another app started a boost since the last update.
    _device(simulator, EV).update_boost("BOOST", dt_util.utcnow())
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass, SWITCH_DOMAIN, SERVICE_TURN_ON, _entity(hass, "switch", EV, "boost_charge")
        )
    assert refused.value.translation_key == "refused_boosting"


async def test_charge_target_and_ready_by_change_the_schedules(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    await call_service(
        hass,
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        _entity(hass, "number", EV, "weekday_charge_target"),
        **{ATTR_VALUE: 85},
    )
    await call_service(
        hass,
        TIME_DOMAIN,
        SERVICE_SET_TIME,
        _entity(hass, "time", EV, "weekend_ready_by"),
        **{ATTR_TIME: "10:30:00"},
    )
    schedules = {s.day_of_week: s for s in _device(simulator, EV).preferences.schedules}  # type: ignore[union-attr]
    assert {day: s.max for day, s in schedules.items()} == {
        "MONDAY": 85,
        "TUESDAY": 85,
        "WEDNESDAY": 85,
        "THURSDAY": 85,
        "FRIDAY": 85,
        "SATURDAY": 80,
        "SUNDAY": 80,
    }
    assert schedules["SATURDAY"].time == time(10, 30)
    assert schedules["MONDAY"].time == time(7, 0)
    # Each day's own value is there too, for schedules whose days differ.
    weekend = hass.states.get(_entity(hass, "time", EV, "weekend_ready_by"))
    assert weekend is not None
    assert (weekend.attributes["saturday"], weekend.attributes["sunday"]) == (
        "10:30:00",
        "10:30:00",
    )
    weekday = hass.states.get(_entity(hass, "number", EV, "weekday_charge_target"))
    assert weekday is not None
    assert weekday.attributes["friday"] == 85
    assert float(_state(hass, "number", EV, "weekday_charge_target")) == 85
    assert _state(hass, "time", EV, "weekend_ready_by") == "10:30:00"


async def test_a_ready_by_time_the_supplier_refuses_shows_why(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass,
            TIME_DOMAIN,
            SERVICE_SET_TIME,
            _entity(hass, "time", EV, "weekday_ready_by"),
            **{ATTR_TIME: "13:00:00"},
        )
    assert refused.value.translation_key == "command_refused"
    assert "between 04:00 and 11:00" in str(refused.value)
    assert _device(simulator, EV).preferences.schedules[0].time == time(7, 0)  # type: ignore[union-attr]
    assert _state(hass, "time", EV, "weekday_ready_by") == "07:00:00"


async def test_battery_limits_change_the_battery(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    await call_service(
        hass,
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        _entity(hass, "number", BATTERY, "battery_minimum_charge"),
        **{ATTR_VALUE: 35},
    )
    schedules = _device(simulator, BATTERY).preferences.schedules  # type: ignore[union-attr]
    assert {s.min for s in schedules} == {35}
    assert {s.max for s in schedules} == {100}
    assert float(_state(hass, "number", BATTERY, "battery_minimum_charge")) == 35


async def test_heat_pump_climate_sets_mode_and_temperature(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    climate = _entity(hass, "climate", HEAT_PUMP, "heat_pump")
    await call_service(
        hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, climate, **{ATTR_TEMPERATURE: 22.5}
    )
    pump = _device(simulator, HEAT_PUMP).heat_pump
    assert pump is not None
    assert pump.target_temperature == 22.5
    assert hass.states.get(climate).attributes["temperature"] == 22.5  # type: ignore[union-attr]

    await call_service(
        hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, climate, **{ATTR_HVAC_MODE: "cool"}
    )
    assert pump.mode == "COOLING"
    assert hass.states.get(climate).state == HVACMode.COOL  # type: ignore[union-attr]

    # Out of the heat pump's range: refused before anything is sent.
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, climate, **{ATTR_TEMPERATURE: 35}
        )
    assert "7.0 to 30.0" in str(refused.value)
    assert pump.target_temperature == 22.5


async def test_state_machine_changes_reach_the_entities_at_the_next_poll(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    charger = _device(simulator, CHARGER)
    charger.plugged_in = True
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", CHARGER, "smartflex_state") == "smart_control_in_progress"
    assert _state(hass, "sensor", CHARGER, "op_mode") == "awaiting_start"

    charger.lost_connection = True
    inverter = next(device for device in _home(simulator).devices if device.telemetry)
    inverter.telemetry.battery_online = False  # type: ignore[union-attr]
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", inverter.id, "battery_status") == "fault"
    assert _state(hass, "sensor", CHARGER, "smartflex_state") == "lost_connection"
    assert _state(hass, "sensor", CHARGER, "op_mode") == "error"

    # A boost runs out after an hour on the simulated supplier.
    car = _device(simulator, EV)
    car.update_boost("BOOST", dt_util.utcnow())
    await advance(hass, freezer, POLL)
    assert _state(hass, "switch", EV, "boost_charge") == STATE_ON
    for _ in range(15):
        await advance(hass, freezer, POLL)
    assert _state(hass, "switch", EV, "boost_charge") == STATE_OFF


async def test_dispatching_is_on_exactly_inside_planned_windows(
    hass: HomeAssistant,
    london: None,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    home = _home(simulator)
    home.plan_nights = False
    start = datetime.fromisoformat("2026-11-23T10:30:00+00:00")
    end = datetime.fromisoformat("2026-11-23T11:00:00+00:00")
    later = datetime.fromisoformat("2026-11-23T13:00:00+00:00")
    home.extra_dispatches.append(SimDispatch(start, end, -3.5))
    home.extra_dispatches.append(SimDispatch(later, later + timedelta(hours=1), -7))
    await setup_entry(hass, gb_entry)
    dispatching = _entity(hass, "binary_sensor", EV, "dispatching")

    state = hass.states.get(dispatching)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["start"] == start.isoformat()
    assert state.attributes["energy_kwh"] == 3.5
    assert _timestamp(hass, EV, "next_dispatch_start") == start

    await advance(hass, freezer, start - dt_util.utcnow() - timedelta(seconds=1))
    assert hass.states.get(dispatching).state == STATE_OFF  # type: ignore[union-attr]
    # No poll lands on the edge: the sensor is woken there.
    requests = simulator.state.requests.count()
    await advance(hass, freezer, timedelta(seconds=1))
    assert hass.states.get(dispatching).state == STATE_ON  # type: ignore[union-attr]
    assert simulator.state.requests.count() == requests
    assert _state(hass, "sensor", EV, "op_mode") == "charging"
    # The running window is the dispatching sensor's; "next" is the one after it, never a
    # start in the past.
    running = hass.states.get(dispatching)
    assert running is not None
    assert running.attributes["end"] == end.isoformat()
    assert _timestamp(hass, EV, "next_dispatch_start") == later
    assert _timestamp(hass, EV, "next_dispatch_end") == later + timedelta(hours=1)
    # The unplugged charge point is not the one being charged.
    assert _state(hass, "binary_sensor", CHARGER, "dispatching") == STATE_OFF

    await advance(hass, freezer, end - dt_util.utcnow() - timedelta(seconds=1))
    assert hass.states.get(dispatching).state == STATE_ON  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(seconds=1))
    assert hass.states.get(dispatching).state == STATE_OFF  # type: ignore[union-attr]
    assert _state(hass, "sensor", EV, "op_mode") == "awaiting_start"


async def test_a_withdrawn_dispatch_turns_dispatching_off_at_the_next_poll(
    hass: HomeAssistant,
    london: None,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    home = _home(simulator)
    home.plan_nights = False
    now = dt_util.utcnow()
    home.extra_dispatches.append(
        SimDispatch(now - timedelta(minutes=5), now + timedelta(hours=1), -7)
    )
    await setup_entry(hass, gb_entry)
    assert _state(hass, "binary_sensor", EV, "dispatching") == STATE_ON
    home.extra_dispatches.clear()
    await advance(hass, freezer, POLL)
    assert _state(hass, "binary_sensor", EV, "dispatching") == STATE_OFF


async def test_intelligent_tariff_counts_dispatches_as_off_peak(
    hass: HomeAssistant,
    london: None,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    intelligent = StandardTariff(
        id="1099",
        display_name="Intelligent Octopus Go",
        full_name="Intelligent Octopus Go October 2024",
        product_code="INTELLI-VAR-24-10-29",
        tariff_code="E-1R-INTELLI-VAR-24-10-29-C",
        standing_charge=47.85,
        pre_vat_standing_charge=without_vat(47.85),
        unit_rate=27.0,
        pre_vat_unit_rate=without_vat(27.0),
    )
    for agreement in account.electricity_agreements:
        if agreement.valid_to is None and not agreement.tariff.is_export:
            agreement.tariff = intelligent
    home = _home(simulator)
    home.plan_nights = False
    start = datetime.fromisoformat("2026-11-23T12:00:00+00:00")
    home.extra_dispatches.append(SimDispatch(start, start + timedelta(hours=1), -7))
    await setup_entry(hass, gb_entry)
    off_peak = er.async_get(hass).async_get_entity_id(
        "binary_sensor", DOMAIN, f"electricity_{GB_IMPORT_MPAN}_off_peak"
    )
    assert off_peak is not None
    assert hass.states.get(off_peak).state == STATE_OFF  # type: ignore[union-attr]
    await advance(hass, freezer, start - dt_util.utcnow())
    assert hass.states.get(off_peak).state == STATE_ON  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(hours=1))
    assert hass.states.get(off_peak).state == STATE_OFF  # type: ignore[union-attr]


async def test_devices_come_and_go_without_a_reload(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    home = _home(simulator)
    # A thermostat from a provider the integration has never heard of.
    home.devices.append(
        SmartDevice(
            id="6f1c2f50-0009-4e6a-9a55-000000000009",
            device_type="THERMOSTATS",
            graphql_type="SmartFlexDevice",
            provider="ECOBEE_V2",
            name="Hall thermostat",
        )
    )
    await advance(hass, freezer, POLL)
    new = registry_device(hass, loaded, "smartflex_6f1c2f50-0009-4e6a-9a55-000000000009")
    assert new is not None
    assert new.manufacturer == "Ecobee V2"
    thermostat = "6f1c2f50-0009-4e6a-9a55-000000000009"
    assert _state(hass, "sensor", thermostat, "smartflex_state") == "smart_control_capable"
    assert _state(hass, "switch", thermostat, "smart_control") == STATE_ON

    # The car is retired (re-registering would give it a new id); the heat pump removed.
    _device(simulator, EV).lifecycle = "RETIRED"
    home.devices.remove(_device(simulator, HEAT_PUMP))
    await advance(hass, freezer, POLL)
    # One answer without them: unavailable, still there.
    assert _state(hass, "switch", EV, "smart_control") == STATE_UNAVAILABLE
    assert registry_device(hass, loaded, f"smartflex_{HEAT_PUMP}") is not None
    # The next answer confirms it.
    await advance(hass, freezer, POLL)
    assert registry_device(hass, loaded, f"smartflex_{EV}") is None
    assert registry_device(hass, loaded, f"smartflex_{HEAT_PUMP}") is None
    assert registry_device(hass, loaded, f"smartflex_{CHARGER}") is not None
    # Their entities go with them.
    entities = er.async_get(hass)
    assert entities.async_get_entity_id("switch", DOMAIN, f"smartflex_{EV}_smart_control") is None
    assert (
        entities.async_get_entity_id("climate", DOMAIN, f"smartflex_{HEAT_PUMP}_heat_pump") is None
    )
    assert hass.states.get("switch.family_car_smart_control") is None
    assert _state(hass, "sensor", CHARGER, "smartflex_state") == "smart_control_not_available"


async def test_devices_stay_while_a_poll_fails_and_recover(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state.faults.add(Fault.http_status(502, count=1, operation_name="SmartFlex"))
    await advance(hass, freezer, POLL)
    # The last answer still stands while the poll is asked again, seconds later.
    assert _state(hass, "switch", EV, "smart_control") == STATE_ON
    assert registry_device(hass, loaded, f"smartflex_{EV}") is not None
    before = simulator.state.requests.count(operation_name="SmartFlex")
    await advance(hass, freezer, timedelta(seconds=10))
    assert simulator.state.requests.count(operation_name="SmartFlex") == before + 1
    assert _state(hass, "switch", EV, "smart_control") == STATE_ON


async def test_the_account_rides_along_with_the_device_poll(
    hass: HomeAssistant,
    london: None,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Device changes show within five minutes, the balance within the half hour, all
    through the one device poll."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    charger = account.smartflex.device(CHARGER)
    balance_id = entity_id(hass, "sensor", f"{GB_ACCOUNT}_balance")
    requests_before = len(simulator.state.requests.records)
    charger.plugged_in = True
    account.balance = 1234

    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", CHARGER, "smartflex_state") == "smart_control_in_progress"
    assert float(hass.states.get(balance_id).state) == pytest.approx(42.50)  # type: ignore[union-attr]
    for _ in range(5):
        await advance(hass, freezer, POLL)
    assert float(hass.states.get(balance_id).state) == pytest.approx(12.34)  # type: ignore[union-attr]
    asked = [
        record.operation_name
        for record in simulator.state.requests.records[requests_before:]
        if record.path == GRAPHQL_PATH
    ]
    # Six polls, the last one carrying the account: nothing else was asked of the account API.
    assert asked == ["SmartFlex"] * 5 + ["AccountWithDevices"]


async def test_supplier_without_smartflex_still_loads_the_account(
    hass: HomeAssistant,
    london: None,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    # A Kraken instance whose schema has no SmartFlex `devices` at all.
    simulator.state.kraken.hidden_fields = {"Query.devices"}
    await setup_entry(hass, gb_entry)
    balance = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{GB_ACCOUNT}_balance")
    assert balance is not None
    assert float(hass.states.get(balance).state) == pytest.approx(42.50)  # type: ignore[union-attr]
    assert (
        er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"smartflex_{EV}_smart_control")
        is None
    )
    # From then on only the account document is asked for, and no device polls.
    before = simulator.state.requests.count(operation_name="AccountWithDevices")
    await advance(hass, freezer, timedelta(minutes=31))
    assert simulator.state.requests.count(operation_name="AccountWithDevices") == before
    assert simulator.state.requests.count(operation_name="SmartFlex") == 0
    assert simulator.state.requests.count(operation_name="Account") >= 2


async def test_one_odd_failure_does_not_stop_the_combined_request(
    hass: HomeAssistant,
    london: None,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_entry(hass, gb_entry)
    simulator.state.faults.add(Fault.http_status(400, count=1, operation_name="AccountWithDevices"))
    await advance(hass, freezer, timedelta(minutes=30, seconds=5))
    before = simulator.state.requests.count(operation_name="AccountWithDevices")
    await advance(hass, freezer, timedelta(minutes=35))
    # The account's half-hourly request still carries the devices.
    assert simulator.state.requests.count(operation_name="AccountWithDevices") > before
    assert simulator.state.requests.count(operation_name="Account") == 0


async def test_a_device_without_preferences_shows_no_ready_by_time(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    # The supplier reports none, e.g. while the car is being onboarded again.
    _device(simulator, EV).preferences = None
    await advance(hass, freezer, POLL)
    weekday = hass.states.get(_entity(hass, "time", EV, "weekday_ready_by"))
    assert weekday is not None
    assert weekday.state == "unknown"
    assert "monday" not in weekday.attributes
