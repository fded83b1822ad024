"""The Kraken scenario: users, accounts, properties, meter points, agreements and tariffs.

Everything is a plain mutable dataclass; tests may change any of it while the simulator runs.
Attribute names are the snake_case form of the GraphQL field names they serve (a field the
scenario has no attribute for resolves to null).

Simulator-only credentials (they work nowhere else):

=================  ===========================  ==================  =================
User               API key                      Email               Password
=================  ===========================  ==================  =================
GB                 ``sk_live_gb_simulator``     ``gb@example.com``  ``simulator``
Germany            ``sk_live_de_simulator``     ``de@example.com``  ``simulator``
No accounts        ``sk_live_empty_simulator``  (none)              (none)
=================  ===========================  ==================  =================

Accounts:

- ``A-GB000001`` (GB user, OCTOPUS_ENERGY, balance +4250p): Agile-like import (HalfHourlyTariff),
  fixed export (StandardTariff, isExport), gas (GasTariffType); each meter point also has an
  expired agreement, which the API does not return.
- ``A-GB000002`` (GB user, OCTOPUS_ENERGY, balance -1875p): DayNightTariff, ThreeRateTariff and
  PrepayTariff meter points.
- ``A-DE000001`` (Germany user, OCTOPUS_ENERGY_GERMANY, values in euro cents): electricity
  StandardTariff and gas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from .devices import SmartFlexHome, default_home
from .rates import (
    UnitRatePeriod,
    half_hourly_pre_vat_rate,
    iter_half_hours,
    local_midnight,
    local_slot,
    with_vat,
    without_vat,
)

GB_API_KEY = "sk_live_gb_simulator"
GB_EMAIL = "gb@example.com"
DE_API_KEY = "sk_live_de_simulator"
DE_EMAIL = "de@example.com"
EMPTY_API_KEY = "sk_live_empty_simulator"
PASSWORD = "simulator"

GB_ACCOUNT = "A-GB000001"
GB_MULTI_RATE_ACCOUNT = "A-GB000002"
DE_ACCOUNT = "A-DE000001"

GB_IMPORT_MPAN = "2000012345678"
GB_IMPORT_SERIAL = "21L1234567"
GB_EXPORT_MPAN = "2000098765432"
GB_EXPORT_SERIAL = "21L1234567"
GB_GAS_MPRN = "1234567890"
GB_GAS_SERIAL = "G4A12345"

AGILE_PRODUCT_CODE = "AGILE-24-10-01"
AGILE_TARIFF_CODE = "E-1R-AGILE-24-10-01-C"

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
GB_VAT = 0.05
DE_VAT = 0.19


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True)
class Tariff:
    """Fields every tariff type shares."""

    graphql_type: ClassVar[str]

    id: str
    display_name: str
    full_name: str
    description: str = ""
    product_code: str
    tariff_code: str
    is_export: bool = False
    standing_charge: float
    pre_vat_standing_charge: float


@dataclass(kw_only=True)
class StandardTariff(Tariff):
    """Single-rate electricity tariff (import or export)."""

    graphql_type: ClassVar[str] = "StandardTariff"

    unit_rate: float
    pre_vat_unit_rate: float
    unit_rate_epg_applied: bool = False


@dataclass(kw_only=True)
class DayNightTariff(Tariff):
    """Economy 7 style tariff."""

    graphql_type: ClassVar[str] = "DayNightTariff"

    day_rate: float
    night_rate: float
    pre_vat_day_rate: float
    pre_vat_night_rate: float
    day_rate_epg_applied: bool = False
    night_rate_epg_applied: bool = False


@dataclass(kw_only=True)
class ThreeRateTariff(Tariff):
    """Three-register time-of-use tariff."""

    graphql_type: ClassVar[str] = "ThreeRateTariff"

    day_rate: float
    night_rate: float
    off_peak_rate: float
    pre_vat_day_rate: float
    pre_vat_night_rate: float
    pre_vat_off_peak_rate: float
    day_rate_epg_applied: bool = False
    night_rate_epg_applied: bool = False
    off_peak_rate_epg_applied: bool = False


@dataclass
class AgileCalculationInfo:
    """How the Agile prices are derived (informational)."""

    gsp_coefficient: float = 2.2
    peak_offset: float = 12.0
    price_cap: float = 100.0


@dataclass(kw_only=True)
class HalfHourlyTariff(Tariff):
    """Agile-like tariff whose prices change every half hour (see `simulator.kraken.rates`)."""

    graphql_type: ClassVar[str] = "HalfHourlyTariff"

    agile_calculation_info: AgileCalculationInfo = field(default_factory=AgileCalculationInfo)
    timezone: ZoneInfo = LONDON
    vat: float = GB_VAT
    rate_seed: str = AGILE_TARIFF_CODE

    def rate_at(self, at: datetime) -> UnitRatePeriod:
        """The unit rate of the half hour containing the aware datetime `at`."""
        start = at.astimezone(UTC)
        start = start.replace(minute=start.minute - start.minute % 30, second=0, microsecond=0)
        day, slot = local_slot(start, self.timezone)
        pre_vat = half_hourly_pre_vat_rate(
            day,
            slot,
            seed=self.rate_seed,
            price_cap=self.agile_calculation_info.price_cap,
            vat=self.vat,
        )
        return UnitRatePeriod(
            start, start + timedelta(minutes=30), with_vat(pre_vat, self.vat), pre_vat
        )

    def periods(self, first_day: date, last_day: date) -> list[UnitRatePeriod]:
        """Every half hour from local midnight of `first_day` to the end of `last_day`."""
        start = local_midnight(first_day, self.timezone)
        end = local_midnight(last_day + timedelta(days=1), self.timezone)
        return [self.rate_at(at) for at in iter_half_hours(start, end)]


@dataclass(kw_only=True)
class PrepayTariff(Tariff):
    """Prepayment electricity tariff."""

    graphql_type: ClassVar[str] = "PrepayTariff"

    unit_rate: float
    pre_vat_unit_rate: float


@dataclass(kw_only=True)
class GasTariff(Tariff):
    """Gas tariff (`GasTariffType`)."""

    graphql_type: ClassVar[str] = "GasTariffType"

    unit_rate: float
    pre_vat_unit_rate: float
    unit_rate_epg_applied: bool = False


ElectricityTariff = (
    StandardTariff | DayNightTariff | ThreeRateTariff | HalfHourlyTariff | PrepayTariff
)


@dataclass(kw_only=True)
class Agreement:
    """A tariff on a meter point for [valid_from, valid_to)."""

    id: int
    valid_from: datetime
    valid_to: datetime | None = None
    agreed_from: datetime | None = None
    agreed_to: datetime | None = None
    is_revoked: bool = False

    def is_current_or_future(self, now: datetime) -> bool:
        """Not expired (what the API's `agreements` field returns by default)."""
        return self.valid_to is None or self.valid_to > now


@dataclass(kw_only=True)
class ElectricityAgreement(Agreement):
    """`ElectricityAgreementType`."""

    tariff: ElectricityTariff


@dataclass(kw_only=True)
class GasAgreement(Agreement):
    """`GasAgreementType`."""

    tariff: GasTariff


@dataclass(kw_only=True)
class Meter:
    """`ElectricityMeterType` / `GasMeterType` (the fields the simulator models)."""

    id: str
    serial_number: str
    node_id: str | None = None
    is_digital: bool = True
    has_and_allows_hh_readings: bool = True
    consumption_units: str = "kWh"


@dataclass(kw_only=True)
class ElectricityMeterPoint:
    """`ElectricityMeterPointType`."""

    id: str
    mpan: str
    meters: list[Meter] = field(default_factory=list)
    all_agreements: list[ElectricityAgreement] = field(default_factory=list)
    gsp_group_id: str | None = "_C"
    profile_class: int | None = 1
    status: str | None = "ON_SUPPLY"


@dataclass(kw_only=True)
class GasMeterPoint:
    """`GasMeterPointType`."""

    id: str
    mprn: str
    meters: list[Meter] = field(default_factory=list)
    all_agreements: list[GasAgreement] = field(default_factory=list)
    ldz: str = "SE"
    status: str | None = "ON_SUPPLY"


@dataclass(kw_only=True)
class Property:
    """`PropertyType`."""

    id: str
    postcode: str
    address: str = ""
    electricity_meter_points: list[ElectricityMeterPoint] = field(default_factory=list)
    gas_meter_points: list[GasMeterPoint] = field(default_factory=list)


@dataclass(kw_only=True)
class BillingOptions:
    """`BillingOptionsType`: monthly periods starting on `period_start_day`, relative to now."""

    period_start_day: int = 1
    is_fixed: bool = True
    period_length: str = "MONTHLY"
    period_length_multiplier: int = 1
    flexible: bool = False

    @property
    def current_billing_period_start_date(self) -> date:
        """Start of the billing period containing today (UTC)."""
        today = _now().date()
        start = today.replace(day=self.period_start_day)
        if start > today:
            start = (start - timedelta(days=28)).replace(day=self.period_start_day)
        return start

    @property
    def current_billing_period_end_date(self) -> date:
        """Last day of the current billing period."""
        return self.next_period_start - timedelta(days=1)

    @property
    def next_period_start(self) -> date:
        """First day of the next billing period."""
        start = self.current_billing_period_start_date
        return (start + timedelta(days=32)).replace(day=self.period_start_day)

    @property
    def next_billing_date(self) -> date | None:
        """Null on flexible billing, else the day the next period starts."""
        return None if self.flexible else self.next_period_start


@dataclass(kw_only=True)
class Account:
    """`AccountType`."""

    id: str
    number: str
    brand: str
    status: str = "ACTIVE"
    account_type: str = "DOMESTIC"
    balance: int = 0
    """Minor currency units; positive means in credit."""
    overdue_balance: int = 0
    billing_options: BillingOptions = field(default_factory=BillingOptions)
    properties: list[Property] = field(default_factory=list)
    created_at: datetime | None = None
    smartflex: SmartFlexHome = field(default_factory=SmartFlexHome)
    """SmartFlex devices and their dispatches."""

    @property
    def electricity_agreements(self) -> list[ElectricityAgreement]:
        """Every electricity agreement on the account's meter points."""
        return [
            agreement
            for prop in self.properties
            for point in prop.electricity_meter_points
            for agreement in point.all_agreements
        ]

    @property
    def gas_agreements(self) -> list[GasAgreement]:
        """Every gas agreement on the account's meter points."""
        return [
            agreement
            for prop in self.properties
            for point in prop.gas_meter_points
            for agreement in point.all_agreements
        ]


@dataclass(kw_only=True)
class User:
    """`AccountUserType` plus the user's credentials."""

    id: str
    email: str
    api_key: str
    password: str | None = None
    given_name: str = "Sim"
    family_name: str = "User"
    mobile: str = ""
    landline: str = ""
    is_deceased: bool = False
    accounts: list[Account] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        """Given and family name."""
        return f"{self.given_name} {self.family_name}"

    @property
    def preferred_name(self) -> str:
        """The given name."""
        return self.given_name

    @property
    def live_secret_key(self) -> str:
        """The user's API key."""
        return self.api_key


@dataclass
class Scenario:
    """All users (and through them, all accounts)."""

    users: list[User] = field(default_factory=list)

    def user_by_api_key(self, api_key: str) -> User | None:
        """The user owning this API key."""
        return next((user for user in self.users if user.api_key == api_key), None)

    def user_by_email(self, email: str) -> User | None:
        """The user with this email address (case-insensitive)."""
        return next(
            (user for user in self.users if user.email.lower() == email.lower()),
            None,
        )

    def user_by_id(self, user_id: str) -> User | None:
        """The user with this id."""
        return next((user for user in self.users if user.id == user_id), None)

    def account(self, number: str) -> Account:
        """The account with this number (KeyError if none)."""
        for user in self.users:
            for account in user.accounts:
                if account.number == number:
                    return account
        raise KeyError(number)

    def half_hourly_tariff(self, account_number: str = GB_ACCOUNT) -> HalfHourlyTariff:
        """The current half-hourly import tariff of an account."""
        for agreement in self.account(account_number).electricity_agreements:
            if isinstance(agreement.tariff, HalfHourlyTariff) and agreement.valid_to is None:
                return agreement.tariff
        raise KeyError(account_number)


def _local(year: int, month: int, day: int, tz: ZoneInfo = LONDON) -> datetime:
    return datetime(year, month, day, tzinfo=tz)


def _standard(
    *,
    id: str,  # noqa: A002
    name: str,
    product: str,
    tariff: str,
    unit_rate: float,
    standing: float,
    vat: float = GB_VAT,
    is_export: bool = False,
) -> StandardTariff:
    return StandardTariff(
        id=id,
        display_name=name,
        full_name=f"{name} ({product})",
        product_code=product,
        tariff_code=tariff,
        is_export=is_export,
        unit_rate=unit_rate,
        pre_vat_unit_rate=unit_rate if is_export else without_vat(unit_rate, vat),
        standing_charge=standing,
        pre_vat_standing_charge=without_vat(standing, vat),
    )


def _gas(
    *,
    id: str,  # noqa: A002
    name: str,
    product: str,
    tariff: str,
    unit_rate: float,
    standing: float,
    vat: float = GB_VAT,
) -> GasTariff:
    return GasTariff(
        id=id,
        display_name=name,
        full_name=f"{name} ({product})",
        product_code=product,
        tariff_code=tariff,
        unit_rate=unit_rate,
        pre_vat_unit_rate=without_vat(unit_rate, vat),
        standing_charge=standing,
        pre_vat_standing_charge=without_vat(standing, vat),
    )


def _agile() -> HalfHourlyTariff:
    return HalfHourlyTariff(
        id="1001",
        display_name="Agile Octopus",
        full_name="Agile Octopus October 2024 v1",
        description="Half-hourly prices that follow the wholesale market.",
        product_code=AGILE_PRODUCT_CODE,
        tariff_code=AGILE_TARIFF_CODE,
        standing_charge=47.85,
        pre_vat_standing_charge=without_vat(47.85),
    )


def _gb_user() -> User:
    flexible_elec = _standard(
        id="1000",
        name="Flexible Octopus",
        product="VAR-22-11-01",
        tariff="E-1R-VAR-22-11-01-C",
        unit_rate=24.5,
        standing=46.36,
    )
    export = _standard(
        id="1002",
        name="Outgoing Octopus Fixed",
        product="OUTGOING-FIX-12M-19-05-13",
        tariff="E-1R-OUTGOING-FIX-12M-19-05-13-C",
        unit_rate=15.0,
        standing=0.0,
        is_export=True,
    )
    old_export = _standard(
        id="1003",
        name="Outgoing Octopus",
        product="OUTGOING-VAR-24-10-26",
        tariff="E-1R-OUTGOING-VAR-24-10-26-C",
        unit_rate=12.0,
        standing=0.0,
        is_export=True,
    )
    gas = _gas(
        id="2000",
        name="Flexible Octopus",
        product="VAR-22-11-01",
        tariff="G-1R-VAR-22-11-01-C",
        unit_rate=6.5,
        standing=31.4,
    )
    old_gas = _gas(
        id="2001",
        name="Octopus 12M Fixed",
        product="OE-FIX-12M-23-09-01",
        tariff="G-1R-OE-FIX-12M-23-09-01-C",
        unit_rate=7.1,
        standing=29.6,
    )
    account1 = Account(
        id="1",
        number=GB_ACCOUNT,
        brand="OCTOPUS_ENERGY",
        balance=4250,
        created_at=_local(2023, 9, 1),
        smartflex=default_home(),
        properties=[
            Property(
                id="100001",
                postcode="SW1A 1AA",
                address="1 Simulator Street, London",
                electricity_meter_points=[
                    ElectricityMeterPoint(
                        id="300001",
                        mpan=GB_IMPORT_MPAN,
                        meters=[Meter(id="400001", serial_number=GB_IMPORT_SERIAL)],
                        all_agreements=[
                            ElectricityAgreement(
                                id=500001,
                                valid_from=_local(2023, 10, 1),
                                valid_to=_local(2024, 10, 1),
                                tariff=flexible_elec,
                            ),
                            ElectricityAgreement(
                                id=500002, valid_from=_local(2024, 10, 1), tariff=_agile()
                            ),
                        ],
                    ),
                    ElectricityMeterPoint(
                        id="300002",
                        mpan=GB_EXPORT_MPAN,
                        meters=[Meter(id="400002", serial_number=GB_EXPORT_SERIAL)],
                        all_agreements=[
                            ElectricityAgreement(
                                id=500003,
                                valid_from=_local(2023, 10, 1),
                                valid_to=_local(2024, 10, 1),
                                tariff=old_export,
                            ),
                            ElectricityAgreement(
                                id=500004,
                                valid_from=_local(2024, 10, 1),
                                valid_to=_local(2035, 10, 1),
                                tariff=export,
                            ),
                        ],
                    ),
                ],
                gas_meter_points=[
                    GasMeterPoint(
                        id="310001",
                        mprn=GB_GAS_MPRN,
                        meters=[
                            Meter(id="410001", serial_number=GB_GAS_SERIAL, consumption_units="m³")
                        ],
                        all_agreements=[
                            GasAgreement(
                                id=510001,
                                valid_from=_local(2023, 9, 1),
                                valid_to=_local(2024, 9, 1),
                                tariff=old_gas,
                            ),
                            GasAgreement(id=510002, valid_from=_local(2024, 9, 1), tariff=gas),
                        ],
                    )
                ],
            )
        ],
    )
    day_night = DayNightTariff(
        id="1010",
        display_name="Flexible Octopus Economy 7",
        full_name="Flexible Octopus Economy 7 (VAR-22-11-01)",
        product_code="VAR-22-11-01",
        tariff_code="E-2R-VAR-22-11-01-C",
        standing_charge=45.2,
        pre_vat_standing_charge=without_vat(45.2),
        day_rate=30.0,
        night_rate=12.0,
        pre_vat_day_rate=without_vat(30.0),
        pre_vat_night_rate=without_vat(12.0),
    )
    three_rate = ThreeRateTariff(
        id="1011",
        display_name="Octopus Cosy",
        full_name="Cosy Octopus (COSY-22-12-08)",
        product_code="COSY-22-12-08",
        tariff_code="E-3R-COSY-22-12-08-C",
        standing_charge=48.1,
        pre_vat_standing_charge=without_vat(48.1),
        day_rate=32.0,
        night_rate=14.0,
        off_peak_rate=20.0,
        pre_vat_day_rate=without_vat(32.0),
        pre_vat_night_rate=without_vat(14.0),
        pre_vat_off_peak_rate=without_vat(20.0),
    )
    prepay = PrepayTariff(
        id="1012",
        display_name="Flexible Octopus Prepay",
        full_name="Flexible Octopus Prepay (PREPAY-VAR-22-11-01)",
        product_code="PREPAY-VAR-22-11-01",
        tariff_code="E-1R-PREPAY-VAR-22-11-01-C",
        standing_charge=53.0,
        pre_vat_standing_charge=without_vat(53.0),
        unit_rate=24.5,
        pre_vat_unit_rate=without_vat(24.5),
    )
    points = []
    multi_rate: list[tuple[str, ElectricityTariff]] = [
        ("2000011111111", day_night),
        ("2000022222222", three_rate),
        ("2000033333333", prepay),
    ]
    for index, (mpan, tariff) in enumerate(multi_rate):
        points.append(
            ElectricityMeterPoint(
                id=f"30001{index}",
                mpan=mpan,
                meters=[Meter(id=f"40001{index}", serial_number=f"22K00000{index}")],
                all_agreements=[
                    ElectricityAgreement(
                        id=500010 + index, valid_from=_local(2024, 4, 1), tariff=tariff
                    )
                ],
            )
        )
    account2 = Account(
        id="2",
        number=GB_MULTI_RATE_ACCOUNT,
        brand="OCTOPUS_ENERGY",
        balance=-1875,
        created_at=_local(2024, 3, 15),
        billing_options=BillingOptions(period_start_day=15),
        properties=[
            Property(
                id="100002",
                postcode="M1 1AE",
                address="2 Simulator Road, Manchester",
                electricity_meter_points=points,
            )
        ],
    )
    return User(
        id="9001",
        email=GB_EMAIL,
        api_key=GB_API_KEY,
        password=PASSWORD,
        given_name="Grace",
        family_name="Briton",
        accounts=[account1, account2],
    )


def _de_user() -> User:
    electricity = _standard(
        id="3000",
        name="Octopus 12M Fix",
        product="OE-FIX-12M-DE",
        tariff="E-1R-OE-FIX-12M-DE",
        unit_rate=28.5,
        standing=45.0,
        vat=DE_VAT,
    )
    gas = _gas(
        id="3001",
        name="Octopus Gas 12M Fix",
        product="OE-GAS-FIX-12M-DE",
        tariff="G-1R-OE-GAS-FIX-12M-DE",
        unit_rate=9.8,
        standing=38.0,
        vat=DE_VAT,
    )
    account = Account(
        id="3",
        number=DE_ACCOUNT,
        brand="OCTOPUS_ENERGY_GERMANY",
        balance=-1520,
        created_at=_local(2024, 1, 1, BERLIN),
        properties=[
            Property(
                id="200001",
                postcode="10115",
                address="Simulatorstraße 1, Berlin",
                electricity_meter_points=[
                    ElectricityMeterPoint(
                        id="600001",
                        mpan="51238696781",
                        gsp_group_id=None,
                        profile_class=None,
                        meters=[Meter(id="700001", serial_number="1ESY1160000001")],
                        all_agreements=[
                            ElectricityAgreement(
                                id=800001,
                                valid_from=_local(2024, 1, 1, BERLIN),
                                valid_to=_local(2035, 1, 1, BERLIN),
                                tariff=electricity,
                            )
                        ],
                    )
                ],
                gas_meter_points=[
                    GasMeterPoint(
                        id="610001",
                        mprn="51238696792",
                        ldz="",
                        meters=[
                            Meter(
                                id="710001", serial_number="7ELS8150000001", consumption_units="m³"
                            )
                        ],
                        all_agreements=[
                            GasAgreement(
                                id=810001,
                                valid_from=_local(2024, 1, 1, BERLIN),
                                valid_to=_local(2035, 1, 1, BERLIN),
                                tariff=gas,
                            )
                        ],
                    )
                ],
            )
        ],
    )
    return User(
        id="9002",
        email=DE_EMAIL,
        api_key=DE_API_KEY,
        password=PASSWORD,
        given_name="Dana",
        family_name="Deutsch",
        accounts=[account],
    )


def default_scenario() -> Scenario:
    """A fresh copy of the standard scenario."""
    empty = User(
        id="9003",
        email="empty@example.com",
        api_key=EMPTY_API_KEY,
        given_name="Emmy",
        family_name="Empty",
    )
    return Scenario(users=[_gb_user(), _de_user(), empty])


def expected_unit_rate(at: datetime, tariff: HalfHourlyTariff | None = None) -> UnitRatePeriod:
    """The unit rate the simulator serves for the half hour containing `at` (default: Agile)."""
    return (tariff or _agile()).rate_at(at)
