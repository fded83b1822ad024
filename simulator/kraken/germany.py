"""Supply points, agreements and prices of the German Kraken instance (Octopus Energy Germany).

Shapes follow research kraken_de.md (the instance's introspection of 2026-06-07 in
thecem/octopus_germany `graphql_schema.json`, real answers posted in that project's issues #19
and #21, and the real tariff export thecem/octopus_energy_de `tests/fixtures/mein_tarif.json`):

- a property has `electricityMalos` / `gasMalos` (market locations, `MaLo`), each with its
  `meters` (one per measurement location, with its 33-character `meloNumber`) and all of its
  `agreements`, past, current and future;
- an `Agreement` names its `product` and carries `unitRateInformation`, the union of
  `SimpleProductUnitRateInformation` (one rate) and `TimeOfUseProductUnitRateInformation`
  (named timeslots with local-time activation rules; `activeToTime` 00:00:00 is midnight);
- every rate is a decimal string in ct/kWh, net and gross; `grossRateInformation` lists the
  gross rate with the VAT rate ("19") from a date on;
- standing charges are € per month: `netMonthlyStandingCharge` and the gross list
  `standingChargeGrossRateInformation`;
- dynamic agreements have a quarter-hourly `unitRateForecast` for today and tomorrow; every
  other agreement has an empty one. Each forecast entry holds one time-of-use rate (the shape
  real clients read; the dynamic product's own `unitRateInformation` was not seen, so it is
  modelled the same way: one all-day timeslot at the current quarter hour's price).

Everything here is a plain mutable dataclass; attribute names are the snake_case form of the
GraphQL fields they serve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import ClassVar
from zoneinfo import ZoneInfo

from .rates import iter_quarter_hours, local_midnight, quarter_hourly_net_rate

BERLIN = ZoneInfo("Europe/Berlin")
VAT_RATE = Decimal("19")
_PLACES = Decimal("0.0001")


def _now() -> datetime:
    return datetime.now(UTC)


def gross(net: Decimal, vat_rate: Decimal = VAT_RATE) -> Decimal:
    """The gross value of a net one, to four decimal places."""
    return (net * (1 + vat_rate / 100)).quantize(_PLACES)


@dataclass(kw_only=True)
class Product:
    """`Product`."""

    code: str
    full_name: str
    display_name: str
    description: str = ""
    is_time_of_use: bool = False


@dataclass(kw_only=True)
class GrossRateInformation:
    """`GrossRateInformation`: the gross rate (ct/kWh or €/month) from `date` on."""

    date: dt.date
    gross_rate: Decimal
    vat_rate: Decimal = VAT_RATE
    rate_valid_to_date: dt.date | None = None


def gross_information(net: Decimal, since: date) -> list[GrossRateInformation]:
    """The one-entry gross list of a net value valid from `since`."""
    return [GrossRateInformation(date=since, gross_rate=gross(net))]


@dataclass(kw_only=True)
class SimpleProductUnitRateInformation:
    """One unit rate for every hour."""

    graphql_type: ClassVar[str] = "SimpleProductUnitRateInformation"

    net_unit_rate_cents_per_kwh: Decimal
    gross_rate_information: list[GrossRateInformation]

    @property
    def latest_gross_unit_rate_cents_per_kwh(self) -> Decimal:
        """The gross rate of the latest entry."""
        return self.gross_rate_information[-1].gross_rate


@dataclass(kw_only=True)
class TimeOfUseTimeslotActivationRule:
    """Local clock times [from, to) of a timeslot; `to` 00:00 is midnight."""

    active_from_time: time
    active_to_time: time


@dataclass(kw_only=True)
class TimeOfUseTimeslotUnitRate:
    """The rate of one named timeslot (GO, STANDARD, ...)."""

    timeslot_name: str
    timeslot_activation_rules: list[TimeOfUseTimeslotActivationRule]
    net_unit_rate_cents_per_kwh: Decimal
    gross_rate_information: list[GrossRateInformation]

    @property
    def latest_gross_unit_rate_cents_per_kwh(self) -> Decimal:
        """The gross rate of the latest entry."""
        return self.gross_rate_information[-1].gross_rate

    def applies_at(self, local: time) -> bool:
        """Whether a local clock time falls in one of the slot's windows."""
        for rule in self.timeslot_activation_rules:
            start, end = rule.active_from_time, rule.active_to_time
            if end == time(0) or end <= start:
                if local >= start or (end != time(0) and local < end):
                    return True
            elif start <= local < end:
                return True
        return False


@dataclass(kw_only=True)
class TimeOfUseProductUnitRateInformation:
    """Named timeslots, each with its own rate."""

    graphql_type: ClassVar[str] = "TimeOfUseProductUnitRateInformation"

    rates: list[TimeOfUseTimeslotUnitRate]

    def rate_at(self, at: datetime, timezone: ZoneInfo = BERLIN) -> TimeOfUseTimeslotUnitRate:
        """The timeslot whose local window contains `at`."""
        local = at.astimezone(timezone).time()
        return next(rate for rate in self.rates if rate.applies_at(local))


UnitRateInformation = SimpleProductUnitRateInformation | TimeOfUseProductUnitRateInformation


@dataclass(kw_only=True)
class UnitRateForecast:
    """`UnitRateForecastType`: one quarter hour of a dynamic tariff."""

    valid_from: datetime
    valid_to: datetime
    unit_rate_information: UnitRateInformation


@dataclass(kw_only=True)
class DynamicPrices:
    """Quarter-hourly prices of a dynamic tariff, deterministic per (seed, local quarter hour)."""

    seed: str
    since: date
    """Date of the gross rate information entries."""
    timeslot_name: str = "STANDARD"
    timezone: ZoneInfo = BERLIN

    def net_rate(self, start: datetime) -> Decimal:
        """Net ct/kWh of the quarter hour starting at `start`."""
        local = start.astimezone(self.timezone)
        quarter = local.hour * 4 + local.minute // 15
        value = quarter_hourly_net_rate(local.date(), quarter, seed=self.seed)
        return Decimal(str(value)).quantize(_PLACES)

    def unit_rate_information(
        self, start: datetime, end: datetime, *, all_day: bool = False
    ) -> TimeOfUseProductUnitRateInformation:
        """One timeslot covering [start, end) (or the whole day) at the quarter hour's price."""
        net = self.net_rate(start)
        rule = TimeOfUseTimeslotActivationRule(
            active_from_time=start.astimezone(self.timezone).time(),
            active_to_time=end.astimezone(self.timezone).time(),
        )
        if all_day:
            rule.active_from_time = rule.active_to_time = time(0)
        slot = TimeOfUseTimeslotUnitRate(
            timeslot_name=self.timeslot_name,
            timeslot_activation_rules=[rule],
            net_unit_rate_cents_per_kwh=net,
            gross_rate_information=gross_information(net, self.since),
        )
        return TimeOfUseProductUnitRateInformation(rates=[slot])

    def entry(self, at: datetime) -> UnitRateForecast:
        """The forecast entry of the quarter hour containing `at`."""
        start = at.astimezone(UTC)
        start = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
        end = start + timedelta(minutes=15)
        return UnitRateForecast(
            valid_from=start,
            valid_to=end,
            unit_rate_information=self.unit_rate_information(start, end),
        )

    def forecast(self, now: datetime) -> list[UnitRateForecast]:
        """Every quarter hour of the local today and tomorrow."""
        today = now.astimezone(self.timezone).date()
        start = local_midnight(today, self.timezone)
        end = local_midnight(today + timedelta(days=2), self.timezone)
        return [self.entry(at) for at in iter_quarter_hours(start, end)]

    def current(self, now: datetime) -> TimeOfUseProductUnitRateInformation:
        """The agreement-level rate: one all-day timeslot at the current quarter hour's price."""
        entry = self.entry(now)
        return self.unit_rate_information(entry.valid_from, entry.valid_to, all_day=True)


@dataclass(kw_only=True)
class Agreement:
    """`Agreement`: a product on a MaLo for [valid_from, valid_to)."""

    id: str
    product: Product
    valid_from: datetime
    valid_to: datetime | None = None
    net_monthly_standing_charge: Decimal
    """€ per month, net."""
    standing_charge_since: date
    fixed_rates: UnitRateInformation | None = None
    dynamic: DynamicPrices | None = None

    @property
    def standing_charge_gross_rate_information(self) -> list[GrossRateInformation]:
        """The gross standing charge (€/month) from the start of the agreement."""
        return gross_information(self.net_monthly_standing_charge, self.standing_charge_since)

    @property
    def unit_rate_information(self) -> UnitRateInformation | None:
        """The fixed rates, or a dynamic agreement's current price."""
        if self.dynamic is not None:
            return self.dynamic.current(_now())
        return self.fixed_rates

    @property
    def is_active(self) -> bool:
        """Whether the agreement is in force now."""
        now = _now()
        return self.valid_from <= now and (self.valid_to is None or now < self.valid_to)

    def unit_rate_forecast(self, now: datetime) -> list[UnitRateForecast]:
        """Quarter hours of today and tomorrow for a dynamic agreement; empty otherwise."""
        return self.dynamic.forecast(now) if self.dynamic is not None else []


@dataclass(kw_only=True)
class MeLoMeter:
    """`Meter`: a meter at a measurement location (MeLo)."""

    id: str
    number: str
    melo_number: str
    meter_type: str | None = None
    """Seen on electricity: "MME" (modern meter), "IMS" (smart meter system)."""
    should_receive_smart_meter_data: bool = False
    has_smart_meter_gateway: bool = False
    submit_meter_reading_url: str | None = None


@dataclass(kw_only=True)
class MaLo:
    """`MaLo`: a market location (supply point), with its meters and agreements."""

    id: str
    malo_number: str
    meters: list[MeLoMeter] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)

    def agreement_at(self, at: datetime) -> Agreement | None:
        """The agreement in force at `at`."""
        return next(
            (
                a
                for a in self.agreements
                if a.valid_from <= at and (a.valid_to is None or at < a.valid_to)
            ),
            None,
        )


@dataclass(kw_only=True)
class Ledger:
    """`LedgerType`: balance in cents, positive while the customer is in credit."""

    ledger_type: str
    name: str
    number: str
    balance: int
    affects_account_balance: bool = True

    @property
    def amount_owed_by_customer(self) -> int:
        """Positive while the customer owes the business."""
        return -self.balance
