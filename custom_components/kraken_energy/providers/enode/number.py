"""Numbers of Enode vehicles and chargers: smart-charging minimum, maximum current."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import PERCENTAGE, UnitOfElectricCurrent

from ...api.enode import EnodeClient
from ...api.enode.models import VendorType
from ...const import CHARGE_CURRENT_MAX, CHARGE_CURRENT_MIN
from ...entity import ItemEntityDescription, finite_value, plan
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeNumberDescription(NumberEntityDescription, ItemEntityDescription):
    """An Enode setting, where the device's capabilities allow it."""

    kinds: frozenset[VendorType]
    exists_fn: Callable[[Any], bool]
    value_fn: Callable[[Any], float | None]
    set_fn: Callable[[EnodeClient, str, float], Awaitable[Any]]
    max_fn: Callable[[Any], float] | None = None


ENODE_NUMBERS = (
    EnodeNumberDescription(
        key="smart_charging_minimum",
        translation_key="smart_charging_minimum",
        kinds=frozenset({VendorType.VEHICLE}),
        native_min_value=0,
        native_max_value=100,
        native_step=1,
        native_unit_of_measurement=PERCENTAGE,
        # Enode refuses a minimum above the car's charge limit.
        max_fn=lambda device: device.charge_limit or 100.0,
        exists_fn=lambda device: device.capabilities.smart_charging.is_capable,
        value_fn=lambda device: (
            device.smart_charging_policy.minimum_charge_limit
            if device.smart_charging_policy
            else None
        ),
        set_fn=lambda client, device_id, value: client.update_smart_charging_policy(
            device_id, minimum_charge_limit=value
        ),
    ),
    # Enode gives no amperage range: 6 A (the least a car charges at) to 32 A.
    EnodeNumberDescription(
        key="max_current",
        translation_key="max_charger_current",
        kinds=frozenset({VendorType.CHARGER}),
        native_min_value=CHARGE_CURRENT_MIN,
        native_max_value=CHARGE_CURRENT_MAX,
        native_step=1,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        device_class=NumberDeviceClass.CURRENT,
        exists_fn=lambda device: device.capabilities.set_max_current.is_capable,
        value_fn=lambda device: device.max_current,
        set_fn=lambda client, device_id, value: client.set_charger_max_current(device_id, value),
    ),
)


async_setup_entry = device_platform(
    lambda coordinator, kind, device: [
        plan(EnodeNumber, coordinator, description, device)
        for description in ENODE_NUMBERS
        if kind in description.kinds and description.exists_fn(device)
    ]
)


class EnodeNumber(EnodeEntity, NumberEntity):
    """A setting of an Enode vehicle or charger."""

    entity_description: EnodeNumberDescription
    _attr_mode = NumberMode.SLIDER

    @property
    def native_max_value(self) -> float:
        """The highest value the device takes now."""
        device = self.item
        max_fn = self.entity_description.max_fn
        if max_fn is not None and device is not None:
            return float(max_fn(device))
        return super().native_max_value

    @property
    def native_value(self) -> float | None:
        """The value as last fetched."""
        device = self.item
        return self.entity_description.value_fn(device) if device is not None else None

    async def async_set_native_value(self, value: float) -> None:
        """Set it on the device."""
        value = finite_value(value)
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.item_id, value)
        )
