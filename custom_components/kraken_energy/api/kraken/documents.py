"""The GraphQL the client sends, written once as selection trees for every Kraken dialect.

`selection.compose` renders a tree for one instance: fields, arguments and fragments the
instance lacks are left out, so a GB schema of 2024 or 2026 and the German instance are read
by the same trees. Inputs are GraphQL variables, never formatted into the text.

Where the dialects differ (public sources, see README "Suppliers"):
- GB meter points hang from `properties.electricityMeterPoints` (MPAN) with tariffs of a
  union of rate structures; the German instance has `allProperties.electricityMalos`
  (market locations, MaLo) with agreements carrying `unitRateInformation` in ct/kWh strings
  and a monthly standing charge, and the balance in `ledgers`.
- Since 2025 planned dispatches are per device (`flexPlannedDispatches(deviceId:)`); the
  account-wide `plannedDispatches(accountNumber:)` survives only on older schemas.
"""

from __future__ import annotations

from . import telemetry
from .schema import Capabilities
from .selection import F, On, f, fields, on, walk_types

OBTAIN_TOKEN = """
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) {
    token
    payload
    refreshToken
    refreshExpiresIn
  }
}
"""

ACCOUNT_NUMBER = {"accountNumber": "$accountNumber"}

VIEWER_ACCOUNTS: tuple[F | On, ...] = (
    f(
        "viewer",
        f("accounts", F("number", required=True), *fields("brand", "status"), required=True),
        required=True,
    ),
)

# --- accounts, GB shape ---------------------------------------------------------------------

_TARIFF_COMMON = fields(
    "id",
    "displayName",
    "fullName",
    "productCode",
    "tariffCode",
    "isExport",
    "standingCharge",
    "preVatStandingCharge",
)
_UNIT_RATE = fields("unitRate", "preVatUnitRate")

_ELECTRICITY_TARIFF = f(
    "tariff",
    F("__typename"),
    on("StandardTariff", *_TARIFF_COMMON, *_UNIT_RATE),
    on(
        "DayNightTariff",
        *_TARIFF_COMMON,
        *fields("dayRate", "nightRate", "preVatDayRate", "preVatNightRate"),
    ),
    on(
        "ThreeRateTariff",
        *_TARIFF_COMMON,
        *fields(
            "dayRate",
            "nightRate",
            "offPeakRate",
            "preVatDayRate",
            "preVatNightRate",
            "preVatOffPeakRate",
        ),
    ),
    on(
        "HalfHourlyTariff",
        *_TARIFF_COMMON,
        f(
            "unitRates",
            *fields("validFrom", "validTo", "value", "preVatValue"),
            include_if="includeRates",
        ),
    ),
    on("PrepayTariff", *_TARIFF_COMMON, *_UNIT_RATE),
)

_GAS_TARIFF = f("tariff", F("__typename"), *_TARIFF_COMMON, *_UNIT_RATE)

_METERS = f("meters", *fields("id", "serialNumber"))
# Electricity meters with their smart devices: a meter's EUI-64 is what live data is asked by.
_ELECTRICITY_METERS = f("meters", *fields("id", "serialNumber"), *telemetry.SMART_DEVICES)

_GB_PROPERTIES = f(
    "properties",
    *fields("id", "postcode"),
    f(
        "electricityMeterPoints",
        *fields("id", "mpan", "direction"),
        _ELECTRICITY_METERS,
        f("agreements", *fields("id", "validFrom", "validTo"), _ELECTRICITY_TARIFF),
    ),
    f(
        "gasMeterPoints",
        *fields("id", "mprn"),
        _METERS,
        f("agreements", *fields("id", "validFrom", "validTo"), _GAS_TARIFF),
    ),
)

# --- accounts, German shape -----------------------------------------------------------------

_GROSS_RATES = f("grossRateInformation", *fields("date", "grossRate", "vatRate", "rateValidToDate"))
_RATE_VALUES = (*fields("netUnitRateCentsPerKwh", "latestGrossUnitRateCentsPerKwh"), _GROSS_RATES)
_UNIT_RATE_INFORMATION = f(
    "unitRateInformation",
    F("__typename"),
    on("SimpleProductUnitRateInformation", *_RATE_VALUES),
    on(
        "TimeOfUseProductUnitRateInformation",
        f(
            "rates",
            F("timeslotName"),
            f("timeslotActivationRules", *fields("activeFromTime", "activeToTime")),
            *_RATE_VALUES,
        ),
    ),
)
_MALO_AGREEMENTS = f(
    "agreements",
    *fields("id", "validFrom", "validTo", "isActive", "netMonthlyStandingCharge"),
    f("product", *fields("code", "displayName", "fullName", "isTimeOfUse")),
    f("standingChargeGrossRateInformation", *fields("date", "grossRate", "vatRate")),
    _UNIT_RATE_INFORMATION,
    # Asked every time: only dynamic agreements have one, and it says the agreement is dynamic.
    f("unitRateForecast", *fields("validFrom", "validTo"), _UNIT_RATE_INFORMATION),
)
_MALOS = (
    *fields("id", "maloNumber"),
    f("meters", *fields("id", "number", "meloNumber")),
    _MALO_AGREEMENTS,
)
_DE_PROPERTIES = f(
    "allProperties",
    *fields("id", "postcode"),
    f("electricityMalos", *_MALOS),
    f("gasMalos", *_MALOS),
)

# Account, balance, meter points and agreements in one request; the half-hourly (or
# quarter-hourly) rates ride along only when the caller says they are due ($includeRates).
ACCOUNT: tuple[F | On, ...] = (
    f(
        "account",
        F("number", required=True),
        *fields("status", "brand"),
        f("balance", optional_args={"includeAllLedgers": "true"}),
        f("ledgers", *fields("balance", "ledgerType")),
        f(
            "billingOptions",
            *fields(
                "nextBillingDate", "currentBillingPeriodStartDate", "currentBillingPeriodEndDate"
            ),
        ),
        _GB_PROPERTIES,
        _DE_PROPERTIES,
        args=ACCOUNT_NUMBER,
        required=True,
    ),
)
ACCOUNT_VARIABLES = {"accountNumber": "String!", "includeRates": "Boolean!"}

# Without one of these the account has no meter points to show.
METER_POINT_PATHS = ("AccountType.properties", "AccountType.allProperties")

# --- SmartFlex devices and dispatches -------------------------------------------------------

_STATE_OF_CHARGE_LIMIT = f("stateOfChargeLimit", *fields("upperSocLimit", "isLimitViolated"))
_READING = ("value",)
_DEVICES = f(
    "devices",
    *fields("__typename", "id", "name", "deviceType", "provider"),
    f(
        "status",
        *fields("current", "currentState", "isSuspended"),
        on(
            "SmartFlexVehicleStatus",
            _STATE_OF_CHARGE_LIMIT,
            f("stateOfCharge", *fields(*_READING)),
            f("activePower", *fields(*_READING)),
        ),
        on(
            "SmartFlexChargePointStatus",
            _STATE_OF_CHARGE_LIMIT,
            f("stateOfCharge", *fields(*_READING)),
            f("activePower", *fields(*_READING)),
        ),
        on(
            "SmartFlexHeatPumpStatus",
            f("activity", F("value")),
            f("mode", F("value")),
            f("targetTemperature", F("value")),
            f("currentTemperatures", *fields("zone", "value")),
        ),
    ),
    f(
        "preferences",
        on(
            "SmartFlexDevicePreferences",
            *fields("mode", "targetType", "unit"),
            f("schedules", *fields("dayOfWeek", "time", "min", "max")),
        ),
    ),
    on(
        "SmartFlexVehicle",
        *fields("make", "model", "vehicleBatterySize"),
        f("vehicleVariant", F("batterySize")),
    ),
    on("SmartFlexChargePoint", *fields("make", "model")),
    on("SmartFlexBattery", *fields("make", "model")),
    on("SmartFlexHeatPump", *fields("make", "model")),
    on(
        "SmartFlexInverter",
        *fields("make", "model"),
        f(
            "telemetry",
            f("battery", *fields("stateOfCharge", "powerInKw", "connectionStatus")),
            f("inverter", *fields("powerInKw", "connectionStatus")),
            f("grid", F("powerInKw")),
            f("site", *fields("consumptionInKw", "exportInKw")),
            f("solar", F("powerInKw")),
        ),
    ),
    args=ACCOUNT_NUMBER,
)

_ACCOUNT_DISPATCH = (*fields("start", "end", "delta"), f("meta", *fields("source", "location")))
_DEVICE_DISPATCH = fields("start", "end", "type", "energyAddedKwh")

DISPATCHES_ALIAS = "dispatches"
"""`dispatches0`, `dispatches1`, ...: one device's planned dispatches each."""
DEVICE_VARIABLE = "device"


def device_dispatches(count: int) -> tuple[F, ...]:
    """Planned dispatches of `count` devices, one alias each ($device0, $device1, ...)."""
    return tuple(
        f(
            "flexPlannedDispatches",
            *_DEVICE_DISPATCH,
            alias=f"{DISPATCHES_ALIAS}{index}",
            args={"deviceId": f"${DEVICE_VARIABLE}{index}"},
        )
        for index in range(count)
    )


ACCOUNT_DISPATCHES = f("plannedDispatches", *_ACCOUNT_DISPATCH, args=ACCOUNT_NUMBER)
COMPLETED_DISPATCHES = f("completedDispatches", *_ACCOUNT_DISPATCH, args=ACCOUNT_NUMBER)


def smartflex(device_ids: int, *, per_device: bool) -> tuple[F | On, ...]:
    """Devices with their state, preferences and telemetry, and the dispatches.

    `per_device`: the instance plans per device (`flexPlannedDispatches`), asked for the
    first `device_ids` devices; else the account's `plannedDispatches`, where it still exists.
    """
    planned = device_dispatches(device_ids) if per_device else (ACCOUNT_DISPATCHES,)
    return (_DEVICES, *planned, COMPLETED_DISPATCHES)


def smartflex_variables(device_ids: int) -> dict[str, str]:
    """The variables `smartflex` may use, with their types."""
    return {
        "accountNumber": "String!",
        **{f"{DEVICE_VARIABLE}{index}": "String!" for index in range(device_ids)},
    }


# Root fields whose errors for one account or device leave the rest of the answer standing:
# Kraken answers KT-CT-4301 for an account without devices and KT-CT-4340 when it cannot plan.
PARTIAL_ROOTS = ("devices", "completedDispatches", "plannedDispatches", DISPATCHES_ALIAS)
PARTIAL_ERROR_CODES = frozenset({"KT-CT-4301", "KT-CT-4340", "KT-CT-4341"})
# Root field (or alias prefix) -> the error codes that cost only that field.
PARTIAL: dict[str, frozenset[str]] = {
    **dict.fromkeys(PARTIAL_ROOTS, PARTIAL_ERROR_CODES),
    **telemetry.PARTIAL,
}

# --- device commands ------------------------------------------------------------------------

_MUTATION_RESULT = (F("id"),)
UPDATE_SMART_CONTROL = (
    f("updateDeviceSmartControl", *_MUTATION_RESULT, args={"input": "$input"}, required=True),
)
UPDATE_BOOST_CHARGE = (
    f("updateBoostCharge", *_MUTATION_RESULT, args={"input": "$input"}, required=True),
)
SET_DEVICE_PREFERENCES = (
    f("setDevicePreferences", *_MUTATION_RESULT, args={"input": "$input"}, required=True),
)
MUTATION_VARIABLES = {
    "UpdateDeviceSmartControl": {"input": "SmartControlInput!"},
    "UpdateBoostCharge": {"input": "UpdateBoostChargeInput!"},
    "SetDevicePreferences": {"input": "SmartFlexDevicePreferencesInput!"},
}


def referenced_types(capabilities: Capabilities) -> set[str]:
    """The types every document reaches on an instance (to ask about those not known yet)."""
    queries = (
        VIEWER_ACCOUNTS
        + ACCOUNT
        + smartflex(1, per_device=True)
        + smartflex(0, per_device=False)
        + telemetry.selections(1)
    )
    mutations = UPDATE_SMART_CONTROL + UPDATE_BOOST_CHARGE + SET_DEVICE_PREFERENCES
    return walk_types(capabilities, queries, "Query") | walk_types(
        capabilities, mutations, "Mutation"
    )
