"""Binary sensors of Easee chargers: the cable lock, and the shared readings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)

from ...api.easee import EaseeCharger
from ...entity import ItemEntityDescription, plan
from ...readings import (
    ReadingBinarySensor,
    ReadingBinarySensorDescription,
    reading_binary_sensors,
)
from .entity import EaseeEntity, charger_platform
from .readings import charger_readings


@dataclass(frozen=True, kw_only=True)
class EaseeBinarySensorDescription(BinarySensorEntityDescription, ItemEntityDescription):
    """An Easee charger binary sensor."""

    is_on_fn: Callable[[EaseeCharger], bool | None]


EASEE_BINARY_SENSORS = (
    # No lock device class: there "on" means unlocked, which would read backwards here.
    EaseeBinarySensorDescription(
        key="cable_locked",
        translation_key="cable_locked",
        is_on_fn=lambda charger: charger.state.cable_locked if charger.state else None,
    ),
)


async_setup_entry = charger_platform(
    lambda coordinator, charger: [
        *(
            plan(EaseeChargerBinarySensor, coordinator, description, charger)
            for description in EASEE_BINARY_SENSORS
        ),
        *(
            plan(EaseeReadingBinarySensor, coordinator, description, charger)
            for description in reading_binary_sensors(charger_readings(charger))
        ),
    ]
)


class EaseeChargerBinarySensor(EaseeEntity, BinarySensorEntity):
    """A binary sensor of an Easee charger."""

    entity_description: EaseeBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The state as last fetched."""
        charger = self.item
        return self.entity_description.is_on_fn(charger) if charger else None


class EaseeReadingBinarySensor(EaseeEntity, ReadingBinarySensor):
    """A shared binary sensor of an Easee charger."""

    entity_description: ReadingBinarySensorDescription
