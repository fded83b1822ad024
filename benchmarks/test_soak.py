"""A week of a household's Home Assistant against a flaky cloud: the soak (issue 15).

The real integration runs all three providers at once (a GB Kraken account with an EV, an
Easee site with two chargers, an Enode user with one device of each kind) against the
simulator, the clock moved on a minute at a time for KRAKEN_SOAK_DAYS days (default 7), while
5 % of all responses fail at random with a fixed seed (server errors, dropped connections,
throttling with a Retry-After, malformed bodies; see `simulator.faults.RandomFaults`).

Per provider it prints the minutes in which any of its entities that were available before
the faults began was unavailable, requests an hour and warnings (or worse) logged a day; for
the whole process, unhandled exceptions and the growth of RSS and of live objects from the end
of day one to the end of the run. Memory is measured with pytest's log capture detached, as
the capture keeps every record (and what its exception references) until the test ends, and
without what the simulator and the test harness's storage mock remember (see
`_forget_harness_history`): neither is the integration's memory.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
import gc
import logging
import os
from pathlib import Path
import time

from _pytest.logging import LogCaptureHandler
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.faults import RandomFaults
from simulator.state import SimulatorState
from tests.conftest import GB_ACCOUNT, advance, easee_entry_data, enode_entry_data, setup_entry

DAYS = int(os.environ.get("KRAKEN_SOAK_DAYS", "7"))
FAULT_RATE = 0.05
SEED = 15
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
PROVIDERS = ("kraken", "easee", "enode")
# Where each provider's requests go on the simulator.
# Kraken: the account API and, for the heat pump, the supplier's backend API.
PATHS = {"/v1/graphql/": "kraken", "/backend/": "kraken", "/api/": "easee", "/enode": "enode"}
# Loggers whose warnings count: the integration's and Home Assistant's coordinator's.
COUNTED_LOGGERS = ("custom_components.kraken_energy", "homeassistant.helpers.update_coordinator")


class _LogCounter(logging.Handler):
    """Counts warnings per provider and unhandled exceptions; keeps no record."""

    def __init__(self, providers_by_entry: dict[str, str]) -> None:
        super().__init__(logging.WARNING)
        self.providers_by_entry = providers_by_entry
        self.warnings: Counter[str] = Counter()
        self.unhandled = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if (record.exc_info and record.levelno >= logging.ERROR) or any(
            marker in message
            for marker in ("Unexpected error", "Error doing job", "exception was never retrieved")
        ):
            self.unhandled += 1
        if not record.name.startswith(COUNTED_LOGGERS):
            return
        self.warnings[self._provider(record.name, message)] += 1

    def _provider(self, name: str, message: str) -> str:
        for provider in PROVIDERS:
            if f".providers.{provider}" in name or f".api.{provider}" in name:
                return provider
        for entry_id, provider in self.providers_by_entry.items():
            if entry_id in message:
                return provider
        return "other"


@contextmanager
def _counting_logs(counter: _LogCounter) -> Iterator[None]:
    """Only `counter` sees the records: pytest's capture handlers are detached meanwhile."""
    root = logging.getLogger()
    captures = [handler for handler in root.handlers if isinstance(handler, LogCaptureHandler)]
    for handler in captures:
        root.removeHandler(handler)
    root.addHandler(counter)
    try:
        yield
    finally:
        root.removeHandler(counter)
        for handler in captures:
            root.addHandler(handler)


def _drop_expired[RecordT](tokens: dict[str, RecordT], expired: Callable[[RecordT], bool]) -> None:
    for token in [token for token, record in tokens.items() if expired(record)]:
        del tokens[token]


def _forget_harness_history(state: SimulatorState) -> None:
    """Drop what the simulator and the test harness keep that a household's HA would not.

    The simulator's expired tokens; and the arguments of every storage write: the harness's
    `hass_storage` patches `Store._async_write_data` with an autospec mock, whose call list
    keeps each payload ever saved. The Kraken schema, learnt again and saved once a day
    (about 1,300 lists and 400 dicts), stayed alive once per simulated day that way; Home
    Assistant itself writes it to disk and keeps nothing.
    """
    mock_writer = Store._async_write_data  # noqa: SLF001 - where the harness put its mock
    reset_writes = getattr(mock_writer, "reset_mock", None)
    if reset_writes is not None:
        reset_writes()
    now = dt_util.utcnow()
    _drop_expired(state.kraken.access_tokens, lambda record: record.expires_at < now.timestamp())
    _drop_expired(state.kraken.refresh_tokens, lambda record: record.expires_at < now.timestamp())
    _drop_expired(state.easee.access_tokens, lambda record: record.expires_at < now)
    _drop_expired(state.easee.refresh_tokens, lambda record: record.expires_at < now)
    _drop_expired(state.enode.tokens, lambda record: record.expires_at < now)


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - not Linux


def _live_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


def _entry(hass: HomeAssistant, title: str, unique_id: str, data: dict[str, object]) -> str:
    entry = MockConfigEntry(domain=DOMAIN, title=title, unique_id=unique_id, data=data)
    entry.add_to_hass(hass)
    entry_id: str = entry.entry_id
    return entry_id


@pytest.mark.timeout(3 * 3600)
@pytest.mark.usefixtures("london")
async def test_a_week_against_a_flaky_cloud(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Availability, requests, log lines and memory of all three providers over the soak."""
    state = simulator.state
    home = state.kraken.scenario.account(GB_ACCOUNT).smartflex
    home.devices[:] = [device for device in home.devices if device.id == EV]
    # The simulator's own logs, kept short: they fill up on day one, not during the week.
    state.requests.max_records = 1_000
    state.enode.exchanges = deque(maxlen=100)
    state.enode.action_delay = 0
    freezer.move_to("2026-11-23T00:00:30+00:00")
    providers_by_entry = {
        gb_entry.entry_id: "kraken",
        _entry(hass, "Easee Home", "easee-soak", easee_entry_data(simulator)): "easee",
        _entry(hass, "Enode", "enode-soak", enode_entry_data(simulator)): "enode",
    }
    # Setting one entry up loads the integration, which sets every entry of it up.
    await setup_entry(hass, gb_entry)
    for entry_id in providers_by_entry:
        loaded = hass.config_entries.async_get_entry(entry_id)
        assert loaded is not None
        assert loaded.state is ConfigEntryState.LOADED
    for _ in range(10):
        await advance(hass, freezer, timedelta(minutes=1))

    # The entities each provider shows on a good day; a minute any of them is unavailable
    # counts against the provider.
    registry = er.async_get(hass)
    watched: dict[str, list[str]] = {}
    for entry_id, provider in providers_by_entry.items():
        watched[provider] = [
            entity.entity_id
            for entity in er.async_entries_for_config_entry(registry, entry_id)
            if (shown := hass.states.get(entity.entity_id)) is not None
            and shown.state != STATE_UNAVAILABLE
        ]
        assert watched[provider], provider

    counter = _LogCounter(providers_by_entry)
    unavailable_minutes: Counter[str] = Counter()
    requests: Counter[str] = Counter()
    minutes = DAYS * 24 * 60
    day_one: tuple[int, int] | None = None
    started = time.process_time()
    with _counting_logs(counter):
        state.faults.random = RandomFaults(FAULT_RATE, seed=SEED)
        received = state.requests.received
        for minute in range(1, minutes + 1):
            await advance(hass, freezer, timedelta(minutes=1))
            new = state.requests.received - received
            received = state.requests.received
            for record in state.requests.records[len(state.requests.records) - new :]:
                for prefix, provider in PATHS.items():
                    if record.path.startswith(prefix):
                        requests[provider] += 1
                        break
            for provider, entity_ids in watched.items():
                if any(
                    (shown := hass.states.get(entity_id)) is None
                    or shown.state == STATE_UNAVAILABLE
                    for entity_id in entity_ids
                ):
                    unavailable_minutes[provider] += 1
            if minute % 60 == 0:
                _forget_harness_history(state)
            if minute == 24 * 60:
                day_one = (_rss_bytes(), _live_objects())
        state.faults.random = None
    cpu_seconds = time.process_time() - started
    rss, objects = _rss_bytes(), _live_objects()

    print()
    print(f"soak_days: {DAYS}")
    print(f"soak_cpu_seconds: {cpu_seconds:.0f}")
    for provider in PROVIDERS:
        print(f"soak_{provider}_minutes_unavailable: {unavailable_minutes[provider]}")
        print(
            f"soak_{provider}_percent_unavailable: "
            f"{100 * unavailable_minutes[provider] / minutes:.2f}"
        )
        print(f"soak_{provider}_requests_per_hour: {requests[provider] / (minutes / 60):.2f}")
        print(f"soak_{provider}_warning_lines_per_day: {counter.warnings[provider] / DAYS:.1f}")
    print(f"soak_other_warning_lines_per_day: {counter.warnings['other'] / DAYS:.1f}")
    print(f"soak_unhandled_exceptions: {counter.unhandled}")
    if day_one is not None and DAYS > 1:
        print(f"soak_rss_mb_day_one: {day_one[0] / 2**20:.1f}")
        print(f"soak_rss_mb_last_day: {rss / 2**20:.1f}")
        print(f"soak_rss_growth_percent: {100 * (rss - day_one[0]) / day_one[0]:.1f}")
        print(f"soak_objects_day_one: {day_one[1]}")
        print(f"soak_objects_last_day: {objects}")
        print(f"soak_objects_growth_percent: {100 * (objects - day_one[1]) / day_one[1]:.1f}")
    assert counter.unhandled == 0
