"""Easee requests per hour per charger over a simulated day, with the stream up and down.

The real integration runs inside Home Assistant against the simulator; the clock is frozen
and moved on a minute at a time for 24 hours while the simulator's charger is plugged in,
charges and is unplugged again (a car arrives every three hours). Prints `name: value` lines.

Freshness with a frozen clock: the websocket traffic is real but takes no frozen time, so
"how many seconds behind" cannot be read off the clock. Instead the car arrives or leaves
between two ticks of the clock (after a minute's step, before the next), the event loop gets a
fixed budget of turns with the clock standing still, and the benchmark checks whether Home
Assistant already shows the change: if it does, it came without any poll, within the stream's
push latency (well under a second on loopback), and its age counts as 0 s. If not, the clock
is moved on in 1-second steps (each with the same budget of turns) until it does, and the
seconds it took are its age. Changes that follow from time (charging starts, the car is
full) are measured the same way from the step in which the simulator makes them. With the
stream down the same measure gives the polling delay.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.app import RunningSimulator
from simulator.easee.hub import HUB_KEY
from simulator.easee.scenario import DRIVEWAY_CHARGER_ID
from tests.conftest import advance, setup_entry, unique_state

HOURS = 24
# Loop turns given to socket traffic after each step (see the module docstring).
TURNS = 150
OP_MODE = f"easee_{DRIVEWAY_CHARGER_ID}_op_mode"


async def _settle() -> None:
    for _ in range(TURNS):
        await asyncio.sleep(0)


async def _step(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    await advance(hass, freezer, delta)
    await _settle()


def _expected(op_mode: int) -> str:
    return {1: "disconnected", 2: "awaiting_start", 3: "charging", 4: "completed"}.get(
        op_mode, "error"
    )


@pytest.mark.usefixtures("london")
@pytest.mark.timeout(900)
@pytest.mark.parametrize("stream", ["up", "down"])
async def test_easee_stream_request_budget_and_freshness(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    easee_entry: MockConfigEntry,
    stream: str,
) -> None:
    """One charger for a day: requests per hour and how old Home Assistant's state gets."""
    easee = simulator.state.easee
    easee.sites[0].charger_ids = [DRIVEWAY_CHARGER_ID]
    easee.stream = stream == "up"
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, easee_entry)
    await _settle()
    coordinator = easee_entry.runtime_data.coordinator
    assert coordinator.streaming is (stream == "up")
    hub = simulator.app[HUB_KEY]
    charger = easee.chargers[DRIVEWAY_CHARGER_ID]
    requests_before = simulator.state.requests.count()
    started = dt_util.utcnow()
    hub_before = simulator.state.requests.count(path="/hubs/")
    ages: list[float] = []
    changes = 0
    for minute in range(1, HOURS * 60 + 1):
        await advance(hass, freezer, timedelta(minutes=1))
        await _settle()
        shown_before = unique_state(hass, "sensor", OP_MODE)
        # The car arrives or leaves between two ticks of the clock.
        if minute % 180 == 0:
            charger.plug_in(demand_kwh=15.0)
        elif minute % 180 == 90:
            charger.unplug()
        hub.notify()  # what a real hub does when the charger reports, without waiting
        await _settle()
        truth = _expected(charger.op_mode)
        if truth == shown_before and unique_state(hass, "sensor", OP_MODE) == truth:
            continue
        changes += 1
        age = 0
        while unique_state(hass, "sensor", OP_MODE) != _expected(charger.op_mode):
            await _step(hass, freezer, timedelta(seconds=1))
            age += 1
        ages.append(age)
    total = simulator.state.requests.count() - requests_before
    hub_requests = simulator.state.requests.count(path="/hubs/") - hub_before
    # The 1-second steps of the freshness measure add to the day: rates per simulated hour.
    hours = (dt_util.utcnow() - started).total_seconds() / 3600
    per_hour = total / hours
    api_per_hour = (total - hub_requests) / hours
    worst = max(ages, default=0)
    print()
    print(f"easee_stream_{stream}_requests_per_hour_per_charger: {per_hour:.2f}")
    print(f"easee_stream_{stream}_api_requests_per_hour_per_charger: {api_per_hour:.2f}")
    print(f"easee_stream_{stream}_hub_requests_per_hour: {hub_requests / hours:.2f}")
    print(f"easee_stream_{stream}_state_changes: {changes}")
    print(f"easee_stream_{stream}_state_max_age_seconds: {worst}")
    print(f"easee_stream_{stream}_connections: {coordinator.stream.stats.connections}")
    if stream == "up":
        assert per_hour <= 6
        assert worst <= 10
    else:
        # Today's polls; the reconnect attempts (every 5 minutes at most) go to the stream host.
        assert api_per_hour <= 68.1
