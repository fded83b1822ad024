"""Sensors: account, meter point rates and tariffs, smart devices, Easee chargers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api.easee import (
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
from .api.enode.models import PowerDeliveryState, VendorType
from .coordinator import KrakenAccountCoordinator, KrakenConfigEntry
from .easee import (
    EaseeChargerEntity,
    EaseeConfigEntry,
    async_add_charger_entities,
    easee_entry,
)
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry
from .entity import (
    KrakenAccountEntity,
    KrakenDeviceEntity,
    KrakenMeterPointEntity,
    async_add_device_entities,
    async_add_meter_point_entities,
)
from .model import (
    Account,
    BatteryStatus,
    ChargerOpMode,
    Device,
    Dispatch,
    Fuel,
    MeterPoint,
    RateBand,
    RatePeriod,
    Readings,
    SiteTelemetry,
    SmartFlexData,
    Tariff,
)
from .rates import RateSnapshot

PARALLEL_UPDATES = 0

# Kraken's account statuses (AccountStatus); anything else shows as unknown.
ACCOUNT_STATUSES = [
    "active",
    "dormant",
    "enrolment_error",
    "enrolment_rejected",
    "incomplete",
    "pending",
    "void",
    "withdrawn",
]


@dataclass(frozen=True, kw_only=True)
class KrakenAccountSensorDescription(SensorEntityDescription):
    """An account sensor, read from the account."""

    value_fn: Callable[[Account], float | str | date | None]


def _status(account: Account) -> str | None:
    status = (account.status or "").lower()
    return status if status in ACCOUNT_STATUSES else None


ACCOUNT_SENSORS: tuple[KrakenAccountSensorDescription, ...] = (
    KrakenAccountSensorDescription(
        key="balance",
        translation_key="balance",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=2,
        value_fn=lambda account: account.balance,
    ),
    KrakenAccountSensorDescription(
        key="account_status",
        translation_key="account_status",
        device_class=SensorDeviceClass.ENUM,
        options=ACCOUNT_STATUSES,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_status,
    ),
    KrakenAccountSensorDescription(
        key="next_billing_date",
        translation_key="next_billing_date",
        device_class=SensorDeviceClass.DATE,
        value_fn=lambda account: account.next_billing_date,
    ),
)


@dataclass(frozen=True, kw_only=True)
class KrakenRateSensorDescription(SensorEntityDescription):
    """A meter point sensor, read from its tariff and the rates around now."""

    value_fn: Callable[[Tariff, RateSnapshot], float | str | None]
    period_fn: Callable[[RateSnapshot], RatePeriod | None] | None = None
    exists_fn: Callable[[MeterPoint], bool] = lambda point: True
    unit: str = UnitOfEnergy.KILO_WATT_HOUR


def _is_electricity(point: MeterPoint) -> bool:
    return point.fuel is Fuel.ELECTRICITY


def _price(period: RatePeriod | None) -> float | None:
    return period.price.inc_vat if period else None


RATE_SENSORS: tuple[KrakenRateSensorDescription, ...] = (
    KrakenRateSensorDescription(
        key="current_rate",
        translation_key="current_rate",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=4,
        value_fn=lambda _tariff, rates: _price(rates.current),
        period_fn=lambda rates: rates.current,
    ),
    KrakenRateSensorDescription(
        key="next_rate",
        translation_key="next_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: _price(rates.next),
        period_fn=lambda rates: rates.next,
    ),
    KrakenRateSensorDescription(
        key="previous_rate",
        translation_key="previous_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: _price(rates.previous),
        period_fn=lambda rates: rates.previous,
    ),
    KrakenRateSensorDescription(
        key="today_min_rate",
        translation_key="today_min_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: rates.today_min,
    ),
    KrakenRateSensorDescription(
        key="today_max_rate",
        translation_key="today_max_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: rates.today_max,
    ),
    KrakenRateSensorDescription(
        key="today_average_rate",
        translation_key="today_average_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: rates.today_average,
    ),
    KrakenRateSensorDescription(
        key="standing_charge",
        translation_key="standing_charge",
        suggested_display_precision=4,
        unit=UnitOfTime.DAYS,
        value_fn=lambda tariff, _rates: daily_standing_charge(tariff),
    ),
    KrakenRateSensorDescription(
        key="tariff",
        translation_key="tariff",
        unit="",
        value_fn=lambda tariff, _rates: tariff.name,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's sensors and those of every meter point it lists, now and later."""
    if (easee := easee_entry(entry)) is not None:
        _async_setup_easee(easee, async_add_entities)
        return
    if (enode := enode_entry(entry)) is not None:
        coordinator_enode = enode.runtime_data.coordinator
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: [
                *(
                    (description.key, EnodeSensor(coordinator_enode, description, device))
                    for description in ENODE_SENSORS
                    if kind in description.kinds and description.exists_fn(device)
                ),
                *(
                    (
                        description.key,
                        EnodeReadingSensor(coordinator_enode, description, device),
                    )
                    for description in reading_sensors(device.readings)
                ),
            ],
        )
        return
    coordinator = entry.runtime_data.account
    async_add_entities(
        KrakenAccountSensor(coordinator, description) for description in ACCOUNT_SENSORS
    )
    async_add_meter_point_entities(
        entry,
        async_add_entities,
        lambda point: [
            KrakenRateSensor(coordinator, description, point)
            for description in RATE_SENSORS
            if description.exists_fn(point)
        ],
    )
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: [
            *(
                KrakenDeviceSensor(devices, description, device)
                for description in (*DEVICE_SENSORS, *_zone_temperatures(device))
                if description.exists_fn(device)
            ),
            *(
                SmartFlexReadingSensor(devices, description, device)
                for description in reading_sensors(devices.data.readings(device, dt_util.utcnow()))
            ),
        ],
    )


class KrakenAccountSensor(KrakenAccountEntity, SensorEntity):
    """A sensor of the account device."""

    entity_description: KrakenAccountSensorDescription

    def __init__(
        self,
        coordinator: KrakenAccountCoordinator,
        description: KrakenAccountSensorDescription,
    ) -> None:
        super().__init__(coordinator, description)
        if description.device_class is SensorDeviceClass.MONETARY:
            self._attr_native_unit_of_measurement = coordinator.currency

    @property
    def native_value(self) -> float | str | date | None:
        """The value read from the account."""
        return self.entity_description.value_fn(self.account)


# A standing charge per month, per day: twelve months over a mean year.
DAYS_PER_MONTH = 365.25 / 12


def daily_standing_charge(tariff: Tariff) -> float | None:
    """The standing charge per day, inc. VAT, whatever period the supplier states it per."""
    if tariff.standing_charge is None:
        return None
    charge = tariff.standing_charge.inc_vat
    return charge / DAYS_PER_MONTH if tariff.standing_charge_per == "month" else charge


class KrakenRateSensor(KrakenMeterPointEntity, SensorEntity):
    """A rate, standing charge or tariff of a meter point."""

    entity_description: KrakenRateSensorDescription

    def __init__(
        self,
        coordinator: KrakenAccountCoordinator,
        description: KrakenRateSensorDescription,
        point: MeterPoint,
    ) -> None:
        super().__init__(coordinator, description, point)
        if description.unit:
            self._attr_native_unit_of_measurement = f"{coordinator.currency}/{description.unit}"

    @property
    def native_value(self) -> float | str | None:
        """The value at this moment."""
        tariff = self.tariff
        rates = self.rate_snapshot()
        if tariff is None or rates is None:
            return None
        return self.entity_description.value_fn(tariff, rates)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """When the shown rate starts and ends, or which tariff codes apply."""
        if self.entity_description.key == "standing_charge":
            tariff = self.tariff
            if tariff is None or tariff.standing_charge is None:
                return None
            # The German instance bills per month: that figure too, as the supplier states it.
            if tariff.standing_charge_per == "month":
                return {
                    "per_month": tariff.standing_charge.inc_vat,
                    "per_month_ex_vat": tariff.standing_charge.ex_vat,
                }
            return None
        if self.entity_description.key == "tariff":
            tariff = self.tariff
            if tariff is None:
                return None
            return {"tariff_code": tariff.tariff_code, "product_code": tariff.product_code}
        period_fn = self.entity_description.period_fn
        rates = self.rate_snapshot()
        if period_fn is None or rates is None:
            return None
        period = period_fn(rates)
        if period is None or period.band is RateBand.STANDARD:
            # A single rate has no start or end worth showing.
            return None
        return {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "price_ex_vat": period.price.ex_vat,
        }


SMARTFLEX_STATES = [
    "authentication_pending",
    "authentication_complete",
    "authentication_failed",
    "test_charge_in_progress",
    "test_charge_failed",
    "test_charge_not_available",
    "setup_complete",
    "smart_control_capable",
    "smart_control_in_progress",
    "smart_control_not_available",
    "smart_control_off",
    "boosting",
    "lost_connection",
    "retired",
]


def _enum_value(value: str | None, options: list[str]) -> str | None:
    lowered = (value or "").lower()
    return lowered if lowered in options else None


@dataclass(frozen=True, kw_only=True)
class KrakenDeviceSensorDescription(SensorEntityDescription):
    """A smart device sensor, read from the device and the account's dispatches."""

    value_fn: Callable[[Device, SmartFlexData, datetime], StateType | datetime]
    exists_fn: Callable[[Device], bool] = lambda device: True


def _next_dispatch(device: Device, data: SmartFlexData, now: datetime) -> Dispatch | None:
    return data.next_dispatch_for(device, now)


def _telemetry(read: Callable[[SiteTelemetry], float | None]) -> Callable[..., float | None]:
    def value(device: Device, _data: SmartFlexData, _now: datetime) -> float | None:
        return read(device.telemetry) if device.telemetry else None

    return value


def _has_telemetry(device: Device) -> bool:
    return device.telemetry is not None


DEVICE_SENSORS: tuple[KrakenDeviceSensorDescription, ...] = (
    KrakenDeviceSensorDescription(
        key="smartflex_state",
        translation_key="smartflex_state",
        device_class=SensorDeviceClass.ENUM,
        options=SMARTFLEX_STATES,
        value_fn=lambda device, _data, _now: _enum_value(device.state, SMARTFLEX_STATES),
    ),
    KrakenDeviceSensorDescription(
        key="next_dispatch_start",
        translation_key="next_dispatch_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        exists_fn=lambda device: device.charges_vehicles,
        value_fn=lambda device, data, now: (
            dispatch.start if (dispatch := _next_dispatch(device, data, now)) else None
        ),
    ),
    KrakenDeviceSensorDescription(
        key="next_dispatch_end",
        translation_key="next_dispatch_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        exists_fn=lambda device: device.charges_vehicles,
        value_fn=lambda device, data, now: (
            dispatch.end if (dispatch := _next_dispatch(device, data, now)) else None
        ),
    ),
    *(
        KrakenDeviceSensorDescription(
            key=key,
            translation_key=key,
            device_class=SensorDeviceClass.POWER,
            native_unit_of_measurement=UnitOfPower.KILO_WATT,
            state_class=SensorStateClass.MEASUREMENT,
            suggested_display_precision=2,
            exists_fn=_has_telemetry,
            value_fn=_telemetry(read),
        )
        for key, read in (
            ("inverter_power", lambda t: t.inverter_power),
            ("site_consumption", lambda t: t.site_consumption),
            ("site_export", lambda t: t.site_export),
        )
    ),
)


def _zone_temperatures(device: Device) -> list[KrakenDeviceSensorDescription]:
    """One temperature sensor per zone a heat pump reports (a zone, the hot water tank)."""
    if device.heat_pump is None:
        return []

    def reader(zone: str) -> Callable[[Device, SmartFlexData, datetime], float | None]:
        def value(device: Device, _data: SmartFlexData, _now: datetime) -> float | None:
            zones = dict(device.heat_pump.zone_temperatures) if device.heat_pump else {}
            return zones.get(zone)

        return value

    return [
        KrakenDeviceSensorDescription(
            key=f"temperature_{zone.lower()}",
            translation_key="water_temperature" if zone == "WATER" else "zone_temperature",
            translation_placeholders={"zone": zone.replace("_", " ").title()},
            device_class=SensorDeviceClass.TEMPERATURE,
            native_unit_of_measurement=UnitOfTemperature.CELSIUS,
            state_class=SensorStateClass.MEASUREMENT,
            value_fn=reader(zone),
        )
        for zone, _value in device.heat_pump.zone_temperatures
    ]


class KrakenDeviceSensor(KrakenDeviceEntity, SensorEntity):
    """A sensor of a SmartFlex device."""

    entity_description: KrakenDeviceSensorDescription

    @property
    def native_value(self) -> StateType | datetime:
        """The value at this moment."""
        device = self.device
        data: SmartFlexData | None = self.coordinator.data
        if device is None or data is None:
            return None
        return self.entity_description.value_fn(device, data, dt_util.utcnow())


@dataclass(frozen=True, kw_only=True)
class EaseeSensorDescription(SensorEntityDescription):
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
        value_fn=_state_value(lambda state: state.voltage),
    ),
    EaseeSensorDescription(
        key="output_phase",
        translation_key="output_phase",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeOutputPhase.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_state_value(lambda state: _key(state.output_phase)),
    ),
    EaseeSensorDescription(
        key="phase_mode",
        translation_key="phase_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseePhaseMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_config_value(lambda config: _key(config.phase_mode)),
    ),
    EaseeSensorDescription(
        key="pilot_mode",
        translation_key="pilot_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseePilotMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_state_value(lambda state: _key(state.pilot_mode)),
    ),
    EaseeSensorDescription(
        key="led_mode",
        translation_key="led_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeLedMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_state_value(lambda state: _key(state.led_mode)),
    ),
    EaseeSensorDescription(
        key="offline_charging_mode",
        translation_key="offline_charging_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(EaseeOfflineChargingMode.keys()),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_config_value(lambda config: _key(config.offline_charging_mode)),
    ),
)


@callback
def _async_setup_easee(
    entry: EaseeConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    coordinator = entry.runtime_data.coordinator
    async_add_charger_entities(
        entry,
        async_add_entities,
        lambda charger: [
            *(
                EaseeChargerSensor(coordinator, description, charger)
                for description in EASEE_SENSORS
            ),
            *(
                EaseeReadingSensor(coordinator, description, charger)
                for description in reading_sensors(charger.readings)
            ),
        ],
    )


class EaseeChargerSensor(EaseeChargerEntity, SensorEntity):
    """A sensor of an Easee charger."""

    entity_description: EaseeSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value as last fetched."""
        charger = self.charger
        return self.entity_description.value_fn(charger) if charger else None


POWER_DELIVERY_STATES = [state.value.lower().replace(":", "_") for state in PowerDeliveryState]


def _power_delivery(device: Any) -> str | None:
    state = device.power_delivery_state
    return state.value.lower().replace(":", "_") if state is not None else None


@dataclass(frozen=True, kw_only=True)
class EnodeSensorDescription(SensorEntityDescription):
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
        value_fn=lambda device: device.discharge_limit,
    ),
    EnodeSensorDescription(
        key="battery_capacity",
        translation_key="battery_capacity",
        kinds=_BATTERY,
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        entity_category=EntityCategory.DIAGNOSTIC,
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


class EnodeSensor(EnodeDeviceEntity, SensorEntity):
    """A sensor of an Enode device."""

    entity_description: EnodeSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value as last fetched."""
        device = self.device
        return self.entity_description.value_fn(device) if device is not None else None


@dataclass(frozen=True, kw_only=True)
class ReadingSensorDescription(SensorEntityDescription):
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


def reading_sensors(readings: Readings | None) -> list[ReadingSensorDescription]:
    """The shared sensors a device's readings support (the key names the field)."""
    supported = readings.supported if readings is not None else frozenset()
    return [description for description in READING_SENSORS if description.key in supported]


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


class SmartFlexReadingSensor(KrakenDeviceEntity, ReadingSensor):
    """A shared sensor of a SmartFlex device."""


class EaseeReadingSensor(EaseeChargerEntity, ReadingSensor):
    """A shared sensor of an Easee charger."""


class EnodeReadingSensor(EnodeDeviceEntity, ReadingSensor):
    """A shared sensor of an Enode device."""
