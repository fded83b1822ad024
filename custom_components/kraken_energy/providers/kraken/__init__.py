"""Kraken supplier accounts: the account, its meter points and tariffs, its SmartFlex devices."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.storage import Store

from ...api.kraken import Capabilities, KrakenError
from ...api.kraken.models import SmartFlexData
from ...const import DOMAIN
from ...entity import async_follow_departures
from ...runtime import ProviderSpec
from . import binary_sensor, calendar, climate, number, sensor, switch, time
from .const import (
    CONF_ACCOUNT_NUMBER,
    CONF_CURRENCY,
    CONF_SUPPLIER,
    SCHEMA_STORE_VERSION,
    SMARTFLEX_PREFIX,
    supplier_name,
)
from .coordinator import (
    KrakenAccountCoordinator,
    KrakenConfigEntry,
    KrakenDevicesCoordinator,
    KrakenRuntimeData,
    kraken_client,
    schema_issue_id,
)
from .diagnostics import account_diagnostics
from .entity import account_device_info, meter_point_unique_prefix, smartflex_unique_prefix
from .heat_pump import async_setup_heat_pump
from .services import async_setup_services
from .statistics import async_start_statistics

_LOGGER = logging.getLogger(__name__)


def _schema_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry keeps what its Kraken instance's schema offers (asked once a day)."""
    return Store(hass, SCHEMA_STORE_VERSION, f"{DOMAIN}.schema.{entry_id}")


async def async_setup_entry(hass: HomeAssistant, entry: KrakenConfigEntry) -> None:
    """Sign in, load the account (and its devices) and keep the registry in step with them."""
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

    client = kraken_client(
        hass, entry.data, capabilities=capabilities, on_schema_learnt=keep_schema
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
    entry.runtime_data.heat_pump = async_setup_heat_pump(hass, entry, client, coordinator, devices)
    for each in (coordinator, devices):
        entry.async_on_unload(each.cancel_change_timer)
    # Each coordinator judges only its own devices: SmartFlex ones, or the account's others.
    async_follow_departures(
        hass,
        entry,
        coordinator,
        lambda: device_identifiers(entry),
        lambda device: not _is_smartflex(device),
    )
    async_follow_departures(hass, entry, devices, lambda: device_identifiers(entry), _is_smartflex)
    # Readings arrive a day late: imported in the background, never holding up setup.
    async_start_statistics(hass, entry)


def _is_smartflex(device: dr.DeviceEntry) -> bool:
    return any(identifier.startswith(SMARTFLEX_PREFIX) for _, identifier in device.identifiers)


def device_identifiers(entry: KrakenConfigEntry) -> set[tuple[str, str]]:
    """The registry identifiers of the account, its meter points and its live devices."""
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


async def async_remove_entry(hass: HomeAssistant, entry: KrakenConfigEntry) -> None:
    """Take the entry's stored schema and its repair issue with it."""
    await _schema_store(hass, entry.entry_id).async_remove()
    ir.async_delete_issue(hass, DOMAIN, schema_issue_id(entry.entry_id))


PROVIDER = ProviderSpec[KrakenRuntimeData](
    async_setup_entry=async_setup_entry,
    device_identifiers=device_identifiers,
    diagnostics=account_diagnostics,
    platforms={
        Platform.BINARY_SENSOR: binary_sensor.async_setup_entry,
        Platform.CALENDAR: calendar.async_setup_entry,
        Platform.CLIMATE: climate.async_setup_entry,
        Platform.NUMBER: number.async_setup_entry,
        Platform.SENSOR: sensor.async_setup_entry,
        Platform.SWITCH: switch.async_setup_entry,
        Platform.TIME: time.async_setup_entry,
    },
    async_remove_entry=async_remove_entry,
    async_setup_services=async_setup_services,
)
