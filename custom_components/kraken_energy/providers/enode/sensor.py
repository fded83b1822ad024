"""Sensors of Enode devices: range, charge time and limit, odometer, battery, production."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfEnergy, UnitOfLength, UnitOfTime
from homeassistant.helpers.typing import StateType

from ...api.enode.models import PowerDeliveryState, VendorType
from ...entity import ItemEntityDescription, plan
from ...readings import ReadingSensor, ReadingSensorDescription, reading_sensors
from .entity import EnodeEntity, device_platform

POWER_DELIVERY_STATES = [state.value.lower().replace(":", "_") for state in PowerDeliveryState]


def _power_delivery(device: Any) -> str | None:
    state = device.power_delivery_state
    return state.value.lower().replace(":", "_") if state is not None else None


@dataclass(frozen=True, kw_only=True)
class EnodeSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """An Enode device sensor, for the device kinds that have it."""

    kinds: frozenset[VendorType]
    value_fn: Callable[[Any], StateType]
    exists_fn: Callable[[Any], bool] = lambda device: True


_VEHICLE = frozenset({VendorType.VEHICLE})
_CHARGING = frozenset({VendorType.VEHICLE, VendorType.CHARGER})
_BATTERY = frozenset({VendorType.BATTERY})

ENODE_SENSORS: tuple[EnodeSensorDescription, ...] = (
    EnodeSensorDescription(
        key="range",
        translation_key="vehicle_range",
        kinds=_VEHICLE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda device: device.range,
    ),
    EnodeSensorDescription(
        key="charge_time_remaining",
        translation_key="charge_time_remaining",
        kinds=_VEHICLE,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        value_fn=lambda device: device.charge_time_remaining,
    ),
    EnodeSensorDescription(
        key="charge_limit",
        translation_key="charge_limit",
        kinds=_VEHICLE,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda device: device.charge_limit,
    ),
    EnodeSensorDescription(
        key="odometer",
        translation_key="odometer",
        kinds=_VEHICLE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        exists_fn=lambda device: device.capabilities.odometer.is_capable,
        value_fn=lambda device: device.odometer,
    ),
    EnodeSensorDescription(
        key="power_delivery_state",
        translation_key="power_delivery_state",
        kinds=_CHARGING,
        device_class=SensorDeviceClass.ENUM,
        options=POWER_DELIVERY_STATES,
        value_fn=_power_delivery,
    ),
    EnodeSensorDescription(
        key="battery_reserve",
        translation_key="battery_reserve",
        kinds=_BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda device: device.discharge_limit,
    ),
    EnodeSensorDescription(
        key="battery_capacity",
        translation_key="battery_capacity",
        kinds=_BATTERY,
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda device: device.battery_capacity,
    ),
    EnodeSensorDescription(
        key="lifetime_production",
        translation_key="lifetime_production",
        kinds=frozenset({VendorType.INVERTER}),
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        value_fn=lambda device: device.total_lifetime_production,
    ),
)


async_setup_entry = device_platform(
    lambda coordinator, kind, device: [
        *(
            plan(EnodeSensor, coordinator, description, device)
            for description in ENODE_SENSORS
            if kind in description.kinds and description.exists_fn(device)
        ),
        *(
            plan(EnodeReadingSensor, coordinator, description, device)
            for description in reading_sensors(coordinator.data.readings_of(device))
        ),
    ]
)


class EnodeSensor(EnodeEntity, SensorEntity):
    """A sensor of an Enode device."""

    entity_description: EnodeSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value as last fetched."""
        device = self.item
        return self.entity_description.value_fn(device) if device is not None else None


class EnodeReadingSensor(EnodeEntity, ReadingSensor):
    """A shared sensor of an Enode device."""

    entity_description: ReadingSensorDescription
