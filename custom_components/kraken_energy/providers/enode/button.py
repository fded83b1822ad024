"""Button of Enode vehicles: charge now, overriding smart charging."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription

from ...api.enode.models import VendorType
from ...entity import ItemEntityDescription, plan
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeButtonDescription(ButtonEntityDescription, ItemEntityDescription):
    """A command to an Enode device."""


CHARGE_NOW = EnodeButtonDescription(key="charge_now", translation_key="charge_now")


async_setup_entry = device_platform(
    lambda coordinator, kind, device: (
        [plan(EnodeChargeNowButton, coordinator, CHARGE_NOW, device)]
        if kind is VendorType.VEHICLE and device.capabilities.smart_charging.is_capable
        else []
    )
)


class EnodeChargeNowButton(EnodeEntity, ButtonEntity):
    """Charge now, overriding smart charging until the car stops charging."""

    entity_description: EnodeButtonDescription

    async def async_press(self) -> None:
        """Start the smart override."""
        await self.async_command(self.coordinator.client.create_smart_override(self.item_id))
