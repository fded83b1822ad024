"""Asyncio client for the Easee cloud REST API (api.easee.com or a stand-in at another URL)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
import json
import logging
import time
from typing import Any, NoReturn

import aiohttp

from ..http import decode_body, retry_after_seconds
from .enums import EaseePhaseMode
from .exceptions import (
    EaseeApiError,
    EaseeAuthError,
    EaseeCommandError,
    EaseeConnectionError,
    EaseeError,
    EaseeNotFoundError,
    EaseeParseError,
    EaseeRateLimitError,
    EaseeServerError,
    EaseeSignInError,
    EaseeTimeoutError,
)
from .models import (
    EaseeCharger,
    EaseeChargerConfig,
    EaseeChargerState,
    EaseeCommandResult,
    EaseeSite,
)
from .parsers import (
    parse_chargers,
    parse_command_result,
    parse_config,
    parse_site,
    parse_sites,
    parse_state,
    parse_token,
)

_LOGGER = logging.getLogger(__name__)

EASEE_API_URL = "https://api.easee.com"
LOGIN_PATH = "/api/accounts/login"
REFRESH_PATH = "/api/accounts/refresh_token"

DEFAULT_TIMEOUT = 30.0
DEFAULT_USER_AGENT = "kraken-energy-home-assistant"
# Easee issues access tokens for a day; when a response does not say, assume an hour.
DEFAULT_TOKEN_LIFETIME = 3600.0
# A lifetime beyond this is not believed: the token is renewed after it at the latest.
LONGEST_TOKEN_LIFETIME = 7 * 86400.0
# Renew the access token this many seconds before it expires (at most half its lifetime).
TOKEN_RENEWAL_MARGIN = 300.0

COMMANDS = ("start_charging", "stop_charging", "pause_charging", "resume_charging")

# Easee refuses a wrong username or password with HTTP 400 {"errorCode": 100, "errorCodeName":
# "InvalidUserPassword"} (pyeasee's log in nordicopen/easee_hass#44); an expired refresh token
# with 401 {"errorCode": 105, "errorCodeName": "RefreshTokenExpired"} (evcc-io/evcc#8511).
INVALID_USER_PASSWORD = 100
# Digits beyond this in a JSON integer are read as a float (an infinity, then None), instead of
# Python refusing to convert them (int's 4300-digit limit) and losing the whole answer.
_LONGEST_JSON_INT = 64
# An Easee error title longer than this is cut (it goes into messages and logs).
_LONGEST_REASON = 200


@dataclass(slots=True)
class _Token:
    value: str
    renew_at: float
    refused: bool = False


@dataclass(frozen=True, slots=True)
class _About:
    """What a request is: its operation, and what an error answer to it means."""

    operation: str
    _: KW_ONLY
    command: bool = False
    sign_in: bool = False
    """Sign-in or token renewal: no token is sent, refusals are read as such."""
    renewal: bool = False
    charger_id: str | None = None
    site_id: int | None = None


class _UnauthorizedError(EaseeError):
    """HTTP 401 on an authenticated request: the access token was refused."""


class _RefreshRefusedError(EaseeError):
    """Easee refused the refresh token (its error body with 400 or 401): sign in again."""


def _parse_int(digits: str) -> int | float:
    return int(digits) if len(digits) <= _LONGEST_JSON_INT else float(digits)


def _loads(text: str) -> Any:
    """JSON text as Python values; ValueError for anything that is not JSON.

    NaN and infinities are kept and an integer too long to convert becomes a float (the
    parsers turn them into None); nesting too deep for the decoder is a ValueError too.
    """
    try:
        return json.loads(text, parse_int=_parse_int)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _text(value: Any) -> str | None:
    return value[:_LONGEST_REASON] if isinstance(value, str) and value else None


def _error_details(text: str) -> tuple[int | None, str | None, str | None]:
    """Easee's `errorCode`, `errorCodeName` and `title` from an error body, if it has them."""
    try:
        body = _loads(text)
    except ValueError:
        return None, None, None
    if not isinstance(body, dict):
        return None, None, None
    code = body.get("errorCode")
    title = body.get("title") or body.get("detail")
    return (
        code
        if isinstance(code, int) and not isinstance(code, bool) and abs(code) < 2**31
        else None,
        _text(body.get("errorCodeName")),
        _text(title),
    )


class EaseeClient:
    """Talks to the Easee cloud on behalf of one Easee user.

    The client signs in lazily with the username and password, renews the access token with
    the refresh token shortly before it expires (one renewal at a time however many requests
    wait; a full sign-in when Easee refuses the refresh token), and retries a request once when
    the API answers 401. Only Easee's own refusal of the credentials (or a 401 that persists
    with a fresh token) is an EaseeAuthError; any other odd answer to the sign-in is an
    EaseeSignInError, a connection error. Bodies are read as bytes and decoded leniently, after
    the status. Nothing it logs or raises contains the password or a token.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        username: str,
        password: str,
        *,
        base_url: str = EASEE_API_URL,
        timeout: float = DEFAULT_TIMEOUT,
        user_agent: str = DEFAULT_USER_AGENT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._session = session
        self._username = username
        self._password = password
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._user_agent = user_agent
        # Looked up at call time, so a patched clock (tests, benchmarks) is honoured.
        self._clock = clock or (lambda: time.time())  # noqa: PLW0108
        self._token: _Token | None = None
        self._refresh_token: str | None = None
        self._token_lock = asyncio.Lock()
        self.request_count = 0

    @property
    def base_url(self) -> str:
        """The API's base URL."""
        return self._base_url

    @property
    def username(self) -> str:
        """The Easee user the client signs in as."""
        return self._username

    # --- account and chargers -----------------------------------------------------------

    async def authenticate(self) -> None:
        """Sign in with the username and password; raises EaseeAuthError if refused."""
        async with self._token_lock:
            await self._login()

    async def list_sites(self) -> list[EaseeSite]:
        """The user's sites, without their chargers (`GET /api/sites`)."""
        data = await self._request("GET", "/api/sites", "sites")
        return parse_sites(data, "sites", with_chargers=False)

    async def fetch_sites(self) -> list[EaseeSite]:
        """Every site the user can see with its chargers, in one request.

        (`GET /api/accounts/products`: the sites with their circuits and chargers.)
        """
        data = await self._request("GET", "/api/accounts/products", "products")
        return parse_sites(data, "products")

    async def fetch_site(self, site_id: int) -> EaseeSite:
        """One site with its circuits' chargers (`GET /api/sites/{id}?detailed=true`)."""
        data = await self._request(
            "GET", f"/api/sites/{site_id}", "site", params={"detailed": "true"}, site_id=site_id
        )
        return parse_site(data, "site")

    async def list_chargers(self) -> list[EaseeCharger]:
        """Every charger the user can see, without its site (`GET /api/chargers`)."""
        return parse_chargers(await self._request("GET", "/api/chargers", "chargers"))

    async def fetch_state(self, charger_id: str) -> EaseeChargerState:
        """A charger's live state (EaseeNotFoundError with `charger_id` if Easee has none)."""
        data = await self._request(
            "GET", f"/api/chargers/{charger_id}/state", "state", charger_id=charger_id
        )
        return parse_state(data)

    async def fetch_config(self, charger_id: str) -> EaseeChargerConfig:
        """A charger's settings (EaseeNotFoundError with `charger_id` if Easee has none)."""
        data = await self._request(
            "GET", f"/api/chargers/{charger_id}/config", "config", charger_id=charger_id
        )
        return parse_config(data)

    async def fetch_charger(self, charger: EaseeCharger) -> EaseeCharger:
        """The charger with its state and config fetched now (two requests, concurrently)."""
        state, config = await asyncio.gather(
            self.fetch_state(charger.charger_id), self.fetch_config(charger.charger_id)
        )
        return EaseeCharger(
            charger_id=charger.charger_id,
            name=charger.name,
            site_id=charger.site_id,
            site_name=charger.site_name,
            circuit_id=charger.circuit_id,
            product_code=charger.product_code,
            model=charger.model,
            level_of_access=charger.level_of_access,
            state=state,
            config=config,
        )

    async def access_token(self) -> str:
        """A valid access token (for the stream), signing in or renewing as needed."""
        return (await self._valid_token()).value

    def token_refused(self, access_token: str) -> None:
        """Someone else (the stream) had this token refused: renew it before its next use."""
        token = self._token
        if token is not None and token.value == access_token:
            token.refused = True

    # --- commands ------------------------------------------------------------------------

    async def start_charging(self, charger_id: str) -> EaseeCommandResult:
        """Authorize and start a session (refused, e.g., when no car is connected)."""
        return await self._command(charger_id, "start_charging")

    async def stop_charging(self, charger_id: str) -> EaseeCommandResult:
        """End the session; a new start (or authorization) is needed to charge again."""
        return await self._command(charger_id, "stop_charging")

    async def pause_charging(self, charger_id: str) -> EaseeCommandResult:
        """Pause the session, keeping its authorization (the dynamic current drops to 0)."""
        return await self._command(charger_id, "pause_charging")

    async def resume_charging(self, charger_id: str) -> EaseeCommandResult:
        """Resume a paused session (the dynamic current goes back up)."""
        return await self._command(charger_id, "resume_charging")

    async def set_settings(
        self,
        charger_id: str,
        *,
        enabled: bool | None = None,
        smart_charging: bool | None = None,
        dynamic_charger_current: float | None = None,
        max_charger_current: float | None = None,
        phase_mode: EaseePhaseMode | int | None = None,
    ) -> EaseeCommandResult:
        """Change the given settings in one request (`POST /api/chargers/{id}/settings`)."""
        body: dict[str, Any] = {}
        if enabled is not None:
            body["enabled"] = enabled
        if smart_charging is not None:
            body["smartCharging"] = smart_charging
        if dynamic_charger_current is not None:
            body["dynamicChargerCurrent"] = dynamic_charger_current
        if max_charger_current is not None:
            body["maxChargerCurrent"] = max_charger_current
        if phase_mode is not None:
            body["phaseMode"] = int(phase_mode)
        if not body:
            raise ValueError("set_settings needs at least one setting")
        data = await self._request(
            "POST",
            f"/api/chargers/{charger_id}/settings",
            "settings",
            body=body,
            command=True,
            charger_id=charger_id,
        )
        return parse_command_result(data, charger_id)

    async def set_charging_enabled(self, charger_id: str, enabled: bool) -> EaseeCommandResult:
        """Enable or disable the charger."""
        return await self.set_settings(charger_id, enabled=enabled)

    async def set_smart_charging(self, charger_id: str, enabled: bool) -> EaseeCommandResult:
        """Turn smart charging on or off."""
        return await self.set_settings(charger_id, smart_charging=enabled)

    async def set_dynamic_charger_current(
        self, charger_id: str, current: float
    ) -> EaseeCommandResult:
        """Set the dynamic charger current limit in A."""
        return await self.set_settings(charger_id, dynamic_charger_current=current)

    async def set_max_charger_current(self, charger_id: str, current: float) -> EaseeCommandResult:
        """Set the max charger current in A."""
        return await self.set_settings(charger_id, max_charger_current=current)

    async def set_phase_mode(
        self, charger_id: str, phase_mode: EaseePhaseMode | int
    ) -> EaseeCommandResult:
        """Lock to one or three phases, or let the charger choose (auto)."""
        return await self.set_settings(charger_id, phase_mode=phase_mode)

    async def _command(self, charger_id: str, command: str) -> EaseeCommandResult:
        data = await self._request(
            "POST",
            f"/api/chargers/{charger_id}/commands/{command}",
            command,
            command=True,
            charger_id=charger_id,
        )
        return parse_command_result(data, charger_id)

    # --- requests and tokens ---------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        command: bool = False,
        charger_id: str | None = None,
        site_id: int | None = None,
    ) -> Any:
        """An authenticated request; one retry with a fresh token after HTTP 401."""
        about = _About(operation, command=command, charger_id=charger_id, site_id=site_id)
        token = await self._valid_token()
        try:
            return await self._send(method, path, about, body=body, params=params, token=token)
        except _UnauthorizedError:
            _LOGGER.debug("%s: the access token was refused; renewing it once", operation)
            token.refused = True
        token = await self._valid_token()
        try:
            return await self._send(method, path, about, body=body, params=params, token=token)
        except _UnauthorizedError:
            token.refused = True
            raise EaseeAuthError(f"{operation}: Easee refused a freshly issued token") from None

    async def _valid_token(self) -> _Token:
        token = self._token
        if token is not None and not token.refused and self._clock() < token.renew_at:
            return token
        async with self._token_lock:
            token = self._token
            if token is not None and not token.refused and self._clock() < token.renew_at:
                return token
            if token is not None and self._refresh_token is not None:
                try:
                    return await self._renew(token, self._refresh_token)
                except _RefreshRefusedError:
                    _LOGGER.debug("Easee refused the refresh token; signing in again")
                    self._refresh_token = None
            return await self._login()

    async def _login(self) -> _Token:
        _LOGGER.debug("Signing in to Easee")
        data = await self._send(
            "POST",
            LOGIN_PATH,
            _About("login", sign_in=True),
            body={"userName": self._username, "password": self._password},
            token=None,
        )
        return self._store(data)

    async def _renew(self, token: _Token, refresh_token: str) -> _Token:
        _LOGGER.debug("Renewing the Easee access token")
        data = await self._send(
            "POST",
            REFRESH_PATH,
            _About("refresh_token", sign_in=True, renewal=True),
            body={"accessToken": token.value, "refreshToken": refresh_token},
            token=None,
        )
        return self._store(data)

    def _store(self, data: Any) -> _Token:
        grant = parse_token(data)
        lifetime = grant.expires_in
        if lifetime is None or lifetime <= 0:
            lifetime = DEFAULT_TOKEN_LIFETIME
        lifetime = min(lifetime, LONGEST_TOKEN_LIFETIME)
        margin = min(TOKEN_RENEWAL_MARGIN, lifetime / 2)
        token = _Token(grant.access_token, self._clock() + lifetime - margin)
        self._token = token
        if grant.refresh_token is not None:
            self._refresh_token = grant.refresh_token
        return token

    async def _send(
        self,
        method: str,
        path: str,
        about: _About,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        token: _Token | None,
    ) -> Any:
        operation = about.operation
        headers = {"Accept": "application/json", "User-Agent": self._user_agent}
        if token is not None:
            headers["Authorization"] = f"Bearer {token.value}"
        self.request_count += 1
        try:
            async with self._session.request(
                method,
                self._base_url + path,
                json=body,
                params=params,
                headers=headers,
                timeout=self._timeout,
            ) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
                charset = response.charset
                # Bytes, not text: a proxy's page need not be UTF-8 (decoded leniently below).
                raw = await response.read()
        except TimeoutError as err:
            raise EaseeTimeoutError(f"{operation}: Easee API timed out") from err
        except aiohttp.ClientError as err:
            raise EaseeConnectionError(
                f"{operation}: cannot reach the Easee API ({type(err).__name__})"
            ) from err
        if status == 429:
            raise EaseeRateLimitError(
                f"{operation}: Easee API rate limit reached", retry_after_seconds(retry_after)
            )
        if status >= 500:
            raise EaseeServerError(status)
        if status >= 400:
            text = decode_body(raw, charset)
            if about.sign_in:
                _raise_for_sign_in(about, status, text)
            if status == 401:
                raise _UnauthorizedError(operation)
            _raise_for_status(about, status, text)
        if not 200 <= status < 300:
            raise EaseeApiError(f"{operation}: unexpected HTTP status {status}", status=status)
        text = decode_body(raw, charset)
        if not text.strip():
            return None
        try:
            return _loads(text)
        except ValueError:
            raise EaseeParseError(
                f"{operation}: Easee API answered with a body that is not JSON"
            ) from None


def _label(status: int, code_name: str | None) -> str:
    return f"HTTP {status}" + (f", {code_name}" if code_name else "")


def _raise_for_sign_in(about: _About, status: int, text: str) -> NoReturn:
    """A 4xx answer to the sign-in or a token renewal.

    Only Easee's documented refusal (see INVALID_USER_PASSWORD) is an EaseeAuthError; an
    Easee error body refusing a refresh token means signing in again. Anything else (a
    proxy's HTML page, a gateway's 403/404/408, an Easee error that says nothing about the
    credentials) is an EaseeSignInError: a connection failure, retried with backoff.
    """
    code, code_name, reason = _error_details(text)
    if about.renewal and status in (400, 401) and code is not None:
        raise _RefreshRefusedError(about.operation)
    if not about.renewal and status in (400, 401) and code == INVALID_USER_PASSWORD:
        raise EaseeAuthError(
            f"{about.operation}: Easee refused the username or password"
            f" ({_label(status, code_name)})",
            code,
        )
    what = "token renewal" if about.renewal else "sign-in"
    raise EaseeSignInError(
        f"{about.operation}: unexpected answer to the Easee {what} ({_label(status, code_name)})"
        + (f": {reason}" if reason else ""),
        status=status,
        code=code,
        code_name=code_name,
        reason=reason,
    )


def _raise_for_status(about: _About, status: int, text: str) -> NoReturn:
    """A 4xx answer (not 401 or 429) to an authenticated request."""
    code, code_name, reason = _error_details(text)
    message = f"{about.operation}: Easee refused the request ({_label(status, code_name)})" + (
        f": {reason}" if reason else ""
    )
    error: type[EaseeApiError]
    if status == 404:
        error = EaseeNotFoundError
    elif about.command:
        error = EaseeCommandError
    else:
        error = EaseeApiError
    raise error(
        message,
        status=status,
        code=code,
        code_name=code_name,
        reason=reason,
        charger_id=about.charger_id,
        site_id=about.site_id,
    )
