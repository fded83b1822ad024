"""The consumption import's bounds: a window that pages on without end stops it, said once."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.statistics import list_statistic_ids
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.kraken_energy.providers.kraken import statistics
from simulator.app import RunningSimulator
from tests.conftest import setup_entry

NOW = "2026-11-23T10:10:00+00:00"
DAYS = 5


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder first (its database must exist before Home Assistant starts)."""


@pytest.fixture(autouse=True)
def short_backfill(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few days of backfill keep the test quick."""
    monkeypatch.setattr(statistics, "BACKFILL_DAYS", DAYS)


@pytest.mark.usefixtures("london")
async def test_a_window_of_more_pages_than_the_bound_stops_the_import(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Pages so small that a window needs more than MAX_PAGES of them (as a server that
    never stops offering a next page would): asked no further, nothing half-imported."""
    # 5 days of half hours are 240 readings a meter: 60 pages of 4, over the bound of 50.
    monkeypatch.setattr(statistics, "PAGE_SIZE", 4)
    caplog.set_level(logging.INFO, "custom_components.kraken_energy")
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)

    assert simulator.state.requests.count(operation_name="Measurements") == statistics.MAX_PAGES
    assert "stopped (KrakenParseError); retried in a few hours" in caplog.text
    listed = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)
    assert not [item for item in listed if item["source"] == "kraken_energy"]
    # The household's entities do not depend on it.
    assert gb_entry.runtime_data.account.last_update_success
