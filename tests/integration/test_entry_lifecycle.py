"""An entry's life outside the polls: versions, what it stores and what it leaves behind."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.api.kraken.schema import Capabilities
from custom_components.kraken_energy.const import DOMAIN, ENTRY_MINOR_VERSION
from simulator.app import RunningSimulator

from ..conftest import GB_ACCOUNT, MORNING, gb_entry_data, setup_entry

FROZEN = pytest.mark.freeze_time(MORNING)


def _schema_key(entry: MockConfigEntry) -> str:
    return f"{DOMAIN}.schema.{entry.entry_id}"


def _schema_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(operation_name="KrakenSchema")


@FROZEN
async def test_an_entry_from_a_later_minor_release_loads_as_it_is(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """After a downgrade, an entry a later release wrote (same major version) still loads."""
    later = ENTRY_MINOR_VERSION + 1
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=GB_ACCOUNT,
        data=gb_entry_data(simulator),
        version=1,
        minor_version=later,
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == later


async def test_removing_an_easee_entry_takes_its_chargers(
    hass: HomeAssistant, easee_entry: MockConfigEntry
) -> None:
    """Easee keeps nothing besides its devices: removing the entry leaves nothing behind."""
    await setup_entry(hass, easee_entry)
    devices = dr.async_get(hass)
    assert dr.async_entries_for_config_entry(devices, easee_entry.entry_id)
    await hass.config_entries.async_remove(easee_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.config_entries.async_get_entry(easee_entry.entry_id) is None
    assert not dr.async_entries_for_config_entry(devices, easee_entry.entry_id)


@FROZEN
async def test_an_unreadable_stored_schema_is_learnt_again(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A damaged schema file does not keep the account from loading; it is replaced."""
    hass_storage[_schema_key(gb_entry)] = {
        "version": 1,
        "minor_version": 1,
        "key": _schema_key(gb_entry),
        "data": {"learnt_at": 1, "types": {"AccountType": "not a type"}},
    }
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.LOADED
    # Learnt from the instance, since the stored copy could not be read.
    assert _schema_requests(simulator) >= 1
    stored = Capabilities.from_json(hass_storage[_schema_key(gb_entry)]["data"])
    assert stored.type("AccountType") is not None


@FROZEN
async def test_removing_a_supplier_account_takes_its_schema_and_repair(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """The repair about an instance lacking fields goes with the entry it was about."""
    simulator.state.kraken.hidden_fields = {"AccountType.properties"}
    await setup_entry(hass, gb_entry)
    assert gb_entry.state is ConfigEntryState.SETUP_RETRY
    issues = ir.async_get(hass)

    def own_issues() -> list[str]:
        return [issue_id for domain, issue_id in issues.issues if domain == DOMAIN]

    assert own_issues()
    await hass.config_entries.async_remove(gb_entry.entry_id)
    await hass.async_block_till_done()
    assert not own_issues()
