"""Sensors of Easee chargers: native status and reason, energy, current, voltage, modes."""

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
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
)
from homeassistant.helpers.typing import StateType

from ...api.easee import (
    EaseeCharger,
    EaseeCode,
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)
from ...entity import ItemEntityDescription, plan
from ...readings import ReadingSensor, ReadingSensorDescription, reading_sensors
from .entity import EaseeEntity, charger_platform
from .readings import charger_readings


@dataclass(frozen=True, kw_only=True)
class EaseeSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """An Easee charger sensor."""

    value_fn: Callable[[EaseeCharger], StateType]


def _key(code: EaseeCode | EaseePilotMode | None) -> str | None:
    # Codes are compared with None: several enumerations have a meaningful code 0 (falsy).
    return code.key if code is not None else None


def _state_value[T](read: Callable[[Any], T]) -> Callable[[EaseeCharger], T | None]:
    def value(charger: EaseeCharger) -> T | None:
        return read(charger.state) if charger.state else None

    return value


def _config_value[T](read: Callable[[Any], T]) -> Callable[[EaseeCharger], T | None]:
    def value(charger: EaseeCharger) -> T | None:
        return read(charger.config) if charger.config else None

    return value


EASEE_SENSORS: tuple[EaseeSensorDescription, ...] = (
    EaseeSensorDescription(
        key="easee_op_mode",
        translation_key="easee_op_mode",
        available_offline=True,
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeOpMode.keys()),
        value_fn=_state_value(lambda state: _key(state.easee_op_mode)),
    ),
    EaseeSensorDescription(
        key="reason_for_no_current",
        translation_key="reason_for_no_current",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeReasonForNoCurrent.keys()),
        value_fn=_state_value(lambda state: _key(state.reason_for_no_current)),
    ),
    EaseeSensorDescription(
        key="session_energy",
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        value_fn=_state_value(lambda state: state.session_energy),
    ),
    EaseeSensorDescription(
        key="lifetime_energy",
        translation_key="lifetime_energy",
        available_offline=True,
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        value_fn=_state_value(lambda state: state.lifetime_energy),
    ),
    EaseeSensorDescription(
        key="current",
        translation_key="charger_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_state_value(lambda state: state.output_current),
    ),
    EaseeSensorDescription(
        key="voltage",
        translation_key="charger_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_state_value(lambda state: state.voltage),
    ),
    EaseeSensorDescription(
        key="output_phase",
        translation_key="output_phase",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeOutputPhase.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_state_value(lambda state: _key(state.output_phase)),
    ),
    EaseeSensorDescription(
        key="phase_mode",
        translation_key="phase_mode",
        available_offline=True,
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseePhaseMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_config_value(lambda config: _key(config.phase_mode)),
    ),
    EaseeSensorDescription(
        key="pilot_mode",
        translation_key="pilot_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseePilotMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_state_value(lambda state: _key(state.pilot_mode)),
    ),
    EaseeSensorDescription(
        key="led_mode",
        translation_key="led_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeLedMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_state_value(lambda state: _key(state.led_mode)),
    ),
    EaseeSensorDescription(
        key="offline_charging_mode",
        translation_key="offline_charging_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeOfflineChargingMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_config_value(lambda config: _key(config.offline_charging_mode)),
    ),
)


async_setup_entry = charger_platform(
    lambda coordinator, charger: [
        *(
            plan(EaseeChargerSensor, coordinator, description, charger)
            for description in EASEE_SENSORS
        ),
        *(
            plan(EaseeReadingSensor, coordinator, description, charger)
            for description in reading_sensors(charger_readings(charger))
        ),
    ]
)


class EaseeChargerSensor(EaseeEntity, SensorEntity):
    """A sensor of an Easee charger."""

    entity_description: EaseeSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value as last fetched."""
        charger = self.item
        return self.entity_description.value_fn(charger) if charger else None


class EaseeReadingSensor(EaseeEntity, ReadingSensor):
    """A shared sensor of an Easee charger."""

    entity_description: ReadingSensorDescription
