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

from ..http import retry_after_seconds
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
    EnodeNotFoundError,
    EnodeParseError,
    EnodePreconditionError,
    EnodeRateLimitError,
    EnodeServerError,
    EnodeTimeoutError,
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
    SmartChargingPolicy,
    SmartOverride,
    Vehicle,
    VendorType,
)
from .parsers import (
    as_dict,
    as_list,
    opt_dict,
    opt_str,
    parse_action,
    parse_battery,
    parse_charger,
    parse_hvac,
    parse_intervention,
    parse_inverter,
    parse_link_session,
    parse_meter,
    parse_smart_charging_policy,
    parse_smart_override,
    parse_vehicle,
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
# Renew the access token this many seconds before it expires.
TOKEN_RENEWAL_MARGIN = 60.0
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


@dataclass(slots=True)
class _Token:
    value: str
    expires_at: float


class _UnauthorizedError(EnodeError):
    """HTTP 401 from the API: the token may have expired; one fresh token is worth a try."""

    def __init__(self, error: EnodeAuthError) -> None:
        super().__init__(str(error))
        self.error = error


def _segment(value: str) -> str:
    """A path segment, percent-encoded."""
    return quote(value, safe="")


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
        if token is not None and self._clock() < token.expires_at - TOKEN_RENEWAL_MARGIN:
            return token
        async with self._token_lock:
            token = self._token
            if token is not None and self._clock() < token.expires_at - TOKEN_RENEWAL_MARGIN:
                return token
            return await self._obtain_token()

    async def _obtain_token(self) -> _Token:
        operation = "token"
        self.request_count += 1
        try:
            async with self._session.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                headers={
                    "Accept": "application/json",
                    "Authorization": basic_client_authorization(
                        self._client_id, self._client_secret
                    ),
                },
                timeout=self._timeout,
            ) as response:
                status = response.status
                text = await response.text()
                retry_after = response.headers.get("Retry-After")
        except TimeoutError as err:
            raise EnodeTimeoutError(f"{operation}: Enode token endpoint timed out") from err
        except aiohttp.ClientError as err:
            raise EnodeConnectionError(
                f"{operation}: cannot reach the Enode token endpoint ({type(err).__name__})"
            ) from err
        if status in (400, 401, 403):
            error = _oauth_error(text)
            raise EnodeAuthError(
                self._redact(f"{operation}: Enode refused the client credentials ({error})"),
                status=status,
                title=error,
            )
        if status != 200:
            self._raise_for_status(operation, status, text, retry_after)
        payload = _json(operation, text)
        body = as_dict(payload, operation)
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            raise EnodeParseError(f"{operation}: access_token: expected a string")
        expires_in = body.get("expires_in")
        lifetime = (
            float(expires_in)
            if isinstance(expires_in, int | float) and not isinstance(expires_in, bool)
            else DEFAULT_TOKEN_LIFETIME
        )
        token = _Token(value, self._clock() + lifetime)
        self._token = token
        self._issued_tokens = [*self._issued_tokens[-4:], value]
        _LOGGER.debug("Obtained an Enode access token valid for %.0f s", lifetime)
        return token

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
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.request_count += 1
        try:
            async with self._session.request(
                method,
                self._api_url + path,
                params=params,
                json=body,
                headers=headers,
                timeout=self._timeout,
            ) as response:
                status = response.status
                text = await response.text()
                retry_after = response.headers.get("Retry-After")
        except TimeoutError as err:
            raise EnodeTimeoutError(f"{operation}: Enode API timed out") from err
        except aiohttp.ClientError as err:
            raise EnodeConnectionError(
                f"{operation}: cannot reach the Enode API ({type(err).__name__})"
            ) from err
        if 200 <= status < 300:
            return _json(operation, text) if text.strip() else None
        try:
            self._raise_for_status(operation, status, text, retry_after)
        except EnodeAuthError as err:
            if status == 401:
                raise _UnauthorizedError(err) from None
            raise

    def _raise_for_status(
        self, operation: str, status: int, text: str, retry_after: str | None
    ) -> NoReturn:
        """Raise the typed error of a non-2xx answer, with the Problem's title and detail."""
        problem_type, title, detail, action_state = _problem(text)
        if status == 409 and detail is None and action_state is not None:
            # Cancelling a resolved action answers 409 with the action itself.
            detail = f"the action is already {action_state}"
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
        if status == 403 and _is_connections_limit(problem_type, title):
            raise EnodeConnectionsLimitError(message, status=status, **kwargs)
        error_class: type[EnodeApiError] = {
            400: EnodePreconditionError,
            401: EnodeAuthError,
            403: EnodeAuthError,
            404: EnodeNotFoundError,
            409: EnodeConflictError,
            422: EnodeControlledError,
        }.get(status, EnodeApiError)
        if error_class is EnodeControlledError:
            message = self._redact(
                f"{operation}: the device is controlled by an Enode schedule or smart charging"
                f" ({summary})"
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
            page = as_dict(await self.request("GET", path, operation, params=params), operation)
            for item in as_list(page.get("data"), f"{operation}.data"):
                items.append(parse(item, f"{operation}.data[{len(items)}]"))
            pagination = opt_dict(page.get("pagination"), f"{operation}.pagination")
            after = opt_str(pagination.get("after"), f"{operation}.pagination.after")
            if not after:
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
        """The user's devices of the given kinds (all six by default), one list per kind."""
        wanted = set(kinds) if kinds is not None else set(VendorType)
        lists: dict[VendorType, Callable[[str], Coroutine[Any, Any, tuple[Any, ...]]]] = {
            VendorType.VEHICLE: self.list_vehicles,
            VendorType.CHARGER: self.list_chargers,
            VendorType.HVAC: self.list_hvacs,
            VendorType.BATTERY: self.list_batteries,
            VendorType.INVERTER: self.list_inverters,
            VendorType.METER: self.list_meters,
        }
        # Fetch the token first so concurrent lists do not race for it.
        await self._valid_token()
        order = [kind for kind in VendorType if kind in wanted]
        try:
            async with asyncio.TaskGroup() as group:
                tasks: dict[VendorType, asyncio.Task[tuple[Any, ...]]] = {
                    kind: group.create_task(lists[kind](user_id)) for kind in order
                }
        except ExceptionGroup as errors:
            # The first failure, as a plain typed error; the other lists were cancelled.
            raise errors.exceptions[0] from None
        by_kind = {kind: task.result() for kind, task in tasks.items()}
        return EnodeDevices(
            vehicles=by_kind.get(VendorType.VEHICLE, ()),
            chargers=by_kind.get(VendorType.CHARGER, ()),
            hvacs=by_kind.get(VendorType.HVAC, ()),
            batteries=by_kind.get(VendorType.BATTERY, ()),
            inverters=by_kind.get(VendorType.INVERTER, ()),
            meters=by_kind.get(VendorType.METER, ()),
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
        return tuple(
            parse_intervention(item, f"{operation}[{index}]")
            for index, item in enumerate(as_list(data, operation))
        )

    async def get_intervention(
        self, intervention_id: str, *, language: InterventionLanguage | None = None
    ) -> Intervention:
        """One intervention, its resolution in `language` (`getIntervention`)."""
        operation = "getIntervention"
        params = {"language": language.value} if language is not None else None
        data = await self.request(
            "GET", f"/interventions/{_segment(intervention_id)}", operation, params=params
        )
        return parse_intervention(data, operation)


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
    except ValueError:
        raise EnodeParseError(f"{operation}: Enode answered with a body that is not JSON") from None


def _problem(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """`type`, `title`, `detail` of a Problem body, and `state` of an action body.

    Each is None when the body does not have it (or is not JSON).
    """
    try:
        data = json.loads(text)
    except ValueError:
        return None, None, None, None
    if not isinstance(data, dict):
        return None, None, None, None

    def text_field(key: str) -> str | None:
        value = data.get(key)
        return value.strip() or None if isinstance(value, str) else None

    return text_field("type"), text_field("title"), text_field("detail"), text_field("state")


def _oauth_error(text: str) -> str:
    """The OAuth2 `error` code of a token endpoint refusal (RFC 6749 §5.2)."""
    try:
        data = json.loads(text)
    except ValueError:
        return "refused"
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, str) and error else "refused"


def _is_connections_limit(problem_type: str | None, title: str | None) -> bool:
    haystack = f"{problem_type or ''} {title or ''}".lower()
    return "connections limit" in haystack or "connections-limit" in haystack
