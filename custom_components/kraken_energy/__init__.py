"""The Kraken Energy integration: Kraken supplier accounts, Easee chargers, Enode devices.

Each entry runs one provider (`providers/`); every function here hands the entry to it.
"""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .const import CONF_PROVIDER, DOMAIN, ENTRY_MINOR_VERSION, Provider
from .providers import PROVIDERS, provider_spec

# Every platform any provider has; an entry sets up those of its provider.
PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.CLIMATE,
    Platform.DEVICE_TRACKER,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
_LOGGER = logging.getLogger(__name__)


def _platforms(entry: ConfigEntry[Any]) -> list[Platform]:
    """The platforms the entry's provider has entities on."""
    provider_platforms = provider_spec(entry).platforms
    return [platform for platform in PLATFORMS if platform in provider_platforms]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the providers' actions."""
    for provider in PROVIDERS.values():
        if provider.async_setup_services is not None:
            provider.async_setup_services(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Write the provider on entries from before it was stated (minor version 1: Kraken).

    Home Assistant itself refuses an entry of a later major version, without calling this.
    """
    if entry.minor_version < ENTRY_MINOR_VERSION:
        data = {CONF_PROVIDER: Provider.KRAKEN.value, **entry.data}
        hass.config_entries.async_update_entry(entry, data=data, minor_version=ENTRY_MINOR_VERSION)
        _LOGGER.debug("Migrated entry %s to minor version %d", entry.entry_id, ENTRY_MINOR_VERSION)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Sign in, load the provider's data and set up its entities."""
    await provider_spec(entry).async_setup_entry(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, _platforms(entry))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Unload the entities."""
    return await hass.config_entries.async_unload_platforms(entry, _platforms(entry))


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ConfigEntry[Any], device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device the provider no longer lists."""
    return not device.identifiers & provider_spec(entry).device_identifiers(entry)


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Take what the entry's provider keeps besides the devices with it."""
    if (remove := provider_spec(entry).async_remove_entry) is not None:
        await remove(hass, entry)
