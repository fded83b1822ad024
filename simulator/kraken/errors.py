"""Kraken API errors as the simulator reports them."""

from __future__ import annotations

from typing import Any, NamedTuple


class KrakenError(Exception):
    """An error the API reports with a Kraken error code."""

    def __init__(
        self, code: str, message: str, error_type: str, description: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.error_type = error_type
        self.description = description or message

    @property
    def extensions(self) -> dict[str, Any]:
        """The `extensions` object of the GraphQL error."""
        return {
            "errorType": self.error_type,
            "errorCode": self.code,
            "errorDescription": self.description,
            "errorClass": self.error_type,
        }


class ErrorSpec(NamedTuple):
    """Code, message, type and description of a Kraken error."""

    code: str
    message: str
    error_type: str
    description: str | None = None

    def error(self) -> KrakenError:
        """A fresh exception for this error."""
        return KrakenError(self.code, self.message, self.error_type, self.description)
