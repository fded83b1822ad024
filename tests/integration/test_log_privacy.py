"""No personal data or secret in any log line, at any level.

With debug logging on for the integration and the simulator, every provider is set up,
polled and made to fail; no record (its message with arguments, its exception's text) may
carry an account number, meter point id, address, coordinate, VIN, email address, password,
API key, token or client secret of the simulator's households.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.easee.scenario import EASEE_USERNAME
from simulator.enode.state import ENODE_CLIENT_SECRET, HOME_LATITUDE, HOME_LONGITUDE
from simulator.faults import Fault
from simulator.kraken.scenario import (
    DE_ACCOUNT,
    DE_ELECTRICITY_MALO,
    DE_ELECTRICITY_MELO,
    DE_EMAIL,
    DE_GAS_MALO,
    DE_GAS_MELO,
    GB_ACCOUNT,
    GB_API_KEY,
    GB_EXPORT_MPAN,
    GB_GAS_MPRN,
    GB_HEAT_PUMP_EUID,
    GB_HOME_MINI_EUI,
    GB_IMPORT_MPAN,
)
from simulator.kraken.telemetry import home_minis

from ..conftest import (
    MORNING,
    advance,
    de_entry_data,
    easee_entry_data,
    enode_entry_data,
    gb_entry_data,
)

pytestmark = pytest.mark.usefixtures("london")

DEBUG_LOGGERS = ("custom_components.kraken_energy", "simulator")
# What the integration and the simulator log, and what Home Assistant logs of our coordinators.
# (Home Assistant's entity registry logs entity ids, which follow the names of devices.)
OURS = (*DEBUG_LOGGERS, "homeassistant.helpers.update_coordinator")
DE_PASSWORD = "pw-de-4c1f9e"
EASEE_PASSWORD = "pw-easee-8b2d7a"


class _Everything(logging.Handler):
    """The text of every record: message with its arguments, and its exception."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(OURS):
            return
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self._formatter.formatException(record.exc_info)
        if record.stack_info:
            text += "\n" + record.stack_info
        self.texts.append(text)


@pytest.fixture
def everything_logged() -> Iterator[_Everything]:
    handler = _Everything()
    root = logging.getLogger()
    root.addHandler(handler)
    levels = {name: logging.getLogger(name).level for name in DEBUG_LOGGERS}
    for name in DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _secrets(simulator: RunningSimulator) -> set[str]:
    """What must never be logged: the scenario's personal data and every credential issued."""
    state = simulator.state
    vehicle = next(iter(state.enode.vehicles.values()))
    fixed = {
        GB_ACCOUNT,
        GB_API_KEY,
        GB_IMPORT_MPAN,
        GB_EXPORT_MPAN,
        GB_GAS_MPRN,
        GB_HOME_MINI_EUI,
        GB_HEAT_PUMP_EUID,
        "1 Simulator Street",
        "SW1A 1AA",
        DE_ACCOUNT,
        DE_EMAIL,
        DE_ELECTRICITY_MALO,
        DE_GAS_MALO,
        DE_ELECTRICITY_MELO,
        DE_GAS_MELO,
        "Simulatorstraße 1",
        EASEE_USERNAME,
        EASEE_PASSWORD,
        DE_PASSWORD,
        ENODE_CLIENT_SECRET,
        vehicle.vin,
        str(HOME_LATITUDE),
        str(HOME_LONGITUDE),
    }
    tokens = {
        *state.kraken.access_tokens,
        *state.kraken.refresh_tokens,
        *state.easee.access_tokens,
        *state.easee.refresh_tokens,
        *state.enode.tokens,
    }
    return fixed | tokens


async def test_no_personal_data_or_secret_in_any_log_line(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    everything_logged: _Everything,
) -> None:
    freezer.move_to(MORNING)
    # Passwords of their own, so that a leak cannot hide among ordinary words.
    de_user = simulator.state.kraken.scenario.user_by_email(DE_EMAIL)
    easee_user = simulator.state.easee.user_by_username(EASEE_USERNAME)
    assert de_user is not None
    assert easee_user is not None
    de_user.password = DE_PASSWORD
    easee_user.password = EASEE_PASSWORD
    entries = [
        MockConfigEntry(
            domain=DOMAIN, title="GB", unique_id=GB_ACCOUNT, data=gb_entry_data(simulator)
        ),
        MockConfigEntry(
            domain=DOMAIN,
            title="DE",
            unique_id=DE_ACCOUNT,
            data=de_entry_data(simulator, password=DE_PASSWORD),
        ),
        MockConfigEntry(
            domain=DOMAIN,
            title="Easee",
            unique_id="easee",
            data=easee_entry_data(simulator, password=EASEE_PASSWORD),
        ),
    ]
    entries.append(
        MockConfigEntry(
            domain=DOMAIN, title="Enode", unique_id="enode", data=enode_entry_data(simulator)
        )
    )
    for entry in entries:
        entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entries[0].entry_id)
    await hass.async_block_till_done()
    assert all(entry.state is ConfigEntryState.LOADED for entry in entries)

    for minute in range(40):
        if minute == 10:
            # The Home Mini's telemetry is throttled for a while (KT-GB-4042, tolerated).
            for home_mini in home_minis(simulator.state.kraken.scenario.account(GB_ACCOUNT)):
                home_mini.throttled = True
        if minute == 30:
            for home_mini in home_minis(simulator.state.kraken.scenario.account(GB_ACCOUNT)):
                home_mini.throttled = False
        if minute in (5, 20):
            # Each provider fails: a server error, then a body that is not what was asked.
            for path in ("/v1/graphql/", "/de/v1/graphql/", "/api/", "/enode/"):
                simulator.state.faults.add(Fault.http_status(503, count=2, path=path))
                simulator.state.faults.add(Fault.malformed(count=2, path=path))
        await advance(hass, freezer, timedelta(minutes=1))
    # Signed in again from scratch: every token request and answer goes through the log too.
    simulator.state.kraken.expire_access_tokens()
    simulator.state.easee.expire_access_tokens()
    simulator.state.enode.expire_tokens()
    for _ in range(35):
        await advance(hass, freezer, timedelta(minutes=1))

    assert everything_logged.texts
    secrets = _secrets(simulator)
    leaks = sorted(
        {
            (secret, text[:300])
            for text in everything_logged.texts
            for secret in secrets
            if secret in text
        }
    )
    assert not leaks
