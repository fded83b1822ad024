"""Easee chargers: state, settings and commands of the chargers on an Easee user's sites."""

from __future__ import annotations

import asyncio
import contextlib

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from ...api.easee.stream import EaseeStream
from ...const import DOMAIN
from ...entity import async_follow_departures
from ...runtime import ProviderSpec
from . import binary_sensor, button, number, select, sensor, switch
from .const import EASEE_PREFIX, EASEE_STREAM_SETUP_WAIT
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
    await _start_stream(hass, entry, coordinator)
    async_follow_departures(hass, entry, coordinator, lambda: device_identifiers(entry))
    _async_follow_firmware(hass, entry, coordinator)


@callback
def _async_follow_firmware(
    hass: HomeAssistant, entry: EaseeConfigEntry, coordinator: EaseeCoordinator
) -> None:
    """Keep each charger's device on the firmware it reports (chargers update themselves)."""
    shown: dict[str, int] = {}

    @callback
    def update() -> None:
        data: EaseeData | None = coordinator.data
        if data is None:
            return
        registry = dr.async_get(hass)
        for charger_id, charger in data.chargers.items():
            firmware = charger.state.firmware if charger.state else None
            if firmware is None or shown.get(charger_id) == firmware:
                continue
            device = registry.async_get_device_by_identifier(
                (DOMAIN, f"{EASEE_PREFIX}{charger_id}"), entry.entry_id
            )
            if device is None:
                continue  # its entities have not registered it yet; the next update will
            shown[charger_id] = firmware
            if device.sw_version != str(firmware):
                registry.async_update_device(device.id, sw_version=str(firmware))

    entry.async_on_unload(coordinator.async_add_listener(update))


async def _start_stream(
    hass: HomeAssistant, entry: EaseeConfigEntry, coordinator: EaseeCoordinator
) -> None:
    """Follow the chargers on Easee's stream; it is closed on unload and when HA stops.

    Setup waits (briefly) for the first attempt, so the entry starts at the right cadence.
    """
    data: EaseeData = coordinator.data
    stream = EaseeStream(
        coordinator.client,
        data.chargers,
        on_observation=coordinator.observed,
        on_connected=coordinator.stream_connected,
        on_disconnected=coordinator.stream_disconnected,
    )
    coordinator.attach_stream(stream)
    stream.start()

    async def close(_event: Event | None = None) -> None:
        await stream.close()

    entry.async_on_unload(close)
    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, close))
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(EASEE_STREAM_SETUP_WAIT):
            await stream.wait_first_attempt()


def device_identifiers(entry: EaseeConfigEntry) -> set[tuple[str, str]]:
    """The registry identifiers of the chargers the entry has now."""
    data: EaseeData | None = entry.runtime_data.coordinator.data
    chargers = data.chargers if data else {}
    return {(DOMAIN, f"{EASEE_PREFIX}{charger_id}") for charger_id in chargers}


PROVIDER = ProviderSpec[EaseeRuntimeData](
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
