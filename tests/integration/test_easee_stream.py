"""Easee's observation stream end to end: the simulator's hub, over real websockets, into HA.

The clock is frozen, so nothing polls unless a test moves it on: a state that reaches Home
Assistant without the clock moving came through the stream. The websocket traffic itself
is real; `_until` gives the event loop turns (not time) until it has arrived.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
import json
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.providers.easee.const import (
    EASEE_STREAM_POLL_INTERVAL,
    EASEE_UPDATE_INTERVAL,
)
from custom_components.kraken_energy.providers.easee.coordinator import EaseeCoordinator
from simulator.app import RunningSimulator
from simulator.easee.hub import HUB_KEY, EaseeHub
from simulator.easee.scenario import DRIVEWAY_CHARGER_ID, GARAGE_CHARGER_ID, SimCharger
from simulator.faults import Fault

from ..conftest import MORNING, advance, setup_entry, unique_state

pytestmark = pytest.mark.freeze_time(MORNING)

MINUTE = timedelta(minutes=1, seconds=2)


async def _until(condition: Callable[[], bool], turns: int = 5000) -> None:
    """Let the event loop run until the condition holds (socket traffic, not time)."""
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never came true")


async def _settle(turns: int = 300) -> None:
    """Give the event loop turns for socket traffic in flight.

    With the clock frozen, one `advance` jumps every timer of the websocket libraries (pings
    and their timeouts, open timeouts) by a minute at once; the traffic that would have
    answered them in real time needs loop turns, which this gives it.
    """
    for _ in range(turns):
        await asyncio.sleep(0)


async def _step(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    await advance(hass, freezer, delta)
    await _settle()


def _hub(simulator: RunningSimulator) -> EaseeHub:
    return simulator.app[HUB_KEY]


def _coordinator(entry: MockConfigEntry) -> EaseeCoordinator:
    coordinator: EaseeCoordinator = entry.runtime_data.coordinator
    return coordinator


def _op_mode(hass: HomeAssistant, charger_id: str) -> str:
    return unique_state(hass, "sensor", f"easee_{charger_id}_op_mode")


def _api_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(path="/api/")


@pytest.fixture
async def streaming(
    hass: HomeAssistant, simulator: RunningSimulator, easee_entry: MockConfigEntry
) -> AsyncIterator[MockConfigEntry]:
    """The Easee household set up with the simulator's stream on, the stream connected.

    Unloaded before the simulator stops, as Home Assistant would at shutdown: otherwise the
    simulator going away reads as an outage that outlives the test.
    """
    simulator.state.easee.stream = True
    await setup_entry(hass, easee_entry)
    assert _coordinator(easee_entry).streaming
    # The current state the subscription replays has arrived.
    await _until(lambda: _coordinator(easee_entry).stream.stats.observations >= 40)  # type: ignore[union-attr]
    yield easee_entry
    if easee_entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(easee_entry.entry_id)
        await hass.async_block_till_done()


async def test_a_charger_change_reaches_home_assistant_through_the_stream(
    hass: HomeAssistant, simulator: RunningSimulator, streaming: MockConfigEntry
) -> None:
    assert _op_mode(hass, DRIVEWAY_CHARGER_ID) == "disconnected"
    before = _api_requests(simulator)
    driveway = simulator.state.easee.chargers[DRIVEWAY_CHARGER_ID]
    driveway.authorization_required = True
    driveway.plug_in(demand_kwh=5.0)
    _hub(simulator).notify()
    await _until(lambda: _op_mode(hass, DRIVEWAY_CHARGER_ID) == "awaiting_start")
    assert unique_state(hass, "sensor", f"easee_{DRIVEWAY_CHARGER_ID}_reason_for_no_current") == (
        "pending_authorization"
    )
    assert unique_state(hass, "binary_sensor", f"easee_{DRIVEWAY_CHARGER_ID}_plugged_in") == "on"
    # Without a single request to the API.
    assert _api_requests(simulator) == before


async def test_the_stream_makes_polls_a_safety_net(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    streaming: MockConfigEntry,
) -> None:
    coordinator = _coordinator(streaming)
    await _step(hass, freezer, MINUTE)  # the poll due from setup moves to the slow cadence
    assert coordinator.update_interval == EASEE_STREAM_POLL_INTERVAL
    before = _api_requests(simulator)
    for _ in range(60):
        await _step(hass, freezer, MINUTE)
    # Two state polls an hour (one with the charger list and settings), two chargers.
    assert _api_requests(simulator) - before <= 2 * 2 + 1 + 2


async def test_stream_down_polling_resumes_and_a_reconnect_streams_again(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    streaming: MockConfigEntry,
) -> None:
    coordinator = _coordinator(streaming)
    await _step(hass, freezer, MINUTE)
    hub = _hub(simulator)
    hub.refuse = True
    assert await hub.drop() == 1
    await _until(lambda: not coordinator.streaming)
    await hass.async_block_till_done()
    assert coordinator.update_interval == EASEE_UPDATE_INTERVAL

    # A change now shows at the next poll, a minute later.
    garage = simulator.state.easee.chargers[GARAGE_CHARGER_ID]
    garage.fail()
    await _step(hass, freezer, MINUTE)
    assert _op_mode(hass, GARAGE_CHARGER_ID) == "error"
    assert not coordinator.streaming

    # One attempt came within that minute (at most 30 s after the drop) and was refused; the
    # hub is back and the next one, at most 60 s later, connects.
    assert simulator.state.requests.count(path="/hubs/chargers/negotiate") >= 2
    hub.refuse = False
    await _step(hass, freezer, timedelta(seconds=61))
    await _until(lambda: coordinator.streaming)
    garage.repair()
    hub.notify()
    await _until(lambda: _op_mode(hass, GARAGE_CHARGER_ID) == "charging")
    await _step(hass, freezer, MINUTE)
    assert coordinator.update_interval == EASEE_STREAM_POLL_INTERVAL


async def test_a_refused_stream_costs_no_availability(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    easee_entry: MockConfigEntry,
) -> None:
    """The hub refuses from the start (a fault on /hubs/): the entry polls as without it."""
    simulator.state.easee.stream = True
    simulator.state.faults.add(Fault.http_status(503, count=None, path="/hubs/"))
    await setup_entry(hass, easee_entry)
    coordinator = _coordinator(easee_entry)
    assert not coordinator.streaming
    for _ in range(10):
        await _step(hass, freezer, MINUTE)
    assert coordinator.update_interval == EASEE_UPDATE_INTERVAL
    assert _op_mode(hass, GARAGE_CHARGER_ID) == "charging"
    # The backoff: attempts after about 30, 60, 120 and 240 s, not every minute.
    assert simulator.state.requests.count(path="/hubs/") <= 5


async def test_bad_messages_are_ignored_and_the_stream_stays_up(
    hass: HomeAssistant, simulator: RunningSimulator, streaming: MockConfigEntry
) -> None:
    coordinator = _coordinator(streaming)
    stream = coordinator.stream
    assert stream is not None
    hub = _hub(simulator)
    ignored = stream.stats.ignored_messages
    garbage = [
        "not json at all",
        json.dumps({"type": 1, "target": "ProductUpdate", "arguments": ["nonsense"]}),
        json.dumps({"type": 1, "target": "SubscribeToMyProduct", "arguments": [{}]}),
        json.dumps({"type": 1, "target": "ProductUpdate", "arguments": [{"mid": 7}]}),
        json.dumps({"type": 99, "surprise": True}),
    ]
    bad_observations = [
        # An id the integration does not read, a value that is no number, a huge one.
        {"mid": GARAGE_CHARGER_ID, "dataType": 4, "id": 157, "value": "3"},
        {"mid": GARAGE_CHARGER_ID, "dataType": 4, "id": 109, "value": "charging"},
        {"mid": GARAGE_CHARGER_ID, "dataType": 3, "id": 120, "value": "1e999"},
        {"mid": "EH999999", "dataType": 4, "id": 109, "value": "1"},
    ]
    text = "".join(message + "\x1e" for message in garbage)
    text += "".join(
        json.dumps({"type": 1, "target": "ProductUpdate", "arguments": [item]}) + "\x1e"
        for item in bad_observations
    )
    assert await hub.push_raw(text) == 1
    await _until(lambda: stream.stats.ignored_messages >= ignored + 6)
    assert coordinator.streaming
    assert _op_mode(hass, GARAGE_CHARGER_ID) == "charging"
    power = unique_state(hass, "sensor", f"easee_{GARAGE_CHARGER_ID}_charging_power")
    assert float(power) == pytest.approx(11.04, abs=0.01)

    # An op mode Easee added later: unknown in both vocabularies, never a crash.
    await hub.push_raw(
        json.dumps(
            {
                "type": 1,
                "target": "ProductUpdate",
                "arguments": [{"mid": GARAGE_CHARGER_ID, "dataType": 4, "id": 109, "value": "42"}],
            }
        )
        + "\x1e"
    )
    await _until(lambda: _op_mode(hass, GARAGE_CHARGER_ID) == "unknown")
    assert unique_state(hass, "sensor", f"easee_{GARAGE_CHARGER_ID}_easee_op_mode") == "unknown"
    assert coordinator.streaming


async def test_unload_closes_the_stream(
    hass: HomeAssistant, simulator: RunningSimulator, streaming: MockConfigEntry
) -> None:
    hub = _hub(simulator)
    assert len(hub.connections) == 1
    assert await hass.config_entries.async_unload(streaming.entry_id)
    await hass.async_block_till_done()
    assert streaming.state is ConfigEntryState.NOT_LOADED
    await _until(lambda: not hub.connections)


async def test_stream_logs_show_no_token(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    easee_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """pysignalr and websockets log headers and frames at debug level: never the token."""
    caplog.set_level(logging.DEBUG)
    simulator.state.easee.stream = True
    await setup_entry(hass, easee_entry)
    stream = _coordinator(easee_entry).stream
    assert stream is not None
    await _until(lambda: stream.stats.observations >= 40)
    await _hub(simulator).drop()
    await _until(lambda: not stream.connected)
    tokens = list(simulator.state.easee.access_tokens)
    assert tokens
    assert "Bearer" in caplog.text  # the headers were logged, redacted
    for token in tokens:
        assert token not in caplog.text


async def test_a_charger_joining_the_site_is_followed_on_the_open_stream(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    streaming: MockConfigEntry,
) -> None:
    coordinator = _coordinator(streaming)
    easee = simulator.state.easee
    site = easee.sites[0]
    joining = SimCharger(
        charger_id="EH100004", name="Carport", site_id=site.site_id, circuit_id=site.circuit_id
    )
    joining.settle()
    easee.chargers[joining.charger_id] = joining
    site.charger_ids.append(joining.charger_id)
    # The next listing finds it: the poll due a minute after setup reads states alone and moves
    # to the slow cadence; the one 30 minutes later lists the chargers (due 15 after setup).
    await _step(hass, freezer, MINUTE)
    assert joining.charger_id not in coordinator.data.chargers
    await _step(hass, freezer, EASEE_STREAM_POLL_INTERVAL)
    await _until(
        lambda: joining.charger_id in (coordinator.stream.charger_ids if coordinator.stream else ())
    )
    assert _op_mode(hass, joining.charger_id) == "disconnected"
    before = _api_requests(simulator)
    joining.plug_in(demand_kwh=5.0)
    _hub(simulator).notify()
    await _until(lambda: _op_mode(hass, joining.charger_id) == "awaiting_start")
    assert _api_requests(simulator) == before
    assert coordinator.streaming
