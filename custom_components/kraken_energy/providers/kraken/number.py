"""Numbers of SmartFlex devices: charge targets and battery limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE

from ...api.kraken.models import WEEKDAYS, WEEKEND, Device, DeviceKind, DevicePreferences
from ...entity import ItemEntityDescription, finite_value, plan
from .const import SET_PREFERENCES
from .entity import KrakenDeviceEntity, smartflex_platform

# Octopus accepts charge targets from 10 % in steps of 5 %.
MIN_CHARGE_TARGET = 10.0


@dataclass(frozen=True, kw_only=True)
class KrakenNumberDescription(NumberEntityDescription, ItemEntityDescription):
    """A preference number: the days it covers and which end of the schedule it sets."""

    days: tuple[str, ...]
    sets_minimum: bool = False
    exists_fn: Callable[[Device], bool]


def _charges_with_schedules(device: Device) -> bool:
    return device.charges_vehicles and device.preferences is not None


def _battery_with_schedules(device: Device) -> bool:
    return device.kind is DeviceKind.BATTERY and device.preferences is not None


NUMBERS = (
    KrakenNumberDescription(
        key="weekday_charge_target",
        translation_key="weekday_charge_target",
        days=WEEKDAYS,
        exists_fn=_charges_with_schedules,
    ),
    KrakenNumberDescription(
        key="weekend_charge_target",
        translation_key="weekend_charge_target",
        days=WEEKEND,
        exists_fn=_charges_with_schedules,
    ),
    KrakenNumberDescription(
        key="battery_minimum_charge",
        translation_key="battery_minimum_charge",
        days=WEEKDAYS + WEEKEND,
        sets_minimum=True,
        exists_fn=_battery_with_schedules,
    ),
    KrakenNumberDescription(
        key="battery_maximum_charge",
        translation_key="battery_maximum_charge",
        days=WEEKDAYS + WEEKEND,
        exists_fn=_battery_with_schedules,
    ),
)


async_setup_entry = smartflex_platform(
    lambda devices, device: [
        plan(KrakenPreferenceNumber, devices, description, device)
        for description in NUMBERS
        if description.exists_fn(device) and devices.client.can(SET_PREFERENCES)
    ]
)


class KrakenPreferenceNumber(KrakenDeviceEntity, NumberEntity):
    """A percentage in a device's schedules, bounded by what the device allows."""

    entity_description: KrakenNumberDescription
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_native_step = 5.0
    _attr_mode = NumberMode.SLIDER

    def _preferences(self) -> DevicePreferences | None:
        device = self.item
        return device.preferences if device else None

    @property
    def native_min_value(self) -> float:
        """Charge targets start at 10 %; battery limits at 0 %."""
        return 0.0 if self.entity_description.sets_minimum else MIN_CHARGE_TARGET

    @property
    def native_max_value(self) -> float:
        """Up to the device's state-of-charge limit when it has one."""
        device = self.item
        if device is not None and device.upper_soc_limit:
            return float(device.upper_soc_limit)
        return 100.0

    @property
    def extra_state_attributes(self) -> dict[str, float | None] | None:
        """Each covered day's own value, should the days differ (set in the supplier's app)."""
        preferences = self._preferences()
        if preferences is None:
            return None
        return {
            day.lower(): schedule.min if self.entity_description.sets_minimum else schedule.max
            for day in self.entity_description.days
            if (schedule := preferences.schedule(day)) is not None
        }

    @property
    def native_value(self) -> float | None:
        """The value of the first day the number covers."""
        preferences = self._preferences()
        schedule = preferences.schedule(self.entity_description.days[0]) if preferences else None
        if schedule is None:
            return None
        return schedule.min if self.entity_description.sets_minimum else schedule.max

    async def async_set_native_value(self, value: float) -> None:
        """Set every day the number covers."""
        value = finite_value(value)
        preferences = self._preferences()
        if preferences is None:  # pragma: no cover - the entity is unavailable then
            return
        days = self.entity_description.days
        updated = (
            preferences.with_days(days, minimum=value)
            if self.entity_description.sets_minimum
            else preferences.with_days(days, maximum=value)
        )
        await self.async_command(self.coordinator.client.set_preferences(self.item_id, updated))
