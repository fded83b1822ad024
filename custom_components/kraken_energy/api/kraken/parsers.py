"""Turn Kraken GraphQL responses into the domain model.

Kraken quotes money in minor units (pence, cents); everything is converted to major units
here, once. A field with the wrong type raises KrakenParseError naming its path, never a
bare KeyError or TypeError. Tariff types the client does not know are skipped and logged once.
"""

from __future__ import annotations

from datetime import date, datetime
import logging
from typing import Any

from ...model import (
    Account,
    AccountSummary,
    Agreement,
    Fuel,
    Meter,
    MeterPoint,
    Price,
    RateBand,
    RatePeriod,
    Tariff,
    TariffKind,
)
from .exceptions import KrakenParseError

_LOGGER = logging.getLogger(__name__)
_UNKNOWN_TARIFF_TYPES_LOGGED: set[str] = set()

_ELECTRICITY_TARIFF_KINDS = {
    "StandardTariff": TariffKind.STANDARD,
    "DayNightTariff": TariffKind.DAY_NIGHT,
    "ThreeRateTariff": TariffKind.THREE_RATE,
    "HalfHourlyTariff": TariffKind.HALF_HOURLY,
    "PrepayTariff": TariffKind.PREPAY,
}
MINOR_UNITS_PER_MAJOR = 100.0


def as_dict(value: Any, path: str) -> dict[str, Any]:
    """The value as a JSON object, or a parse error naming `path`."""
    if not isinstance(value, dict):
        raise KrakenParseError(f"{path}: expected an object, got {type(value).__name__}")
    return value


def as_list(value: Any, path: str) -> list[Any]:
    """The value as a JSON array (null counts as empty), or a parse error."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise KrakenParseError(f"{path}: expected a list, got {type(value).__name__}")
    return value


def as_str(value: Any, path: str) -> str:
    """A required string."""
    if not isinstance(value, str) or not value:
        raise KrakenParseError(f"{path}: expected a string, got {type(value).__name__}")
    return value


def opt_str(value: Any, path: str) -> str | None:
    """An optional string (ids may arrive as numbers)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise KrakenParseError(f"{path}: expected a string, got {type(value).__name__}")
    return str(value)


def opt_number(value: Any, path: str) -> float | None:
    """An optional number; Kraken sends Decimal fields as strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise KrakenParseError(f"{path}: expected a number, got bool")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise KrakenParseError(f"{path}: expected a number, got {value!r:.40}")


def opt_datetime(value: Any, path: str) -> datetime | None:
    """An optional ISO 8601 date-time with an offset."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    raise KrakenParseError(f"{path}: expected an ISO 8601 date-time, got {value!r:.40}")


def as_datetime(value: Any, path: str) -> datetime:
    """A required ISO 8601 date-time."""
    parsed = opt_datetime(value, path)
    if parsed is None:
        raise KrakenParseError(f"{path}: expected an ISO 8601 date-time, got null")
    return parsed


def opt_date(value: Any, path: str) -> date | None:
    """An optional ISO 8601 date."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise KrakenParseError(f"{path}: expected an ISO 8601 date, got {value!r:.40}")


def _price(inc_vat: Any, ex_vat: Any, path: str) -> Price | None:
    inc = opt_number(inc_vat, path)
    if inc is None:
        return None
    ex = opt_number(ex_vat, f"{path} (pre-VAT)")
    return Price(
        inc_vat=inc / MINOR_UNITS_PER_MAJOR,
        ex_vat=None if ex is None else ex / MINOR_UNITS_PER_MAJOR,
    )


def parse_account_summaries(data: Any) -> list[AccountSummary]:
    """The accounts of `viewer`, from the ViewerAccounts response data."""
    viewer = as_dict(as_dict(data, "data").get("viewer"), "viewer")
    summaries = []
    for index, raw in enumerate(as_list(viewer.get("accounts"), "viewer.accounts")):
        path = f"viewer.accounts[{index}]"
        account = as_dict(raw, path)
        summaries.append(
            AccountSummary(
                number=as_str(account.get("number"), f"{path}.number"),
                brand=opt_str(account.get("brand"), f"{path}.brand"),
                status=opt_str(account.get("status"), f"{path}.status"),
            )
        )
    return summaries


def _unit_rates(raw: Any, path: str) -> tuple[RatePeriod, ...] | None:
    if raw is None:
        return None
    periods = []
    for index, item in enumerate(as_list(raw, path)):
        item_path = f"{path}[{index}]"
        rate = as_dict(item, item_path)
        price = _price(rate.get("value"), rate.get("preVatValue"), f"{item_path}.value")
        if price is None:
            raise KrakenParseError(f"{item_path}.value: expected a number, got null")
        periods.append(
            RatePeriod(
                start=as_datetime(rate.get("validFrom"), f"{item_path}.validFrom"),
                end=as_datetime(rate.get("validTo"), f"{item_path}.validTo"),
                price=price,
                band=RateBand.HALF_HOURLY,
            )
        )
    return tuple(sorted(periods, key=lambda period: period.start))


def parse_tariff(raw: Any, path: str, *, fuel: Fuel) -> Tariff | None:
    """A tariff of an agreement; None for a tariff type this client does not know."""
    if raw is None:
        return None
    tariff = as_dict(raw, path)
    typename = opt_str(tariff.get("__typename"), f"{path}.__typename") or ""
    if fuel is Fuel.GAS:
        kind = TariffKind.GAS
    elif typename in _ELECTRICITY_TARIFF_KINDS:
        kind = _ELECTRICITY_TARIFF_KINDS[typename]
    else:
        if typename not in _UNKNOWN_TARIFF_TYPES_LOGGED:
            _UNKNOWN_TARIFF_TYPES_LOGGED.add(typename)
            _LOGGER.warning("Skipping electricity tariff of unknown type %r", typename)
        return None
    return Tariff(
        kind=kind,
        tariff_code=as_str(tariff.get("tariffCode"), f"{path}.tariffCode"),
        product_code=opt_str(tariff.get("productCode"), f"{path}.productCode"),
        display_name=opt_str(tariff.get("displayName"), f"{path}.displayName"),
        full_name=opt_str(tariff.get("fullName"), f"{path}.fullName"),
        is_export=bool(tariff.get("isExport")),
        standing_charge=_price(
            tariff.get("standingCharge"),
            tariff.get("preVatStandingCharge"),
            f"{path}.standingCharge",
        ),
        unit_rate=_price(tariff.get("unitRate"), tariff.get("preVatUnitRate"), f"{path}.unitRate"),
        day_rate=_price(tariff.get("dayRate"), tariff.get("preVatDayRate"), f"{path}.dayRate"),
        night_rate=_price(
            tariff.get("nightRate"), tariff.get("preVatNightRate"), f"{path}.nightRate"
        ),
        off_peak_rate=_price(
            tariff.get("offPeakRate"), tariff.get("preVatOffPeakRate"), f"{path}.offPeakRate"
        ),
        unit_rates=_unit_rates(tariff.get("unitRates"), f"{path}.unitRates"),
    )


def _agreements(raw: Any, path: str, fuel: Fuel) -> tuple[Agreement, ...]:
    agreements = []
    for index, item in enumerate(as_list(raw, path)):
        item_path = f"{path}[{index}]"
        agreement = as_dict(item, item_path)
        agreements.append(
            Agreement(
                agreement_id=opt_str(agreement.get("id"), f"{item_path}.id") or str(index),
                valid_from=opt_datetime(agreement.get("validFrom"), f"{item_path}.validFrom"),
                valid_to=opt_datetime(agreement.get("validTo"), f"{item_path}.validTo"),
                tariff=parse_tariff(agreement.get("tariff"), f"{item_path}.tariff", fuel=fuel),
            )
        )
    return tuple(agreements)


def _meters(raw: Any, path: str) -> tuple[Meter, ...]:
    meters = []
    for index, item in enumerate(as_list(raw, path)):
        meter = as_dict(item, f"{path}[{index}]")
        meters.append(
            Meter(
                meter_id=opt_str(meter.get("id"), f"{path}[{index}].id"),
                serial_number=as_str(meter.get("serialNumber"), f"{path}[{index}].serialNumber"),
            )
        )
    return tuple(meters)


def _meter_points(properties: list[Any]) -> tuple[MeterPoint, ...]:
    points: list[MeterPoint] = []
    for prop_index, raw_property in enumerate(properties):
        prop_path = f"account.properties[{prop_index}]"
        prop = as_dict(raw_property, prop_path)
        property_id = opt_str(prop.get("id"), f"{prop_path}.id")
        for fuel, list_key, id_key in (
            (Fuel.ELECTRICITY, "electricityMeterPoints", "mpan"),
            (Fuel.GAS, "gasMeterPoints", "mprn"),
        ):
            for index, raw_point in enumerate(
                as_list(prop.get(list_key), f"{prop_path}.{list_key}")
            ):
                path = f"{prop_path}.{list_key}[{index}]"
                point = as_dict(raw_point, path)
                points.append(
                    MeterPoint(
                        identifier=as_str(point.get(id_key), f"{path}.{id_key}"),
                        fuel=fuel,
                        property_id=property_id,
                        meters=_meters(point.get("meters"), f"{path}.meters"),
                        agreements=_agreements(point.get("agreements"), f"{path}.agreements", fuel),
                    )
                )
    return tuple(points)


def parse_account(data: Any, *, currency: str) -> Account:
    """The account of an Account response, in the supplier's currency."""
    account = as_dict(as_dict(data, "data").get("account"), "account")
    balance = opt_number(account.get("balance"), "account.balance")
    if balance is None:
        raise KrakenParseError("account.balance: expected a number, got null")
    billing = account.get("billingOptions")
    billing = as_dict(billing, "account.billingOptions") if billing is not None else {}
    return Account(
        number=as_str(account.get("number"), "account.number"),
        brand=opt_str(account.get("brand"), "account.brand"),
        status=opt_str(account.get("status"), "account.status"),
        balance=balance / MINOR_UNITS_PER_MAJOR,
        currency=currency,
        next_billing_date=opt_date(
            billing.get("nextBillingDate"), "account.billingOptions.nextBillingDate"
        ),
        billing_period_start=opt_date(
            billing.get("currentBillingPeriodStartDate"),
            "account.billingOptions.currentBillingPeriodStartDate",
        ),
        billing_period_end=opt_date(
            billing.get("currentBillingPeriodEndDate"),
            "account.billingOptions.currentBillingPeriodEndDate",
        ),
        meter_points=_meter_points(as_list(account.get("properties"), "account.properties")),
    )
