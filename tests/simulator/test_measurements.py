"""The simulator's smart-meter readings (`PropertyType.measurements`) in each instance."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory

from simulator.kraken.measurements import M3_TO_KWH
from simulator.kraken.scenario import (
    DE_API_KEY,
    GB_ACCOUNT,
    GB_API_KEY,
    GB_EXPORT_MPAN,
    GB_GAS_MPRN,
    GB_IMPORT_MPAN,
)
from simulator.kraken.schema import execute
from simulator.kraken.state import KrakenState

QUERY = """
query M($account: String!, $filters: [UtilityFiltersInput!], $start: DateTime, $end: DateTime,
        $first: Int, $after: String) {
  account(accountNumber: $account) {
    properties {
      measurements(first: $first, after: $after, startAt: $start, endAt: $end,
                   utilityFilters: $filters) {
        edges { node { value unit ... on IntervalMeasurementType { startAt endAt }
                       metaData { statistics { type costInclTax { estimatedAmount
                                                                  pricePerUnit { amount } } } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""
DAY = {"start": "2026-06-01T00:00:00+01:00", "end": "2026-06-02T00:00:00+01:00"}


def _run(
    state: KrakenState, filters: Any, instance: str = "gb", **variables: Any
) -> tuple[Any, Any]:
    api_key = GB_API_KEY if instance == "gb" else DE_API_KEY
    token = state.obtain_token({"APIKey": api_key}, instance).token
    values = {"account": GB_ACCOUNT, "filters": filters, "first": 1000, **DAY, **variables}
    result = execute(state, QUERY, values, "M", token, instance=instance)
    if result.errors:
        return None, result.errors
    assert result.data is not None
    return result.data["account"]["properties"][0]["measurements"], None


def _electricity(mpan: str, direction: str = "CONSUMPTION", **extra: str) -> list[Any]:
    filters = {"marketSupplyPointId": mpan, "readingDirection": direction, **extra}
    return [{"electricityFilters": filters}]


def test_a_day_of_half_hours_with_a_household_profile(freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to("2026-11-23T10:00:00+00:00")
    state = KrakenState()
    page, _ = _run(state, _electricity(GB_IMPORT_MPAN))
    nodes = [edge["node"] for edge in page["edges"]]
    assert len(nodes) == 48
    assert {node["unit"] for node in nodes} == {"kWh"}
    values = [float(node["value"]) for node in nodes]
    # Evening peak (17:00-20:00 local) above the small hours (02:00-05:00).
    assert sum(values[34:40]) > 2 * sum(values[4:10])
    # Agile: each half hour carries its price, and the cost is price x energy.
    tariff = state.scenario.half_hourly_tariff()
    for node in nodes:
        (statistic,) = node["metaData"]["statistics"]
        price = Decimal(statistic["costInclTax"]["pricePerUnit"]["amount"])
        start = datetime.fromisoformat(node["startAt"])
        assert float(price) == tariff.rate_at(start).value
        assert Decimal(statistic["costInclTax"]["estimatedAmount"]) == price * Decimal(
            node["value"]
        )


def test_export_follows_the_sun_and_gas_comes_in_cubic_metres(
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to("2026-11-23T10:00:00+00:00")
    state = KrakenState()
    export, _ = _run(state, _electricity(GB_EXPORT_MPAN, "GENERATION"))
    by_hour = {
        datetime.fromisoformat(edge["node"]["startAt"]).astimezone(UTC).hour: float(
            edge["node"]["value"]
        )
        for edge in export["edges"]
    }
    assert by_hour[1] == 0.0
    assert by_hour[12] > 0.5
    assert all(not edge["node"]["metaData"]["statistics"] for edge in export["edges"])
    gas, _ = _run(state, [{"gasFilters": {"marketSupplyPointId": GB_GAS_MPRN}}])
    assert {edge["node"]["unit"] for edge in gas["edges"]} == {"m³"}
    daily_kwh = sum(float(edge["node"]["value"]) for edge in gas["edges"]) * M3_TO_KWH
    assert 5 < daily_kwh < 40


def test_readings_arrive_the_day_after(freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to("2026-06-01T18:00:00+00:00")
    page, _ = _run(KrakenState(), _electricity(GB_IMPORT_MPAN))
    assert page["edges"] == []


def test_pages_follow_cursors_and_groupings_agree(freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to("2026-11-23T10:00:00+00:00")
    state = KrakenState()
    first, _ = _run(state, _electricity(GB_IMPORT_MPAN), first=30)
    assert first["pageInfo"]["hasNextPage"] is True
    rest, _ = _run(
        state, _electricity(GB_IMPORT_MPAN), first=30, after=first["pageInfo"]["endCursor"]
    )
    assert rest["pageInfo"]["hasNextPage"] is False
    half_hours = [Decimal(edge["node"]["value"]) for edge in first["edges"] + rest["edges"]]
    assert len(half_hours) == 48
    hourly, _ = _run(state, _electricity(GB_IMPORT_MPAN, readingFrequencyType="HOUR_INTERVAL"))
    assert sum(Decimal(edge["node"]["value"]) for edge in hourly["edges"]) == sum(half_hours)
    _, errors = _run(state, _electricity(GB_IMPORT_MPAN, readingFrequencyType="FIVE_MIN_INTERVAL"))
    assert errors[0].extensions["errorCode"] == "KT-CT-4710"
    _, errors = _run(state, _electricity(GB_IMPORT_MPAN), first=20000)
    assert errors[0].extensions["errorCode"] == "KT-CT-1189"


def test_the_german_instance_has_quarter_hours_and_no_gas_filters(
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to("2026-11-23T10:00:00+00:00")
    state = KrakenState()
    page, _ = _run(
        state,
        [{"electricityFilters": {}}],
        instance="de",
        account="A-DE000001",
        start="2026-06-01T00:00:00+02:00",
        end="2026-06-02T00:00:00+02:00",
    )
    assert len(page["edges"]) == 96
    _, errors = _run(state, [{"gasFilters": {}}], instance="de", account="A-DE000001")
    assert errors
