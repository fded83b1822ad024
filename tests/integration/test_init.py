"""The integration inside Home Assistant against the simulator: setup, states, failures."""

from __future__ import annotations

from datetime import datetime, timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.kraken.const import DEVICES_UPDATE_INTERVAL
from simulator.app import RunningSimulator
from simulator.faults import Fault

from ..conftest import (
    ACCOUNT_OPERATION,
    GB_ACCOUNT,
    MORNING,
    advance,
    entity_id,
    gb_entry_data,
    setup_entry,
    unique_state,
)

IMPORT_MPAN = "2000012345678"
EXPORT_MPAN = "2000098765432"
GAS_MPRN = "1234567890"

pytestmark = pytest.mark.usefixtures("london")


def _rate(simulator: RunningSimulator, at: datetime) -> float:
    """The import rate the simulator publishes for an instant, in pounds."""
    return simulator.state.kraken.expected_half_hourly_rate(at) / 100


def _account_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(operation_name=ACCOUNT_OPERATION)


async def test_setup_shows_account_and_meter_points(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every account and meter point entity shows the simulator's values."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.LOADED
    now = dt_util.utcnow()

    balance = hass.states.get(entity_id(hass, "sensor", f"{GB_ACCOUNT}_balance"))
    assert balance is not None
    assert float(balance.state) == pytest.approx(42.50)
    assert balance.attributes["unit_of_measurement"] == "GBP"
    assert balance.attributes["device_class"] == "monetary"
    assert unique_state(hass, "sensor", f"{GB_ACCOUNT}_account_status") == "active"

    current = hass.states.get(entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_current_rate"))
    assert current is not None
    assert float(current.state) == pytest.approx(_rate(simulator, now))
    assert current.attributes["unit_of_measurement"] == "GBP/kWh"
    assert current.attributes["start"] == "2026-11-23T10:00:00+00:00"
    # As text, so the UI shows every decimal of the price (a number it rounds to 0.15).
    ex_vat = current.attributes["price_ex_vat"]
    assert ex_vat == f"{float(ex_vat):.4f}"
    assert float(ex_vat) == pytest.approx(_rate(simulator, now) / 1.05, abs=1e-4)

    standing = hass.states.get(
        entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_standing_charge")
    )
    assert standing is not None
    assert standing.attributes["unit_of_measurement"] == "GBP/d"
    assert float(standing.state) > 0

    tariff = hass.states.get(entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_tariff"))
    assert tariff is not None
    assert tariff.attributes["tariff_code"] == "E-1R-AGILE-24-10-01-C"

    # Today's statistics over the 48 published half-hours of the local day.
    day_start = dt_util.start_of_local_day()
    today = [_rate(simulator, day_start + timedelta(minutes=30 * i)) for i in range(48)]
    prefix = f"electricity_{IMPORT_MPAN}"
    assert float(unique_state(hass, "sensor", f"{prefix}_today_min_rate")) == pytest.approx(
        min(today)
    )
    assert float(unique_state(hass, "sensor", f"{prefix}_today_max_rate")) == pytest.approx(
        max(today)
    )
    average = sum(today) / 48
    assert float(unique_state(hass, "sensor", f"{prefix}_today_average_rate")) == pytest.approx(
        average
    )
    expected_off_peak = STATE_ON if _rate(simulator, now) < average else STATE_OFF
    assert unique_state(hass, "binary_sensor", f"{prefix}_off_peak") == expected_off_peak

    export_rate = float(unique_state(hass, "sensor", f"electricity_{EXPORT_MPAN}_current_rate"))
    assert export_rate == pytest.approx(0.15)
    gas_rate = float(unique_state(hass, "sensor", f"gas_{GAS_MPRN}_current_rate"))
    assert 0.01 < gas_rate < 0.2

    # One device for the account, one per meter point and one per smart device.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), gb_entry.entry_id)
    names = {device.name for device in devices}
    # Named by the identifiers' last characters only: device names reach entity ids and logs.
    assert f"Electricity import …{IMPORT_MPAN[-4:]}" in names
    assert f"Electricity export …{EXPORT_MPAN[-4:]}" in names
    assert f"Gas …{GAS_MPRN[-4:]}" in names
    assert not any(IMPORT_MPAN in name or GB_ACCOUNT in name for name in names if name)
    smart_devices = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex.devices
    assert {device.name for device in smart_devices} <= names
    assert len(devices) == 4 + len(smart_devices)

    assert await hass.config_entries.async_unload(gb_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert gb_entry.state.value == ConfigEntryState.NOT_LOADED.value


async def test_rate_moves_on_at_the_half_hour_without_a_request(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The current rate changes at the boundary from the rates already held."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    requests = _account_requests(simulator)
    unique_id = f"electricity_{IMPORT_MPAN}_current_rate"

    await advance(hass, freezer, timedelta(minutes=20, seconds=1))  # 10:30:01
    assert float(unique_state(hass, "sensor", unique_id)) == pytest.approx(
        _rate(simulator, dt_util.utcnow())
    )
    assert _account_requests(simulator) == requests


async def test_tomorrows_rates_arrive_after_publication(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Tomorrow's rates are fetched once published, without polling all day."""
    freezer.move_to("2026-11-23T14:50:00+00:00")
    await setup_entry(hass, gb_entry)
    tomorrow = dt_util.start_of_local_day() + timedelta(days=1)

    async def rates_for_tomorrow() -> int:
        response = await hass.services.async_call(
            DOMAIN,
            "get_rates",
            {
                "config_entry_id": gb_entry.entry_id,
                "start": tomorrow,
                "end": tomorrow + timedelta(days=1),
            },
            blocking=True,
            return_response=True,
        )
        assert response is not None
        rates = response["rates"]
        assert isinstance(rates, list)
        return len(rates)

    assert await rates_for_tomorrow() == 0
    # 15:20: a regular cycle, before publication.
    await advance(hass, freezer, timedelta(minutes=30))
    assert await rates_for_tomorrow() == 0
    # 16:20: the first cycle after 16:00 brings tomorrow's 48 rates.
    await advance(hass, freezer, timedelta(minutes=30))
    await advance(hass, freezer, timedelta(minutes=30))
    assert await rates_for_tomorrow() == 48


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A credential the supplier no longer accepts starts reauthentication."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    simulator.state.kraken.revoke_credentials(GB_ACCOUNT)

    await advance(hass, freezer, timedelta(minutes=31))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == gb_entry.entry_id


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        # Asked for longer than the 30-minute cadence: exactly as asked.
        ("2700", timedelta(minutes=45)),
        # Asked for less: never sooner than the cadence (of the device poll, which carries the
        # account), so throttling never adds requests.
        ("120", DEVICES_UPDATE_INTERVAL),
        # A day, the year 9999, infinity: an hour at most.
        ("86400", timedelta(hours=1)),
        ("Fri, 31 Dec 9999 23:59:59 GMT", timedelta(hours=1)),
        ("1e999", timedelta(hours=1)),
    ],
)
async def test_rate_limit_waits_as_long_as_asked_within_bounds(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    retry_after: str,
    wait: timedelta,
) -> None:
    """A 429's Retry-After sets the next attempt, kept within [cadence, one hour]."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    balance_id = entity_id(hass, "sensor", f"{GB_ACCOUNT}_balance")
    simulator.state.faults.add(
        Fault.rate_limit(retry_after=retry_after, count=1, operation_name=ACCOUNT_OPERATION)
    )

    for _ in range(6):
        await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
    await advance(hass, freezer, timedelta(seconds=1))
    # The balance read half an hour ago still stands; throttling is not asked again at once.
    state = hass.states.get(balance_id)
    assert state is not None
    assert float(state.state) == pytest.approx(42.50)
    requests = _account_requests(simulator)

    await advance(hass, freezer, wait - timedelta(seconds=10))
    assert _account_requests(simulator) == requests
    await advance(hass, freezer, timedelta(seconds=15))
    assert _account_requests(simulator) == requests + 1
    state = hass.states.get(balance_id)
    assert state is not None
    assert float(state.state) == pytest.approx(42.50)


async def test_an_outage_keeps_values_two_cycles_and_is_logged_once(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Server errors on every request that carries the account: its values stand for two of
    its cycles (an hour), then go; one warning when the provider goes, one line when it is
    back, and the attempts back off instead of following the five-minute cadence."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    rate_id = entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_current_rate")
    fault = simulator.state.faults.add(
        Fault.http_status(503, count=None, operation_name=ACCOUNT_OPERATION)
    )
    caplog.set_level(logging.INFO)
    requests = _account_requests(simulator)

    gone_after: int | None = None
    for minute in range(1, 76):
        await advance(hass, freezer, timedelta(minutes=1))
        state = hass.states.get(rate_id)
        assert state is not None
        if state.state == STATE_UNAVAILABLE and gone_after is None:
            gone_after = minute
        if gone_after is None:
            assert float(state.state) == pytest.approx(_rate(simulator, dt_util.utcnow()))
    # The account was read at setup: two 30-minute cycles and the margin, to the minute.
    assert gone_after == 61
    # The attempts back off (2, 4, 8, 16 minutes ...), far below one per five minutes.
    assert _account_requests(simulator) - requests <= 8

    simulator.state.faults.remove(fault)
    for _ in range(65):
        await advance(hass, freezer, timedelta(minutes=1))
    state = hass.states.get(rate_id)
    assert state is not None
    assert float(state.state) == pytest.approx(_rate(simulator, dt_util.utcnow()))

    ours = [r for r in caplog.records if r.name.startswith("custom_components.kraken_energy")]
    warnings = [r.getMessage() for r in ours if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "Kraken has not answered" in warnings[0]
    assert len([r for r in ours if "recovered" in r.getMessage()]) == 1


async def test_setup_retries_when_the_api_is_down(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """No connection at start: the entry retries later instead of failing for good."""
    simulator.state.faults.add(Fault.http_status(500))
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_with_refused_credentials_asks_to_sign_in_again(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """Refused credentials at start: setup error and a reauth flow."""
    simulator.state.kraken.revoke_credentials(GB_ACCOUNT)
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_an_entry_from_before_providers_is_migrated_and_keeps_everything(
    hass: HomeAssistant, simulator: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """A supplier account stored without a provider (minor version 1): its devices, entities
    and the household's own names survive the migration."""
    freezer.move_to(MORNING)
    old = MockConfigEntry(
        domain=DOMAIN,
        title=f"Octopus Energy {GB_ACCOUNT}",
        unique_id=GB_ACCOUNT,
        data=gb_entry_data(simulator),
        version=1,
        minor_version=1,
    )
    assert "provider" not in old.data
    old.add_to_hass(hass)
    await setup_entry(hass, old)
    registry = er.async_get(hass)
    balance = entity_id(hass, "sensor", f"{GB_ACCOUNT}_balance")
    registry.async_update_entity(balance, name="Octopus balance", new_entity_id="sensor.octopus")
    devices = {
        device.id for device in dr.async_entries_for_config_entry(dr.async_get(hass), old.entry_id)
    }
    entities = {
        entry.unique_id for entry in er.async_entries_for_config_entry(registry, old.entry_id)
    }
    await hass.config_entries.async_unload(old.entry_id)
    # As stored by an earlier release: minor version 1 and no provider.
    hass.config_entries.async_update_entry(
        old,
        data={key: value for key, value in old.data.items() if key != "provider"},
        minor_version=1,
    )
    await hass.config_entries.async_setup(old.entry_id)
    await hass.async_block_till_done()
    assert old.state is ConfigEntryState.LOADED
    assert old.minor_version == 2
    assert old.data["provider"] == "kraken"
    assert {
        device.id for device in dr.async_entries_for_config_entry(dr.async_get(hass), old.entry_id)
    } == devices
    assert {
        entry.unique_id for entry in er.async_entries_for_config_entry(registry, old.entry_id)
    } == entities
    renamed = registry.async_get("sensor.octopus")
    assert renamed is not None
    assert renamed.name == "Octopus balance"
    state = hass.states.get("sensor.octopus")
    assert state is not None
    assert float(state.state) == pytest.approx(42.50)


async def test_an_entry_from_a_later_release_is_left_alone(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    future = MockConfigEntry(domain=DOMAIN, data=gb_entry_data(simulator), version=2)
    future.add_to_hass(hass)
    await setup_entry(hass, future)
    assert future.state is ConfigEntryState.MIGRATION_ERROR
