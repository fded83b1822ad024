"""Diagnostics: the entry and the account as the integration sees them, secrets removed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import CONF_ACCOUNT_NUMBER
from .coordinator import KrakenConfigEntry
from .easee import EaseeConfigEntry, EaseeData, easee_entry
from .enode import EnodeConfigEntry, EnodeData, enode_entry

TO_REDACT = {
    CONF_API_KEY,
    CONF_EMAIL,
    CONF_PASSWORD,
    CONF_ACCOUNT_NUMBER,
    "number",
    "identifier",
    "serial_number",
    "meter_id",
    "property_id",
    "unique_id",
    "title",
    "device_id",
    "name",
    "location",
    CONF_USERNAME,
    "charger_id",
    "site_key",
    "site_name",
    "sites",
    "site_id",
    "display_name",
    "client_id",
    "client_secret",
    "user_id",
    "vin",
    "latitude",
    "longitude",
    "location_id",
    "id",
    "target_id",
}


def _jsonable(value: Any) -> Any:
    """A model as plain JSON values (objects, lists, strings, numbers) that redaction walks."""
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: _jsonable(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, Mapping):
        return {str(_jsonable(key)): _jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        # In a stable order: the same state gives the same download.
        return sorted((_jsonable(item) for item in value), key=str)
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _polling_state(coordinator: DataUpdateCoordinator[Any], requests_sent: int) -> dict[str, Any]:
    """How the entry's polling stands."""
    return {
        "last_update_success": coordinator.last_update_success,
        "update_interval": str(coordinator.update_interval),
        "requests_sent": requests_sent,
    }


def _easee_diagnostics(entry: EaseeConfigEntry) -> dict[str, Any]:
    coordinator = entry.runtime_data.coordinator
    data: EaseeData | None = coordinator.data
    chargers = [_jsonable(charger) for charger in (data.chargers.values() if data else ())]
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "coordinator": _polling_state(coordinator, entry.runtime_data.client.request_count),
        "chargers": async_redact_data(chargers, TO_REDACT),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: KrakenConfigEntry
) -> dict[str, Any]:
    """Entry data and options, the coordinator's state and the parsed account or chargers."""
    if entry.state is not ConfigEntryState.LOADED:
        # Nothing was fetched (or the entry is unloaded): what is known is why.
        return {
            "entry": async_redact_data(entry.as_dict(), TO_REDACT),
            "state": entry.state.value,
            "reason": entry.reason,
        }
    if (easee := easee_entry(entry)) is not None:
        return _easee_diagnostics(easee)
    if (enode := enode_entry(entry)) is not None:
        return _enode_diagnostics(enode)
    coordinator = entry.runtime_data.account
    account = _jsonable(coordinator.data)
    for point in account["meter_points"]:
        for agreement in point["agreements"]:
            tariff = agreement["tariff"]
            if tariff and tariff["unit_rates"] is not None:
                # The count says enough; the periods themselves are public prices.
                tariff["unit_rates"] = f"{len(tariff['unit_rates'])} periods"
    devices = entry.runtime_data.devices.data
    smartflex = _jsonable(devices) if devices is not None else None
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "coordinator": {
            **_polling_state(coordinator, entry.runtime_data.client.request_count),
            "bands": _jsonable(coordinator.bands),
        },
        "account": async_redact_data(account, TO_REDACT),
        "smartflex": async_redact_data(smartflex, TO_REDACT),
        "devices_last_update_success": entry.runtime_data.devices.last_update_success,
    }


def _enode_diagnostics(entry: EnodeConfigEntry) -> dict[str, Any]:
    coordinator = entry.runtime_data.coordinator
    data: EnodeData | None = coordinator.data
    devices = _jsonable(data.devices) if data else None
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "coordinator": {
            **_polling_state(coordinator, entry.runtime_data.client.request_count),
            "interventions": sorted(data.interventions) if data else [],
        },
        "devices": async_redact_data(devices, TO_REDACT),
    }
