"""Client credentials: token caching, renewal, refusal, and secrets kept out of errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.kraken_energy.api.enode import (
    ENVIRONMENTS,
    EnodeAuthError,
    EnodeClient,
    EnodeEnvironment,
    EnodeForbiddenError,
    EnodePreconditionError,
)
from simulator.app import RunningSimulator
from simulator.enode.state import (
    ENODE_CLIENT_SECRET,
    ENODE_RESTRICTED_CLIENT_ID,
    ENODE_RESTRICTED_CLIENT_SECRET,
    ENODE_USER_ID,
)
from simulator.faults import Fault

from .conftest import ClientFactory


def tokens(sim: RunningSimulator) -> int:
    return sim.state.requests.count(operation_name="token")


async def test_token_is_cached_across_requests(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.list_vehicles(ENODE_USER_ID)
    await enode.list_chargers(ENODE_USER_ID)
    await enode.fetch_devices(ENODE_USER_ID)
    assert tokens(sim) == 1
    # The simulator got Basic auth with the form-encoded client-credentials grant.
    assert len(sim.state.enode.tokens) == 1


async def test_token_renewed_before_it_expires(
    sim: RunningSimulator, make_client: ClientFactory
) -> None:
    now = [1_000_000.0]
    enode = make_client(clock=lambda: now[0])
    await enode.list_vehicles(ENODE_USER_ID)
    now[0] += 3600 - 30  # inside the renewal margin of a one-hour token
    await enode.list_vehicles(ENODE_USER_ID)
    assert tokens(sim) == 2
    assert not [r for r in sim.state.requests.records if r.status == 401]


async def test_token_renewed_once_on_401(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.list_vehicles(ENODE_USER_ID)
    sim.state.enode.expire_tokens()
    vehicles = await enode.list_vehicles(ENODE_USER_ID)
    assert len(vehicles) == 1
    assert tokens(sim) == 2
    assert [r.status for r in sim.state.requests.matching(operation_name="listUserVehicles")] == [
        200,
        401,
        200,
    ]


async def test_persistent_401_raises_auth_error_after_one_renewal(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(Fault.http_status(401, count=None, operation_name="listUserMeters"))
    with pytest.raises(EnodeAuthError) as caught:
        await enode.list_meters(ENODE_USER_ID)
    assert caught.value.status == 401
    assert tokens(sim) == 2
    assert sim.state.requests.count(operation_name="listUserMeters") == 2


async def test_refused_credentials_never_show_the_secret(
    sim: RunningSimulator, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "wrong-secret-value-123"
    enode = make_client(client_secret=secret)
    with pytest.raises(EnodeAuthError) as caught:
        await enode.list_vehicles(ENODE_USER_ID)
    assert "invalid_client" in str(caught.value)
    assert secret not in str(caught.value)
    assert secret not in repr(caught.value.__dict__)
    assert secret not in caplog.text
    assert sim.state.requests.count(operation_name="listUserVehicles") == 0


async def test_forbidden_client_is_not_reauth_and_not_retried(
    sim: RunningSimulator, make_client: ClientFactory
) -> None:
    # A 403 from the API refuses a resource, not the credentials: the token was issued, so
    # re-entering the same credentials could not help. It is EnodeForbiddenError, never
    # EnodeAuthError, and no second token is fetched for it.
    enode = make_client(ENODE_RESTRICTED_CLIENT_ID, ENODE_RESTRICTED_CLIENT_SECRET)
    with pytest.raises(EnodeForbiddenError) as caught:
        await enode.list_vehicles(ENODE_USER_ID)
    assert not isinstance(caught.value, EnodeAuthError)
    assert caught.value.status == 403
    assert caught.value.title == "Forbidden"
    assert "no access" in str(caught.value)
    assert caught.value.missing_scope is None
    assert tokens(sim) == 1
    # Every kind forbidden: fetch_devices raises the first kind's error.
    with pytest.raises(EnodeForbiddenError, match="listUserVehicles"):
        await enode.fetch_devices(ENODE_USER_ID)


async def test_authenticate_checks_credentials_up_front(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    await enode.authenticate()
    assert tokens(sim) == 1
    assert sim.state.requests.count(path="/enode/users") == 0


def test_environment_urls() -> None:
    production = ENVIRONMENTS[EnodeEnvironment.PRODUCTION]
    assert production.api_url == "https://enode-api.production.enode.io"
    assert production.token_url == "https://oauth.production.enode.io/oauth2/token"
    assert "sandbox" in ENVIRONMENTS[EnodeEnvironment.SANDBOX].api_url


async def test_environment_selects_urls(session: aiohttp.ClientSession) -> None:
    enode = EnodeClient(session, "id", "secret", environment=EnodeEnvironment.SANDBOX)
    assert enode.api_url == "https://enode-api.sandbox.enode.io"
    assert enode.token_url == "https://oauth.sandbox.enode.io/oauth2/token"
    custom = EnodeClient(session, "id", "secret", api_url="http://x/enode/", token_url="http://t")
    assert custom.api_url == "http://x/enode"
    assert custom.token_url == "http://t"
    with pytest.raises(ValueError, match="page_size"):
        EnodeClient(session, "id", "secret", page_size=0)


@pytest.fixture
async def echo_server(socket_enabled: None) -> AsyncIterator[TestServer]:
    """A server that echoes the credentials it receives into its error bodies."""

    async def token(request: web.Request) -> web.Response:
        return web.json_response({"access_token": "tok-SECRET-abc", "expires_in": 3600})

    async def echo(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "type": "https://developers.enode.com/api/problems/bad-request",
                "title": f"Bad token {request.headers['Authorization']}",
                "detail": f"client secret was {ENODE_CLIENT_SECRET}",
            },
            status=400,
        )

    app = web.Application()
    app.router.add_post("/token", token)
    app.router.add_get("/vehicles/{id}", echo)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


async def test_errors_echoing_secrets_are_redacted(
    echo_server: TestServer, session: aiohttp.ClientSession
) -> None:
    base = str(echo_server.make_url("")).rstrip("/")
    enode = EnodeClient(
        session, "client", ENODE_CLIENT_SECRET, api_url=base, token_url=base + "/token"
    )
    with pytest.raises(EnodePreconditionError) as caught:
        await enode.get_vehicle("v1")
    text = f"{caught.value} {caught.value.title} {caught.value.detail}"
    assert "tok-SECRET-abc" not in text
    assert ENODE_CLIENT_SECRET not in text
    assert "REDACTED" in text
