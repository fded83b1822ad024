"""HTTP endpoints of the Enode API under `/enode` plus its OAuth2 token endpoint.

Paths are the OpenAPI document's, prefixed with `ENODE_PREFIX`; every route is named
`enode.<operationId>` so faults and the request log can address operations by their id.
Errors are Problem bodies (`type`, `title`, `detail`), except the token endpoint's, which are
OAuth2 error bodies (RFC 6749 §5.2). Simulator controls live under `/_simulator/enode/`.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
import json
import re
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus, urlencode

from aiohttp import web

from .state import (
    ActionOutcome,
    EnodeState,
    Exchange,
    ProblemError,
    SimAction,
    SimSmartOverride,
    bad_request,
    decode_cursor,
    encode_cursor,
    not_found,
)
from .webhooks import SimWebhook

if TYPE_CHECKING:
    from simulator.state import SimulatorState

ENODE_PREFIX = "/enode"
TOKEN_PATH = ENODE_PREFIX + "/oauth2/token"
CONTROL_PREFIX = "/_simulator/enode/"
ROUTE_PREFIX = "enode."
DEFAULT_PAGE_SIZE = 50

SCOPES = frozenset(
    {
        "battery:control:operation_mode",
        "battery:read:data",
        "battery:read:location",
        "charger:control:charging",
        "charger:read:data",
        "hvac:control:mode",
        "hvac:read:data",
        "inverter:read:data",
        "inverter:read:location",
        "meter:read:data",
        "meter:read:location",
        "vehicle:control:charging",
        "vehicle:read:data",
        "vehicle:read:location",
    }
)
LINK_LANGUAGES = frozenset(
    {
        "browser",
        "da-DK",
        "de-DE",
        "en-US",
        "en-GB",
        "es-ES",
        "fi-FI",
        "fr-FR",
        "it-IT",
        "nb-NO",
        "nl-NL",
        "nl-BE",
        "pt-PT",
        "ro-RO",
        "sv-SE",
    }
)
OPERATION_MODES = ("IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE")
BATTERY_MODE_CAPABILITIES = {
    "IMPORT_FOCUS": "importFocus",
    "EXPORT_FOCUS": "exportFocus",
    "TIME_OF_USE": "timeOfUse",
    "SELF_RELIANCE": "selfReliance",
}
HOUR_MINUTE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

type Reply = tuple[int, Any]
type Handler = Callable[[web.Request, EnodeState, Any], Awaitable[Reply]]


async def operation_name(request: web.Request) -> str | None:
    """The operationId of the Enode route a request matched (for faults and the request log)."""
    route = request.match_info.route
    name = route.name
    if name and name.startswith(ROUTE_PREFIX):
        return name[len(ROUTE_PREFIX) :]
    return None


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, "unauthorized", "Unauthorized", detail)


def _controlled(detail: str) -> ProblemError:
    return ProblemError(422, "unprocessable-entity", "Unprocessable Entity", detail)


def _authorize(request: web.Request, state: EnodeState) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Missing bearer access token.")
    client = state.token_client(token.strip())
    if client is None:
        raise _unauthorized("The access token is invalid or has expired.")
    if client in state.restricted_clients:
        raise ProblemError(
            403, "forbidden", "Forbidden", "This client has no access to the requested resource."
        )


def _json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> web.Response:
    if payload is None:
        return web.Response(status=status, headers=headers)
    return web.Response(
        status=status,
        text=json.dumps(payload),
        content_type="application/json",
        headers=headers,
    )


def _wrap(
    state: EnodeState, operation_id: str, handler: Handler
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def route(request: web.Request) -> web.Response:
        state.tick()
        raw = await request.read()
        body: Any = None
        headers: dict[str, str] | None = None
        try:
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
                    raise bad_request("The request body is not valid JSON.") from None
            _authorize(request, state)
            status, payload = await handler(request, state, body)
        except ProblemError as err:
            status, payload = err.status, err.body()
            if err.status == 401:
                headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        response = _json_response(status, payload, headers)
        state.exchanges.append(
            Exchange(
                operation_id=operation_id,
                method=request.method,
                path=request.path,
                query=dict(request.query),
                content_type=request.content_type if raw else None,
                request_body=body,
                status=status,
                response_body=response.text or "",
            )
        )
        return response

    return route


# --- helpers --------------------------------------------------------------------------------


def _page(request: web.Request, items: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of a list, per `after`/`before`/`pageSize`, as a `Paginated*List`."""
    query = request.query
    raw_size = query.get("pageSize", str(DEFAULT_PAGE_SIZE))
    if not raw_size.isdigit() or int(raw_size) < 1:
        raise bad_request(
            "pageSize must be a positive integer.",
            [{"path": ["pageSize"], "message": "Expected a number greater than 0"}],
        )
    size = int(raw_size)
    after, before = query.get("after"), query.get("before")
    if after is not None and before is not None:
        raise bad_request("`after` and `before` cannot be used together.")
    if after is not None:
        start = decode_cursor(after)
        if start is None:
            raise bad_request("Invalid pagination cursor.")
    elif before is not None:
        end = decode_cursor(before)
        if end is None:
            raise bad_request("Invalid pagination cursor.")
        start = max(0, end - size)
    else:
        start = 0
    data = items[start : start + size]
    next_start = start + len(data)
    return {
        "data": data,
        "pagination": {
            "after": encode_cursor(next_start) if next_start < len(items) else None,
            "before": encode_cursor(start) if start > 0 and data else None,
        },
    }


def _device[T](devices: dict[str, T], device_id: str, kind: str) -> T:
    device = devices.get(device_id)
    if device is None:
        raise not_found(f"{kind} {device_id} was not found.")
    return device


def _object(body: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    """The request body as an object with only `allowed` keys and every `required` one."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    issues = [
        {"path": [key], "message": "Unrecognized key"} for key in sorted(set(body) - allowed)
    ] + [{"path": [key], "message": "Required"} for key in sorted(required - set(body))]
    if issues:
        raise bad_request("The request body is invalid.", issues)
    return body


def _number(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(
            f"{key} must be a number.", [{"path": [key], "message": "Expected number"}]
        )
    return float(value)


def _not_controlled(state: EnodeState, device_id: str) -> None:
    if device_id in state.schedule_controlled:
        raise _controlled(f"{device_id} is controlled by an Enode Schedule.")


def _charging_action(body: Any) -> str:
    data = _object(body, {"action"}, {"action"})
    action = data["action"]
    if action not in ("START", "STOP"):
        raise bad_request(
            "action must be START or STOP.", [{"path": ["action"], "message": "Invalid enum"}]
        )
    return str(action)


def _action_reply(action: SimAction) -> Reply:
    return 200, action.to_json()


# --- token ----------------------------------------------------------------------------------


def _oauth_error(status: int, error: str, description: str) -> web.Response:
    headers = {"WWW-Authenticate": 'Basic realm="enode"'} if status == 401 else None
    return web.json_response(
        {"error": error, "error_description": description}, status=status, headers=headers
    )


def _token_handler(state: EnodeState) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def token(request: web.Request) -> web.Response:
        state.tick()
        if request.content_type != "application/x-www-form-urlencoded":
            return _oauth_error(400, "invalid_request", "Expected a form-encoded body.")
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "Only client_credentials is supported."
            )
        client_id: str | None = None
        client_secret: str | None = None
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip()).decode()
            except ValueError, UnicodeDecodeError:
                decoded = ""
            # RFC 6749 2.3.1: both parts are form-urlencoded before they are joined.
            raw_id, _, raw_secret = decoded.partition(":")
            client_id, client_secret = unquote_plus(raw_id), unquote_plus(raw_secret)
        else:
            form_id, form_secret = form.get("client_id"), form.get("client_secret")
            client_id = form_id if isinstance(form_id, str) else None
            client_secret = form_secret if isinstance(form_secret, str) else None
        expected = state.clients.get(client_id or "")
        # Compared as UTF-8 bytes: a secret may hold any character (compare_digest refuses
        # non-ASCII str).
        if expected is None or not secrets.compare_digest(
            expected.encode(), (client_secret or "").encode()
        ):
            return _oauth_error(401, "invalid_client", "Client authentication failed.")
        access_token, lifetime = state.issue_token(client_id or "")
        # Recorded without the credentials: only how they were sent.
        state.exchanges.append(
            Exchange(
                operation_id="token",
                method=request.method,
                path=request.path,
                query=dict(request.query),
                content_type=request.content_type,
                request_body={
                    "grant_type": form.get("grant_type"),
                    "client_authentication": "basic" if header else "body",
                },
                status=200,
                response_body=json.dumps({"token_type": "bearer", "expires_in": lifetime}),
            )
        )
        return web.json_response(
            {
                "access_token": access_token,
                "expires_in": lifetime,
                "scope": "",
                "token_type": "bearer",
            },
            headers={"Cache-Control": "no-store"},
        )

    return token


# --- devices --------------------------------------------------------------------------------


def _lister(kind: str) -> Handler:
    async def handler(request: web.Request, state: EnodeState, body: Any) -> Reply:
        return 200, _page(request, state.devices_json(kind, request.match_info["userId"]))

    return handler


def _getter(kind: str, key: str, label: str) -> Handler:
    async def handler(request: web.Request, state: EnodeState, body: Any) -> Reply:
        devices: dict[str, Any] = getattr(state, kind)
        device = _device(devices, request.match_info[key], label)
        return 200, device.to_json(state.now())

    return handler


# --- vehicles -------------------------------------------------------------------------------


async def _vehicle_charging(request: web.Request, state: EnodeState, body: Any) -> Reply:
    vehicle = _device(state.vehicles, request.match_info["vehicleId"], "Vehicle")
    action = _charging_action(body)
    _not_controlled(state, vehicle.id)
    override = state.smart_overrides.get(vehicle.id)
    if vehicle.smart_charging_enabled and (override is None or override.ended_at is not None):
        raise _controlled("The vehicle has an active Smart Charging plan.")
    _check_charge_preconditions(vehicle.is_plugged_in, vehicle.is_charging, action, "vehicle")
    if action == "START" and vehicle.is_fully_charged:
        raise bad_request("The vehicle is fully charged.")
    apply = vehicle.start if action == "START" else vehicle.stop
    created = state.create_action(
        user_id=vehicle.user_id,
        target_id=vehicle.id,
        target_type="vehicle",
        shape="charge",
        payload={"kind": action},
        apply=apply,
    )
    return _action_reply(created)


def _check_charge_preconditions(plugged_in: bool, charging: bool, action: str, kind: str) -> None:
    if action == "START" and not plugged_in:
        raise bad_request(f"The {kind} is not plugged in.")
    if (action == "START") == charging:
        raise bad_request(f"The {kind} is already in the desired state.")


async def _get_policy(request: web.Request, state: EnodeState, body: Any) -> Reply:
    vehicle = _device(state.vehicles, request.match_info["vehicleId"], "Vehicle")
    return 200, vehicle.policy_json()


async def _put_policy(request: web.Request, state: EnodeState, body: Any) -> Reply:
    vehicle = _device(state.vehicles, request.match_info["vehicleId"], "Vehicle")
    data = _object(body, {"isEnabled", "deadline", "minimumChargeLimit"}, set())
    enabled = data.get("isEnabled", vehicle.smart_charging_enabled)
    if not isinstance(enabled, bool):
        raise bad_request("isEnabled must be a boolean.")
    deadline = data.get("deadline", vehicle.deadline)
    if "deadline" in data and (not isinstance(deadline, str) or not HOUR_MINUTE.match(deadline)):
        raise bad_request("deadline must be an HH:MM time of day.")
    minimum = (
        _number(data, "minimumChargeLimit")
        if "minimumChargeLimit" in data
        else vehicle.minimum_charge_limit
    )
    if not 0 <= minimum <= vehicle.charge_limit:
        raise bad_request("minimumChargeLimit cannot exceed the vehicle's maximum charge limit.")
    if enabled and not deadline:
        raise bad_request("Smart charging does not work without a deadline.")
    vehicle.smart_charging_enabled = enabled
    vehicle.deadline = deadline
    vehicle.minimum_charge_limit = minimum
    return 200, vehicle.policy_json()


async def _create_override(request: web.Request, state: EnodeState, body: Any) -> Reply:
    vehicle = _device(state.vehicles, request.match_info["vehicleId"], "Vehicle")
    if not vehicle.is_plugged_in:
        raise bad_request("The vehicle is not plugged in.")
    current = state.smart_overrides.get(vehicle.id)
    if current is not None and current.ended_at is None:
        return 200, current.to_json()
    action_id: str | None = None
    if not vehicle.is_charging and not vehicle.is_fully_charged:
        action = state.create_action(
            user_id=vehicle.user_id,
            target_id=vehicle.id,
            target_type="vehicle",
            shape="charge",
            payload={"kind": "START"},
            apply=vehicle.start,
        )
        action_id = action.id
    override = SimSmartOverride(
        target_id=vehicle.id,
        user_id=vehicle.user_id,
        vendor=vehicle.vendor,
        created_at=state.now(),
        vendor_action_id=action_id,
        seen_charging=vehicle.is_charging,
    )
    state.smart_overrides[vehicle.id] = override
    return 200, override.to_json()


async def _end_override(request: web.Request, state: EnodeState, body: Any) -> Reply:
    vehicle = _device(state.vehicles, request.match_info["vehicleId"], "Vehicle")
    override = state.smart_overrides.get(vehicle.id)
    if override is None or override.ended_at is not None:
        raise not_found("No Smart Override Exists.")
    override.ended_at = state.now()
    return 200, override.to_json()


# --- chargers -------------------------------------------------------------------------------


async def _charger_charging(request: web.Request, state: EnodeState, body: Any) -> Reply:
    charger = _device(state.chargers, request.match_info["chargerId"], "Charger")
    action = _charging_action(body)
    _not_controlled(state, charger.id)
    _check_charge_preconditions(charger.is_plugged_in, charger.is_charging, action, "charger")
    created = state.create_action(
        user_id=charger.user_id,
        target_id=charger.id,
        target_type="charger",
        shape="charge",
        payload={"kind": action},
        apply=charger.start if action == "START" else charger.stop,
    )
    return _action_reply(created)


async def _charger_max_current(request: web.Request, state: EnodeState, body: Any) -> Reply:
    charger = _device(state.chargers, request.match_info["chargerId"], "Charger")
    data = _object(body, {"maxCurrent"}, {"maxCurrent"})
    amps = _number(data, "maxCurrent")
    if amps <= 0:
        raise bad_request("maxCurrent must be greater than 0.")
    if not charger.capabilities["setMaxCurrent"]["isCapable"]:
        raise bad_request("The charger cannot set its max current.")
    _not_controlled(state, charger.id)

    def apply() -> None:
        charger.max_current = amps

    created = state.create_action(
        user_id=charger.user_id,
        target_id=charger.id,
        target_type="charger",
        shape="max_current",
        payload={"targetState": {"maxCurrent": data["maxCurrent"]}},
        apply=apply,
    )
    return _action_reply(created)


# --- HVAC -----------------------------------------------------------------------------------


def _in_range(value: float, bounds: tuple[float, float], name: str) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise bad_request(f"{name} {value:g} is outside {bounds[0]:g}-{bounds[1]:g}.")


async def _hvac_hold(request: web.Request, state: EnodeState, body: Any) -> Reply:
    hvac = _device(state.hvacs, request.match_info["hvacId"], "HVAC unit")
    if not isinstance(body, dict) or body.get("mode") not in ("COOL", "HEAT", "AUTO", "OFF"):
        raise bad_request("mode must be one of COOL, HEAT, AUTO, OFF.")
    mode = str(body["mode"])
    keys = {
        "COOL": {"mode", "coolSetpoint"},
        "HEAT": {"mode", "heatSetpoint"},
        "AUTO": {"mode", "coolSetpoint", "heatSetpoint"},
        "OFF": {"mode"},
    }[mode]
    data = _object(body, keys, keys)
    if not hvac.capabilities["setPermanentHold"]["isCapable"]:
        raise bad_request("The HVAC unit cannot set a permanent hold.")
    if mode not in hvac.capable_modes:
        raise bad_request(f"The HVAC unit does not support mode {mode}.")
    heat = _number(data, "heatSetpoint") if "heatSetpoint" in keys else None
    cool = _number(data, "coolSetpoint") if "coolSetpoint" in keys else None
    if heat is not None:
        _in_range(heat, hvac.heat_range, "heatSetpoint")
    if cool is not None:
        _in_range(cool, hvac.cool_range, "coolSetpoint")
    if heat is not None and cool is not None:
        _in_range(cool - heat, hvac.difference_range, "coolSetpoint - heatSetpoint")
    _not_controlled(state, hvac.id)

    def apply() -> None:
        hvac.mode = mode
        hvac.hold_type = "PERMANENT"
        if heat is not None:
            hvac.heat_setpoint = heat
        if cool is not None:
            hvac.cool_setpoint = cool

    target = {key: data[key] for key in keys} | {"holdType": "PERMANENT"}
    created = state.create_action(
        user_id=hvac.user_id,
        target_id=hvac.id,
        target_type="hvac",
        shape="permanent_hold",
        payload={"target": target},
        apply=apply,
    )
    return _action_reply(created)


async def _hvac_follow_schedule(request: web.Request, state: EnodeState, body: Any) -> Reply:
    hvac = _device(state.hvacs, request.match_info["hvacId"], "HVAC unit")
    if not hvac.capabilities["setFollowSchedule"]["isCapable"]:
        raise bad_request("The HVAC unit cannot follow a schedule.")
    _not_controlled(state, hvac.id)

    def apply() -> None:
        hvac.hold_type = "SCHEDULED"
        hvac.mode = hvac.schedule_mode
        hvac.heat_setpoint = hvac.schedule_heat_setpoint

    created = state.create_action(
        user_id=hvac.user_id,
        target_id=hvac.id,
        target_type="hvac",
        shape="follow_schedule",
        payload={"target": {"holdType": "SCHEDULED"}},
        apply=apply,
    )
    return _action_reply(created)


# --- batteries ------------------------------------------------------------------------------


async def _battery_mode(request: web.Request, state: EnodeState, body: Any) -> Reply:
    battery = _device(state.batteries, request.match_info["batteryId"], "Battery")
    data = _object(body, {"operationMode"}, {"operationMode"})
    mode = data["operationMode"]
    if mode not in OPERATION_MODES:
        raise bad_request(
            "operationMode is invalid.", [{"path": ["operationMode"], "message": "Invalid enum"}]
        )
    if not battery.capabilities[BATTERY_MODE_CAPABILITIES[mode]]["isCapable"]:
        raise bad_request(f"The battery cannot use operation mode {mode}.")
    _not_controlled(state, battery.id)

    def apply() -> None:
        battery.operation_mode = mode

    created = state.create_action(
        user_id=battery.user_id,
        target_id=battery.id,
        target_type="battery",
        shape="operation_mode",
        payload={"targetState": {"operationMode": mode}},
        apply=apply,
    )
    return _action_reply(created)


# --- actions --------------------------------------------------------------------------------


def _find_action(request: web.Request, state: EnodeState, target_type: str) -> SimAction:
    action = state.actions.get(request.match_info["actionId"])
    if action is None or action.target_type != target_type:
        raise not_found("Action not found.")
    return action


def _action_getter(target_type: str) -> Handler:
    async def handler(request: web.Request, state: EnodeState, body: Any) -> Reply:
        return _action_reply(_find_action(request, state, target_type))

    return handler


def _action_canceller(target_type: str) -> Handler:
    async def handler(request: web.Request, state: EnodeState, body: Any) -> Reply:
        action = _find_action(request, state, target_type)
        if action.state != "PENDING":
            return 409, action.to_json()
        action.finish("CANCELLED", state.now(), "REQUESTED_CANCELLATION", "Cancelled by request.")
        return _action_reply(action)

    return handler


# --- users, link, interventions -------------------------------------------------------------


async def _link(request: web.Request, state: EnodeState, body: Any) -> Reply:
    user_id = request.match_info["userId"]
    data = _object(
        body,
        {"vendor", "vendorType", "scopes", "language", "redirectUri", "colorScheme"},
        {"scopes", "language", "redirectUri"},
    )
    scopes = data["scopes"]
    if not isinstance(scopes, list) or not scopes or not all(s in SCOPES for s in scopes):
        raise bad_request("scopes must be a non-empty list of valid scopes.")
    if data["language"] not in LINK_LANGUAGES:
        raise bad_request("language is not supported.")
    redirect = data["redirectUri"]
    if not isinstance(redirect, str) or not redirect or len(redirect) > 500:
        raise bad_request("redirectUri must be a URI of at most 500 characters.")
    if (
        state.connections_limit is not None
        and user_id not in state.users
        and len(state.users) >= state.connections_limit
    ):
        raise ProblemError(
            403,
            "forbidden",
            "Connections limit reached.",
            f"Unable to create more connections for ClientID: {_client_of(request, state)}",
        )
    state.users.add(user_id)
    link_token = secrets.token_urlsafe(18)
    state.link_sessions[link_token] = {"userId": user_id, **data}
    link_url = f"{request.scheme}://{request.host}{CONTROL_PREFIX}link/{link_token}"
    return 200, {"linkUrl": link_url, "linkToken": link_token}


def _client_of(request: web.Request, state: EnodeState) -> str:
    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    return state.token_client(token) or "unknown"


async def _list_interventions(request: web.Request, state: EnodeState, body: Any) -> Reply:
    language = request.query.get("language")
    vendor_type = request.query.get("vendorType")
    vendor = request.query.get("vendor")
    return 200, [
        item.to_json(language)
        for item in state.interventions.values()
        if (vendor_type is None or item.vendor_type == vendor_type)
        and (vendor is None or item.vendor == vendor)
    ]


async def _get_intervention(request: web.Request, state: EnodeState, body: Any) -> Reply:
    item = state.interventions.get(request.match_info["interventionId"])
    if item is None:
        raise not_found("Intervention not found.")
    return 200, item.to_json(request.query.get("language"))


async def _get_user(request: web.Request, state: EnodeState, body: Any) -> Reply:
    user_id = request.match_info["userId"]
    if user_id not in state.users:
        raise not_found(f"User {user_id} was not found.")
    return 200, {"id": user_id, "linkedVendors": state.linked_vendors(user_id)}


# --- webhooks -------------------------------------------------------------------------------

WEBHOOK_EVENTS = frozenset(
    {
        "*",
        "user:charge-action:updated",
        "user:vendor-action:updated",
        "user:schedule:execution-updated",
        "user:credentials:invalidated",
        "user:vehicle:smart-charging-status-updated",
        "user:inverter:statistics-updated",
        "enode:webhook:test",
    }
    | {
        f"user:{kind}:{change}"
        for kind in ("vehicle", "charger", "hvac", "battery", "inverter", "meter")
        for change in ("discovered", "updated", "deleted")
    }
)


def _webhook_fields(body: Any, required: set[str]) -> dict[str, Any]:
    data = _object(body, {"url", "secret", "events", "apiVersion", "authentication"}, required)
    if "url" in data:
        url = data["url"]
        if not isinstance(url, str) or not 8 <= len(url) <= 200 or not url.startswith("https://"):
            raise bad_request("url must be an HTTPS URL of 8 to 200 characters.")
    if "secret" in data:
        secret = data["secret"]
        if not isinstance(secret, str) or not 6 <= len(secret) <= 256:
            raise bad_request("secret must be 6 to 256 characters.")
    if "events" in data:
        events = data["events"]
        if not isinstance(events, list) or not all(item in WEBHOOK_EVENTS for item in events):
            raise bad_request("events must be a list of known events.")
    if data.get("apiVersion") not in (None, "2024-10-01"):
        raise bad_request("apiVersion is not valid.")
    return data


def _webhook(request: web.Request, state: EnodeState) -> SimWebhook:
    hook = state.webhooks.hooks.get(request.match_info["webhookId"])
    if hook is None:
        raise ProblemError(
            404,
            "not-found",
            "Webhook not found",
            f"Could not find webhook {request.match_info['webhookId']}",
        )
    return hook


async def _create_webhook(request: web.Request, state: EnodeState, body: Any) -> Reply:
    data = _webhook_fields(body, {"url", "secret"})
    if any(hook.url == data["url"] for hook in state.webhooks.hooks.values()):
        raise ProblemError(
            400, "bad-request", "Webhook input is not valid.", "Webhook already exists."
        )
    if not state.webhooks.hooks:
        # Events describe changes from the moment there is someone to tell.
        state.webhooks.baseline(state.all_devices_json())
    hook = state.webhooks.create(
        data["url"],
        data["secret"],
        list(data.get("events", ["*"])),
        data.get("apiVersion"),
        state.now(),
    )
    return 200, hook.to_json()


async def _list_webhooks(request: web.Request, state: EnodeState, body: Any) -> Reply:
    return 200, _page(request, [hook.to_json() for hook in state.webhooks.hooks.values()])


async def _get_webhook(request: web.Request, state: EnodeState, body: Any) -> Reply:
    return 200, _webhook(request, state).to_json()


async def _update_webhook(request: web.Request, state: EnodeState, body: Any) -> Reply:
    hook = _webhook(request, state)
    data = _webhook_fields(body, set())
    hook.url = data.get("url", hook.url)
    hook.secret = data.get("secret", hook.secret)
    hook.events = list(data.get("events", hook.events))
    hook.api_version = data.get("apiVersion", hook.api_version)
    # Updating a subscription makes it active again.
    hook.is_active = True
    hook.failures = 0
    hook.next_attempt = None
    return 200, hook.to_json()


async def _delete_webhook(request: web.Request, state: EnodeState, body: Any) -> Reply:
    hook = _webhook(request, state)
    del state.webhooks.hooks[hook.id]
    return 204, None


async def _test_webhook(request: web.Request, state: EnodeState, body: Any) -> Reply:
    hook = _webhook(request, state)
    return 200, await state.webhooks.test(hook, state.now())


async def _unknown(request: web.Request, state: EnodeState, body: Any) -> Reply:
    raise not_found(f"No route for {request.method} {request.path}.")


# --- wiring ---------------------------------------------------------------------------------

# (method, OpenAPI path, operationId, handler). Action routes come before the device routes
# they would otherwise be shadowed by.
OPERATIONS: tuple[tuple[str, str, str, Handler], ...] = (
    ("GET", "/vehicles/actions/{actionId}", "getVehiclesAction", _action_getter("vehicle")),
    (
        "POST",
        "/vehicles/actions/{actionId}/cancel",
        "cancelVehicleAction",
        _action_canceller("vehicle"),
    ),
    ("GET", "/chargers/actions/{actionId}", "getChargersAction", _action_getter("charger")),
    (
        "POST",
        "/chargers/actions/{actionId}/cancel",
        "cancelChargerAction",
        _action_canceller("charger"),
    ),
    ("GET", "/hvacs/actions/{actionId}", "getHvacsAction", _action_getter("hvac")),
    ("POST", "/hvacs/actions/{actionId}/cancel", "cancelHvacAction", _action_canceller("hvac")),
    ("GET", "/batteries/actions/{actionId}", "getBatteriesAction", _action_getter("battery")),
    (
        "POST",
        "/batteries/actions/{actionId}/cancel",
        "cancelBatteryAction",
        _action_canceller("battery"),
    ),
    ("GET", "/users/{userId}/vehicles", "listUserVehicles", _lister("vehicles")),
    ("GET", "/users/{userId}/chargers", "listUserChargers", _lister("chargers")),
    ("GET", "/users/{userId}/hvacs", "listUserHVACs", _lister("hvacs")),
    ("GET", "/users/{userId}/batteries", "listUserBatteries", _lister("batteries")),
    ("GET", "/users/{userId}/inverters", "listUserInverters", _lister("inverters")),
    ("GET", "/users/{userId}/meters", "listUserMeters", _lister("meters")),
    ("GET", "/vehicles/{vehicleId}", "getVehicle", _getter("vehicles", "vehicleId", "Vehicle")),
    ("GET", "/chargers/{chargerId}", "getCharger", _getter("chargers", "chargerId", "Charger")),
    ("GET", "/hvacs/{hvacId}", "getHVAC", _getter("hvacs", "hvacId", "HVAC unit")),
    (
        "GET",
        "/batteries/{batteryId}",
        "getBattery",
        _getter("batteries", "batteryId", "Battery"),
    ),
    (
        "GET",
        "/inverters/{inverterId}",
        "getInverter",
        _getter("inverters", "inverterId", "Inverter"),
    ),
    ("GET", "/meters/{meterId}", "getMeter", _getter("meters", "meterId", "Meter")),
    (
        "POST",
        "/vehicles/{vehicleId}/charging",
        "postVehiclesVehicleidCharging",
        _vehicle_charging,
    ),
    (
        "GET",
        "/vehicles/{vehicleId}/smart-charging-policy",
        "getVehiclesVehicleidSmartchargingpolicy",
        _get_policy,
    ),
    (
        "PUT",
        "/vehicles/{vehicleId}/smart-charging-policy",
        "updateVehicleSmartChargingPolicy",
        _put_policy,
    ),
    (
        "POST",
        "/vehicles/{vehicleId}/smart-override",
        "vehicleCreateSmartOverride",
        _create_override,
    ),
    ("DELETE", "/vehicles/{vehicleId}/smart-override", "vehicleEndSmartOverride", _end_override),
    ("POST", "/chargers/{chargerId}/charging", "controlChargerCharging", _charger_charging),
    (
        "POST",
        "/chargers/{chargerId}/max-current",
        "postSetChargerMaxCurrent",
        _charger_max_current,
    ),
    ("POST", "/hvacs/{hvacId}/permanent-hold", "postSetHvacPermanentHold", _hvac_hold),
    (
        "POST",
        "/hvacs/{hvacId}/follow-schedule",
        "postSetHvacFollowSchedule",
        _hvac_follow_schedule,
    ),
    ("POST", "/batteries/{batteryId}/operation-mode", "postUserSetOperationMode", _battery_mode),
    ("POST", "/users/{userId}/link", "postUsersUseridLink", _link),
    ("GET", "/interventions", "listInterventions", _list_interventions),
    ("GET", "/interventions/{interventionId}", "getIntervention", _get_intervention),
    ("GET", "/users/{userId}", "getUser", _get_user),
    ("POST", "/webhooks", "createWebhook", _create_webhook),
    ("GET", "/webhooks", "listWebhooks", _list_webhooks),
    ("GET", "/webhooks/{webhookId}", "getWebhook", _get_webhook),
    ("PATCH", "/webhooks/{webhookId}", "updateWebhook", _update_webhook),
    ("DELETE", "/webhooks/{webhookId}", "deleteWebhook", _delete_webhook),
    ("POST", "/webhooks/{webhookId}/test", "testWebhook", _test_webhook),
)


# --- simulator controls ---------------------------------------------------------------------


def _controls(state: EnodeState) -> list[web.RouteDef]:
    async def expire_tokens(request: web.Request) -> web.Response:
        state.expire_tokens()
        return web.json_response({"ok": True})

    async def advance(request: web.Request) -> web.Response:
        try:
            data = await request.json()
            seconds = float(data["seconds"])
        except (ValueError, KeyError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        state.advance(seconds)
        return web.json_response({"now": state.now().isoformat()})

    async def action_outcomes(request: web.Request) -> web.Response:
        try:
            data = await request.json()
            items = data if isinstance(data, list) else [data]
            outcomes = [ActionOutcome.from_json(item) for item in items]
        except (ValueError, TypeError, AttributeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        state.queue_action_outcomes(*outcomes)
        return web.json_response({"queued": len(outcomes)}, status=201)

    async def link(request: web.Request) -> web.Response:
        """The Link UI stand-in: linking succeeds at once and returns to the redirect URI."""
        session = state.link_sessions.pop(request.match_info["linkToken"], None)
        if session is None:
            return web.Response(status=404, text="This link session has expired or was used.")
        redirect = str(session["redirectUri"])
        separator = "&" if "?" in redirect else "?"
        raise web.HTTPFound(redirect + separator + urlencode({"userId": session["userId"]}))

    return [
        web.post(CONTROL_PREFIX + "expire-tokens", expire_tokens),
        web.post(CONTROL_PREFIX + "advance", advance),
        web.post(CONTROL_PREFIX + "action-outcomes", action_outcomes),
        web.get(CONTROL_PREFIX + "link/{linkToken}", link),
    ]


def setup(app: web.Application, state: SimulatorState) -> None:
    """Register the Enode routes (API, token endpoint, controls) on the app."""
    enode = state.enode
    app.router.add_post(TOKEN_PATH, _token_handler(enode), name=ROUTE_PREFIX + "token")
    for method, path, operation_id, handler in OPERATIONS:
        app.router.add_route(
            method,
            ENODE_PREFIX + path,
            _wrap(enode, operation_id, handler),
            name=ROUTE_PREFIX + operation_id,
        )
    app.router.add_route("*", ENODE_PREFIX + "/{tail:.*}", _wrap(enode, "unknown", _unknown))
    app.router.add_routes(_controls(enode))
