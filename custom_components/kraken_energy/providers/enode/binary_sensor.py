"""Binary sensors of Enode devices: fully charged, and the shared readings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)

from ...api.enode.models import VendorType
from ...entity import ItemEntityDescription, plan
from ...readings import (
    ReadingBinarySensor,
    ReadingBinarySensorDescription,
    reading_binary_sensors,
)
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeBinarySensorDescription(BinarySensorEntityDescription, ItemEntityDescription):
    """An Enode device binary sensor, for the device kinds that have it."""

    kinds: frozenset[VendorType]
    is_on_fn: Callable[[Any], bool | None]


ENODE_BINARY_SENSORS = (
    EnodeBinarySensorDescription(
        key="fully_charged",
        translation_key="fully_charged",
        kinds=frozenset({VendorType.VEHICLE}),
        is_on_fn=lambda device: device.is_fully_charged,
    ),
)


async_setup_entry = device_platform(
    lambda coordinator, kind, device: [
        *(
            plan(EnodeBinarySensor, coordinator, description, device)
            for description in ENODE_BINARY_SENSORS
            if kind in description.kinds
        ),
        *(
            plan(EnodeReadingBinarySensor, coordinator, description, device)
            for description in reading_binary_sensors(coordinator.data.readings_of(device))
        ),
    ]
)


class EnodeBinarySensor(EnodeEntity, BinarySensorEntity):
    """A binary sensor of an Enode device."""

    entity_description: EnodeBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The state as last fetched."""
        device = self.item
        return self.entity_description.is_on_fn(device) if device is not None else None


class EnodeReadingBinarySensor(EnodeEntity, ReadingBinarySensor):
    """A shared binary sensor of an Enode device."""

    entity_description: ReadingBinarySensorDescription
