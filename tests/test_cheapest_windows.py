"""The cheapest-rates calendar's rule on its own: per local day, the cheapest three hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from custom_components.kraken_energy.api.kraken.models import Price, RateBand, RatePeriod
from custom_components.kraken_energy.providers.kraken.calendar import cheapest_windows

LONDON = ZoneInfo("Europe/London")
SLOT = timedelta(minutes=30)


def _periods(start: datetime, prices: list[float], step: timedelta = SLOT) -> list[RatePeriod]:
    return [
        RatePeriod(
            start=start + index * step,
            end=start + (index + 1) * step,
            price=Price(inc_vat=price, ex_vat=price / 1.05),
            band=RateBand.HALF_HOURLY,
        )
        for index, price in enumerate(prices)
    ]


def test_the_lowest_mean_wins_not_the_lowest_single_rate() -> None:
    day = datetime(2026, 11, 23, tzinfo=UTC)
    prices = [0.30] * 48
    prices[4] = 0.01  # one very cheap half hour among dear ones
    prices[20:26] = [0.10] * 6  # three steady cheap hours

    [window] = cheapest_windows(_periods(day, prices), LONDON)

    assert (window.start, window.end) == (day + 20 * SLOT, day + 26 * SLOT)
    assert window.mean_price == 0.10


def test_each_day_has_its_own_window_and_the_earliest_wins_a_tie() -> None:
    day = datetime(2026, 11, 23, tzinfo=UTC)
    windows = cheapest_windows(_periods(day, [0.2] * 96), LONDON)

    assert [(w.start, w.end) for w in windows] == [
        (day, day + timedelta(hours=3)),
        (day + timedelta(days=1), day + timedelta(days=1, hours=3)),
    ]


def test_a_gap_or_a_short_day_gives_no_window_across_it() -> None:
    day = datetime(2026, 11, 23, tzinfo=UTC)
    # Five cheap half hours, a missing one, then dear ones: no three hours span the gap.
    periods = _periods(day, [0.01] * 5) + _periods(day + 6 * SLOT, [0.5] * 6)
    [window] = cheapest_windows(periods, LONDON)
    assert window.start == day + 6 * SLOT

    # Tomorrow published only until 02:00: nothing for tomorrow yet.
    assert cheapest_windows(_periods(day, [0.1] * 4), LONDON) == []


def test_local_days_in_summer_time_and_quarter_hours() -> None:
    # 23:00 UTC on 1 July is midnight in London: the window belongs to 2 July.
    local_midnight = datetime(2026, 7, 1, 23, tzinfo=UTC)
    step = timedelta(minutes=15)
    prices = [0.3] * 96
    prices[8:20] = [0.05] * 12  # 02:00-05:00 local, quarter-hourly
    [window] = cheapest_windows(_periods(local_midnight, prices, step), LONDON)

    assert window.start.astimezone(LONDON).isoformat() == "2026-07-02T02:00:00+01:00"
    assert window.end - window.start == timedelta(hours=3)
