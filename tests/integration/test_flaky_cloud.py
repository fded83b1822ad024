"""Riding through a flaky cloud: a passing fault costs no availability and no log line.

A read that fails on the way is asked again seconds later; entities keep the values last read
until they are two cycles old; an outage is one warning when entities go and one line when
they come back. Throttling is never asked again at once, and commands are never repeated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.providers.kraken.const import DEVICES_UPDATE_INTERVAL
from simulator.app import RunningSimulator
from simulator.easee.scenario import GARAGE_CHARGER_ID
from simulator.faults import Fault

from ..conftest import MORNING, advance, call_service, entity_id, setup_entry, unique_state

pytestmark = pytest.mark.usefixtures("london")

SMARTFLEX = "SmartFlex"
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
EV_STATE = f"smartflex_{EV}_smartflex_state"
GARAGE_OP_MODE = f"easee_{GARAGE_CHARGER_ID}_op_mode"
WATCHED_LOGGERS = ("custom_components.kraken_energy", "homeassistant.helpers.update_coordinator")


class _Lines(logging.Handler):
    """What the household's log shows of this integration (info and up)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(WATCHED_LOGGERS):
            self.lines.append((record.levelno, record.getMessage()))

    def at_least(self, level: int) -> list[str]:
        return [message for levelno, message in self.lines if levelno >= level]


@pytest.fixture
def log_lines() -> Iterator[_Lines]:
    handler = _Lines()
    logger = logging.getLogger()
    logger.addHandler(handler)
    before = {name: logging.getLogger(name).level for name in WATCHED_LOGGERS}
    for name in WATCHED_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


async def test_a_passing_fault_is_asked_again_within_the_cycle(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    log_lines: _Lines,
) -> None:
    """A 503 on the devices' poll: asked again seconds later, the car's state never goes."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    shown = unique_state(hass, "sensor", EV_STATE)
    simulator.state.faults.add(Fault.http_status(503, count=1, operation_name=SMARTFLEX))
    before = simulator.state.requests.count(operation_name=SMARTFLEX)
    await advance(hass, freezer, DEVICES_UPDATE_INTERVAL + timedelta(seconds=1))
    assert simulator.state.requests.count(operation_name=SMARTFLEX) - before == 1
    assert unique_state(hass, "sensor", EV_STATE) == shown
    await advance(hass, freezer, timedelta(seconds=10))
    assert simulator.state.requests.count(operation_name=SMARTFLEX) - before == 2
    assert unique_state(hass, "sensor", EV_STATE) == shown
    assert not log_lines.at_least(logging.WARNING)


async def test_throttling_is_not_asked_again_at_once(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    log_lines: _Lines,
) -> None:
    """A 429: the next attempt waits a cycle; the values shown meanwhile are the last read."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    shown = unique_state(hass, "sensor", EV_STATE)
    simulator.state.faults.add(Fault.rate_limit(60, count=1, operation_name=SMARTFLEX))
    await advance(hass, freezer, DEVICES_UPDATE_INTERVAL + timedelta(seconds=1))
    before = simulator.state.requests.count(operation_name=SMARTFLEX)
    # Not sooner than the cadence, whatever Retry-After asked for.
    for _ in range(4):
        await advance(hass, freezer, timedelta(minutes=1))
    assert simulator.state.requests.count(operation_name=SMARTFLEX) == before
    assert unique_state(hass, "sensor", EV_STATE) == shown
    await advance(hass, freezer, timedelta(minutes=1, seconds=5))
    assert simulator.state.requests.count(operation_name=SMARTFLEX) == before + 1
    assert unique_state(hass, "sensor", EV_STATE) == shown
    assert not log_lines.at_least(logging.WARNING)


async def test_an_outage_is_one_line_down_and_one_up(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    easee_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    log_lines: _Lines,
) -> None:
    """Easee down for an hour: values for two cycles, then unavailable; two lines in all."""
    freezer.move_to(MORNING)
    await setup_entry(hass, easee_entry)
    fault = simulator.state.faults.add(Fault.http_status(503, count=None, path="/api/"))
    await advance(hass, freezer, timedelta(minutes=1))
    await advance(hass, freezer, timedelta(minutes=1))
    # Two cycles on, the last values still stand.
    assert unique_state(hass, "sensor", GARAGE_OP_MODE) == "charging"
    await advance(hass, freezer, timedelta(minutes=1))
    assert unique_state(hass, "sensor", GARAGE_OP_MODE) == STATE_UNAVAILABLE
    for _ in range(60):
        await advance(hass, freezer, timedelta(minutes=1))
    assert unique_state(hass, "sensor", GARAGE_OP_MODE) == STATE_UNAVAILABLE
    down = log_lines.at_least(logging.WARNING)
    assert len(down) == 1, down
    assert "Easee" in down[0]

    simulator.state.faults.remove(fault)
    for _ in range(61):
        await advance(hass, freezer, timedelta(minutes=1))
    assert unique_state(hass, "sensor", GARAGE_OP_MODE) == "charging"
    assert log_lines.at_least(logging.WARNING) == down
    assert len([line for line in log_lines.at_least(logging.INFO) if "recovered" in line]) == 1


async def test_a_failed_command_is_not_sent_again(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    easee_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A command answered 503 may have gone through: it is reported, never repeated."""
    freezer.move_to(MORNING)
    await setup_entry(hass, easee_entry)
    commands = f"/api/chargers/{GARAGE_CHARGER_ID}/commands/"
    simulator.state.faults.add(Fault.http_status(503, count=None, path=commands))
    button = entity_id(hass, "button", f"easee_{GARAGE_CHARGER_ID}_pause_charging")
    with pytest.raises(HomeAssistantError):
        await call_service(hass, "button", "press", button)
    await advance(hass, freezer, timedelta(seconds=30))
    assert simulator.state.requests.count(path=commands) == 1
