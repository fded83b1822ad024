"""Fixtures: a running simulator and a small GraphQL client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from simulator.app import RunningSimulator, start_simulator
from simulator.kraken.scenario import GB_API_KEY


@dataclass
class Reply:
    """An HTTP reply from the simulator."""

    status: int
    headers: dict[str, str]
    text: str
    body: Any


@dataclass
class Client:
    """Posts GraphQL requests to the simulator."""

    session: aiohttp.ClientSession
    sim: RunningSimulator

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        token: str | None = None,
        client_timeout: float | None = None,
        url: str | None = None,
    ) -> Reply:
        """POST a GraphQL request to the GB endpoint (or `url`, e.g. the German one)."""
        headers = {"Authorization": token} if token is not None else {}
        payload: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name:
            payload["operationName"] = operation_name
        async with self.session.post(
            url or self.sim.kraken_url,
            json=payload,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=client_timeout) if client_timeout else None,
        ) as response:
            text = await response.text()
            try:
                body = await response.json(content_type=None)
            except ValueError:
                body = None
            return Reply(response.status, dict(response.headers), text, body)

    async def token(self, url: str | None = None, **credentials: str) -> dict[str, Any]:
        reply = await self.post(
            OBTAIN,
            {"input": credentials or {"APIKey": GB_API_KEY}},
            "ObtainKrakenToken",
            url=url,
        )
        assert reply.status == 200
        assert reply.body is not None
        result: dict[str, Any] = reply.body["data"]["obtainKrakenToken"]
        return result


OBTAIN = """
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) { token payload refreshToken refreshExpiresIn }
}
"""


def error_code(reply: Reply) -> str:
    """The errorCode of the first GraphQL error of a reply."""
    assert reply.body is not None
    code: str = reply.body["errors"][0]["extensions"]["errorCode"]
    return code


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """The simulator on a free loopback port (sockets are blocked unless `socket_enabled`).

    Its GB endpoint serves the seeds' dialect, which these tests' documents are written for;
    the dialect tests switch it themselves.
    """
    running = await start_simulator(kraken_dialect="seed")
    yield running
    await running.close()


@pytest.fixture
async def client(sim: RunningSimulator) -> AsyncIterator[Client]:
    async with aiohttp.ClientSession() as session:
        yield Client(session, sim)
