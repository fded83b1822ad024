"""Switches of Easee chargers: charging enabled and smart charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription

from ...api.easee import EaseeCharger, EaseeClient
from ...entity import ItemEntityDescription, plan
from .entity import EaseeEntity, charger_platform


@dataclass(frozen=True, kw_only=True)
class EaseeSwitchDescription(SwitchEntityDescription, ItemEntityDescription):
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


async_setup_entry = charger_platform(
    lambda coordinator, charger: [
        plan(EaseeChargerSwitch, coordinator, description, charger)
        for description in EASEE_SWITCHES
    ]
)


class EaseeChargerSwitch(EaseeEntity, SwitchEntity):
    """Charging enabled or smart charging of an Easee charger."""

    entity_description: EaseeSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The setting as last fetched."""
        charger = self.item
        return self.entity_description.is_on_fn(charger) if charger else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the setting on."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.item_id, True)
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the setting off."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.item_id, False)
        )
