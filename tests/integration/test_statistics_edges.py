"""The consumption import at its edges: a window that pages on without end, readings from
before the meter point's first agreement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.statistics import (
    list_statistic_ids,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.kraken_energy.providers.kraken import statistics
from simulator.app import RunningSimulator
from simulator.kraken.scenario import GB_EXPORT_MPAN
from tests.conftest import GB_ACCOUNT, setup_entry

NOW = "2026-11-23T10:10:00+00:00"
DAYS = 5
EXPORT = f"kraken_energy:electricity_{GB_EXPORT_MPAN}"


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


async def _rows(hass: HomeAssistant, statistic_id: str) -> list[dict[str, Any]]:
    await async_wait_recording_done(hass)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period, hass, start, None, {statistic_id}, "hour", None, {"state", "sum"}
    )
    return [dict(row) for row in found.get(statistic_id, [])]


@pytest.mark.usefixtures("london")
async def test_readings_from_before_the_first_agreement_cost_nothing(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Export readings from before the export agreement began: energy, but no compensation
    (no tariff to price them with), rather than a guessed price."""
    began = datetime.fromisoformat(NOW) - timedelta(days=2)
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    (export,) = (
        point
        for prop in account.properties
        for point in prop.electricity_meter_points
        if point.mpan == GB_EXPORT_MPAN
    )
    for agreement in export.all_agreements:
        if agreement.is_current_or_future(began):
            agreement.valid_from = began
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await hass.async_block_till_done(wait_background_tasks=True)

    energy = await _rows(hass, f"{EXPORT}_export")
    money = await _rows(hass, f"{EXPORT}_compensation")
    assert len(energy) == DAYS * 24
    before = [row["state"] for row in money if row["start"] < began.timestamp()]
    after = [row["state"] for row in money if row["start"] >= began.timestamp()]
    assert before
    assert all(amount == 0 for amount in before)
    # From the agreement on, each hour of export is paid at its rate.
    assert sum(after) > 0
