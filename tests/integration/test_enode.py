"""Enode devices in Home Assistant against the simulator: flow, entities, controls, repairs."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.enode.select import OPERATION_MODES
from simulator.app import RunningSimulator
from simulator.enode.state import (
    BATTERY_ID,
    CHARGER_ID,
    ENODE_CLIENT_ID,
    ENODE_CLIENT_SECRET,
    ENODE_USER_ID,
    HVAC_ID,
    INVERTER_ID,
    METER_ID,
    TIME_OF_USE_INTERVENTION_ID,
    VEHICLE_ID,
    ActionOutcome,
    capability,
)
from simulator.faults import Fault

from ..conftest import (
    MORNING,
    advance,
    call_service,
    entity_id,
    registry_device,
    setup_entry,
    unique_state,
)

POLL = timedelta(minutes=2, seconds=2)
FROZEN = pytest.mark.freeze_time(MORNING)


@pytest.fixture
async def loaded(hass: HomeAssistant, enode_entry: MockConfigEntry) -> MockConfigEntry:
    """The Enode household, set up."""
    await setup_entry(hass, enode_entry)
    assert enode_entry.state is ConfigEntryState.LOADED
    return enode_entry


def _entity(hass: HomeAssistant, platform: str, device_id: str, key: str) -> str:
    return entity_id(hass, platform, f"enode_{device_id}_{key}")


def _state(hass: HomeAssistant, platform: str, device_id: str, key: str) -> str:
    return unique_state(hass, platform, f"enode_{device_id}_{key}")


@FROZEN
async def test_every_device_kind_shows_its_entities(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    # Vehicle.
    assert float(_state(hass, "sensor", VEHICLE_ID, "battery_level")) == pytest.approx(52, abs=1)
    assert float(_state(hass, "sensor", VEHICLE_ID, "range")) > 0
    assert float(_state(hass, "sensor", VEHICLE_ID, "odometer")) == pytest.approx(18234.5)
    assert _state(hass, "sensor", VEHICLE_ID, "power_delivery_state") == "plugged_in_stopped"
    assert _state(hass, "sensor", VEHICLE_ID, "op_mode") == "awaiting_start"
    assert _state(hass, "binary_sensor", VEHICLE_ID, "plugged_in") == STATE_ON
    assert _state(hass, "binary_sensor", VEHICLE_ID, "charging") == STATE_OFF
    assert _state(hass, "switch", VEHICLE_ID, "charging") == STATE_OFF
    assert _state(hass, "switch", VEHICLE_ID, "smart_charging") == STATE_OFF
    assert _state(hass, "time", VEHICLE_ID, "smart_charging_deadline") == "07:00:00"
    assert float(_state(hass, "number", VEHICLE_ID, "smart_charging_minimum")) == 20
    tracker = hass.states.get(_entity(hass, "device_tracker", VEHICLE_ID, "location"))
    assert tracker is not None
    assert tracker.attributes["latitude"] == pytest.approx(51.5072)
    name = hass.states.get(_entity(hass, "sensor", VEHICLE_ID, "range"))
    assert name is not None
    assert name.attributes["friendly_name"] == "Blue Tesla Range"
    # The vehicle cannot set a max current: no such entity.
    entities = er.async_get(hass)
    assert entities.async_get_entity_id("number", DOMAIN, f"enode_{VEHICLE_ID}_max_current") is None

    # Enode sends no chargeRate while a car does not charge: that is 0 kW, not unknown.
    assert float(_state(hass, "sensor", VEHICLE_ID, "charging_power")) == 0
    percent = hass.states.get(_entity(hass, "sensor", VEHICLE_ID, "battery_level"))
    assert percent is not None
    level = er.async_get(hass).async_get(percent.entity_id)
    assert level is not None
    assert level.options["sensor"]["suggested_display_precision"] == 0

    # Charger: a car plugged in, not charging yet.
    assert _state(hass, "sensor", CHARGER_ID, "op_mode") == "awaiting_start"
    assert float(_state(hass, "sensor", CHARGER_ID, "charging_power")) == 0
    assert _entity(hass, "number", CHARGER_ID, "max_current")
    # Zaptec's model "ZAPTEC PRO": the make is not said twice in the device's name.
    charger = registry_device(hass, loaded, f"enode_{CHARGER_ID}")
    assert charger is not None
    assert (charger.name, charger.manufacturer, charger.model) == (
        "ZAPTEC PRO",
        "Zaptec",
        "ZAPTEC PRO",
    )

    # HVAC.
    climate = hass.states.get(_entity(hass, "climate", HVAC_ID, "hvac"))
    assert climate is not None
    assert climate.state == "heat"
    assert climate.attributes["friendly_name"] == "Living room heat pump"
    assert set(climate.attributes["hvac_modes"]) == {"off", "heat", "cool", "heat_cool"}
    assert climate.attributes["temperature"] == 21.0
    assert climate.attributes["preset_mode"] == "hold"
    assert climate.attributes["min_temp"] == 10.0

    # Battery: time of use is blocked by an intervention, so it is not offered.
    select = hass.states.get(_entity(hass, "select", BATTERY_ID, "operation_mode"))
    assert select is not None
    assert select.state == "self_reliance"
    assert "time_of_use" not in select.attributes["options"]
    assert float(_state(hass, "sensor", BATTERY_ID, "battery_reserve")) == 20
    # In the morning the battery covers the house.
    assert _state(hass, "sensor", BATTERY_ID, "battery_status") == "discharging"

    # Inverter and meter.
    lifetime = hass.states.get(_entity(hass, "sensor", INVERTER_ID, "lifetime_production"))
    assert lifetime is not None
    assert lifetime.attributes["state_class"] == "total_increasing"
    grid = hass.states.get(_entity(hass, "sensor", METER_ID, "grid_power"))
    assert grid is not None
    assert grid.attributes["unit_of_measurement"] == "kW"
    float(grid.state)  # a number, not unknown
    assert _state(hass, "binary_sensor", METER_ID, "online") == STATE_ON


async def test_vehicle_controls_change_the_vehicle(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    vehicle = simulator.state.enode.vehicles[VEHICLE_ID]
    await call_service(hass, "switch", "turn_on", _entity(hass, "switch", VEHICLE_ID, "charging"))
    assert vehicle.is_charging
    assert _state(hass, "binary_sensor", VEHICLE_ID, "charging") == STATE_ON
    assert _state(hass, "sensor", VEHICLE_ID, "op_mode") == "charging"

    await call_service(
        hass, "switch", "turn_on", _entity(hass, "switch", VEHICLE_ID, "smart_charging")
    )
    assert vehicle.smart_charging_enabled
    await call_service(
        hass,
        "number",
        "set_value",
        _entity(hass, "number", VEHICLE_ID, "smart_charging_minimum"),
        value=35,
    )
    assert vehicle.minimum_charge_limit == 35
    await call_service(
        hass,
        "time",
        "set_value",
        _entity(hass, "time", VEHICLE_ID, "smart_charging_deadline"),
        time="06:30:00",
    )
    assert vehicle.deadline is not None
    assert vehicle.deadline.startswith("06:30")
    assert _state(hass, "time", VEHICLE_ID, "smart_charging_deadline") == "06:30:00"
    await call_service(hass, "button", "press", _entity(hass, "button", VEHICLE_ID, "charge_now"))
    assert simulator.state.enode.smart_overrides[VEHICLE_ID].ended_at is None


async def test_charger_hvac_and_battery_controls(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    enode = simulator.state.enode
    await call_service(
        hass, "number", "set_value", _entity(hass, "number", CHARGER_ID, "max_current"), value=16
    )
    assert enode.chargers[CHARGER_ID].max_current == 16

    climate = _entity(hass, "climate", HVAC_ID, "hvac")
    await call_service(hass, "climate", "set_temperature", climate, temperature=22.5)
    assert enode.hvacs[HVAC_ID].heat_setpoint == 22.5
    await call_service(hass, "climate", "set_hvac_mode", climate, hvac_mode="cool")
    assert enode.hvacs[HVAC_ID].mode == "COOL"
    assert hass.states.get(climate).state == "cool"  # type: ignore[union-attr]
    await call_service(hass, "climate", "set_preset_mode", climate, preset_mode="schedule")
    assert enode.hvacs[HVAC_ID].hold_type == "SCHEDULED"
    assert hass.states.get(climate).attributes["preset_mode"] == "schedule"  # type: ignore[union-attr]
    await call_service(hass, "climate", "turn_off", climate)
    assert enode.hvacs[HVAC_ID].mode == "OFF"

    await call_service(
        hass,
        "select",
        "select_option",
        _entity(hass, "select", BATTERY_ID, "operation_mode"),
        option="import_focus",
    )
    assert enode.batteries[BATTERY_ID].operation_mode == "IMPORT_FOCUS"


async def test_failed_and_refused_controls_say_why(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    enode = simulator.state.enode
    enode.queue_action_outcomes(ActionOutcome.failed())
    with pytest.raises(HomeAssistantError) as failed:
        await call_service(
            hass, "switch", "turn_on", _entity(hass, "switch", VEHICLE_ID, "charging")
        )
    assert failed.value.translation_key == "action_failed"
    assert "remained unreachable" in str(failed.value)
    assert not enode.vehicles[VEHICLE_ID].is_charging

    # Controlled by an Enode schedule: HTTP 422 with a Problem body.
    enode.schedule_controlled.add(CHARGER_ID)
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass, "switch", "turn_on", _entity(hass, "switch", CHARGER_ID, "charging")
        )
    assert refused.value.translation_key == "command_refused"


@FROZEN
async def test_an_intervention_is_a_repair_until_resolved(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    issues = ir.async_get(hass)
    ours = [issue for (domain, _id), issue in issues.issues.items() if domain == DOMAIN]
    assert {issue.translation_key for issue in ours} == {
        "enode_intervention_time_of_use",
        "enode_intervention_set_max_current",
    }
    battery_issue = next(issue for issue in ours if TIME_OF_USE_INTERVENTION_ID in issue.issue_id)
    # The repair as Home Assistant shows it: what cannot be done in words, and Enode's
    # numbered steps one a line (Enode separates them with <br>).
    texts = await async_get_translations(hass, "en", "issues", {DOMAIN})
    template = texts[f"component.{DOMAIN}.issues.{battery_issue.translation_key}.description"]
    assert battery_issue.translation_placeholders is not None
    shown = template.format(**battery_issue.translation_placeholders)
    assert shown.startswith(
        "Home Assistant cannot switch Tesla Powerwall 2 to time of use until this is done:"
    )
    assert shown.endswith(
        "\n\n1. Open the **Tesla app**\n2. Go to *Powerwall > Settings*\n"
        "3. Turn on **Time-Based Control**"
    )

    battery = simulator.state.enode.batteries[BATTERY_ID]
    battery.capabilities["timeOfUse"] = capability()
    await advance(hass, freezer, POLL)
    remaining = [issue_id for (domain, issue_id) in issues.issues if domain == DOMAIN]
    assert not any(TIME_OF_USE_INTERVENTION_ID in issue_id for issue_id in remaining)
    select = hass.states.get(_entity(hass, "select", BATTERY_ID, "operation_mode"))
    assert select is not None
    assert "time_of_use" in select.attributes["options"]


@FROZEN
async def test_polls_list_only_the_kinds_the_user_has(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    enode = simulator.state.enode
    for devices in (enode.chargers, enode.hvacs, enode.batteries, enode.inverters, enode.meters):
        devices.clear()
    await setup_entry(hass, enode_entry)
    before = simulator.state.requests.count()
    await advance(hass, freezer, POLL)
    assert simulator.state.requests.count() - before == 1
    assert simulator.state.requests.count(operation_name="listUserVehicles") >= 2


@FROZEN
async def test_a_rotated_secret_starts_reauth(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    enode = simulator.state.enode
    enode.clients[ENODE_CLIENT_ID] = "rotated-secret"
    enode.expire_tokens()
    await advance(hass, freezer, POLL)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"client_secret": "rotated-secret"}
    )
    assert result["reason"] == "reauth_successful"
    assert loaded.data["client_secret"] == "rotated-secret"


async def test_diagnostics_hide_secrets_and_locations(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, loaded: MockConfigEntry
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded)
    text = repr(diagnostics)
    for secret in (ENODE_CLIENT_SECRET, ENODE_USER_ID, "5YJ3E7EB0NF000001", "51.5072"):
        assert secret not in text
    assert diagnostics["devices"]["vehicles"][0]["battery_level"] is not None


async def test_hvac_in_auto_holds_a_range_and_turns_on_and_off(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hvac = simulator.state.enode.hvacs[HVAC_ID]
    climate = _entity(hass, "climate", HVAC_ID, "hvac")
    await call_service(hass, "climate", "set_hvac_mode", climate, hvac_mode="heat_cool")
    assert hvac.mode == "AUTO"
    state = hass.states.get(climate)
    assert state is not None
    assert (state.attributes["target_temp_low"], state.attributes["target_temp_high"]) == (
        21.0,
        24.0,
    )
    await call_service(
        hass, "climate", "set_temperature", climate, target_temp_low=19, target_temp_high=25
    )
    assert (hvac.heat_setpoint, hvac.cool_setpoint) == (19, 25)
    await call_service(hass, "climate", "turn_off", climate)
    assert hass.states.get(climate).state == "off"  # type: ignore[union-attr]
    assert hass.states.get(climate).attributes["hvac_action"] == "off"  # type: ignore[union-attr]
    await call_service(hass, "climate", "turn_on", climate)
    assert hvac.mode != "OFF"
    # Cooling to a single setpoint.
    await call_service(
        hass, "climate", "set_temperature", climate, temperature=23, hvac_mode="cool"
    )
    assert (hvac.mode, hvac.cool_setpoint) == ("COOL", 23)
    assert hass.states.get(climate).attributes["temperature"] == 23  # type: ignore[union-attr]
    # Back from the schedule to a hold of what it does now.
    await call_service(hass, "climate", "set_preset_mode", climate, preset_mode="schedule")
    await call_service(hass, "climate", "set_preset_mode", climate, preset_mode="hold")
    assert hvac.hold_type == "PERMANENT"


async def test_reconfigure_and_cannot_connect(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    result = await loaded.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_enode"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": "wrong", "environment": "custom"}
    )
    # An entry on a stand-in keeps its addresses, asked for again.
    assert result["step_id"] == "enode_endpoint"
    endpoints = {"api_url": simulator.enode_url, "token_url": simulator.enode_token_url}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], endpoints)
    # The refused secret is said on the form that has the secret.
    assert result["step_id"] == "reconfigure_enode"
    assert result["errors"] == {"base": "enode_invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": ENODE_CLIENT_SECRET, "environment": "custom"}
    )
    simulator.state.faults.add(Fault.http_status(503, count=1, path="/enode/oauth2/token"))
    result = await hass.config_entries.flow.async_configure(result["flow_id"], endpoints)
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], endpoints)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_to_where_the_user_does_not_exist_is_refused(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    simulator.state.enode.users.discard(ENODE_USER_ID)
    for devices in (
        simulator.state.enode.vehicles,
        simulator.state.enode.chargers,
        simulator.state.enode.hvacs,
        simulator.state.enode.batteries,
        simulator.state.enode.inverters,
        simulator.state.enode.meters,
    ):
        devices.clear()
    simulator.state.faults.add(Fault.http_status(404, count=None, path="/enode/users/"))
    result = await loaded.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": ENODE_CLIENT_SECRET, "environment": "custom"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"api_url": simulator.enode_url, "token_url": simulator.enode_token_url},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


async def test_removing_the_entry_takes_its_repairs(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    issues = ir.async_get(hass)
    assert any(domain == DOMAIN for domain, _id in issues.issues)
    await hass.config_entries.async_remove(loaded.entry_id)
    assert not any(domain == DOMAIN for domain, _id in issues.issues)


@FROZEN
async def test_a_device_that_returns_gets_its_entities_back(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    meters = simulator.state.enode.meters
    meter = meters[METER_ID]
    meters.clear()
    for _ in range(2):
        await advance(hass, freezer, POLL)
    assert (
        er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"enode_{METER_ID}_grid_power")
        is None
    )
    meters[METER_ID] = meter
    # The next full listing (every 30 minutes) finds it again.
    for _ in range(16):
        await advance(hass, freezer, POLL)
    # Its reading again: the meter's power, a number.
    assert float(_state(hass, "sensor", METER_ID, "grid_power")) == pytest.approx(meter.power)


@FROZEN
async def test_a_device_unlinked_from_enode_leaves_home_assistant(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert registry_device(hass, loaded, f"enode_{METER_ID}") is not None
    simulator.state.enode.meters.clear()
    # One answer without it: its entities are unavailable, the device stays.
    await advance(hass, freezer, POLL)
    assert registry_device(hass, loaded, f"enode_{METER_ID}") is not None
    assert _state(hass, "sensor", METER_ID, "grid_power") == STATE_UNAVAILABLE
    # A second answer in a row without it: it has left.
    await advance(hass, freezer, POLL)
    assert registry_device(hass, loaded, f"enode_{METER_ID}") is None
    assert registry_device(hass, loaded, f"enode_{VEHICLE_ID}") is not None


async def test_interventions_speak_home_assistants_language(
    hass: HomeAssistant, enode_entry: MockConfigEntry
) -> None:
    await hass.config.async_update(language="de")
    await setup_entry(hass, enode_entry)
    titles = {
        issue.translation_placeholders["title"]
        for (domain, _id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.translation_placeholders
    }
    assert "Zeitbasierte Steuerung in der Tesla-App aktivieren" in titles
    assert "Tesla-Konto erneut verknüpfen" in titles


async def test_slow_actions_are_left_pending_not_reported_failed(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The wait for a device's confirmation, shortened from 15 s for the test.
    monkeypatch.setattr(
        "custom_components.kraken_energy.providers.enode.coordinator.ENODE_ACTION_TIMEOUT", 0.2
    )
    simulator.state.enode.queue_action_outcomes(ActionOutcome(never_resolves=True))
    entity = _entity(hass, "switch", VEHICLE_ID, "charging")
    # The action never confirms: the call returns without an error, the command stays
    # pending, and the switch shows what the car does (still not charging), not a guess.
    await call_service(hass, "switch", "turn_on", entity)
    assert _state(hass, "switch", VEHICLE_ID, "charging") == STATE_OFF
    assert "stays pending" in caplog.text
    assert simulator.state.requests.count(path=f"/enode/vehicles/{VEHICLE_ID}/charging") == 1


async def test_smart_charging_minimum_stays_under_the_charge_limit(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    minimum = hass.states.get(_entity(hass, "number", VEHICLE_ID, "smart_charging_minimum"))
    assert minimum is not None
    assert minimum.attributes["max"] == 80


async def test_climate_ranges_and_actions_follow_the_mode(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hvac = simulator.state.enode.hvacs[HVAC_ID]
    climate = _entity(hass, "climate", HVAC_ID, "hvac")
    state = hass.states.get(climate)
    assert state is not None
    assert (state.attributes["min_temp"], state.attributes["max_temp"]) == (10.0, 30.0)
    await call_service(hass, "climate", "set_hvac_mode", climate, hvac_mode="cool")
    state = hass.states.get(climate)
    assert state is not None
    assert (state.attributes["min_temp"], state.attributes["max_temp"]) == (16.0, 32.0)
    # A unit that cannot be held offers only its own mode and its schedule.
    hvac.capabilities["setPermanentHold"] = capability(False)
    await loaded.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(climate)
    assert state is not None
    assert state.attributes["hvac_modes"] == ["cool"]
    assert state.attributes["preset_modes"] == ["schedule"]


@FROZEN
async def test_hvac_in_auto_says_whether_it_heats_or_cools(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    hvac = simulator.state.enode.hvacs[HVAC_ID]
    climate = _entity(hass, "climate", HVAC_ID, "hvac")
    await call_service(hass, "climate", "set_hvac_mode", climate, hvac_mode="heat_cool")
    # Auto holds a range: no single target temperature.
    assert "temperature" not in hass.states.get(climate).attributes  # type: ignore[union-attr]
    hvac.current_temperature = 17.0
    await advance(hass, freezer, POLL)
    assert hass.states.get(climate).attributes["hvac_action"] == "heating"  # type: ignore[union-attr]
    hvac.current_temperature = 27.0
    await advance(hass, freezer, POLL)
    assert hass.states.get(climate).attributes["hvac_action"] == "cooling"  # type: ignore[union-attr]
    hvac.current_temperature = 22.0
    await advance(hass, freezer, POLL)
    assert hass.states.get(climate).attributes["hvac_action"] == "idle"  # type: ignore[union-attr]


@FROZEN
async def test_hvac_single_setpoint_in_heat_and_no_preset_without_a_hold(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    hvac = simulator.state.enode.hvacs[HVAC_ID]
    climate = _entity(hass, "climate", HVAC_ID, "hvac")
    await call_service(
        hass, "climate", "set_temperature", climate, temperature=22.5, hvac_mode="heat"
    )
    assert (hvac.mode, hvac.heat_setpoint, hvac.hold_type) == ("HEAT", 22.5, "PERMANENT")
    state = hass.states.get(climate)
    assert state is not None
    assert (state.state, state.attributes["temperature"]) == ("heat", 22.5)
    assert state.attributes["preset_mode"] == "hold"
    # A unit that reports no hold type shows no preset rather than a guessed one.
    hvac.hold_type = None
    await advance(hass, freezer, POLL)
    assert hass.states.get(climate).attributes["preset_mode"] is None  # type: ignore[union-attr]


@FROZEN
async def test_a_heat_pump_gone_from_enode_offers_no_modes_until_it_leaves(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    climate = _entity(hass, "climate", HVAC_ID, "hvac")
    select = _entity(hass, "select", BATTERY_ID, "operation_mode")
    simulator.state.enode.hvacs.clear()
    simulator.state.enode.batteries.clear()
    await advance(hass, freezer, POLL)
    # A battery's mode picker keeps listing every mode meanwhile.
    battery_modes = hass.states.get(select)
    assert battery_modes is not None
    assert battery_modes.state == STATE_UNAVAILABLE
    assert battery_modes.attributes["options"] == list(OPERATION_MODES)
    state = hass.states.get(climate)
    # The first listing without it: unavailable, no modes or presets to pick.
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert state.attributes["hvac_modes"] == []
    assert "preset_modes" not in state.attributes
    await advance(hass, freezer, POLL)
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("climate", DOMAIN, f"enode_{HVAC_ID}_hvac") is None
