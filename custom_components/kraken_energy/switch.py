"""Switches: SmartFlex smart control and boost charge; Easee charging and smart charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.easee import EaseeCharger, EaseeClient
from .api.kraken import KrakenClient
from .coordinator import KrakenConfigEntry
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry
from .entity import KrakenDeviceEntity, async_add_device_entities
from .model import Device

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class KrakenSwitchDescription(SwitchEntityDescription):
    """A device switch: how to read it and how to set it."""

    is_on_fn: Callable[[Device], bool | None]
    set_fn: Callable[[KrakenClient, str, bool], Awaitable[None]]
    exists_fn: Callable[[Device], bool]


SWITCHES = (
    KrakenSwitchDescription(
        key="smart_control",
        translation_key="smart_control",
        exists_fn=lambda device: device.is_suspended is not None,
        is_on_fn=lambda device: (None if device.is_suspended is None else not device.is_suspended),
        set_fn=lambda client, device_id, on: client.set_smart_control(device_id, enabled=on),
    ),
    KrakenSwitchDescription(
        key="boost_charge",
        translation_key="boost_charge",
        exists_fn=lambda device: device.charges_vehicles,
        is_on_fn=lambda device: device.state == "BOOSTING",
        set_fn=lambda client, device_id, on: client.set_boost_charge(device_id, boost=on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches of every smart device, now and when devices are registered."""
    if (easee := easee_entry(entry)) is not None:
        async_add_charger_entities(
            easee,
            async_add_entities,
            lambda charger: [
                EaseeChargerSwitch(easee.runtime_data.coordinator, description, charger)
                for description in EASEE_SWITCHES
            ],
        )
        return
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: [
            KrakenDeviceSwitch(devices, description, device)
            for description in SWITCHES
            if description.exists_fn(device)
        ],
    )


class KrakenDeviceSwitch(KrakenDeviceEntity, SwitchEntity):
    """Smart control or boost charge of a device."""

    entity_description: KrakenSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state the supplier reports."""
        device = self.device
        return self.entity_description.is_on_fn(device) if device else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on (unsuspend / boost)."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.device_id, True)
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off (suspend / cancel boost)."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.device_id, False)
        )


@dataclass(frozen=True, kw_only=True)
class EaseeSwitchDescription(SwitchEntityDescription):
    """An Easee charger switch: how to read it and how to set it."""

    is_on_fn: Callable[[EaseeCharger], bool | None]
    set_fn: Callable[[EaseeClient, str, bool], Awaitable[Any]]


EASEE_SWITCHES = (
    EaseeSwitchDescription(
        key="charging_enabled",
        translation_key="charging_enabled",
        is_on_fn=lambda charger: charger.charging_enabled,
        set_fn=lambda client, charger_id, on: client.set_charging_enabled(charger_id, on),
    ),
    EaseeSwitchDescription(
        key="smart_charging",
        translation_key="smart_charging",
        is_on_fn=lambda charger: charger.smart_charging,
        set_fn=lambda client, charger_id, on: client.set_smart_charging(charger_id, on),
    ),
)


class EaseeChargerSwitch(EaseeChargerEntity, SwitchEntity):
    """Charging enabled or smart charging of an Easee charger."""

    entity_description: EaseeSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The setting as last fetched."""
        charger = self.charger
        return self.entity_description.is_on_fn(charger) if charger else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the setting on."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.charger_id, True)
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the setting off."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.charger_id, False)
        )
