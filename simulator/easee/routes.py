"""HTTP endpoints of the Easee cloud API (paths as on api.easee.com) plus control endpoints.

Served (every path but the two sign-in ones needs `Authorization: Bearer <accessToken>`):

- ``POST /api/accounts/login`` ``{"userName", "password"}`` and
  ``POST /api/accounts/refresh_token`` ``{"accessToken", "refreshToken"}``
- ``GET /api/sites``, ``GET /api/sites/{id}[?detailed=true]``, ``GET /api/accounts/products``
- ``GET /api/chargers``, ``GET /api/chargers/{id}``, ``.../state``, ``.../config``
- ``POST /api/chargers/{id}/commands/{start|stop|pause|resume}_charging`` (202, a receipt)
- ``POST /api/chargers/{id}/settings`` (202, a list of receipts)

Control (not logged, no faults): ``POST /_simulator/easee/chargers/{id}/plug-in``
(``{"demand_kwh": 20}``), ``.../unplug``, ``.../fail``, ``.../repair``,
``POST /_simulator/easee/advance`` (``{"seconds": 60}``), ``POST /_simulator/easee/expire-tokens``,
``POST /_simulator/easee/revoke-refresh-tokens``.

The observation stream (`hub.py`, when `EaseeState.stream` is on): ``POST /hubs/chargers/negotiate``
and the websocket ``GET /hubs/chargers?id=...``; control ``POST /_simulator/easee/stream/drop``,
``.../stream/refuse`` (``{"refuse": true}``) and ``.../stream/push`` (``{"text"}`` or
``{"observations"}``).

Request log and faults see Easee requests with the operation names ``easee.<operation>``
(`operation_name`), e.g. ``easee.login``, ``easee.state``, ``easee.start_charging``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import hub as hub_routes
from .scenario import EaseeUser, SimCharger, SimSite
from .state import EaseeState, SimulatedEaseeError

if TYPE_CHECKING:
    from simulator.state import SimulatorState

Handler = Callable[[web.Request], Awaitable[web.Response]]

API_PREFIX = "/api/"
# Same as simulator.app.CONTROL_PREFIX (not imported: the app imports this module).
CONTROL_PREFIX = "/_simulator/easee/"

_CREATED = "2024-03-01T09:00:00Z"
_OPERATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"^/api/accounts/login$", "login"),
        (r"^/api/accounts/refresh_token$", "refresh_token"),
        (r"^/api/accounts/products$", "products"),
        (r"^/api/sites$", "sites"),
        (r"^/api/sites/[^/]+$", "site"),
        (r"^/api/chargers$", "chargers"),
        (r"^/api/chargers/[^/]+$", "charger"),
        (r"^/api/chargers/[^/]+/state$", "state"),
        (r"^/api/chargers/[^/]+/config$", "config"),
        (r"^/api/chargers/[^/]+/settings$", "settings"),
    )
)
_COMMAND_PATH = re.compile(r"^/api/chargers/[^/]+/commands/([^/]+)$")


async def operation_name(request: web.Request) -> str | None:
    """The Easee operation a request runs, as `easee.<operation>` (None: not an Easee path)."""
    path = request.path
    command = _COMMAND_PATH.match(path)
    if command:
        return f"easee.{command.group(1)}"
    for pattern, name in _OPERATIONS:
        if pattern.match(path):
            return f"easee.{name}"
    return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _failure(error: SimulatedEaseeError) -> web.Response:
    return web.json_response(error.body(), status=error.status)


async def _json_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    try:
        return await request.json()
    except ValueError, UnicodeDecodeError:
        return None


def charger_json(charger: SimCharger) -> dict[str, Any]:
    """A charger as listed under a site's circuit or by `GET /api/chargers`."""
    return {
        "id": charger.charger_id,
        "name": charger.name,
        "color": 4,
        "createdOn": _CREATED,
        "updatedOn": _CREATED,
        "backPlate": {"id": f"BP{charger.charger_id[2:]}", "masterBackPlateId": None},
        "levelOfAccess": 1,
        "productCode": charger.product_code,
    }


def state_json(charger: SimCharger) -> dict[str, Any]:
    """`GET /api/chargers/{id}/state`."""
    current = charger.output_current
    phases = charger.phases if current else 0
    return {
        "smartCharging": charger.smart_charging,
        "cableLocked": charger.cable_locked,
        "chargerOpMode": charger.op_mode,
        "totalPower": charger.total_power,
        "sessionEnergy": round(charger.session_energy, 4),
        "energyPerHour": charger.total_power,
        "wiFiRSSI": -58,
        "cellRSSI": None,
        "localRSSI": None,
        "outputPhase": charger.output_phase,
        "dynamicCircuitCurrentP1": 40.0,
        "dynamicCircuitCurrentP2": 40.0,
        "dynamicCircuitCurrentP3": 40.0,
        "latestPulse": _iso(charger.latest_pulse),
        "chargerFirmware": charger.firmware,
        "voltage": charger.voltage,
        "chargerRAT": 1,
        "lockCablePermanently": charger.lock_cable_permanently,
        "inCurrentT2": current if phases >= 1 else 0.0,
        "inCurrentT3": current if phases == 3 else 0.0,
        "inCurrentT4": current if phases == 3 else 0.0,
        "inCurrentT5": 0.0,
        "outputCurrent": current,
        "isOnline": charger.online,
        "inVoltageT1T2": charger.voltage,
        "inVoltageT1T3": charger.voltage,
        "inVoltageT1T4": charger.voltage,
        "inVoltageT1T5": charger.voltage,
        "inVoltageT2T3": 400.0,
        "inVoltageT2T4": 400.0,
        "inVoltageT2T5": 400.0,
        "inVoltageT3T4": 400.0,
        "inVoltageT3T5": 400.0,
        "inVoltageT4T5": 400.0,
        "ledMode": charger.led_mode,
        "cableRating": charger.cable_rating,
        "dynamicChargerCurrent": charger.dynamic_charger_current,
        "circuitTotalAllocatedPhaseConductorCurrentL1": current if phases >= 1 else None,
        "circuitTotalAllocatedPhaseConductorCurrentL2": current if phases == 3 else None,
        "circuitTotalAllocatedPhaseConductorCurrentL3": current if phases == 3 else None,
        "circuitTotalPhaseConductorCurrentL1": current if phases >= 1 else None,
        "circuitTotalPhaseConductorCurrentL2": current if phases == 3 else None,
        "circuitTotalPhaseConductorCurrentL3": current if phases == 3 else None,
        "reasonForNoCurrent": charger.reason_for_no_current,
        "wiFiAPEnabled": False,
        "lifetimeEnergy": round(charger.lifetime_energy, 4),
        "offlineMaxCircuitCurrentP1": 16,
        "offlineMaxCircuitCurrentP2": 16,
        "offlineMaxCircuitCurrentP3": 16,
        "errorCode": 0,
        "fatalErrorCode": 0,
        "errors": [],
        "eqAvailableCurrentP1": None,
        "eqAvailableCurrentP2": None,
        "eqAvailableCurrentP3": None,
        "deratedCurrent": None,
        "deratingActive": False,
        "connectedToCloud": charger.online,
        "pilotMode": charger.pilot_mode,
    }


def config_json(charger: SimCharger) -> dict[str, Any]:
    """`GET /api/chargers/{id}/config`."""
    return {
        "isEnabled": charger.enabled,
        "lockCablePermanently": charger.lock_cable_permanently,
        "authorizationRequired": charger.authorization_required,
        "remoteStartRequired": False,
        "smartButtonEnabled": charger.smart_button_enabled,
        "wiFiSSID": "home-wifi",
        "detectedPowerGridType": 1,
        "offlineChargingMode": charger.offline_charging_mode,
        "circuitMaxCurrentP1": 40.0,
        "circuitMaxCurrentP2": 40.0,
        "circuitMaxCurrentP3": 40.0,
        "enableIdleCurrent": False,
        "limitToSinglePhaseCharging": charger.phase_mode == 1,
        "phaseMode": charger.phase_mode,
        "localNodeType": 1,
        "localAuthorizationRequired": False,
        "localRadioChannel": 7,
        "localShortAddress": 0,
        "localParentAddrOrNumOfNodes": 0,
        "localPreAuthorizeEnabled": False,
        "localAuthorizeOfflineEnabled": False,
        "allowOfflineTxForUnknownId": False,
        "maxChargerCurrent": charger.max_charger_current,
        "ledStripBrightness": 50,
        "chargingSchedule": None,
    }


def site_json(state: EaseeState, site: SimSite, *, detailed: bool) -> dict[str, Any]:
    """A site; with its circuit and the circuit's chargers when `detailed`."""
    body: dict[str, Any] = {
        "id": site.site_id,
        "siteKey": site.site_key,
        "name": site.name,
        "levelOfAccess": 1,
        "address": {
            "street": "Simulator Lane 1",
            "buildingNumber": None,
            "zip": "0150",
            "area": "Oslo",
            "country": {"id": "NO", "name": "Norway", "phonePrefix": 47},
        },
        "installerAlias": None,
    }
    if detailed:
        body["circuits"] = [
            {
                "id": site.circuit_id,
                "siteId": site.site_id,
                "circuitPanelId": 1,
                "panelName": "1",
                "ratedCurrent": 40.0,
                "fuse": 40.0,
                "chargers": [
                    charger_json(state.chargers[charger_id])
                    for charger_id in site.charger_ids
                    if charger_id in state.chargers
                ],
                "masterBackplate": None,
                "useDynamicMaster": False,
                "parentCircuitId": None,
            }
        ]
        body["equalizers"] = []
    return body


def setup(app: web.Application, state: SimulatorState) -> None:
    """Register the Easee routes (and its control endpoints) on the app."""

    def easee() -> EaseeState:
        # Looked up per request, so a test may replace `state.easee` while serving.
        state.easee.sync()
        return state.easee

    hub = hub_routes.setup(app, easee, CONTROL_PREFIX)

    async def close_streams(_app: web.Application) -> None:
        await hub.drop()

    app.on_shutdown.append(close_streams)
    # Named in the request log as `easee.negotiate` / `easee.stream` (the app keeps the table).
    from simulator.app import EXTRACTORS_KEY  # noqa: PLC0415 - the app imports this module

    app[EXTRACTORS_KEY][hub_routes.HUB_PATH] = hub_routes.operation_name

    def user_of(request: web.Request, sim: EaseeState) -> EaseeUser:
        return sim.authenticate(request.headers.get("Authorization"))

    async def login(request: web.Request) -> web.Response:
        sim = easee()
        body = await _json_body(request)
        body = body if isinstance(body, dict) else {}
        try:
            return web.json_response(sim.login(body.get("userName"), body.get("password")))
        except SimulatedEaseeError as err:
            return _failure(err)

    async def refresh_token(request: web.Request) -> web.Response:
        sim = easee()
        body = await _json_body(request)
        body = body if isinstance(body, dict) else {}
        try:
            return web.json_response(sim.refresh(body.get("accessToken"), body.get("refreshToken")))
        except SimulatedEaseeError as err:
            return _failure(err)

    async def sites(request: web.Request) -> web.Response:
        sim = easee()
        try:
            user = user_of(request, sim)
        except SimulatedEaseeError as err:
            return _failure(err)
        return web.json_response(
            [site_json(sim, site, detailed=False) for site in sim.sites_of(user)]
        )

    async def site(request: web.Request) -> web.Response:
        sim = easee()
        try:
            user = user_of(request, sim)
            try:
                site_id = int(request.match_info["site_id"])
            except ValueError:
                site_id = -1
            found = sim.site_of(user, site_id)
        except SimulatedEaseeError as err:
            return _failure(err)
        detailed = request.query.get("detailed", "").lower() == "true"
        return web.json_response(site_json(sim, found, detailed=detailed))

    async def products(request: web.Request) -> web.Response:
        sim = easee()
        try:
            user = user_of(request, sim)
        except SimulatedEaseeError as err:
            return _failure(err)
        return web.json_response(
            [site_json(sim, site, detailed=True) for site in sim.sites_of(user)]
        )

    async def chargers(request: web.Request) -> web.Response:
        sim = easee()
        try:
            user = user_of(request, sim)
        except SimulatedEaseeError as err:
            return _failure(err)
        return web.json_response([charger_json(charger) for charger in sim.chargers_of(user)])

    def charger_handler(render: Callable[[SimCharger], dict[str, Any]]) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            sim = easee()
            try:
                user = user_of(request, sim)
                charger = sim.charger_of(user, request.match_info["charger_id"])
            except SimulatedEaseeError as err:
                return _failure(err)
            return web.json_response(render(charger))

        return handler

    async def command(request: web.Request) -> web.Response:
        sim = easee()
        try:
            user = user_of(request, sim)
            charger = sim.charger_of(user, request.match_info["charger_id"])
            receipt = sim.command(charger, request.match_info["command"])
        except SimulatedEaseeError as err:
            return _failure(err)
        hub.notify()
        return web.json_response(receipt, status=202)

    async def settings(request: web.Request) -> web.Response:
        sim = easee()
        try:
            user = user_of(request, sim)
            charger = sim.charger_of(user, request.match_info["charger_id"])
            receipts = sim.settings(charger, await _json_body(request))
        except SimulatedEaseeError as err:
            return _failure(err)
        hub.notify()
        return web.json_response(receipts, status=202)

    # --- control ------------------------------------------------------------------------------

    def control_charger(action: str) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            sim = easee()
            charger = sim.chargers.get(request.match_info["charger_id"])
            if charger is None:
                return web.json_response({"error": "no such charger"}, status=404)
            if action == "plug-in":
                body = await _json_body(request)
                demand = body.get("demand_kwh", 20.0) if isinstance(body, dict) else 20.0
                charger.plug_in(float(demand))
            elif action == "unplug":
                charger.unplug()
            elif action == "fail":
                charger.fail()
            else:
                charger.repair()
            hub.notify()
            return web.json_response(state_json(charger))

        return handler

    async def advance(request: web.Request) -> web.Response:
        sim = easee()
        body = await _json_body(request)
        seconds = body.get("seconds") if isinstance(body, dict) else None
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            return web.json_response({"error": "seconds: a number >= 0"}, status=400)
        sim.advance(float(seconds))
        hub.notify()
        return web.json_response(
            {charger_id: state_json(charger) for charger_id, charger in sim.chargers.items()}
        )

    async def expire_tokens(request: web.Request) -> web.Response:
        easee().expire_access_tokens()
        return web.json_response({"ok": True})

    async def revoke_refresh_tokens(request: web.Request) -> web.Response:
        easee().revoke_refresh_tokens()
        return web.json_response({"ok": True})

    router = app.router
    router.add_post("/api/accounts/login", login)
    router.add_post("/api/accounts/refresh_token", refresh_token)
    router.add_get("/api/accounts/products", products)
    router.add_get("/api/sites", sites)
    router.add_get("/api/sites/{site_id}", site)
    router.add_get("/api/chargers", chargers)
    router.add_get("/api/chargers/{charger_id}", charger_handler(charger_json))
    router.add_get("/api/chargers/{charger_id}/state", charger_handler(state_json))
    router.add_get("/api/chargers/{charger_id}/config", charger_handler(config_json))
    router.add_post("/api/chargers/{charger_id}/commands/{command}", command)
    router.add_post("/api/chargers/{charger_id}/settings", settings)
    for action in ("plug-in", "unplug", "fail", "repair"):
        router.add_post(CONTROL_PREFIX + "chargers/{charger_id}/" + action, control_charger(action))
    router.add_post(CONTROL_PREFIX + "advance", advance)
    router.add_post(CONTROL_PREFIX + "expire-tokens", expire_tokens)
    router.add_post(CONTROL_PREFIX + "revoke-refresh-tokens", revoke_refresh_tokens)
