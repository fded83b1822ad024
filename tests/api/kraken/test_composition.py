"""Documents composed from what an instance has; the German answer shape; the export rule."""

from __future__ import annotations

from datetime import UTC, datetime, time
import math
from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken import documents
from custom_components.kraken_energy.api.kraken.exceptions import KrakenParseError
from custom_components.kraken_energy.api.kraken.models import (
    Agreement,
    Fuel,
    MeterPoint,
    Price,
    Tariff,
    TariffKind,
)
from custom_components.kraken_energy.api.kraken.parsers import parse_account
from custom_components.kraken_energy.api.kraken.schema import (
    Capabilities,
    FieldInfo,
    TypeInfo,
    is_schema_mismatch,
    parse_introspection,
)
from custom_components.kraken_energy.api.kraken.selection import F, compose, f, on


def _caps(**types: dict[str, str | tuple[str, tuple[str, ...]]]) -> Capabilities:
    """Types by name: field name -> its type name, or (type name, argument names)."""
    built: dict[str, TypeInfo | None] = {}
    for name, type_fields in types.items():
        infos = {
            field_name: FieldInfo(value, frozenset())
            if isinstance(value, str)
            else FieldInfo(value[0], frozenset(value[1]))
            for field_name, value in type_fields.items()
        }
        built[name] = TypeInfo(name, "OBJECT", infos)
    return Capabilities(built, 0.0)


def test_compose_leaves_out_what_the_instance_lacks_and_says_so() -> None:
    caps = _caps(
        Query={"account": ("AccountType", ("accountNumber",))},
        AccountType={"number": "String", "balance": "Int", "ledgers": "LedgerType"},
        LedgerType={"balance": "Int"},
    )
    selections = (
        f(
            "account",
            F("number", required=True),
            f("balance", optional_args={"includeAllLedgers": "true"}),
            f("ledgers", F("balance"), F("ledgerType")),
            f("billingOptions", F("nextBillingDate")),
            args={"accountNumber": "$accountNumber"},
            required=True,
        ),
    )
    composed = compose(
        caps,
        operation="query",
        name="Account",
        variables={"accountNumber": "String!", "includeRates": "Boolean!"},
        selections=selections,
    )
    assert composed.complete
    # Only used variables are declared (an unused one is a validation error of its own).
    assert "query Account($accountNumber: String!) {" in composed.text
    assert "includeRates" not in composed.text
    assert "balance\n" in composed.text  # without the argument the instance lacks
    assert "ledgerType" not in composed.text
    assert "billingOptions" not in composed.text
    assert set(composed.omitted) >= {
        "AccountType.balance(includeAllLedgers)",
        "LedgerType.ledgerType",
        "AccountType.billingOptions",
    }


def test_a_required_field_the_instance_lacks_is_reported() -> None:
    caps = _caps(Query={"viewer": "AccountUserType"}, AccountUserType={})
    composed = compose(
        caps,
        operation="query",
        name="ViewerAccounts",
        variables={},
        selections=documents.VIEWER_ACCOUNTS,
    )
    assert composed.missing_required == ["AccountUserType.accounts", "Query.viewer"]


def test_fragments_only_on_types_that_can_be_there() -> None:
    caps = Capabilities(
        {
            "Query": TypeInfo("Query", "OBJECT", {"tariff": FieldInfo("Union", frozenset())}),
            "Union": TypeInfo("Union", "UNION", {}, frozenset({"A"})),
            "A": TypeInfo("A", "OBJECT", {"x": FieldInfo("Int", frozenset())}),
            "B": TypeInfo("B", "OBJECT", {"x": FieldInfo("Int", frozenset())}),
        },
        0.0,
    )
    composed = compose(
        caps,
        operation="query",
        name="Q",
        variables={},
        selections=(f("tariff", F("__typename"), on("A", F("x")), on("B", F("x")), on("C")),),
    )
    assert "... on A" in composed.text
    assert "... on B" not in composed.text
    assert "... on C" not in composed.text


def test_capabilities_survive_storage_and_refuse_junk() -> None:
    data = {
        "t_Query": {
            "name": "Query",
            "kind": "OBJECT",
            "fields": [
                {
                    "name": "account",
                    "args": [{"name": "accountNumber"}],
                    "type": {"kind": "NON_NULL", "name": None, "ofType": {"name": "AccountType"}},
                },
                {"name": "broken"},
            ],
            "possibleTypes": None,
        },
        "t_Missing": None,
    }
    types = parse_introspection(data, ["Query", "Missing"])
    caps = Capabilities(types, 1234.5)
    again = Capabilities.from_json(caps.to_json())
    assert again == caps
    assert again.field("Query", "account") == FieldInfo("AccountType", frozenset({"accountNumber"}))
    assert not again.has_type("Missing")
    assert again.missing_types(["Missing", "Other"]) == {"Other"}
    junks: list[Any] = [
        None,
        [],
        {"types": {}},
        {"types": {"X": {"fields": {"y": "z"}}}, "learnt_at": 1},
    ]
    for junk in junks:
        with pytest.raises(KrakenParseError):
            Capabilities.from_json(junk)


@pytest.mark.parametrize(
    ("message", "mismatch"),
    [
        ("Cannot query field 'x' on type 'Y'. Did you mean 'z'?", True),
        ("Unknown type 'SmartFlexHeatPumpStatus'.", True),
        ("Unknown argument 'deviceId' on field 'Query.devices'.", True),
        ("Unauthorized.", False),
        ("Unable to fetch planned dispatches.", False),
    ],
)
def test_which_refusals_mean_the_schema_moved_on(message: str, mismatch: bool) -> None:
    assert is_schema_mismatch(message) is mismatch


def _agreement(**overrides: Any) -> dict[str, Any]:
    """An agreement as the German instance answers it (thecem/octopus_germany issue #19)."""
    agreement: dict[str, Any] = {
        "id": "810001",
        "validFrom": "2024-12-09T23:00:00+00:00",
        "validTo": "2026-12-09T23:00:00+00:00",
        "netMonthlyStandingCharge": "10.9200",
        "product": {
            "code": "DEU-ELECTRICITY-HEAT-24",
            "displayName": "Octopus Heat",
            "fullName": "Octopus HEAT",
            "isTimeOfUse": False,
        },
        "standingChargeGrossRateInformation": [
            {"date": "2024-12-10", "grossRate": "12.9948", "vatRate": "19"}
        ],
        "unitRateInformation": {
            "__typename": "SimpleProductUnitRateInformation",
            "grossRateInformation": [
                {
                    "date": "2024-12-10",
                    "grossRate": "27.132",
                    "rateValidToDate": None,
                    "vatRate": "19",
                }
            ],
            "latestGrossUnitRateCentsPerKwh": "27.132",
            "netUnitRateCentsPerKwh": "22.800",
        },
        "unitRateForecast": [],
    }
    agreement.update(overrides)
    return agreement


def _german(agreements: list[dict[str, Any]], **account: Any) -> dict[str, Any]:
    return {
        "account": {
            "number": "A-1F49BF89",
            "balance": None,
            "ledgers": [{"balance": 108723, "ledgerType": "ELECTRICITY_LEDGER"}],
            "properties": [{"id": "842998"}],
            "allProperties": [
                {
                    "id": "842998",
                    "electricityMalos": [
                        {
                            "maloNumber": "51336838417",
                            "meters": [{"id": "736390", "number": "1EBZ0101811754"}],
                            "agreements": agreements,
                        }
                    ],
                    "gasMalos": [],
                }
            ],
            **account,
        }
    }


def test_a_german_account_reads_balance_rate_and_monthly_standing_charge() -> None:
    account = parse_account(_german([_agreement()]), currency="EUR")
    assert account.balance == pytest.approx(1087.23)
    (point,) = account.meter_points
    assert (point.identifier, point.fuel, point.direction) == (
        "51336838417",
        Fuel.ELECTRICITY,
        "import",
    )
    assert point.meters[0].serial_number == "1EBZ0101811754"
    tariff = point.agreements[0].tariff
    assert tariff is not None
    assert tariff.kind is TariffKind.STANDARD
    assert tariff.unit_rate == Price(inc_vat=0.27132, ex_vat=0.228)
    assert tariff.standing_charge == Price(inc_vat=12.9948, ex_vat=10.92)
    assert tariff.standing_charge_per == "month"
    assert tariff.name == "Octopus Heat"


def test_a_german_time_of_use_and_a_dynamic_agreement() -> None:
    time_of_use = _agreement(
        unitRateInformation={
            "__typename": "TimeOfUseProductUnitRateInformation",
            "rates": [
                {
                    "latestGrossUnitRateCentsPerKwh": "15.0654",
                    "timeslotName": "GO",
                    "timeslotActivationRules": [
                        {"activeFromTime": "00:00:00", "activeToTime": "05:00:00"}
                    ],
                },
                {
                    "latestGrossUnitRateCentsPerKwh": "28.2744",
                    "timeslotName": "STANDARD",
                    "timeslotActivationRules": [
                        {"activeFromTime": "05:00:00", "activeToTime": "00:00:00"}
                    ],
                },
            ],
        }
    )
    tariff = parse_account(_german([time_of_use]), currency="EUR").meter_points[0]
    tou = tariff.agreements[0].tariff
    assert tou is not None
    assert tou.kind is TariffKind.TIME_OF_USE
    assert [(slot.name, slot.start, slot.end) for slot in tou.time_slots] == [
        ("GO", time(0), time(5)),
        ("STANDARD", time(5), time(0)),
    ]
    assert [slot.price.inc_vat for slot in tou.time_slots] == pytest.approx([0.150654, 0.282744])
    dynamic = _agreement(
        unitRateForecast=[
            {
                "validFrom": "2026-11-24T11:00:00+00:00",
                "validTo": "2026-11-24T11:15:00+00:00",
                "unitRateInformation": {
                    "__typename": "SimpleProductUnitRateInformation",
                    "latestGrossUnitRateCentsPerKwh": "NaN",
                },
            },
            {
                "validFrom": "2026-11-24T11:15:00+00:00",
                "validTo": "2026-11-24T11:30:00+00:00",
                "unitRateInformation": {
                    "__typename": "SimpleProductUnitRateInformation",
                    "latestGrossUnitRateCentsPerKwh": "31.5",
                },
            },
        ]
    )
    parsed = parse_account(_german([dynamic]), currency="EUR").meter_points[0].agreements[0]
    assert parsed.tariff is not None
    assert parsed.tariff.kind is TariffKind.HALF_HOURLY
    rates = parsed.tariff.unit_rates
    assert rates is not None
    # The quarter hour without a finite price is unknown; the other holds.
    assert [rate.start for rate in rates] == [datetime(2026, 11, 24, 11, 15, tzinfo=UTC)]
    assert rates[0].price.inc_vat == pytest.approx(0.315)
    assert all(math.isfinite(rate.price.inc_vat) for rate in rates)


@pytest.mark.parametrize(
    ("is_export", "direction", "code", "expected"),
    [
        # The tariff says: that decides.
        (True, None, "E-1R-AGILE-24-10-01-C", "export"),
        (False, "EXPORT", "E-1R-OUTGOING-FIX-12M-19-05-13-J", "import"),
        # The tariff does not say: the meter point's direction.
        (None, "EXPORT", "E-1R-VAR-22-11-01-C", "export"),
        (None, "IMPORT", "E-1R-OUTGOING-FIX-12M-19-05-13-J", "import"),
        # Neither says: the code.
        (None, None, "E-1R-OUTGOING-FIX-12M-19-05-13-J", "export"),
        (None, None, "E-1R-FLUX-EXPORT-23-02-14-J", "export"),
        (None, None, "E-1R-AGILE-24-10-01-C", "import"),
    ],
)
def test_the_export_rule(
    is_export: bool | None, direction: str | None, code: str, expected: str
) -> None:
    tariff = Tariff(
        kind=TariffKind.STANDARD,
        tariff_code=code,
        product_code=None,
        display_name=None,
        full_name=None,
        is_export=is_export,
        standing_charge=None,
        unit_rate=Price(inc_vat=0.15),
    )
    point = MeterPoint(
        identifier="2000012345678",
        fuel=Fuel.ELECTRICITY,
        property_id=None,
        meters=(),
        agreements=(Agreement(agreement_id="1", valid_from=None, valid_to=None, tariff=tariff),),
        declared_direction=direction,
    )
    assert point.direction == expected
