"""Live meter data (Octopus Home Mini): the meter point's demand, registers, today's use and cost.

The real integration against the simulator over loopback; the simulator's own readings are the
expected values.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.kraken.const import (
    ACCOUNT_UPDATE_INTERVAL,
    CONF_ACCOUNT_NUMBER,
    DEVICES_UPDATE_INTERVAL,
)
from simulator.app import RunningSimulator
from simulator.kraken.scenario import (
    GB_HOME_MINI_EUI,
    GB_MULTI_RATE_ACCOUNT,
    LONDON,
    Meter,
    SmartMeterDevice,
)
from simulator.kraken.telemetry import MeterSite, day_totals, find_meter, latest_reading

from ..conftest import (
    GB_ACCOUNT,
    MORNING,
    advance,
    entity_id,
    gb_entry_data,
    registry_device,
    setup_entry,
    unique_ids,
    unique_state,
)

IMPORT_MPAN = "2000012345678"
EXPORT_MPAN = "2000098765432"
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
LIVE = f"electricity_{IMPORT_MPAN}_live"
LIVE_KEYS = ("demand", "import_total", "export_total", "consumption_today", "cost_today")


def _site(simulator: RunningSimulator) -> MeterSite:
    site = find_meter([simulator.state.kraken.scenario.account(GB_ACCOUNT)], GB_HOME_MINI_EUI)
    assert site is not None
    return site


def _home_mini(simulator: RunningSimulator) -> SmartMeterDevice:
    return _site(simulator).device


def _meter(simulator: RunningSimulator, mpan: str) -> Meter:
    """The (first) meter of the GB account's electricity meter point with this MPAN."""
    return next(
        meter
        for prop in simulator.state.kraken.scenario.account(GB_ACCOUNT).properties
        for point in prop.electricity_meter_points
        if point.mpan == mpan
        for meter in point.meters
    )


async def _through_an_account_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Five-minute polls until one has carried the account's listing."""
    for _ in range(ACCOUNT_UPDATE_INTERVAL // DEVICES_UPDATE_INTERVAL + 1):
        await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)


def _value(hass: HomeAssistant, key: str) -> float:
    return float(unique_state(hass, "sensor", f"{LIVE}_{key}"))


def _expected(simulator: RunningSimulator, at: datetime) -> dict[str, float]:
    """What the simulator serves at `at`, in the units the sensors show."""
    site = _site(simulator)
    latest = latest_reading(site, at)
    day_start = datetime.combine(at.astimezone(LONDON).date(), datetime.min.time(), LONDON)
    totals = day_totals(site, day_start, at)
    return {
        "demand": float(latest["demand"]),
        "import_total": float(latest["consumption"]) / 1000,
        "export_total": float(latest["export"]) / 1000,
        "consumption_today": totals["consumption"],
        "cost_today": totals["cost"],
    }


def _assert_shows(hass: HomeAssistant, expected: dict[str, float]) -> None:
    for key, value in expected.items():
        assert _value(hass, key) == pytest.approx(value, abs=1e-6), key


def _live_unique_ids(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    return {unique_id for unique_id in unique_ids(hass, entry) if "_live_" in unique_id}


@pytest.mark.usefixtures("london")
async def test_home_mini_values_are_the_meters(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At setup and after each poll, on the import meter point's device."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    _assert_shows(hass, _expected(simulator, dt_util.utcnow()))
    assert _live_unique_ids(hass, gb_entry) == {f"{LIVE}_{key}" for key in LIVE_KEYS}

    # The Energy dashboard's counters and the day's cost in the account's currency.
    registers = hass.states.get(entity_id(hass, "sensor", f"{LIVE}_import_total"))
    assert registers is not None
    assert registers.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
    assert registers.attributes[ATTR_UNIT_OF_MEASUREMENT] == "kWh"
    cost = hass.states.get(entity_id(hass, "sensor", f"{LIVE}_cost_today"))
    assert cost is not None
    assert cost.attributes[ATTR_UNIT_OF_MEASUREMENT] == "GBP"
    assert cost.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL
    assert unique_state(hass, "sensor", f"{LIVE}_demand") != STATE_UNAVAILABLE

    # They belong to the meter point's device, not a device of their own.
    point = registry_device(hass, gb_entry, f"electricity_{IMPORT_MPAN}")
    assert point is not None
    entry = er.async_get(hass).async_get(entity_id(hass, "sensor", f"{LIVE}_demand"))
    assert entry is not None
    assert entry.device_id == point.id

    # The next poll (five minutes on, with the EV) brings the new readings.
    await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
    _assert_shows(hass, _expected(simulator, dt_util.utcnow()))


@pytest.mark.usefixtures("london")
async def test_consumption_today_starts_again_at_local_midnight(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The day's total restarts; the meter's register goes on counting."""
    freezer.move_to("2026-11-23T23:50:30+00:00")
    await setup_entry(hass, gb_entry)
    before = _value(hass, "consumption_today")
    register_before = _value(hass, "import_total")
    assert before > 1
    await advance(hass, freezer, timedelta(minutes=15))
    now = dt_util.utcnow()
    assert now.astimezone(LONDON).hour == 0
    expected = _expected(simulator, now)
    assert _value(hass, "consumption_today") == pytest.approx(expected["consumption_today"])
    assert _value(hass, "consumption_today") < before
    assert _value(hass, "import_total") > register_before
    assert _value(hass, "cost_today") == pytest.approx(expected["cost_today"])


@pytest.mark.usefixtures("london")
async def test_too_many_requests_keeps_values_and_devices(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """KT-GB-4042 on the telemetry costs only the telemetry, and only once it is stale."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    shown = _expected(simulator, dt_util.utcnow())
    car = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex.devices[0]
    assert car.id == EV

    _home_mini(simulator).throttled = True
    car.plugged_in = not car.plugged_in
    await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
    # The poll stood: the car's new state is shown, the last readings are kept.
    assert gb_entry.runtime_data.devices.last_update_success
    assert unique_state(hass, "sensor", f"smartflex_{EV}_smartflex_state") == (
        car.current_state(dt_util.utcnow()).lower()
    )
    _assert_shows(hass, shown)

    # Kept only as long as a failed poll's data would be: then unavailable, the car is not.
    for _ in range(3):
        await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
    for key in LIVE_KEYS:
        assert unique_state(hass, "sensor", f"{LIVE}_{key}") == STATE_UNAVAILABLE
    assert unique_state(hass, "sensor", f"smartflex_{EV}_smartflex_state") != STATE_UNAVAILABLE
    assert registry_device(hass, gb_entry, f"smartflex_{EV}") is not None

    _home_mini(simulator).throttled = False
    await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
    _assert_shows(hass, _expected(simulator, dt_util.utcnow()))


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
async def test_an_instance_without_live_data_still_loads(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """The schema lacks `smartMeterTelemetry`: no live sensors, everything else as before."""
    simulator.state.kraken.hidden_fields.add("Query.smartMeterTelemetry")
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.LOADED
    assert not _live_unique_ids(hass, gb_entry)
    assert float(unique_state(hass, "sensor", f"electricity_{IMPORT_MPAN}_current_rate")) > -1
    assert unique_state(hass, "sensor", f"smartflex_{EV}_smartflex_state") != STATE_UNAVAILABLE


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
async def test_gb_2024_has_no_export_register(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """Its readings carry no `export`: every other live sensor, not that one."""
    simulator.state.kraken.dialect = "gb-2024"
    await setup_entry(hass, gb_entry)
    expected = _expected(simulator, dt_util.utcnow())
    del expected["export_total"]
    _assert_shows(hass, expected)
    assert f"{LIVE}_export_total" not in _live_unique_ids(hass, gb_entry)


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
async def test_smart_meters_without_a_home_mini_get_no_live_sensors(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The multi-rate account's meters are smart but feed no consumer device."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Octopus Energy …0002",
        unique_id=GB_MULTI_RATE_ACCOUNT,
        data=gb_entry_data(simulator, **{CONF_ACCOUNT_NUMBER: GB_MULTI_RATE_ACCOUNT}),
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert not _live_unique_ids(hass, entry)
    # Nothing live to follow: the poll stays at the account's cadence.
    assert entry.runtime_data.devices.update_interval == ACCOUNT_UPDATE_INTERVAL


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
async def test_a_home_mini_without_smart_devices_polls_every_five_minutes(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex.devices.clear()
    await setup_entry(hass, gb_entry)
    assert gb_entry.runtime_data.devices.update_interval == DEVICES_UPDATE_INTERVAL
    _assert_shows(hass, _expected(simulator, dt_util.utcnow()))


@pytest.mark.usefixtures("london")
async def test_diagnostics_hide_the_meters_eui(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gb_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, gb_entry)
    assert GB_HOME_MINI_EUI not in repr(diagnostics)
    telemetry = diagnostics["smartflex"]["meter_telemetry"]
    assert telemetry[0]["latest"]["demand"] is not None


@pytest.mark.usefixtures("london")
async def test_yesterdays_totals_never_show_as_todays(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Throttled across midnight: the day's totals are unknown, the kept registers stand."""
    freezer.move_to("2026-11-23T23:52:30+00:00")
    await setup_entry(hass, gb_entry)
    shown = _expected(simulator, dt_util.utcnow())
    _home_mini(simulator).throttled = True
    await advance(hass, freezer, DEVICES_UPDATE_INTERVAL * 2)
    assert dt_util.utcnow().astimezone(LONDON).hour == 0
    assert unique_state(hass, "sensor", f"{LIVE}_consumption_today") == "unknown"
    assert unique_state(hass, "sensor", f"{LIVE}_cost_today") == "unknown"
    assert _value(hass, "import_total") == pytest.approx(shown["import_total"])


@pytest.mark.usefixtures("london")
async def test_a_meter_taken_off_the_account_leaves_and_comes_back(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A smart meter the account stops listing (replaced, moved out): its live sensors turn
    unavailable with the next account answer, and show again once it is listed again."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    demand = entity_id(hass, "sensor", f"{LIVE}_demand")
    meter = _meter(simulator, IMPORT_MPAN)
    listed = list(meter.smart_devices)
    assert _home_mini(simulator) in listed
    meter.smart_devices = []

    await _through_an_account_poll(hass, freezer)
    state = hass.states.get(demand)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert gb_entry.state is ConfigEntryState.LOADED

    meter.smart_devices = listed
    await _through_an_account_poll(hass, freezer)
    _assert_shows(hass, {"demand": _expected(simulator, dt_util.utcnow())["demand"]})


@pytest.mark.usefixtures("london")
async def test_a_second_smart_meter_without_a_home_mini_changes_nothing(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Beside the Home Mini's meter, a smart export meter with no consumer device: no sensors
    of its own, and the Home Mini's stay live through the polls that do not ask about it."""
    _meter(simulator, EXPORT_MPAN).smart_devices = [
        SmartMeterDevice(device_id="00-1D-12-00-00-00-E5-77")
    ]
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    for _ in range(4):
        await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
        _assert_shows(hass, {"demand": _expected(simulator, dt_util.utcnow())["demand"]})
    assert _live_unique_ids(hass, gb_entry) == {f"{LIVE}_{key}" for key in LIVE_KEYS}
