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
    KrakenSchemaError,
    KrakenServerError,
    KrakenTimeoutError,
)
from .schema import Capabilities

__all__ = [
    "OCTOPUS_ENERGY_GB_URL",
    "OCTOPUS_ENERGY_GERMANY_URL",
    "ApiKeyCredential",
    "Capabilities",
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
    "KrakenSchemaError",
    "KrakenServerError",
    "KrakenTimeoutError",
    "PasswordCredential",
]
