"""Requests per hour to the Kraken endpoint over a simulated day, at default settings.

The real integration runs inside Home Assistant against the simulator; the clock is frozen and
moved on a minute at a time for 24 hours, firing Home Assistant's timers as it goes. Prints
`name: value` lines.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator.app import RunningSimulator
from tests.conftest import advance, entity_id, setup_entry

HOURS = 24


@pytest.mark.usefixtures("london")
async def test_account_and_rates_request_budget(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One GB account (Agile import, fixed export, gas) for a day."""
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, gb_entry)
    rate_id = entity_id(hass, "sensor", "electricity_2000012345678_current_rate")
    requests_before = simulator.state.requests.count()
    stale_minutes = 0
    for _ in range(HOURS * 60):
        await advance(hass, freezer, timedelta(minutes=1))
        state = hass.states.get(rate_id)
        kraken = simulator.state.kraken
        expected = kraken.expected_half_hourly_rate(dt_util.utcnow()) / 100
        if (
            state is None
            or state.state in ("unknown", "unavailable")
            or abs(float(state.state) - expected) > 1e-9
        ):
            stale_minutes += 1
    total = simulator.state.requests.count() - requests_before
    account = simulator.state.requests.count(operation_name="Account")
    tokens = simulator.state.requests.count(operation_name="ObtainKrakenToken")
    print()
    print(f"kraken_requests_per_hour: {total / HOURS:.2f}")
    print(f"kraken_account_requests_per_day: {account}")
    print(f"kraken_token_requests_per_day: {tokens}")
    print(f"current_rate_minutes_wrong_per_day: {stale_minutes}")
    assert stale_minutes == 0
