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

from custom_components.kraken_energy.api.enode import (
    ENVIRONMENTS,
    EnodeEndpoints,
    EnodeEnvironment,
)
from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.enode.state import ENODE_CLIENT_ID, ENODE_CLIENT_SECRET, ENODE_USER_ID

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
