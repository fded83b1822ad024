"""Easee chargers: state, settings and commands of the chargers on an Easee user's sites."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from ...const import DOMAIN
from ...entity import async_follow_departures
from ...runtime import ProviderSpec
from . import binary_sensor, button, number, select, sensor, switch
from .const import EASEE_PREFIX
from .coordinator import (
    EaseeConfigEntry,
    EaseeCoordinator,
    EaseeData,
    EaseeRuntimeData,
    easee_client,
)
from .diagnostics import charger_diagnostics


async def async_setup_entry(hass: HomeAssistant, entry: EaseeConfigEntry) -> None:
    """Sign in, fetch the chargers and keep the device registry in step with them."""
    client = easee_client(hass, dict(entry.data))
    coordinator = EaseeCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = EaseeRuntimeData(client, coordinator)
    async_follow_departures(hass, entry, coordinator, lambda: device_identifiers(entry))


def device_identifiers(entry: EaseeConfigEntry) -> set[tuple[str, str]]:
    """The registry identifiers of the chargers the entry has now."""
    data: EaseeData | None = entry.runtime_data.coordinator.data
    chargers = data.chargers if data else {}
    return {(DOMAIN, f"{EASEE_PREFIX}{charger_id}") for charger_id in chargers}


PROVIDER = ProviderSpec(
    async_setup_entry=async_setup_entry,
    device_identifiers=device_identifiers,
    diagnostics=charger_diagnostics,
    platforms={
        Platform.BINARY_SENSOR: binary_sensor.async_setup_entry,
        Platform.BUTTON: button.async_setup_entry,
        Platform.NUMBER: number.async_setup_entry,
        Platform.SELECT: select.async_setup_entry,
        Platform.SENSOR: sensor.async_setup_entry,
        Platform.SWITCH: switch.async_setup_entry,
    },
)
