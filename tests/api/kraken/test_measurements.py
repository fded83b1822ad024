"""Reading Kraken's interval measurements: real shapes, odd ones, and what each reading costs."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken import KrakenParseError
from custom_components.kraken_energy.api.kraken.measurements import SupplyPointQuery, parse

QUERY = SupplyPointQuery(key="point0", supply_point="2000012345678", property_id="1")


def _answer(*nodes: dict[str, Any], page_info: Any = None, prop: str = "1") -> dict[str, Any]:
    connection: dict[str, Any] = {"edges": [{"node": node} for node in nodes]}
    if page_info is not None:
        connection["pageInfo"] = page_info
    return {"account": {"properties": [{"id": prop, "point0": connection}]}}


def _node(start: str, value: Any = "0.500000000000000000", **extra: Any) -> dict[str, Any]:
    end = start.replace(":00:00", ":30:00")
    return {"value": value, "unit": "kWh", "startAt": start, "endAt": end, **extra}


def test_readings_come_oldest_first_with_kraken_prices_in_major_units() -> None:
    cost = {
        "type": "CONSUMPTION_COST",
        "costInclTax": {"estimatedAmount": "12.5", "pricePerUnit": {"amount": "25.0"}},
    }
    page = parse(
        _answer(
            _node("2026-11-22T01:00:00+00:00", metaData={"statistics": [cost]}),
            _node("2026-11-22T00:00:00+00:00", metaData={"statistics": []}),
            page_info={"hasNextPage": False, "endCursor": "x"},
        ),
        [QUERY],
    )["point0"]
    assert [reading.start.hour for reading in page.readings] == [0, 1]
    assert page.readings[0].price_per_unit is None
    assert page.readings[1].price_per_unit == pytest.approx(0.25)
    assert page.readings[1].cost == pytest.approx(0.125)
    assert page.readings[1].value == pytest.approx(0.5)
    assert page.next_cursor is None


def test_only_cost_statistics_price_a_reading() -> None:
    statistics = [
        {"type": "CO2_EMISSION_STATISTIC", "costInclTax": {"estimatedAmount": "99"}},
        {"type": "TOU_BUCKET_COST", "costInclTax": None},
        {"type": "TOU_BUCKET_COST", "costInclTax": {"estimatedAmount": "3.0"}},
    ]
    (reading,) = parse(
        _answer(_node("2026-11-22T00:00:00+00:00", metaData={"statistics": statistics})), [QUERY]
    )["point0"].readings
    assert reading.price_per_unit is None
    assert reading.cost == pytest.approx(0.03)


def test_point_readings_and_readings_without_value_are_skipped() -> None:
    point = {"value": "1.0", "unit": "kWh", "readAt": "2026-11-22T00:00:00+00:00"}
    page = parse(
        _answer(point, _node("2026-11-22T00:00:00+00:00", value=None), page_info="junk"), [QUERY]
    )["point0"]
    assert page.readings == ()
    assert page.next_cursor is None


def test_a_next_page_needs_a_cursor() -> None:
    answer = _answer(_node("2026-11-22T00:00:00+00:00"), page_info={"hasNextPage": True})
    with pytest.raises(KrakenParseError):
        parse(answer, [QUERY])


def test_readings_of_a_property_the_listing_named_differently_are_found() -> None:
    answer = _answer(_node("2026-11-22T00:00:00+00:00"), prop="other")
    answer["account"]["allProperties"] = answer["account"].pop("properties")
    assert len(parse(answer, [QUERY])["point0"].readings) == 1


def test_units_say_how_a_value_becomes_energy() -> None:
    nodes = [
        {**_node("2026-11-22T00:00:00+00:00"), "unit": unit}
        for unit in ("kWh", "Wh", "m³", "litres")
    ]
    answer = {
        "account": {
            "properties": [
                {"id": "1", f"point{index}": {"edges": [{"node": node}]}}
                for index, node in enumerate(nodes)
            ]
        }
    }
    queries = [
        SupplyPointQuery(key=f"point{index}", supply_point="x", property_id="1")
        for index in range(4)
    ]
    pages = parse(answer, queries)
    factors = [pages[q.key].readings[0].kwh_factor for q in queries]
    volumes = [pages[q.key].readings[0].is_volume for q in queries]
    assert factors == [1.0, 0.001, None, None]
    assert volumes == [False, False, True, False]
