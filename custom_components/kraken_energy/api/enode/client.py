"""Asyncio client for the Enode REST API (vehicles, chargers, HVAC, batteries, solar, meters).

One client speaks for one Enode client account (OAuth2 client credentials); users are addressed
by path (`/users/{userId}/...`). Paths, fields and enums follow the Enode OpenAPI 3.1 document,
version 2025-10-01.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from datetime import time as time_of_day
from enum import StrEnum
import json
import logging
import time
from typing import Any, NoReturn
from urllib.parse import quote, quote_plus

import aiohttp
from yarl import URL

from ..http import decode_body, retry_after_seconds
from .exceptions import (
    EnodeActionCancelledError,
    EnodeActionFailedError,
    EnodeActionTimeoutError,
    EnodeApiError,
    EnodeAuthError,
    EnodeConflictError,
    EnodeConnectionError,
    EnodeConnectionsLimitError,
    EnodeControlledError,
    EnodeError,
    EnodeForbiddenError,
    EnodeNotFoundError,
    EnodeParseError,
    EnodePreconditionError,
    EnodeRateLimitError,
    EnodeServerError,
    EnodeTimeoutError,
    EnodeTokenEndpointError,
)
from .models import (
    Action,
    ActionState,
    ActionTargetType,
    Battery,
    BatteryOperationMode,
    Charger,
    ChargingAction,
    EnodeDevices,
    Hvac,
    HvacMode,
    Intervention,
    InterventionLanguage,
    Inverter,
    LinkSession,
    Meter,
    Page,
    SmartChargingPolicy,
    SmartOverride,
    Vehicle,
    VendorType,
)
from .parsers import (
    parse_action,
    parse_battery,
    parse_charger,
    parse_hvac,
    parse_intervention,
    parse_interventions,
    parse_inverter,
    parse_link_session,
    parse_meter,
    parse_oauth_error,
    parse_page,
    parse_problem,
    parse_smart_charging_policy,
    parse_smart_override,
    parse_token,
    parse_vehicle,
)
from .webhooks import (
    DEVICE_EVENTS,
    LinkedVendor,
    Webhook,
    WebhookTestResult,
    parse_linked_vendors,
    parse_webhook,
    parse_webhook_test,
)

_LOGGER = logging.getLogger(__name__)


class EnodeEnvironment(StrEnum):
    """The Enode environments a client account lives in."""

    PRODUCTION = "production"
    SANDBOX = "sandbox"


def basic_client_authorization(client_id: str, client_secret: str) -> str:
    """HTTP Basic client authentication as OAuth 2 defines it (RFC 6749 section 2.3.1).

    Each part is form-urlencoded first, so a ':' or any non-Latin-1 character survives.
    """
    joined = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return "Basic " + base64.b64encode(joined.encode("ascii")).decode("ascii")


@dataclass(frozen=True, slots=True, kw_only=True)
class EnodeEndpoints:
    """Where the API and its OAuth2 token endpoint are."""

    api_url: str
    token_url: str


ENVIRONMENTS: dict[EnodeEnvironment, EnodeEndpoints] = {
    # The OpenAPI document's `servers` and `securitySchemes.ClientAccessToken.tokenUrl`.
    EnodeEnvironment.PRODUCTION: EnodeEndpoints(
        api_url="https://enode-api.production.enode.io",
        token_url="https://oauth.production.enode.io/oauth2/token",  # noqa: S106 (a URL)
    ),
    # Enode's sandbox (not in the OpenAPI document; same paths, different hosts).
    EnodeEnvironment.SANDBOX: EnodeEndpoints(
        api_url="https://enode-api.sandbox.enode.io",
        token_url="https://oauth.sandbox.enode.io/oauth2/token",  # noqa: S106 (a URL)
    ),
}

DEFAULT_TIMEOUT = 30.0
DEFAULT_PAGE_SIZE = 50
DEFAULT_TOKEN_LIFETIME = 3600.0
# A token is kept at most this long, whatever lifetime the endpoint claims.
MAX_TOKEN_LIFETIME = 86400.0
# Renew the access token this many seconds before it expires (half its life if shorter).
TOKEN_RENEWAL_MARGIN = 60.0
# OAuth 2 errors that refuse the client credentials themselves (RFC 6749 section 5.2); only
# these ask the user to re-authenticate. `unauthorized_client` is not one: the client *did*
# authenticate, its grant settings at Enode are what is wrong (see EnodeTokenEndpointError).
CREDENTIAL_REFUSALS = frozenset({"invalid_client", "invalid_grant"})
# A list that pages on past this many pages is assumed to loop.
MAX_PAGES = 200
DEFAULT_ACTION_TIMEOUT = 60.0
DEFAULT_ACTION_POLL_INTERVAL = 2.0
_REDACTED = "**REDACTED**"

# Control scopes asked for by default when linking: read everything, control what can be.
DEFAULT_LINK_SCOPES: tuple[str, ...] = (
    "vehicle:read:data",
    "vehicle:read:location",
    "vehicle:control:charging",
    "charger:read:data",
    "charger:control:charging",
    "hvac:read:data",
    "hvac:control:mode",
    "battery:read:data",
    "battery:read:location",
    "battery:control:operation_mode",
    "inverter:read:data",
    "inverter:read:location",
    "meter:read:data",
    "meter:read:location",
)

# Each device kind's list path segment and parser.
_DEVICE_PATHS = {
    VendorType.VEHICLE: "vehicles",
    VendorType.CHARGER: "chargers",
    VendorType.HVAC: "hvacs",
    VendorType.BATTERY: "batteries",
    VendorType.INVERTER: "inverters",
    VendorType.METER: "meters",
}
_ACTION_PATHS = {
    ActionTargetType.VEHICLE: "vehicles",
    ActionTargetType.CHARGER: "chargers",
    ActionTargetType.HVAC: "hvacs",
    ActionTargetType.BATTERY: "batteries",
}


# Why a device kind's list may fail on its own, recorded in EnodeDevices.failed_kinds: a scope
# the user did not grant (403), a kind Enode does not serve (404), a transport or server
# failure, an answer that does not parse, or throttling (the lists go out together, so the
# others' answers are already in; the Retry-After is for the next poll). Everything else (a
# refused credential, another refusal) fails the whole fetch at once.
_KIND_FAILURES: tuple[type[EnodeError], ...] = (
    EnodeForbiddenError,
    EnodeNotFoundError,
    EnodeConnectionError,
    EnodeParseError,
    EnodeRateLimitError,
)


@dataclass(slots=True)
class _Token:
    value: str
    renew_at: float


@dataclass(slots=True, frozen=True)
class _Answer:
    """An HTTP answer as received: status, raw body bytes and the headers that matter."""

    status: int
    body: bytes
    charset: str | None
    retry_after: str | None

    @property
    def text(self) -> str:
        """The body as text, whatever its encoding (never raises)."""
        return decode_body(self.body, self.charset)


class _UnauthorizedError(EnodeError):
    """HTTP 401 from the API: the token may have expired; one fresh token is worth a try."""

    def __init__(self, error: EnodeAuthError) -> None:
        super().__init__(str(error))
        self.error = error


def _segment(value: str) -> str:
    """One path segment, percent-encoded so it cannot change the request's path.

    '/', '?', '#', spaces and non-ASCII are escaped; a segment of dots only ("." or "..") is
    escaped too, as it would otherwise be resolved as a relative path step. Empty is refused.
    """
    if not value:
        raise ValueError("an Enode id cannot be empty")
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if not encoded.strip(".") else encoded


class EnodeClient:
    """Talks to the Enode API on behalf of one Enode client account.

    The access token is fetched lazily with the client credentials, cached until shortly before
    it expires (one renewal at a time however many requests wait), and renewed once when the
    API answers 401. List endpoints are followed through every page.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        *,
        environment: EnodeEnvironment = EnodeEnvironment.PRODUCTION,
        api_url: str | None = None,
        token_url: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        defaults = ENVIRONMENTS[environment]
        self._session = session
        self._client_id = client_id
        self._client_secret = client_secret
        self._api_url = (api_url or defaults.api_url).rstrip("/")
        # Encoded once; request paths are appended already encoded (see `_segment`) and sent
        # as they are, so nothing normalises an escaped id back into a path step.
        self._api_base = str(URL(self._api_url))
        self._token_url = token_url or defaults.token_url
        self._page_size = page_size
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # Looked up at call time, so a patched clock (tests, benchmarks) is honoured.
        self._clock = clock or (lambda: time.time())  # noqa: PLW0108
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()
        # Every token issued to this client, so none can leak through an error message.
        self._issued_tokens: list[str] = []
        self.request_count = 0

    @property
    def api_url(self) -> str:
        """Base URL of the API."""
        return self._api_url

    @property
    def token_url(self) -> str:
        """URL of the OAuth2 token endpoint."""
        return self._token_url

    # --- authentication -----------------------------------------------------------------

    async def authenticate(self) -> None:
        """Fetch a fresh access token; raises EnodeAuthError if the credentials are refused."""
        async with self._token_lock:
            await self._obtain_token()

    async def _valid_token(self) -> _Token:
        token = self._token
        if token is not None and self._clock() < token.renew_at:
            return token
        async with self._token_lock:
            token = self._token
            if token is not None and self._clock() < token.renew_at:
                return token
            return await self._obtain_token()

    async def _exchange(
        self, method: str, url: str | URL, operation: str, what: str, **kwargs: Any
    ) -> _Answer:
        """Send one request; the raw answer, or a connection-class error."""
        self.request_count += 1
        try:
            async with self._session.request(
                method, url, timeout=self._timeout, **kwargs
            ) as response:
                body = await response.read()
                try:
                    charset = response.charset
                except ValueError, LookupError:
                    charset = None
                return _Answer(response.status, body, charset, response.headers.get("Retry-After"))
        except TimeoutError as err:
            raise EnodeTimeoutError(f"{operation}: {what} timed out") from err
        except aiohttp.ClientError as err:
            raise EnodeConnectionError(
                f"{operation}: cannot reach {what} ({type(err).__name__})"
            ) from err

    async def _obtain_token(self) -> _Token:
        """A new access token with the client credentials (RFC 6749 section 4.4).

        EnodeAuthError only when the endpoint refuses the credentials (`invalid_client`,
        `invalid_grant`); anything else that is not a token is connection-class.
        """
        operation = "token"
        answer = await self._exchange(
            "POST",
            self._token_url,
            operation,
            "the Enode token endpoint",
            data={"grant_type": "client_credentials"},
            headers={
                "Accept": "application/json",
                "Authorization": basic_client_authorization(self._client_id, self._client_secret),
            },
        )
        status = answer.status
        if 200 <= status < 300:
            try:
                issued = parse_token(_json(operation, answer.text), operation)
            except EnodeParseError as err:
                raise EnodeTokenEndpointError(
                    self._redact(f"{operation}: HTTP {status} without an access token ({err})"),
                    status=status,
                ) from err
            lifetime = min(
                DEFAULT_TOKEN_LIFETIME if issued.expires_in is None else issued.expires_in,
                MAX_TOKEN_LIFETIME,
            )
            now = self._clock()
            token = _Token(issued.value, now + max(lifetime - TOKEN_RENEWAL_MARGIN, lifetime / 2))
            self._token = token
            self._issued_tokens = [*self._issued_tokens[-4:], issued.value]
            _LOGGER.debug("Obtained an Enode access token valid for %.0f s", lifetime)
            return token
        text = answer.text
        if status == 429 or status >= 500:
            self._raise_for_status(operation, status, text, answer.retry_after)
        error = parse_oauth_error(_lenient_json(text))
        description = _oauth_description(text)
        redacted = self._redact(description) if description else None
        if 400 <= status < 500 and error in CREDENTIAL_REFUSALS:
            raise EnodeAuthError(
                self._redact(f"{operation}: Enode refused the client credentials ({error})"),
                status=status,
                title=error,
                detail=redacted,
            )
        reason = f"OAuth error {error}" if error else "no OAuth error in the answer"
        raise EnodeTokenEndpointError(
            self._redact(
                f"{operation}: the Enode token endpoint answered HTTP {status} ({reason})"
            ),
            status=status,
            title=error,
            detail=redacted,
        )

    # --- requests -----------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
    ) -> Any:
        """An authenticated API request; the parsed JSON body (None for an empty body)."""
        token = await self._valid_token()
        try:
            return await self._send(method, path, operation, token.value, params, body)
        except _UnauthorizedError:
            async with self._token_lock:
                if self._token is token:
                    self._token = None
            token = await self._valid_token()
            try:
                return await self._send(method, path, operation, token.value, params, body)
            except _UnauthorizedError as err:
                raise err.error from None

    async def _send(
        self,
        method: str,
        path: str,
        operation: str,
        token: str,
        params: dict[str, str] | None,
        body: Any,
    ) -> Any:
        answer = await self._exchange(
            method,
            URL(self._api_base + path, encoded=True),
            operation,
            "the Enode API",
            params=params,
            json=body,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )
        status = answer.status
        if 200 <= status < 300:
            text = answer.text
            return _json(operation, text) if text.strip() else None
        try:
            self._raise_for_status(operation, status, answer.text, answer.retry_after)
        except EnodeAuthError as err:
            if status == 401:
                raise _UnauthorizedError(err) from None
            raise

    def _raise_for_status(
        self, operation: str, status: int, text: str, retry_after: str | None
    ) -> NoReturn:
        """Raise the typed error of a non-2xx answer, with the Problem's title and detail."""
        problem = parse_problem(_lenient_json(text))
        problem_type, title, detail = problem.type, problem.title, problem.detail
        if status == 409 and detail is None and problem.action_state is not None:
            # Cancelling a resolved action answers 409 with the action itself.
            detail = f"the action is already {problem.action_state}"
        summary = ": ".join(part for part in (title, detail) if part)
        message = self._redact(f"{operation}: HTTP {status} {summary}".rstrip())
        kwargs: dict[str, Any] = {
            "problem_type": problem_type,
            "title": self._redact(title) if title else None,
            "detail": self._redact(detail) if detail else None,
        }
        if status == 429:
            raise EnodeRateLimitError(
                message, retry_after=retry_after_seconds(retry_after), **kwargs
            )
        if status >= 500:
            raise EnodeServerError(message, status=status, **kwargs)
        if status == 403:
            if _is_connections_limit(problem_type, title):
                raise EnodeConnectionsLimitError(message, status=status, **kwargs)
            raise EnodeForbiddenError(
                message, status=status, missing_scope=problem.missing_scope, **kwargs
            )
        error_class: type[EnodeApiError] = {
            400: EnodePreconditionError,
            401: EnodeAuthError,
            404: EnodeNotFoundError,
            409: EnodeConflictError,
            422: EnodeControlledError,
        }.get(status, EnodeApiError)
        if error_class is EnodeControlledError:
            message = self._redact(
                f"{operation}: the device is controlled by an Enode schedule or smart charging"
                + (f" ({summary})" if summary else "")
            )
        raise error_class(message, status=status, **kwargs)

    def _redact(self, text: str) -> str:
        """The text without the client secret or any token issued to this client."""
        for secret in (self._client_secret, *self._issued_tokens):
            if secret:
                text = text.replace(secret, _REDACTED)
        return text

    async def _list[T](
        self, path: str, operation: str, parse: Callable[[Any, str], T]
    ) -> tuple[T, ...]:
        """Every item of a paginated list, following `pagination.after` to the last page."""
        items: list[T] = []
        after: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            params = {"pageSize": str(self._page_size)}
            if after is not None:
                params["after"] = after
            data = await self.request("GET", path, operation, params=params)
            page: Page[T] = parse_page(data, operation, parse, len(items))
            items.extend(page.items)
            after = page.after
            if after is None:
                return tuple(items)
            if after in seen:
                raise EnodeParseError(f"{operation}: pagination cursor repeats")
            seen.add(after)
        raise EnodeParseError(f"{operation}: more than {MAX_PAGES} pages")

    async def _get_one[T](self, path: str, operation: str, parse: Callable[[Any, str], T]) -> T:
        return parse(await self.request("GET", path, operation), operation)

    # --- devices ------------------------------------------------------------------------

    async def list_vehicles(self, user_id: str) -> tuple[Vehicle, ...]:
        """The user's vehicles (`listUserVehicles`)."""
        return await self._list(
            f"/users/{_segment(user_id)}/vehicles", "listUserVehicles", parse_vehicle
        )

    async def list_chargers(self, user_id: str) -> tuple[Charger, ...]:
        """The user's chargers (`listUserChargers`)."""
        return await self._list(
            f"/users/{_segment(user_id)}/chargers", "listUserChargers", parse_charger
        )

    async def list_hvacs(self, user_id: str) -> tuple[Hvac, ...]:
        """The user's HVAC units (`listUserHVACs`)."""
        return await self._list(f"/users/{_segment(user_id)}/hvacs", "listUserHVACs", parse_hvac)

    async def list_batteries(self, user_id: str) -> tuple[Battery, ...]:
        """The user's batteries (`listUserBatteries`, beta)."""
        return await self._list(
            f"/users/{_segment(user_id)}/batteries", "listUserBatteries", parse_battery
        )

    async def list_inverters(self, user_id: str) -> tuple[Inverter, ...]:
        """The user's solar inverters (`listUserInverters`)."""
        return await self._list(
            f"/users/{_segment(user_id)}/inverters", "listUserInverters", parse_inverter
        )

    async def list_meters(self, user_id: str) -> tuple[Meter, ...]:
        """The user's meters (`listUserMeters`, beta)."""
        return await self._list(f"/users/{_segment(user_id)}/meters", "listUserMeters", parse_meter)

    async def fetch_devices(
        self, user_id: str, kinds: Iterable[VendorType] | None = None
    ) -> EnodeDevices:
        """The user's devices of the given kinds (all six by default), one list per kind.

        A kind whose list fails on its own (403 for a scope the user did not grant, 404, a
        connection, timeout or server error, an answer that does not parse) is left empty and
        recorded with its error in `failed_kinds`; the other kinds are still returned. So is
        a list Enode throttled (429): its EnodeRateLimitError carries the Retry-After for the
        next poll. If every requested kind fails, the most serious error is raised (a rate
        limit, else the first in VendorType order). EnodeAuthError (and any other refusal)
        concerns the whole client and is raised at once.
        """
        wanted = set(kinds) if kinds is not None else set(VendorType)
        lists: dict[VendorType, Callable[[str], Coroutine[Any, Any, tuple[Any, ...]]]] = {
            VendorType.VEHICLE: self.list_vehicles,
            VendorType.CHARGER: self.list_chargers,
            VendorType.HVAC: self.list_hvacs,
            VendorType.BATTERY: self.list_batteries,
            VendorType.INVERTER: self.list_inverters,
            VendorType.METER: self.list_meters,
        }
        order = [kind for kind in VendorType if kind in wanted]
        if not order:
            return EnodeDevices()
        # Fetch the token first so concurrent lists do not race for it.
        await self._valid_token()

        async def one_kind(kind: VendorType) -> tuple[Any, ...] | EnodeError:
            try:
                return await lists[kind](user_id)
            except EnodeAuthError:
                raise
            except _KIND_FAILURES as err:
                return err

        try:
            async with asyncio.TaskGroup() as group:
                tasks = {kind: group.create_task(one_kind(kind)) for kind in order}
        except ExceptionGroup as errors:
            # The most serious failure, as a plain typed error; the other lists were cancelled.
            raise _most_serious(errors.exceptions) from None
        by_kind: dict[VendorType, tuple[Any, ...]] = {}
        failed: dict[VendorType, EnodeError] = {}
        for kind, task in tasks.items():
            result = task.result()
            if isinstance(result, EnodeError):
                failed[kind] = result
            else:
                by_kind[kind] = result
        if not by_kind:
            raise _most_serious(failed[kind] for kind in order)
        if failed:
            _LOGGER.debug(
                "Enode lists failed for %s: %s",
                ", ".join(kind.value for kind in failed),
                "; ".join(str(error) for error in failed.values()),
            )
        return EnodeDevices(
            vehicles=by_kind.get(VendorType.VEHICLE, ()),
            chargers=by_kind.get(VendorType.CHARGER, ()),
            hvacs=by_kind.get(VendorType.HVAC, ()),
            batteries=by_kind.get(VendorType.BATTERY, ()),
            inverters=by_kind.get(VendorType.INVERTER, ()),
            meters=by_kind.get(VendorType.METER, ()),
            failed_kinds=failed,
        )

    async def get_vehicle(self, vehicle_id: str) -> Vehicle:
        """One vehicle (`getVehicle`)."""
        return await self._get_one(f"/vehicles/{_segment(vehicle_id)}", "getVehicle", parse_vehicle)

    async def get_charger(self, charger_id: str) -> Charger:
        """One charger (`getCharger`)."""
        return await self._get_one(f"/chargers/{_segment(charger_id)}", "getCharger", parse_charger)

    async def get_hvac(self, hvac_id: str) -> Hvac:
        """One HVAC unit (`getHVAC`)."""
        return await self._get_one(f"/hvacs/{_segment(hvac_id)}", "getHVAC", parse_hvac)

    async def get_battery(self, battery_id: str) -> Battery:
        """One battery (`getBattery`)."""
        return await self._get_one(
            f"/batteries/{_segment(battery_id)}", "getBattery", parse_battery
        )

    async def get_inverter(self, inverter_id: str) -> Inverter:
        """One solar inverter (`getInverter`)."""
        return await self._get_one(
            f"/inverters/{_segment(inverter_id)}", "getInverter", parse_inverter
        )

    async def get_meter(self, meter_id: str) -> Meter:
        """One meter (`getMeter`)."""
        return await self._get_one(f"/meters/{_segment(meter_id)}", "getMeter", parse_meter)

    # --- linking ------------------------------------------------------------------------

    async def create_link_session(
        self,
        user_id: str,
        *,
        redirect_uri: str,
        scopes: Iterable[str] = DEFAULT_LINK_SCOPES,
        language: str = "en-GB",
        vendor: str | None = None,
        vendor_type: VendorType | None = None,
        color_scheme: str | None = None,
    ) -> LinkSession:
        """A Link UI session for the user (created on Enode's side if new) (`postUsersUseridLink`).

        Raises EnodeConnectionsLimitError when the client account has no connections left.
        """
        body: dict[str, Any] = {
            "scopes": list(scopes),
            "language": language,
            "redirectUri": redirect_uri,
        }
        if not body["scopes"]:
            raise ValueError("at least one scope is needed")
        if vendor is not None:
            body["vendor"] = vendor
        if vendor_type is not None:
            body["vendorType"] = vendor_type.value
        if color_scheme is not None:
            body["colorScheme"] = color_scheme
        data = await self.request(
            "POST", f"/users/{_segment(user_id)}/link", "postUsersUseridLink", body=body
        )
        return parse_link_session(data, "postUsersUseridLink")

    # --- controls -----------------------------------------------------------------------

    async def _action(
        self, path: str, operation: str, target_type: ActionTargetType, body: Any = None
    ) -> Action:
        data = await self.request("POST", path, operation, body=body)
        return parse_action(data, target_type, operation)

    async def set_vehicle_charging(self, vehicle_id: str, *, charging: bool) -> Action:
        """Start or stop charging a vehicle (`postVehiclesVehicleidCharging`).

        Raises EnodeControlledError (422) while smart charging or a schedule controls it.
        """
        action = ChargingAction.START if charging else ChargingAction.STOP
        return await self._action(
            f"/vehicles/{_segment(vehicle_id)}/charging",
            "postVehiclesVehicleidCharging",
            ActionTargetType.VEHICLE,
            {"action": action.value},
        )

    async def set_charger_charging(self, charger_id: str, *, charging: bool) -> Action:
        """Start or stop a charger (`controlChargerCharging`)."""
        action = ChargingAction.START if charging else ChargingAction.STOP
        return await self._action(
            f"/chargers/{_segment(charger_id)}/charging",
            "controlChargerCharging",
            ActionTargetType.CHARGER,
            {"action": action.value},
        )

    async def set_charger_max_current(self, charger_id: str, max_current: float) -> Action:
        """Set a charger's maximum current in amperes (`postSetChargerMaxCurrent`)."""
        if not max_current > 0:
            raise ValueError("max_current must be above 0 A")
        return await self._action(
            f"/chargers/{_segment(charger_id)}/max-current",
            "postSetChargerMaxCurrent",
            ActionTargetType.CHARGER,
            {"maxCurrent": max_current},
        )

    async def set_hvac_permanent_hold(
        self,
        hvac_id: str,
        mode: HvacMode,
        *,
        heat_setpoint: float | None = None,
        cool_setpoint: float | None = None,
    ) -> Action:
        """Hold an HVAC unit in a mode (`postSetHvacPermanentHold`).

        HEAT needs `heat_setpoint`, COOL `cool_setpoint`, AUTO both, OFF neither (°C).
        """
        body: dict[str, Any] = {"mode": mode.value}
        match mode:
            case HvacMode.HEAT:
                body["heatSetpoint"] = _required_setpoint(heat_setpoint, "heat_setpoint", mode)
            case HvacMode.COOL:
                body["coolSetpoint"] = _required_setpoint(cool_setpoint, "cool_setpoint", mode)
            case HvacMode.AUTO:
                body["heatSetpoint"] = _required_setpoint(heat_setpoint, "heat_setpoint", mode)
                body["coolSetpoint"] = _required_setpoint(cool_setpoint, "cool_setpoint", mode)
            case HvacMode.OFF:
                pass
            case _:
                raise ValueError(f"cannot hold an HVAC unit in mode {mode}")
        return await self._action(
            f"/hvacs/{_segment(hvac_id)}/permanent-hold",
            "postSetHvacPermanentHold",
            ActionTargetType.HVAC,
            body,
        )

    async def set_hvac_follow_schedule(self, hvac_id: str) -> Action:
        """Let an HVAC unit follow its own schedule again (`postSetHvacFollowSchedule`)."""
        return await self._action(
            f"/hvacs/{_segment(hvac_id)}/follow-schedule",
            "postSetHvacFollowSchedule",
            ActionTargetType.HVAC,
        )

    async def set_battery_operation_mode(
        self, battery_id: str, mode: BatteryOperationMode
    ) -> Action:
        """Switch a battery's operation mode (`postUserSetOperationMode`); not to UNKNOWN."""
        if mode is BatteryOperationMode.UNKNOWN:
            raise ValueError("the UNKNOWN operation mode cannot be set")
        return await self._action(
            f"/batteries/{_segment(battery_id)}/operation-mode",
            "postUserSetOperationMode",
            ActionTargetType.BATTERY,
            {"operationMode": mode.value},
        )

    async def get_smart_charging_policy(self, vehicle_id: str) -> SmartChargingPolicy:
        """A vehicle's smart charging policy."""
        operation = "getVehiclesVehicleidSmartchargingpolicy"
        data = await self.request(
            "GET", f"/vehicles/{_segment(vehicle_id)}/smart-charging-policy", operation
        )
        policy = parse_smart_charging_policy(data, operation)
        if policy is None:
            raise EnodeParseError(f"{operation}: expected a policy, got null")
        return policy

    async def update_smart_charging_policy(
        self,
        vehicle_id: str,
        *,
        enabled: bool | None = None,
        deadline: time_of_day | None = None,
        minimum_charge_limit: float | None = None,
    ) -> SmartChargingPolicy:
        """Change a vehicle's smart charging policy; fields left None stay as they are."""
        operation = "updateVehicleSmartChargingPolicy"
        body: dict[str, Any] = {}
        if enabled is not None:
            body["isEnabled"] = enabled
        if deadline is not None:
            body["deadline"] = deadline.strftime("%H:%M")
        if minimum_charge_limit is not None:
            body["minimumChargeLimit"] = minimum_charge_limit
        if not body:
            raise ValueError("nothing to change")
        data = await self.request(
            "PUT", f"/vehicles/{_segment(vehicle_id)}/smart-charging-policy", operation, body=body
        )
        policy = parse_smart_charging_policy(data, operation)
        if policy is None:
            raise EnodeParseError(f"{operation}: expected a policy, got null")
        return policy

    async def create_smart_override(self, vehicle_id: str) -> SmartOverride:
        """Charge now despite smart charging until charging stops (`vehicleCreateSmartOverride`)."""
        operation = "vehicleCreateSmartOverride"
        data = await self.request(
            "POST", f"/vehicles/{_segment(vehicle_id)}/smart-override", operation
        )
        return parse_smart_override(data, operation)

    async def end_smart_override(self, vehicle_id: str) -> SmartOverride:
        """End a vehicle's smart override (`vehicleEndSmartOverride`; 404 if there is none)."""
        operation = "vehicleEndSmartOverride"
        data = await self.request(
            "DELETE", f"/vehicles/{_segment(vehicle_id)}/smart-override", operation
        )
        return parse_smart_override(data, operation)

    # --- actions ------------------------------------------------------------------------

    async def get_action(self, target_type: ActionTargetType, action_id: str) -> Action:
        """The current state of an action (`get<Kind>Action`)."""
        operation = {
            ActionTargetType.VEHICLE: "getVehiclesAction",
            ActionTargetType.CHARGER: "getChargersAction",
            ActionTargetType.HVAC: "getHvacsAction",
            ActionTargetType.BATTERY: "getBatteriesAction",
        }[target_type]
        path = f"/{_ACTION_PATHS[target_type]}/actions/{_segment(action_id)}"
        return parse_action(await self.request("GET", path, operation), target_type, operation)

    async def cancel_action(self, target_type: ActionTargetType, action_id: str) -> Action:
        """Cancel a pending action (EnodeConflictError if it has already resolved)."""
        operation = {
            ActionTargetType.VEHICLE: "cancelVehicleAction",
            ActionTargetType.CHARGER: "cancelChargerAction",
            ActionTargetType.HVAC: "cancelHvacAction",
            ActionTargetType.BATTERY: "cancelBatteryAction",
        }[target_type]
        path = f"/{_ACTION_PATHS[target_type]}/actions/{_segment(action_id)}/cancel"
        return parse_action(await self.request("POST", path, operation), target_type, operation)

    async def wait_for_action(
        self,
        action: Action,
        *,
        max_wait: float = DEFAULT_ACTION_TIMEOUT,
        poll_interval: float = DEFAULT_ACTION_POLL_INTERVAL,
    ) -> Action:
        """Poll an action until it resolves; the CONFIRMED action, or a typed error.

        Raises EnodeActionFailedError / EnodeActionCancelledError carrying Enode's failure
        reason, or EnodeActionTimeoutError when it is still pending after `max_wait` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait
        current = action
        while current.is_pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise EnodeActionTimeoutError(
                    f"{_describe(current)} still pending after {max_wait:g} s", current
                )
            await asyncio.sleep(min(poll_interval, remaining))
            current = await self.get_action(current.target_type, current.id)
        if current.state is ActionState.CONFIRMED:
            return current
        reason = current.failure_reason
        because = f": {reason.type}: {reason.detail}" if reason is not None else ""
        if current.state is ActionState.CANCELLED:
            raise EnodeActionCancelledError(f"{_describe(current)} was cancelled{because}", current)
        raise EnodeActionFailedError(f"{_describe(current)} failed{because}", current)

    # --- interventions ------------------------------------------------------------------

    async def list_interventions(
        self, *, language: InterventionLanguage | None = None
    ) -> tuple[Intervention, ...]:
        """Every intervention Enode knows, resolutions in `language` (`listInterventions`)."""
        operation = "listInterventions"
        params = {"language": language.value} if language is not None else None
        data = await self.request("GET", "/interventions", operation, params=params)
        return parse_interventions(data, operation)

    async def get_intervention(
        self, intervention_id: str, *, language: InterventionLanguage | None = None
    ) -> Intervention:
        """One intervention, its resolution in `language` (`getIntervention`).

        Raises EnodeNotFoundError when Enode does not know it (404).
        """
        operation = "getIntervention"
        params = {"language": language.value} if language is not None else None
        data = await self.request(
            "GET", f"/interventions/{_segment(intervention_id)}", operation, params=params
        )
        return parse_intervention(data, operation)

    # --- users --------------------------------------------------------------------------

    async def get_linked_vendors(self, user_id: str) -> tuple[LinkedVendor, ...]:
        """The vendor accounts a user linked, each with its kind of device (`getUser`).

        One request says which kinds of device the user can have, where listing each kind
        would take six.
        """
        operation = "getUser"
        data = await self.request("GET", f"/users/{_segment(user_id)}", operation)
        return parse_linked_vendors(data, operation)

    # --- webhooks -----------------------------------------------------------------------

    async def create_webhook(
        self, url: str, secret: str, events: Iterable[str] = DEVICE_EVENTS
    ) -> Webhook:
        """Subscribe `url` to `events`, deliveries signed with `secret` (`createWebhook`)."""
        operation = "createWebhook"
        body = {"url": url, "secret": secret, "events": list(events)}
        return parse_webhook(
            await self.request("POST", "/webhooks", operation, body=body), operation
        )

    async def list_webhooks(self) -> tuple[Webhook, ...]:
        """Every subscription of the client account (`listWebhooks`)."""
        return await self._list("/webhooks", "listWebhooks", parse_webhook)

    async def get_webhook(self, webhook_id: str) -> Webhook:
        """A subscription (`getWebhook`; EnodeNotFoundError once it is gone)."""
        operation = "getWebhook"
        data = await self.request("GET", f"/webhooks/{_segment(webhook_id)}", operation)
        return parse_webhook(data, operation)

    async def update_webhook(
        self,
        webhook_id: str,
        *,
        url: str | None = None,
        secret: str | None = None,
        events: Iterable[str] | None = None,
    ) -> Webhook:
        """Change a subscription; an inactive one becomes active again (`updateWebhook`)."""
        operation = "updateWebhook"
        body: dict[str, Any] = {}
        if url is not None:
            body["url"] = url
        if secret is not None:
            body["secret"] = secret
        if events is not None:
            body["events"] = list(events)
        data = await self.request(
            "PATCH", f"/webhooks/{_segment(webhook_id)}", operation, body=body
        )
        return parse_webhook(data, operation)

    async def delete_webhook(self, webhook_id: str) -> None:
        """End a subscription (`deleteWebhook`; EnodeNotFoundError if it is already gone)."""
        await self.request("DELETE", f"/webhooks/{_segment(webhook_id)}", "deleteWebhook")

    async def test_webhook(self, webhook_id: str) -> WebhookTestResult:
        """Have Enode deliver a test event now (`testWebhook`); success reactivates it."""
        operation = "testWebhook"
        data = await self.request("POST", f"/webhooks/{_segment(webhook_id)}/test", operation)
        return parse_webhook_test(data, operation)


def _required_setpoint(value: float | None, name: str, mode: HvacMode) -> float:
    if value is None:
        raise ValueError(f"{name} is required in mode {mode}")
    return value


def _describe(action: Action) -> str:
    kind = f" {action.kind}" if action.kind is not None else ""
    return f"Enode{kind} action on {action.target_type} {action.target_id}"


def _json(operation: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError, RecursionError:
        raise EnodeParseError(f"{operation}: Enode answered with a body that is not JSON") from None


def _lenient_json(text: str) -> Any:
    """The body's JSON, or None when it is not JSON (an error page, say)."""
    try:
        return json.loads(text)
    except ValueError, RecursionError:
        return None


def _oauth_description(text: str) -> str | None:
    """The `error_description` of an OAuth 2 error body, if it has one."""
    data = _lenient_json(text)
    value = data.get("error_description") if isinstance(data, dict) else None
    return (value.strip()[:200] or None) if isinstance(value, str) else None


def _most_serious(errors: Iterable[BaseException]) -> BaseException:
    """Of concurrent failures: a refused credential, else a rate limit, else the first."""
    listed = list(errors)
    for kind in (EnodeAuthError, EnodeRateLimitError):
        for error in listed:
            if isinstance(error, kind):
                return error
    return listed[0]


def _is_connections_limit(problem_type: str | None, title: str | None) -> bool:
    haystack = f"{problem_type or ''} {title or ''}".lower()
    return "connections limit" in haystack or "connections-limit" in haystack
