"""Smart meter live data (Octopus Home Mini) served through `smartMeterTelemetry`.

Where the behaviour comes from (research kraken_energy_data.md section 2):

- The root field, its arguments and the row type are the developer.octopus.energy reference:
  without a range the latest reading comes back (a list of one), with `start`, `end` and
  `grouping` one row per group; `readAt` is the group's start and `consumption` its largest
  (last) register reading; `consumptionDelta` the Wh used in the group, `demand` its mean power
  in W, `costDelta`/`costDeltaWithTax` that energy's cost in pence. Values are Decimals (strings
  on the wire). A public debug log (BottlecapDave/HomeAssistant-OctopusEnergy#1251) shows the
  magnitudes: a register of ~22.9 MWh, tens of Wh per half hour, ~100 W of night demand.
- Errors are the reference's list: KT-GB-4040 (range incomplete), KT-GB-4041 (end before
  start), KT-GB-4042 (too many requests, the throttle users hit when polling often),
  KT-GB-4050 (smart meter not found), KT-GB-4051 (range too far back). Their `errorType`s are
  not documented; VALIDATION, and SERVICE_AVAILABILITY as a real KT-GB-4039 showed, are ours.
- A meter without a consumer device: nothing is collected, so nothing comes back (an empty
  list). This is inferred: other clients only say such accounts get no data.
- Retention is undocumented (KT-GB-4051 exists); the simulator keeps RETENTION.

The readings are ours and agree with `measurements`: each half hour's import is the energy the
property's measurements serve for it (drawn evenly over the half hour, so demand is constant
within it), the export register counts the export point's measurements, and the cost is each
half hour's energy at the agreement's unit rate then in force (a multi-rate tariff's day rate).
Readings are taken every READ_EVERY, as a Home Mini's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .errors import ErrorSpec
from .measurements import export_kwh, import_kwh
from .rates import local_midnight
from .scenario import (
    LONDON,
    Account,
    DayNightTariff,
    ElectricityMeterPoint,
    HalfHourlyTariff,
    PrepayTariff,
    SmartMeterDevice,
    StandardTariff,
    ThreeRateTariff,
)

TOO_MANY_REQUESTS = ErrorSpec(
    "KT-GB-4042", "Too many requests. Please wait before trying again.", "SERVICE_AVAILABILITY"
)
RANGE_INCOMPLETE = ErrorSpec(
    "KT-GB-4040", "'start', 'end', and 'grouping' must all be provided.", "VALIDATION"
)
RANGE_REVERSED = ErrorSpec("KT-GB-4041", "'end' should be later than 'start'.", "VALIDATION")
METER_NOT_FOUND = ErrorSpec("KT-GB-4050", "Smart meter not found.", "NOT_FOUND")
TOO_FAR_BACK = ErrorSpec(
    "KT-GB-4051", "The start of the range is too far in the past.", "VALIDATION"
)

GROUPINGS = {
    "TEN_SECONDS": timedelta(seconds=10),
    "ONE_MINUTE": timedelta(minutes=1),
    "FIVE_MINUTES": timedelta(minutes=5),
    "HALF_HOURLY": timedelta(minutes=30),
    "HOURLY": timedelta(hours=1),
}
READ_EVERY = timedelta(seconds=10)
RETENTION = timedelta(days=90)
HALF_HOUR = timedelta(minutes=30)
REGISTER_START = datetime(2024, 10, 1, tzinfo=UTC)
"""The import and export registers read REGISTER_START_WH at this instant."""
REGISTER_START_WH = {"import": 18_250_000.0, "export": 1_120_000.0}


@dataclass(frozen=True)
class MeterSite:
    """Where a smart meter measures: its import point (the tariff), its export point."""

    device: SmartMeterDevice
    point: ElectricityMeterPoint


def find_meter(accounts: Iterable[Account], device_id: str) -> MeterSite | None:
    """The electricity smart meter with this EUI-64 among the accounts, with its point."""
    for account in accounts:
        for prop in account.properties:
            for point in prop.electricity_meter_points:
                for meter in point.meters:
                    for device in meter.smart_devices:
                        if device.device_id == device_id and device.type == "ESME":
                            return MeterSite(device, point)
    return None


def home_minis(account: Account) -> list[SmartMeterDevice]:
    """The account's smart meters a Home Mini feeds (tests and benchmarks switch them off)."""
    return [
        device
        for prop in account.properties
        for point in prop.electricity_meter_points
        for meter in point.meters
        for device in meter.smart_devices
        if device.home_mini
    ]


def _slot_start(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    return at.replace(minute=at.minute - at.minute % 30, second=0, microsecond=0)


def _slot_kwh(mpan: str, direction: str, start: datetime) -> float:
    local = start.astimezone(LONDON)
    reading = import_kwh(mpan, local, 30) if direction == "import" else export_kwh(mpan, local, 30)
    return float(reading)


@lru_cache(maxsize=4096)
def _day_kwh(mpan: str, direction: str, day: date) -> float:
    """A local day's energy, from its half hours (46 or 50 on a clock change)."""
    start, end = local_midnight(day, LONDON), local_midnight(day + timedelta(days=1), LONDON)
    total = 0.0
    slot = start.astimezone(UTC)
    while slot < end:
        total += _slot_kwh(mpan, direction, slot)
        slot += HALF_HOUR
    return total


def register_wh(mpan: str | None, direction: str, at: datetime) -> float:
    """A register's reading at `at` (Wh); an absent export point exports nothing."""
    base = REGISTER_START_WH[direction]
    if mpan is None or at <= REGISTER_START:
        return base
    today = at.astimezone(LONDON).date()
    kwh = _kwh_before(mpan, direction, today)
    kwh += energy_kwh(mpan, direction, local_midnight(today, LONDON), at)
    return base + kwh * 1000


@lru_cache(maxsize=256)
def _kwh_before(mpan: str, direction: str, today: date) -> float:
    """The energy counted from REGISTER_START until the local day `today` began."""
    day = REGISTER_START.astimezone(LONDON).date()
    kwh = 0.0
    while day < today:
        kwh += _day_kwh(mpan, direction, day)
        day += timedelta(days=1)
    return kwh


def energy_kwh(mpan: str | None, direction: str, start: datetime, end: datetime) -> float:
    """Energy in [start, end): each half hour's, drawn evenly over it."""
    if mpan is None or end <= start:
        return 0.0
    total = 0.0
    slot = _slot_start(start)
    while slot < end:
        overlap = min(end, slot + HALF_HOUR) - max(start, slot)
        total += _slot_kwh(mpan, direction, slot) * (overlap / HALF_HOUR)
        slot += HALF_HOUR
    return total


def _unit_rate(point: ElectricityMeterPoint, at: datetime) -> tuple[float, float] | None:
    """The import unit rate at `at` (pence per kWh, inc. and ex. VAT)."""
    for agreement in point.all_agreements:
        if agreement.valid_from <= at and (agreement.valid_to is None or at < agreement.valid_to):
            tariff = agreement.tariff
            if isinstance(tariff, HalfHourlyTariff):
                period = tariff.rate_at(at)
                return period.value, period.pre_vat_value
            if isinstance(tariff, StandardTariff | PrepayTariff):
                return tariff.unit_rate, tariff.pre_vat_unit_rate
            if isinstance(tariff, DayNightTariff | ThreeRateTariff):
                return tariff.day_rate, tariff.pre_vat_day_rate
    return None


def cost_pence(site: MeterSite, start: datetime, end: datetime) -> tuple[float, float] | None:
    """The import energy's cost in [start, end) (inc. and ex. VAT); None without a tariff."""
    inc = ex = 0.0
    slot = _slot_start(start)
    while slot < end:
        rate = _unit_rate(site.point, slot)
        if rate is None:
            return None
        part_start, part_end = max(start, slot), min(end, slot + HALF_HOUR)
        kwh = energy_kwh(site.point.mpan, "import", part_start, part_end)
        inc += kwh * rate[0]
        ex += kwh * rate[1]
        slot += HALF_HOUR
    return inc, ex


def _decimal(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


def latest_reading(site: MeterSite, now: datetime) -> dict[str, Any]:
    """The Home Mini's last reading before `now` (taken every READ_EVERY)."""
    step = READ_EVERY.total_seconds()
    read_at = datetime.fromtimestamp(now.timestamp() // step * step, UTC)
    slot = _slot_start(read_at)
    demand_w = _slot_kwh(site.point.mpan, "import", slot) * 2 * 1000
    return {
        "read_at": read_at,
        "consumption": _decimal(register_wh(site.point.mpan, "import", read_at), 1),
        "demand": _decimal(demand_w, 1),
        "export": _decimal(register_wh(site.device.export_point, "export", read_at), 1),
        "consumption_delta": None,
        "cost_delta": None,
        "cost_delta_with_tax": None,
    }


def grouped_rows(
    site: MeterSite, start: datetime, end: datetime, grouping: str, now: datetime
) -> list[dict[str, Any]]:
    """One row per group from `start` (aligned down to the group) until `end` or now."""
    size = GROUPINGS[grouping]
    step = size.total_seconds()
    group = datetime.fromtimestamp(start.timestamp() // step * step, UTC)
    until = min(end, now)
    rows = []
    while group < until:
        group_end = min(group + size, until)
        delta = energy_kwh(site.point.mpan, "import", group, group_end)
        cost = cost_pence(site, group, group_end)
        seconds = (group_end - group).total_seconds()
        rows.append(
            {
                "read_at": group,
                "consumption": _decimal(register_wh(site.point.mpan, "import", group_end), 1),
                "consumption_delta": _decimal(delta * 1000, 1),
                "demand": _decimal(delta * 1000 * 3600 / seconds, 1),
                "export": _decimal(register_wh(site.device.export_point, "export", group_end), 1),
                "cost_delta": None if cost is None else _decimal(cost[1], 4),
                "cost_delta_with_tax": None if cost is None else _decimal(cost[0], 4),
            }
        )
        group += size
    return rows


def _instant(value: Any) -> datetime:
    """An input DateTime; UTC when it carries no offset, as the reference says."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def telemetry(
    accounts: Iterable[Account],
    device_id: str,
    now: datetime,
    *,
    start: Any = None,
    end: Any = None,
    grouping: str | None = None,
) -> list[dict[str, Any]]:
    """What `smartMeterTelemetry` answers, or the KrakenError it fails with."""
    site = find_meter(accounts, device_id)
    if site is None:
        raise METER_NOT_FOUND.error()
    if site.device.throttled:
        raise TOO_MANY_REQUESTS.error()
    ranged = (start, end, grouping)
    if any(value is not None for value in ranged) and None in ranged:
        raise RANGE_INCOMPLETE.error()
    if not site.device.home_mini:
        return []
    if grouping is None:
        return [latest_reading(site, now)]
    first, last = _instant(start), _instant(end)
    if last <= first:
        raise RANGE_REVERSED.error()
    if first < now - RETENTION:
        raise TOO_FAR_BACK.error()
    return grouped_rows(site, first, last, grouping, now)


def day_totals(site: MeterSite, day_start: datetime, now: datetime) -> dict[str, float]:
    """Test helper: what today's half-hourly rows add up to (kWh, pounds), as served."""
    rows = grouped_rows(site, day_start, day_start + timedelta(days=1), "HALF_HOURLY", now)
    return {
        "consumption": float(sum(row["consumption_delta"] for row in rows)) / 1000,
        "cost": float(sum(row["cost_delta_with_tax"] for row in rows)) / 100,
    }
