"""The account's calendars against the simulator: dispatch windows and the cheapest rates."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.kraken.calendar import CHEAPEST_WINDOW
from simulator.app import RunningSimulator
from simulator.kraken.devices import SimDispatch, SmartFlexHome

from ..conftest import (
    GB_ACCOUNT,
    MORNING,
    advance,
    de_entry_data,
    entity_id,
    setup_entry,
    state_of,
)

pytestmark = pytest.mark.freeze_time(MORNING)

EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
SLOT = timedelta(minutes=30)


def _home(simulator: RunningSimulator) -> SmartFlexHome:
    return simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex


async def _events(
    hass: HomeAssistant, entity: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": entity, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return cast("list[dict[str, Any]]", cast("dict[str, Any]", response[entity])["events"])


def _span(event: dict[str, Any]) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])


@pytest.fixture
async def loaded(
    hass: HomeAssistant, london: None, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> MockConfigEntry:
    """The GB account (Agile import, SmartFlex devices) set up."""
    await setup_entry(hass, gb_entry)
    return gb_entry


async def test_dispatch_calendar_lists_planned_and_completed_windows(
    hass: HomeAssistant, simulator: RunningSimulator, loaded: MockConfigEntry
) -> None:
    now = dt_util.utcnow()
    home = _home(simulator)
    expected = sorted(
        {(d.start, d.end) for d in home.device_planned(EV, now)}
        | {(d.start, d.end) for d in home.completed(now, boosts=True)}
    )
    assert expected  # the scenario has last night's window and tonight's plan
    calendar = entity_id(hass, "calendar", f"{GB_ACCOUNT}_dispatches")

    events = await _events(hass, calendar, now - timedelta(days=1), now + timedelta(days=1))

    assert [_span(event) for event in events] == expected
    planned = next(event for event in events if _span(event)[0] > now)
    assert planned["summary"] == "Family car: Smart charge"
    energy = next(abs(d.delta) for d in home.device_planned(EV, now))
    assert planned["description"] == f"Energy added: {energy:.2f} kWh"
    # Nothing charges at ten in the morning; the state shows tonight's window is next.
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["message"] == "Family car: Smart charge"
    assert (
        datetime.fromisoformat(state.attributes["start_time"]).replace(
            tzinfo=dt_util.get_default_time_zone()
        )
        == _span(planned)[0]
    )


async def test_a_dispatch_seen_planned_stays_listed_after_it_ends(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    home = _home(simulator)
    start = dt_util.utcnow() + timedelta(minutes=20)
    home.extra_dispatches.append(
        SimDispatch(start, start + SLOT, -3.5, source="smart-charge", device_id=EV)
    )
    await advance(hass, freezer, timedelta(minutes=6))
    calendar = entity_id(hass, "calendar", f"{GB_ACCOUNT}_dispatches")
    await advance(hass, freezer, timedelta(minutes=20))
    assert state_of(hass, calendar) == STATE_ON
    # The instance forgets it as a completed window at once; the calendar keeps it.
    home.extra_dispatches.clear()
    await advance(hass, freezer, timedelta(hours=1))

    events = await _events(hass, calendar, start - SLOT, start + 2 * SLOT)

    assert [_span(event) for event in events] == [(start, start + SLOT)]
    assert events[0]["description"] == "Energy added: 3.50 kWh"
    assert state_of(hass, calendar) == STATE_OFF


def _cheapest_today(simulator: RunningSimulator, day_start: datetime) -> tuple[datetime, float]:
    """Today's cheapest three hours of the simulator's Agile rates, worked out here."""
    slots = int(CHEAPEST_WINDOW / SLOT)
    prices = [
        simulator.state.kraken.expected_half_hourly_rate(day_start + index * SLOT) / 100
        for index in range(48)
    ]
    means = [sum(prices[i : i + slots]) / slots for i in range(48 - slots + 1)]
    best = min(range(len(means)), key=lambda index: (means[index], index))
    return day_start + best * SLOT, means[best]


async def test_cheapest_rates_calendar_shows_each_days_cheapest_three_hours(
    hass: HomeAssistant, simulator: RunningSimulator, loaded: MockConfigEntry
) -> None:
    day_start = dt_util.start_of_local_day().astimezone(dt_util.UTC)
    start, mean = _cheapest_today(simulator, day_start)
    calendar = entity_id(hass, "calendar", f"{GB_ACCOUNT}_cheapest_rates")

    events = await _events(hass, calendar, day_start, day_start + timedelta(days=1))

    assert [_span(event) for event in events] == [(start, start + CHEAPEST_WINDOW)]
    assert events[0]["summary"] == "Cheapest 3 hours"
    assert events[0]["description"] == f"Average rate {mean:.4f} GBP/kWh"
    assert state_of(hass, calendar) == (
        STATE_ON if start <= dt_util.utcnow() < start + CHEAPEST_WINDOW else STATE_OFF
    )


async def test_only_half_hourly_accounts_get_a_cheapest_rates_calendar(
    hass: HomeAssistant, london: None, simulator: RunningSimulator
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data=de_entry_data(simulator))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)

    calendars = hass.states.async_entity_ids("calendar")
    assert not [each for each in calendars if "cheapest" in each]
