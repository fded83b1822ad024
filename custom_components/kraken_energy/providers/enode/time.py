"""Time of Enode vehicles: when smart charging must have reached the charge limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from homeassistant.components.time import TimeEntity, TimeEntityDescription

from ...api.enode.models import VendorType
from ...entity import ItemEntityDescription, plan
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeTimeDescription(TimeEntityDescription, ItemEntityDescription):
    """A time of an Enode device."""


DEADLINE = EnodeTimeDescription(
    key="smart_charging_deadline", translation_key="smart_charging_deadline"
)


async_setup_entry = device_platform(
    lambda coordinator, kind, device: (
        [plan(EnodeDeadline, coordinator, DEADLINE, device)]
        if kind is VendorType.VEHICLE and device.capabilities.smart_charging.is_capable
        else []
    )
)


class EnodeDeadline(EnodeEntity, TimeEntity):
    """When smart charging must have reached the charge limit."""

    entity_description: EnodeTimeDescription

    @property
    def native_value(self) -> time | None:
        """The deadline as last fetched."""
        device = self.item
        policy = device.smart_charging_policy if device is not None else None
        return policy.deadline if policy else None

    async def async_set_value(self, value: time) -> None:
        """Set the deadline."""
        await self.async_command(
            self.coordinator.client.update_smart_charging_policy(self.item_id, deadline=value)
        )
