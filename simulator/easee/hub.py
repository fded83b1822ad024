"""Easee's SignalR hub (`/hubs/chargers`, on streams.easee.com for real) over aiohttp websockets.

What the real hub does, and where it is known from:

- ``POST /hubs/chargers/negotiate`` with ``Authorization: Bearer <accessToken>`` answers the
  version-0 negotiation, `{"negotiateVersion": 0, "connectionId", "availableTransports"}`
  (verbatim in evcc-io/evcc#11486); 401 without a valid token.
- ``GET /hubs/chargers?id=<connectionId>`` upgrades to a websocket; an unknown or reused id is
  404 (ASP.NET's TransportProtocols.md), which is what makes clients negotiate again.
- JSON hub protocol, every message ending in 0x1E: the client's handshake
  `{"protocol": "json", "version": 1}` is answered with `{}`; pings (type 6) are ignored.
- ``SubscribeWithCurrentState(<charger id>, true)`` replays every current observation of the
  charger, then pushes changes, one `ProductUpdate` invocation (type 1, no invocationId) per
  observation `{"mid", "dataType", "id", "timestamp", "value"}`; values are strings,
  booleans "1"/"0" (evcc and futurehome read them so). A blocking invocation (with an
  invocationId) is answered with a Completion.

The simulator looks for changes every `PUSH_INTERVAL` seconds (of the event loop's clock, so a
frozen test clock moves it on) and at once after a command, a settings change or a control
action. Test hooks: refuse new connections (`refuse`, or any fault on ``/hubs/``), drop the
open ones (`drop`), push observations or raw text of any shape (`push_raw`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from .scenario import EaseeUser, SimCharger
from .state import EaseeState, SimulatedEaseeError

HUB_PATH = "/hubs/chargers"
RECORD_SEPARATOR = "\x1e"
PUSH_INTERVAL = 1.0
"""Seconds between looks for changed observations."""

HUB_KEY: web.AppKey[EaseeHub] = web.AppKey("easee_hub")

# dataType codes (pyeasee DatatypesStreamData, evcc signalr.go): 2 boolean, 3 double,
# 4 integer, 6 string.
BOOLEAN, DOUBLE, INTEGER, STRING = 2, 3, 4, 6


def _flag(value: bool) -> str:
    return "1" if value else "0"


def observations(charger: SimCharger) -> dict[int, tuple[int, str]]:
    """A charger's observations by id: (dataType, value as the hub writes it).

    An offline charger reports only that it is not connected to the cloud.
    """
    if not charger.online:
        return {250: (BOOLEAN, _flag(False))}
    return {
        30: (BOOLEAN, _flag(charger.lock_cable_permanently)),
        31: (BOOLEAN, _flag(charger.enabled)),
        38: (INTEGER, str(charger.phase_mode)),
        42: (BOOLEAN, _flag(charger.authorization_required)),
        45: (INTEGER, str(charger.offline_charging_mode)),
        46: (INTEGER, str(charger.led_mode)),
        47: (DOUBLE, repr(float(charger.max_charger_current))),
        48: (DOUBLE, repr(float(charger.dynamic_charger_current))),
        96: (INTEGER, str(charger.reason_for_no_current)),
        100: (STRING, charger.pilot_mode),
        102: (BOOLEAN, _flag(charger.smart_charging)),
        103: (BOOLEAN, _flag(charger.cable_locked)),
        104: (DOUBLE, repr(float(charger.cable_rating))),
        109: (INTEGER, str(charger.op_mode)),
        110: (INTEGER, str(charger.output_phase)),
        114: (DOUBLE, repr(float(charger.output_current))),
        120: (DOUBLE, repr(float(charger.total_power))),
        121: (DOUBLE, repr(round(charger.session_energy, 4))),
        124: (DOUBLE, repr(round(charger.lifetime_energy, 4))),
        250: (BOOLEAN, _flag(True)),
    }


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _frame(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":")) + RECORD_SEPARATOR


def product_update(charger_id: str, observation_id: int, data_type: int, value: str) -> str:
    """One `ProductUpdate` invocation frame."""
    observation = {
        "mid": charger_id,
        "dataType": data_type,
        "id": observation_id,
        "timestamp": _now_iso(),
        "value": value,
    }
    return _frame({"type": 1, "target": "ProductUpdate", "arguments": [observation]})


@dataclass(eq=False)
class HubConnection:
    """One open websocket and what it has been sent."""

    ws: web.WebSocketResponse
    user: EaseeUser
    sent: dict[str, dict[int, tuple[int, str]]] = field(default_factory=dict)
    """Per subscribed charger, the observations as last sent."""
    wake: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(eq=False)
class EaseeHub:
    """The hub's connections; `state` is looked up on each use (tests may replace it)."""

    state: Callable[[], EaseeState]
    refuse: bool = False
    """Refuse negotiations (503), as when the stream service is down."""
    pending: dict[str, EaseeUser] = field(default_factory=dict)
    connections: set[HubConnection] = field(default_factory=set)
    negotiations: int = 0
    subscriptions: int = 0

    def notify(self) -> None:
        """Something changed: look for changed observations now."""
        for connection in self.connections:
            connection.wake.set()

    async def drop(self) -> int:
        """Close every open connection (as when Easee restarts a hub node); how many."""
        dropped = list(self.connections)
        for connection in dropped:
            await connection.ws.close()
        return len(dropped)

    async def push_raw(self, text: str, charger_id: str | None = None) -> int:
        """Send text as it is to every connection (subscribed to `charger_id` if given)."""
        sent = 0
        for connection in list(self.connections):
            if charger_id is None or charger_id in connection.sent:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await connection.ws.send_str(text)
                    sent += 1
        return sent

    # --- protocol ---------------------------------------------------------------------------

    def negotiate(self, header: str | None) -> dict[str, Any]:
        """`POST /hubs/chargers/negotiate` (SimulatedEaseeError 401 without a valid token)."""
        sim = self.state()
        user = sim.authenticate(header)
        self.negotiations += 1
        connection_id = secrets.token_urlsafe(16)
        self.pending[connection_id] = user
        return {
            "negotiateVersion": 0,
            "connectionId": connection_id,
            "availableTransports": [
                {"transport": "WebSockets", "transferFormats": ["Text", "Binary"]},
                {"transport": "ServerSentEvents", "transferFormats": ["Text"]},
                {"transport": "LongPolling", "transferFormats": ["Text", "Binary"]},
            ],
        }

    async def serve(self, request: web.Request, user: EaseeUser) -> web.WebSocketResponse:
        """The websocket of one negotiated connection until either side closes it."""
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        connection = HubConnection(ws, user)
        if not await self._handshake(ws):
            await ws.close()
            return ws
        self.connections.add(connection)
        pusher = asyncio.get_running_loop().create_task(self._push_changes(connection))
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                for record in message.data.split(RECORD_SEPARATOR):
                    if record:
                        await self._on_record(connection, record)
        finally:
            self.connections.discard(connection)
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pusher
        return ws

    async def _handshake(self, ws: web.WebSocketResponse) -> bool:
        try:
            async with asyncio.timeout(15):
                message = await ws.receive()
        except TimeoutError:
            return False
        if message.type is not WSMsgType.TEXT:
            return False
        try:
            request = json.loads(message.data.split(RECORD_SEPARATOR)[0])
        except ValueError:
            return False
        if not isinstance(request, dict) or request.get("protocol") != "json":
            await ws.send_str(_frame({"error": "Requested protocol is not available."}))
            return False
        await ws.send_str(_frame({}))
        return True

    async def _on_record(self, connection: HubConnection, record: str) -> None:
        try:
            message = json.loads(record)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("type") != 1:
            return  # pings, completions, anything else: nothing to answer
        invocation_id = message.get("invocationId")
        arguments = message.get("arguments")
        if message.get("target") != "SubscribeWithCurrentState" or not isinstance(arguments, list):
            if invocation_id is not None:
                await connection.ws.send_str(
                    _frame({"type": 3, "invocationId": invocation_id, "error": "Unknown method"})
                )
            return
        charger_id = arguments[0] if arguments else None
        sim = self.state()
        try:
            charger = sim.charger_of(connection.user, str(charger_id))
        except SimulatedEaseeError:
            charger = None
        if invocation_id is not None:
            await connection.ws.send_str(
                _frame({"type": 3, "invocationId": invocation_id})
                if charger is not None
                else _frame({"type": 3, "invocationId": invocation_id, "error": "Not found"})
            )
        if charger is None:
            return
        self.subscriptions += 1
        connection.sent[charger.charger_id] = {}
        # With current state: the whole state now, then the changes.
        await self._send_changes(connection)

    async def _push_changes(self, connection: HubConnection) -> None:
        while not connection.ws.closed:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(PUSH_INTERVAL):
                    await connection.wake.wait()
            connection.wake.clear()
            try:
                await self._send_changes(connection)
            except ConnectionError, RuntimeError:
                return

    async def _send_changes(self, connection: HubConnection) -> None:
        sim = self.state()
        sim.sync()
        for charger_id, sent in connection.sent.items():
            charger = sim.chargers.get(charger_id)
            if charger is None:
                continue
            for observation_id, (data_type, value) in observations(charger).items():
                if sent.get(observation_id) == (data_type, value):
                    continue
                await connection.ws.send_str(
                    product_update(charger_id, observation_id, data_type, value)
                )
                sent[observation_id] = (data_type, value)


def setup(app: web.Application, state: Callable[[], EaseeState], control_prefix: str) -> EaseeHub:
    """Serve the hub on the app (and its control endpoints under `control_prefix`)."""
    hub = EaseeHub(state)
    app[HUB_KEY] = hub

    async def negotiate(request: web.Request) -> web.Response:
        if not state().stream:
            return web.Response(status=404, text="Not Found")
        if hub.refuse:
            return web.json_response({"error": "Service unavailable"}, status=503)
        try:
            return web.json_response(hub.negotiate(request.headers.get("Authorization")))
        except SimulatedEaseeError as err:
            return web.json_response(err.body(), status=err.status)

    async def connect(request: web.Request) -> web.StreamResponse:
        user = hub.pending.pop(request.query.get("id", ""), None)
        if user is None:
            return web.Response(status=404, text="No Connection with that ID")
        try:
            if state().authenticate(request.headers.get("Authorization")) != user:
                return web.Response(status=401)
        except SimulatedEaseeError:
            return web.Response(status=401)
        return await hub.serve(request, user)

    async def drop(request: web.Request) -> web.Response:
        return web.json_response({"dropped": await hub.drop()})

    async def refuse(request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        hub.refuse = bool(body.get("refuse", True)) if isinstance(body, dict) else True
        return web.json_response({"refuse": hub.refuse})

    async def push(request: web.Request) -> web.Response:
        """`{"text": "<raw>"}` as it is, or `{"observations": [{...}, ...]}` as ProductUpdates."""
        body = await request.json()
        if not isinstance(body, dict):
            return web.json_response({"error": "an object"}, status=400)
        if isinstance(body.get("text"), str):
            return web.json_response({"sent": await hub.push_raw(body["text"])})
        items = body.get("observations")
        if not isinstance(items, list):
            return web.json_response({"error": "text or observations"}, status=400)
        text = "".join(
            _frame({"type": 1, "target": "ProductUpdate", "arguments": [item]}) for item in items
        )
        return web.json_response({"sent": await hub.push_raw(text)})

    app.router.add_post(HUB_PATH + "/negotiate", negotiate)
    app.router.add_get(HUB_PATH, connect)
    app.router.add_post(control_prefix + "stream/drop", drop)
    app.router.add_post(control_prefix + "stream/refuse", refuse)
    app.router.add_post(control_prefix + "stream/push", push)
    return hub


async def operation_name(request: web.Request) -> str | None:
    """`easee.negotiate` or `easee.stream` (the websocket) for requests to the hub."""
    if request.path == HUB_PATH + "/negotiate":
        return "easee.negotiate"
    if request.path == HUB_PATH:
        return "easee.stream"
    return None
