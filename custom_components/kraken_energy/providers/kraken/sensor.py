"""Sensors of a Kraken account: balance, rates and tariffs, SmartFlex devices."""

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
    EntityCategory,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from ...api.kraken.models import (
    Account,
    Device,
    Dispatch,
    Fuel,
    MeterPoint,
    RateBand,
    RatePeriod,
    SiteTelemetry,
    SmartFlexData,
    Tariff,
)
from ...entity import ItemEntityDescription, plan
from ...readings import ReadingSensor, ReadingSensorDescription, reading_sensors
from .coordinator import KrakenAccountCoordinator, KrakenConfigEntry
from .entity import (
    KrakenAccountEntity,
    KrakenDeviceEntity,
    KrakenMeterPointEntity,
    async_add_device_entities,
    async_add_meter_point_entities,
)
from .heat_pump import async_add_heat_pump_sensors
from .live_meter_sensor import async_add_live_meter_sensors
from .rates import RateSnapshot
from .readings import smartflex_readings

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
class KrakenAccountSensorDescription(SensorEntityDescription, ItemEntityDescription):
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


# A standing charge per month, per day: twelve months over a mean year.
DAYS_PER_MONTH = 365.25 / 12


def daily_standing_charge(tariff: Tariff) -> float | None:
    """The standing charge per day, inc. VAT, whatever period the supplier states it per."""
    if tariff.standing_charge is None:
        return None
    charge = tariff.standing_charge.inc_vat
    return charge / DAYS_PER_MONTH if tariff.standing_charge_per == "month" else charge


@dataclass(frozen=True, kw_only=True)
class KrakenRateSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """A meter point sensor, read from its tariff and the rates around now."""

    value_fn: Callable[[Tariff, RateSnapshot], float | str | None]
    attributes_fn: Callable[[Tariff, RateSnapshot], dict[str, Any] | None] = (
        lambda _tariff, _rates: None
    )
    exists_fn: Callable[[MeterPoint], bool] = lambda point: True
    unit: str = UnitOfEnergy.KILO_WATT_HOUR


def _is_electricity(point: MeterPoint) -> bool:
    return point.fuel is Fuel.ELECTRICITY


def _price(period: RatePeriod | None) -> float | None:
    return period.price.inc_vat if period else None


def price_text(price: float | None) -> str | None:
    """A price per kWh as text with at least four decimals ("0.1478").

    Home Assistant's UI rounds a numeric attribute to two decimals (0.15), too coarse for a
    price per kWh; text it shows as given. Templates read it with `| float`.
    """
    if price is None:
        return None
    digits = f"{price:.6f}".rstrip("0")
    whole, _, decimals = digits.partition(".")
    return f"{whole}.{decimals.ljust(4, '0')}"


def _period(
    pick: Callable[[RateSnapshot], RatePeriod | None],
) -> Callable[[Tariff, RateSnapshot], dict[str, Any] | None]:
    """When the shown rate starts and ends, and its price without VAT."""

    def attributes(_tariff: Tariff, rates: RateSnapshot) -> dict[str, Any] | None:
        period = pick(rates)
        if period is None or period.band is RateBand.STANDARD:
            # A single rate has no start or end worth showing.
            return None
        return {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "price_ex_vat": price_text(period.price.ex_vat),
        }

    return attributes


def _monthly_standing_charge(tariff: Tariff, _rates: RateSnapshot) -> dict[str, Any] | None:
    """The German instance bills per month: that figure too, as the supplier states it."""
    if tariff.standing_charge is None or tariff.standing_charge_per != "month":
        return None
    return {
        "per_month": tariff.standing_charge.inc_vat,
        "per_month_ex_vat": tariff.standing_charge.ex_vat,
    }


def _tariff_codes(tariff: Tariff, _rates: RateSnapshot) -> dict[str, Any]:
    """Which tariff and product codes apply."""
    return {"tariff_code": tariff.tariff_code, "product_code": tariff.product_code}


RATE_SENSORS: tuple[KrakenRateSensorDescription, ...] = (
    KrakenRateSensorDescription(
        key="current_rate",
        translation_key="current_rate",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=4,
        value_fn=lambda _tariff, rates: _price(rates.current),
        attributes_fn=_period(lambda rates: rates.current),
    ),
    KrakenRateSensorDescription(
        key="next_rate",
        translation_key="next_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: _price(rates.next),
        attributes_fn=_period(lambda rates: rates.next),
    ),
    KrakenRateSensorDescription(
        key="previous_rate",
        translation_key="previous_rate",
        suggested_display_precision=4,
        exists_fn=_is_electricity,
        value_fn=lambda _tariff, rates: _price(rates.previous),
        attributes_fn=_period(lambda rates: rates.previous),
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
        attributes_fn=_monthly_standing_charge,
    ),
    KrakenRateSensorDescription(
        key="tariff",
        translation_key="tariff",
        unit="",
        value_fn=lambda tariff, _rates: tariff.name,
        attributes_fn=_tariff_codes,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's sensors and those of every meter point and device, now and later."""
    coordinator = entry.runtime_data.account
    async_add_entities(
        KrakenAccountSensor(coordinator, description) for description in ACCOUNT_SENSORS
    )
    async_add_meter_point_entities(
        entry,
        async_add_entities,
        lambda point: [
            plan(KrakenRateSensor, coordinator, description, point)
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
                plan(KrakenDeviceSensor, devices, description, device)
                for description in (*DEVICE_SENSORS, *_zone_temperatures(device))
                if description.exists_fn(device)
            ),
            *(
                plan(SmartFlexReadingSensor, devices, description, device)
                for description in reading_sensors(
                    smartflex_readings(device, devices.data, dt_util.utcnow())
                )
            ),
        ],
    )
    async_add_live_meter_sensors(entry, async_add_entities)
    async_add_heat_pump_sensors(entry, async_add_entities)


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
        return self.entity_description.value_fn(self.item)


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
        """What the description adds to the value (a period's bounds, the tariff's codes)."""
        tariff = self.tariff
        rates = self.rate_snapshot()
        if tariff is None or rates is None:
            return None
        return self.entity_description.attributes_fn(tariff, rates)


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
class KrakenDeviceSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """A smart device sensor, read from the device and the account's dispatches."""

    value_fn: Callable[[Device, SmartFlexData, datetime], StateType | datetime]
    exists_fn: Callable[[Device], bool] = lambda device: True


def _next_dispatch(device: Device, data: SmartFlexData, now: datetime) -> Dispatch | None:
    # A running dispatch is the dispatching binary sensor's (its attributes give its window).
    return data.following_dispatch_for(device, now)


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
        return self.read_now(self.entity_description.value_fn)


class SmartFlexReadingSensor(KrakenDeviceEntity, ReadingSensor):
    """A shared sensor of a SmartFlex device."""

    entity_description: ReadingSensorDescription
