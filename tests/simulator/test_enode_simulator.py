"""The Enode simulator on its own: token endpoint, controls, faults, device dynamics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.kraken_energy.api.enode.client import basic_client_authorization
from simulator.app import RunningSimulator, start_simulator
from simulator.enode.state import (
    BATTERY_ID,
    CHARGER_ID,
    ENODE_CLIENT_ID,
    ENODE_CLIENT_SECRET,
    ENODE_USER_ID,
    INVERTER_ID,
    METER_ID,
    VEHICLE_ID,
    EnodeState,
    SimInverter,
)
from simulator.faults import Fault


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    running = await start_simulator()
    yield running
    await running.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def token(sim: RunningSimulator, http: aiohttp.ClientSession) -> str:
    async with http.post(
        sim.enode_token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
        },
    ) as response:
        assert response.status == 200
        body = await response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    value: str = body["access_token"]
    return value


async def test_token_endpoint_accepts_credentials_in_the_body(
    sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    access = await token(sim, http)
    async with http.get(
        f"{sim.enode_url}/users/{ENODE_USER_ID}/chargers",
        headers={"Authorization": f"Bearer {access}"},
    ) as response:
        assert response.status == 200
        assert (await response.json())["data"][0]["id"] == CHARGER_ID


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"data": {"grant_type": "password"}}, 400, "unsupported_grant_type"),
        ({"json": {"grant_type": "client_credentials"}}, 400, "invalid_request"),
        (
            {
                "data": {"grant_type": "client_credentials"},
                "headers": {"Authorization": basic_client_authorization(ENODE_CLIENT_ID, "nope")},
            },
            401,
            "invalid_client",
        ),
        ({"data": {"grant_type": "client_credentials"}}, 401, "invalid_client"),
    ],
)
async def test_token_endpoint_refusals(
    sim: RunningSimulator,
    http: aiohttp.ClientSession,
    kwargs: dict[str, object],
    status: int,
    error: str,
) -> None:
    async with http.post(sim.enode_token_url, **kwargs) as response:  # type: ignore[arg-type]
        assert response.status == status
        assert (await response.json())["error"] == error


@pytest.mark.parametrize("how", ["basic", "body"])
async def test_token_endpoint_takes_any_characters_in_a_secret(
    sim: RunningSimulator, http: aiohttp.ClientSession, how: str
) -> None:
    # A real OAuth server compares bytes; a non-ASCII secret is refused or accepted, never a 500.
    client_id, secret = "client:with:colons", "pässwörd-ключ-🔑"
    sim.state.enode.clients[client_id] = secret
    for attempt, expected in ((secret, 200), ("pässwörd-wrong", 401)):
        kwargs: dict[str, object] = (
            {
                "data": {"grant_type": "client_credentials"},
                "headers": {"Authorization": basic_client_authorization(client_id, attempt)},
            }
            if how == "basic"
            else {
                "data": {
                    "grant_type": "client_credentials",
                    "client_id": client_id,
                    "client_secret": attempt,
                }
            }
        )
        async with http.post(sim.enode_token_url, **kwargs) as response:  # type: ignore[arg-type]
            assert response.status == expected


async def test_api_needs_a_valid_bearer_token(
    sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    url = f"{sim.enode_url}/vehicles/{VEHICLE_ID}"
    async with http.get(url) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        body = await response.json()
    assert set(body) == {"type", "title", "detail"}
    access = await token(sim, http)
    sim.state.enode.advance(3601)
    async with http.get(url, headers={"Authorization": f"Bearer {access}"}) as response:
        assert response.status == 401
        assert "expired" in (await response.json())["detail"]


async def test_unknown_paths_and_invalid_json_answer_problems(
    sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    headers = {"Authorization": f"Bearer {await token(sim, http)}"}
    async with http.get(f"{sim.enode_url}/me", headers=headers) as response:
        assert response.status == 404
        assert (await response.json())["title"] == "Not Found"
    async with http.post(
        f"{sim.enode_url}/chargers/{CHARGER_ID}/charging",
        data="{not json",
        headers={**headers, "Content-Type": "application/json"},
    ) as response:
        assert response.status == 400
    async with http.post(
        f"{sim.enode_url}/chargers/{CHARGER_ID}/charging",
        json={"action": "START", "extra": 1},
        headers=headers,
    ) as response:
        assert response.status == 400
        assert (await response.json())["issues"] == [
            {"path": ["extra"], "message": "Unrecognized key"}
        ]


async def test_faults_and_request_log_use_operation_ids(
    sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    headers = {"Authorization": f"Bearer {await token(sim, http)}"}
    sim.state.faults.add(Fault.http_status(503, operation_name="listUserBatteries"))
    url = f"{sim.enode_url}/users/{ENODE_USER_ID}/batteries"
    async with http.get(url, headers=headers) as response:
        assert response.status == 503
    async with http.get(url, headers=headers) as response:
        assert response.status == 200
    counts = sim.state.requests.count_by_operation()
    assert counts["token"] == 1
    assert counts["listUserBatteries"] == 2


async def test_control_endpoints(sim: RunningSimulator, http: aiohttp.ClientSession) -> None:
    control = sim.base_url + "/_simulator/enode/"
    before = sim.state.enode.now()
    async with http.post(control + "advance", json={"seconds": 600}) as response:
        assert response.status == 200
    assert (sim.state.enode.now() - before).total_seconds() >= 600
    async with http.post(control + "advance", json={}) as response:
        assert response.status == 400
    async with http.post(
        control + "action-outcomes",
        json=[{"state": "FAILED", "failureType": "NO_RESPONSE", "detail": "x"}],
    ) as response:
        assert response.status == 201
    await token(sim, http)
    async with http.post(control + "expire-tokens") as response:
        assert response.status == 200
    assert all(sim.state.enode.token_client(t) is None for t in sim.state.enode.tokens)
    async with http.get(control + "link/unknown", allow_redirects=False) as response:
        assert response.status == 404
    # Controls are neither logged nor faulted.
    assert sim.state.requests.count(path="/_simulator") == 0


def test_solar_follows_daylight_and_the_meter_adds_up() -> None:
    inverter = SimInverter(id=INVERTER_ID)
    assert inverter.rate_at(datetime(2025, 6, 1, 12, tzinfo=UTC)) == pytest.approx(4.8)
    assert inverter.rate_at(datetime(2025, 6, 1, 23, tzinfo=UTC)) == 0
    state = EnodeState()
    state.tick()
    state.chargers[CHARGER_ID].start()
    state.advance(60)
    meter = state.meters[METER_ID]
    charger_kw = state.chargers[CHARGER_ID].charge_rate or 0
    expected = (
        0.45
        + charger_kw
        + state.batteries[BATTERY_ID].charge_rate
        - state.inverters[INVERTER_ID].production_rate
    )
    assert meter.power == pytest.approx(expected)


def test_smart_charging_charges_promptly_to_the_minimum() -> None:
    state = EnodeState()
    vehicle = state.vehicles[VEHICLE_ID]
    vehicle.battery_level = 10
    vehicle.smart_charging_enabled = True
    vehicle.minimum_charge_limit = 20
    state.tick()
    state.advance(60)
    assert vehicle.power_delivery_state == "PLUGGED_IN:CHARGING"
    state.advance(3 * 3600)
    assert vehicle.battery_level == pytest.approx(20, abs=0.2)
    assert not vehicle.is_charging
    assert vehicle.power_delivery_state == "PLUGGED_IN:STOPPED"
