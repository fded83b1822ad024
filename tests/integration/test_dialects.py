"""The integration against each Kraken dialect the simulator speaks (GB 2024, GB 2026, the
seeds' schema, and the German instance): what loads, what is left out, what is asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.kraken.germany import BERLIN, gross
from simulator.kraken.scenario import (
    DE_ACCOUNT,
    DE_DYNAMIC_ACCOUNT,
    DE_DYNAMIC_MALO,
    DE_ELECTRICITY_MALO,
    DE_GAS_MALO,
    DE_VEHICLE_ID,
)

from ..conftest import (
    GB_ACCOUNT,
    MORNING,
    advance,
    de_entry_data,
    entity_id,
    gb_entry_data,
    setup_entry,
    unique_ids,
    unique_state,
)

EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"
IMPORT_MPAN = "2000012345678"
EXPORT_MPAN = "2000098765432"


def _schema_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(operation_name="KrakenSchema")


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
@pytest.mark.parametrize("dialect", ["seed", "gb-2026", "gb-2024"])
async def test_gb_account_loads_on_every_gb_schema(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry, dialect: str
) -> None:
    """The account, its rates and its devices on each schema; what a schema lacks is absent."""
    simulator.state.kraken.dialect = dialect
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.LOADED
    assert float(unique_state(hass, "sensor", f"{GB_ACCOUNT}_balance")) == pytest.approx(42.50)
    current = float(unique_state(hass, "sensor", f"electricity_{IMPORT_MPAN}_current_rate"))
    assert current == pytest.approx(
        simulator.state.kraken.expected_half_hourly_rate(datetime.fromisoformat(MORNING)) / 100
    )
    # Export is read from isExport (2026, seeds) or the tariff code (2024: neither isExport
    # nor a meter point direction exists there): the export meter point gets no off-peak.
    ids = unique_ids(hass, gb_entry)
    assert f"electricity_{EXPORT_MPAN}_current_rate" in ids
    assert f"electricity_{IMPORT_MPAN}_off_peak" in ids
    assert f"electricity_{EXPORT_MPAN}_off_peak" not in ids
    # Devices and their state on every schema.
    assert unique_state(hass, "switch", f"smartflex_{EV}_smart_control") == STATE_ON
    has_preferences = dialect != "gb-2024"
    # 2024 has no preferences, no setDevicePreferences and no updateBoostCharge.
    assert (f"smartflex_{EV}_weekday_charge_target" in ids) is has_preferences
    assert (f"smartflex_{EV}_weekday_ready_by" in ids) is has_preferences
    assert (f"smartflex_{EV}_boost_charge" in ids) is has_preferences
    # 2024 has no heat-pump status type: no climate (it needs preferences too).
    assert (f"smartflex_{HEAT_PUMP}_heat_pump" in ids) is has_preferences
    assert f"smartflex_{EV}_dispatching" in ids


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize("dialect", ["gb-2026", "gb-2024"])
async def test_dispatching_follows_the_devices_own_dispatches(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    dialect: str,
) -> None:
    """Per device in 2026 (flexPlannedDispatches), from the account's list in 2024."""
    simulator.state.kraken.dialect = dialect
    freezer.move_to("2026-11-23T22:00:00+00:00")
    await setup_entry(hass, gb_entry)
    dispatching = entity_id(hass, "binary_sensor", f"smartflex_{EV}_dispatching")
    home = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex
    start = datetime.now(tz=BERLIN)
    planned = home.device_planned(EV, start)
    assert planned, "the simulator plans the waiting car's night"
    window = planned[0]
    before = hass.states.get(dispatching)
    assert before is not None
    assert before.state == "off"
    await advance(hass, freezer, window.start - start + timedelta(seconds=1))
    state = hass.states.get(dispatching)
    assert state is not None
    assert state.state == STATE_ON
    if dialect == "gb-2026":
        # The device's own dispatch, with its type and the energy it adds.
        assert state.attributes["type"] == "smart"
        assert state.attributes["energy_kwh"] == pytest.approx(abs(window.delta))


def _de_entry(simulator: RunningSimulator, account: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Octopus Energy Germany {account}",
        unique_id=account,
        data=de_entry_data(simulator, account),
    )


@pytest.fixture
async def berlin(hass: HomeAssistant) -> None:
    """A household in Germany."""
    await hass.config.async_set_time_zone("Europe/Berlin")


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize(
    ("local_time", "slot_rate"),
    [("02:00", Decimal("15.0654")), ("12:00", Decimal("28.2744"))],
)
async def test_german_account_shows_balance_rate_tariff_and_standing_charge(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    local_time: str,
    slot_rate: Decimal,
) -> None:
    """Intelligent Octopus Go: GO 00:00-05:00 and STANDARD, in EUR, from the German shape."""
    freezer.move_to(datetime.fromisoformat(f"2026-11-24T{local_time}:00").replace(tzinfo=BERLIN))
    entry = _de_entry(simulator, DE_ACCOUNT)
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    # No account balance on the German instance: the ledgers add up (95.13 - 24.80 EUR).
    balance = hass.states.get(entity_id(hass, "sensor", f"{DE_ACCOUNT}_balance"))
    assert balance is not None
    assert float(balance.state) == pytest.approx(70.33)
    assert balance.attributes["unit_of_measurement"] == "EUR"
    point = f"electricity_{DE_ELECTRICITY_MALO}"
    rate = hass.states.get(entity_id(hass, "sensor", f"{point}_current_rate"))
    assert rate is not None
    assert float(rate.state) == pytest.approx(float(slot_rate) / 100)
    assert rate.attributes["unit_of_measurement"] == "EUR/kWh"
    assert unique_state(hass, "sensor", f"{point}_tariff") in (
        "Intelligent Octopus Go",
        "offline - Intelligent Octopus Go 24",
        "Intelligent Octopus Go 24",
    )
    off_peak = unique_state(hass, "binary_sensor", f"{point}_off_peak")
    assert off_peak == ("on" if local_time == "02:00" else "off")
    standing = hass.states.get(entity_id(hass, "sensor", f"{point}_standing_charge"))
    assert standing is not None
    # 13.685 EUR a month (gross) is 0.4496 EUR a day; the monthly figure stays an attribute.
    assert float(standing.state) == pytest.approx(13.685 * 12 / 365.25, rel=1e-4)
    assert standing.attributes["per_month"] == pytest.approx(13.685)
    assert unique_state(hass, "sensor", f"gas_{DE_GAS_MALO}_current_rate") != STATE_UNAVAILABLE
    # The car: no heat-pump types on this instance, but the vehicle and its controls are there.
    ids = unique_ids(hass, entry)
    assert f"smartflex_{DE_VEHICLE_ID}_smart_control" in ids
    assert f"smartflex_{DE_VEHICLE_ID}_weekday_charge_target" in ids
    dispatching = unique_state(hass, "binary_sensor", f"smartflex_{DE_VEHICLE_ID}_dispatching")
    assert dispatching == ("on" if local_time == "02:00" else "off")


@pytest.mark.usefixtures("berlin")
async def test_german_dynamic_tariff_follows_the_quarter_hour(
    hass: HomeAssistant, simulator: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(datetime(2026, 11, 24, 12, 7, tzinfo=BERLIN))
    entry = _de_entry(simulator, DE_DYNAMIC_ACCOUNT)
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    account = simulator.state.kraken.scenario.account(DE_DYNAMIC_ACCOUNT)
    prices = account.properties[0].electricity_malos[0].agreements[0].dynamic
    assert prices is not None
    for _ in range(3):
        now = datetime.now(BERLIN)
        expected = float(gross(prices.net_rate(now))) / 100
        rate = unique_state(hass, "sensor", f"electricity_{DE_DYNAMIC_MALO}_current_rate")
        assert float(rate) == pytest.approx(expected)
        await advance(hass, freezer, timedelta(minutes=15))


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
async def test_the_schema_question_is_asked_once_and_kept(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """One introspection at the first setup; a restart (reload) asks nothing."""
    await setup_entry(hass, gb_entry)
    assert _schema_requests(simulator) == 1
    await hass.config_entries.async_reload(gb_entry.entry_id)
    await hass.async_block_till_done()
    assert gb_entry.state is ConfigEntryState.LOADED
    assert _schema_requests(simulator) == 1


@pytest.mark.usefixtures("london")
async def test_a_field_that_disappears_costs_only_its_entities(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The billing options vanish between two polls: no failed poll, only that entity goes."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    billing = entity_id(hass, "sensor", f"{GB_ACCOUNT}_next_billing_date")
    balance = entity_id(hass, "sensor", f"{GB_ACCOUNT}_balance")
    simulator.state.kraken.hidden_fields = {"AccountType.billingOptions"}
    learnt = _schema_requests(simulator)
    await advance(hass, freezer, timedelta(minutes=30, seconds=1))
    # Refused once, learnt again, composed without it, answered: the poll did not fail.
    assert _schema_requests(simulator) == learnt + 1
    assert gb_entry.runtime_data.account.last_update_success
    state = hass.states.get(billing)
    assert state is not None
    assert state.state == "unknown"
    balance_state = hass.states.get(balance)
    assert balance_state is not None
    assert float(balance_state.state) == pytest.approx(42.50)
    assert unique_state(hass, "switch", f"smartflex_{EV}_smart_control") == STATE_ON


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
async def test_a_schema_without_meter_points_raises_one_repair(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    simulator.state.kraken.hidden_fields = {"AccountType.properties"}
    entry = MockConfigEntry(
        domain=DOMAIN, title="GB", unique_id=GB_ACCOUNT, data=gb_entry_data(simulator)
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    issues = [
        issue
        for (domain, _issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.translation_key == "supplier_lacks_fields"
    ]
    assert len(issues) == 1
    assert issues[0].translation_placeholders is not None
    assert "AccountType.properties" in issues[0].translation_placeholders["fields"]


@pytest.mark.usefixtures("london")
async def test_the_daily_schema_check_rides_along_with_a_poll(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A day on, the schema is asked about again inside an ordinary poll: no extra request."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    client = gb_entry.runtime_data.client
    assert client.capabilities is not None
    learnt_at = client.capabilities.learnt_at
    assert _schema_requests(simulator) == 1
    await advance(hass, freezer, timedelta(days=1, minutes=1))
    await advance(hass, freezer, timedelta(minutes=30))
    # Learnt again, and no request of its own was sent for it.
    assert client.capabilities.learnt_at > learnt_at
    assert _schema_requests(simulator) == 1
