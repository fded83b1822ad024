"""Sensors: account balance and status, and the rates and tariff of each meter point."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfEnergy, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import KrakenAccountCoordinator, KrakenConfigEntry
from .entity import (
    KrakenAccountEntity,
    KrakenMeterPointEntity,
    async_add_meter_point_entities,
)
from .model import Account, Fuel, MeterPoint, RateBand, RatePeriod, Tariff
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
        value_fn=lambda tariff, _rates: (
            tariff.standing_charge.inc_vat if tariff.standing_charge else None
        ),
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
