"""Constants of the Kraken Energy integration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Final

from .api.kraken import OCTOPUS_ENERGY_GB_URL, OCTOPUS_ENERGY_GERMANY_URL

DOMAIN: Final = "kraken_energy"

CONF_SUPPLIER: Final = "supplier"
CONF_ENDPOINT: Final = "endpoint"
CONF_CURRENCY: Final = "currency"
CONF_AUTH_METHOD: Final = "auth_method"
CONF_ACCOUNT_NUMBER: Final = "account_number"

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


SUPPLIERS: Final[dict[str, Supplier]] = {
    "octopus_energy_gb": Supplier("Octopus Energy", OCTOPUS_ENERGY_GB_URL, "GBP"),
    "octopus_energy_germany": Supplier("Octopus Energy Germany", OCTOPUS_ENERGY_GERMANY_URL, "EUR"),
}
CURRENCIES: Final = ("GBP", "EUR", "USD", "JPY", "AUD", "NZD")

# Account, balance and agreements; half-hourly rates ride along only when due.
ACCOUNT_UPDATE_INTERVAL: Final = timedelta(minutes=30)
# SmartFlex devices and dispatches: state is never more than this (plus a request) old.
DEVICES_UPDATE_INTERVAL: Final = timedelta(minutes=4)
# First retry after a failure; doubles up to the normal interval.
FAILURE_RETRY_INTERVAL: Final = timedelta(minutes=2)
# The longest wait between attempts while a service keeps failing (or asks to be left alone).
FAILURE_RETRY_CEILING: Final = timedelta(hours=1)
# A device, meter point or charger leaves Home Assistant only after this many consecutive
# well-formed answers without it: one odd answer never costs a household its devices.
DEPARTURE_ANSWERS: Final = 2
# Tomorrow's half-hourly rates are published in the afternoon (local time).
RATES_PUBLISHED_HOUR: Final = 16
# Ask for rates when the held ones run out within this window.
RATES_LOW_WATER: Final = timedelta(hours=2)


class Provider(StrEnum):
    """Which cloud a config entry talks to (`CONF_PROVIDER` in its data)."""

    KRAKEN = "kraken"
    EASEE = "easee"
    ENODE = "enode"


# Entries made before Easee and Enode (minor version 1) had no provider key: they were Kraken
# supplier accounts, and the migration to minor version 2 writes it.
CONF_PROVIDER: Final = "provider"
ENTRY_MINOR_VERSION: Final = 2
PROVIDER_KRAKEN: Final = Provider.KRAKEN
PROVIDER_EASEE: Final = Provider.EASEE
CONF_SITES: Final = "sites"

# Easee chargers: live state every minute, settings and the charger list less often.
EASEE_UPDATE_INTERVAL: Final = timedelta(minutes=1)
EASEE_CONFIG_INTERVAL: Final = timedelta(minutes=15)

PROVIDER_ENODE: Final = Provider.ENODE
CONF_CLIENT_ID: Final = "client_id"
CONF_CLIENT_SECRET: Final = "client_secret"
CONF_ENODE_ENVIRONMENT: Final = "environment"
CONF_ENODE_API_URL: Final = "api_url"
CONF_ENODE_TOKEN_URL: Final = "token_url"
CONF_ENODE_USER_ID: Final = "user_id"

# Enode devices: the lists of the kinds the user has every two minutes (Enode itself refreshes
# vendor data every few minutes); every kind, to find new devices, every 30.
ENODE_UPDATE_INTERVAL: Final = timedelta(minutes=2)
ENODE_RESCAN_INTERVAL: Final = timedelta(minutes=30)
# How long a control waits for the device to confirm it; a slower one is left pending and the
# next poll shows its effect.
ENODE_ACTION_TIMEOUT: Final = 15.0
