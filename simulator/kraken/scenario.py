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

Accounts (an account and a user are served by the instances in their `instances`: "gb" is the
GB endpoint `/v1/graphql/`, "de" the German one `/de/v1/graphql/`):

- ``A-GB000001`` (GB user, OCTOPUS_ENERGY, balance +4250p): Agile-like import (HalfHourlyTariff),
  fixed export (StandardTariff, isExport), gas (GasTariffType); each meter point also has an
  expired agreement, which the API does not return. SmartFlex devices of every kind; its
  property has an Octopus heat pump controller (`heat_pump.py`, served by the backend endpoint
  `/backend/v1/graphql/`).
- ``A-GB000002`` (GB user, OCTOPUS_ENERGY, balance -1875p): DayNightTariff, ThreeRateTariff and
  PrepayTariff meter points.
- ``A-DE000001`` (Germany user, OCTOPUS_ENERGY_GERMANY; German instance, also on the GB
  endpoint): on the German instance (see `germany.py`) an electricity MaLo with a past
  "Intelligent Octopus Go Light" agreement (simple rate) and the current "Intelligent Octopus
  Go" time-of-use agreement (GO 00:00-05:00 local at 15.0654 ct/kWh, STANDARD at 28.2744 ct/kWh
  gross), a gas MaLo (simple rate), ledgers of +95.13 EUR (electricity) and -24.80 EUR (gas), a
  null `balance`, and a SmartFlex vehicle planned for the GO window while plugged in. The GB
  endpoint keeps serving it in the GB shape the simulator always had (an electricity
  StandardTariff and gas, balance = the ledgers' sum), so the integration's GB-only client
  still signs in with this user; those GB-shaped tariffs are that legacy stand-in, not what the
  German API serves.
- ``A-DE000002`` (Germany user; German instance only): a dynamic tariff ("Dynamic Octopus")
  whose `unitRateForecast` lists the quarter hours of today and tomorrow; no devices, so
  `completedDispatches` answers KT-CT-4301; balance +42.00 EUR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import ClassVar
from zoneinfo import ZoneInfo

from .devices import Preferences, SmartDevice, SmartFlexHome, default_home, weekly
from .germany import (
    Agreement as DeAgreement,
    DynamicPrices,
    Ledger,
    MaLo,
    MeLoMeter,
    Product,
    SimpleProductUnitRateInformation,
    TimeOfUseProductUnitRateInformation,
    TimeOfUseTimeslotActivationRule,
    TimeOfUseTimeslotUnitRate,
    gross_information,
)
from .heat_pump import HeatPumpController
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
DE_DYNAMIC_ACCOUNT = "A-DE000002"

GB = "gb"
DE = "de"
"""Instances: the GB endpoint and the German one."""

DE_ELECTRICITY_MALO = "51238696781"
DE_ELECTRICITY_MELO = "DE0005612345600000000000000000001"
DE_GAS_MALO = "51238696792"
DE_GAS_MELO = "DE0005612345600000000000000000002"
DE_DYNAMIC_MALO = "51238696803"
DE_DYNAMIC_MELO = "DE0005612345600000000000000000003"
DE_VEHICLE_ID = "7a2d3e40-0001-4c1b-8d2e-000000000101"
IO_GO_PRODUCT_CODE = "DEU-ELECTRICITY-IO-GO-24"
DE_DYNAMIC_PRODUCT_CODE = "DEU-ELECTRICITY-DYNAMIC-24"

GB_IMPORT_MPAN = "2000012345678"
GB_IMPORT_SERIAL = "21L1234567"
GB_EXPORT_MPAN = "2000098765432"
GB_EXPORT_SERIAL = "21L1234567"
GB_GAS_MPRN = "1234567890"
GB_GAS_SERIAL = "G4A12345"
GB_HOME_MINI_EUI = "00-1D-12-00-00-00-E5-01"
"""The import meter's EUI-64: a Home Mini feeds its live data."""

AGILE_PRODUCT_CODE = "AGILE-24-10-01"
AGILE_TARIFF_CODE = "E-1R-AGILE-24-10-01-C"

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
GB_VAT = 0.05
DE_VAT = 0.19
# The EUID of the GB account's heat pump controller (the format is invented).
GB_HEAT_PUMP_EUID = "00:1e:5e:09:02:4a:7c:31"


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
class SmartMeterDevice:
    """`SmartMeterDeviceType`: a device on a smart meter's home area network.

    `home_mini`: a consumer device (Octopus Home Mini) feeds the meter's live data
    (`simulator.kraken.telemetry`); `throttled`: its telemetry answers KT-GB-4042.
    """

    device_id: str
    type: str = "ESME"
    status: str = "COMMISSIONED"
    serial_number: str = ""
    manufacturer: str = "Simulated Meters Ltd"
    model: str = "SMETS2 ESME"
    firmware_version: str = "4.2.1"
    home_mini: bool = False
    throttled: bool = False
    export_point: str | None = None
    """The MPAN whose export this meter's export register counts (its own property's)."""


@dataclass(kw_only=True)
class Meter:
    """`ElectricityMeterType` / `GasMeterType` (the fields the simulator models)."""

    id: str
    serial_number: str
    smart_devices: list[SmartMeterDevice] = field(default_factory=list)

    @property
    def smart_import_electricity_meter(self) -> SmartMeterDevice | None:
        """`smartImportElectricityMeter`: the meter's own device (ESME), if it is smart."""
        return next((device for device in self.smart_devices if device.type == "ESME"), None)

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

    @property
    def direction(self) -> str:
        """`ElectricityDirection` (2026 API): EXPORT when its tariffs are export tariffs."""
        return "EXPORT" if any(a.tariff.is_export for a in self.all_agreements) else "IMPORT"


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
    electricity_malos: list[MaLo] = field(default_factory=list)
    """German instance: electricity supply points."""
    gas_malos: list[MaLo] = field(default_factory=list)
    """German instance: gas supply points."""
    heat_pump_controllers: list[HeatPumpController] = field(default_factory=list)
    """Octopus heat pump controllers here (served by the GB backend endpoint)."""


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
    balance: int | None = 0
    """Minor currency units; positive means in credit. None: null where the schema allows it
    (the German instance), the ledgers' sum where it does not."""
    ledgers: list[Ledger] | None = None
    overdue_balance: int = 0
    billing_options: BillingOptions = field(default_factory=BillingOptions)
    properties: list[Property] = field(default_factory=list)
    created_at: datetime | None = None
    smartflex: SmartFlexHome = field(default_factory=SmartFlexHome)
    """SmartFlex devices and their dispatches."""
    instances: frozenset[str] = frozenset({GB})
    """The instances that serve this account ("gb", "de")."""

    @property
    def ledger_balance(self) -> int:
        """The sum of the ledgers' balances (0 without ledgers)."""
        return sum(ledger.balance for ledger in self.ledgers or ())

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
    instances: frozenset[str] = frozenset({GB})
    """The instances the user can sign in to."""

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
                heat_pump_controllers=[
                    # Provisioned at the start of the last heating season.
                    HeatPumpController(
                        euid=GB_HEAT_PUMP_EUID, provisioned_at=datetime(2025, 10, 1, tzinfo=UTC)
                    )
                ],
                electricity_meter_points=[
                    ElectricityMeterPoint(
                        id="300001",
                        mpan=GB_IMPORT_MPAN,
                        meters=[
                            Meter(
                                id="400001",
                                serial_number=GB_IMPORT_SERIAL,
                                smart_devices=[
                                    SmartMeterDevice(
                                        device_id=GB_HOME_MINI_EUI,
                                        serial_number=GB_IMPORT_SERIAL,
                                        home_mini=True,
                                        export_point=GB_EXPORT_MPAN,
                                    ),
                                    SmartMeterDevice(
                                        device_id="00-1D-12-00-00-00-C0-01",
                                        type="CHF",
                                        model="Communications hub",
                                    ),
                                ],
                            )
                        ],
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
                meters=[
                    Meter(
                        id=f"40001{index}",
                        serial_number=f"22K00000{index}",
                        # A smart meter without a Home Mini: no live data.
                        smart_devices=[
                            SmartMeterDevice(device_id=f"00-1D-12-00-00-00-A0-0{index}")
                        ],
                    )
                ],
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


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _de_simple(net: str, since: date) -> SimpleProductUnitRateInformation:
    value = Decimal(net).quantize(Decimal("0.0001"))
    return SimpleProductUnitRateInformation(
        net_unit_rate_cents_per_kwh=value, gross_rate_information=gross_information(value, since)
    )


def _de_timeslot(
    name: str, net: str, since: date, *windows: tuple[time, time]
) -> TimeOfUseTimeslotUnitRate:
    value = Decimal(net).quantize(Decimal("0.0001"))
    return TimeOfUseTimeslotUnitRate(
        timeslot_name=name,
        timeslot_activation_rules=[
            TimeOfUseTimeslotActivationRule(active_from_time=start, active_to_time=end)
            for start, end in windows
        ],
        net_unit_rate_cents_per_kwh=value,
        gross_rate_information=gross_information(value, since),
    )


def _de_vehicle() -> SmartDevice:
    """A car under Intelligent Octopus Go: plugged in at home, so it waits for the GO window."""
    return SmartDevice(
        id=DE_VEHICLE_ID,
        device_type="ELECTRIC_VEHICLES",
        provider="ENODE",
        name="Familienauto",
        make="Volkswagen",
        model="ID.4",
        integration_device_id="WVWZZZE1ZPP000001",
        # A VW ID.4 reports no SoC limit (thecem/octopus_germany release notes 0.0.95).
        upper_soc_limit=None,
        battery_size=Decimal("77.0"),
        charge_point_power_kw=Decimal("11.0"),
        state_of_charge=Decimal("54"),
        preferences=Preferences(
            "CHARGE", "ABSOLUTE_STATE_OF_CHARGE", "PERCENTAGE", weekly(time(7, 0), 80.0)
        ),
    )


def _de_io_go_account() -> Account:
    """A-DE000001: Intelligent Octopus Go (time of use) after IO Go Light, plus gas and a car.

    Products, rates and validity dates are those of the real export in thecem/octopus_energy_de
    `tests/fixtures/mein_tarif.json` (kraken_de.md section 3.3): IO Go Light at 23.7762 ct/kWh
    gross, then IO Go with GO 00:00-05:00 at 15.0654 and STANDARD 05:00-00:00 at 28.2744 ct/kWh
    gross (net 12.66 and 23.76 at 19 % VAT). The current agreement runs for the product's 24
    months instead of the export's date. Standing charges and gas are our own, plausible values.
    """
    light_from = _utc("2024-12-22T23:00:00+00:00")
    go_from = _utc("2025-06-30T22:00:00+00:00")
    light = DeAgreement(
        id="810001",
        product=Product(
            code="DEU-ELECTRICITY-IO-GO-LIGHT-24",
            full_name="Intelligent Octopus Go Light 24",
            display_name="Intelligent Octopus Go Light",
            description=(
                "Interim IO Go tariff with 24 months price guarantee, for customers waiting "
                "for us to connect to their smart meter"
            ),
        ),
        valid_from=light_from,
        valid_to=go_from,
        net_monthly_standing_charge=Decimal("10.9200"),
        standing_charge_since=date(2024, 12, 23),
        fixed_rates=_de_simple("19.98", date(2024, 12, 23)),
    )
    go_since = date(2025, 7, 1)
    go = DeAgreement(
        id="810002",
        product=Product(
            code=IO_GO_PRODUCT_CODE,
            full_name="Intelligent Octopus Go 24",
            display_name="Intelligent Octopus Go",
            description="Intelligent Octopus Go with 24 months price guarantee",
            is_time_of_use=True,
        ),
        valid_from=go_from,
        valid_to=_utc("2027-06-30T22:00:00+00:00"),
        net_monthly_standing_charge=Decimal("11.5000"),
        standing_charge_since=go_since,
        fixed_rates=TimeOfUseProductUnitRateInformation(
            rates=[
                _de_timeslot("GO", "12.66", go_since, (time(0), time(5))),
                _de_timeslot("STANDARD", "23.76", go_since, (time(5), time(0))),
            ]
        ),
    )
    gas_since = date(2024, 1, 1)
    gas = DeAgreement(
        id="820001",
        product=Product(
            code="DEU-GAS-SELECT-24",
            full_name="OctopusSelect Gas",
            display_name="OctopusSelect Gas",
            description="Gas with 24 months price guarantee",
        ),
        valid_from=_utc("2023-12-31T23:00:00+00:00"),
        valid_to=_utc("2027-12-31T23:00:00+00:00"),
        net_monthly_standing_charge=Decimal("9.5000"),
        standing_charge_since=gas_since,
        fixed_rates=_de_simple("8.30", gas_since),
    )
    return Account(
        id="3",
        number=DE_ACCOUNT,
        brand="OCTOPUS_ENERGY_GERMANY",
        balance=None,
        ledgers=[
            Ledger(
                ledger_type="ELECTRICITY_LEDGER", name="Strom", number="L-DE000001E", balance=9513
            ),
            Ledger(ledger_type="GAS_LEDGER", name="Gas", number="L-DE000001G", balance=-2480),
        ],
        created_at=_local(2024, 1, 1, BERLIN),
        instances=frozenset({GB, DE}),
        smartflex=SmartFlexHome(
            devices=[_de_vehicle()],
            timezone=BERLIN,
            night_start=time(0),
            night_end=time(5),
        ),
        properties=[
            Property(
                id="200001",
                postcode="10115",
                address="Simulatorstraße 1, 10115 Berlin",
                electricity_malos=[
                    MaLo(
                        id="600001",
                        malo_number=DE_ELECTRICITY_MALO,
                        meters=[
                            MeLoMeter(
                                id="700001",
                                number="1ESY1160000001",
                                melo_number=DE_ELECTRICITY_MELO,
                                meter_type="IMS",
                                should_receive_smart_meter_data=True,
                                has_smart_meter_gateway=True,
                            )
                        ],
                        agreements=[light, go],
                    )
                ],
                gas_malos=[
                    MaLo(
                        id="610001",
                        malo_number=DE_GAS_MALO,
                        meters=[
                            MeLoMeter(id="710001", number="7ELS8150000001", melo_number=DE_GAS_MELO)
                        ],
                        agreements=[gas],
                    )
                ],
                # The GB endpoint's legacy stand-in (see the module docstring).
                electricity_meter_points=[
                    ElectricityMeterPoint(
                        id="600001",
                        mpan=DE_ELECTRICITY_MALO,
                        gsp_group_id=None,
                        profile_class=None,
                        meters=[Meter(id="700001", serial_number="1ESY1160000001")],
                        all_agreements=[
                            ElectricityAgreement(
                                id=800001,
                                valid_from=_local(2024, 1, 1, BERLIN),
                                valid_to=_local(2035, 1, 1, BERLIN),
                                tariff=_standard(
                                    id="3000",
                                    name="Octopus 12M Fix",
                                    product="OE-FIX-12M-DE",
                                    tariff="E-1R-OE-FIX-12M-DE",
                                    unit_rate=28.5,
                                    standing=45.0,
                                    vat=DE_VAT,
                                ),
                            )
                        ],
                    )
                ],
                gas_meter_points=[
                    GasMeterPoint(
                        id="610001",
                        mprn=DE_GAS_MALO,
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
                                tariff=_gas(
                                    id="3001",
                                    name="Octopus Gas 12M Fix",
                                    product="OE-GAS-FIX-12M-DE",
                                    tariff="G-1R-OE-GAS-FIX-12M-DE",
                                    unit_rate=9.8,
                                    standing=38.0,
                                    vat=DE_VAT,
                                ),
                            )
                        ],
                    )
                ],
            )
        ],
    )


def _de_dynamic_account() -> Account:
    """A-DE000002: a dynamic tariff with a quarter-hourly forecast; no devices."""
    since = date(2025, 10, 1)
    dynamic = DeAgreement(
        id="830001",
        product=Product(
            code=DE_DYNAMIC_PRODUCT_CODE,
            full_name="Dynamic Octopus 24",
            display_name="Dynamic Octopus",
            description="Prices that follow the day-ahead market, quarter hour by quarter hour",
            is_time_of_use=True,
        ),
        valid_from=_utc("2025-09-30T22:00:00+00:00"),
        valid_to=None,
        net_monthly_standing_charge=Decimal("11.0000"),
        standing_charge_since=since,
        dynamic=DynamicPrices(seed=DE_DYNAMIC_PRODUCT_CODE, since=since),
    )
    return Account(
        id="4",
        number=DE_DYNAMIC_ACCOUNT,
        brand="OCTOPUS_ENERGY_GERMANY",
        balance=4200,
        ledgers=[
            Ledger(
                ledger_type="ELECTRICITY_LEDGER", name="Strom", number="L-DE000002E", balance=4200
            )
        ],
        created_at=_local(2025, 9, 1, BERLIN),
        instances=frozenset({DE}),
        smartflex=SmartFlexHome(timezone=BERLIN, night_start=time(0), night_end=time(5)),
        properties=[
            Property(
                id="200002",
                postcode="20095",
                address="Simulatorweg 2, 20095 Hamburg",
                electricity_malos=[
                    MaLo(
                        id="600002",
                        malo_number=DE_DYNAMIC_MALO,
                        meters=[
                            MeLoMeter(
                                id="700002",
                                number="1ESY1160000002",
                                melo_number=DE_DYNAMIC_MELO,
                                meter_type="IMS",
                                should_receive_smart_meter_data=True,
                                has_smart_meter_gateway=True,
                            )
                        ],
                        agreements=[dynamic],
                    )
                ],
            )
        ],
    )


def _de_user() -> User:
    return User(
        id="9002",
        email=DE_EMAIL,
        api_key=DE_API_KEY,
        password=PASSWORD,
        given_name="Dana",
        family_name="Deutsch",
        accounts=[_de_io_go_account(), _de_dynamic_account()],
        instances=frozenset({GB, DE}),
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
