"""Deterministic Agile-like half-hourly prices.

A price depends only on (seed, local date, local half-hour slot), so tests can recompute what the
simulator served. Slot `n` is the local wall-clock half-hour starting at `n * 30` minutes past
local midnight (00:00 is slot 0, 16:00 is slot 32). On the autumn clock change the repeated hour
has the same slot numbers (and prices) twice; the spring change skips two slots.

Shape of a day (pre-VAT pence/kWh, before per-day scaling and noise): cheap overnight with the
low around 04:00, a morning bump 07:00-09:00, a softer (solar) midday, the 16:00-19:00 peak, then
an evening decline. About one day in seven is "windy": overnight and midday prices drop by 14p,
which often takes them below zero. Prices are capped at the tariff's price cap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
import hashlib
from zoneinfo import ZoneInfo

HALF_HOUR = timedelta(minutes=30)

# Pre-VAT base price per local clock hour.
_HOURLY_BASE = (
    14.0,  # 00
    13.0,
    12.0,
    11.0,
    10.0,  # 04
    11.0,
    14.0,
    22.0,  # 07 morning bump
    25.0,
    23.0,
    18.0,
    16.0,
    14.0,  # 12 solar dip
    13.0,
    15.0,
    19.0,
    31.0,  # 16 peak
    36.0,
    34.0,
    25.0,  # 19
    22.0,
    19.0,
    17.0,
    15.0,
)
_WINDY_SLOTS = frozenset(range(12)) | frozenset(range(22, 30))


def _unit(*parts: str) -> float:
    """A deterministic number in [0, 1) from the given parts."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def half_hourly_pre_vat_rate(
    local_day: date, slot: int, *, seed: str, price_cap: float | None = None, vat: float = 0.05
) -> float:
    """Pre-VAT price (pence/kWh) of local half-hour `slot` (0-47) of `local_day`."""
    hour, second_half = divmod(slot, 2)
    base = _HOURLY_BASE[hour]
    if second_half:
        base = (base + _HOURLY_BASE[(hour + 1) % 24]) / 2
    day_unit = _unit(seed, local_day.isoformat())
    scale = 0.85 + 0.3 * day_unit
    noise = (_unit(seed, local_day.isoformat(), str(slot)) - 0.5) * 4.0
    price = base * scale + noise
    if day_unit < 0.15 and slot in _WINDY_SLOTS:
        price -= 14.0
    if price_cap is not None:
        price = min(price, price_cap / (1 + vat))
    return round(price, 2)


def with_vat(pre_vat: float, vat: float = 0.05) -> float:
    """Price including VAT, as served in `UnitRate.value`."""
    return round(pre_vat * (1 + vat), 4)


def without_vat(inc_vat: float, vat: float = 0.05) -> float:
    """Price excluding VAT, for the fixed `preVat*` fields."""
    return round(inc_vat / (1 + vat), 4)


@dataclass(frozen=True)
class UnitRatePeriod:
    """One `UnitRate`: a price valid for [valid_from, valid_to)."""

    valid_from: datetime
    valid_to: datetime
    value: float
    pre_vat_value: float


def local_slot(at: datetime, tz: ZoneInfo) -> tuple[date, int]:
    """Local date and half-hour slot of an aware datetime."""
    local = at.astimezone(tz)
    return local.date(), local.hour * 2 + local.minute // 30


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """UTC instant of local midnight starting `day`."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def iter_half_hours(start: datetime, end: datetime) -> Iterator[datetime]:
    """UTC half-hour starts in [start, end)."""
    current = start.astimezone(UTC)
    while current < end:
        yield current
        current += HALF_HOUR


QUARTER_HOUR = timedelta(minutes=15)


def quarter_hourly_net_rate(local_day: date, quarter: int, *, seed: str) -> float:
    """Net price (ct/kWh) of local quarter hour `quarter` (0-95) of a German dynamic tariff.

    The day-ahead shape of `half_hourly_pre_vat_rate` (as a spot component) plus fixed levies
    and grid charges, with a little noise per quarter hour.
    """
    spot = half_hourly_pre_vat_rate(local_day, quarter // 2, seed=seed)
    noise = (_unit(seed, local_day.isoformat(), "q", str(quarter)) - 0.5) * 1.0
    return round(17.0 + 0.6 * spot + noise, 2)


def iter_quarter_hours(start: datetime, end: datetime) -> Iterator[datetime]:
    """UTC quarter-hour starts in [start, end)."""
    current = start.astimezone(UTC)
    while current < end:
        yield current
        current += QUARTER_HOUR
