"""Shared fixtures: the simulator on loopback and config entries pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
import logging
import os
from typing import Any
from unittest.mock import AsyncMock, PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from hypothesis import settings as hypothesis_settings
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.kraken_energy.const import CONF_ENDPOINT, DOMAIN
from custom_components.kraken_energy.providers.kraken.const import (
    AUTH_API_KEY,
    CONF_ACCOUNT_NUMBER,
    CONF_AUTH_METHOD,
    CONF_CURRENCY,
    CONF_HEAT_PUMP_ENDPOINT,
    CONF_SUPPLIER,
)
from custom_components.kraken_energy.redaction import identifier_tail
from simulator.app import RunningSimulator, start_simulator
from simulator.easee.scenario import EASEE_PASSWORD, EASEE_USERNAME, SITE_ID as EASEE_SITE_ID
from simulator.enode.state import ENODE_CLIENT_ID, ENODE_CLIENT_SECRET, ENODE_USER_ID
from simulator.kraken.scenario import DE_ACCOUNT, DE_EMAIL, PASSWORD as DE_PASSWORD

# The fuzz tests draw the same examples every run, so a run passes or fails on the code alone;
# HYPOTHESIS_PROFILE=explore draws new ones (and more of them) to look for new failures.
hypothesis_settings.register_profile("default", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", max_examples=2000, derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

GB_API_KEY = "sk_live_gb_simulator"
GB_ACCOUNT = "A-GB000001"
# The GB account has smart devices: its cycle asks for the account and devices in one request.
ACCOUNT_OPERATION = "AccountWithDevices"
# A moment before tomorrow's half-hourly rates are published (16:00 London).
MORNING = "2026-11-23T10:10:00+00:00"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/ in every test."""


class _DeprecationReports(logging.Handler):
    """Collects Home Assistant's reports of deprecated calls made by this integration."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        lowered = message.lower()
        if DOMAIN in message and (
            "deprecat" in lowered or "stop working" in lowered or "will be removed" in lowered
        ):
            self.reports.append(message)


@pytest.fixture(autouse=True)
def fail_on_deprecation_reports() -> Iterator[None]:
    """Fail a test during which Home Assistant reports a deprecated call of ours.

    Home Assistant logs these (with the release that breaks them) instead of warning.
    """
    handler = _DeprecationReports()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    assert not handler.reports, "\n".join(handler.reports)


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """The simulated Kraken API, on a free loopback port (real sockets on 127.0.0.1)."""
    running = await start_simulator()
    yield running
    await running.close()


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots that know Home Assistant's objects (registry entries, states, random ids)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Every entity enabled, also those off by default (as Home Assistant core's fixture)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
async def london(hass: HomeAssistant) -> None:
    """A household in Great Britain."""
    await hass.config.async_set_time_zone("Europe/London")


def gb_entry_data(simulator: RunningSimulator, **overrides: Any) -> dict[str, Any]:
    """Entry data of the GB simulator account signed in with its API key."""
    return {
        CONF_SUPPLIER: "octopus_energy_gb",
        CONF_ENDPOINT: simulator.kraken_url,
        # The simulator's stand-in for Octopus's backend API (heat pump controllers).
        CONF_HEAT_PUMP_ENDPOINT: simulator.kraken_backend_url,
        CONF_CURRENCY: "GBP",
        CONF_AUTH_METHOD: AUTH_API_KEY,
        "api_key": GB_API_KEY,
        CONF_ACCOUNT_NUMBER: GB_ACCOUNT,
        **overrides,
    }


@pytest.fixture
def gb_entry(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    """The GB account's config entry, not yet set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Octopus Energy {identifier_tail(GB_ACCOUNT)}",
        unique_id=GB_ACCOUNT,
        data=gb_entry_data(simulator),
    )
    entry.add_to_hass(hass)
    return entry


def de_entry_data(
    simulator: RunningSimulator, account: str = DE_ACCOUNT, **overrides: Any
) -> dict[str, Any]:
    """Entry data of a German account on the simulator's German instance (email sign-in)."""
    return {
        CONF_SUPPLIER: "octopus_energy_germany",
        CONF_ENDPOINT: simulator.kraken_de_url,
        CONF_CURRENCY: "EUR",
        CONF_AUTH_METHOD: "password",
        "email": DE_EMAIL,
        "password": DE_PASSWORD,
        CONF_ACCOUNT_NUMBER: account,
        **overrides,
    }


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Entries created by a flow are not set up: the flow, not the integration, is tested."""
    with patch("custom_components.kraken_energy.async_setup_entry", return_value=True) as setup:
        yield setup


def easee_entry_data(simulator: RunningSimulator, **overrides: Any) -> dict[str, Any]:
    """Entry data of the simulator's Easee household (one site, two chargers)."""
    return {
        "provider": "easee",
        "username": EASEE_USERNAME,
        "password": EASEE_PASSWORD,
        "endpoint": simulator.easee_url,
        "sites": [EASEE_SITE_ID],
        **overrides,
    }


@pytest.fixture
def easee_entry(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    """The simulator's Easee household, not yet set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Easee",
        unique_id=f"easee_{EASEE_USERNAME}",
        data=easee_entry_data(simulator),
    )
    entry.add_to_hass(hass)
    return entry


def enode_entry_data(simulator: RunningSimulator, **overrides: Any) -> dict[str, Any]:
    """Entry data of the simulator's Enode household (one device of every kind)."""
    return {
        "provider": "enode",
        "client_id": ENODE_CLIENT_ID,
        "client_secret": ENODE_CLIENT_SECRET,
        "environment": "custom",
        "api_url": simulator.enode_url,
        "token_url": simulator.enode_token_url,
        "user_id": ENODE_USER_ID,
        **overrides,
    }


@pytest.fixture
def enode_entry(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    """The simulator's Enode household, not yet set up; actions confirm at once."""
    simulator.state.enode.action_delay = 0
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Enode {ENODE_USER_ID}",
        unique_id=f"enode_{ENODE_CLIENT_ID}_{ENODE_USER_ID}",
        data=enode_entry_data(simulator),
    )
    entry.add_to_hass(hass)
    return entry


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set up an entry and let its platforms finish."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the frozen clock on, fire Home Assistant's timers and wait for the refreshes."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    # Coordinator refreshes run as background tasks; let them finish before the clock moves.
    await hass.async_block_till_done(wait_background_tasks=True)


def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity id registered for a unique id (entity ids are derived, not hard-coded)."""
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert found is not None, f"no {platform} entity with unique id {unique_id}"
    return found


def unique_ids(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The unique ids of every entity the entry has registered."""
    return {
        entity.unique_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }


def registry_device(
    hass: HomeAssistant, entry: MockConfigEntry, identifier: str
) -> dr.DeviceEntry | None:
    """The entry's registry device with one of our identifiers, or None."""
    return dr.async_get(hass).async_get_device_by_identifier((DOMAIN, identifier), entry.entry_id)


def state_of(hass: HomeAssistant, entity: str) -> str:
    """The state of an entity that must exist."""
    state = hass.states.get(entity)
    assert state is not None, f"{entity} has no state"
    return state.state


def unique_state(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The state of the entity with this unique id (which must exist)."""
    return state_of(hass, entity_id(hass, platform, unique_id))


async def call_service(
    hass: HomeAssistant, domain: str, service: str, entity: str, **data: Any
) -> None:
    """Call an action on one entity and wait for it."""
    await hass.services.async_call(domain, service, {"entity_id": entity, **data}, blocking=True)
