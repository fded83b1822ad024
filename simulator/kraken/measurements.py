"""Smart-meter interval readings served through `PropertyType.measurements`.

Where the behaviour comes from (research kraken_energy_data.md, section 1):

- The field, its arguments (`first`/`after`, `startAt`/`endAt`, `startOn`/`endOn`, `timezone`,
  `utilityFilters`), the node type `IntervalMeasurementType` and the metadata statistics are
  the developer.octopus.energy reference and its "Get measurements" guide. Nodes come oldest
  first, `value` is a Decimal string and `unit` a free string ("kWh"; "m³" for a gas meter
  whose `consumptionUnits` says so, as SMETS2 gas meters report volume).
- `RAW_INTERVAL` is half-hourly in GB and quarter-hourly on the German instance (community
  clients of both); `THIRTY_MIN_INTERVAL` and `HOUR_INTERVAL` group them. Other frequencies
  answer KT-CT-4710, as one Kraken does for frequencies it does not keep.
- Readings arrive a day late: a day's intervals are served from local midnight after it (and
  `READINGS_LAG` after each interval, for a day whose readings are still arriving).
- Cost statistics (`CONSUMPTION_COST`, `costInclTax` in minor units with `pricePerUnit`) come
  only with variable-rate agreements (Agile, German dynamic), as Kraken's US documentation
  says; fixed-rate intervals carry none.
- The German instance has no `GasFiltersInput` (its 2026 introspection), so German gas cannot
  be asked for; the dialect removes it.

The readings themselves are ours: deterministic per (meter point, local day, interval), with a
household's daily profile for import, a solar curve for export and heating for gas.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
import hashlib
import math
from typing import Any
from zoneinfo import ZoneInfo

from .errors import ErrorSpec
from .germany import BERLIN, MaLo, gross
from .rates import local_midnight
from .scenario import (
    LONDON,
    ElectricityMeterPoint,
    HalfHourlyTariff,
    Property,
)

FREQUENCY_NOT_SUPPORTED = ErrorSpec(
    "KT-CT-4710", "Unable to fetch measurements.", "VALIDATION", "Unsupported reading frequency."
)
PAGE_TOO_LARGE = ErrorSpec(
    "KT-CT-1189", "Too many nodes requested.", "VALIDATION", "Ask for at most 10000 nodes."
)
MAX_PAGE = 10_000
DEFAULT_PAGE = 100
READINGS_LAG = timedelta(0)
"""How long after an interval its reading is served (besides waiting for the day's end): tests
set hours to see a day's readings still arriving the next morning, as the DCC's do."""
HISTORY = timedelta(days=730)
"""How far back the simulated meters have readings (Kraken's retention is undocumented)."""
M3_TO_KWH = 1.02264 * 40.0 / 3.6
"""Gas volume to energy at the default calorific value (40 MJ/m³), as the integration's."""

_MINUTES = {"THIRTY_MIN_INTERVAL": 30, "FIFTEEN_MIN_INTERVAL": 15, "HOUR_INTERVAL": 60}

# kWh per half hour of a household by local clock hour: night base load, breakfast, a quiet
# day, the evening peak.
_IMPORT_PROFILE = (
    0.12, 0.10, 0.09, 0.09, 0.09, 0.10, 0.18, 0.32, 0.30, 0.20, 0.16, 0.15,
    0.18, 0.16, 0.15, 0.17, 0.24, 0.42, 0.50, 0.44, 0.36, 0.30, 0.22, 0.16,
)  # fmt: skip
# Share of a day's heating per local clock hour.
_HEATING_PROFILE = (
    0.2, 0.2, 0.2, 0.2, 0.3, 0.8, 2.4, 2.6, 1.6, 0.8, 0.5, 0.5,
    0.6, 0.5, 0.5, 0.7, 1.4, 2.2, 2.4, 2.2, 1.8, 1.2, 0.6, 0.3,
)  # fmt: skip
_HEATING_TOTAL = sum(_HEATING_PROFILE)


def _unit(*parts: str) -> float:
    """A deterministic number in [0, 1) from the parts."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _season(day: date) -> float:
    """1 at midsummer, -1 at midwinter."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 172) / 365.25)


def import_kwh(point: str, local: datetime, minutes: int) -> Decimal:
    """Energy drawn from the grid in the interval starting at `local` (local time)."""
    day = local.date().isoformat()
    scale = 0.8 + 0.4 * _unit(point, day) + 0.15 * -_season(local.date())
    noise = 0.7 + 0.6 * _unit(point, day, local.time().isoformat())
    value = _IMPORT_PROFILE[local.hour] * scale * noise * minutes / 30
    return Decimal(str(round(value, 3)))


def export_kwh(point: str, local: datetime, minutes: int) -> Decimal:
    """Energy sent to the grid: a 4 kWp array's output less what the house uses meanwhile."""
    season = _season(local.date())
    daylight = 12.0 + 4.5 * season
    sunrise = 13.0 - daylight / 2  # solar noon near 13:00 local
    hour = local.hour + local.minute / 60 + minutes / 120
    if not sunrise < hour < sunrise + daylight:
        return Decimal("0.000")
    clouds = 0.25 + 0.75 * _unit(point, local.date().isoformat(), "sky")
    peak_kw = 3.4 * (0.55 + 0.45 * season) * clouds
    generated = peak_kw * math.sin(math.pi * (hour - sunrise) / daylight) * minutes / 60
    used = 0.2 * minutes / 60
    return Decimal(str(round(max(0.0, generated - used), 3)))


def gas_kwh(point: str, local: datetime, minutes: int) -> float:
    """Gas burnt for heating and hot water in the interval, in kWh."""
    day = local.date().isoformat()
    daily = 8.0 + 30.0 * (1 - _season(local.date())) / 2 * (0.8 + 0.4 * _unit(point, day))
    noise = 0.8 + 0.4 * _unit(point, day, local.time().isoformat())
    return daily * _HEATING_PROFILE[local.hour] / _HEATING_TOTAL * noise * minutes / 60


@dataclass(frozen=True)
class _Meter:
    """One supply point's readings as a filter selects them."""

    identifier: str
    kind: str  # "import", "export" or "gas"
    zone: ZoneInfo
    raw_minutes: int
    volume: bool = False
    half_hourly: HalfHourlyTariff | None = None
    malo: MaLo | None = None
    currency: str = "GBP"

    def value(self, local: datetime, minutes: int) -> Decimal:
        if self.kind == "export":
            return export_kwh(self.identifier, local, minutes)
        if self.kind == "gas":
            kwh = gas_kwh(self.identifier, local, minutes)
            return Decimal(str(round(kwh / M3_TO_KWH if self.volume else kwh, 3)))
        return import_kwh(self.identifier, local, minutes)

    def reading(self, start: datetime, minutes: int) -> Decimal:
        """The reading of an interval: its raw readings summed (so groupings agree)."""
        if minutes <= self.raw_minutes:
            return self.value(start.astimezone(self.zone), minutes)
        step = timedelta(minutes=self.raw_minutes)
        return sum(
            (
                self.value((start + step * index).astimezone(self.zone), self.raw_minutes)
                for index in range(minutes // self.raw_minutes)
            ),
            Decimal(0),
        )

    def unit_rate(self, start: datetime) -> tuple[Decimal, Decimal] | None:
        """A variable-rate agreement's (inc. VAT, ex. VAT) price in minor units per kWh."""
        if self.half_hourly is not None:
            period = self.half_hourly.rate_at(start)
            return Decimal(str(period.value)), Decimal(str(period.pre_vat_value))
        if self.malo is not None:
            agreement = self.malo.agreement_at(start)
            if agreement is not None and agreement.dynamic is not None:
                net = agreement.dynamic.net_rate(start)
                return gross(net), net
        return None


def _statistics(meter: _Meter, start: datetime, minutes: int, value: Decimal) -> list[Any]:
    """The interval's cost, where its agreement has variable rates."""
    if meter.kind != "import" or minutes > meter.raw_minutes:
        return []
    rate = meter.unit_rate(start)
    if rate is None:
        return []
    inc, exc = rate

    def money(price: Decimal) -> dict[str, Any]:
        return {
            "cost_currency": meter.currency,
            "estimated_amount": value * price,
            "price_per_unit": {"amount": price, "unit": "KILOWATT_HOURS"},
        }

    return [
        {
            "type": "CONSUMPTION_COST",
            "label": "CONSUMPTION_COST",
            "description": "Consumption cost",
            "value": value,
            "cost_incl_tax": money(inc),
            "cost_excl_tax": money(exc),
        }
    ]


def _gb_meters(prop: Property, now: datetime) -> list[_Meter]:
    meters = [
        _Meter(
            point.mpan,
            "export" if point.direction == "EXPORT" else "import",
            LONDON,
            30,
            half_hourly=_half_hourly(point, now),
        )
        for point in prop.electricity_meter_points
    ]
    for gas in prop.gas_meter_points:
        units = gas.meters[0].consumption_units if gas.meters else "kWh"
        meters.append(_Meter(gas.mprn, "gas", LONDON, 30, volume=units != "kWh"))
    return meters


def _half_hourly(point: ElectricityMeterPoint, now: datetime) -> HalfHourlyTariff | None:
    for agreement in point.all_agreements:
        if isinstance(agreement.tariff, HalfHourlyTariff) and agreement.is_current_or_future(now):
            return agreement.tariff
    return None


def _de_meters(prop: Property) -> list[_Meter]:
    return [
        _Meter(malo.malo_number or "", "import", BERLIN, 15, malo=malo, currency="EUR")
        for malo in prop.electricity_malos
    ] + [
        _Meter(malo.malo_number or "", "gas", BERLIN, 15, currency="EUR") for malo in prop.gas_malos
    ]


def _selected(meters: list[_Meter], filters: list[dict[str, Any]] | None) -> list[_Meter]:
    """The meters the utility filters name (no filters: electricity consumption)."""
    wanted = filters or [{"electricityFilters": {}}]
    found: list[_Meter] = []
    for item in wanted:
        electricity = item.get("electricityFilters")
        gas = item.get("gasFilters")
        for meter in meters:
            if electricity is not None and meter.kind != "gas":
                direction = electricity.get("readingDirection") or "CONSUMPTION"
                kind = "export" if direction == "GENERATION" else "import"
                supply = electricity.get("marketSupplyPointId")
                if meter.kind == kind and supply in (None, meter.identifier):
                    found.append(meter)
            if (
                gas is not None
                and meter.kind == "gas"
                and gas.get("marketSupplyPointId") in (None, meter.identifier)
            ):
                found.append(meter)
    return found


def _frequency(filters: list[dict[str, Any]] | None) -> str:
    for item in filters or ():
        for value in item.values():
            if isinstance(value, dict) and value.get("readingFrequencyType"):
                return str(value["readingFrequencyType"])
    return "RAW_INTERVAL"


def _instant(value: Any, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _cursor(meter: int, start: datetime) -> str:
    return base64.b64encode(f"{meter}|{start.timestamp():.0f}".encode()).decode()


def _after(cursor: str | None) -> tuple[int, float] | None:
    if not cursor:
        return None
    meter, _, stamp = base64.b64decode(cursor).decode().partition("|")
    return int(meter), float(stamp)


def _intervals(start: datetime, end: datetime, zone: ZoneInfo, minutes: int) -> Iterator[datetime]:
    """UTC interval starts in [start, end) on the grid of `minutes` (local-aligned)."""
    step = timedelta(minutes=minutes)
    local = start.astimezone(zone)
    aligned = local.replace(minute=local.minute - local.minute % minutes, second=0, microsecond=0)
    current = aligned.astimezone(UTC)
    if current < start:
        current += step
    while current + step <= end:
        yield current
        current += step


def measurements(
    prop: Property,
    *,
    instance: str,
    now: datetime,
    args: dict[str, Any],
) -> dict[str, Any]:
    """A `MeasurementConnection` page for a property."""
    zone = BERLIN if instance == "de" else LONDON
    if args.get("timezone"):
        zone = ZoneInfo(str(args["timezone"]))
    filters = args.get("utilityFilters")
    if isinstance(filters, dict):
        filters = [filters]
    frequency = _frequency(filters)
    meters = _selected(_de_meters(prop) if instance == "de" else _gb_meters(prop, now), filters)
    first = args.get("first")
    size = DEFAULT_PAGE if first is None else int(first)
    if size > MAX_PAGE:
        raise PAGE_TOO_LARGE.error()
    # A day's readings arrive after it ends.
    available_until = min(local_midnight(now.astimezone(zone).date(), zone), now - READINGS_LAG)
    window_start = max(
        _instant(args.get("startAt"), zone) or now - HISTORY,
        now - HISTORY,
    )
    if args.get("startOn"):
        window_start = max(window_start, local_midnight(date.fromisoformat(args["startOn"]), zone))
    window_end = min(_instant(args.get("endAt"), zone) or available_until, available_until)
    if args.get("endOn"):
        last_day = date.fromisoformat(args["endOn"])
        window_end = min(window_end, local_midnight(last_day + timedelta(days=1), zone))
    after = _after(args.get("after"))
    edges: list[dict[str, Any]] = []
    more = False
    for index, meter in enumerate(meters):
        minutes = meter.raw_minutes if frequency == "RAW_INTERVAL" else _MINUTES.get(frequency)
        if minutes is None or minutes < meter.raw_minutes:
            raise FREQUENCY_NOT_SUPPORTED.error()
        if after is not None and index < after[0]:
            continue
        begin = window_start
        if after is not None and index == after[0]:
            begin = max(begin, datetime.fromtimestamp(after[1], UTC) + timedelta(minutes=minutes))
        for start in _intervals(begin, window_end, zone, minutes):
            if len(edges) == size:
                more = True
                break
            value = meter.reading(start, minutes)
            end = start + timedelta(minutes=minutes)
            node = {
                "__typename": "IntervalMeasurementType",
                "start_at": start,
                "end_at": end,
                "read_at": end,
                "duration_in_seconds": minutes * 60,
                "value": value,
                "unit": "m³" if meter.volume else "kWh",
                "source": "DCC" if instance == "gb" else "SMGW",
                "meta_data": {"statistics": _statistics(meter, start, minutes, value)},
            }
            edges.append({"node": node, "cursor": _cursor(index, start)})
        if more:
            break
    return {
        "edges": edges,
        "edge_count": len(edges),
        "total_count": len(edges),
        "page_info": {
            "has_next_page": more,
            "has_previous_page": after is not None,
            "start_cursor": edges[0]["cursor"] if edges else None,
            "end_cursor": edges[-1]["cursor"] if edges else None,
        },
    }


def served_readings(
    prop: Property, identifier: str, start: datetime, end: datetime, *, instance: str = "gb"
) -> list[tuple[datetime, Decimal]]:
    """The raw readings of one supply point in [start, end), for tests and benchmarks."""
    meters = _de_meters(prop) if instance == "de" else _gb_meters(prop, start)
    meter = next(m for m in meters if m.identifier == identifier)
    return [
        (at, meter.reading(at, meter.raw_minutes))
        for at in _intervals(start, end, meter.zone, meter.raw_minutes)
    ]
