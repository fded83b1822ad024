"""Asyncio client for a Kraken GraphQL endpoint (Octopus Energy GB, Germany, any Kraken)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
import json
import logging
import time
from typing import Any, NoReturn

import aiohttp

from ...model import Account, AccountSummary, DevicePreferences, SmartFlexData
from ..http import decode_body, retry_after_seconds
from . import documents
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
from .parsers import (
    parse_account,
    parse_account_summaries,
    parse_smartflex,
    parse_token,
)

_LOGGER = logging.getLogger(__name__)

OCTOPUS_ENERGY_GB_URL = "https://api.octopus.energy/v1/graphql/"
OCTOPUS_ENERGY_GERMANY_URL = "https://api.oeg-kraken.energy/v1/graphql/"

# Codes that mean the credential itself (not just the current token) is refused.
AUTH_ERROR_CODES = frozenset(
    {
        "KT-CT-1111",  # Unauthorized.
        "KT-CT-1112",  # 'Authorization' header not provided.
        "KT-CT-1134",  # Invalid data (refresh token refused).
        "KT-CT-1135",  # Invalid data (credentials refused).
        "KT-CT-1139",  # Authentication failed.
        "KT-CT-1143",  # Invalid or expired token.
        "KT-CT-4123",  # Unauthorized for this account.
    }
)
# Codes that mean the access token expired; a fresh token fixes them.
TOKEN_EXPIRED_CODES = frozenset({"KT-CT-1120", "KT-CT-1124"})
RATE_LIMIT_CODES = frozenset({"KT-CT-1199", "OE-0002", "KT-GB-4042"})
NOT_FOUND_ERROR_TYPES = frozenset({"NOT_FOUND"})
# Error extensions in which Kraken lists why it refused a device command.
REFUSAL_REASON_KEYS = ("boostChargeRefusalReasons", "testChargeRefusalReasons")

DEFAULT_TOKEN_LIFETIME = 3600.0
# Renew the access token this many seconds before it expires.
TOKEN_RENEWAL_MARGIN = 300.0
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class ApiKeyCredential:
    """The account user's API key (the "secret key" in the supplier's dashboard)."""

    api_key: str = field(repr=False)

    def token_input(self) -> dict[str, str]:
        """The obtainKrakenToken input for this credential."""
        return {"APIKey": self.api_key}


@dataclass(frozen=True, slots=True)
class PasswordCredential:
    """The account user's email and password."""

    email: str
    password: str = field(repr=False)

    def token_input(self) -> dict[str, str]:
        """The obtainKrakenToken input for this credential."""
        return {"email": self.email, "password": self.password}


type Credential = ApiKeyCredential | PasswordCredential


@dataclass(slots=True)
class _Token:
    value: str
    expires_at: float


class KrakenClient:
    """Talks to one Kraken GraphQL endpoint on behalf of one account user.

    The client signs in lazily, keeps the access and refresh tokens, renews the access token
    shortly before it expires (one renewal at a time however many requests wait), falls back
    to the primary credential when the refresh token is refused, and retries a request once
    when the API says its token expired.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        endpoint: str,
        credential: Credential,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._session = session
        self._endpoint = endpoint
        self._credential = credential
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # Looked up at call time, so a patched clock (tests, benchmarks) is honoured.
        self._clock = clock or (lambda: time.time())  # noqa: PLW0108
        self._token: _Token | None = None
        self._refresh_token: _Token | None = None
        self._token_lock = asyncio.Lock()
        self.request_count = 0

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint URL."""
        return self._endpoint

    async def authenticate(self) -> None:
        """Obtain a fresh token with the primary credential; raises KrakenAuthError if refused."""
        async with self._token_lock:
            await self._obtain_token(self._credential.token_input())

    async def list_accounts(self) -> list[AccountSummary]:
        """The accounts the signed-in user can see."""
        data = await self.execute(documents.VIEWER_ACCOUNTS, {}, "ViewerAccounts")
        return parse_account_summaries(data)

    async def fetch_account(
        self, account_number: str, *, currency: str, include_rates: bool
    ) -> Account:
        """An account with its meter points and agreements.

        Half-hourly unit rates are part of the response only when `include_rates` is set.
        """
        data = await self.execute(
            documents.ACCOUNT,
            {"accountNumber": account_number, "includeRates": include_rates},
            "Account",
        )
        return parse_account(data, currency=currency)

    async def fetch_account_with_devices(
        self, account_number: str, *, currency: str, include_rates: bool
    ) -> tuple[Account, SmartFlexData]:
        """The account (as `fetch_account`) and its SmartFlex data, in one request.

        A supplier whose API has no SmartFlex fields refuses the whole document
        (`KrakenApiError` without an error code); use `fetch_account` there.
        """
        data = await self.execute(
            documents.ACCOUNT_WITH_DEVICES,
            {"accountNumber": account_number, "includeRates": include_rates},
            "AccountWithDevices",
        )
        return parse_account(data, currency=currency), parse_smartflex(data)

    async def fetch_smartflex(self, account_number: str) -> SmartFlexData:
        """The account's SmartFlex devices with planned and completed dispatches."""
        data = await self.execute(
            documents.SMARTFLEX, {"accountNumber": account_number}, "SmartFlex"
        )
        return parse_smartflex(data)

    async def set_smart_control(self, device_id: str, *, enabled: bool) -> None:
        """Let the supplier control a device again, or suspend its control."""
        action = "UNSUSPEND" if enabled else "SUSPEND"
        await self.execute(
            documents.UPDATE_SMART_CONTROL,
            {"input": {"deviceId": device_id, "action": action}},
            "UpdateDeviceSmartControl",
        )

    async def set_boost_charge(self, device_id: str, *, boost: bool) -> None:
        """Charge now, ignoring the schedule, or cancel that."""
        await self.execute(
            documents.UPDATE_BOOST_CHARGE,
            {"input": {"deviceId": device_id, "action": "BOOST" if boost else "CANCEL"}},
            "UpdateBoostCharge",
        )

    async def set_preferences(self, device_id: str, preferences: DevicePreferences) -> None:
        """Replace a device's mode, target type and per-day schedules."""
        schedules: list[dict[str, Any]] = [
            {
                "dayOfWeek": schedule.day_of_week,
                # "07:00", or "07:00+05:00" for a time read with an offset: nothing is lost.
                "time": schedule.ready_by.isoformat(timespec="minutes"),
                "max": schedule.max,
                **({"min": schedule.min} if schedule.min is not None else {}),
            }
            for schedule in preferences.schedules
        ]
        payload: dict[str, Any] = {
            "deviceId": device_id,
            "mode": preferences.mode,
            "unit": preferences.unit,
            "schedules": schedules,
        }
        if preferences.target_type is not None:
            payload["targetType"] = preferences.target_type
        await self.execute(
            documents.SET_DEVICE_PREFERENCES, {"input": payload}, "SetDevicePreferences"
        )

    async def execute(self, document: str, variables: dict[str, Any], operation_name: str) -> Any:
        """Run an authenticated GraphQL operation and return its `data`."""
        token = await self._valid_token()
        try:
            return await self._post(document, variables, operation_name, token.value)
        except _TokenExpiredError:
            async with self._token_lock:
                if self._token is token:
                    self._token = None
            token = await self._valid_token()
            try:
                return await self._post(document, variables, operation_name, token.value)
            except _TokenExpiredError as err:
                raise KrakenAuthError("Kraken refused a freshly issued token", err.code) from None

    async def _valid_token(self) -> _Token:
        token = self._token
        if token is not None and self._clock() < token.expires_at - TOKEN_RENEWAL_MARGIN:
            return token
        async with self._token_lock:
            token = self._token
            if token is not None and self._clock() < token.expires_at - TOKEN_RENEWAL_MARGIN:
                return token
            refresh = self._refresh_token
            if refresh is not None and self._clock() < refresh.expires_at - 60:
                try:
                    return await self._obtain_token({"refreshToken": refresh.value})
                except KrakenAuthError:
                    _LOGGER.debug("Refresh token refused; signing in with the credential")
                    self._refresh_token = None
            return await self._obtain_token(self._credential.token_input())

    async def _obtain_token(self, token_input: dict[str, str]) -> _Token:
        try:
            data = await self._post(
                documents.OBTAIN_TOKEN, {"input": token_input}, "ObtainKrakenToken", None
            )
        except _TokenExpiredError as err:
            raise KrakenAuthError("Kraken refused the credentials", err.code) from None
        grant = parse_token(data)
        now = self._clock()
        default_expiry = now + DEFAULT_TOKEN_LIFETIME
        token = _Token(
            grant.token, grant.expires_at if grant.expires_at is not None else default_expiry
        )
        self._token = token
        if grant.refresh_token is not None:
            self._refresh_token = _Token(
                grant.refresh_token,
                grant.refresh_expires_at
                if grant.refresh_expires_at is not None
                else default_expiry,
            )
        return token

    async def _post(
        self,
        document: str,
        variables: dict[str, Any],
        operation_name: str,
        token: str | None,
    ) -> Any:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = token
        body = {"query": document, "variables": variables, "operationName": operation_name}
        self.request_count += 1
        try:
            async with self._session.post(
                self._endpoint, json=body, headers=headers, timeout=self._timeout
            ) as response:
                # Bytes first: a proxy's page need not be UTF-8, and the status decides
                # whether the body matters at all.
                raw = await response.read()
                status = response.status
                charset = response.charset
                retry_after = response.headers.get("Retry-After")
        except TimeoutError as err:
            raise KrakenTimeoutError(f"{operation_name}: Kraken API timed out") from err
        except aiohttp.ClientError as err:
            raise KrakenConnectionError(
                f"{operation_name}: cannot reach the Kraken API ({type(err).__name__})"
            ) from err
        return read_answer(operation_name, status, raw, charset, retry_after)


def read_answer(
    operation_name: str,
    status: int,
    raw: bytes,
    charset: str | None = None,
    retry_after: str | None = None,
) -> Any:
    """The `data` of a Kraken answer, or the typed error it stands for.

    - 429: KrakenRateLimitError (with the Retry-After delay, finite and at most an hour);
    - 5xx: KrakenServerError;
    - 401/403: Kraken's own refusal when the body is a GraphQL error with a Kraken error
      code (KrakenAuthError for a credential refusal, as on a 200); without one (a
      firewall's or proxy's page) KrakenBlockedError, a connection error to retry later;
    - any other status but 200: the GraphQL error the body carries, else KrakenApiError;
    - 200: the GraphQL errors as typed errors, KrakenParseError for a body that is not a
      JSON object with data.
    """
    if status == 429:
        raise KrakenRateLimitError(
            f"{operation_name}: Kraken API rate limit reached", retry_after_seconds(retry_after)
        )
    if status >= 500:
        raise KrakenServerError(status)
    body = _json_body(operation_name, raw, charset)
    payload = body if isinstance(body, dict) else None
    if status != 200:
        errors = payload.get("errors") if payload is not None else None
        if status in (401, 403):
            if _first_error_code(errors) is None:
                raise KrakenBlockedError(operation_name, status)
            _raise_for_errors(operation_name, errors, retry_after)
        if errors:
            _raise_for_errors(operation_name, errors, retry_after)
        raise KrakenApiError(f"{operation_name}: unexpected HTTP status {status}")
    if body is _NOT_JSON:
        raise KrakenParseError(
            f"{operation_name}: Kraken API answered with a body that is not JSON"
        )
    if payload is None:
        raise KrakenParseError(f"{operation_name}: expected a JSON object")
    errors = payload.get("errors")
    if errors:
        _raise_for_errors(operation_name, errors, retry_after)
    if payload.get("data") is None:
        raise KrakenParseError(f"{operation_name}: response has neither data nor errors")
    return payload["data"]


_NOT_JSON = object()


def _json_body(operation_name: str, raw: bytes, charset: str | None) -> Any:
    """The body as JSON, or _NOT_JSON for anything else (a page, junk, nesting too deep)."""
    text = decode_body(raw, charset).removeprefix("\ufeff")
    try:
        return json.loads(text)
    except ValueError, RecursionError:
        _LOGGER.debug("%s: the body is not JSON (%d bytes)", operation_name, len(raw))
        return _NOT_JSON


def _first_error(errors: Any) -> dict[str, Any]:
    """The first error object of a GraphQL error list; empty for any other shape."""
    first = errors[0] if isinstance(errors, list) and errors else None
    return first if isinstance(first, dict) else {}


def _first_error_code(errors: Any) -> str | None:
    """The Kraken error code (e.g. KT-CT-1124) of the first error, if it has one."""
    extensions = _first_error(errors).get("extensions")
    code = extensions.get("errorCode") if isinstance(extensions, dict) else None
    return code if isinstance(code, str) and code else None


class _TokenExpiredError(KrakenError):
    def __init__(self, code: str | None) -> None:
        super().__init__(code or "token refused")
        self.code = code


def _raise_for_errors(operation_name: str, errors: Any, retry_after: str | None = None) -> NoReturn:
    """Raise the typed error for the first error of a GraphQL error list.

    Any shape is accepted: what is not a list of error objects with string fields reads as
    an error without code or message (KrakenApiError), never as a TypeError.
    """
    if not isinstance(errors, list):
        raise KrakenApiError(
            f"{operation_name}: Kraken API answered with malformed errors ({type(errors).__name__})"
        )
    first = _first_error(errors)
    extensions = first.get("extensions")
    if not isinstance(extensions, dict):
        extensions = {}
    code = _first_error_code(errors)
    error_type = extensions.get("errorType")
    error_type = error_type if isinstance(error_type, str) else None
    message = first.get("message")
    message = message if isinstance(message, str) and message.strip() else "unknown error"
    description = extensions.get("errorDescription")
    if isinstance(description, str) and description and description != message:
        # Validation errors say what was wrong only in the description.
        message = f"{message} {description}"
    if code in TOKEN_EXPIRED_CODES:
        raise _TokenExpiredError(code)
    if code in AUTH_ERROR_CODES:
        if operation_name != "ObtainKrakenToken" and code in ("KT-CT-1111", "KT-CT-1112"):
            # The access token was refused: one fresh token is worth a try.
            raise _TokenExpiredError(code)
        raise KrakenAuthError(f"{operation_name}: {code} {message}", code)
    if code in RATE_LIMIT_CODES:
        raise KrakenRateLimitError(
            f"{operation_name}: {code} {message}", retry_after_seconds(retry_after)
        )
    reasons = tuple(
        reason
        for key in REFUSAL_REASON_KEYS
        if isinstance(refused := extensions.get(key), list)
        for reason in refused
        if isinstance(reason, str)
    )
    if error_type in NOT_FOUND_ERROR_TYPES:
        raise KrakenNotFoundError(message, code, reasons)
    raise KrakenApiError(message, code, reasons)
