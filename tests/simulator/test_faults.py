"""Fault injection and the request log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import time

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from simulator.app import RunningSimulator, start_simulator
from simulator.faults import Fault, FaultKind, RandomFaults, RequestLog

from .conftest import Client, Reply, error_code
from .kraken_documents import VIEWER_ACCOUNTS


async def _viewer(client: Client, token: str, client_timeout: float | None = None) -> Reply:
    return await client.post(
        VIEWER_ACCOUNTS, operation_name="ViewerAccounts", token=token, client_timeout=client_timeout
    )


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_http_status(client: Client, sim: RunningSimulator, status: int) -> None:
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.http_status(status))
    reply = await _viewer(client, token)
    assert reply.status == status
    assert reply.body is None
    assert str(status) in reply.text
    # Only the next request was affected.
    reply = await _viewer(client, token)
    assert reply.status == 200
    assert reply.body["data"]["viewer"]


async def test_rate_limit(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.rate_limit(120, count=2))
    for _ in range(2):
        reply = await _viewer(client, token)
        assert reply.status == 429
        assert reply.headers["Retry-After"] == "120"
    assert (await _viewer(client, token)).status == 200


async def test_graphql_error(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.graphql_error("KT-CT-1199", "Too many requests.", "THROTTLED"))
    reply = await _viewer(client, token)
    assert reply.status == 200
    assert reply.body["data"] is None
    assert error_code(reply) == "KT-CT-1199"
    assert reply.body["errors"][0]["message"] == "Too many requests."
    assert reply.body["errors"][0]["extensions"]["errorType"] == "THROTTLED"


async def test_malformed_and_wrong_shape(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.malformed())
    reply = await _viewer(client, token)
    assert reply.status == 200
    assert reply.body is None
    assert reply.text
    sim.state.faults.add(Fault.wrong_shape())
    reply = await _viewer(client, token)
    assert reply.body == {"data": None}
    sim.state.faults.add(Fault.wrong_shape({"data": {"viewer": {"accounts": [{"number": 5}]}}}))
    reply = await _viewer(client, token)
    assert reply.body == {"data": {"viewer": {"accounts": [{"number": 5}]}}}


async def test_latency_and_client_timeout(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.latency(0.3))
    started = time.monotonic()
    reply = await _viewer(client, token)
    assert reply.status == 200
    assert time.monotonic() - started >= 0.3
    sim.state.faults.add(Fault.latency(30))
    with pytest.raises(asyncio.TimeoutError):
        await _viewer(client, token, client_timeout=0.2)


async def test_close_ends_pending_latency(socket_enabled: None) -> None:
    running = await start_simulator()
    running.state.faults.add(Fault.latency(60))
    async with aiohttp.ClientSession() as session:
        request = asyncio.ensure_future(session.post(running.kraken_url, json={"query": "{x}"}))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await running.close()
        assert time.monotonic() - started < 5
        response = await request
        response.release()


async def test_operation_filter_and_until_cleared(client: Client, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.http_status(503, count=None, operation_name="ViewerAccounts"))
    token = (await client.token())["token"]  # ObtainKrakenToken is not affected
    for _ in range(3):
        assert (await _viewer(client, token)).status == 503
    sim.state.faults.clear()
    assert (await _viewer(client, token)).status == 200


async def test_latency_combines_with_response_fault(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.latency(0.2))
    sim.state.faults.add(Fault.http_status(502))
    started = time.monotonic()
    assert (await _viewer(client, token)).status == 502
    assert time.monotonic() - started >= 0.2
    assert sim.state.faults.active == []


async def test_control_endpoints(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    base = sim.base_url + "/_simulator"
    async with client.session.post(
        base + "/faults", json={"kind": "rate_limit", "retry_after": 7, "count": None}
    ) as response:
        assert response.status == 201
        assert (await response.json())["faults"][0]["kind"] == "rate_limit"
    async with client.session.get(base + "/faults") as response:
        assert len((await response.json())["faults"]) == 1
    reply = await _viewer(client, token)
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "7"
    async with client.session.delete(base + "/faults") as response:
        assert response.status == 200
    assert (await _viewer(client, token)).status == 200
    async with client.session.post(base + "/faults", json={"kind": "nope"}) as response:
        assert response.status == 400
    async with client.session.get(base + "/requests") as response:
        data = await response.json()
    # Control requests are not logged.
    assert data["count"] == 3
    assert data["by_operation"] == {"ObtainKrakenToken": 1, "ViewerAccounts": 2}
    assert [entry["status"] for entry in data["requests"]] == [200, 429, 200]
    assert data["requests"][1]["fault"] == "rate_limit"


def test_fault_json_round_trip() -> None:
    fault = Fault.graphql_error(
        "KT-CT-1111", "Unauthorized.", "AUTHORIZATION", operation_name="Account"
    )
    again = Fault.from_json(fault.to_json())
    assert again.kind is FaultKind.GRAPHQL_ERROR
    assert again.operation_name == "Account"
    assert again.error_type == "AUTHORIZATION"
    with pytest.raises(ValueError, match="unknown"):
        Fault.from_json({"kind": "latency", "seconds": 3})


async def test_request_log_counts(
    client: Client, sim: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-01-14T10:05:00+00:00")
    token = (await client.token())["token"]
    await _viewer(client, token)
    freezer.move_to("2026-01-14T11:15:00+00:00")
    await _viewer(client, token)
    await client.post("query Named { viewer { id } }", token=token)
    log = sim.state.requests
    assert log.count() == 4
    assert log.count(operation_name="ViewerAccounts") == 2
    assert log.count(operation_name="Named") == 1  # name taken from the document
    assert log.count(since=datetime(2026, 1, 14, 11, tzinfo=UTC)) == 2
    assert log.count(path="/v1/graphql/") == 4
    assert log.count_per_hour() == {
        datetime(2026, 1, 14, 10, tzinfo=UTC): 2,
        datetime(2026, 1, 14, 11, tzinfo=UTC): 2,
    }
    assert log.count_per_hour(operation_name="ViewerAccounts") == {
        datetime(2026, 1, 14, 10, tzinfo=UTC): 1,
        datetime(2026, 1, 14, 11, tzinfo=UTC): 1,
    }
    assert log.records[0].time == datetime(2026, 1, 14, 10, 5, tzinfo=UTC)
    assert log.records[-1].time - log.records[0].time == timedelta(hours=1, minutes=10)
    log.clear()
    assert log.count() == 0


async def test_a_dropped_connection_fails_the_request(
    client: Client, sim: RunningSimulator
) -> None:
    """The answer starts, then the connection goes: reading it fails as a timeout would."""
    token = (await client.token())["token"]
    sim.state.faults.add(Fault.disconnect(count=1))
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):
            async with session.post(
                sim.kraken_url,
                json={"query": VIEWER_ACCOUNTS},
                headers={"Authorization": token},
            ) as response:
                await response.read()
    assert sim.state.requests.records[-1].fault is FaultKind.DISCONNECT
    # The next request is answered as usual.
    assert (await _viewer(client, token)).status == 200


def test_random_faults_fail_the_share_asked_the_same_way_for_the_same_seed() -> None:
    first = RandomFaults(0.05, seed=7)
    drawn = [first.draw() for _ in range(20_000)]
    faults = [fault for fault in drawn if fault is not None]
    assert 0.04 < len(faults) / len(drawn) < 0.06
    assert {fault.kind for fault in faults} == {
        FaultKind.HTTP_STATUS,
        FaultKind.DISCONNECT,
        FaultKind.RATE_LIMIT,
        FaultKind.MALFORMED,
    }
    again = RandomFaults(0.05, seed=7)
    assert [f.kind if f else None for f in drawn[:500]] == [
        f.kind if f else None for f in (again.draw() for _ in range(500))
    ]


async def test_random_faults_apply_to_requests_no_held_fault_answers(
    client: Client, sim: RunningSimulator
) -> None:
    token = (await client.token())["token"]
    sim.state.faults.random = RandomFaults(1.0, seed=1)
    sim.state.faults.add(Fault.http_status(418, count=1))
    assert (await _viewer(client, token)).status == 418
    # Every request would fail at random: cleared, none does.
    sim.state.faults.clear()
    assert (await _viewer(client, token)).status == 200


def test_the_request_log_keeps_the_latest_and_counts_them_all() -> None:
    log = RequestLog(max_records=10)
    for index in range(25):
        log.record("GET", f"/api/{index}", None)
    assert log.received == 25
    assert len(log.records) <= 10
    assert log.records[-1].path == "/api/24"
    log.clear()
    assert (log.received, log.records) == (0, [])
