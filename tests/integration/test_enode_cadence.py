"""What Enode polls cost and write: rescans by one request, a tracker that writes on moves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.app import RunningSimulator
from simulator.enode.state import CHARGER_ID, VEHICLE_ID, SimCharger

from ..conftest import MORNING, advance, entity_id, setup_entry, unique_state

POLL = timedelta(minutes=2, seconds=2)
FROZEN = pytest.mark.freeze_time(MORNING)


def _only_a_vehicle(simulator: RunningSimulator) -> None:
    enode = simulator.state.enode
    for devices in (enode.chargers, enode.hvacs, enode.batteries, enode.inverters):
        devices.clear()
    enode.meters.clear()


@FROZEN
async def test_a_parked_car_is_written_once_and_a_moving_one_as_it_moves(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_entry(hass, enode_entry)
    tracker = entity_id(hass, "device_tracker", f"enode_{VEHICLE_ID}_location")
    writes: list[str] = []

    @callback
    def the_tracker(event_data: Mapping[str, Any]) -> bool:
        return bool(event_data["entity_id"] == tracker)

    @callback
    def written(event: Event[Any]) -> None:
        writes.append(str(event.event_type))

    for event_type in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED):
        hass.bus.async_listen(event_type, written, event_filter=the_tracker)
    for _ in range(5):
        await advance(hass, freezer, POLL)
    assert writes == []

    moved = "simulator.enode.state.HOME_LATITUDE"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(moved, 51.6)
        await advance(hass, freezer, POLL)
    assert writes == [EVENT_STATE_CHANGED]
    state = hass.states.get(tracker)
    assert state is not None
    assert state.attributes["latitude"] == pytest.approx(51.6)


@FROZEN
async def test_a_rescan_is_one_request_and_finds_a_newly_linked_kind(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    _only_a_vehicle(simulator)
    await setup_entry(hass, enode_entry)
    requests = simulator.state.requests
    before = requests.count()
    for _ in range(15):  # half an hour
        await advance(hass, freezer, timedelta(minutes=2))
    # Fifteen lists of the vehicles and one question which vendors the user linked.
    assert requests.count() - before == 16
    assert requests.count(operation_name="getUser") == 1

    # A charger linked: the next rescan names its kind, and its entities appear.
    simulator.state.enode.chargers[CHARGER_ID] = SimCharger(id=CHARGER_ID)
    for _ in range(15):
        await advance(hass, freezer, timedelta(minutes=2))
    assert unique_state(hass, "sensor", f"enode_{CHARGER_ID}_op_mode") == "awaiting_start"


@FROZEN
async def test_a_user_with_every_kind_never_rescans(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_entry(hass, enode_entry)
    for _ in range(31):
        await advance(hass, freezer, timedelta(minutes=2))
    assert simulator.state.requests.count(operation_name="getUser") == 0
