"""Switches of Enode vehicles and chargers: charging and smart charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription

from ...api.enode import EnodeClient
from ...api.enode.models import VendorType
from ...entity import ItemEntityDescription, plan
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeSwitchDescription(SwitchEntityDescription, ItemEntityDescription):
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


async_setup_entry = device_platform(
    lambda coordinator, kind, device: [
        plan(EnodeSwitch, coordinator, description, device)
        for description in ENODE_SWITCHES
        if kind in description.kinds and description.exists_fn(device)
    ]
)


class EnodeSwitch(EnodeEntity, SwitchEntity):
    """Charging or smart charging of an Enode vehicle or charger."""

    entity_description: EnodeSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state as last fetched."""
        device = self.item
        return self.entity_description.is_on_fn(device) if device is not None else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start (charging) or enable (smart charging)."""
        await self._set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop (charging) or disable (smart charging)."""
        await self._set(False)

    async def _set(self, on: bool) -> None:
        device = self.item
        if device is None:  # pragma: no cover - the entity is unavailable then
            return
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, device, on)
        )
