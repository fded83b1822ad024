"""Fixtures: an aiohttp session and Kraken clients pointed at the simulator on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from custom_components.kraken_energy.api.kraken import ApiKeyCredential, KrakenClient
from simulator.app import RunningSimulator
from simulator.kraken.scenario import GB_API_KEY

from .answers import simulator_capabilities

type ClientFactory = Callable[..., KrakenClient]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def make_client(simulator: RunningSimulator, session: aiohttp.ClientSession) -> ClientFactory:
    """Build GB clients against the simulator (keyword arguments go to KrakenClient)."""

    # These tests are about reading answers: the seeds' dialect, learnt before (as after a
    # restart), so faults meet the documents rather than the schema question.
    simulator.state.kraken.dialect = "seed"

    def build(**kwargs: object) -> KrakenClient:
        kwargs.setdefault("capabilities", simulator_capabilities())
        return KrakenClient(
            session,
            simulator.kraken_url,
            ApiKeyCredential(GB_API_KEY),
            **kwargs,  # type: ignore[arg-type]
        )

    return build
