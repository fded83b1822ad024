"""Kraken GraphQL client: token handling, documents, error mapping and parsing."""

from .client import (
    OCTOPUS_ENERGY_GB_URL,
    OCTOPUS_ENERGY_GERMANY_URL,
    ApiKeyCredential,
    Credential,
    KrakenClient,
    PasswordCredential,
)
from .exceptions import (
    KrakenApiError,
    KrakenAuthError,
    KrakenBlockedError,
    KrakenConnectionError,
    KrakenError,
    KrakenNotFoundError,
    KrakenParseError,
    KrakenRateLimitError,
    KrakenServerError,
    KrakenTimeoutError,
)

__all__ = [
    "OCTOPUS_ENERGY_GB_URL",
    "OCTOPUS_ENERGY_GERMANY_URL",
    "ApiKeyCredential",
    "Credential",
    "KrakenApiError",
    "KrakenAuthError",
    "KrakenBlockedError",
    "KrakenClient",
    "KrakenConnectionError",
    "KrakenError",
    "KrakenNotFoundError",
    "KrakenParseError",
    "KrakenRateLimitError",
    "KrakenServerError",
    "KrakenTimeoutError",
    "PasswordCredential",
]
