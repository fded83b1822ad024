"""Consumption and cost of a Kraken account as long-term statistics for the Energy dashboard.

Per meter point two external statistics, hourly sums: energy in kWh (import, export or gas)
and its cost (export: what it earned) in the account's currency. Smart meters report a day
late, so this runs a few times a day, not with every poll: it imports the local days not yet
imported, back to one year on first setup, a fortnight per request, and continues each sum
from the last row the recorder holds (so a restart resumes and nothing is counted twice).

Cost of an interval: Kraken's own unit price for it where the reading carries one (variable
rates), else the rate of the agreement in force then, times the energy; the day's standing
charge is added to the first hour of the local day, so the dashboard's daily cost is the bill's.
The rules and the gas conversion are in README, "Consumption and cost".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
import logging

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    get_last_statistics,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import translation
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter

from ...api.kraken import Capabilities, KrakenError, KrakenParseError, measurements as api
from ...api.kraken.models import Account, Fuel, MeterPoint, Tariff
from ...const import DOMAIN
from .coordinator import KrakenConfigEntry
from .entity import meter_point_unique_prefix
from .rates import BandSchedule, rate_periods

_LOGGER = logging.getLogger(__name__)

BACKFILL_DAYS = 365
"""How far back the first import reaches (Kraken keeps more; a year is a year of bills)."""
WINDOW_DAYS = 14
"""Local days per request: 672 half-hours or 1,344 quarter-hours a supply point."""
PAGE_SIZE = 1500
MAX_PAGES = 50
"""A window never needs more pages; an answer that keeps offering one is not believed."""
CHECK_INTERVAL = timedelta(hours=1)
RETRY_INTERVAL = timedelta(hours=4)
"""Between attempts while yesterday's readings are not there yet (or a request failed)."""
INCOMPLETE_DAY_GRACE = timedelta(days=3)
"""A day still missing readings this long after it ended is imported as it is."""
CALORIFIC_VALUE = 40.0
"""MJ/m³, the default of GB bills' range (the API does not say which applies)."""
VOLUME_CORRECTION = 1.02264
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = 365


def gas_kwh(cubic_metres: float, calorific_value: float = CALORIFIC_VALUE) -> float:
    """Gas volume to energy, as GB bills convert it: m³ x 1.02264 x CV / 3.6."""
    return cubic_metres * VOLUME_CORRECTION * calorific_value / 3.6


def statistic_ids(point: MeterPoint) -> tuple[str, str]:
    """The energy and cost statistic ids of a meter point (lower case, as recorder requires)."""
    prefix = f"{DOMAIN}:{meter_point_unique_prefix(point)}".lower()
    if point.direction == "export":
        return f"{prefix}_export", f"{prefix}_compensation"
    return f"{prefix}_consumption", f"{prefix}_cost"


def daily_standing_charge(tariff: Tariff | None) -> float:
    """The standing charge of one day, inc. VAT (a monthly one is spread over the year's days)."""
    if tariff is None or tariff.standing_charge is None:
        return 0.0
    charge = tariff.standing_charge.inc_vat
    if tariff.standing_charge_per == "month":
        return charge * MONTHS_PER_YEAR / DAYS_PER_YEAR
    return charge


@dataclass(slots=True)
class _Sum:
    """Where a statistic stands: its last hour and its sum then."""

    last_start: datetime | None = None
    total: float = 0.0


@dataclass(slots=True)
class _Series:
    """One meter point's two statistics."""

    point: MeterPoint
    query: api.SupplyPointQuery
    energy_id: str
    cost_id: str
    energy: _Sum = field(default_factory=_Sum)
    cost: _Sum = field(default_factory=_Sum)
    blocked: bool = False
    """A day's readings are incomplete: later days wait for it (until the next run)."""

    @property
    def resume_from(self) -> datetime | None:
        """The first hour not yet imported in both statistics (None: nothing imported)."""
        starts = [s.last_start for s in (self.energy, self.cost)]
        if any(start is None for start in starts):
            return None
        return min(start for start in starts if start is not None) + timedelta(hours=1)


@dataclass(slots=True)
class _Hour:
    energy: float = 0.0
    cost: float = 0.0


class ConsumptionImporter:
    """Imports one Kraken entry's readings into the recorder, in the background."""

    def __init__(self, hass: HomeAssistant, entry: KrakenConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        self._capabilities: Capabilities | None = None
        self._lock = asyncio.Lock()
        self._last_attempt: datetime | None = None
        self._imported_until: datetime | None = None
        self._sums: dict[str, _Sum] = {}
        self._checked_until: dict[str, datetime] = {}
        """Up to where each meter point was asked (those without readings have no rows)."""
        self._names: dict[str, str] = {}
        self._unsupported_logged = False
        self._failing = False

    @callback
    def async_start(self) -> Callable[[], None]:
        """Import now (in the background) and check hourly whether a new day is due."""
        self._schedule()
        return async_track_time_interval(
            self.hass, self._tick, CHECK_INTERVAL, name=f"{DOMAIN} consumption import"
        )

    @callback
    def _tick(self, now: datetime) -> None:
        if self._due(now):
            self._schedule()

    def _due(self, now: datetime) -> bool:
        if self._lock.locked():
            return False
        if self._imported_until is not None and self._imported_until >= _today_start(now):
            return False
        return self._last_attempt is None or now - self._last_attempt >= RETRY_INTERVAL

    @callback
    def _schedule(self) -> None:
        self.entry.async_create_background_task(
            self.hass, self.async_import(), f"{DOMAIN} consumption import {self.entry.entry_id}"
        )

    async def async_import(self) -> None:
        """Import every complete local day not yet imported (back to BACKFILL_DAYS)."""
        async with self._lock:
            now = dt_util.utcnow()
            self._last_attempt = now
            try:
                await self._import(now)
            except KrakenError as err:
                # The readings' types are asked about again: the instance may have moved on.
                self._capabilities = None
                _LOGGER.log(
                    logging.DEBUG if self._failing else logging.WARNING,
                    "Consumption import for entry %s stopped (%s); retried in a few hours",
                    self.entry.entry_id,
                    type(err).__name__,
                )
                self._failing = True
            else:
                if self._failing:
                    _LOGGER.info("Consumption import for entry %s works again", self.entry.entry_id)
                self._failing = False

    async def _import(self, now: datetime) -> None:
        account: Account | None = self.entry.runtime_data.account.data
        if account is None:
            return
        series = await self._series(account)
        today = _today_start(now)
        if not series:
            self._imported_until = today
            return
        bound = _local_midnight(today - timedelta(days=BACKFILL_DAYS))
        await self._load_sums(series)
        starts = {
            s.energy_id: _local_midnight(
                max(bound, s.resume_from or self._checked_until.get(s.energy_id) or bound)
            )
            for s in series
        }
        window_start = min(starts.values())
        total_days = round((today - window_start) / timedelta(days=1))
        if total_days > 0:
            _LOGGER.info(
                "Importing %d days of consumption and cost for entry %s",
                total_days,
                self.entry.entry_id,
            )
        while window_start < today:
            window_end = min(_local_midnight(window_start + timedelta(days=WINDOW_DAYS)), today)
            wanted = [s for s in series if starts[s.energy_id] < window_end and not s.blocked]
            if wanted:
                readings = await self._fetch(account, wanted, window_start, window_end)
                for each in wanted:
                    self._add(each, readings[each.query.key], now)
            window_start = window_end
            done = total_days - round((today - window_start) / timedelta(days=1))
            _LOGGER.info(
                "Imported consumption and cost for entry %s: %d of %d days",
                self.entry.entry_id,
                done,
                total_days,
            )
        for each in series:
            if not each.blocked:
                self._checked_until[each.energy_id] = today
        # Complete only when no meter point waits for the rest of a day.
        if not any(each.blocked for each in series):
            self._imported_until = today

    async def _series(self, account: Account) -> list[_Series]:
        client = self.entry.runtime_data.client
        if self._capabilities is None:
            self._capabilities = await api.learn(client.execute, await client.ensure_schema())
        capabilities = self._capabilities
        if not api.supports_measurements(capabilities):
            if not self._unsupported_logged:
                _LOGGER.info(
                    "%s offers no smart-meter readings to import",
                    self.entry.runtime_data.account.supplier_name,
                )
                self._unsupported_logged = True
            return []
        found: list[_Series] = []
        for index, point in enumerate(account.meter_points):
            if point.fuel is Fuel.GAS and not api.supports_gas(capabilities):
                continue
            energy_id, cost_id = statistic_ids(point)
            query = api.SupplyPointQuery(
                key=f"point{index}",
                supply_point=point.identifier,
                property_id=point.property_id,
                gas=point.fuel is Fuel.GAS,
                generation=point.direction == "export",
            )
            found.append(_Series(point, query, energy_id, cost_id))
        await self._load_names(found)
        return found

    async def _load_names(self, series: Sequence[_Series]) -> None:
        language = self.hass.config.language
        devices = await translation.async_get_translations(self.hass, language, "device", [DOMAIN])
        common = await translation.async_get_translations(self.hass, language, "common", [DOMAIN])
        for each in series:
            point = each.point
            meter = devices.get(
                f"component.{DOMAIN}.device.meter_point_{point.direction}.name",
                f"{point.direction} {{identifier}}",
            ).replace("{identifier}", point.identifier)
            energy_key, cost_key = (
                ("statistic_export", "statistic_compensation")
                if point.direction == "export"
                else ("statistic_consumption", "statistic_cost")
            )
            for statistic_id, key in ((each.energy_id, energy_key), (each.cost_id, cost_key)):
                template = common.get(f"component.{DOMAIN}.common.{key}", f"{{meter}} {key}")
                self._names[statistic_id] = template.replace("{meter}", meter)

    async def _load_sums(self, series: Sequence[_Series]) -> None:
        """Where each statistic stands: in memory if newer, else the recorder's last row."""
        recorder = get_instance(self.hass)
        for each in series:
            for statistic_id, target in ((each.energy_id, each.energy), (each.cost_id, each.cost)):
                held = self._sums.get(statistic_id)
                stored = await recorder.async_add_executor_job(
                    get_last_statistics, self.hass, 1, statistic_id, True, {"sum"}
                )
                rows = stored.get(statistic_id) or []
                if rows:
                    target.last_start = datetime.fromtimestamp(rows[0]["start"], UTC)
                    target.total = rows[0].get("sum") or 0.0
                if (
                    held is not None
                    and held.last_start is not None
                    and (target.last_start is None or held.last_start > target.last_start)
                ):
                    target.last_start, target.total = held.last_start, held.total
                self._sums[statistic_id] = target

    async def _fetch(
        self, account: Account, series: Sequence[_Series], start: datetime, end: datetime
    ) -> dict[str, list[api.IntervalReading]]:
        """Every supply point's readings in [start, end), following next pages."""
        client = self.entry.runtime_data.client
        assert self._capabilities is not None  # noqa: S101 - learnt in _series
        readings: dict[str, list[api.IntervalReading]] = {s.query.key: [] for s in series}
        pending = [s.query for s in series]
        cursors: dict[str, str] = {}
        properties = api.properties_field(self._capabilities)
        for _ in range(MAX_PAGES):
            if not pending:
                return readings
            text, _ = api.document(self._capabilities, pending, cursors)
            values = api.variables(account.number, pending, start, end, PAGE_SIZE, cursors)
            data = await client.execute(text, values, api.OPERATION)
            pages = api.parse(data, pending, properties)
            cursors = {}
            for query in pending:
                page = pages[query.key]
                readings[query.key].extend(page.readings)
                if page.next_cursor is not None:
                    cursors[query.key] = page.next_cursor
            pending = [query for query in pending if query.key in cursors]
        if pending:
            raise KrakenParseError(f"measurements: more than {MAX_PAGES} pages in a window")
        return readings

    def _add(self, series: _Series, readings: list[api.IntervalReading], now: datetime) -> None:
        """Hourly rows of the complete days among the readings, continuing the sums."""
        resume = series.resume_from
        by_day: dict[datetime, list[api.IntervalReading]] = {}
        for reading in readings:
            by_day.setdefault(_local_midnight(reading.start), []).append(reading)
        energy_rows: list[StatisticData] = []
        cost_rows: list[StatisticData] = []
        for day_start in sorted(by_day):
            day = by_day[day_start]
            day_end = _local_midnight(day_start + timedelta(hours=26))
            covered = sum((r.end - r.start for r in day), timedelta())
            if covered < day_end - day_start and now - day_end < INCOMPLETE_DAY_GRACE:
                series.blocked = True  # the rest arrives later; later days wait for it
                break
            hours = self._hours(series, day_start, day)
            for hour_start, hour in sorted(hours.items()):
                if resume is not None and hour_start < resume:
                    continue
                series.energy.total += hour.energy
                series.cost.total += hour.cost
                energy_rows.append(
                    StatisticData(start=hour_start, state=hour.energy, sum=series.energy.total)
                )
                cost_rows.append(
                    StatisticData(start=hour_start, state=hour.cost, sum=series.cost.total)
                )
                series.energy.last_start = series.cost.last_start = hour_start
        if not energy_rows:
            return
        currency = self.entry.runtime_data.account.currency
        for statistic_id, rows, unit, unit_class in (
            (
                series.energy_id,
                energy_rows,
                UnitOfEnergy.KILO_WATT_HOUR,
                EnergyConverter.UNIT_CLASS,
            ),
            (series.cost_id, cost_rows, currency, None),
        ):
            metadata = StatisticMetaData(
                mean_type=StatisticMeanType.NONE,
                has_sum=True,
                name=self._names.get(statistic_id),
                source=DOMAIN,
                statistic_id=statistic_id,
                unit_class=unit_class,
                unit_of_measurement=unit,
            )
            async_add_external_statistics(self.hass, metadata, rows)

    def _hours(
        self, series: _Series, day_start: datetime, day: list[api.IntervalReading]
    ) -> dict[datetime, _Hour]:
        """A day's readings summed per hour, costed, the standing charge in its first hour."""
        point = series.point
        zone = dt_util.get_default_time_zone()
        bands: BandSchedule = self.entry.runtime_data.account.bands
        hours: dict[datetime, _Hour] = {}
        for reading in day:
            kwh = _kwh(reading)
            if kwh is None:
                continue
            hour = hours.setdefault(
                reading.start.astimezone(UTC).replace(minute=0, second=0, microsecond=0), _Hour()
            )
            hour.energy += kwh
            hour.cost += _cost(reading, kwh, point, zone, bands)
        if hours and point.direction != "export":
            agreement = point.agreement_at(day_start) or point.agreement_at(day[0].start)
            hours[min(hours)].cost += daily_standing_charge(agreement.tariff if agreement else None)
        return hours


def _kwh(reading: api.IntervalReading) -> float | None:
    if reading.is_volume:
        return gas_kwh(reading.value)
    factor = reading.kwh_factor
    return None if factor is None else reading.value * factor


def _cost(
    reading: api.IntervalReading,
    kwh: float,
    point: MeterPoint,
    zone: tzinfo,
    bands: BandSchedule,
) -> float:
    """The interval's cost: Kraken's price where it sent one, else the agreement's rate."""
    if reading.price_per_unit is not None and not reading.is_volume:
        return reading.price_per_unit * kwh
    if reading.cost is not None:
        return reading.cost
    agreement = point.agreement_at(reading.start)
    if agreement is None or agreement.tariff is None:
        return 0.0
    periods = rate_periods(agreement.tariff, reading.start, reading.end, zone, bands)
    length = (reading.end - reading.start).total_seconds()
    if not periods or length <= 0:
        return 0.0
    cost = 0.0
    for period in periods:
        overlap = (min(period.end, reading.end) - max(period.start, reading.start)).total_seconds()
        cost += period.price.inc_vat * kwh * max(0.0, overlap) / length
    return cost


def _local_midnight(moment: datetime) -> datetime:
    """Local midnight starting the local day of `moment`, in UTC."""
    zone = dt_util.get_default_time_zone()
    day = moment.astimezone(zone).date()
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def _today_start(now: datetime) -> datetime:
    return _local_midnight(now)


@callback
def async_start_statistics(hass: HomeAssistant, entry: KrakenConfigEntry) -> None:
    """Import the entry's consumption where the recorder runs (it keeps the statistics)."""
    if "recorder" not in hass.config.components:
        return
    importer = ConsumptionImporter(hass, entry)
    entry.async_on_unload(importer.async_start())
