"""Enode with webhooks and without: requests per hour over a simulated day, and CPU at scale.

The real integration runs inside Home Assistant against the simulator. With webhooks, Home
Assistant has an external HTTPS address and the simulator delivers its signed events (and a
heartbeat every 15 minutes) to Home Assistant's own HTTP server every simulated minute. CPU
time (`time.process_time`, the simulator's share included, as it runs in the same process)
is measured for setting up and polling one vehicle and a hundred. Prints `name: value` lines.
"""

from __future__ import annotations

from datetime import timedelta
import time

from aiohttp import ClientSession
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.kraken_energy.providers.enode.push import PushState
from simulator.app import RunningSimulator
from simulator.enode.state import VEHICLE_ID
from tests.conftest import advance, enode_entry_data, setup_entry

HOURS = 24
POLLS = 10


def _only_vehicles(simulator: RunningSimulator) -> None:
    enode = simulator.state.enode
    for devices in (enode.chargers, enode.hvacs, enode.batteries, enode.inverters):
        devices.clear()
    enode.meters.clear()


def _entry(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain="kraken_energy", unique_id="enode-bench", data=enode_entry_data(simulator)
    )
    entry.add_to_hass(hass)
    return entry


def _deliver_to(hass_client_no_auth: ClientSessionGenerator, simulator: RunningSimulator) -> None:
    clients: list[ClientSession] = []

    async def post(url: str, headers: dict[str, str], body: bytes) -> int:
        if not clients:
            clients.append(await hass_client_no_auth())
        response = await clients[0].post(URL(url).path, data=body, headers=headers)
        return response.status

    simulator.state.enode.webhooks.transport = post


@pytest.mark.timeout(900)
@pytest.mark.usefixtures("london")
@pytest.mark.parametrize("household", ["one_vehicle", "one_of_each_kind"])
@pytest.mark.parametrize("webhooks", [True, False], ids=["webhooks", "polling"])
async def test_enode_requests_with_and_without_webhooks(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    household: str,
    webhooks: bool,
) -> None:
    """A day of a household whose car charges from 52 % to 80 % in the morning."""
    enode = simulator.state.enode
    enode.action_delay = 0
    if household == "one_vehicle":
        _only_vehicles(simulator)
    vehicle = enode.vehicles[VEHICLE_ID]
    freezer.move_to("2026-11-23T00:00:30+00:00")
    if webhooks:
        await hass.config.async_update(external_url="https://home.example.org")
        _deliver_to(hass_client_no_auth, simulator)
    entry = _entry(hass, simulator)
    await setup_entry(hass, entry)
    push = entry.runtime_data.push
    assert push is not None
    assert (push.state is PushState.ACTIVE) is webhooks
    level_id = hass.states.async_entity_ids("sensor")
    battery = next(item for item in level_id if item.endswith("_battery_level"))
    requests_before = simulator.state.requests.count()
    deliveries_before = enode.webhooks.deliveries
    # The longest run of whole minutes in which Home Assistant showed an old battery level.
    behind = worst_lag = 0
    for minute in range(HOURS * 60):
        if minute == 6 * 60:
            vehicle.start()
        await advance(hass, freezer, timedelta(minutes=1))
        if webhooks:
            await enode.pump_webhooks()
            await hass.async_block_till_done()
        enode.tick()  # the car as it is now, not as last asked
        shown = hass.states.get(battery)
        truth = round(vehicle.battery_level, 2)
        current = (
            shown is not None
            and shown.state not in ("unknown", "unavailable")
            and abs(float(shown.state) - truth) < 0.01
        )
        behind = 0 if current else behind + 1
        worst_lag = max(worst_lag, behind)
    total = simulator.state.requests.count() - requests_before
    label = f"enode_{household}_{'webhooks' if webhooks else 'polling'}"
    print()
    deliveries = enode.webhooks.deliveries - deliveries_before
    print(f"{label}_requests_per_hour: {total / HOURS:.2f}")
    print(f"{label}_deliveries_per_hour: {deliveries / HOURS:.2f}")
    print(f"{label}_battery_level_max_minutes_behind: {worst_lag}")
    assert push.state is (PushState.ACTIVE if webhooks else PushState.UNAVAILABLE)
    assert worst_lag == 0 if webhooks else worst_lag <= 2


async def _setup_and_poll_cpu(
    hass: HomeAssistant, simulator: RunningSimulator, devices: int
) -> tuple[float, float]:
    """CPU seconds to set up an entry of `devices` vehicles, and per poll; then removes it."""
    enode = simulator.state.enode
    enode.add_copies("vehicles", devices - len(enode.vehicles))
    entry = MockConfigEntry(
        domain="kraken_energy", unique_id=f"enode-cpu-{devices}", data=enode_entry_data(simulator)
    )
    entry.add_to_hass(hass)
    started = time.process_time()
    await setup_entry(hass, entry)
    setup = time.process_time() - started
    coordinator = entry.runtime_data.coordinator
    assert len(coordinator.data.by_id) == devices
    started = time.process_time()
    for _ in range(POLLS):
        enode.advance(60)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
    poll = (time.process_time() - started) / POLLS
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    return setup, poll


async def test_enode_setup_and_poll_cpu(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """Setting up and polling one vehicle, then a hundred: the cost per device should not grow."""
    _only_vehicles(simulator)
    simulator.state.enode.vehicles[VEHICLE_ID].start()
    # A first entry warms the imports and caches up, so the one-device figure is its own.
    await _setup_and_poll_cpu(hass, simulator, 1)
    setup_one, poll_one = await _setup_and_poll_cpu(hass, simulator, 1)
    setup_many, poll_many = await _setup_and_poll_cpu(hass, simulator, 100)
    print()
    print(f"enode_setup_cpu_ms_1_device: {setup_one * 1000:.1f}")
    print(f"enode_setup_cpu_ms_100_devices: {setup_many * 1000:.1f}")
    print(f"enode_poll_cpu_ms_1_device: {poll_one * 1000:.2f}")
    print(f"enode_poll_cpu_ms_100_devices: {poll_many * 1000:.2f}")
    # Per device at 100 over per device at 1: at most 1 is at most linear.
    print(f"enode_setup_cpu_per_device_ratio_100_to_1: {setup_many / 100 / setup_one:.3f}")
    print(f"enode_poll_cpu_per_device_ratio_100_to_1: {poll_many / 100 / poll_one:.3f}")
    assert setup_many / 100 <= 1.5 * setup_one
    assert poll_many / 100 <= 1.5 * poll_one
