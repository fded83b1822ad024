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


class EaseeSignInError(EaseeConnectionError):
    """Sign-in or token renewal answered neither a token nor Easee's credential refusal.

    A proxy's or firewall's page (HTML, any status), or an Easee error that does not say the
    credentials are wrong: nothing the user can fix by signing in again, so it is retried with
    backoff like any connection failure. `status` is the HTTP status; `code`, `code_name` and
    `reason` are Easee's `errorCode` / `errorCodeName` / `title` when the body carried them.
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


class EaseeAuthError(EaseeError):
    """The credentials were refused; the user has to sign in again.

    Raised only for Easee's own refusal of the username or password (HTTP 400, errorCode 100
    `InvalidUserPassword`), and for an API request refused with 401 even with a fresh token.
    """

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
    (e.g. "No car is connected to the charger"), when the response body carried them.
    `charger_id` / `site_id` name the charger or site the request was about, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: int | None = None,
        code_name: str | None = None,
        reason: str | None = None,
        charger_id: str | None = None,
        site_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.code_name = code_name
        self.reason = reason
        self.charger_id = charger_id
        self.site_id = site_id


class EaseeNotFoundError(EaseeApiError):
    """The charger or site does not exist, or the user cannot see it (HTTP 404).

    `charger_id` (or `site_id`) says which: a charger's state or config answering 404 concerns
    that charger alone, not the account.
    """


class EaseeCommandError(EaseeApiError):
    """Easee refused a command or a settings change; `reason` says why when Easee did."""


class EaseeParseError(EaseeError):
    """The API answered with a body the client could not understand."""
