"""Kraken answers with a figure left out (null where the schema allows it): a tariff without a
standing charge or a unit rate, a heat pump without its status. The rest stays as it was."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.providers.kraken.const import DEVICES_UPDATE_INTERVAL
from simulator.app import RunningSimulator
from simulator.kraken.scenario import (
    GB_EXPORT_MPAN,
    GB_IMPORT_MPAN,
    ElectricityMeterPoint,
    StandardTariff,
)

from ..conftest import GB_ACCOUNT, MORNING, advance, entity_id, setup_entry, unique_state

# The account (with its tariffs) is read again every 30 minutes.
ACCOUNT_CYCLE = timedelta(minutes=30, seconds=1)
DEVICES_POLL = DEVICES_UPDATE_INTERVAL + timedelta(seconds=5)
HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"

pytestmark = [pytest.mark.freeze_time(MORNING), pytest.mark.usefixtures("london")]


@pytest.fixture
async def loaded(hass: HomeAssistant, gb_entry: MockConfigEntry) -> MockConfigEntry:
    """The GB account, set up."""
    await setup_entry(hass, gb_entry)
    return gb_entry


def _point(simulator: RunningSimulator, mpan: str) -> ElectricityMeterPoint:
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    return next(
        point
        for prop in account.properties
        for point in prop.electricity_meter_points
        if point.mpan == mpan
    )


def _rate_state(hass: HomeAssistant, mpan: str, key: str) -> str:
    return unique_state(hass, "sensor", f"electricity_{mpan}_{key}")


async def test_a_tariff_without_a_standing_charge_shows_it_unknown(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert _rate_state(hass, GB_IMPORT_MPAN, "standing_charge") not in (
        STATE_UNKNOWN,
        STATE_UNAVAILABLE,
    )
    for agreement in _point(simulator, GB_IMPORT_MPAN).all_agreements:
        # The schema allows null here; the simulator's model says float.
        agreement.tariff.standing_charge = None  # type: ignore[assignment]
        agreement.tariff.pre_vat_standing_charge = None  # type: ignore[assignment]
    await advance(hass, freezer, ACCOUNT_CYCLE)
    assert _rate_state(hass, GB_IMPORT_MPAN, "standing_charge") == STATE_UNKNOWN
    # The rates still come from the tariff.
    assert _rate_state(hass, GB_IMPORT_MPAN, "current_rate") not in (
        STATE_UNKNOWN,
        STATE_UNAVAILABLE,
    )


async def test_a_single_rate_tariff_without_a_unit_rate_has_no_rate(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert _rate_state(hass, GB_EXPORT_MPAN, "current_rate") not in (
        STATE_UNKNOWN,
        STATE_UNAVAILABLE,
    )
    for agreement in _point(simulator, GB_EXPORT_MPAN).all_agreements:
        assert isinstance(agreement.tariff, StandardTariff)
        agreement.tariff.unit_rate = None  # type: ignore[assignment]
        agreement.tariff.pre_vat_unit_rate = None  # type: ignore[assignment]
    await advance(hass, freezer, ACCOUNT_CYCLE)
    # The tariff is still in force (named, with its standing charge); it has no rate to show.
    assert _rate_state(hass, GB_EXPORT_MPAN, "current_rate") == STATE_UNKNOWN
    assert _rate_state(hass, GB_EXPORT_MPAN, "tariff") not in (STATE_UNKNOWN, STATE_UNAVAILABLE)


async def test_a_heat_pump_without_its_status_shows_no_mode_or_action(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    climate = f"smartflex_{HEAT_PUMP}_heat_pump"
    state = hass.states.get(entity_id(hass, "climate", climate))
    assert state is not None
    assert state.state == "heat"
    assert state.attributes["hvac_action"] is not None
    home = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex
    home.device(HEAT_PUMP).heat_pump = None
    await advance(hass, freezer, DEVICES_POLL)
    state = hass.states.get(entity_id(hass, "climate", climate))
    assert state is not None
    # Not a stale mode: unknown until the heat pump reports again.
    assert state.state == STATE_UNKNOWN
    assert state.attributes.get("hvac_action") is None
    assert state.attributes.get("current_temperature") is None
