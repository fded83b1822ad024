"""Turn Kraken GraphQL responses into the domain model.

Kraken quotes money in minor units (pence, cents); everything is converted to major units
here, once. A field with the wrong type raises KrakenParseError naming its path, never a
bare KeyError or TypeError. Tariff types the client does not know are skipped and logged once.

Every number is read through the shared readers: NaN, infinities and numbers beyond a float's
range never reach the model (an optional field reads as None, a required one is a parse
error). The lists that say which items exist (accounts, properties, meter points, devices)
must be present: a missing or null one is a parse error, never "no items".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
import logging
from typing import Any, TypeGuard

from ..json_fields import JsonFields
from .documents import DISPATCHES_ALIAS
from .exceptions import KrakenParseError
from .models import (
    Account,
    AccountSummary,
    Agreement,
    Device,
    DeviceKind,
    DevicePreferences,
    Dispatch,
    Fuel,
    HeatPumpState,
    Meter,
    MeterPoint,
    PreferenceSchedule,
    Price,
    RateBand,
    RatePeriod,
    SiteTelemetry,
    SmartFlexData,
    Tariff,
    TariffKind,
    TimeSlot,
)
from .telemetry import parse_smart_devices

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
# Minor units divided by 100 in binary floating point leave tails (13.47 -> 0.13470000000000001);
# no price has more decimals than this.
MONEY_DECIMALS = 6
# A token lifetime (`exp` - `iat`) beyond this is not believed (Kraken's last an hour).
MAX_TOKEN_LIFETIME = 86400.0


_FIELDS = JsonFields(KrakenParseError)
as_dict = _FIELDS.as_dict
_opt_dict = _FIELDS.opt_dict
as_list = _FIELDS.as_list
required_list = _FIELDS.required_list
as_str = _FIELDS.as_str
opt_bool = _FIELDS.opt_bool
opt_datetime = _FIELDS.opt_datetime


def _shown(value: Any) -> str:
    """A value for an error message: a string's start, a finite number, else its type.

    repr() of a huge integer raises, and of a deeply nested list recurses too far.
    """
    if isinstance(value, str):
        return f"{value!r:.40}"
    if isinstance(value, float) or (isinstance(value, int) and abs(value) < 2**64):
        return repr(value)
    return type(value).__name__


def opt_str(value: Any, path: str) -> str | None:
    """An optional string (ids may arrive as numbers)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise KrakenParseError(f"{path}: expected a string, got {type(value).__name__}")
    try:
        return str(value)
    except ValueError:  # a whole number too long to spell out
        raise KrakenParseError(f"{path}: expected a string, got a huge number") from None


def opt_number(value: Any, path: str) -> float | None:
    """An optional finite number; Kraken sends Decimal fields as strings.

    NaN, infinities and numbers beyond a float's range read as None; a string that is not a
    number is a parse error.
    """
    return _FIELDS.opt_number(value, path, strings=True)


def opt_int(value: Any, path: str) -> int | None:
    """An optional whole number (None when not finite or beyond 2**53)."""
    return _FIELDS.opt_int(value, path, strings=True)


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
    raise KrakenParseError(f"{path}: expected an ISO 8601 date, got {_shown(value)}")


def _price(inc_vat: Any, ex_vat: Any, path: str) -> Price | None:
    inc = opt_number(inc_vat, path)
    if inc is None:
        return None
    ex = opt_number(ex_vat, f"{path} (pre-VAT)")
    return Price(
        inc_vat=_major(inc),
        ex_vat=None if ex is None else _major(ex),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenGrant:
    """What obtainKrakenToken granted: the access token and, when given, a refresh token.

    Expiries are Unix timestamps; None when the answer did not say (or said something that
    is not a finite number).
    """

    token: str = field(repr=False)
    expires_at: float | None
    refresh_token: str | None = field(default=None, repr=False)
    refresh_expires_at: float | None = None
    lifetime: float | None = None
    """Seconds from issue to expiry (`exp` - `iat`), when the payload gives both sensibly."""


def _header_safe(value: Any) -> TypeGuard[str]:
    """A non-empty string that can travel in an HTTP header: printable ASCII only."""
    return (
        isinstance(value, str) and bool(value.strip()) and value.isascii() and value.isprintable()
    )


def parse_token(data: Any) -> TokenGrant:
    """The token grant of an ObtainKrakenToken response's data."""
    result = as_dict(as_dict(data, "data").get("obtainKrakenToken"), "obtainKrakenToken")
    value = result.get("token")
    if not _header_safe(value):
        raise KrakenParseError("obtainKrakenToken.token: expected a string")
    payload = result.get("payload")
    # The payload is a GenericScalar: anything but an object is read as "no expiry given".
    expires = issued = None
    if isinstance(payload, dict):
        expires = opt_number(payload.get("exp"), "obtainKrakenToken.payload.exp")
        issued = opt_number(payload.get("iat"), "obtainKrakenToken.payload.iat")
    lifetime = expires - issued if expires is not None and issued is not None else None
    refresh_value = result.get("refreshToken")
    refresh_expires = opt_number(
        result.get("refreshExpiresIn"), "obtainKrakenToken.refreshExpiresIn"
    )
    has_refresh = _header_safe(refresh_value)
    return TokenGrant(
        token=value,
        expires_at=expires,
        refresh_token=refresh_value if has_refresh else None,
        refresh_expires_at=refresh_expires if has_refresh else None,
        lifetime=lifetime if lifetime is not None and 0 < lifetime <= MAX_TOKEN_LIFETIME else None,
    )


def parse_account_summaries(data: Any) -> list[AccountSummary]:
    """The accounts of `viewer`, from the ViewerAccounts response data."""
    viewer = as_dict(as_dict(data, "data").get("viewer"), "viewer")
    summaries = []
    for index, raw in enumerate(required_list(viewer.get("accounts"), "viewer.accounts")):
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
        if rate.get("value") is None:
            raise KrakenParseError(f"{item_path}.value: expected a number, got null")
        price = _price(rate.get("value"), rate.get("preVatValue"), f"{item_path}.value")
        if price is None:
            # NaN or infinite: this half-hour's rate is unknown, the others still hold.
            _LOGGER.debug("Skipping %s: its value is not a finite number", item_path)
            continue
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
        # None where the instance has no isExport (GB before 2025): MeterPoint.is_export decides.
        is_export=opt_bool(tariff.get("isExport"), f"{path}.isExport"),
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
                smart_devices=parse_smart_devices(meter, f"{path}[{index}]"),
            )
        )
    return tuple(meters)


def _point_lists(prop: dict[str, Any], path: str, keys: tuple[str, str]) -> list[list[Any]]:
    """A property's electricity and gas lists.

    The electricity list must be there (it says which meter points exist); a gas list the
    instance does not have is an empty one.
    """
    electricity, gas = keys
    return [
        required_list(prop.get(electricity), f"{path}.{electricity}"),
        required_list(prop.get(gas), f"{path}.{gas}") if gas in prop else [],
    ]


def _meter_points(properties: list[Any]) -> tuple[MeterPoint, ...]:
    """GB properties: electricity meter points (MPAN) and gas meter points (MPRN)."""
    points: list[MeterPoint] = []
    for prop_index, raw_property in enumerate(properties):
        prop_path = f"account.properties[{prop_index}]"
        prop = as_dict(raw_property, prop_path)
        property_id = opt_str(prop.get("id"), f"{prop_path}.id")
        lists = _point_lists(prop, prop_path, ("electricityMeterPoints", "gasMeterPoints"))
        for (fuel, list_key, id_key), raw_points in zip(
            (
                (Fuel.ELECTRICITY, "electricityMeterPoints", "mpan"),
                (Fuel.GAS, "gasMeterPoints", "mprn"),
            ),
            lists,
            strict=True,
        ):
            for index, raw_point in enumerate(raw_points):
                path = f"{prop_path}.{list_key}[{index}]"
                point = as_dict(raw_point, path)
                points.append(
                    MeterPoint(
                        identifier=as_str(point.get(id_key), f"{path}.{id_key}"),
                        fuel=fuel,
                        property_id=property_id,
                        meters=_meters(point.get("meters"), f"{path}.meters"),
                        agreements=_agreements(point.get("agreements"), f"{path}.agreements", fuel),
                        declared_direction=opt_str(point.get("direction"), f"{path}.direction"),
                    )
                )
    return tuple(points)


# --- the German instance: market locations (MaLo) with agreements in ct/kWh ------------------


GERMAN_CLOCK = "Europe/Berlin"


def _cents(value: Any, path: str) -> float | None:
    """ct/kWh, sent as a decimal string, in major units (EUR/kWh)."""
    number = opt_number(value, path)
    return None if number is None else _major(number)


def _major(minor: float) -> float:
    """An amount in minor units (pence, cents) in major units, without a float's tail."""
    return round(minor / MINOR_UNITS_PER_MAJOR, MONEY_DECIMALS)


def _rate_price(info: dict[str, Any], path: str) -> Price | None:
    """The gross (and net) unit rate of a rate information block, in major units."""
    gross = _cents(info.get("latestGrossUnitRateCentsPerKwh"), f"{path}.latestGross")
    if gross is None:
        # Older answers carry only the dated list; the latest entry is the rate in force.
        dated = [
            as_dict(item, f"{path}.grossRateInformation[{index}]")
            for index, item in enumerate(
                as_list(info.get("grossRateInformation"), f"{path}.grossRateInformation")
            )
        ]
        dated.sort(key=lambda item: str(item.get("date") or ""))
        if dated:
            gross = _cents(dated[-1].get("grossRate"), f"{path}.grossRate")
    if gross is None:
        return None
    return Price(inc_vat=gross, ex_vat=_cents(info.get("netUnitRateCentsPerKwh"), f"{path}.net"))


def _time_slots(info: dict[str, Any], path: str) -> tuple[TimeSlot, ...]:
    slots = []
    for index, item in enumerate(as_list(info.get("rates"), f"{path}.rates")):
        rate_path = f"{path}.rates[{index}]"
        rate = as_dict(item, rate_path)
        price = _rate_price(rate, rate_path)
        if price is None:
            continue
        name = opt_str(rate.get("timeslotName"), f"{rate_path}.timeslotName") or str(index)
        rules = as_list(rate.get("timeslotActivationRules"), f"{rate_path}.rules")
        for rule_index, raw_rule in enumerate(rules):
            rule_path = f"{rate_path}.timeslotActivationRules[{rule_index}]"
            rule = as_dict(raw_rule, rule_path)
            start = opt_time(rule.get("activeFromTime"), f"{rule_path}.activeFromTime")
            end = opt_time(rule.get("activeToTime"), f"{rule_path}.activeToTime")
            if start is None or end is None:
                continue
            slots.append(TimeSlot(name=name, start=start, end=end, price=price))
    return tuple(slots)


def _forecast(raw: Any, path: str) -> tuple[RatePeriod, ...]:
    """A dynamic tariff's published (quarter-hourly) rates."""
    periods = []
    for index, item in enumerate(as_list(raw, path)):
        item_path = f"{path}[{index}]"
        entry = as_dict(item, item_path)
        info = _opt_dict(entry.get("unitRateInformation"), f"{item_path}.unitRateInformation")
        price = _rate_price(info, item_path)
        if price is None and info.get("rates"):
            slots = as_list(info.get("rates"), f"{item_path}.rates")
            price = _rate_price(_opt_dict(slots[0], f"{item_path}.rates[0]"), item_path)
        if price is None:
            continue
        periods.append(
            RatePeriod(
                start=as_datetime(entry.get("validFrom"), f"{item_path}.validFrom"),
                end=as_datetime(entry.get("validTo"), f"{item_path}.validTo"),
                price=price,
                band=RateBand.HALF_HOURLY,
            )
        )
    return tuple(sorted(periods, key=lambda period: period.start))


def _monthly_standing_charge(agreement: dict[str, Any], path: str) -> Price | None:
    """The German standing charge, EUR per month (gross from the dated list, and net)."""
    dated = [
        as_dict(item, f"{path}.standingChargeGrossRateInformation[{index}]")
        for index, item in enumerate(
            as_list(
                agreement.get("standingChargeGrossRateInformation"),
                f"{path}.standingChargeGrossRateInformation",
            )
        )
    ]
    dated.sort(key=lambda item: str(item.get("date") or ""))
    gross = opt_number(dated[-1].get("grossRate"), f"{path}.standingCharge") if dated else None
    net = opt_number(agreement.get("netMonthlyStandingCharge"), f"{path}.netMonthlyStandingCharge")
    if gross is None:
        return None
    return Price(inc_vat=gross, ex_vat=net)


def _malo_tariff(agreement: dict[str, Any], path: str, fuel: Fuel) -> Tariff | None:
    product = _opt_dict(agreement.get("product"), f"{path}.product")
    code = opt_str(product.get("code"), f"{path}.product.code")
    info = _opt_dict(agreement.get("unitRateInformation"), f"{path}.unitRateInformation")
    typename = opt_str(info.get("__typename"), f"{path}.unitRateInformation.__typename")
    forecast = _forecast(agreement.get("unitRateForecast"), f"{path}.unitRateForecast")
    slots: tuple[TimeSlot, ...] = ()
    unit_rate = None
    if fuel is Fuel.GAS:
        kind = TariffKind.GAS
        unit_rate = _rate_price(info, f"{path}.unitRateInformation")
    elif forecast:
        kind = TariffKind.HALF_HOURLY
    elif typename == "TimeOfUseProductUnitRateInformation":
        kind = TariffKind.TIME_OF_USE
        slots = _time_slots(info, f"{path}.unitRateInformation")
    else:
        kind = TariffKind.STANDARD
        unit_rate = _rate_price(info, f"{path}.unitRateInformation")
    if code is None and unit_rate is None and not slots and not forecast:
        return None
    return Tariff(
        kind=kind,
        tariff_code=code or "unknown",
        product_code=code,
        display_name=opt_str(product.get("displayName"), f"{path}.product.displayName"),
        full_name=opt_str(product.get("fullName"), f"{path}.product.fullName"),
        # The German products do not say; the code may (see MeterPoint.is_export).
        is_export=None,
        standing_charge=_monthly_standing_charge(agreement, path),
        standing_charge_per="month",
        unit_rate=unit_rate,
        unit_rates=forecast or None,
        time_slots=slots,
        # Market locations are German: their slots are German clock times.
        clock_zone=GERMAN_CLOCK,
    )


def _malo_points(properties: list[Any]) -> tuple[MeterPoint, ...]:
    """German properties: electricity and gas market locations (MaLo) with their agreements."""
    points: list[MeterPoint] = []
    for prop_index, raw_property in enumerate(properties):
        prop_path = f"account.allProperties[{prop_index}]"
        prop = as_dict(raw_property, prop_path)
        property_id = opt_str(prop.get("id"), f"{prop_path}.id")
        lists = _point_lists(prop, prop_path, ("electricityMalos", "gasMalos"))
        for (fuel, key), malos in zip(
            ((Fuel.ELECTRICITY, "electricityMalos"), (Fuel.GAS, "gasMalos")), lists, strict=True
        ):
            for index, raw_malo in enumerate(malos):
                path = f"{prop_path}.{key}[{index}]"
                malo = as_dict(raw_malo, path)
                agreements = []
                for agreement_index, item in enumerate(
                    as_list(malo.get("agreements"), f"{path}.agreements")
                ):
                    agreement_path = f"{path}.agreements[{agreement_index}]"
                    agreement = as_dict(item, agreement_path)
                    agreements.append(
                        Agreement(
                            agreement_id=opt_str(agreement.get("id"), f"{agreement_path}.id")
                            or str(agreement_index),
                            valid_from=opt_datetime(
                                agreement.get("validFrom"), f"{agreement_path}.validFrom"
                            ),
                            valid_to=opt_datetime(
                                agreement.get("validTo"), f"{agreement_path}.validTo"
                            ),
                            tariff=_malo_tariff(agreement, agreement_path, fuel),
                        )
                    )
                meters = tuple(
                    Meter(
                        meter_id=opt_str(meter.get("id"), f"{path}.meters.id"),
                        serial_number=opt_str(meter.get("number"), f"{path}.meters.number")
                        or opt_str(meter.get("meloNumber"), f"{path}.meters.meloNumber")
                        or "",
                    )
                    for meter in (
                        as_dict(item, f"{path}.meters[{meter_index}]")
                        for meter_index, item in enumerate(
                            as_list(malo.get("meters"), f"{path}.meters")
                        )
                    )
                )
                points.append(
                    MeterPoint(
                        identifier=as_str(malo.get("maloNumber"), f"{path}.maloNumber"),
                        fuel=fuel,
                        property_id=property_id,
                        meters=tuple(meter for meter in meters if meter.serial_number),
                        agreements=tuple(agreements),
                    )
                )
    return tuple(points)


def _account_points(account: dict[str, Any]) -> tuple[MeterPoint, ...]:
    """The meter points of either shape; an account with neither list is malformed.

    The German instance has `properties` too, but its properties have market locations, not
    meter points: its meter points come from `allProperties`.
    """
    if "allProperties" in account:
        return _malo_points(required_list(account.get("allProperties"), "account.allProperties"))
    return _meter_points(required_list(account.get("properties"), "account.properties"))


def _balance(account: dict[str, Any]) -> float | None:
    """The account balance in minor units.

    The sum of its ledgers where the instance gives none (the German instance's account
    balance may be null).
    """
    balance = opt_number(account.get("balance"), "account.balance")
    if balance is not None or not account.get("ledgers"):
        return balance
    ledgers = [
        opt_number(_opt_dict(item, f"account.ledgers[{index}]").get("balance"), "ledger.balance")
        for index, item in enumerate(as_list(account.get("ledgers"), "account.ledgers"))
    ]
    known = [value for value in ledgers if value is not None]
    return sum(known) if known else None


def parse_account(data: Any, *, currency: str) -> Account:
    """The account of an Account response, in the supplier's currency."""
    account = as_dict(as_dict(data, "data").get("account"), "account")
    # Null or not a finite number, and no ledgers to add up: the balance is unknown.
    balance = _balance(account)
    billing = account.get("billingOptions")
    billing = as_dict(billing, "account.billingOptions") if billing is not None else {}
    return Account(
        number=as_str(account.get("number"), "account.number"),
        brand=opt_str(account.get("brand"), "account.brand"),
        status=opt_str(account.get("status"), "account.status"),
        balance=None if balance is None else _major(balance),
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
        meter_points=_account_points(account),
    )


_DEVICE_KINDS = {
    "SmartFlexVehicle": DeviceKind.VEHICLE,
    "SmartFlexChargePoint": DeviceKind.CHARGER,
    "SmartFlexBattery": DeviceKind.BATTERY,
    "SmartFlexHeatPump": DeviceKind.HEAT_PUMP,
    "SmartFlexInverter": DeviceKind.INVERTER,
    "SmartFlexStorageHeaters": DeviceKind.STORAGE_HEATER,
}


def opt_time(value: Any, path: str) -> time | None:
    """An optional time of day: "07:00", "07:00:00" (Kraken's form, naive) or with an offset.

    A time with an offset ("07:00+05:00", "07:00:00Z") keeps it: the result is an aware
    `datetime.time`. It cannot be turned into local wall-clock time without a date, so
    consumers must convert it themselves; `KrakenClient.set_preferences` sends it back with
    its offset.
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise KrakenParseError(f"{path}: expected a time of day, got {_shown(value)}")


def _value_of(container: Any, path: str) -> Any:
    return _opt_dict(container, path).get("value")


def _preferences(raw: Any, path: str) -> DevicePreferences | None:
    if raw is None:
        return None
    prefs = as_dict(raw, path)
    if not prefs:
        return None
    schedules = []
    for index, item in enumerate(as_list(prefs.get("schedules"), f"{path}.schedules")):
        item_path = f"{path}.schedules[{index}]"
        schedule = as_dict(item, item_path)
        ready_by = opt_time(schedule.get("time"), f"{item_path}.time")
        maximum = opt_number(schedule.get("max"), f"{item_path}.max")
        if ready_by is None or maximum is None:
            raise KrakenParseError(
                f"{item_path}: a schedule needs a time and a finite max, got "
                f"{_shown(schedule.get('time'))} and {_shown(schedule.get('max'))}"
            )
        schedules.append(
            PreferenceSchedule(
                day_of_week=as_str(schedule.get("dayOfWeek"), f"{item_path}.dayOfWeek"),
                ready_by=ready_by,
                min=opt_number(schedule.get("min"), f"{item_path}.min"),
                max=maximum,
            )
        )
    return DevicePreferences(
        mode=opt_str(prefs.get("mode"), f"{path}.mode"),
        target_type=opt_str(prefs.get("targetType"), f"{path}.targetType"),
        unit=opt_str(prefs.get("unit"), f"{path}.unit"),
        schedules=tuple(schedules),
    )


def _online(value: Any, path: str) -> bool | None:
    status = opt_str(value, path)
    return None if status is None else status == "ONLINE"


def _telemetry(raw: Any, path: str) -> SiteTelemetry | None:
    if raw is None:
        return None
    telemetry = as_dict(raw, path)
    battery = _opt_dict(telemetry.get("battery"), f"{path}.battery")
    inverter = _opt_dict(telemetry.get("inverter"), f"{path}.inverter")
    site = _opt_dict(telemetry.get("site"), f"{path}.site")
    return SiteTelemetry(
        battery_level=opt_number(battery.get("stateOfCharge"), f"{path}.battery.stateOfCharge"),
        battery_power=opt_number(battery.get("powerInKw"), f"{path}.battery.powerInKw"),
        battery_online=_online(battery.get("connectionStatus"), f"{path}.battery"),
        inverter_power=opt_number(inverter.get("powerInKw"), f"{path}.inverter.powerInKw"),
        inverter_online=_online(inverter.get("connectionStatus"), f"{path}.inverter"),
        solar_power=opt_number(
            _opt_dict(telemetry.get("solar"), f"{path}.solar").get("powerInKw"), f"{path}.solar"
        ),
        grid_power=opt_number(
            _opt_dict(telemetry.get("grid"), f"{path}.grid").get("powerInKw"), f"{path}.grid"
        ),
        site_consumption=opt_number(site.get("consumptionInKw"), f"{path}.site.consumptionInKw"),
        site_export=opt_number(site.get("exportInKw"), f"{path}.site.exportInKw"),
    )


def _heat_pump(status: dict[str, Any], path: str) -> HeatPumpState | None:
    if not any(key in status for key in ("mode", "activity", "targetTemperature")):
        return None
    zones = []
    for index, item in enumerate(
        as_list(status.get("currentTemperatures"), f"{path}.currentTemperatures")
    ):
        zone = as_dict(item, f"{path}.currentTemperatures[{index}]")
        value = opt_number(zone.get("value"), f"{path}.currentTemperatures[{index}].value")
        if value is not None:
            zones.append((opt_str(zone.get("zone"), f"{path}.zone") or str(index), value))
    return HeatPumpState(
        mode=opt_str(_value_of(status.get("mode"), f"{path}.mode"), f"{path}.mode"),
        activity=opt_str(_value_of(status.get("activity"), f"{path}.activity"), f"{path}.activity"),
        target_temperature=opt_number(
            _value_of(status.get("targetTemperature"), f"{path}.targetTemperature"),
            f"{path}.targetTemperature",
        ),
        zone_temperatures=tuple(zones),
    )


def parse_device(raw: Any, path: str) -> Device:
    """One SmartFlex device; an unknown type still parses as a generic device."""
    device = as_dict(raw, path)
    typename = opt_str(device.get("__typename"), f"{path}.__typename") or ""
    status = _opt_dict(device.get("status"), f"{path}.status")
    soc_limit = _opt_dict(status.get("stateOfChargeLimit"), f"{path}.status.stateOfChargeLimit")
    variant = _opt_dict(device.get("vehicleVariant"), f"{path}.vehicleVariant")
    battery_size = device.get("vehicleBatterySize", variant.get("batterySize"))
    return Device(
        device_id=as_str(device.get("id"), f"{path}.id"),
        kind=_DEVICE_KINDS.get(typename, DeviceKind.OTHER),
        provider=opt_str(device.get("provider"), f"{path}.provider") or "UNKNOWN",
        name=opt_str(device.get("name"), f"{path}.name"),
        make=opt_str(device.get("make"), f"{path}.make"),
        model=opt_str(device.get("model"), f"{path}.model"),
        lifecycle=opt_str(status.get("current"), f"{path}.status.current"),
        state=opt_str(status.get("currentState"), f"{path}.status.currentState"),
        is_suspended=opt_bool(status.get("isSuspended"), f"{path}.status.isSuspended"),
        upper_soc_limit=opt_int(soc_limit.get("upperSocLimit"), f"{path}.status.upperSocLimit"),
        battery_capacity_kwh=opt_number(battery_size, f"{path}.batterySize"),
        preferences=_preferences(device.get("preferences"), f"{path}.preferences"),
        telemetry=_telemetry(device.get("telemetry"), f"{path}.telemetry"),
        heat_pump=_heat_pump(status, f"{path}.status"),
    )


def _dispatches(raw: Any, path: str, device_id: str | None = None) -> tuple[Dispatch, ...]:
    """Account-wide (`UpsideDispatchType`) or one device's (`SmartFlexDispatch`) windows."""
    dispatches = []
    for index, item in enumerate(as_list(raw, path)):
        item_path = f"{path}[{index}]"
        dispatch = as_dict(item, item_path)
        meta = _opt_dict(dispatch.get("meta"), f"{item_path}.meta")
        energy = opt_number(
            dispatch.get("energyAddedKwh", dispatch.get("delta")), f"{item_path}.energy"
        )
        source = opt_str(meta.get("source"), f"{item_path}.meta.source")
        kind = opt_str(dispatch.get("type"), f"{item_path}.type")
        dispatches.append(
            Dispatch(
                start=as_datetime(dispatch.get("start"), f"{item_path}.start"),
                end=as_datetime(dispatch.get("end"), f"{item_path}.end"),
                # Kraken signs imported energy negative; a household thinks of it as added.
                energy_kwh=None if energy is None else abs(energy),
                source=source,
                location=opt_str(meta.get("location"), f"{item_path}.meta.location"),
                device_id=device_id,
                kind=_dispatch_kind(kind or source),
            )
        )
    return tuple(sorted(dispatches, key=lambda dispatch: dispatch.start))


# Per-device dispatch types (SMART, BOOST, TEST) and the account-wide lists' sources.
_DISPATCH_KINDS = {
    "smart": "smart",
    "smart-charge": "smart",
    "boost": "boost",
    "bump-charge": "boost",
    "test": "test",
    "test-charge": "test",
}


def _dispatch_kind(value: str | None) -> str | None:
    if value is None:
        return None
    return _DISPATCH_KINDS.get(value.strip().lower(), value.strip().lower()[:40])


def parse_smartflex(data: Any, dispatch_devices: Sequence[str] = ()) -> SmartFlexData:
    """Devices and dispatches of a SmartFlex response.

    Planned dispatches come per device (aliases `dispatches0`, ... for `dispatch_devices`,
    in order) where the instance plans per device, else from the account-wide list.
    """
    body = as_dict(data, "data")
    per_device = "plannedDispatches" not in body
    if per_device:
        planned = tuple(
            dispatch
            for index, device_id in enumerate(dispatch_devices)
            for dispatch in _dispatches(
                body.get(f"{DISPATCHES_ALIAS}{index}"),
                f"flexPlannedDispatches[{device_id}]",
                device_id,
            )
        )
    else:
        planned = _dispatches(body.get("plannedDispatches"), "plannedDispatches")
    return SmartFlexData(
        devices=tuple(
            parse_device(raw, f"devices[{index}]")
            # The list says which devices exist: missing is not "none" (they would be removed).
            for index, raw in enumerate(required_list(body.get("devices"), "devices"))
        ),
        planned_dispatches=tuple(sorted(planned, key=lambda dispatch: dispatch.start)),
        completed_dispatches=_dispatches(body.get("completedDispatches"), "completedDispatches"),
        per_device=per_device,
    )
