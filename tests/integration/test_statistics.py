"""Consumption and cost imported as long-term statistics, as the Energy dashboard reads them.

The integration runs in Home Assistant with a real (in-memory) recorder against the simulator;
what the recorder holds is compared with what the simulator served and billed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
import itertools
import logging
from typing import Any, cast
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.energy.data import EnergyPreferencesUpdate, async_get_manager
from homeassistant.components.energy.validate import async_validate
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
    do_adhoc_statistics,
)

from custom_components.kraken_energy.providers.kraken import statistics
from scripts.develop import energy_preferences
from simulator.app import RunningSimulator
from simulator.faults import Fault
from simulator.kraken import measurements
from simulator.kraken.measurements import M3_TO_KWH, served_readings
from simulator.kraken.scenario import (
    DE_ELECTRICITY_MALO,
    GB_EXPORT_MPAN,
    GB_GAS_MPRN,
    GB_IMPORT_MPAN,
)
from tests.conftest import GB_ACCOUNT, advance, de_entry_data, setup_entry

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = "2026-11-23T10:10:00+00:00"
DAYS = 5

IMPORT = f"kraken_energy:electricity_{GB_IMPORT_MPAN}"
EXPORT = f"kraken_energy:electricity_{GB_EXPORT_MPAN}"
GAS = f"kraken_energy:gas_{GB_GAS_MPRN}"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder first (its database must exist before Home Assistant starts)."""


@pytest.fixture(autouse=True)
def short_backfill(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few days of backfill keep the tests quick; the benchmark backfills a whole year."""
    monkeypatch.setattr(statistics, "BACKFILL_DAYS", DAYS)


def _midnight(day: datetime, zone: ZoneInfo) -> datetime:
    return datetime.combine(day.astimezone(zone).date(), time(0), zone).astimezone(UTC)


async def _rows(hass: HomeAssistant, statistic_id: str) -> list[dict[str, Any]]:
    await async_wait_recording_done(hass)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period, hass, start, None, {statistic_id}, "hour", None, {"state", "sum"}
    )
    return [dict(row) for row in found.get(statistic_id, [])]


async def _settle(hass: HomeAssistant) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)


def _hourly(readings: list[tuple[datetime, Decimal]], factor: float = 1.0) -> dict[float, float]:
    hours: dict[float, float] = defaultdict(float)
    for start, value in readings:
        hours[start.replace(minute=0).timestamp()] += float(value) * factor
    return hours


def _gb_property(simulator: RunningSimulator) -> Any:
    return simulator.state.kraken.scenario.account(GB_ACCOUNT).properties[0]


@pytest.mark.usefixtures("london")
async def test_backfill_holds_the_readings_and_the_bill(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every backfilled hour equals the meter's readings; every day's cost equals the bill."""
    caplog.set_level(logging.INFO, "custom_components.kraken_energy")
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert f"Importing {DAYS} days of consumption and cost for entry {gb_entry.entry_id}" in ours
    assert f"{DAYS} of {DAYS} days" in ours[-1]
    for secret in (GB_ACCOUNT, GB_IMPORT_MPAN, GB_EXPORT_MPAN, GB_GAS_MPRN):
        assert not [message for message in ours if secret in message]

    today = _midnight(datetime.fromisoformat(NOW), LONDON)
    first = _midnight(today - timedelta(days=DAYS), LONDON)
    prop = _gb_property(simulator)
    tariff = simulator.state.kraken.scenario.half_hourly_tariff()
    cases = [
        (IMPORT, "consumption", "cost", GB_IMPORT_MPAN, 1.0),
        (EXPORT, "export", "compensation", GB_EXPORT_MPAN, 1.0),
        (GAS, "consumption", "cost", GB_GAS_MPRN, M3_TO_KWH),
    ]
    for prefix, energy, money, identifier, factor in cases:
        served = served_readings(prop, identifier, first, today)
        assert served, identifier
        expected = _hourly(served, factor)
        rows = await _rows(hass, f"{prefix}_{energy}")
        assert [row["start"] for row in rows] == sorted(expected)
        for row in rows:
            assert row["state"] == pytest.approx(expected[row["start"]], abs=1e-9)
        assert rows[-1]["sum"] == pytest.approx(sum(expected.values()), abs=1e-6)

        # The bill, day by day: rate x reading for every half hour, plus the standing charge.
        bill: dict[float, float] = defaultdict(float)
        for start, value in served:
            day = _midnight(start, LONDON).timestamp()
            if identifier == GB_IMPORT_MPAN:
                bill[day] += float(value) * tariff.rate_at(start).value / 100
            elif identifier == GB_EXPORT_MPAN:
                bill[day] += float(value) * 15.0 / 100
            else:
                bill[day] += float(value) * M3_TO_KWH * 6.5 / 100
        standing = {GB_IMPORT_MPAN: 47.85, GB_EXPORT_MPAN: 0.0, GB_GAS_MPRN: 31.4}[identifier]
        costs = await _rows(hass, f"{prefix}_{money}")
        charged: dict[float, float] = defaultdict(float)
        for row in costs:
            start = datetime.fromtimestamp(row["start"], UTC)
            charged[_midnight(start, LONDON).timestamp()] += row["state"]
        assert set(charged) == set(bill)
        for day, amount in bill.items():
            assert round(charged[day], 2) == round(amount + standing / 100, 2), (identifier, day)
        assert costs[-1]["sum"] == pytest.approx(sum(charged.values()), abs=1e-6)


@pytest.mark.usefixtures("london")
async def test_statistics_have_names_units_and_pass_energy_validation(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Configured as grid and gas sources with their costs, HA's validation finds no issue."""
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)

    listed = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)
    ours = {item["statistic_id"]: item for item in listed if item["source"] == "kraken_energy"}
    assert ours[f"{IMPORT}_consumption"]["statistics_unit_of_measurement"] == "kWh"
    assert ours[f"{IMPORT}_cost"]["statistics_unit_of_measurement"] == "GBP"
    assert (
        ours[f"{IMPORT}_consumption"]["name"] == f"Electricity import {GB_IMPORT_MPAN} consumption"
    )
    assert ours[f"{EXPORT}_compensation"]["name"] == (
        f"Electricity export {GB_EXPORT_MPAN} export income"
    )
    assert ours[f"{GAS}_consumption"]["unit_class"] == "energy"

    # HA's own five-minute statistics of the sensors the dashboard names (as after a while).
    do_adhoc_statistics(hass, start=datetime.fromisoformat(NOW))
    await async_wait_recording_done(hass)

    # The run command's Energy dashboard (scripts/develop.py) configures exactly these.
    manager = await async_get_manager(hass)
    await manager.async_update(cast("EnergyPreferencesUpdate", energy_preferences()))
    validation = (await async_validate(hass)).as_dict()
    assert validation["energy_sources"] == [[], []]
    # The heat pump's lifetime energy input, a sensor that exists and that HA accepts.
    assert validation["device_consumption"] == [[]]


@pytest.mark.usefixtures("london")
async def test_later_imports_add_each_day_once(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Re-imports add nothing twice; a new day arrives once, continuing the sums."""
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    before = await _rows(hass, f"{IMPORT}_consumption")
    requests = simulator.state.requests.count(operation_name="Measurements")

    # The same day: nothing is due, nothing is asked for, nothing changes.
    for _ in range(6):
        await advance(hass, freezer, timedelta(hours=1))
    await _settle(hass)
    assert simulator.state.requests.count(operation_name="Measurements") == requests
    assert await _rows(hass, f"{IMPORT}_consumption") == before

    # A forced second import of the same days adds nothing either.
    importer = statistics.ConsumptionImporter(hass, gb_entry)
    await importer.async_import()
    await _settle(hass)
    assert await _rows(hass, f"{IMPORT}_consumption") == before

    # The next day's readings arrive once, and the sums go on from where they stood.
    await advance(hass, freezer, timedelta(hours=14))
    await _settle(hass)
    after = await _rows(hass, f"{IMPORT}_consumption")
    assert after[: len(before)] == before
    added = after[len(before) :]
    assert len(added) == 24
    today = _midnight(datetime.fromisoformat(NOW), LONDON)
    expected = _hourly(
        served_readings(_gb_property(simulator), GB_IMPORT_MPAN, today, today + timedelta(days=1))
    )
    assert after[-1]["sum"] == pytest.approx(before[-1]["sum"] + sum(expected.values()), abs=1e-6)
    assert simulator.state.requests.count(operation_name="Measurements") == requests + 1


@pytest.mark.usefixtures("london")
async def test_restart_resumes_where_the_import_stood(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a reload days later, only the missing days are asked for, sums continuing."""
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    before = await _rows(hass, f"{GAS}_cost")
    await hass.config_entries.async_unload(gb_entry.entry_id)
    await _settle(hass)

    freezer.tick(timedelta(days=3))
    await hass.config_entries.async_setup(gb_entry.entry_id)
    await _settle(hass)
    after = await _rows(hass, f"{GAS}_cost")
    assert after[: len(before)] == before
    starts = [row["start"] for row in after]
    assert starts == sorted(set(starts))
    assert all(b - a == 3600 for a, b in itertools.pairwise(starts))
    assert len(after) == len(before) + 3 * 24
    assert after[-1]["sum"] == pytest.approx(sum(row["state"] for row in after), abs=1e-6)


@pytest.mark.usefixtures("london")
async def test_a_failed_request_is_retried_without_losing_data(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The day's import fails; hours later it is retried and nothing is missing."""
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    before = await _rows(hass, f"{EXPORT}_export")

    simulator.state.faults.add(Fault.http_status(503, operation_name="Measurements"))
    await advance(hass, freezer, timedelta(hours=14))  # past midnight: a new day is due
    await _settle(hass)
    assert await _rows(hass, f"{EXPORT}_export") == before
    assert "stopped (KrakenServerError); retried in a few hours" in caplog.text

    for _ in range(4):
        await advance(hass, freezer, timedelta(hours=1))
    await _settle(hass)
    after = await _rows(hass, f"{EXPORT}_export")
    assert len(after) == len(before) + 24
    assert "works again" in caplog.text
    assert after[-1]["sum"] == pytest.approx(sum(row["state"] for row in after), abs=1e-6)


async def test_german_account_imports_electricity(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The German instance: quarter-hourly readings, time-of-use rates, a monthly charge.

    Its schema has no gas filters, so German gas has no statistics.
    """
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(NOW)
    entry = MockConfigEntry(
        domain="kraken_energy", unique_id="A-DE000001", data=de_entry_data(simulator)
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    await _settle(hass)

    statistic = f"kraken_energy:electricity_{DE_ELECTRICITY_MALO}"
    today = _midnight(datetime.fromisoformat(NOW), BERLIN)
    first = _midnight(today - timedelta(days=DAYS), BERLIN)
    prop = simulator.state.kraken.scenario.account("A-DE000001").properties[0]
    served = served_readings(prop, DE_ELECTRICITY_MALO, first, today, instance="de")
    assert len(served) == DAYS * 96
    rows = await _rows(hass, f"{statistic}_consumption")
    assert rows[-1]["sum"] == pytest.approx(sum(float(value) for _, value in served), abs=1e-6)

    # Intelligent Octopus Go: GO 00:00-05:00 at 15.0654 ct/kWh, else 28.2744 ct/kWh (gross);
    # 11.50 EUR a month net standing charge at 19 % VAT, spread over the year's days.
    standing = round(11.5 * 1.19, 4) * 12 / 365
    bill = DAYS * standing
    for start, value in served:
        go = start.astimezone(BERLIN).hour < 5
        bill += float(value) * (15.0654 if go else 28.2744) / 100
    costs = await _rows(hass, f"{statistic}_cost")
    assert round(costs[-1]["sum"], 2) == round(bill, 2)
    listed = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)
    imported = {item["statistic_id"] for item in listed if item["source"] == "kraken_energy"}
    assert imported == {f"{statistic}_consumption", f"{statistic}_cost"}


@pytest.mark.usefixtures("london")
async def test_a_day_still_arriving_waits_for_the_rest(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Yesterday's last readings are not there yet: nothing of it is imported until they are."""
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    before = await _rows(hass, f"{IMPORT}_consumption")

    # Readings come in three hours after their half hour: at 01:00 yesterday lacks its last two.
    monkeypatch.setattr(measurements, "READINGS_LAG", timedelta(hours=3))
    freezer.move_to("2026-11-24T00:55:00+00:00")
    await advance(hass, freezer, timedelta(minutes=10))
    await _settle(hass)
    assert await _rows(hass, f"{IMPORT}_consumption") == before

    for _ in range(4):
        await advance(hass, freezer, timedelta(hours=1))
    await _settle(hass)
    after = await _rows(hass, f"{IMPORT}_consumption")
    assert len(after) == len(before) + 24


@pytest.mark.usefixtures("london")
async def test_readings_over_several_pages_are_all_imported(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages smaller than a window: the next pages are asked for until none is left."""
    monkeypatch.setattr(statistics, "PAGE_SIZE", 100)
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    today = _midnight(datetime.fromisoformat(NOW), LONDON)
    first = _midnight(today - timedelta(days=DAYS), LONDON)
    served = served_readings(_gb_property(simulator), GB_IMPORT_MPAN, first, today)
    rows = await _rows(hass, f"{IMPORT}_consumption")
    assert len(rows) == DAYS * 24
    assert rows[-1]["sum"] == pytest.approx(sum(float(value) for _, value in served), abs=1e-6)
    # 240 half hours of each of three meters, 100 a page.
    assert simulator.state.requests.count(operation_name="Measurements") == 3


@pytest.mark.usefixtures("london")
async def test_an_instance_without_readings_imports_nothing(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A supplier whose schema has no measurements: no statistics, no requests for them."""
    simulator.state.kraken.hidden_fields.add("PropertyType.measurements")
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    await advance(hass, freezer, timedelta(days=1))
    await _settle(hass)
    listed = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)
    assert not [item for item in listed if item["source"] == "kraken_energy"]
    assert simulator.state.requests.count(operation_name="Measurements") == 0
    assert caplog.text.count("offers no smart-meter readings") == 1


@pytest.mark.usefixtures("london")
async def test_the_schema_and_the_readings_types_are_learnt_in_one_request(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """One schema request at first setup; a schema stored without the readings' types (by an
    older release) costs one more request, once, and the import goes on."""
    freezer.move_to(NOW)
    await setup_entry(hass, gb_entry)
    await _settle(hass)
    requests = simulator.state.requests
    assert requests.count(operation_name="KrakenSchema") == 1
    assert requests.count(operation_name="Measurements") > 0
    await hass.config_entries.async_unload(gb_entry.entry_id)
    await _settle(hass)

    stored = hass_storage[f"kraken_energy.schema.{gb_entry.entry_id}"]["data"]["types"]
    for name in ("IntervalMeasurementType", "MeasurementConnection", "ElectricityFiltersInput"):
        del stored[name]
    before = await _rows(hass, f"{IMPORT}_consumption")
    requests.clear()
    freezer.tick(timedelta(days=1))
    await hass.config_entries.async_setup(gb_entry.entry_id)
    await _settle(hass)
    assert requests.count(operation_name="KrakenSchema") == 1
    after = await _rows(hass, f"{IMPORT}_consumption")
    assert after[: len(before)] == before
    assert len(after) == len(before) + 24
