"""Numbers of Easee chargers: the dynamic and the maximum charger current."""

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
from homeassistant.const import EntityCategory, UnitOfElectricCurrent

from ...api.easee import EaseeCharger, EaseeClient
from ...const import CHARGE_CURRENT_MAX, CHARGE_CURRENT_MIN
from ...entity import ItemEntityDescription, finite_value, plan
from .entity import EaseeEntity, charger_platform


@dataclass(frozen=True, kw_only=True)
class EaseeNumberDescription(NumberEntityDescription, ItemEntityDescription):
    """An Easee current limit: how to read it, set it, and its lowest value."""

    value_fn: Callable[[EaseeCharger], float | None]
    set_fn: Callable[[EaseeClient, str, float], Awaitable[Any]]
    minimum: float


EASEE_NUMBERS = (
    EaseeNumberDescription(
        key="dynamic_charger_current",
        translation_key="dynamic_charger_current",
        minimum=0.0,
        value_fn=lambda charger: charger.dynamic_charger_current,
        set_fn=lambda client, charger_id, value: client.set_dynamic_charger_current(
            charger_id, value
        ),
    ),
    EaseeNumberDescription(
        key="max_charger_current",
        translation_key="max_charger_current",
        minimum=CHARGE_CURRENT_MIN,
        entity_category=EntityCategory.CONFIG,
        available_offline=True,
        value_fn=lambda charger: charger.max_charger_current,
        set_fn=lambda client, charger_id, value: client.set_max_charger_current(charger_id, value),
    ),
)


async_setup_entry = charger_platform(
    lambda coordinator, charger: [
        plan(EaseeCurrentNumber, coordinator, description, charger) for description in EASEE_NUMBERS
    ]
)


class EaseeCurrentNumber(EaseeEntity, NumberEntity):
    """A current limit of an Easee charger, in amperes."""

    entity_description: EaseeNumberDescription
    _attr_native_unit_of_measurement = UnitOfElectricCurrent.AMPERE
    _attr_device_class = NumberDeviceClass.CURRENT
    _attr_native_step = 1.0
    _attr_mode = NumberMode.SLIDER

    @property
    def native_min_value(self) -> float:
        """0 A pauses charging (dynamic limit); the maximum starts at 6 A."""
        return self.entity_description.minimum

    @property
    def native_max_value(self) -> float:
        """What Easee accepts: up to 32 A (the charger itself caps the current it delivers)."""
        return CHARGE_CURRENT_MAX

    @property
    def native_value(self) -> float | None:
        """The limit as last fetched."""
        charger = self.item
        return self.entity_description.value_fn(charger) if charger else None

    async def async_set_native_value(self, value: float) -> None:
        """Set the limit."""
        value = finite_value(value)
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.item_id, value)
        )
