"""Easee chargers in Home Assistant against the simulator: flow, entities, controls, failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.easee.scenario import (
    DRIVEWAY_CHARGER_ID,
    EASEE_EMPTY_USERNAME,
    EASEE_PASSWORD,
    EASEE_USERNAME,
    GARAGE_CHARGER_ID,
    SITE_ID,
    SimCharger,
)
from simulator.faults import Fault

from ..conftest import MORNING, advance, setup_entry

POLL = timedelta(minutes=1, seconds=2)

# Frozen where the clock is moved on; diagnostics need the real clock.
FROZEN = pytest.mark.freeze_time(MORNING)


def _entry_data(simulator: RunningSimulator, **overrides: Any) -> dict[str, Any]:
    return {
        "provider": "easee",
        "username": EASEE_USERNAME,
        "password": EASEE_PASSWORD,
        "endpoint": simulator.easee_url,
        "sites": [SITE_ID],
        **overrides,
    }


@pytest.fixture
def easee_entry(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    """The simulator's Easee household, not yet set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Easee Home",
        unique_id=f"easee_{EASEE_USERNAME}",
        data=_entry_data(simulator),
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def loaded(hass: HomeAssistant, easee_entry: MockConfigEntry) -> MockConfigEntry:
    """The Easee household, set up."""
    await setup_entry(hass, easee_entry)
    assert easee_entry.state is ConfigEntryState.LOADED
    return easee_entry


def _charger(simulator: RunningSimulator, charger_id: str) -> SimCharger:
    return simulator.state.easee.chargers[charger_id]


def _entity(hass: HomeAssistant, platform: str, charger_id: str, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"easee_{charger_id}_{key}")
    assert found is not None, f"no {platform} {key} for {charger_id}"
    return found


def _state(hass: HomeAssistant, platform: str, charger_id: str, key: str) -> str:
    state = hass.states.get(_entity(hass, platform, charger_id, key))
    assert state is not None
    return state.state


async def _call(hass: HomeAssistant, domain: str, service: str, entity: str, **data: Any) -> None:
    await hass.services.async_call(domain, service, {ATTR_ENTITY_ID: entity, **data}, blocking=True)


async def _easee_form(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "show_advanced_options": True}
    )
    assert result["type"] is FlowResultType.MENU
    assert "easee" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "easee"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "easee"
    return dict(result)


async def test_flow_signs_in_and_adds_the_site(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    form = await _easee_form(hass)
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": "wrong", "endpoint": simulator.easee_url},
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD, "endpoint": "not a url"},
    )
    assert result["errors"] == {"endpoint": "invalid_url"}
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD, "endpoint": simulator.easee_url},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Easee Home"
    assert result["data"]["sites"] == [SITE_ID]
    await hass.async_block_till_done()
    # The same Easee user cannot be added twice.
    again = await _easee_form(hass)
    result = await hass.config_entries.flow.async_configure(
        again["flow_id"],
        {
            "username": EASEE_USERNAME.upper(),
            "password": EASEE_PASSWORD,
            "endpoint": simulator.easee_url,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_flow_for_an_account_without_chargers(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    form = await _easee_form(hass)
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {
            "username": EASEE_EMPTY_USERNAME,
            "password": EASEE_PASSWORD,
            "endpoint": simulator.easee_url,
        },
    )
    assert result["errors"] == {"base": "no_chargers"}


async def test_flow_cannot_connect(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    form = await _easee_form(hass)
    simulator.state.faults.add(Fault.http_status(503, count=None, path="/api/"))
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD, "endpoint": simulator.easee_url},
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_charger_entities_show_state_in_both_vocabularies(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    device = dr.async_get(hass).async_get_device({(DOMAIN, f"easee_{GARAGE_CHARGER_ID}")})
    assert device is not None
    assert (device.name, device.manufacturer, device.model) == ("Garage", "Easee", "Easee Home")

    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "easee_op_mode") == "charging"
    reason = hass.states.get(_entity(hass, "sensor", GARAGE_CHARGER_ID, "reason_for_no_current"))
    assert reason is not None
    assert reason.state == "limited_by_dynamic_charger_current"
    assert reason.attributes["friendly_name"] == "Garage Reason for no current"
    power = float(_state(hass, "sensor", GARAGE_CHARGER_ID, "power"))
    assert 10.0 < power < 12.0
    lifetime = hass.states.get(_entity(hass, "sensor", GARAGE_CHARGER_ID, "lifetime_energy"))
    assert lifetime is not None
    assert float(lifetime.state) == pytest.approx(1523.6, abs=0.5)
    assert lifetime.attributes["state_class"] == "total_increasing"
    assert lifetime.attributes["unit_of_measurement"] == "kWh"
    assert float(_state(hass, "sensor", GARAGE_CHARGER_ID, "current")) == 16.0
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "output_phase") == "p3_t2_t3_t4_t5_tn"
    assert _state(hass, "binary_sensor", GARAGE_CHARGER_ID, "cable_locked") == STATE_ON
    assert _state(hass, "binary_sensor", GARAGE_CHARGER_ID, "online") == STATE_ON
    assert _state(hass, "switch", GARAGE_CHARGER_ID, "charging_enabled") == STATE_ON
    assert float(_state(hass, "number", GARAGE_CHARGER_ID, "dynamic_charger_current")) == 16
    assert _state(hass, "select", GARAGE_CHARGER_ID, "phase_mode") == "auto"

    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "disconnected"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "easee_op_mode") == "disconnected"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "reason_for_no_current") == (
        "not_requesting_current"
    )
    assert _state(hass, "switch", DRIVEWAY_CHARGER_ID, "smart_charging") == STATE_ON
    # Diagnostic enums are there, out of the way.
    entry = er.async_get(hass).async_get(_entity(hass, "sensor", GARAGE_CHARGER_ID, "led_mode"))
    assert entry is not None
    assert entry.entity_category == "diagnostic"


@FROZEN
async def test_a_charger_moves_through_disconnected_awaiting_charging_completed(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    driveway = _charger(simulator, DRIVEWAY_CHARGER_ID)
    driveway.authorization_required = True
    driveway.plug_in(demand_kwh=1.0)
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "awaiting_start"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "easee_op_mode") == "awaiting_start"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "reason_for_no_current") == (
        "pending_authorization"
    )

    await _call(
        hass, "button", "press", _entity(hass, "button", DRIVEWAY_CHARGER_ID, "start_charging")
    )
    # The command refreshed the charger at once.
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "charging"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "easee_op_mode") == "charging"

    # 1 kWh at 22 kW takes under three minutes.
    for _ in range(4):
        await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "completed"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "easee_op_mode") == "completed"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "reason_for_no_current") == (
        "car_not_charging"
    )
    assert float(_state(hass, "sensor", DRIVEWAY_CHARGER_ID, "session_energy")) == (
        pytest.approx(1.0, abs=0.01)
    )

    driveway.unplug()
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "disconnected"


@FROZEN
async def test_extended_op_modes_show_in_easee_status(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    garage = _charger(simulator, GARAGE_CHARGER_ID)
    for code, easee_status, canonical in (
        (105, "awaiting_smart_start", "awaiting_start"),
        (7, "awaiting_authorization", "awaiting_start"),
        (0, "offline", "unknown"),
        (250, "unknown", "unknown"),
    ):
        garage.reported_op_mode = code
        garage.settle()
        await advance(hass, freezer, POLL)
        assert _state(hass, "sensor", GARAGE_CHARGER_ID, "easee_op_mode") == easee_status
        assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == canonical


async def test_controls_change_the_charger(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    garage = _charger(simulator, GARAGE_CHARGER_ID)
    await _call(
        hass,
        "number",
        "set_value",
        _entity(hass, "number", GARAGE_CHARGER_ID, "dynamic_charger_current"),
        value=10,
    )
    assert garage.dynamic_charger_current == 10
    assert float(_state(hass, "sensor", GARAGE_CHARGER_ID, "current")) == 10

    await _call(
        hass,
        "number",
        "set_value",
        _entity(hass, "number", GARAGE_CHARGER_ID, "max_charger_current"),
        value=20,
    )
    assert garage.max_charger_current == 20
    # The dynamic limit can now go no higher than the new maximum.
    dynamic = hass.states.get(_entity(hass, "number", GARAGE_CHARGER_ID, "dynamic_charger_current"))
    assert dynamic is not None
    assert dynamic.attributes["max"] == 20

    await _call(
        hass,
        "select",
        "select_option",
        _entity(hass, "select", GARAGE_CHARGER_ID, "phase_mode"),
        option="locked_to_single_phase",
    )
    assert garage.phase_mode == 1
    assert _state(hass, "select", GARAGE_CHARGER_ID, "phase_mode") == "locked_to_single_phase"

    await _call(
        hass, "switch", "turn_off", _entity(hass, "switch", GARAGE_CHARGER_ID, "smart_charging")
    )
    assert not garage.smart_charging

    await _call(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "pause_charging")
    )
    assert garage.dynamic_charger_current == 0
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "awaiting_start"
    await _call(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "resume_charging")
    )
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    await _call(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "stop_charging")
    )
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "completed"

    await _call(
        hass, "switch", "turn_off", _entity(hass, "switch", GARAGE_CHARGER_ID, "charging_enabled")
    )
    assert not garage.enabled
    assert _state(hass, "switch", GARAGE_CHARGER_ID, "charging_enabled") == STATE_OFF


async def test_refused_commands_say_why(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    with pytest.raises(HomeAssistantError) as refused:
        await _call(
            hass,
            "button",
            "press",
            _entity(hass, "button", DRIVEWAY_CHARGER_ID, "start_charging"),
        )
    assert refused.value.translation_key == "command_refused"
    assert "No car is connected" in str(refused.value)

    _charger(simulator, GARAGE_CHARGER_ID).online = False
    with pytest.raises(HomeAssistantError) as refused:
        await _call(
            hass,
            "switch",
            "turn_on",
            _entity(hass, "switch", GARAGE_CHARGER_ID, "smart_charging"),
        )
    assert "offline" in str(refused.value)


@FROZEN
async def test_failures_make_entities_unavailable_and_recover(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state.faults.add(Fault.rate_limit(retry_after=180, count=1, path="/api/chargers"))
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == STATE_UNAVAILABLE
    # Retry-After is honoured: nothing before three minutes.
    await advance(hass, freezer, timedelta(minutes=2))
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == STATE_UNAVAILABLE
    await advance(hass, freezer, timedelta(minutes=1, seconds=5))
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"


@FROZEN
async def test_a_changed_password_starts_reauth_and_reauth_heals(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    easee = simulator.state.easee
    user = easee.user_by_username(EASEE_USERNAME)
    assert user is not None
    user.password = "new-password"
    easee.expire_access_tokens()
    easee.revoke_refresh_tokens()
    await advance(hass, freezer, POLL)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    flow_id = flows[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id, {"password": "wrong"})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(flow_id, {"password": "new-password"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert loaded.data["password"] == "new-password"
    await hass.async_block_till_done()
    assert loaded.state is ConfigEntryState.LOADED
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"


async def test_reconfigure_keeps_the_same_easee_user(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    result = await loaded.start_reconfigure_flow(hass, show_advanced_options=True)
    assert result["step_id"] == "reconfigure_easee"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "username": EASEE_EMPTY_USERNAME,
            "password": EASEE_PASSWORD,
            "endpoint": simulator.easee_url,
        },
    )
    # That user has no chargers: the form says so before any account check.
    assert result["errors"] == {"base": "no_chargers"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD, "endpoint": simulator.easee_url},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_diagnostics_hide_credentials_and_serials(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, loaded: MockConfigEntry
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded)
    text = repr(diagnostics)
    for secret in (EASEE_PASSWORD, EASEE_USERNAME, GARAGE_CHARGER_ID):
        assert secret not in text
    assert {charger["state"]["op_mode"] for charger in diagnostics["chargers"]} == {
        "charging",
        "disconnected",
    }


async def test_easee_entries_have_no_options_and_no_rates(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    assert not loaded.supports_options
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN,
            "get_rates",
            {
                "config_entry_id": loaded.entry_id,
                "start": "2026-11-23 00:00:00",
                "end": "2026-11-24 00:00:00",
            },
            blocking=True,
            return_response=True,
        )


async def test_unload(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(loaded.entry_id)
    assert loaded.state is ConfigEntryState.NOT_LOADED
