"""Fixtures: the simulator on loopback and an Enode client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from custom_components.kraken_energy.api.enode import EnodeClient
from simulator.app import RunningSimulator, start_simulator
from simulator.enode.state import ENODE_CLIENT_ID, ENODE_CLIENT_SECRET
from simulator.state import SimulatorState

# Actions resolve this many (simulated) seconds after they are created; clients poll faster.
ACTION_DELAY = 0.1
POLL = 0.02

type ClientFactory = Callable[..., EnodeClient]


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """The simulator on a free loopback port, with quick actions."""
    state = SimulatorState()
    state.enode.action_delay = ACTION_DELAY
    running = await start_simulator(state)
    yield running
    await running.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def make_client(sim: RunningSimulator, session: aiohttp.ClientSession) -> ClientFactory:
    """Build clients against the simulator (keyword arguments go to EnodeClient)."""

    def factory(
        client_id: str = ENODE_CLIENT_ID, client_secret: str = ENODE_CLIENT_SECRET, **kwargs: object
    ) -> EnodeClient:
        kwargs.setdefault("api_url", sim.enode_url)
        kwargs.setdefault("token_url", sim.enode_token_url)
        return EnodeClient(session, client_id, client_secret, **kwargs)  # type: ignore[arg-type]

    return factory


@pytest.fixture
def enode(make_client: ClientFactory) -> EnodeClient:
    """A client with the simulator's credentials."""
    return make_client()
