"""Bad input from users and answers that fail: clear errors, nothing lost, no crash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta, timezone
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.easee.scenario import GARAGE_CHARGER_ID
from simulator.enode.state import ENODE_CLIENT_SECRET

from ..conftest import (
    GB_ACCOUNT,
    MORNING,
    easee_entry_data,
    enode_entry_data,
    entity_id,
    gb_entry_data,
    setup_entry,
)

HVAC_ID = "sim-hvac-1"
EV = "6f1c2f50-0001-4e6a-9a55-000000000001"


@pytest.mark.parametrize(
    ("entry_data", "secret_key", "wrong"),
    [
        (gb_entry_data, "api_key", "sk_live_wrong"),
        (easee_entry_data, "password", "wrong-password"),
        (enode_entry_data, "client_secret", f"{ENODE_CLIENT_SECRET}-rotated"),
    ],
)
async def test_diagnostics_of_an_entry_that_did_not_load(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    entry_data: Callable[..., dict[str, Any]],
    secret_key: str,
    wrong: str,
) -> None:
    """Diagnostics say why the entry is not loaded, instead of failing with HTTP 500."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="Refused", data=entry_data(simulator, **{secret_key: wrong})
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert await async_setup_component(hass, "diagnostics", {})
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["state"] == ConfigEntryState.SETUP_ERROR.value
    assert wrong not in str(diagnostics)
    assert diagnostics["entry"]["data"][secret_key] == "**REDACTED**"


@pytest.mark.usefixtures("london")
@pytest.mark.freeze_time(MORNING)
@pytest.mark.parametrize(
    ("start", "end"),
    [
        # Local times, as a user or an automation writes them.
        ("0001-01-01T00:00:00", "0001-01-02T00:00:00"),
        ("9999-12-30T00:00:00", "9999-12-31T23:59:00"),
        ("1999-12-31T00:00:00", "2000-01-01T12:00:00"),
    ],
)
async def test_get_rates_outside_any_tariff_says_so(
    hass: HomeAssistant, gb_entry: MockConfigEntry, start: str, end: str
) -> None:
    await setup_entry(hass, gb_entry)
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "get_rates",
            {"config_entry_id": gb_entry.entry_id, "start": start, "end": end},
            blocking=True,
            return_response=True,
        )
    assert raised.value.translation_key == "date_out_of_range"


async def _set_number(hass: HomeAssistant, entity_id: str, value: Any) -> None:
    await hass.services.async_call(
        "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
    )


@pytest.mark.freeze_time(MORNING)
async def test_a_number_that_is_not_a_number_is_refused(
    hass: HomeAssistant,
    london: None,
    gb_entry: MockConfigEntry,
    easee_entry: MockConfigEntry,
    simulator: RunningSimulator,
) -> None:
    """NaN passes Home Assistant's range check; the control refuses it before sending."""
    await setup_entry(hass, gb_entry)
    assert easee_entry.state is ConfigEntryState.LOADED
    requests_before = simulator.state.requests.count()
    targets = [
        entity_id(hass, "number", f"easee_{GARAGE_CHARGER_ID}_max_charger_current"),
        entity_id(
            hass, "number", "smartflex_6f1c2f50-0001-4e6a-9a55-000000000001_weekday_charge_target"
        ),
    ]
    for target in targets:
        before = hass.states.get(target)
        assert before is not None
        with pytest.raises(ServiceValidationError) as raised:
            await _set_number(hass, target, "nan")
        assert raised.value.translation_key == "value_not_a_number"
        after = hass.states.get(target)
        assert after is not None
        assert after.state == before.state
    # Refused here: nothing went to either service.
    assert simulator.state.requests.count() == requests_before


async def test_a_mode_the_unit_does_not_offer_is_refused(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    await setup_entry(hass, enode_entry)
    climate = entity_id(hass, "climate", f"enode_{HVAC_ID}_hvac")
    state = hass.states.get(climate)
    assert state is not None
    assert "dry" not in state.attributes["hvac_modes"]
    requests_before = simulator.state.requests.count()
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "climate",
            "set_hvac_mode",
            {"entity_id": climate, "hvac_mode": "dry"},
            blocking=True,
        )
    assert simulator.state.requests.count() == requests_before


@pytest.mark.freeze_time(MORNING)
async def test_a_ready_by_time_with_an_offset_shows_in_local_time(
    hass: HomeAssistant, london: None, gb_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    """ "07:00+05:00" is 02:00 in London in November, not 07:00."""
    car = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex.device(EV)
    assert car.preferences is not None
    for schedule in car.preferences.schedules:
        schedule.time = time(7, 0, tzinfo=timezone(timedelta(hours=5)))
    await setup_entry(hass, gb_entry)
    ready_by = entity_id(hass, "time", f"smartflex_{EV}_weekday_ready_by")
    state = hass.states.get(ready_by)
    assert state is not None
    assert state.state == "02:00:00"
    assert state.attributes["monday"] == "02:00:00"
