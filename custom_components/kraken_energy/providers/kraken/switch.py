"""Switches of SmartFlex devices: smart control and boost charge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription

from ...api.kraken import KrakenClient
from ...api.kraken.models import Device
from ...entity import ItemEntityDescription, plan
from .entity import KrakenDeviceEntity, smartflex_platform


@dataclass(frozen=True, kw_only=True)
class KrakenSwitchDescription(SwitchEntityDescription, ItemEntityDescription):
    """A device switch: how to read it and how to set it."""

    is_on_fn: Callable[[Device], bool | None]
    set_fn: Callable[[KrakenClient, str, bool], Awaitable[None]]
    exists_fn: Callable[[Device], bool]
    mutation: str
    """The supplier's command: no switch where the supplier's API lacks it."""
    usable_fn: Callable[[Device], bool] = lambda device: True
    """Whether the switch means something in the device's state now."""


SWITCHES = (
    KrakenSwitchDescription(
        key="smart_control",
        translation_key="smart_control",
        exists_fn=lambda device: device.is_suspended is not None,
        mutation="updateDeviceSmartControl",
        # Kraken cannot smart-control the device now (unplugged, not set up): an "on" beside
        # "Smart control not available" would claim a control that is not there.
        usable_fn=lambda device: device.state != "SMART_CONTROL_NOT_AVAILABLE",
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


async_setup_entry = smartflex_platform(
    lambda devices, device: [
        plan(KrakenDeviceSwitch, devices, description, device)
        for description in SWITCHES
        if description.exists_fn(device) and devices.client.can(description.mutation)
    ]
)


class KrakenDeviceSwitch(KrakenDeviceEntity, SwitchEntity):
    """Smart control or boost charge of a device."""

    entity_description: KrakenSwitchDescription

    def item_available(self, item: Device) -> bool:
        """Unavailable while the device's state says the switch means nothing."""
        return self.entity_description.usable_fn(item)

    @property
    def is_on(self) -> bool | None:
        """The state the supplier reports."""
        device = self.item
        return self.entity_description.is_on_fn(device) if device else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on (unsuspend / boost)."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.item_id, True)
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off (suspend / cancel boost)."""
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.item_id, False)
        )
