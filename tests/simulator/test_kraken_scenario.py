"""Half-hourly rates, agreements and tariff kinds served by the Kraken simulator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest

from simulator.app import RunningSimulator
from simulator.kraken.rates import half_hourly_pre_vat_rate, with_vat
from simulator.kraken.scenario import (
    AGILE_TARIFF_CODE,
    DE_ACCOUNT,
    DE_API_KEY,
    GB_ACCOUNT,
    GB_MULTI_RATE_ACCOUNT,
    LONDON,
    default_scenario,
    expected_unit_rate,
)

from .conftest import Client
from .kraken_documents import ACCOUNT


async def _account(client: Client, number: str = GB_ACCOUNT, api_key: str | None = None) -> Any:
    token = (await client.token(**({"APIKey": api_key} if api_key else {})))["token"]
    reply = await client.post(
        ACCOUNT, {"accountNumber": number, "includeRates": True}, "Account", token=token
    )
    assert "errors" not in reply.body
    return reply.body["data"]["account"]


def _agile_rates(account: Any) -> list[dict[str, Any]]:
    point = account["properties"][0]["electricityMeterPoints"][0]
    (agreement,) = point["agreements"]
    assert agreement["tariff"]["__typename"] == "HalfHourlyTariff"
    rates: list[dict[str, Any]] = agreement["tariff"]["unitRates"]
    return rates


def _parse(value: str) -> datetime:
    assert value.endswith("Z")
    return datetime.fromisoformat(value)


@pytest.mark.parametrize(
    ("now", "first", "count"),
    [
        # Winter, London = UTC: yesterday's and today's 48 half hours.
        ("2026-01-14T10:00:00+00:00", "2026-01-13T00:00:00+00:00", 96),
        ("2026-01-14T15:59:00+00:00", "2026-01-13T00:00:00+00:00", 96),
        # From 16:00 London tomorrow's 48 are published.
        ("2026-01-14T16:00:00+00:00", "2026-01-13T00:00:00+00:00", 144),
        # Summer: local midnight is 23:00 UTC; 16:00 BST is 15:00 UTC.
        ("2026-07-14T14:59:00+00:00", "2026-07-12T23:00:00+00:00", 96),
        ("2026-07-14T15:00:00+00:00", "2026-07-12T23:00:00+00:00", 144),
    ],
)
async def test_unit_rates_window(
    client: Client, freezer: FrozenDateTimeFactory, now: str, first: str, count: int
) -> None:
    freezer.move_to(now)
    rates = _agile_rates(await _account(client))
    assert len(rates) == count
    assert _parse(rates[0]["validFrom"]) == datetime.fromisoformat(first)
    for previous, current in pairwise(rates):
        assert previous["validTo"] == current["validFrom"]
    for rate in rates:
        start = _parse(rate["validFrom"])
        assert _parse(rate["validTo"]) - start == timedelta(minutes=30)
        expected = expected_unit_rate(start)
        assert client.sim.state.kraken.expected_half_hourly_rate(start) == expected.value
        assert rate["value"] == expected.value
        assert rate["preVatValue"] == expected.pre_vat_value
        assert rate["value"] == pytest.approx(rate["preVatValue"] * 1.05, abs=1e-3)


async def test_publication_hour_is_configurable(
    client: Client, sim: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-01-14T12:00:00+00:00")
    sim.state.kraken.rates_publication_hour = 11
    assert len(_agile_rates(await _account(client))) == 144


def test_rates_are_deterministic_and_realistic() -> None:
    day = date(2026, 1, 14)
    pre = [half_hourly_pre_vat_rate(day, slot, seed=AGILE_TARIFF_CODE) for slot in range(48)]
    assert pre == [
        half_hourly_pre_vat_rate(day, slot, seed=AGILE_TARIFF_CODE) for slot in range(48)
    ]
    peak = max(pre[32:38])
    assert peak > max(pre[0:12])
    assert peak == max(pre)
    at = datetime(2026, 1, 14, 17, 10, tzinfo=UTC)
    rate = expected_unit_rate(at)
    assert rate.valid_from == datetime(2026, 1, 14, 17, 0, tzinfo=UTC)
    assert rate.pre_vat_value == pre[34]
    assert rate.value == with_vat(pre[34])
    # Over a year some prices go negative and none exceed the 100p cap.
    tariff = default_scenario().half_hourly_tariff()
    year = tariff.periods(date(2026, 1, 1), date(2026, 12, 31))
    assert min(period.value for period in year) < 0
    assert max(period.value for period in year) <= 100


def test_clock_change_days() -> None:
    tariff = default_scenario().half_hourly_tariff()
    assert len(tariff.periods(date(2026, 3, 29), date(2026, 3, 29))) == 46
    assert len(tariff.periods(date(2026, 10, 25), date(2026, 10, 25))) == 50
    assert tariff.timezone == LONDON


async def test_gb_account(client: Client, freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to("2026-01-14T10:00:00+00:00")
    account = await _account(client)
    assert account["number"] == GB_ACCOUNT
    assert account["status"] == "ACTIVE"
    assert account["brand"] == "OCTOPUS_ENERGY"
    assert account["balance"] == 4250
    assert account["billingOptions"] == {
        "nextBillingDate": "2026-02-01",
        "currentBillingPeriodStartDate": "2026-01-01",
        "currentBillingPeriodEndDate": "2026-01-31",
    }
    (prop,) = account["properties"]
    assert prop["postcode"] == "SW1A 1AA"
    imp, exp = prop["electricityMeterPoints"]
    assert imp["mpan"] == "2000012345678"
    assert imp["meters"][0]["serialNumber"] == "21L1234567"
    agile = imp["agreements"][0]
    assert agile["validTo"] is None
    assert agile["tariff"]["tariffCode"] == "E-1R-AGILE-24-10-01-C"
    assert agile["tariff"]["productCode"] == "AGILE-24-10-01"
    assert agile["tariff"]["standingCharge"] == 47.85
    assert agile["tariff"]["preVatStandingCharge"] == pytest.approx(47.85 / 1.05, abs=1e-4)
    assert exp["mpan"] == "2000098765432"
    (export,) = exp["agreements"]
    assert export["tariff"]["__typename"] == "StandardTariff"
    assert export["tariff"]["isExport"] is True
    assert export["tariff"]["unitRate"] == 15.0
    assert export["tariff"]["standingCharge"] == 0.0
    (gas_point,) = prop["gasMeterPoints"]
    assert gas_point["mprn"] == "1234567890"
    assert gas_point["meters"][0]["serialNumber"] == "G4A12345"
    (gas,) = gas_point["agreements"]
    assert gas["tariff"]["__typename"] == "GasTariffType"
    assert gas["tariff"]["unitRate"] == 6.5
    assert gas["tariff"]["standingCharge"] == 31.4
    assert datetime.fromisoformat(gas["validFrom"]) < datetime.now(UTC)


async def test_expired_agreements_are_filtered(
    client: Client, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2024-09-20T10:00:00+00:00")
    account = await _account(client, GB_ACCOUNT)
    imp = account["properties"][0]["electricityMeterPoints"][0]
    # Before the Agile agreement starts, the old (then current) one and the future one show.
    assert [a["tariff"]["__typename"] for a in imp["agreements"]] == [
        "StandardTariff",
        "HalfHourlyTariff",
    ]
    freezer.move_to("2026-01-14T10:00:00+00:00")
    account = await _account(client, GB_ACCOUNT)
    for point in account["properties"][0]["electricityMeterPoints"]:
        assert len(point["agreements"]) == 1


async def test_every_tariff_kind(client: Client) -> None:
    account = await _account(client, GB_MULTI_RATE_ACCOUNT)
    tariffs = {
        point["agreements"][0]["tariff"]["__typename"]: point["agreements"][0]["tariff"]
        for point in account["properties"][0]["electricityMeterPoints"]
    }
    assert set(tariffs) == {"DayNightTariff", "ThreeRateTariff", "PrepayTariff"}
    assert tariffs["DayNightTariff"]["dayRate"] == 30.0
    assert tariffs["DayNightTariff"]["nightRate"] == 12.0
    assert tariffs["ThreeRateTariff"]["offPeakRate"] == 20.0
    assert tariffs["PrepayTariff"]["unitRate"] > 0
    assert account["properties"][0]["gasMeterPoints"] == []


async def test_germany_account(client: Client) -> None:
    account = await _account(client, DE_ACCOUNT, api_key=DE_API_KEY)
    assert account["brand"] == "OCTOPUS_ENERGY_GERMANY"
    prop = account["properties"][0]
    electricity = prop["electricityMeterPoints"][0]["agreements"][0]["tariff"]
    assert electricity["__typename"] == "StandardTariff"
    assert electricity["unitRate"] == 28.5
    assert electricity["standingCharge"] == 45.0
    assert electricity["preVatUnitRate"] == pytest.approx(28.5 / 1.19, abs=1e-4)
    gas = prop["gasMeterPoints"][0]["agreements"][0]["tariff"]
    assert gas["unitRate"] == 9.8


async def test_rates_omitted_when_not_requested(client: Client) -> None:
    token = (await client.token())["token"]
    reply = await client.post(
        ACCOUNT, {"accountNumber": GB_ACCOUNT, "includeRates": False}, token=token
    )
    tariff = reply.body["data"]["account"]["properties"][0]["electricityMeterPoints"][0][
        "agreements"
    ][0]["tariff"]
    assert "unitRates" not in tariff
