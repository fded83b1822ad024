"""The account changes under the integration: new tariffs, meter points, bad answers."""

from __future__ import annotations

from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.kraken_energy import async_remove_config_entry_device
from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.kraken.const import DEVICES_UPDATE_INTERVAL
from simulator.app import RunningSimulator
from simulator.faults import Fault
from simulator.kraken.scenario import (
    ElectricityAgreement,
    ElectricityMeterPoint,
    HalfHourlyTariff,
    Meter,
    StandardTariff,
)

from ..conftest import (
    ACCOUNT_OPERATION,
    GB_ACCOUNT,
    MORNING,
    advance,
    entity_id,
    registry_device,
    setup_entry,
    state_of,
)

CYCLE = timedelta(minutes=30, seconds=1)
DOMAIN_LOGGER = "custom_components.kraken_energy"

IMPORT_MPAN = "2000012345678"
EXPORT_MPAN = "2000098765432"
NEW_MPAN = "2000011111111"

pytestmark = pytest.mark.usefixtures("london")


def _import_point(simulator: RunningSimulator) -> ElectricityMeterPoint:
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    return next(
        point
        for prop in account.properties
        for point in prop.electricity_meter_points
        if point.mpan == IMPORT_MPAN
    )


async def test_new_agreement_brings_its_rates_in_the_same_cycle(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A switch to another half-hourly tariff shows its name and its rates at once."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    now = dt_util.utcnow()
    point = _import_point(simulator)
    for agreement in point.all_agreements:
        if agreement.valid_to is None:
            agreement.valid_to = now
    flex = HalfHourlyTariff(
        id="t-flex",
        display_name="Octopus Flex",
        full_name="Octopus Flex November 2026",
        product_code="FLEX-26-11-01",
        tariff_code="E-1R-FLEX-26-11-01-C",
        standing_charge=50.0,
        pre_vat_standing_charge=47.62,
        rate_seed="E-1R-FLEX-26-11-01-C",
    )
    point.all_agreements.append(ElectricityAgreement(id=999, valid_from=now, tariff=flex))
    before = simulator.state.requests.count(operation_name=ACCOUNT_OPERATION)

    await advance(hass, freezer, CYCLE)
    tariff = hass.states.get(entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_tariff"))
    assert tariff is not None
    assert tariff.state == "Octopus Flex"
    rate = hass.states.get(entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_current_rate"))
    assert rate is not None
    assert float(rate.state) == pytest.approx(flex.rate_at(dt_util.utcnow()).value / 100)
    # One request found the new agreement, a second one fetched its rates.
    assert simulator.state.requests.count(operation_name=ACCOUNT_OPERATION) == before + 2


async def test_meter_points_joining_and_leaving_need_no_reload(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new meter point gets a device and entities; a departed one loses its device."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    prop = account.properties[0]
    prop.electricity_meter_points.append(
        ElectricityMeterPoint(
            id="mp-new",
            mpan=NEW_MPAN,
            meters=[Meter(id="m-new", serial_number="22J0000001")],
            all_agreements=[
                ElectricityAgreement(
                    id=1000,
                    valid_from=dt_util.utcnow() - timedelta(days=1),
                    tariff=StandardTariff(
                        id="t-std",
                        display_name="Flexible Octopus",
                        full_name="Flexible Octopus November 2026",
                        product_code="VAR-26-11-01",
                        tariff_code="E-1R-VAR-26-11-01-C",
                        standing_charge=52.0,
                        pre_vat_standing_charge=49.52,
                        unit_rate=24.5,
                        pre_vat_unit_rate=23.33,
                    ),
                )
            ],
        )
    )
    prop.electricity_meter_points = [
        point for point in prop.electricity_meter_points if point.mpan != EXPORT_MPAN
    ]

    await advance(hass, freezer, CYCLE)
    new_rate = hass.states.get(entity_id(hass, "sensor", f"electricity_{NEW_MPAN}_current_rate"))
    assert new_rate is not None
    assert float(new_rate.state) == pytest.approx(0.245)

    devices = dr.async_get(hass)
    assert registry_device(hass, gb_entry, f"electricity_{NEW_MPAN}")
    # One answer without the export meter point makes its entities unavailable; its device
    # stays until a second answer in a row confirms it left.
    export_rate = entity_id(hass, "sensor", f"electricity_{EXPORT_MPAN}_current_rate")
    assert state_of(hass, export_rate) == STATE_UNAVAILABLE
    assert registry_device(hass, gb_entry, f"electricity_{EXPORT_MPAN}") is not None
    await advance(hass, freezer, CYCLE)
    assert registry_device(hass, gb_entry, f"electricity_{EXPORT_MPAN}") is None
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id("sensor", DOMAIN, f"electricity_{EXPORT_MPAN}_current_rate")
        is None
    )

    # A user may delete a device the account no longer has, never a current one.
    account_device = registry_device(hass, gb_entry, GB_ACCOUNT)
    assert account_device is not None
    assert not await async_remove_config_entry_device(hass, gb_entry, account_device)
    stale = devices.async_get_or_create(
        config_entry_id=gb_entry.entry_id, identifiers={(DOMAIN, "electricity_gone")}
    )
    assert await async_remove_config_entry_device(hass, gb_entry, stale)


async def test_an_unreadable_answer_is_asked_again_and_costs_nothing(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A body that is not JSON: asked again seconds later; the balance never goes away."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    balance_id = entity_id(hass, "sensor", f"{GB_ACCOUNT}_balance")
    # The device polls every five minutes; the sixth carries the account again.
    for _ in range(5):
        await advance(hass, freezer, DEVICES_UPDATE_INTERVAL)
    simulator.state.faults.add(Fault.malformed(count=1, operation_name=ACCOUNT_OPERATION))
    before = simulator.state.requests.count(operation_name=ACCOUNT_OPERATION)
    with caplog.at_level(logging.DEBUG):
        await advance(hass, freezer, DEVICES_UPDATE_INTERVAL + timedelta(seconds=1))
        assert float(hass.states.get(balance_id).state) == pytest.approx(42.5)  # type: ignore[union-attr]
        await advance(hass, freezer, timedelta(seconds=10))
    assert simulator.state.requests.count(operation_name=ACCOUNT_OPERATION) - before == 2
    assert float(hass.states.get(balance_id).state) == pytest.approx(42.5)  # type: ignore[union-attr]
    # Said with its context at debug level; nothing a household would read as trouble.
    assert "not JSON" in caplog.text
    assert not [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING and record.name.startswith(DOMAIN_LOGGER)
    ]


async def test_meter_point_without_a_tariff_is_unavailable_alone(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An export agreement that ended leaves only the export entities unavailable."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    account = simulator.state.kraken.scenario.account(GB_ACCOUNT)
    export = next(
        point
        for prop in account.properties
        for point in prop.electricity_meter_points
        if point.mpan == EXPORT_MPAN
    )
    for agreement in export.all_agreements:
        agreement.valid_to = dt_util.utcnow() + timedelta(minutes=5)

    await advance(hass, freezer, CYCLE)
    for key in ("current_rate", "tariff", "standing_charge"):
        state = hass.states.get(entity_id(hass, "sensor", f"electricity_{EXPORT_MPAN}_{key}"))
        assert state is not None
        assert state.state == STATE_UNAVAILABLE
    import_rate = hass.states.get(
        entity_id(hass, "sensor", f"electricity_{IMPORT_MPAN}_current_rate")
    )
    assert import_rate is not None
    assert import_rate.state != STATE_UNAVAILABLE
