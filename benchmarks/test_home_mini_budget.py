"""Requests per hour to the Kraken endpoint with a Home Mini, with and without an EV, for a day.

As `test_request_budget.py`: the real integration against the simulator, the clock moved on a
minute at a time for 24 hours. The live meter data rides in the device poll's request, so
with an EV the count is the EV's own; without one the poll comes every five minutes for the
meter. Also: in how many minutes the live sensors were unavailable, and how far the shown
meter reading fell behind the simulator's (minutes, at most). Prints `name: value` lines.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.app import RunningSimulator
from simulator.kraken.scenario import GB_HOME_MINI_EUI
from simulator.kraken.telemetry import find_meter, latest_reading
from tests.conftest import GB_ACCOUNT, advance, entity_id, setup_entry

HOURS = 24
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
IMPORT_MPAN = "2000012345678"


@pytest.mark.timeout(900)
@pytest.mark.usefixtures("london")
@pytest.mark.parametrize("with_ev", [False, True], ids=["without_ev", "with_ev"])
async def test_home_mini_request_budget(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    with_ev: bool,
) -> None:
    """The GB account's Home Mini, alone or beside one EV."""
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    home = account.smartflex
    home.devices[:] = [device for device in home.devices if with_ev and device.id == EV]
    site = find_meter([account], GB_HOME_MINI_EUI)
    assert site is not None
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, gb_entry)
    register_id = entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_live_import_total")
    live_ids = [
        entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_live_{key}")
        for key in ("demand", "import_total", "consumption_today", "cost_today")
    ]
    requests_before = simulator.state.requests.count()
    unavailable = behind = worst_behind = 0
    for _ in range(HOURS * 60):
        await advance(hass, freezer, timedelta(minutes=1))
        states = [hass.states.get(live) for live in live_ids]
        if any(state is None or state.state in ("unknown", "unavailable") for state in states):
            unavailable += 1
        register = hass.states.get(register_id)
        truth = float(latest_reading(site, dt_util.utcnow())["consumption"]) / 1000
        # Behind: the register shown is older than the meter's reading a minute ago.
        lagging = register is None or float(register.state) < (
            float(latest_reading(site, dt_util.utcnow() - timedelta(minutes=1))["consumption"])
            / 1000
            - 1e-9
        )
        behind = behind + 1 if lagging else 0
        worst_behind = max(worst_behind, behind)
        assert register is None or float(register.state) <= truth + 1e-9
    total = simulator.state.requests.count() - requests_before
    name = "with_ev" if with_ev else "without_ev"
    print()
    print(f"kraken_home_mini_{name}_requests_per_hour: {total / HOURS:.2f}")
    print(f"kraken_home_mini_{name}_live_unavailable_minutes: {unavailable}")
    print(f"kraken_home_mini_{name}_meter_reading_max_minutes_behind: {worst_behind}")
    # Budget: an EV's 13 an hour stays 13; without one, the five-minute poll and the token.
    assert total / HOURS <= 13
    assert unavailable == 0
    assert worst_behind <= 5
