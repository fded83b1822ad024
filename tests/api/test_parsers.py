"""Parsing edge cases that the simulator's well-formed scenarios never send."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken import KrakenParseError
from custom_components.kraken_energy.api.kraken.models import Fuel, TariffKind
from custom_components.kraken_energy.api.kraken.parsers import (
    parse_account,
    parse_account_summaries,
    parse_tariff,
)


def _account(**overrides: Any) -> dict[str, Any]:
    account: dict[str, Any] = {
        "number": "A-1",
        "status": "ACTIVE",
        "brand": "X",
        "balance": -1234,
        "billingOptions": None,
        "properties": [
            {
                "id": 7,
                "electricityMeterPoints": [
                    {
                        "mpan": "1",
                        "meters": [{"id": "m", "serialNumber": "S1"}],
                        "agreements": [
                            {
                                "id": 3,
                                "validFrom": "2026-01-01T00:00:00+00:00",
                                "validTo": None,
                                "tariff": {
                                    "__typename": "StandardTariff",
                                    "tariffCode": "E-1R-X",
                                    "unitRate": "24.5",
                                    "preVatUnitRate": 23.33,
                                    "standingCharge": 50,
                                },
                            }
                        ],
                    }
                ],
                "gasMeterPoints": [],
            }
        ],
    }
    account.update(overrides)
    return {"account": account}


def test_balance_in_debit_and_decimal_strings_convert_to_major_units() -> None:
    account = parse_account(_account(), currency="GBP")
    assert account.balance == pytest.approx(-12.34)
    assert account.next_billing_date is None
    point = account.meter_points[0]
    assert point.property_id == "7"
    tariff = point.agreements[0].tariff
    assert tariff is not None
    assert tariff.unit_rate is not None
    assert tariff.unit_rate.inc_vat == pytest.approx(0.245)
    assert tariff.unit_rate.ex_vat == pytest.approx(0.2333)
    assert tariff.name == "E-1R-X"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"account": None}, "account"),
        (_account(balance="lots"), "account.balance"),
        (_account(number=5), "account.number"),
        (_account(properties="x"), "account.properties"),
        (_account(properties=None), "account.properties"),
        (
            _account(properties=[{"electricityMeterPoints": [], "gasMeterPoints": None}]),
            "gasMeterPoints",
        ),
        (_account(properties=[{"gasMeterPoints": []}]), "electricityMeterPoints"),
        (_account(billingOptions={"nextBillingDate": "soon"}), "nextBillingDate"),
        (_account(properties=[{"electricityMeterPoints": [{"mpan": None}]}]), "mpan"),
        (
            _account(
                properties=[
                    {
                        "electricityMeterPoints": [
                            {"mpan": "1", "agreements": [{"validFrom": "2026-01-01"}]}
                        ]
                    }
                ]
            ),
            "validFrom",
        ),
    ],
)
def test_wrong_shapes_raise_parse_errors_naming_the_field(data: Any, path: str) -> None:
    with pytest.raises(KrakenParseError, match=path):
        parse_account(data, currency="GBP")


def test_unknown_tariff_type_is_skipped() -> None:
    tariff = parse_tariff(
        {"__typename": "FancyNewTariff", "tariffCode": "E-X"}, "tariff", fuel=Fuel.ELECTRICITY
    )
    assert tariff is None


def test_half_hourly_rate_without_a_value_is_a_parse_error() -> None:
    with pytest.raises(KrakenParseError, match=r"unitRates\[0\]\.value"):
        parse_tariff(
            {
                "__typename": "HalfHourlyTariff",
                "tariffCode": "E-1R-AGILE",
                "unitRates": [
                    {
                        "validFrom": "2026-01-01T00:00:00Z",
                        "validTo": "2026-01-01T00:30:00Z",
                        "value": None,
                    }
                ],
            },
            "tariff",
            fuel=Fuel.ELECTRICITY,
        )


def test_gas_tariff_kind_comes_from_the_fuel() -> None:
    tariff = parse_tariff(
        {"__typename": "GasTariffType", "tariffCode": "G-1R", "unitRate": 6.5},
        "tariff",
        fuel=Fuel.GAS,
    )
    assert tariff is not None
    assert tariff.kind is TariffKind.GAS


def test_viewer_without_an_account_list_is_a_parse_error() -> None:
    """A missing list is not "no accounts"; an empty one is."""
    assert parse_account_summaries({"viewer": {"accounts": []}}) == []
    for viewer in ({"accounts": None}, {}, None):
        with pytest.raises(KrakenParseError, match="viewer"):
            parse_account_summaries({"viewer": viewer})
