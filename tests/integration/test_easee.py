"""Easee chargers in Home Assistant against the simulator: flow, entities, controls, failures."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.easee import config_flow as easee_flow
from custom_components.kraken_energy.providers.easee.const import EASEE_CONFIG_INTERVAL
from simulator.app import RunningSimulator
from simulator.easee.scenario import (
    CIRCUIT_ID,
    DRIVEWAY_CHARGER_ID,
    EASEE_EMPTY_USERNAME,
    EASEE_PASSWORD,
    EASEE_USERNAME,
    GARAGE_CHARGER_ID,
    SITE_ID,
    EaseeUser,
    SimCharger,
    SimSite,
)
from simulator.faults import Fault

from ..conftest import (
    MORNING,
    advance,
    call_service,
    entity_id,
    registry_device,
    setup_entry,
    state_of,
    unique_state,
)

POLL = timedelta(minutes=1, seconds=2)

# Frozen where the clock is moved on; diagnostics need the real clock.
FROZEN = pytest.mark.freeze_time(MORNING)

# A second site, added to the simulator where a test needs one.
CABIN_SITE_ID = 150002
CABIN_CHARGER_ID = "EH100003"
NEIGHBOUR_USERNAME = "easee-neighbour@example.com"


@pytest.fixture
async def loaded(hass: HomeAssistant, easee_entry: MockConfigEntry) -> MockConfigEntry:
    """The Easee household, set up."""
    await setup_entry(hass, easee_entry)
    assert easee_entry.state is ConfigEntryState.LOADED
    return easee_entry


def _charger(simulator: RunningSimulator, charger_id: str) -> SimCharger:
    return simulator.state.easee.chargers[charger_id]


def _new_charger(simulator: RunningSimulator, site: SimSite, charger_id: str, name: str) -> None:
    """A charger, with no car at it, installed on the site's circuit."""
    charger = SimCharger(
        charger_id=charger_id, name=name, site_id=site.site_id, circuit_id=site.circuit_id
    )
    charger.settle()
    simulator.state.easee.chargers[charger_id] = charger
    site.charger_ids.append(charger_id)


def _add_cabin(simulator: RunningSimulator, username: str = EASEE_USERNAME) -> None:
    """A second site, "Cabin", with one charger, that `username` can see."""
    easee = simulator.state.easee
    cabin = SimSite(
        site_id=CABIN_SITE_ID, name="Cabin", site_key="SIM2-5000", circuit_id=CIRCUIT_ID + 1
    )
    easee.sites.append(cabin)
    _new_charger(simulator, cabin, CABIN_CHARGER_ID, "Cabin")
    user = easee.user_by_username(username)
    assert user is not None
    user.site_ids.append(CABIN_SITE_ID)


def _charger_ids(hass: HomeAssistant, entry_id: str) -> set[str]:
    """The chargers the entry has devices for."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    return {
        identifier.removeprefix("easee_")
        for device in devices
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }


def _entity(hass: HomeAssistant, platform: str, charger_id: str, key: str) -> str:
    return entity_id(hass, platform, f"easee_{charger_id}_{key}")


def _state(hass: HomeAssistant, platform: str, charger_id: str, key: str) -> str:
    return unique_state(hass, platform, f"easee_{charger_id}_{key}")


@pytest.fixture(autouse=True)
def easee_cloud_is_the_simulator(
    monkeypatch: pytest.MonkeyPatch, simulator: RunningSimulator
) -> None:
    """Point the flow's fixed Easee address at the simulator (users never see or set it)."""
    monkeypatch.setattr(easee_flow, "EASEE_API_URL", simulator.easee_url)


async def _easee_form(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert "easee" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "easee"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "easee"
    return dict(result)


def _credentials(
    simulator: RunningSimulator, username: str = EASEE_USERNAME, **overrides: str
) -> dict[str, str]:
    return {"username": username, "password": EASEE_PASSWORD, **overrides}


async def test_flow_signs_in_and_adds_the_site(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    form = await _easee_form(hass)
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": "wrong"},
    )
    assert result["errors"] == {"base": "easee_invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Easee"
    assert result["data"]["sites"] == [SITE_ID]
    await hass.async_block_till_done()
    # The same Easee user cannot be added twice.
    again = await _easee_form(hass)
    result = await hass.config_entries.flow.async_configure(
        again["flow_id"],
        {
            "username": EASEE_USERNAME.upper(),
            "password": EASEE_PASSWORD,
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
        },
    )
    assert result["errors"] == {"base": "no_chargers"}


async def test_flow_cannot_connect(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    form = await _easee_form(hass)
    simulator.state.faults.add(Fault.http_status(503, count=None, path="/api/"))
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD},
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_flow_asks_which_sites_when_there_are_several(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    _add_cabin(simulator)
    form = await _easee_form(hass)
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], _credentials(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "easee_sites"
    schema = result["data_schema"]
    assert schema is not None
    options = schema.schema["sites"].config["options"]
    assert [(option["value"], option["label"]) for option in options] == [
        (str(SITE_ID), "Home"),
        (str(CABIN_SITE_ID), "Cabin"),
    ]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"sites": []})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"sites": "no_site_chosen"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"sites": [str(CABIN_SITE_ID)]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Easee"
    assert result["data"]["sites"] == [CABIN_SITE_ID]
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    # Only the chosen site's charger is there.
    assert _charger_ids(hass, entry.entry_id) == {CABIN_CHARGER_ID}
    assert _state(hass, "sensor", CABIN_CHARGER_ID, "op_mode") == "disconnected"
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entities
    assert all(entity.unique_id.startswith(f"easee_{CABIN_CHARGER_ID}_") for entity in entities)


async def test_flow_reports_an_unexpected_answer(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    form = await _easee_form(hass)
    # JSON, but not what Easee sends: the sign-in, then the list of sites.
    for path in ("/api/accounts/login", "/api/accounts/products"):
        simulator.state.faults.add(Fault.wrong_shape(path=path))
        result = await hass.config_entries.flow.async_configure(
            form["flow_id"], _credentials(simulator)
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "unknown"}
    # Once the API answers properly, the same form goes through.
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], _credentials(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Created, and set up once (the setup itself is other tests' subject).
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_charger_entities_show_state_in_both_vocabularies(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    device = registry_device(hass, loaded, f"easee_{GARAGE_CHARGER_ID}")
    assert device is not None
    assert (device.name, device.manufacturer, device.model) == ("Garage", "Easee", "Easee Home")
    # The firmware Easee reports, its portal, and no area made up from the site's name.
    assert device.sw_version == "328"
    assert device.configuration_url == "https://easee.cloud/"
    assert device.area_id is None

    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "easee_op_mode") == "charging"
    reason = hass.states.get(_entity(hass, "sensor", GARAGE_CHARGER_ID, "reason_for_no_current"))
    assert reason is not None
    assert reason.state == "limited_by_dynamic_charger_current"
    assert reason.attributes["friendly_name"] == "Garage Reason for no current"
    power = float(_state(hass, "sensor", GARAGE_CHARGER_ID, "charging_power"))
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
    # Code 0 is a real state in several enumerations, not "unknown".
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "output_phase") == "unassigned"
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "offline_charging_mode") == "always"
    # Diagnostic enums are there, out of the way.
    entry = er.async_get(hass).async_get(_entity(hass, "sensor", GARAGE_CHARGER_ID, "led_mode"))
    assert entry is not None
    assert entry.entity_category == "diagnostic"


@FROZEN
async def test_a_firmware_update_reaches_the_device_page(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    _charger(simulator, GARAGE_CHARGER_ID).firmware = 331
    await advance(hass, freezer, POLL)
    device = registry_device(hass, loaded, f"easee_{GARAGE_CHARGER_ID}")
    assert device is not None
    assert device.sw_version == "331"


async def test_rarely_read_diagnostics_start_disabled(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    disabled = {
        entry.unique_id.removeprefix(f"easee_{GARAGE_CHARGER_ID}_")
        for entry in er.async_entries_for_config_entry(registry, loaded.entry_id)
        if entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        and entry.unique_id.startswith(f"easee_{GARAGE_CHARGER_ID}_")
    }
    assert disabled == {
        "voltage",
        "output_phase",
        "phase_mode",
        "pilot_mode",
        "led_mode",
        "offline_charging_mode",
    }
    assert hass.states.get("sensor.garage_voltage") is None
    # What a household reads stays on.
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    assert _state(hass, "select", GARAGE_CHARGER_ID, "phase_mode") == "auto"


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

    await call_service(
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
    await call_service(
        hass,
        "number",
        "set_value",
        _entity(hass, "number", GARAGE_CHARGER_ID, "dynamic_charger_current"),
        value=10,
    )
    assert garage.dynamic_charger_current == 10
    assert float(_state(hass, "sensor", GARAGE_CHARGER_ID, "current")) == 10

    await call_service(
        hass,
        "number",
        "set_value",
        _entity(hass, "number", GARAGE_CHARGER_ID, "max_charger_current"),
        value=20,
    )
    assert garage.max_charger_current == 20
    # Both limits take what Easee accepts, up to 32 A, whatever cable is plugged in.
    dynamic = hass.states.get(_entity(hass, "number", GARAGE_CHARGER_ID, "dynamic_charger_current"))
    assert dynamic is not None
    assert dynamic.attributes["max"] == 32

    await call_service(
        hass,
        "select",
        "select_option",
        _entity(hass, "select", GARAGE_CHARGER_ID, "phase_mode"),
        option="locked_to_single_phase",
    )
    assert garage.phase_mode == 1
    assert _state(hass, "select", GARAGE_CHARGER_ID, "phase_mode") == "locked_to_single_phase"

    await call_service(
        hass, "switch", "turn_off", _entity(hass, "switch", GARAGE_CHARGER_ID, "smart_charging")
    )
    assert not garage.smart_charging

    await call_service(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "pause_charging")
    )
    assert garage.dynamic_charger_current == 0
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "awaiting_start"
    await call_service(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "resume_charging")
    )
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    await call_service(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "stop_charging")
    )
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "completed"

    await call_service(
        hass, "switch", "turn_off", _entity(hass, "switch", GARAGE_CHARGER_ID, "charging_enabled")
    )
    assert not garage.enabled
    assert _state(hass, "switch", GARAGE_CHARGER_ID, "charging_enabled") == STATE_OFF


async def test_refused_commands_say_why(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass,
            "button",
            "press",
            _entity(hass, "button", DRIVEWAY_CHARGER_ID, "start_charging"),
        )
    assert refused.value.translation_key == "command_refused"
    assert "No car is connected" in str(refused.value)

    _charger(simulator, GARAGE_CHARGER_ID).online = False
    with pytest.raises(HomeAssistantError) as refused:
        await call_service(
            hass,
            "switch",
            "turn_on",
            _entity(hass, "switch", GARAGE_CHARGER_ID, "smart_charging"),
        )
    assert "offline" in str(refused.value)


async def test_a_refusal_in_the_ui_names_the_control_and_logs_no_traceback(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The UI calls actions over the websocket; a refusal is an answer, not a crash."""
    client = await hass_ws_client(hass)
    button = _entity(hass, "button", DRIVEWAY_CHARGER_ID, "start_charging")

    async def press() -> dict[str, Any]:
        await client.send_json_auto_id(
            {
                "type": "call_service",
                "domain": "button",
                "service": "press",
                "target": {"entity_id": button},
            }
        )
        answer: dict[str, Any] = await client.receive_json()
        assert not answer["success"]
        return answer["error"]  # type: ignore[no-any-return]

    caplog.set_level(logging.INFO)
    error = await press()
    assert error["message"] == (
        "Easee refused the command for Driveway Start charging: No car is connected to the charger"
    )
    # A refusal without a reason still says who refused what.
    simulator.state.faults.add(
        Fault.http_status(400, path=f"/api/chargers/{DRIVEWAY_CHARGER_ID}/commands/", body="")
    )
    error = await press()
    assert error["translation_key"] == "command_refused_unexplained"
    assert error["message"] == (
        "Easee refused the command for Driveway Start charging without saying why"
    )
    tracebacks = [
        record
        for record in caplog.records
        if record.levelno >= logging.INFO and record.exc_info is not None
    ]
    assert tracebacks == []
    assert "Unexpected exception" not in caplog.text


async def test_a_command_refused_for_the_credentials_starts_reauth(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    # Refused with 401 even after the client renewed its token.
    simulator.state.faults.add(
        Fault.http_status(401, count=2, path=f"/api/chargers/{GARAGE_CHARGER_ID}/commands/")
    )
    with pytest.raises(HomeAssistantError) as failed:
        await call_service(
            hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "pause_charging")
        )
    assert failed.value.translation_key == "auth_failed"
    assert "refused the stored credentials" in str(failed.value)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert _charger(simulator, GARAGE_CHARGER_ID).dynamic_charger_current == 16


async def test_a_command_that_cannot_reach_easee_says_so(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    simulator.state.faults.add(
        Fault.http_status(503, path=f"/api/chargers/{GARAGE_CHARGER_ID}/commands/")
    )
    with pytest.raises(HomeAssistantError) as failed:
        await call_service(
            hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "stop_charging")
        )
    assert failed.value.translation_key == "command_failed"
    assert "did not reach" in str(failed.value)
    assert "503" in str(failed.value)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    # Not a credentials problem: no reauth.
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


@FROZEN
async def test_a_command_that_went_through_succeeds_when_the_refresh_after_it_fails(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state.faults.add(
        Fault.http_status(503, path=f"/api/chargers/{GARAGE_CHARGER_ID}/state")
    )
    await call_service(
        hass, "button", "press", _entity(hass, "button", GARAGE_CHARGER_ID, "pause_charging")
    )
    assert _charger(simulator, GARAGE_CHARGER_ID).dynamic_charger_current == 0
    # The entities stay available with what they knew; the next poll shows the pause.
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "awaiting_start"


@FROZEN
async def test_chargers_leaving_and_joining_the_site_follow_without_a_reload(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: MockUser,
) -> None:
    easee = simulator.state.easee
    logins = easee.logins
    site = easee.sites[0]
    site.charger_ids.remove(DRIVEWAY_CHARGER_ID)
    _new_charger(simulator, site, "EH100004", "Carport")
    driveway_status = _entity(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode")

    # The charger list is read again with the settings, every 15 minutes: the new charger
    # comes at once; the one that left goes when a second list in a row lacks it.
    await advance(hass, freezer, EASEE_CONFIG_INTERVAL + timedelta(seconds=5))
    assert _charger_ids(hass, loaded.entry_id) == {
        GARAGE_CHARGER_ID,
        DRIVEWAY_CHARGER_ID,
        "EH100004",
    }
    assert state_of(hass, driveway_status) == STATE_UNAVAILABLE
    await advance(hass, freezer, EASEE_CONFIG_INTERVAL + timedelta(seconds=5))
    assert _charger_ids(hass, loaded.entry_id) == {GARAGE_CHARGER_ID, "EH100004"}
    assert hass.states.get(driveway_status) is None
    assert (
        er.async_get(hass).async_get_entity_id(
            "sensor", DOMAIN, f"easee_{DRIVEWAY_CHARGER_ID}_op_mode"
        )
        is None
    )
    carport = registry_device(hass, loaded, "easee_EH100004")
    assert carport is not None
    assert carport.name == "Carport"
    assert _state(hass, "sensor", "EH100004", "op_mode") == "disconnected"
    assert _state(hass, "switch", "EH100004", "charging_enabled") == STATE_ON
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    # No reload: the entry stayed loaded and did not sign in again.
    assert loaded.state is ConfigEntryState.LOADED
    assert easee.logins == logins

    # A current charger cannot be deleted by hand; a device left over from an old one can.
    assert await async_setup_component(hass, "config", {})
    # The clock moved on half an hour: a token issued now, not the fixture's expired one.
    refresh = await hass.auth.async_create_refresh_token(
        hass_admin_user, client_id="https://example.com/"
    )
    client = await hass_ws_client(hass, hass.auth.async_create_access_token(refresh))
    leftover = dr.async_get(hass).async_get_or_create(
        config_entry_id=loaded.entry_id, identifiers={(DOMAIN, "easee_EH100099")}
    )
    for device_id, removable in ((carport.id, False), (leftover.id, True)):
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": loaded.entry_id,
                "device_id": device_id,
            }
        )
        response = await client.receive_json()
        assert response["success"] is removable
    assert dr.async_get(hass).async_get(leftover.id) is None


@FROZEN
async def test_the_other_chargers_stay_available_while_one_is_removed(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state.easee.sites[0].charger_ids.remove(DRIVEWAY_CHARGER_ID)
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"


@FROZEN
async def test_throttling_keeps_values_two_cycles_and_honours_retry_after(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state.faults.add(Fault.rate_limit(retry_after=180, count=1, path="/api/chargers"))
    await advance(hass, freezer, POLL)
    # The values read a minute ago still stand; throttling is not asked again at once.
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    before = simulator.state.requests.count(path="/api/")
    # Retry-After is honoured: nothing before three minutes, so the values grow too old.
    await advance(hass, freezer, timedelta(minutes=2))
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == STATE_UNAVAILABLE
    assert simulator.state.requests.count(path="/api/") == before
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
    assert result["errors"] == {"base": "easee_invalid_auth"}
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
    result = await loaded.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_easee"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "username": EASEE_EMPTY_USERNAME,
            "password": EASEE_PASSWORD,
        },
    )
    # That user has no chargers: the form says so before any account check.
    assert result["errors"] == {"base": "no_chargers"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"username": EASEE_USERNAME, "password": EASEE_PASSWORD},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_refuses_another_easee_user(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    simulator.state.easee.users.append(EaseeUser(3, NEIGHBOUR_USERNAME, EASEE_PASSWORD))
    _add_cabin(simulator, NEIGHBOUR_USERNAME)
    # The form asks for the sign-in only; the API address stays.
    result = await loaded.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_easee"
    assert {str(key) for key in result["data_schema"].schema} == {"username", "password"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"username": NEIGHBOUR_USERNAME, "password": EASEE_PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert loaded.data["username"] == EASEE_USERNAME
    assert _charger_ids(hass, loaded.entry_id) == {GARAGE_CHARGER_ID, DRIVEWAY_CHARGER_ID}

    result = await loaded.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _credentials(simulator, NEIGHBOUR_USERNAME)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert loaded.data["endpoint"] == simulator.easee_url


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


@FROZEN
async def test_a_charger_moved_back_gets_its_entities_back(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    site = simulator.state.easee.sites[0]
    site.charger_ids.remove(DRIVEWAY_CHARGER_ID)
    for _ in range(2):
        await advance(hass, freezer, EASEE_CONFIG_INTERVAL + timedelta(seconds=5))
    assert DRIVEWAY_CHARGER_ID not in _charger_ids(hass, loaded.entry_id)
    site.charger_ids.append(DRIVEWAY_CHARGER_ID)
    await advance(hass, freezer, EASEE_CONFIG_INTERVAL + timedelta(seconds=5))
    assert DRIVEWAY_CHARGER_ID in _charger_ids(hass, loaded.entry_id)
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "disconnected"


@FROZEN
async def test_logs_never_show_the_easee_username(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Both chargers' states keep failing: once the values are too old, the log says so.
    simulator.state.faults.add(Fault.http_status(503, count=None, path="/api/chargers"))
    for _ in range(3):
        await advance(hass, freezer, POLL)
    assert "Easee has not answered" in caplog.text
    assert EASEE_USERNAME not in caplog.text
    assert EASEE_PASSWORD not in caplog.text


@FROZEN
async def test_an_offline_charger_shows_no_stale_live_values(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    _charger(simulator, GARAGE_CHARGER_ID).online = False
    await advance(hass, freezer, POLL)
    assert _state(hass, "binary_sensor", GARAGE_CHARGER_ID, "online") == STATE_OFF
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "charging_power") == STATE_UNAVAILABLE
    assert _state(hass, "button", GARAGE_CHARGER_ID, "pause_charging") == STATE_UNAVAILABLE
    assert _state(hass, "number", GARAGE_CHARGER_ID, "max_charger_current") != STATE_UNAVAILABLE
    _charger(simulator, GARAGE_CHARGER_ID).online = True
    await advance(hass, freezer, POLL)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "charging_power") != STATE_UNAVAILABLE


async def test_a_faulted_charger_without_a_car_is_not_plugged_in(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    _charger(simulator, DRIVEWAY_CHARGER_ID).fail()
    await loaded.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "error"
    # A fault says nothing about the cable: not "plugged in", but unknown.
    assert _state(hass, "binary_sensor", DRIVEWAY_CHARGER_ID, "plugged_in") == "unknown"
