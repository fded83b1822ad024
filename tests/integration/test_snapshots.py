"""Snapshots of every platform of every provider, and of the diagnostics.

Each locks, for a deterministic scenario (the simulator's households at a frozen moment),
what a household's installation holds: unique ids, entity ids, names, device and state
classes, units, options, states and attributes. Code may move; these stay as they are.
`scripts/test --snapshot-update` rewrites them after a change meant to alter them.
"""

from __future__ import annotations

from collections.abc import Callable
import json
from typing import Any
from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.kraken.scenario import DE_ACCOUNT

from ..conftest import (
    GB_ACCOUNT,
    de_entry_data,
    easee_entry_data,
    enode_entry_data,
    gb_entry_data,
    setup_entry,
)

# A Monday morning in November: tomorrow's Agile rates not out yet, the car waiting at home.
MOMENT = "2026-11-23T10:10:00+00:00"


HOUSEHOLDS: dict[str, tuple[Callable[[RunningSimulator], dict[str, Any]], str, str]] = {
    "kraken_gb": (gb_entry_data, GB_ACCOUNT, "Europe/London"),
    "kraken_de": (de_entry_data, DE_ACCOUNT, "Europe/Berlin"),
    "easee": (easee_entry_data, "easee_easee@example.com", "Europe/Oslo"),
    "enode": (enode_entry_data, "enode_sim-enode-client_sim-household", "Europe/London"),
}

PLATFORMS: dict[str, tuple[Platform, ...]] = {
    "kraken_gb": (
        Platform.SENSOR,
        Platform.BINARY_SENSOR,
        Platform.SWITCH,
        Platform.NUMBER,
        Platform.TIME,
        Platform.CLIMATE,
        Platform.CALENDAR,
    ),
    "kraken_de": (
        Platform.SENSOR,
        Platform.BINARY_SENSOR,
        Platform.SWITCH,
        Platform.NUMBER,
        Platform.TIME,
        Platform.CALENDAR,
    ),
    "easee": (
        Platform.SENSOR,
        Platform.BINARY_SENSOR,
        Platform.SWITCH,
        Platform.NUMBER,
        Platform.SELECT,
        Platform.BUTTON,
    ),
    "enode": (
        Platform.SENSOR,
        Platform.BINARY_SENSOR,
        Platform.SWITCH,
        Platform.NUMBER,
        Platform.TIME,
        Platform.CLIMATE,
        Platform.SELECT,
        Platform.BUTTON,
        Platform.DEVICE_TRACKER,
    ),
}


async def _household(
    hass: HomeAssistant, simulator: RunningSimulator, name: str
) -> MockConfigEntry:
    entry_data, unique_id, zone = HOUSEHOLDS[name]
    await hass.config.async_set_time_zone(zone)
    simulator.state.enode.action_delay = 0
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=name,
        unique_id=unique_id,
        data=entry_data(simulator),
        entry_id=f"snapshot{name}",
    )
    entry.add_to_hass(hass)
    return entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.freeze_time(MOMENT)
@pytest.mark.parametrize(
    ("household", "platform"),
    [(household, platform) for household, platforms in PLATFORMS.items() for platform in platforms],
)
async def test_platform(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    household: str,
    platform: Platform,
) -> None:
    entry = await _household(hass, simulator, household)
    with patch("custom_components.kraken_energy.PLATFORMS", [platform]):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


@pytest.mark.freeze_time(MOMENT)
@pytest.mark.parametrize("household", list(HOUSEHOLDS))
async def test_diagnostics(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    household: str,
) -> None:
    entry = await _household(hass, simulator, household)
    await setup_entry(hass, entry)
    assert await async_setup_component(hass, "diagnostics", {})
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    # The request counter and the entry's timestamps depend on nothing a household sees.
    diagnostics["coordinator"].pop("requests_sent", None)
    for key in ("created_at", "modified_at"):
        diagnostics["entry"].pop(key, None)
    # The simulator's port changes from run to run.
    text = json.dumps(diagnostics).replace(simulator.base_url, "http://simulator")
    assert json.loads(text) == snapshot
