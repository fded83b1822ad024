"""Requests per hour to the Kraken endpoint over a simulated day, at default settings.

The real integration runs inside Home Assistant against the simulator; the clock is frozen and
moved on a minute at a time for 24 hours, firing Home Assistant's timers as it goes. Prints
`name: value` lines.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator.app import RunningSimulator
from simulator.easee.scenario import EASEE_PASSWORD, EASEE_USERNAME, SITE_ID
from simulator.enode.state import ENODE_CLIENT_ID, ENODE_CLIENT_SECRET, ENODE_USER_ID
from simulator.kraken.devices import SimDispatch
from simulator.kraken.routes import BACKEND_GRAPHQL_PATH
from simulator.kraken.telemetry import home_minis
from tests.conftest import GB_ACCOUNT, advance, entity_id, setup_entry

HOURS = 24
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"


@pytest.mark.usefixtures("london")
async def test_account_and_rates_request_budget(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One GB account (Agile import, fixed export, gas) without smart devices, for a day.

    Its smart meter has no Home Mini here (with one: benchmarks/test_home_mini_budget.py).
    """
    gb_account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    gb_account.smartflex.devices.clear()
    for home_mini in home_minis(gb_account):
        home_mini.home_mini = False
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
    account = simulator.state.requests.count(
        operation_name="Account"
    ) + simulator.state.requests.count(operation_name="AccountWithDevices")
    tokens = simulator.state.requests.count(operation_name="ObtainKrakenToken")
    print()
    print(f"kraken_requests_per_hour: {total / HOURS:.2f}")
    print(f"kraken_account_requests_per_day: {account}")
    print(f"kraken_token_requests_per_day: {tokens}")
    print(f"current_rate_minutes_wrong_per_day: {stale_minutes}")
    assert stale_minutes == 0


@pytest.mark.usefixtures("london")
async def test_one_ev_request_budget_and_freshness(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The same account with one EV (Intelligent-style dispatches) for a day.

    The car is plugged in and out every 37 minutes and a new dispatch is planned every 53;
    freshness is the longest run of whole minutes in which Home Assistant held an old state
    or plan (checked once a minute).
    """
    gb_account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    for home_mini in home_minis(gb_account):
        home_mini.home_mini = False
    home = gb_account.smartflex
    home.devices[:] = [device for device in home.devices if device.id == EV]
    car = home.devices[0]
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, gb_entry)
    state_id = entity_id(hass, "sensor", f"smartflex_{EV}_smartflex_state")
    rate_id = entity_id(hass, "sensor", "electricity_2000012345678_current_rate")
    devices = gb_entry.runtime_data.devices
    requests_before = simulator.state.requests.count()
    # Freshness: the longest run of minutes in which Home Assistant showed an outdated value.
    state_behind = plan_behind = worst_state_lag = worst_plan_lag = rate_wrong = 0
    for minute in range(1, HOURS * 60 + 1):
        now = dt_util.utcnow()
        if minute % 37 == 0:
            car.plugged_in = not car.plugged_in
        if minute % 53 == 0:
            start = now + timedelta(hours=2)
            home.extra_dispatches.append(SimDispatch(start, start + timedelta(minutes=30), -3.5))
        await advance(hass, freezer, timedelta(minutes=1))
        now = dt_util.utcnow()
        shown = hass.states.get(state_id)
        state_ok = shown is not None and shown.state == car.current_state(now).lower()
        state_behind = 0 if state_ok else state_behind + 1
        worst_state_lag = max(worst_state_lag, state_behind)
        held = [
            (dispatch.start, dispatch.end)
            for dispatch in (devices.data.planned_dispatches if devices.data else ())
            if dispatch.end > now
        ]
        truth = [(dispatch.start, dispatch.end) for dispatch in home.planned(now)]
        plan_behind = 0 if held == truth else plan_behind + 1
        worst_plan_lag = max(worst_plan_lag, plan_behind)
        rate = hass.states.get(rate_id)
        expected = simulator.state.kraken.expected_half_hourly_rate(now) / 100
        if (
            rate is None
            or rate.state in ("unknown", "unavailable")
            or abs(float(rate.state) - expected) > 1e-9
        ):
            rate_wrong += 1
    total = simulator.state.requests.count() - requests_before
    asked = Counter(
        record.operation_name for record in simulator.state.requests.records[requests_before:]
    )
    print()
    print(f"kraken_ev_requests_per_hour: {total / HOURS:.2f}")
    # The breakdown: device polls alone, device polls carrying the account, token renewals.
    print(f"kraken_ev_device_polls_per_hour: {asked['SmartFlex'] / HOURS:.2f}")
    print(f"kraken_ev_account_carrying_polls_per_hour: {asked['AccountWithDevices'] / HOURS:.2f}")
    print(f"kraken_ev_token_requests_per_hour: {asked['ObtainKrakenToken'] / HOURS:.2f}")
    print(f"device_state_max_minutes_behind: {worst_state_lag}")
    print(f"dispatch_plan_max_minutes_behind: {worst_plan_lag}")
    print(f"kraken_ev_current_rate_minutes_wrong_per_day: {rate_wrong}")
    assert rate_wrong == 0
    # 5-minute freshness: 12 polls an hour (the account rides along) and the token's renewal.
    assert total / HOURS <= 13
    assert worst_state_lag <= 5
    assert worst_plan_lag <= 5


@pytest.mark.usefixtures("london")
async def test_heat_pump_request_budget(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The account with one SmartFlex heat pump and its Octopus controller, for a day.

    Freshness: how far Home Assistant's lifetime energy input trails the controller's own
    counter (checked once a minute), in kWh and in minutes of the heat pump's running.
    """
    home = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex
    home.devices[:] = [device for device in home.devices if device.id == HEAT_PUMP]
    controller = (
        simulator.state.kraken.scenario.account(GB_ACCOUNT).properties[0].heat_pump_controllers[0]
    )
    freezer.move_to("2026-11-23T00:00:30+00:00")
    await setup_entry(hass, gb_entry)
    energy_id = entity_id(hass, "sensor", f"smartflex_{HEAT_PUMP}_heat_pump_energy_input")
    power_id = entity_id(hass, "sensor", f"smartflex_{HEAT_PUMP}_heat_pump_power_input")
    requests_before = simulator.state.requests.count()
    backend_before = simulator.state.requests.count(path=BACKEND_GRAPHQL_PATH)
    records_before = len(simulator.state.requests.records)
    worst_behind_kwh = 0.0
    unavailable_minutes = 0
    for _ in range(HOURS * 60):
        await advance(hass, freezer, timedelta(minutes=1))
        energy = hass.states.get(energy_id)
        power = hass.states.get(power_id)
        if any(
            state is None or state.state in ("unknown", "unavailable") for state in (energy, power)
        ):
            unavailable_minutes += 1
            continue
        assert energy is not None
        behind = controller.energy_input_kwh(dt_util.utcnow()) - float(energy.state)
        worst_behind_kwh = max(worst_behind_kwh, behind)
    total = simulator.state.requests.count() - requests_before
    backend = simulator.state.requests.count(path=BACKEND_GRAPHQL_PATH) - backend_before
    asked = Counter(
        record.operation_name for record in simulator.state.requests.records[records_before:]
    )
    print()
    print(f"kraken_heat_pump_requests_per_hour: {total / HOURS:.2f}")
    print(f"kraken_heat_pump_backend_requests_per_hour: {backend / HOURS:.2f}")
    print(f"kraken_heat_pump_controller_lookups_per_day: {asked['HeatPumpControllers']}")
    print(f"kraken_heat_pump_energy_input_max_kwh_behind: {worst_behind_kwh:.3f}")
    print(f"kraken_heat_pump_minutes_unavailable: {unavailable_minutes}")
    # The device poll's 13 an hour, and the backend's live poll every 5 minutes.
    assert backend / HOURS <= 12.1
    assert total / HOURS <= 25.1
    assert unavailable_minutes == 0
    # Lifetime counters ride along every half hour: never more than 30 minutes of running behind.
    assert worst_behind_kwh <= 0.5


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize("household", ["one_vehicle", "one_of_each_kind"])
async def test_enode_request_budget(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    household: str,
) -> None:
    """An Enode user's devices for a day at the default cadence, with state at most how old."""
    enode = simulator.state.enode
    if household == "one_vehicle":
        for devices in (enode.chargers, enode.hvacs, enode.batteries, enode.inverters):
            devices.clear()
        enode.meters.clear()
    freezer.move_to("2026-11-23T00:00:30+00:00")
    entry = MockConfigEntry(
        domain="kraken_energy",
        unique_id="enode-bench",
        data={
            "provider": "enode",
            "client_id": ENODE_CLIENT_ID,
            "client_secret": ENODE_CLIENT_SECRET,
            "environment": "custom",
            "api_url": simulator.enode_url,
            "token_url": simulator.enode_token_url,
            "user_id": ENODE_USER_ID,
        },
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data.coordinator
    requests_before = simulator.state.requests.count()
    oldest = timedelta()
    last_update = dt_util.utcnow()
    for _ in range(HOURS * 60):
        before = simulator.state.requests.count()
        await advance(hass, freezer, timedelta(minutes=1))
        if simulator.state.requests.count() > before and coordinator.last_update_success:
            last_update = dt_util.utcnow()
        oldest = max(oldest, dt_util.utcnow() - last_update)
    total = simulator.state.requests.count() - requests_before
    print()
    print(f"enode_{household}_requests_per_hour: {total / HOURS:.2f}")
    print(f"enode_{household}_state_max_age_minutes: {oldest.total_seconds() / 60:.1f}")
    assert oldest <= timedelta(minutes=2)


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize("chargers", [1, 2])
async def test_easee_request_budget(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    chargers: int,
) -> None:
    """An Easee household's chargers for a day at the default cadence."""
    easee = simulator.state.easee
    if chargers == 1:
        easee.sites[0].charger_ids = easee.sites[0].charger_ids[:1]
    freezer.move_to("2026-11-23T00:00:30+00:00")
    entry = MockConfigEntry(
        domain="kraken_energy",
        unique_id="easee-bench",
        data={
            "provider": "easee",
            "username": EASEE_USERNAME,
            "password": EASEE_PASSWORD,
            "endpoint": simulator.easee_url,
            "sites": [SITE_ID],
        },
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert len(entry.runtime_data.coordinator.data.chargers) == chargers
    requests_before = simulator.state.requests.count()
    for _ in range(HOURS * 60):
        await advance(hass, freezer, timedelta(minutes=1))
    total = simulator.state.requests.count() - requests_before
    print()
    label = "one_charger" if chargers == 1 else "two_chargers"
    print(f"easee_{label}_requests_per_hour: {total / HOURS:.2f}")
