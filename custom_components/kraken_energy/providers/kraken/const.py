"""Constants of Kraken supplier accounts: entry data, suppliers, cadences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from ...api.kraken import OCTOPUS_ENERGY_GB_URL, OCTOPUS_ENERGY_GERMANY_URL
from ...api.kraken.heat_pump import OCTOPUS_ENERGY_GB_BACKEND_URL

CONF_SUPPLIER: Final = "supplier"
CONF_CURRENCY: Final = "currency"
CONF_AUTH_METHOD: Final = "auth_method"
CONF_ACCOUNT_NUMBER: Final = "account_number"
# Where the supplier serves heat pump controllers, when not the supplier's own (a proxy, the
# simulator); absent for every entry the flow creates.
CONF_HEAT_PUMP_ENDPOINT: Final = "heat_pump_endpoint"

CONF_NIGHT_START: Final = "night_start"
CONF_NIGHT_END: Final = "night_end"
CONF_OFF_PEAK_START: Final = "off_peak_start"
CONF_OFF_PEAK_END: Final = "off_peak_end"

AUTH_API_KEY: Final = "api_key"
AUTH_PASSWORD: Final = "password"

SUPPLIER_CUSTOM: Final = "custom"


@dataclass(frozen=True, slots=True)
class Supplier:
    """A Kraken-powered supplier the flow offers by name."""

    name: str
    endpoint: str
    currency: str
    account_url: str | None = None
    """Where the household signs in to its account on the web."""
    heat_pump_endpoint: str | None = None
    """The GraphQL endpoint serving its heat pump controllers, if it has any."""


SUPPLIERS: Final[dict[str, Supplier]] = {
    "octopus_energy_gb": Supplier(
        "Octopus Energy",
        OCTOPUS_ENERGY_GB_URL,
        "GBP",
        "https://octopus.energy/dashboard/",
        heat_pump_endpoint=OCTOPUS_ENERGY_GB_BACKEND_URL,
    ),
    "octopus_energy_germany": Supplier(
        "Octopus Energy Germany", OCTOPUS_ENERGY_GERMANY_URL, "EUR", "https://octopusenergy.de/"
    ),
}
CURRENCIES: Final = ("GBP", "EUR", "USD", "JPY", "AUD", "NZD")


def supplier_name(supplier: str) -> str:
    """The name of a supplier key; custom endpoints are simply "Kraken"."""
    known = SUPPLIERS.get(supplier)
    return known.name if known else "Kraken"


# Account, balance and agreements (half-hourly rates ride along only when due), carried
# by the device poll; without devices, the poll itself comes at this cadence.
ACCOUNT_UPDATE_INTERVAL: Final = timedelta(minutes=30)
# A poll this much early still carries the account (polls drift by a second or so).
ACCOUNT_DUE_SLACK: Final = timedelta(minutes=1)
# SmartFlex devices and dispatches: state is never more than this (plus a request) old.
DEVICES_UPDATE_INTERVAL: Final = timedelta(minutes=5)
# Tomorrow's half-hourly rates are published in the afternoon (local time).
RATES_PUBLISHED_HOUR: Final = 16
# Ask for rates when the held ones run out within this window.
RATES_LOW_WATER: Final = timedelta(hours=2)

# Heat pump controllers (households with a SmartFlex heat pump only): live power and COP, and
# the lifetime energy counters riding along at most this often; controllers looked up anew
# daily and whenever the heat pumps or properties change.
HEAT_PUMP_LIVE_INTERVAL: Final = timedelta(minutes=5)
HEAT_PUMP_LIFETIME_INTERVAL: Final = timedelta(minutes=30)
HEAT_PUMP_CONTROLLERS_INTERVAL: Final = timedelta(hours=24)

# What the instance's schema offers is kept per entry and asked again once a day.
SCHEMA_STORE_VERSION: Final = 1

SMARTFLEX_PREFIX: Final = "smartflex_"
# The command behind targets, ready-by times and heat-pump settings (absent from older schemas).
SET_PREFERENCES: Final = "setDevicePreferences"
