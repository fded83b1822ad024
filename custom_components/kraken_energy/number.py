"""Numbers: SmartFlex charge targets and battery limits; Easee charger currents."""

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
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfElectricCurrent
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.easee import EaseeCharger, EaseeClient
from .api.enode import EnodeClient
from .api.enode.models import VendorType
from .coordinator import KrakenConfigEntry
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry
from .entity import (
    SET_PREFERENCES,
    KrakenDeviceEntity,
    async_add_device_entities,
    finite_value,
)
from .model import WEEKDAYS, WEEKEND, Device, DeviceKind, DevicePreferences

PARALLEL_UPDATES = 1

# Octopus accepts charge targets from 10 % in steps of 5 %.
MIN_CHARGE_TARGET = 10.0


@dataclass(frozen=True, kw_only=True)
class KrakenNumberDescription(NumberEntityDescription):
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


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the preference numbers of every smart device that has schedules."""
    if (enode := enode_entry(entry)) is not None:
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: [
                (description.key, EnodeNumber(enode.runtime_data.coordinator, description, device))
                for description in ENODE_NUMBERS
                if kind in description.kinds and description.exists_fn(device)
            ],
        )
        return
    if (easee := easee_entry(entry)) is not None:
        async_add_charger_entities(
            easee,
            async_add_entities,
            lambda charger: [
                EaseeCurrentNumber(easee.runtime_data.coordinator, description, charger)
                for description in EASEE_NUMBERS
            ],
        )
        return
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: [
            KrakenPreferenceNumber(devices, description, device)
            for description in NUMBERS
            if description.exists_fn(device) and devices.client.can(SET_PREFERENCES)
        ],
    )


class KrakenPreferenceNumber(KrakenDeviceEntity, NumberEntity):
    """A percentage in a device's schedules, bounded by what the device allows."""

    entity_description: KrakenNumberDescription
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_native_step = 5.0
    _attr_mode = NumberMode.SLIDER

    def _preferences(self) -> DevicePreferences | None:
        device = self.device
        return device.preferences if device else None

    @property
    def native_min_value(self) -> float:
        """Charge targets start at 10 %; battery limits at 0 %."""
        return 0.0 if self.entity_description.sets_minimum else MIN_CHARGE_TARGET

    @property
    def native_max_value(self) -> float:
        """Up to the device's state-of-charge limit when it has one."""
        device = self.device
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
        await self.async_command(self.coordinator.client.set_preferences(self.device_id, updated))


# Easee chargers deliver 6 A to 32 A per phase; below 6 A a car does not charge (0 pauses).
EASEE_MIN_CURRENT = 6.0
EASEE_MAX_CURRENT = 32.0


@dataclass(frozen=True, kw_only=True)
class EaseeNumberDescription(NumberEntityDescription):
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
        minimum=EASEE_MIN_CURRENT,
        entity_category=EntityCategory.CONFIG,
        value_fn=lambda charger: charger.max_charger_current,
        set_fn=lambda client, charger_id, value: client.set_max_charger_current(charger_id, value),
    ),
)


class EaseeCurrentNumber(EaseeChargerEntity, NumberEntity):
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
        return EASEE_MAX_CURRENT

    @property
    def native_value(self) -> float | None:
        """The limit as last fetched."""
        charger = self.charger
        return self.entity_description.value_fn(charger) if charger else None

    async def async_set_native_value(self, value: float) -> None:
        """Set the limit."""
        value = finite_value(value)
        await self.async_command(
            self.entity_description.set_fn(self.coordinator.client, self.charger_id, value)
        )


@dataclass(frozen=True, kw_only=True)
class EnodeNumberDescription(NumberEntityDescription):
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
        native_min_value=EASEE_MIN_CURRENT,
        native_max_value=EASEE_MAX_CURRENT,
        native_step=1,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        device_class=NumberDeviceClass.CURRENT,
        exists_fn=lambda device: device.capabilities.set_max_current.is_capable,
        value_fn=lambda device: device.max_current,
        set_fn=lambda client, device_id, value: client.set_charger_max_current(device_id, value),
    ),
)


class EnodeNumber(EnodeDeviceEntity, NumberEntity):
    """A setting of an Enode vehicle or charger."""

    entity_description: EnodeNumberDescription
    _attr_mode = NumberMode.SLIDER

    @property
    def native_max_value(self) -> float:
        """The highest value the device takes now."""
        device = self.device
        max_fn = self.entity_description.max_fn
        if max_fn is not None and device is not None:
            return float(max_fn(device))
        return super().native_max_value

    @property
    def native_value(self) -> float | None:
        """The value as last fetched."""
        device = self.device
        return self.entity_description.value_fn(device) if device is not None else None

    async def async_set_native_value(self, value: float) -> None:
        """Set it on the device."""
        value = finite_value(value)
        await self.async_control(
            self.entity_description.set_fn(self.coordinator.client, self.device_id, value)
        )
