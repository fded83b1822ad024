"""What importing consumption and cost costs in requests: a year's backfill, then a day.

The real integration runs in Home Assistant with a real (in-memory) recorder against the
simulator. Prints `name: value` lines.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.kraken_energy.providers.kraken import statistics
from simulator.app import RunningSimulator
from simulator.kraken.telemetry import home_minis
from tests.conftest import GB_ACCOUNT, advance, setup_entry

HOURS = 24
STEP = timedelta(minutes=10)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder first (its database must exist before Home Assistant starts)."""


@pytest.mark.timeout(900)
@pytest.mark.usefixtures("london")
async def test_one_year_backfill_requests(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """First setup of a GB account (Agile import, fixed export, gas): a year of readings."""
    requests = simulator.state.requests
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, gb_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)
    backfill = requests.count(operation_name="Measurements")
    print()
    print(f"statistics_backfill_days: {statistics.BACKFILL_DAYS}")
    print(f"statistics_backfill_requests: {backfill}")
    print(f"statistics_schema_requests: {requests.count(operation_name='KrakenSchema')}")
    assert backfill <= 30


@pytest.mark.timeout(900)
@pytest.mark.usefixtures("london")
async def test_steady_state_requests_with_consumption(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same account without smart devices after its backfill, for a day.

    The clock moves ten minutes at a time; the day's readings are imported once, early in
    the morning.
    """
    monkeypatch.setattr(statistics, "BACKFILL_DAYS", 7)
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    account.smartflex.devices.clear()
    for home_mini in home_minis(account):  # its own cadence: test_home_mini_budget.py
        home_mini.home_mini = False
    requests = simulator.state.requests
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, gb_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)

    before_total = requests.count()
    before_import = requests.count(operation_name="Measurements")
    for _ in range(int(timedelta(hours=HOURS) / STEP)):
        await advance(hass, freezer, STEP)
    await async_wait_recording_done(hass)
    total = requests.count() - before_total
    imports = requests.count(operation_name="Measurements") - before_import

    print()
    print(f"statistics_requests_per_hour: {imports / HOURS:.3f}")
    print(f"kraken_requests_per_hour_with_consumption: {total / HOURS:.2f}")
    print(f"kraken_requests_per_hour_without_import: {(total - imports) / HOURS:.2f}")
    assert imports / HOURS <= 1
