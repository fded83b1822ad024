"""Enode devices: vehicles, chargers, HVAC units, batteries, inverters and meters of one user."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback

from ...const import DOMAIN
from ...entity import async_follow_departures
from ...runtime import ProviderSpec
from . import (
    binary_sensor,
    button,
    climate,
    device_tracker,
    number,
    select,
    sensor,
    switch,
    time,
)
from .const import ENODE_PREFIX
from .coordinator import (
    EnodeConfigEntry,
    EnodeCoordinator,
    EnodeData,
    EnodeRuntimeData,
    enode_client,
)
from .diagnostics import device_diagnostics
from .push import EnodePush, async_remove_subscription
from .repairs import async_remove_repairs, async_sync_repairs


async def async_setup_entry(hass: HomeAssistant, entry: EnodeConfigEntry) -> None:
    """Fetch the devices; keep the device registry and repair issues in step with them.

    Then have Enode push changes where Home Assistant can receive them (see `push`).
    """
    client = enode_client(hass, dict(entry.data))
    coordinator = EnodeCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = EnodeRuntimeData(client, coordinator)
    push = EnodePush(hass, entry, coordinator, client)
    entry.runtime_data.push = push
    push.async_setup()

    @callback
    def follow_repairs() -> None:
        async_sync_repairs(hass, entry)

    follow_repairs()
    entry.async_on_unload(coordinator.async_add_listener(follow_repairs))
    async_follow_departures(hass, entry, coordinator, lambda: device_identifiers(entry))


def device_identifiers(entry: EnodeConfigEntry) -> set[tuple[str, str]]:
    """The registry identifiers of the devices the Enode user has now."""
    data: EnodeData | None = entry.runtime_data.coordinator.data
    return {(DOMAIN, f"{ENODE_PREFIX}{device_id}") for device_id in (data.by_id if data else {})}


async def async_remove_entry(hass: HomeAssistant, entry: EnodeConfigEntry) -> None:
    """Take the entry's repair issues and its Enode webhook subscription with it."""
    async_remove_repairs(hass, entry.entry_id)
    await async_remove_subscription(hass, entry)


PROVIDER = ProviderSpec[EnodeRuntimeData](
    async_setup_entry=async_setup_entry,
    device_identifiers=device_identifiers,
    diagnostics=device_diagnostics,
    platforms={
        Platform.BINARY_SENSOR: binary_sensor.async_setup_entry,
        Platform.BUTTON: button.async_setup_entry,
        Platform.CLIMATE: climate.async_setup_entry,
        Platform.DEVICE_TRACKER: device_tracker.async_setup_entry,
        Platform.NUMBER: number.async_setup_entry,
        Platform.SELECT: select.async_setup_entry,
        Platform.SENSOR: sensor.async_setup_entry,
        Platform.SWITCH: switch.async_setup_entry,
        Platform.TIME: time.async_setup_entry,
    },
    async_remove_entry=async_remove_entry,
)
