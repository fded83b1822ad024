"""The Easee simulator over raw HTTP: sign-in, sites, charger state over time, commands, faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
import json
from typing import Any

import aiohttp
import pytest

from simulator.app import RunningSimulator, start_simulator
from simulator.easee import (
    DRIVEWAY_CHARGER_ID,
    EASEE_EMPTY_USERNAME,
    EASEE_PASSWORD,
    EASEE_USERNAME,
    GARAGE_CHARGER_ID,
    SITE_ID,
)
from simulator.easee.scenario import AUTO_START_DELAY
from simulator.faults import Fault
from simulator.state import SimulatorState


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Easee:
    """Raw HTTP to the simulated Easee API."""

    session: aiohttp.ClientSession
    sim: RunningSimulator
    token: str | None = None

    async def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> Reply:
        token = token if token is not None else self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.session.request(
            method, self.sim.easee_url + path, json=body, headers=headers
        ) as response:
            text = await response.text()
            try:
                data = json.loads(text) if text else None
            except ValueError:
                data = None
            return Reply(response.status, dict(response.headers), data)

    async def login(self, username: str = EASEE_USERNAME, password: str = EASEE_PASSWORD) -> Any:
        reply = await self.call(
            "POST", "/api/accounts/login", {"userName": username, "password": password}
        )
        assert reply.status == 200, reply.body
        self.token = reply.body["accessToken"]
        return reply.body

    async def state(self, charger_id: str = GARAGE_CHARGER_ID) -> dict[str, Any]:
        reply = await self.call("GET", f"/api/chargers/{charger_id}/state")
        assert reply.status == 200, reply.body
        result: dict[str, Any] = reply.body
        return result


@pytest.fixture
async def easee(sim: RunningSimulator) -> AsyncIterator[Easee]:
    sim.state.easee.realtime = False
    async with aiohttp.ClientSession() as session:
        yield Easee(session, sim)


def _error(reply: Reply) -> tuple[int, int, str]:
    return reply.status, reply.body["errorCode"], reply.body["errorCodeName"]


# --- sign-in ------------------------------------------------------------------------------------


async def test_login_issues_tokens(easee: Easee, sim: RunningSimulator) -> None:
    body = await easee.login()
    assert body["tokenType"] == "Bearer"
    assert body["expiresIn"] == 86400
    assert body["accessClaims"] == ["User"]
    assert body["refreshToken"]
    assert sim.state.easee.logins == 1
    # The username is matched case-insensitively, as Easee does.
    await easee.login(EASEE_USERNAME.upper())


@pytest.mark.parametrize(
    "credentials",
    [
        {"userName": EASEE_USERNAME, "password": "wrong"},
        {"userName": "nobody@example.com", "password": EASEE_PASSWORD},
        {"userName": EASEE_USERNAME},
        {},
    ],
)
async def test_login_refused(easee: Easee, credentials: dict[str, str]) -> None:
    reply = await easee.call("POST", "/api/accounts/login", credentials)
    assert _error(reply) == (400, 100, "InvalidUserPassword")
    assert reply.body["title"] == "Username or password is invalid"
    assert reply.body["status"] == 400


async def test_refresh_token(easee: Easee, sim: RunningSimulator) -> None:
    first = await easee.login()
    sim.state.easee.expire_access_tokens()
    assert (await easee.call("GET", "/api/sites")).status == 401
    reply = await easee.call(
        "POST",
        "/api/accounts/refresh_token",
        {"accessToken": first["accessToken"], "refreshToken": first["refreshToken"]},
    )
    assert reply.status == 200
    assert reply.body["accessToken"] != first["accessToken"]
    assert reply.body["refreshToken"] == first["refreshToken"]
    assert sim.state.easee.refresh_grants == 1
    easee.token = reply.body["accessToken"]
    assert (await easee.call("GET", "/api/sites")).status == 200


async def test_refresh_refused(easee: Easee, sim: RunningSimulator) -> None:
    first = await easee.login()
    bad = await easee.call(
        "POST", "/api/accounts/refresh_token", {"accessToken": "x", "refreshToken": "y"}
    )
    assert _error(bad) == (400, 701, "InvalidRefreshToken")
    sim.state.easee.revoke_refresh_tokens()
    revoked = await easee.call(
        "POST",
        "/api/accounts/refresh_token",
        {"accessToken": first["accessToken"], "refreshToken": first["refreshToken"]},
    )
    assert revoked.status == 400


async def test_requests_need_a_valid_token(easee: Easee, sim: RunningSimulator) -> None:
    assert (await easee.call("GET", "/api/sites")).status == 401
    assert (await easee.call("GET", "/api/sites", token="made-up")).status == 401
    await easee.login()
    sim.state.easee.token_lifetime = timedelta(seconds=-1)
    await easee.login()  # issued already expired
    reply = await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/state")
    assert _error(reply) == (401, 702, "Unauthorized")


# --- sites and chargers -------------------------------------------------------------------------


async def test_sites_and_products(easee: Easee) -> None:
    await easee.login()
    sites = (await easee.call("GET", "/api/sites")).body
    assert [(s["id"], s["name"], "circuits" in s) for s in sites] == [(SITE_ID, "Home", False)]
    products = (await easee.call("GET", "/api/accounts/products")).body
    chargers = products[0]["circuits"][0]["chargers"]
    assert [c["id"] for c in chargers] == [GARAGE_CHARGER_ID, DRIVEWAY_CHARGER_ID]
    assert chargers[0]["productCode"] == 1
    detailed = (await easee.call("GET", f"/api/sites/{SITE_ID}?detailed=true")).body
    assert detailed["circuits"] == products[0]["circuits"]
    plain = (await easee.call("GET", f"/api/sites/{SITE_ID}")).body
    assert "circuits" not in plain
    listed = (await easee.call("GET", "/api/chargers")).body
    assert [c["name"] for c in listed] == ["Garage", "Driveway"]
    one = (await easee.call("GET", f"/api/chargers/{DRIVEWAY_CHARGER_ID}")).body
    assert one["name"] == "Driveway"
    assert (await easee.call("GET", "/api/sites/999")).status == 404
    assert (await easee.call("GET", "/api/sites/not-a-number")).status == 404


async def test_other_users_see_nothing(easee: Easee) -> None:
    await easee.login(EASEE_EMPTY_USERNAME)
    assert (await easee.call("GET", "/api/sites")).body == []
    assert (await easee.call("GET", "/api/accounts/products")).body == []
    reply = await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/state")
    assert _error(reply) == (404, 703, "ChargerNotFound")
    reply = await easee.call("POST", f"/api/chargers/{GARAGE_CHARGER_ID}/commands/stop_charging")
    assert reply.status == 404
    assert (await easee.call("GET", f"/api/sites/{SITE_ID}")).status == 404


async def test_default_charger_state_and_config(easee: Easee) -> None:
    await easee.login()
    garage = await easee.state()
    assert garage["chargerOpMode"] == 3
    assert garage["reasonForNoCurrent"] == 78
    assert garage["totalPower"] == pytest.approx(11.04)
    assert garage["outputCurrent"] == 16
    assert garage["outputPhase"] == 30
    assert garage["pilotMode"] == "C"
    assert garage["cableLocked"] is True
    assert garage["isOnline"] is True
    driveway = await easee.state(DRIVEWAY_CHARGER_ID)
    assert (driveway["chargerOpMode"], driveway["reasonForNoCurrent"]) == (1, 50)
    assert driveway["pilotMode"] == "A"
    assert driveway["smartCharging"] is True
    config = (await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/config")).body
    assert config["isEnabled"] is True
    assert config["maxChargerCurrent"] == 32
    assert config["phaseMode"] == 2
    assert config["offlineChargingMode"] == 0


# --- state over time ----------------------------------------------------------------------------


async def test_session_from_plug_in_to_unplug(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    charger = sim.state.easee.charger(DRIVEWAY_CHARGER_ID)
    lifetime = charger.lifetime_energy
    charger.plug_in(demand_kwh=5.0)
    state = await easee.state(DRIVEWAY_CHARGER_ID)
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (2, 55)
    assert state["sessionEnergy"] == 0
    assert state["pilotMode"] == "B"

    sim.state.easee.advance(AUTO_START_DELAY)
    state = await easee.state(DRIVEWAY_CHARGER_ID)
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (3, 0)
    assert state["totalPower"] == pytest.approx(22.08)

    sim.state.easee.advance(600)  # ten minutes at 22.08 kW: 3.68 kWh
    state = await easee.state(DRIVEWAY_CHARGER_ID)
    assert state["chargerOpMode"] == 3
    assert state["sessionEnergy"] == pytest.approx(3.68)

    sim.state.easee.advance(600)  # the car is full after 5 kWh
    state = await easee.state(DRIVEWAY_CHARGER_ID)
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (4, 79)
    assert state["sessionEnergy"] == pytest.approx(5.0)
    assert state["lifetimeEnergy"] == pytest.approx(lifetime + 5.0)
    assert state["totalPower"] == 0

    charger.unplug()
    state = await easee.state(DRIVEWAY_CHARGER_ID)
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (1, 50)
    assert state["cableLocked"] is False
    assert state["sessionEnergy"] == pytest.approx(5.0)  # readable until the next session


async def test_authorization_required_waits_for_start(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    charger = sim.state.easee.charger(DRIVEWAY_CHARGER_ID)
    charger.authorization_required = True
    charger.plug_in()
    sim.state.easee.advance(3600)
    assert (await easee.state(DRIVEWAY_CHARGER_ID))["chargerOpMode"] == 2
    reply = await easee.call("POST", f"/api/chargers/{DRIVEWAY_CHARGER_ID}/commands/start_charging")
    assert reply.status == 202
    assert reply.body["device"] == DRIVEWAY_CHARGER_ID
    assert isinstance(reply.body["commandId"], int)
    assert (await easee.state(DRIVEWAY_CHARGER_ID))["chargerOpMode"] == 3


async def test_error_state(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    charger.fail()
    state = await easee.state()
    assert (state["chargerOpMode"], state["reasonForNoCurrent"], state["pilotMode"]) == (5, 56, "F")
    assert state["ledMode"] == 16
    charger.repair()
    assert (await easee.state())["chargerOpMode"] == 3


async def test_realtime_follows_the_clock(sim: RunningSimulator) -> None:
    easee_state = sim.state.easee
    charger = easee_state.charger(GARAGE_CHARGER_ID)
    before = charger.session_energy
    async with aiohttp.ClientSession() as session:
        client = Easee(session, sim)
        await client.login()  # the first request starts the count: nothing moves yet
        assert charger.session_energy == before
        assert easee_state.last_sync is not None
        easee_state.last_sync -= timedelta(seconds=3600)  # an hour passed since then
        state = await client.state()
        assert state["sessionEnergy"] == pytest.approx(before + 11.04, abs=0.01)
        easee_state.last_sync += timedelta(days=1)  # a clock set back moves nothing
        assert (await client.state())["sessionEnergy"] == state["sessionEnergy"]


async def test_reported_codes_override(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    charger.reported_op_mode = 105
    charger.reported_reason = 54
    charger.settle()
    state = await easee.state()
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (105, 54)
    charger.reported_op_mode = charger.reported_reason = None
    charger.settle()
    assert (await easee.state())["chargerOpMode"] == 3


# --- commands and settings ----------------------------------------------------------------------


async def _command(easee: Easee, charger_id: str, command: str) -> Reply:
    return await easee.call("POST", f"/api/chargers/{charger_id}/commands/{command}")


async def test_commands_change_the_charger(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    reply = await _command(easee, GARAGE_CHARGER_ID, "pause_charging")
    assert reply.status == 202
    state = await easee.state()
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (2, 52)
    assert state["dynamicChargerCurrent"] == 0
    await _command(easee, GARAGE_CHARGER_ID, "resume_charging")
    state = await easee.state()
    assert (state["chargerOpMode"], state["dynamicChargerCurrent"]) == (3, 32)
    await _command(easee, GARAGE_CHARGER_ID, "stop_charging")
    assert (await easee.state())["chargerOpMode"] == 4
    sim.state.easee.advance(3600)  # a stopped session stays stopped
    assert (await easee.state())["chargerOpMode"] == 4
    await _command(easee, GARAGE_CHARGER_ID, "start_charging")
    assert (await easee.state())["chargerOpMode"] == 3
    ids = [record.command_id for record in sim.state.easee.commands]
    assert ids == sorted(set(ids))
    assert len(ids) == 4


@pytest.mark.parametrize(
    ("setup", "command", "expected"),
    [
        ("no_car", "start_charging", (400, 710, "CarNotConnected")),
        ("no_car", "resume_charging", (400, 710, "CarNotConnected")),
        ("disabled", "start_charging", (400, 711, "ChargerDisabled")),
        ("offline", "stop_charging", (400, 712, "ChargerOffline")),
        ("stopped", "pause_charging", (400, 713, "NotCharging")),
        ("none", "toggle_sideways", (404, 705, "UnknownCommand")),
    ],
)
async def test_commands_refused(
    easee: Easee, sim: RunningSimulator, setup: str, command: str, expected: tuple[int, int, str]
) -> None:
    await easee.login()
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    if setup == "no_car":
        charger.unplug()
    elif setup == "disabled":
        charger.enabled = False
    elif setup == "offline":
        charger.online = False
    elif setup == "stopped":
        charger.stopped = True
    charger.settle()
    before = await easee.state()
    reply = await _command(easee, GARAGE_CHARGER_ID, command)
    assert _error(reply) == expected
    assert reply.body["title"]
    assert await easee.state() == before
    assert sim.state.easee.commands == []


async def test_settings(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    path = f"/api/chargers/{GARAGE_CHARGER_ID}/settings"
    reply = await easee.call(
        "POST", path, {"maxChargerCurrent": 20, "dynamicChargerCurrent": 20, "phaseMode": 1}
    )
    assert reply.status == 202
    assert reply.body[0]["device"] == GARAGE_CHARGER_ID
    state = await easee.state()
    assert state["outputCurrent"] == 20
    assert state["outputPhase"] == 10
    assert state["totalPower"] == pytest.approx(4.6)
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (3, 77)
    await easee.call("POST", path, {"enabled": False, "smartCharging": True})
    state = await easee.state()
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (2, 53)
    assert state["smartCharging"] is True
    config = (await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/config")).body
    assert (config["isEnabled"], config["maxChargerCurrent"], config["phaseMode"]) == (False, 20, 1)
    await easee.call("POST", path, {"enabled": True, "maxChargerCurrent": 5})
    state = await easee.state()
    assert (state["chargerOpMode"], state["reasonForNoCurrent"]) == (2, 51)


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ({"maxChargerCurrent": 33}, "maxChargerCurrent must be between 0 and 32 A"),
        ({"dynamicChargerCurrent": -1}, "dynamicChargerCurrent must be between 0 and 32 A"),
        ({"dynamicChargerCurrent": True}, "dynamicChargerCurrent must be between 0 and 32 A"),
        ({"enabled": "yes"}, "enabled must be true or false"),
        ({"phaseMode": 4}, "phaseMode must be 1, 2 or 3"),
        ({"ledStripBrightness": 10}, "Unknown settings: ledStripBrightness"),
        ({}, "The settings body must be a non-empty object"),
        ([1], "The settings body must be a non-empty object"),
    ],
)
async def test_invalid_settings(easee: Easee, sim: RunningSimulator, body: Any, title: str) -> None:
    await easee.login()
    before = await easee.state()
    reply = await easee.call("POST", f"/api/chargers/{GARAGE_CHARGER_ID}/settings", body)
    assert _error(reply) == (400, 714, "InvalidSettingValue")
    assert reply.body["title"] == title
    assert await easee.state() == before


# --- faults, request log and control endpoints ------------------------------------------------


async def test_faults_apply_to_easee_paths(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    sim.state.faults.add(Fault.http_status(503, path=f"/api/chargers/{GARAGE_CHARGER_ID}"))
    assert (await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/state")).status == 503
    sim.state.faults.add(Fault.rate_limit(30, operation_name="easee.start_charging"))
    assert (await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/state")).status == 200
    reply = await _command(easee, GARAGE_CHARGER_ID, "start_charging")
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "30"
    sim.state.faults.add(Fault.malformed(operation_name="easee.login"))
    reply = await easee.call(
        "POST", "/api/accounts/login", {"userName": EASEE_USERNAME, "password": EASEE_PASSWORD}
    )
    assert reply.status == 200
    assert reply.body is None or "accessToken" not in reply.body


async def test_request_log_names_easee_operations(easee: Easee, sim: RunningSimulator) -> None:
    await easee.login()
    await easee.state()
    await easee.call("GET", f"/api/chargers/{GARAGE_CHARGER_ID}/config")
    await easee.call("GET", "/api/accounts/products")
    await _command(easee, GARAGE_CHARGER_ID, "stop_charging")
    await easee.call("POST", f"/api/chargers/{GARAGE_CHARGER_ID}/settings", {"enabled": True})
    counts = sim.state.requests.count_by_operation()
    for operation in ("login", "state", "config", "products", "stop_charging", "settings"):
        assert counts[f"easee.{operation}"] == 1
    assert sim.state.requests.count(path="/api/") == 6


async def test_control_endpoints(easee: Easee, sim: RunningSimulator) -> None:
    control = "/_simulator/easee"
    reply = await easee.call(
        "POST", f"{control}/chargers/{DRIVEWAY_CHARGER_ID}/plug-in", {"demand_kwh": 1.0}
    )
    assert reply.body["chargerOpMode"] == 2
    reply = await easee.call("POST", f"{control}/advance", {"seconds": 3600})
    assert reply.body[DRIVEWAY_CHARGER_ID]["chargerOpMode"] == 4
    assert reply.body[DRIVEWAY_CHARGER_ID]["sessionEnergy"] == pytest.approx(1.0)
    assert (await easee.call("POST", f"{control}/advance", {"seconds": "x"})).status == 400
    for action, op_mode in (("fail", 5), ("repair", 4), ("unplug", 1)):
        reply = await easee.call("POST", f"{control}/chargers/{DRIVEWAY_CHARGER_ID}/{action}")
        assert reply.body["chargerOpMode"] == op_mode
    assert (await easee.call("POST", f"{control}/chargers/EH0/unplug")).status == 404
    await easee.login()
    assert (await easee.call("POST", f"{control}/expire-tokens")).body == {"ok": True}
    assert (await easee.call("GET", "/api/sites")).status == 401
    assert (await easee.call("POST", f"{control}/revoke-refresh-tokens")).body == {"ok": True}
    assert all(token.revoked for token in sim.state.easee.refresh_tokens.values())
    # Control requests are neither logged nor faulted.
    assert sim.state.requests.count(path="/_simulator/") == 0


async def test_each_simulator_has_its_own_chargers(socket_enabled: None) -> None:
    first = await start_simulator(SimulatorState())
    second = await start_simulator(SimulatorState())
    try:
        first.state.easee.charger(GARAGE_CHARGER_ID).unplug()
        assert second.state.easee.charger(GARAGE_CHARGER_ID).car_connected is True
    finally:
        await first.close()
        await second.close()
