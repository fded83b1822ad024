"""Sensors of a smart meter's live data (Octopus Home Mini), on its meter point's device.

The Home Mini only relays what the meter measures, so its values belong to the meter point's
device (one device per supply, as the rates and tariff). They come with the device poll; a
meter whose live data never came back (no consumer device) gets none of them.

For the Energy dashboard the import and export meter readings are the counters to pick: the
meter's own registers never reset, so no energy is lost or counted twice across midnight.
"Consumption today" starts again at local midnight (a drop Home Assistant reads as a new
cycle) and is for cards and automations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy, UnitOfPower
from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from ...api.kraken.models import MeterPoint, SmartFlexData
from ...api.kraken.telemetry import DayTotals, LatestReading, MeterTelemetry
from ...entity import (
    ItemEntity,
    ItemEntityDescription,
    PlannedEntity,
    async_add_item_entities,
    plan,
)
from .coordinator import KrakenConfigEntry, KrakenDevicesCoordinator
from .entity import meter_point_device_info, meter_point_unique_prefix
from .live_meter import meter_point_of
from .rates import day_bounds


@dataclass(frozen=True, slots=True)
class LiveMeter:
    """A meter with live data, and the meter point it measures."""

    point: MeterPoint
    telemetry: MeterTelemetry


def _latest(read: Callable[[LatestReading], float | None]) -> Callable[..., float | None]:
    def value(telemetry: MeterTelemetry, _now: datetime) -> float | None:
        return read(telemetry.latest) if telemetry.latest else None

    return value


def _today(read: Callable[[DayTotals], float | None]) -> Callable[..., float | None]:
    def value(telemetry: MeterTelemetry, now: datetime) -> float | None:
        today = telemetry.today
        # Totals kept from before midnight are yesterday's, not today's.
        if today is None or today.start != _day_start(now):
            return None
        return read(today)

    return value


def _day_start(now: datetime) -> datetime:
    return day_bounds(now, dt_util.get_default_time_zone())[0]


@dataclass(frozen=True, kw_only=True)
class LiveMeterSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """A sensor of a meter's live data."""

    value_fn: Callable[[MeterTelemetry, datetime], float | None]
    exists_fn: Callable[[MeterTelemetry], bool] = lambda _telemetry: True
    monetary: bool = False
    """In the account's currency; reset at local midnight (`last_reset`)."""


LIVE_METER_SENSORS: tuple[LiveMeterSensorDescription, ...] = (
    LiveMeterSensorDescription(
        key="live_demand",
        translation_key="live_demand",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=_latest(lambda latest: latest.demand),
    ),
    LiveMeterSensorDescription(
        key="live_import_total",
        translation_key="live_import_total",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=3,
        value_fn=_latest(lambda latest: latest.import_total),
    ),
    LiveMeterSensorDescription(
        key="live_export_total",
        translation_key="live_export_total",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=3,
        exists_fn=lambda telemetry: (
            telemetry.latest is not None and telemetry.latest.export_total is not None
        ),
        value_fn=_latest(lambda latest: latest.export_total),
    ),
    LiveMeterSensorDescription(
        key="live_consumption_today",
        translation_key="live_consumption_today",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=3,
        exists_fn=lambda telemetry: telemetry.today is not None,
        value_fn=_today(lambda today: today.consumption),
    ),
    LiveMeterSensorDescription(
        key="live_cost_today",
        translation_key="live_cost_today",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        monetary=True,
        exists_fn=lambda telemetry: (
            telemetry.today is not None and telemetry.today.cost is not None
        ),
        value_fn=_today(lambda today: today.cost),
    ),
)


def _live_meters(coordinator: KrakenDevicesCoordinator) -> dict[str, LiveMeter] | None:
    """The meters with live data, by EUI-64, each with its meter point (the first per point)."""
    data: SmartFlexData | None = coordinator.data
    account = coordinator.account.data
    if data is None or account is None:
        return None
    meters: dict[str, LiveMeter] = {}
    points: set[str] = set()
    for telemetry in data.meter_telemetry:
        point = meter_point_of(account, telemetry.device_id)
        if point is None or not telemetry.has_data or point.identifier in points:
            continue
        points.add(point.identifier)
        meters[telemetry.device_id] = LiveMeter(point, telemetry)
    return meters


@callback
def async_add_live_meter_sensors(
    entry: KrakenConfigEntry, async_add_entities: Callable[[Iterable[SensorEntity]], None]
) -> None:
    """Add a meter's live-data sensors once its data comes back, and as new parts appear."""
    devices = entry.runtime_data.devices

    def entities_for(meter: LiveMeter) -> list[PlannedEntity[SensorEntity]]:
        return [
            plan(LiveMeterSensor, devices, description, meter)
            for description in LIVE_METER_SENSORS
            if description.exists_fn(meter.telemetry)
        ]

    async_add_item_entities(
        entry, devices, async_add_entities, lambda: _live_meters(devices), entities_for
    )


class LiveMeterSensor(ItemEntity[KrakenDevicesCoordinator, MeterTelemetry], SensorEntity):
    """A live value of a smart meter, on its meter point's device.

    Unavailable while the poll's data is stale, and while the meter's own reading is: a
    throttled field (KT-GB-4042) keeps the last value until it is as old as a poll's data may be.
    """

    entity_description: LiveMeterSensorDescription

    def __init__(
        self,
        coordinator: KrakenDevicesCoordinator,
        description: LiveMeterSensorDescription,
        meter: LiveMeter,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            meter.telemetry.device_id,
            unique_prefix=meter_point_unique_prefix(meter.point),
            device_info=meter_point_device_info(coordinator.account, meter.point),
        )
        if description.monetary:
            self._attr_native_unit_of_measurement = coordinator.account.currency

    @property
    def item(self) -> MeterTelemetry | None:
        """The meter's live data as last kept; None once the account no longer lists it."""
        data: SmartFlexData | None = self.coordinator.data
        return data.meter(self.item_id) if data is not None else None

    def item_available(self, item: MeterTelemetry) -> bool:
        """While the meter's latest reading is recent enough to stand."""
        return self.coordinator.meter_fresh(self.item_id)

    @property
    def native_value(self) -> float | None:
        """The value now."""
        item = self.item
        return self.entity_description.value_fn(item, dt_util.utcnow()) if item else None

    @property
    def last_reset(self) -> datetime | None:
        """Local midnight, for a total that starts again each day."""
        if not self.entity_description.monetary:
            return None
        return _day_start(dt_util.utcnow())
