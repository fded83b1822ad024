"""Rate arithmetic on Kraken tariffs: which rate applies when, and today's statistics.

Pure functions with no Home Assistant imports, so they are tested on their own and shared by
the sensors, the off-peak binary sensor and the `get_rates` action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

from ...api.kraken.models import OFF_PEAK_BANDS, Price, RateBand, RatePeriod, Tariff, TariffKind


@dataclass(frozen=True, slots=True, kw_only=True)
class BandSchedule:
    """Local clock times of the cheaper registers of multi-rate tariffs.

    Kraken does not publish when the night or off-peak register is live (it depends on the
    meter's time-switch code), so the household sets it; windows may wrap past midnight.
    """

    night_start: time = time(0, 30)
    night_end: time = time(7, 30)
    off_peak_start: time = time(13, 0)
    off_peak_end: time = time(16, 0)


def _in_window(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def band_at(local_time: time, kind: TariffKind, bands: BandSchedule) -> RateBand:
    """The register a multi-rate tariff bills at a local time of day."""
    if _in_window(local_time, bands.night_start, bands.night_end):
        return RateBand.NIGHT
    if kind is TariffKind.THREE_RATE and _in_window(
        local_time, bands.off_peak_start, bands.off_peak_end
    ):
        return RateBand.OFF_PEAK
    return RateBand.DAY


def _band_price(tariff: Tariff, band: RateBand) -> Price | None:
    return {
        RateBand.DAY: tariff.day_rate,
        RateBand.NIGHT: tariff.night_rate,
        RateBand.OFF_PEAK: tariff.off_peak_rate,
    }.get(band)


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    # Arithmetic on aware datetimes sharing a zone ignores DST; work in UTC.
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def _banded_periods(
    tariff: Tariff, start: datetime, end: datetime, zone: tzinfo, bands: BandSchedule
) -> list[RatePeriod]:
    local_start = start.astimezone(zone)
    local_end = end.astimezone(zone)
    switch_times = {bands.night_start, bands.night_end, time(0)}
    if tariff.kind is TariffKind.THREE_RATE:
        switch_times |= {bands.off_peak_start, bands.off_peak_end}
    edges = {start, end}
    day = local_start.date() - timedelta(days=1)
    while day <= local_end.date() + timedelta(days=1):
        for moment in switch_times:
            edge = datetime.combine(day, moment, zone).astimezone(UTC)
            if start < edge < end:
                edges.add(edge)
        day += timedelta(days=1)
    periods: list[RatePeriod] = []
    for period_start, period_end in pairwise(sorted(edges)):
        band = band_at(period_start.astimezone(zone).time(), tariff.kind, bands)
        price = _band_price(tariff, band)
        if price is None:
            continue
        if periods and periods[-1].band is band and periods[-1].end == period_start:
            periods[-1] = RatePeriod(
                start=periods[-1].start, end=period_end, price=price, band=band
            )
        else:
            periods.append(RatePeriod(start=period_start, end=period_end, price=price, band=band))
    return periods


def _slot_periods(tariff: Tariff, start: datetime, end: datetime, zone: tzinfo) -> list[RatePeriod]:
    """A time-of-use tariff's periods: its slots, day by day in local time, clipped.

    Slots cheaper than the dearest are off-peak (the GO slot of Intelligent Octopus Go); the
    dearest is the standard rate.
    """
    slots = tariff.time_slots
    if not slots:
        return []
    if tariff.clock_zone is not None:
        zone = ZoneInfo(tariff.clock_zone)
    dearest = max(slot.price.inc_vat for slot in slots)
    periods: list[RatePeriod] = []
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date() - timedelta(days=1)
    while day <= local_end.date():
        for slot in slots:
            slot_start = datetime.combine(day, slot.start, zone).astimezone(UTC)
            end_day = day if slot.end > slot.start else day + timedelta(days=1)
            slot_end = datetime.combine(end_day, slot.end, zone).astimezone(UTC)
            clipped_start, clipped_end = max(slot_start, start), min(slot_end, end)
            if clipped_start < clipped_end:
                band = RateBand.OFF_PEAK if slot.price.inc_vat < dearest else RateBand.DAY
                periods.append(
                    RatePeriod(start=clipped_start, end=clipped_end, price=slot.price, band=band)
                )
        day += timedelta(days=1)
    return sorted(periods, key=lambda period: period.start)


def rate_periods(
    tariff: Tariff, start: datetime, end: datetime, zone: tzinfo, bands: BandSchedule
) -> list[RatePeriod]:
    """The rate periods of a tariff that overlap [start, end), in time order.

    Half-hourly tariffs give the published periods (unclipped); multi-rate tariffs give one
    period per register switch, clipped to the window; single-rate tariffs one clipped period.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return []
    if tariff.kind is TariffKind.HALF_HOURLY:
        return sorted(
            (
                period
                for period in tariff.unit_rates or ()
                if period.end > start and period.start < end
            ),
            key=lambda period: period.start,
        )
    if tariff.kind in (TariffKind.DAY_NIGHT, TariffKind.THREE_RATE):
        return _banded_periods(tariff, start, end, zone, bands)
    if tariff.kind is TariffKind.TIME_OF_USE:
        return _slot_periods(tariff, start, end, zone)
    if tariff.unit_rate is None:
        return []
    return [RatePeriod(start=start, end=end, price=tariff.unit_rate, band=RateBand.STANDARD)]


@dataclass(frozen=True, slots=True, kw_only=True)
class RateSnapshot:
    """What the rate sensors show at one instant."""

    previous: RatePeriod | None
    current: RatePeriod | None
    next: RatePeriod | None
    today_min: float | None
    today_max: float | None
    today_average: float | None

    @property
    def is_off_peak(self) -> bool | None:
        """Whether the current rate is an off-peak one (see README for the rule)."""
        if self.current is None:
            return None
        if self.current.band is RateBand.HALF_HOURLY:
            if self.today_average is None:
                return None
            return self.current.price.inc_vat < self.today_average
        return self.current.band in OFF_PEAK_BANDS


def _merge_equal_prices(periods: list[RatePeriod]) -> list[RatePeriod]:
    """Join back-to-back periods at the same price, so "next rate" means a change of rate."""
    merged: list[RatePeriod] = []
    for period in periods:
        last = merged[-1] if merged else None
        if last is not None and last.end == period.start and last.price == period.price:
            merged[-1] = RatePeriod(
                start=last.start, end=period.end, price=last.price, band=last.band
            )
        else:
            merged.append(period)
    return merged


def day_bounds(moment: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight before `moment` and the one after it."""
    day = moment.astimezone(zone).date()
    return _local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone)


def snapshot(tariff: Tariff, now: datetime, zone: tzinfo, bands: BandSchedule) -> RateSnapshot:
    """Previous, current and next rate and today's statistics for a tariff at `now`."""
    now = now.astimezone(UTC)
    today_start, today_end = day_bounds(now, zone)
    window = rate_periods(
        tariff, today_start - timedelta(days=1), today_end + timedelta(days=1), zone, bands
    )
    blocks = _merge_equal_prices(window)
    index = next((i for i, block in enumerate(blocks) if block.start <= now < block.end), None)
    current = blocks[index] if index is not None else None
    previous = blocks[index - 1] if index is not None and index > 0 else None
    following = blocks[index + 1] if index is not None and index + 1 < len(blocks) else None
    if current is not None and current.band is RateBand.STANDARD:
        # A single-rate tariff's previous and next rate are the rate itself.
        previous = following = current

    today = [period for period in window if period.start < today_end and period.end > today_start]
    if not today:
        return RateSnapshot(
            previous=previous,
            current=current,
            next=following,
            today_min=None,
            today_max=None,
            today_average=None,
        )
    values = [period.price.inc_vat for period in today]
    weighted = 0.0
    covered = 0.0
    for period in today:
        seconds = (min(period.end, today_end) - max(period.start, today_start)).total_seconds()
        weighted += period.price.inc_vat * seconds
        covered += seconds
    return RateSnapshot(
        previous=previous,
        current=current,
        next=following,
        today_min=min(values),
        today_max=max(values),
        today_average=weighted / covered if covered else None,
    )


def next_change(
    tariffs: list[Tariff], now: datetime, zone: tzinfo, bands: BandSchedule
) -> datetime:
    """The next instant any tariff's rate or today's statistics change (at most a day away)."""
    _, today_end = day_bounds(now, zone)
    candidates = [today_end]
    for tariff in tariffs:
        for period in rate_periods(tariff, now, today_end + timedelta(days=1), zone, bands):
            if period.end > now:
                candidates.append(period.end)
                break
    return min(candidates)
