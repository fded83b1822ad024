"""Adding Enode devices through the config flow, against the simulator.

A household picks Enode's production or sandbox environment; a stand-in's addresses are never
offered. Here the sandbox environment's addresses point at the simulator (the only way the
flow can reach it), exactly as the real sandbox would be reached.
"""

from __future__ import annotations

from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.api.enode import (
    ENVIRONMENTS,
    EnodeEndpoints,
    EnodeEnvironment,
)
from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.enode.state import ENODE_CLIENT_ID, ENODE_CLIENT_SECRET, ENODE_USER_ID
from simulator.faults import Fault

SANDBOX = EnodeEnvironment.SANDBOX.value


@pytest.fixture(autouse=True)
def sandbox_is_the_simulator(simulator: RunningSimulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        ENVIRONMENTS,
        EnodeEnvironment.SANDBOX,
        EnodeEndpoints(api_url=simulator.enode_url, token_url=simulator.enode_token_url),
    )


async def _credentials_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "enode"}
    )
    assert result["step_id"] == "enode"
    return result["flow_id"]


async def test_environments_offered_are_enodes_own(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "enode"}
    )
    schema = result["data_schema"]
    assert schema is not None
    selector = schema.schema["environment"]
    assert selector.config["options"] == ["production", "sandbox"]


async def test_flow_with_an_existing_user(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_setup_entry: AsyncMock,
) -> None:
    flow_id = await _credentials_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {"client_id": ENODE_CLIENT_ID, "client_secret": "wrong", "environment": SANDBOX},
    )
    # The refusal is said where the secret is typed, and names Enode.
    assert result["step_id"] == "enode"
    assert result["errors"] == {"base": "enode_invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": SANDBOX,
        },
    )
    assert result["step_id"] == "enode_user"
    result = await hass.config_entries.flow.async_configure(flow_id, {"user_id": ENODE_USER_ID})
    assert result["step_id"] == "enode_link"
    assert "/link/" in (result["description_placeholders"] or {})["link"]
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1
    assert result["data"]["user_id"] == ENODE_USER_ID
    assert result["data"]["environment"] == SANDBOX


async def test_flow_with_a_new_user_waits_for_a_link(hass: HomeAssistant) -> None:
    flow_id = await _credentials_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": SANDBOX,
        },
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "enode_link"
    # Submitting before anything is linked says so and shows the link again.
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "nothing_linked"}
    assert (result["description_placeholders"] or {})["link"]


async def test_flow_when_the_client_has_no_connections_left(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    simulator.state.enode.connections_limit = 1
    flow_id = await _credentials_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": SANDBOX,
        },
    )
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"user_id": "another-household"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "connections_limit"


async def test_the_link_page_speaks_home_assistants_language(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    await hass.config.async_update(language="de")
    flow_id = await _credentials_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": SANDBOX,
        },
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {"user_id": ENODE_USER_ID})
    assert result["step_id"] == "enode_link"
    sessions = list(simulator.state.enode.link_sessions.values())
    assert [session["language"] for session in sessions] == ["de-DE"]


async def _linked_page(hass: HomeAssistant) -> str:
    flow_id = await _credentials_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": SANDBOX,
        },
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {"user_id": ENODE_USER_ID})
    assert result["step_id"] == "enode_link"
    return flow_id


async def test_enode_unreachable_while_checking_the_link_says_so_and_stays(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    flow_id = await _linked_page(hass)
    for kind in ("vehicles", "chargers", "hvacs", "batteries", "inverters", "meters"):
        simulator.state.faults.add(
            Fault.http_status(503, count=None, path=f"/enode/users/{ENODE_USER_ID}/{kind}")
        )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "enode_link"
    assert result["errors"] == {"base": "cannot_connect"}
    # Once Enode answers again, the same page finishes the flow.
    simulator.state.faults.clear()
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_link_page_enode_cannot_make_ends_the_flow(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    flow_id = await _credentials_form(hass)
    await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": SANDBOX,
        },
    )
    simulator.state.faults.add(
        Fault.http_status(500, count=None, path=f"/enode/users/{ENODE_USER_ID}/link")
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {"user_id": ENODE_USER_ID})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_the_link_page_returns_to_this_home_assistant(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    await hass.config.async_update(external_url="https://home.example.org")
    await _linked_page(hass)
    sessions = list(simulator.state.enode.link_sessions.values())
    assert [session["redirectUri"] for session in sessions] == ["https://home.example.org"]


async def test_without_a_known_address_the_link_page_returns_to_my_home_assistant(
    hass: HomeAssistant, simulator: RunningSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Home Assistant knows no address of its own: My Home Assistant finds it instead. (Its
    # HTTP server, up once a flow has started, gives one here; taken away for this case.)
    await _credentials_form(hass)
    monkeypatch.setattr(hass.config, "api", None)
    await _linked_page(hass)
    sessions = list(simulator.state.enode.link_sessions.values())
    assert [session["redirectUri"] for session in sessions] == ["https://my.home-assistant.io/"]


async def test_reconfigure_to_a_built_in_environment(
    hass: HomeAssistant, enode_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    result = await enode_entry.start_reconfigure_flow(hass)
    # An entry on a stand-in may keep it, or move to one of Enode's own environments.
    schema = result["data_schema"]
    assert schema is not None
    assert schema.schema["environment"].config["options"] == ["production", "sandbox", "custom"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": "wrong", "environment": SANDBOX}
    )
    assert result["step_id"] == "reconfigure_enode"
    assert result["errors"] == {"base": "enode_invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": ENODE_CLIENT_SECRET, "environment": SANDBOX}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert enode_entry.data["environment"] == SANDBOX


async def test_a_stand_ins_addresses_are_checked_field_by_field(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    result = await enode_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": ENODE_CLIENT_SECRET, "environment": "custom"}
    )
    assert result["step_id"] == "enode_endpoint"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"api_url": "http://enode.example.com/", "token_url": "https://169.254.169.254/token"},
    )
    assert result["step_id"] == "enode_endpoint"
    assert result["errors"] == {"api_url": "insecure_url", "token_url": "url_not_allowed"}


async def test_reauth_with_a_secret_enode_refuses_asks_again(
    hass: HomeAssistant, enode_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    result = await enode_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_enode"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": "wrong"}
    )
    assert result["step_id"] == "reauth_enode"
    assert result["errors"] == {"base": "enode_invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_secret": ENODE_CLIENT_SECRET}
    )
    assert result["reason"] == "reauth_successful"
