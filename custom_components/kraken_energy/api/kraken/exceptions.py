"""Typed errors of the Kraken client. Messages never carry credentials, tokens or identifiers."""

from __future__ import annotations

import re

# What identifies a household in a message the API wrote: account numbers (A-1B2C3D4E),
# digit runs of six or more (MPANs, MPRNs, MaLo ids) and long capital-and-digit codes with a
# digit in them (MeLo ids, meter serial numbers, VINs), and smart meters' EUI-64s
# (12-34-5A-FF-FF-6B-C7-89).
_IDENTIFIER = re.compile(
    r"\b(?:(?:[0-9A-Fa-f]{2}[-:]){7}[0-9A-Fa-f]{2}|[A-Z]-[0-9A-Z]{6,12}|\d{6,}"
    r"|(?=[0-9A-Z]*\d)[0-9A-Z]{10,})\b"
)


def without_identifiers(text: str) -> str:
    """A message from the API as it may be logged and shown: identifiers masked."""
    return _IDENTIFIER.sub("***", text)


class KrakenError(Exception):
    """Base of every error the Kraken client raises."""


class KrakenConnectionError(KrakenError):
    """The API could not be reached or answered with a server error."""


class KrakenTimeoutError(KrakenConnectionError):
    """The API did not answer in time."""


class KrakenServerError(KrakenConnectionError):
    """The API answered with an HTTP 5xx status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"Kraken API answered HTTP {status}")
        self.status = status


class KrakenBlockedError(KrakenConnectionError):
    """HTTP 401 or 403 without a Kraken error code: a firewall, WAF or proxy said no.

    Kraken refuses credentials with a GraphQL error code (KrakenAuthError); a bare 401/403
    page comes from something in between and usually passes, so it is retried with backoff
    rather than asking the user to sign in again.
    """

    def __init__(self, operation_name: str, status: int) -> None:
        super().__init__(
            f"{operation_name}: HTTP {status} without a Kraken error code "
            "(refused by a firewall or proxy before reaching Kraken?)"
        )
        self.status = status


class KrakenAuthError(KrakenError):
    """The credentials were refused; the user has to sign in again."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class KrakenRateLimitError(KrakenError):
    """The API throttled us; `retry_after` is in seconds when the API said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class KrakenApiError(KrakenError):
    """The API refused a request with an error code."""

    def __init__(
        self, message: str, code: str | None = None, reasons: tuple[str, ...] = ()
    ) -> None:
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.api_message = message
        # Why a command was refused (e.g. BC_DEVICE_SUSPENDED), when Kraken says.
        self.reasons = reasons


class KrakenNotFoundError(KrakenApiError):
    """The requested object does not exist."""


class KrakenParseError(KrakenError):
    """The API answered with a body the client could not understand."""


class KrakenSchemaError(KrakenError):
    """The instance lacks fields the integration cannot do without (`missing`, Type.field)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("The Kraken API lacks " + ", ".join(missing))
        self.missing = tuple(missing)
