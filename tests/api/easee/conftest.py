"""Fixtures: the simulator (chargers moved by hand only) and an Easee client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from custom_components.kraken_energy.api.easee import EaseeClient
from simulator.app import RunningSimulator
from simulator.easee import EASEE_PASSWORD, EASEE_USERNAME


@dataclass
class FakeClock:
    """A clock the test moves on by hand (seconds since the epoch)."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sim(simulator: RunningSimulator) -> RunningSimulator:
    """The simulator, its chargers moving only when a test advances them."""
    simulator.state.easee.realtime = False
    return simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def client(session: aiohttp.ClientSession, sim: RunningSimulator, clock: FakeClock) -> EaseeClient:
    """A client for the household user, on the test's clock."""
    return EaseeClient(session, EASEE_USERNAME, EASEE_PASSWORD, base_url=sim.easee_url, clock=clock)
