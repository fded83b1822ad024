"""The provider-neutral vocabulary every provider maps its devices into.

`Readings` says what a device reports in one vocabulary (charging state, battery, solar and
grid power, connectivity); each provider package fills it from its client's own models. The
shared sensors and binary sensors below are written once against it and read nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfPower
from homeassistant.helpers.typing import StateType

from .entity import ItemEntityDescription


class ChargerOpMode(StrEnum):
    """The canonical charging state of every provider (Easee's Op Mode, seed 004)."""

    DISCONNECTED = "disconnected"
    AWAITING_START = "awaiting_start"
    CHARGING = "charging"
    COMPLETED = "completed"
    ERROR = "error"
    READY_TO_CHARGE = "ready_to_charge"


class BatteryStatus(StrEnum):
    """What a home battery is doing."""

    CHARGING = "charging"
    DISCHARGING = "discharging"
    IDLE = "idle"
    FAULT = "fault"


def battery_status(power_kw: float | None, *, online: bool = True) -> BatteryStatus | None:
    """Charging, discharging or idle from signed battery power (+ charging)."""
    if not online:
        return BatteryStatus.FAULT
    if power_kw is None:
        return None
    if power_kw > 0.01:
        return BatteryStatus.CHARGING
    if power_kw < -0.01:
        return BatteryStatus.DISCHARGING
    return BatteryStatus.IDLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Readings:
    """What any provider says about a device, in one vocabulary.

    Each provider fills what it knows; `supported` names the fields a device has at all, so
    entities exist for those even while a value is momentarily unknown (None). Powers are kW
    (battery power + while charging, grid power + while importing); levels are percentages.
    """

    supported: frozenset[str]
    op_mode: ChargerOpMode | None = None
    plugged_in: bool | None = None
    charging: bool | None = None
    charging_power: float | None = None
    battery_level: float | None = None
    battery_power: float | None = None
    battery_status: BatteryStatus | None = None
    solar_power: float | None = None
    grid_power: float | None = None
    online: bool | None = None

    @classmethod
    def of(cls, **values: Any) -> Readings:
        """Readings whose supported fields are the ones given (even when given as None)."""
        return cls(supported=frozenset(values), **values)


@dataclass(frozen=True, kw_only=True)
class ReadingSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """A sensor every provider fills from the provider-neutral `Readings`."""

    value_fn: Callable[[Readings], StateType]


READING_SENSORS: tuple[ReadingSensorDescription, ...] = (
    ReadingSensorDescription(
        key="op_mode",
        translation_key="op_mode",
        device_class=SensorDeviceClass.ENUM,
        options=[mode.value for mode in ChargerOpMode],
        value_fn=lambda readings: readings.op_mode,
    ),
    ReadingSensorDescription(
        key="charging_power",
        translation_key="charging_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda readings: readings.charging_power,
    ),
    ReadingSensorDescription(
        key="battery_level",
        translation_key="battery_level",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        # Vehicles report whole percent, some batteries two decimals: one look for both.
        suggested_display_precision=0,
        value_fn=lambda readings: readings.battery_level,
    ),
    ReadingSensorDescription(
        key="battery_power",
        translation_key="battery_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda readings: readings.battery_power,
    ),
    ReadingSensorDescription(
        key="battery_status",
        translation_key="battery_status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in BatteryStatus],
        value_fn=lambda readings: readings.battery_status,
    ),
    ReadingSensorDescription(
        key="solar_power",
        translation_key="solar_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda readings: readings.solar_power,
    ),
    ReadingSensorDescription(
        key="grid_power",
        translation_key="grid_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda readings: readings.grid_power,
    ),
)


@dataclass(frozen=True, kw_only=True)
class ReadingBinarySensorDescription(BinarySensorEntityDescription, ItemEntityDescription):
    """A binary sensor every provider fills from the provider-neutral `Readings`."""

    is_on_fn: Callable[[Readings], bool | None]


READING_BINARY_SENSORS: tuple[ReadingBinarySensorDescription, ...] = (
    ReadingBinarySensorDescription(
        key="plugged_in",
        translation_key="plugged_in",
        device_class=BinarySensorDeviceClass.PLUG,
        is_on_fn=lambda readings: readings.plugged_in,
    ),
    ReadingBinarySensorDescription(
        key="charging",
        translation_key="charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        is_on_fn=lambda readings: readings.charging,
    ),
    ReadingBinarySensorDescription(
        key="online",
        translation_key="online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        # An offline device's other entities go unavailable; this one says why.
        available_offline=True,
        is_on_fn=lambda readings: readings.online,
    ),
)


def reading_sensors(readings: Readings | None) -> list[ReadingSensorDescription]:
    """The shared sensors a device's readings support (the key names the field)."""
    supported = readings.supported if readings is not None else frozenset()
    return [description for description in READING_SENSORS if description.key in supported]


def reading_binary_sensors(readings: Readings | None) -> list[ReadingBinarySensorDescription]:
    """The shared binary sensors a device's readings support (the key names the field)."""
    supported = readings.supported if readings is not None else frozenset()
    return [description for description in READING_BINARY_SENSORS if description.key in supported]


class ReadingSensor(SensorEntity):
    """A shared sensor; the provider's entity base supplies `readings`."""

    entity_description: ReadingSensorDescription

    @property
    def readings(self) -> Readings | None:
        """The device's readings (given by the provider's entity base)."""
        raise NotImplementedError

    @property
    def native_value(self) -> StateType:
        """The reading now."""
        readings = self.readings
        return self.entity_description.value_fn(readings) if readings is not None else None


class ReadingBinarySensor(BinarySensorEntity):
    """A shared binary sensor; the provider's entity base supplies `readings`."""

    entity_description: ReadingBinarySensorDescription

    @property
    def readings(self) -> Readings | None:
        """The device's readings (given by the provider's entity base)."""
        raise NotImplementedError

    @property
    def is_on(self) -> bool | None:
        """The reading now."""
        readings = self.readings
        return self.entity_description.is_on_fn(readings) if readings is not None else None
