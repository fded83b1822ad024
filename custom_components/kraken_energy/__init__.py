"""The Kraken Energy integration: supplier accounts and tariffs from any Kraken supplier."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType

from .api.kraken import (
    ApiKeyCredential,
    Capabilities,
    Credential,
    KrakenClient,
    KrakenError,
    PasswordCredential,
)
from .const import (
    AUTH_PASSWORD,
    CONF_ACCOUNT_NUMBER,
    CONF_AUTH_METHOD,
    CONF_CURRENCY,
    CONF_ENDPOINT,
    CONF_PROVIDER,
    CONF_SUPPLIER,
    DOMAIN,
    ENTRY_MINOR_VERSION,
    SUPPLIERS,
    Provider,
)
from .coordinator import (
    KrakenAccountCoordinator,
    KrakenConfigEntry,
    KrakenDevicesCoordinator,
    KrakenRuntimeData,
    schema_issue_id,
)
from .easee import async_setup_easee_entry, easee_device_identifiers, easee_entry
from .enode import (
    async_remove_enode_repairs,
    async_setup_enode_entry,
    enode_device_identifiers,
    enode_entry,
)
from .entity import (
    SMARTFLEX_PREFIX,
    account_device_info,
    async_follow_departures,
    meter_point_unique_prefix,
    smartflex_unique_prefix,
)
from .model import SmartFlexData
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CLIMATE,
    Platform.DEVICE_TRACKER,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
SCHEMA_STORE_VERSION = 1
_LOGGER = logging.getLogger(__name__)


def credential_from_data(data: Mapping[str, Any]) -> Credential:
    """The credential a config entry (or a flow's input) holds."""
    if data.get(CONF_AUTH_METHOD) == AUTH_PASSWORD:
        return PasswordCredential(data[CONF_EMAIL], data[CONF_PASSWORD])
    return ApiKeyCredential(data[CONF_API_KEY])


def supplier_name(supplier: str) -> str:
    """The name of a supplier key; custom endpoints are simply "Kraken"."""
    known = SUPPLIERS.get(supplier)
    return known.name if known else "Kraken"


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions."""
    async_setup_services(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Write the provider on entries from before it was stated (minor version 1: Kraken)."""
    if entry.version > 1:
        # A later release's entry: nothing here knows how to read it.
        return False
    if entry.minor_version < ENTRY_MINOR_VERSION:
        data = {CONF_PROVIDER: Provider.KRAKEN.value, **entry.data}
        hass.config_entries.async_update_entry(entry, data=data, minor_version=ENTRY_MINOR_VERSION)
        _LOGGER.debug("Migrated entry %s to minor version %d", entry.entry_id, ENTRY_MINOR_VERSION)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Sign in, load the account or chargers and set up their entities."""
    if (easee := easee_entry(entry)) is not None:
        await async_setup_easee_entry(hass, easee)
    elif (enode := enode_entry(entry)) is not None:
        await async_setup_enode_entry(hass, enode)
    else:
        await _async_setup_kraken_entry(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _schema_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry keeps what its Kraken instance's schema offers (asked once a day)."""
    return Store(hass, SCHEMA_STORE_VERSION, f"{DOMAIN}.schema.{entry_id}")


async def _async_setup_kraken_entry(hass: HomeAssistant, entry: KrakenConfigEntry) -> None:
    store = _schema_store(hass, entry.entry_id)
    capabilities = None
    if (stored := await store.async_load()) is not None:
        try:
            capabilities = Capabilities.from_json(stored)
        except KrakenError:
            _LOGGER.debug("The stored schema is unreadable; it will be learnt again")

    @callback
    def keep_schema(learnt: Capabilities) -> None:
        # Saved at once (it is learnt once a day at most), so a restart finds it.
        hass.async_create_task(store.async_save(learnt.to_json()), "kraken_energy schema save")

    client = KrakenClient(
        async_get_clientsession(hass),
        entry.data[CONF_ENDPOINT],
        credential_from_data(entry.data),
        capabilities=capabilities,
        on_schema_learnt=keep_schema,
    )
    devices = KrakenDevicesCoordinator(
        hass, entry, client, account_number=entry.data[CONF_ACCOUNT_NUMBER]
    )
    coordinator = KrakenAccountCoordinator(
        hass,
        entry,
        client,
        account_number=entry.data[CONF_ACCOUNT_NUMBER],
        currency=entry.data[CONF_CURRENCY],
        supplier_name=supplier_name(entry.data[CONF_SUPPLIER]),
        devices=devices,
    )
    # One request: the account, and the smart devices where the supplier's API has them.
    await coordinator.async_config_entry_first_refresh()
    # Meter point and smart devices link to the account device, so it has to exist first.
    account_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **account_device_info(coordinator)
    )
    entry.runtime_data = KrakenRuntimeData(client, coordinator, devices, account_device.id)
    for each in (coordinator, devices):
        entry.async_on_unload(each.cancel_change_timer)
    # Each coordinator judges only its own devices: SmartFlex ones, or the account's others.
    async_follow_departures(
        hass,
        entry,
        coordinator,
        lambda: _current_device_identifiers(entry),
        lambda device: not _is_smartflex(device),
    )
    async_follow_departures(
        hass, entry, devices, lambda: _current_device_identifiers(entry), _is_smartflex
    )


def _is_smartflex(device: dr.DeviceEntry) -> bool:
    return any(identifier.startswith(SMARTFLEX_PREFIX) for _, identifier in device.identifiers)


def _current_device_identifiers(entry: KrakenConfigEntry) -> set[tuple[str, str]]:
    account = entry.runtime_data.account
    identifiers = {(DOMAIN, account.account_number)} | {
        (DOMAIN, meter_point_unique_prefix(point)) for point in account.data.meter_points
    }
    smartflex: SmartFlexData | None = entry.runtime_data.devices.data
    if smartflex is not None:
        identifiers |= {
            (DOMAIN, smartflex_unique_prefix(device))
            for device in smartflex.devices
            if not device.is_retired
        }
    return identifiers


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ConfigEntry[Any], device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device the account no longer has."""
    if (easee := easee_entry(entry)) is not None:
        current = easee_device_identifiers(easee)
    elif (enode := enode_entry(entry)) is not None:
        current = enode_device_identifiers(enode)
    else:
        current = _current_device_identifiers(entry)
    return not device.identifiers & current


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Take the entry's repair issues and stored schema with it."""
    if enode_entry(entry) is not None:
        async_remove_enode_repairs(hass, entry.entry_id)
    elif easee_entry(entry) is None:
        await _schema_store(hass, entry.entry_id).async_remove()
        ir.async_delete_issue(hass, DOMAIN, schema_issue_id(entry.entry_id))


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Unload the entities."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
