"""The simulator's aiohttp application and an in-process runner."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .easee import routes as easee_routes
from .enode import routes as enode_routes
from .faults import Fault, FaultKind
from .kraken import routes as kraken_routes
from .kraken.dialects import GB_DIALECTS
from .kraken.telemetry import home_minis
from .state import SimulatorState

CONTROL_PREFIX = "/_simulator/"

OperationExtractor = Callable[[web.Request], Awaitable[str | None]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

STATE_KEY = web.AppKey("simulator_state", SimulatorState)
CLOSING_KEY = web.AppKey("simulator_closing", asyncio.Event)
EXTRACTORS_KEY: web.AppKey[dict[str, OperationExtractor]] = web.AppKey(
    "simulator_operation_extractors"
)


async def _wait(closing: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less if the simulator is closing."""
    if seconds <= 0:
        return
    try:
        async with asyncio.timeout(seconds):
            await closing.wait()
    except TimeoutError:
        pass


def _fault_response(fault: Fault) -> web.Response:
    text, content_type = fault.response_body()
    if fault.kind is FaultKind.RAW:
        # Bytes as the fault says, whatever they decode to (a Latin-1 page, say).
        return web.Response(
            status=fault.response_status,
            body=text.encode(fault.encoding),
            headers={"Content-Type": content_type, **fault.headers},
        )
    headers = {"Retry-After": str(fault.retry_after)} if fault.kind is FaultKind.RATE_LIMIT else {}
    return web.Response(
        status=fault.response_status,
        text=text,
        content_type=content_type,
        headers=headers,
    )


async def _disconnect(request: web.Request) -> web.StreamResponse:
    """Start an answer, then drop the connection: the request fails as a timeout would.

    Headers go out first: a client may silently resend a request whose connection closed
    before any answer, which a timeout never gives it.
    """
    response = web.StreamResponse(status=200, headers={"Content-Length": "4096"})
    await response.prepare(request)
    await response.write(b'{"data": ')
    if request.transport is not None:
        request.transport.abort()
    return response


@web.middleware
async def _fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Log every provider request and apply the active faults to it."""
    if request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    app = request.app
    state = app[STATE_KEY]
    operation_name: str | None = None
    for prefix, extractor in app[EXTRACTORS_KEY].items():
        if request.path.startswith(prefix):
            operation_name = await extractor(request)
            break
    record = state.requests.record(request.method, request.path, operation_name)
    applied = state.faults.take(request.path, operation_name)
    if applied.latency is not None:
        await _wait(app[CLOSING_KEY], applied.latency.delay)
    if applied.response is not None:
        record.fault = applied.response.kind
        if applied.response.kind is FaultKind.DISCONNECT:
            return await _disconnect(request)
        record.status = applied.response.response_status
        return _fault_response(applied.response)
    try:
        response = await handler(request)
    except web.HTTPException as err:
        record.status = err.status
        raise
    record.status = response.status
    return response


async def _add_faults(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    try:
        data: Any = await request.json()
        items = data if isinstance(data, list) else [data]
        faults = [Fault.from_json(item) for item in items]
    except (ValueError, KeyError, TypeError) as err:
        return web.json_response({"error": str(err)}, status=400)
    for fault in faults:
        state.faults.add(fault)
    return web.json_response({"faults": [fault.to_json() for fault in faults]}, status=201)


async def _list_faults(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    return web.json_response({"faults": [fault.to_json() for fault in state.faults.active]})


async def _clear_faults(request: web.Request) -> web.Response:
    request.app[STATE_KEY].faults.clear()
    return web.json_response({"faults": []})


async def _list_requests(request: web.Request) -> web.Response:
    log = request.app[STATE_KEY].requests
    return web.json_response(
        {
            "count": log.received,
            "by_operation": {str(key): value for key, value in log.count_by_operation().items()},
            "requests": [record.to_json() for record in log.records],
        }
    )


async def _clear_requests(request: web.Request) -> web.Response:
    request.app[STATE_KEY].requests.clear()
    return web.json_response({"count": 0})


async def _expire_tokens(request: web.Request) -> web.Response:
    request.app[STATE_KEY].kraken.expire_access_tokens()
    return web.json_response({"ok": True})


async def _revoke_refresh_tokens(request: web.Request) -> web.Response:
    request.app[STATE_KEY].kraken.revoke_refresh_tokens()
    return web.json_response({"ok": True})


async def _throttle_telemetry(request: web.Request) -> web.Response:
    """Every Home Mini's telemetry answers KT-GB-4042 (`{"throttled": false}` ends it)."""
    try:
        data: Any = await request.json()
    except ValueError:
        data = {}
    throttled = bool(data.get("throttled", True)) if isinstance(data, dict) else True
    meters = [
        device
        for user in request.app[STATE_KEY].kraken.scenario.users
        for account in user.accounts
        for device in home_minis(account)
    ]
    for device in meters:
        device.throttled = throttled
    return web.json_response({"throttled": throttled, "meters": len(meters)})


def create_app(state: SimulatorState) -> web.Application:
    """The simulator app serving every provider plus the `/_simulator/` control endpoints."""
    app = web.Application(middlewares=[_fault_middleware])
    app[STATE_KEY] = state
    app[CLOSING_KEY] = asyncio.Event()
    extractors: dict[str, OperationExtractor] = {
        kraken_routes.GRAPHQL_PATH: kraken_routes.operation_name,
        kraken_routes.DE_GRAPHQL_PATH: kraken_routes.operation_name,
        kraken_routes.BACKEND_GRAPHQL_PATH: kraken_routes.operation_name,
    }
    app[EXTRACTORS_KEY] = extractors
    kraken_routes.setup(app, state)
    extractors[enode_routes.ENODE_PREFIX + "/"] = enode_routes.operation_name
    enode_routes.setup(app, state)
    extractors[easee_routes.API_PREFIX] = easee_routes.operation_name
    easee_routes.setup(app, state)
    app.router.add_post(CONTROL_PREFIX + "faults", _add_faults)
    app.router.add_get(CONTROL_PREFIX + "faults", _list_faults)
    app.router.add_delete(CONTROL_PREFIX + "faults", _clear_faults)
    app.router.add_get(CONTROL_PREFIX + "requests", _list_requests)
    app.router.add_delete(CONTROL_PREFIX + "requests", _clear_requests)
    app.router.add_post(CONTROL_PREFIX + "kraken/expire-tokens", _expire_tokens)
    app.router.add_post(CONTROL_PREFIX + "kraken/revoke-refresh-tokens", _revoke_refresh_tokens)
    app.router.add_post(CONTROL_PREFIX + "kraken/telemetry-throttle", _throttle_telemetry)
    return app


@dataclass
class RunningSimulator:
    """A simulator listening on a loopback port."""

    state: SimulatorState
    base_url: str
    app: web.Application
    runner: web.AppRunner

    @property
    def kraken_url(self) -> str:
        """URL of the Kraken GraphQL endpoint (GB; dialect `state.kraken.dialect`)."""
        return self.base_url + kraken_routes.GRAPHQL_PATH

    @property
    def kraken_de_url(self) -> str:
        """URL of the German Kraken instance's GraphQL endpoint (dialect "de-2026")."""
        return self.base_url + kraken_routes.DE_GRAPHQL_PATH

    @property
    def kraken_backend_url(self) -> str:
        """URL of the GB backend GraphQL endpoint (heat pump controllers)."""
        return self.base_url + kraken_routes.BACKEND_GRAPHQL_PATH

    @property
    def enode_url(self) -> str:
        """Base URL of the Enode API (its paths follow, e.g. /users/{userId}/vehicles)."""
        return self.base_url + enode_routes.ENODE_PREFIX

    @property
    def enode_token_url(self) -> str:
        """URL of the Enode OAuth2 token endpoint (client credentials)."""
        return self.base_url + enode_routes.TOKEN_PATH

    @property
    def easee_url(self) -> str:
        """Base URL of the Easee API (its paths start with /api/)."""
        return self.base_url

    async def close(self) -> None:
        """Stop serving; pending latency faults end at once."""
        self.app[CLOSING_KEY].set()
        await self.runner.cleanup()


async def start_simulator(
    state: SimulatorState | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    kraken_dialect: str | None = None,
) -> RunningSimulator:
    """Serve the simulator on `host:port` (port 0: any free port) in the running event loop.

    `kraken_dialect` sets the GB endpoint's dialect ("seed", "gb-2026" or "gb-2024"; default:
    the state's, "seed" for a fresh state); `state.kraken.dialect` changes it at run time.
    """
    state = state or SimulatorState()
    if kraken_dialect is not None:
        if kraken_dialect not in GB_DIALECTS:
            raise ValueError(
                f"kraken_dialect must be one of {', '.join(GB_DIALECTS)}; not {kraken_dialect!r}."
            )
        state.kraken.dialect = kraken_dialect
    app = create_app(state)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    return RunningSimulator(state, f"http://{bound_host}:{bound_port}", app, runner)
