"""Switches: SmartFlex smart control and boost charge; Easee charging and smart charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.easee import EaseeCharger, EaseeClient
from .api.enode import EnodeClient
from .api.enode.models import VendorType
from .api.kraken import KrakenClient
from .coordinator import KrakenConfigEntry
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry
from .entity import KrakenDeviceEntity, async_add_device_entities
from .model import Device

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class KrakenSwitchDescription(SwitchEntityDescription):
    """A device switch: how to read it and how to set it."""

    is_on_fn: Callable[[Device], bool | None]
    set_fn: Callable[[KrakenClient, str, bool], Awaitable[None]]
    exists_fn: Callable[[Device], bool]
    mutation: str
    """The supplier's command: no switch where the supplier's API lacks it."""


SWITCHES = (
    KrakenSwitchDescription(
        key="smart_control",
        translation_key="smart_control",
        exists_fn=lambda device: device.is_suspended is not None,
        mutation="updateDeviceSmartControl",
        is_on_fn=lambda device: None if device.is_suspended is None else not device.is_suspended,
        set_fn=lambda client, device_id, on: client.set_smart_control(device_id, enabled=on),
    ),
    KrakenSwitchDescription(
        key="boost_charge",
        translation_key="boost_charge",
        exists_fn=lambda device: device.charges_vehicles,
        mutation="updateBoostCharge",
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
    if (enode := enode_entry(entry)) is not None:
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: [
                (description.key, EnodeSwitch(enode.runtime_data.coordinator, description, device))
                for description in ENODE_SWITCHES
                if kind in description.kinds and description.exists_fn(device)
            ],
        )
        return
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
            if description.exists_fn(device) and devices.client.can(description.mutation)
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


@dataclass(frozen=True, kw_only=True)
class EnodeSwitchDescription(SwitchEntityDescription):
    """An Enode control switch, where the device's capabilities allow it."""

    kinds: frozenset[VendorType]
    exists_fn: Callable[[Any], bool]
    is_on_fn: Callable[[Any], bool | None]
    set_fn: Callable[[EnodeClient, Any, bool], Awaitable[Any]]


def _can_start_and_stop(device: Any) -> bool:
    capabilities = device.capabilities
    return bool(capabilities.start_charging.is_capable and capabilities.stop_charging.is_capable)


ENODE_SWITCHES = (
    EnodeSwitchDescription(
        key="charging",
        translation_key="charging",
        kinds=frozenset({VendorType.VEHICLE}),
        exists_fn=_can_start_and_stop,
        is_on_fn=lambda device: device.is_charging,
        set_fn=lambda client, device, on: client.set_vehicle_charging(device.id, charging=on),
    ),
    EnodeSwitchDescription(
        key="charging",
        translation_key="charging",
        kinds=frozenset({VendorType.CHARGER}),
        exists_fn=_can_start_and_stop,
        is_on_fn=lambda device: device.is_charging,
        set_fn=lambda client, device, on: client.set_charger_charging(device.id, charging=on),
    ),
    EnodeSwitchDescription(
        key="smart_charging",
        translation_key="smart_charging",
        kinds=frozenset({VendorType.VEHICLE}),
        exists_fn=lambda device: device.capabilities.smart_charging.is_capable,
        is_on_fn=lambda device: (
            device.smart_charging_policy.is_enabled if device.smart_charging_policy else None
        ),
        set_fn=lambda client, device, on: client.update_smart_charging_policy(
            device.id, enabled=on
        ),
    ),
)


class EnodeSwitch(EnodeDeviceEntity, SwitchEntity):
    """Charging or smart charging of an Enode vehicle or charger."""

    entity_description: EnodeSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state as last fetched."""
        device = self.device
        return self.entity_description.is_on_fn(device) if device is not None else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start (charging) or enable (smart charging)."""
        await self._set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop (charging) or disable (smart charging)."""
        await self._set(False)

    async def _set(self, on: bool) -> None:
        device = self.device
        if device is None:  # pragma: no cover - the entity is unavailable then
            return
        await self.async_control(
            self.entity_description.set_fn(self.coordinator.client, device, on)
        )
