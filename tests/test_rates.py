"""Rate arithmetic: which rate applies when, and today's statistics (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.kraken_energy.api.kraken.models import (
    Agreement,
    Fuel,
    MeterPoint,
    Price,
    RateBand,
    RatePeriod,
    Tariff,
    TariffKind,
    TimeSlot,
)
from custom_components.kraken_energy.providers.kraken.rates import (
    BandSchedule,
    band_at,
    next_change,
    rate_periods,
    snapshot,
)

LONDON = ZoneInfo("Europe/London")
BANDS = BandSchedule()


def _tariff(kind: TariffKind, **prices: Price | tuple[RatePeriod, ...]) -> Tariff:
    return Tariff(
        kind=kind,
        tariff_code=f"E-{kind}",
        product_code=None,
        display_name=None,
        full_name=None,
        is_export=False,
        standing_charge=Price(inc_vat=0.5),
        **prices,  # type: ignore[arg-type]
    )


def _half_hours(start: datetime, values: list[float]) -> tuple[RatePeriod, ...]:
    return tuple(
        RatePeriod(
            start=start + timedelta(minutes=30 * index),
            end=start + timedelta(minutes=30 * (index + 1)),
            price=Price(inc_vat=value),
            band=RateBand.HALF_HOURLY,
        )
        for index, value in enumerate(values)
    )


DAY_NIGHT = _tariff(
    TariffKind.DAY_NIGHT, day_rate=Price(inc_vat=0.30), night_rate=Price(inc_vat=0.12)
)
THREE_RATE = _tariff(
    TariffKind.THREE_RATE,
    day_rate=Price(inc_vat=0.30),
    night_rate=Price(inc_vat=0.12),
    off_peak_rate=Price(inc_vat=0.20),
)


def test_band_windows_wrap_past_midnight() -> None:
    bands = BandSchedule(night_start=time(22, 0), night_end=time(6, 0))
    assert band_at(time(23, 0), TariffKind.DAY_NIGHT, bands) is RateBand.NIGHT
    assert band_at(time(5, 59), TariffKind.DAY_NIGHT, bands) is RateBand.NIGHT
    assert band_at(time(6, 0), TariffKind.DAY_NIGHT, bands) is RateBand.DAY
    # The off-peak register only exists on three-rate tariffs.
    assert band_at(time(14, 0), TariffKind.DAY_NIGHT, BANDS) is RateBand.DAY
    assert band_at(time(14, 0), TariffKind.THREE_RATE, BANDS) is RateBand.OFF_PEAK


def test_day_night_periods_follow_the_local_clock() -> None:
    start = datetime(2026, 7, 1, 0, 0, tzinfo=LONDON)
    periods = rate_periods(DAY_NIGHT, start, start + timedelta(days=1), LONDON, BANDS)
    assert [(p.start.astimezone(LONDON).time(), p.band) for p in periods] == [
        (time(0, 0), RateBand.DAY),
        (time(0, 30), RateBand.NIGHT),
        (time(7, 30), RateBand.DAY),
    ]
    assert periods[-1].end == start + timedelta(days=1)


def test_three_rate_has_an_afternoon_off_peak() -> None:
    now = datetime(2026, 7, 1, 13, 30, tzinfo=LONDON)
    rates = snapshot(THREE_RATE, now, LONDON, BANDS)
    assert rates.current is not None
    assert rates.current.band is RateBand.OFF_PEAK
    assert rates.current.price.inc_vat == 0.20
    assert rates.is_off_peak is True
    assert rates.next is not None
    assert rates.next.start == datetime(2026, 7, 1, 16, 0, tzinfo=LONDON)
    assert rates.next.price.inc_vat == 0.30


def test_day_night_statistics_are_time_weighted() -> None:
    now = datetime(2026, 7, 1, 12, 0, tzinfo=LONDON)
    rates = snapshot(DAY_NIGHT, now, LONDON, BANDS)
    assert rates.today_min == 0.12
    assert rates.today_max == 0.30
    # 7 hours of night at 12p, 17 hours of day at 30p.
    assert rates.today_average == pytest.approx((7 * 0.12 + 17 * 0.30) / 24)
    assert rates.is_off_peak is False
    assert rates.previous is not None
    assert rates.previous.band is RateBand.NIGHT


def test_dst_day_has_23_hours_of_bands() -> None:
    start = datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    end = datetime(2026, 3, 30, 0, 0, tzinfo=LONDON)
    periods = rate_periods(DAY_NIGHT, start, end, LONDON, BANDS)
    total = sum((p.end - p.start for p in periods), timedelta())
    assert total == timedelta(hours=23)


def test_half_hourly_next_rate_is_the_next_different_price() -> None:
    start = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
    values = [0.10, 0.10, 0.25, 0.05] + [0.20] * 44
    tariff = _tariff(TariffKind.HALF_HOURLY, unit_rates=_half_hours(start, values))
    rates = snapshot(tariff, start + timedelta(minutes=10), UTC, BANDS)
    assert rates.current is not None
    assert rates.current.end == start + timedelta(hours=1)
    assert rates.next is not None
    assert rates.next.price.inc_vat == 0.25
    assert rates.previous is None
    assert rates.today_min == 0.05
    assert rates.today_max == 0.25
    assert rates.today_average == pytest.approx(sum(values) / 48)
    assert rates.is_off_peak is True


def test_half_hourly_without_rates_for_now_is_unknown() -> None:
    start = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
    tariff = _tariff(TariffKind.HALF_HOURLY, unit_rates=_half_hours(start, [0.2] * 4))
    rates = snapshot(tariff, start + timedelta(days=3), UTC, BANDS)
    assert rates.current is None
    assert rates.is_off_peak is None
    assert rates.today_average is None


def test_single_rate_tariff_next_and_previous_are_the_rate() -> None:
    tariff = _tariff(TariffKind.STANDARD, unit_rate=Price(inc_vat=0.245, ex_vat=0.2333))
    rates = snapshot(tariff, datetime(2026, 7, 1, 9, 0, tzinfo=UTC), UTC, BANDS)
    assert rates.current is not None
    assert rates.current.price.inc_vat == 0.245
    assert rates.next == rates.current == rates.previous
    assert rates.is_off_peak is False
    assert rates.today_average == pytest.approx(0.245)


def test_next_change_is_the_nearest_rate_boundary_or_midnight() -> None:
    now = datetime(2026, 7, 1, 0, 10, tzinfo=LONDON)
    standard = _tariff(TariffKind.STANDARD, unit_rate=Price(inc_vat=0.2))
    assert next_change([standard], now, LONDON, BANDS) == datetime(2026, 7, 2, 0, 0, tzinfo=LONDON)
    assert next_change([standard, DAY_NIGHT], now, LONDON, BANDS) == datetime(
        2026, 7, 1, 0, 30, tzinfo=LONDON
    )


def test_meter_point_picks_the_latest_agreement_in_force() -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC)
    old = Agreement(
        agreement_id="1",
        valid_from=now - timedelta(days=400),
        valid_to=None,
        tariff=DAY_NIGHT,
    )
    new = Agreement(
        agreement_id="2", valid_from=now - timedelta(days=2), valid_to=None, tariff=THREE_RATE
    )
    ended = Agreement(
        agreement_id="3",
        valid_from=now - timedelta(days=900),
        valid_to=now - timedelta(days=400),
        tariff=None,
    )
    point = MeterPoint(
        identifier="1",
        fuel=Fuel.ELECTRICITY,
        property_id=None,
        meters=(),
        agreements=(old, new, ended),
    )
    assert point.agreement_at(now) == new
    assert point.agreement_at(now - timedelta(days=10)) == old
    assert point.agreement_at(now - timedelta(days=1000)) is None
    assert point.direction == "import"


BERLIN = ZoneInfo("Europe/Berlin")
GO = Tariff(
    kind=TariffKind.TIME_OF_USE,
    tariff_code="DEU-ELECTRICITY-IO-GO-24",
    product_code="DEU-ELECTRICITY-IO-GO-24",
    display_name="Intelligent Octopus Go",
    full_name=None,
    is_export=None,
    standing_charge=None,
    time_slots=(
        TimeSlot(name="GO", start=time(0), end=time(5), price=Price(inc_vat=0.150654)),
        TimeSlot(name="STANDARD", start=time(5), end=time(0), price=Price(inc_vat=0.282744)),
    ),
)


def test_time_of_use_slots_follow_the_local_clock_and_cheap_slots_are_off_peak() -> None:
    now = datetime(2026, 11, 24, 1, 0, tzinfo=BERLIN)
    rates = snapshot(GO, now, BERLIN, BANDS)
    assert rates.current is not None
    assert rates.current.price.inc_vat == pytest.approx(0.150654)
    assert rates.is_off_peak
    assert rates.current.end == datetime(2026, 11, 24, 5, 0, tzinfo=BERLIN)
    assert rates.next is not None
    assert rates.next.price.inc_vat == pytest.approx(0.282744)
    # Five cheap hours and nineteen dear ones, weighted by time.
    assert rates.today_average == pytest.approx((5 * 0.150654 + 19 * 0.282744) / 24)
    later = snapshot(GO, now.replace(hour=12), BERLIN, BANDS)
    assert later.is_off_peak is False
    assert next_change([GO], now, BERLIN, BANDS) == datetime(2026, 11, 24, 5, 0, tzinfo=BERLIN)


def test_time_of_use_on_the_day_the_clocks_go_back() -> None:
    day = datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN)
    periods = rate_periods(GO, day, day + timedelta(days=1), BERLIN, BANDS)
    hours = sum((period.end - period.start).total_seconds() for period in periods) / 3600
    assert hours == 25
    assert [period.band for period in periods] == [RateBand.OFF_PEAK, RateBand.DAY]


def test_german_slots_keep_german_time_in_a_household_elsewhere() -> None:
    """A German tariff's GO slot is 00:00-05:00 in Berlin, also for a Home Assistant in London."""
    german = replace(GO, clock_zone="Europe/Berlin")
    now = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 00:30 in Berlin, 23:30 in London
    rates = snapshot(german, now, LONDON, BANDS)
    assert rates.current is not None
    assert rates.current.price.inc_vat == pytest.approx(0.150654)
    assert rates.current.start == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
