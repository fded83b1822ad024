"""Typed errors of the Easee client. Messages never carry credentials or tokens."""

from __future__ import annotations


class EaseeError(Exception):
    """Base of every error the Easee client raises."""


class EaseeConnectionError(EaseeError):
    """The API could not be reached or answered with a server error."""


class EaseeTimeoutError(EaseeConnectionError):
    """The API did not answer in time."""


class EaseeServerError(EaseeConnectionError):
    """The API answered with an HTTP 5xx status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"Easee API answered HTTP {status}")
        self.status = status


class EaseeAuthError(EaseeError):
    """The credentials were refused; the user has to sign in again."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class EaseeRateLimitError(EaseeError):
    """The API throttled us; `retry_after` is in seconds when the API said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EaseeApiError(EaseeError):
    """The API refused a request (HTTP 4xx other than 401 and 429).

    `code` and `code_name` are Easee's `errorCode` / `errorCodeName`, `reason` its `title`
    (e.g. "Username or password is invalid"), when the response body carried them.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: int | None = None,
        code_name: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.code_name = code_name
        self.reason = reason


class EaseeNotFoundError(EaseeApiError):
    """The charger or site does not exist, or the user cannot see it."""


class EaseeCommandError(EaseeApiError):
    """Easee refused a command or a settings change; `reason` says why when Easee did."""


class EaseeParseError(EaseeError):
    """The API answered with a body the client could not understand."""
