"""Models as redacted JSON, for every provider's diagnostics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator


def identifier_tail(identifier: str) -> str:
    """The last four characters of an account number or meter identifier, for names.

    Entry titles and device names end up in entity ids and so in Home Assistant's own log
    lines; a short tail still tells two accounts or meters apart without naming them.
    """
    return f"…{identifier[-4:]}"


TO_REDACT = {
    CONF_API_KEY,
    CONF_EMAIL,
    CONF_PASSWORD,
    "account_number",
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
    "euid",
}


def jsonable(value: Any) -> Any:
    """A model as plain JSON values (objects, lists, strings, numbers) that redaction walks."""
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: jsonable(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, Mapping):
        return {str(jsonable(key)): jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        # In a stable order: the same state gives the same download.
        return sorted((jsonable(item) for item in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def redact[T](data: T) -> T:
    """The data without secrets and what identifies the household."""
    return async_redact_data(data, TO_REDACT)


def entry_diagnostics(entry: ConfigEntry[Any]) -> dict[str, Any]:
    """The config entry, redacted."""
    return redact(entry.as_dict())


def polling_state(coordinator: DataUpdateCoordinator[Any], requests_sent: int) -> dict[str, Any]:
    """How the entry's polling stands."""
    return {
        "last_update_success": coordinator.last_update_success,
        "update_interval": str(coordinator.update_interval),
        "requests_sent": requests_sent,
    }
