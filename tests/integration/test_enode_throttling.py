"""Enode throttling one of the device lists costs only that kind, and slows the next poll."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.app import RunningSimulator
from simulator.enode.state import ENODE_USER_ID, HVAC_ID, VEHICLE_ID
from simulator.faults import Fault

from ..conftest import MORNING, advance, setup_entry, unique_state

BATTERY_LEVEL = f"enode_{VEHICLE_ID}_battery_level"
CLIMATE = f"enode_{HVAC_ID}_hvac"


async def _minutes(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: int) -> None:
    for _ in range(minutes):
        await advance(hass, freezer, timedelta(minutes=1))


@pytest.mark.freeze_time(MORNING)
async def test_a_throttled_list_holds_back_only_its_own_kind(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The car keeps updating while Enode throttles the heat pump's list, at its pace."""
    await setup_entry(hass, enode_entry)
    assert enode_entry.state is ConfigEntryState.LOADED
    await _minutes(hass, freezer, 3)
    assert unique_state(hass, "climate", CLIMATE) == "heat"
    requests = simulator.state.requests
    fault = simulator.state.faults.add(
        Fault.rate_limit(300, count=None, path=f"/enode/users/{ENODE_USER_ID}/hvacs")
    )
    simulator.state.enode.vehicles[VEHICLE_ID].battery_level = 61.0
    before = requests.count(operation_name="listUserVehicles")

    await _minutes(hass, freezer, 20)

    # The car's lists answered: it shows its new charge, and stays available throughout.
    assert float(unique_state(hass, "sensor", BATTERY_LEVEL)) == 61.0
    # The heat pump's last values grew too old to show.
    assert unique_state(hass, "climate", CLIMATE) == STATE_UNAVAILABLE
    # Enode asked for five minutes between requests: four polls in twenty minutes, not ten.
    assert requests.count(operation_name="listUserVehicles") - before <= 4

    simulator.state.faults.remove(fault)
    await _minutes(hass, freezer, 6)
    assert unique_state(hass, "climate", CLIMATE) == "heat"
    assert unique_state(hass, "sensor", BATTERY_LEVEL) != STATE_UNAVAILABLE
