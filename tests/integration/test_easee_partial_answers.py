"""Easee answers that leave something out: a charger whose state cannot be found, a state
without the control pilot. What the household sees, and what diagnostics say."""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from simulator.app import RunningSimulator
from simulator.easee.routes import state_json
from simulator.easee.scenario import DRIVEWAY_CHARGER_ID, GARAGE_CHARGER_ID
from simulator.faults import Fault

from ..conftest import registry_device, setup_entry, unique_state


@pytest.fixture
async def loaded(hass: HomeAssistant, easee_entry: MockConfigEntry) -> MockConfigEntry:
    """The Easee household, set up."""
    await setup_entry(hass, easee_entry)
    assert easee_entry.state is ConfigEntryState.LOADED
    return easee_entry


async def _poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()


def _state(hass: HomeAssistant, platform: str, charger_id: str, key: str) -> str:
    return unique_state(hass, platform, f"easee_{charger_id}_{key}")


async def test_a_charger_whose_state_is_not_found_shows_no_state(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Easee answers 404 for one charger's state: its live values go, the other's stay."""
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") != STATE_UNAVAILABLE
    simulator.state.faults.add(
        Fault.http_status(404, path=f"/api/chargers/{GARAGE_CHARGER_ID}/state", count=None)
    )
    with caplog.at_level(logging.WARNING):
        await _poll(hass, loaded)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == STATE_UNAVAILABLE
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") != STATE_UNAVAILABLE
    assert "could not be read" in caplog.text
    # The next poll reads the list again, in case it left: it is still listed, so it stays,
    # still without a state.
    await _poll(hass, loaded)
    assert registry_device(hass, loaded, f"easee_{GARAGE_CHARGER_ID}") is not None
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == STATE_UNAVAILABLE

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded)
    # The charger without a state is listed without one (and no op mode derived from it).
    op_modes = [
        charger["state"]["op_mode"] if charger["state"] is not None else None
        for charger in diagnostics["chargers"]
    ]
    assert sorted(op_modes, key=str) == [None, "disconnected"]
    assert GARAGE_CHARGER_ID not in repr(diagnostics)


async def test_a_charger_without_a_pilot_reading_is_plugged_in_by_its_op_mode(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """Firmware that leaves the control pilot out: the op-mode says whether a car is there."""
    charger = simulator.state.easee.chargers[GARAGE_CHARGER_ID]
    answer = state_json(charger)
    del answer["pilotMode"]
    simulator.state.faults.add(
        Fault.wrong_shape(answer, path=f"/api/chargers/{GARAGE_CHARGER_ID}/state", count=None)
    )
    await _poll(hass, loaded)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == "charging"
    assert _state(hass, "binary_sensor", GARAGE_CHARGER_ID, "plugged_in") == STATE_ON


async def test_a_charger_that_fails_to_answer_once_keeps_its_last_state(
    hass: HomeAssistant, loaded: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """A passing server error for one charger: it keeps what it showed, the other moves on."""
    before = _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode")
    simulator.state.faults.add(
        Fault.http_status(503, path=f"/api/chargers/{GARAGE_CHARGER_ID}/state", count=None)
    )
    simulator.state.easee.chargers[DRIVEWAY_CHARGER_ID].fail()
    await _poll(hass, loaded)
    assert _state(hass, "sensor", GARAGE_CHARGER_ID, "op_mode") == before
    assert _state(hass, "sensor", DRIVEWAY_CHARGER_ID, "op_mode") == "error"
