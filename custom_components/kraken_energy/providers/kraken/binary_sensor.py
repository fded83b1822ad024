"""Binary sensors of a Kraken account: off-peak rates, dispatches, SmartFlex readings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from ...api.kraken.models import Device, SmartFlexData
from ...entity import ItemEntityDescription, plan
from ...readings import (
    ReadingBinarySensor,
    ReadingBinarySensorDescription,
    reading_binary_sensors,
)
from .coordinator import KrakenConfigEntry
from .entity import (
    KrakenDeviceEntity,
    KrakenMeterPointEntity,
    async_add_device_entities,
    async_add_meter_point_entities,
)
from .readings import smartflex_readings


@dataclass(frozen=True, kw_only=True)
class KrakenBinarySensorDescription(BinarySensorEntityDescription, ItemEntityDescription):
    """A binary sensor of a meter point."""


OFF_PEAK = KrakenBinarySensorDescription(key="off_peak", translation_key="off_peak")


@dataclass(frozen=True, kw_only=True)
class KrakenDeviceBinarySensorDescription(BinarySensorEntityDescription, ItemEntityDescription):
    """A smart device binary sensor."""

    is_on_fn: Callable[[Device, SmartFlexData, datetime], bool | None]
    exists_fn: Callable[[Device], bool]
    attributes_fn: Callable[[Device, SmartFlexData, datetime], dict[str, Any] | None] = (
        lambda _device, _data, _now: None
    )


def _dispatching(device: Device, data: SmartFlexData, now: datetime) -> bool:
    """A dispatch of any kind runs: a boost is the household's own dispatch.

    Kraken may say BOOSTING before it lists the boost's window.
    """
    return data.running_dispatch_for(device, now) is not None or device.state == "BOOSTING"


def _dispatch_window(device: Device, data: SmartFlexData, now: datetime) -> dict[str, Any]:
    """The running dispatch window (else the next one) and its energy."""
    dispatch = data.next_dispatch_for(device, now)
    return {
        "start": dispatch.start.isoformat() if dispatch else None,
        "end": dispatch.end.isoformat() if dispatch else None,
        # smart, boost or test, where the supplier says; energy added in kWh.
        "type": dispatch.kind if dispatch else None,
        "energy_kwh": dispatch.energy_kwh if dispatch else None,
        "planned_dispatches": len(data.planned_for(device)),
    }


DEVICE_BINARY_SENSORS = (
    KrakenDeviceBinarySensorDescription(
        key="dispatching",
        translation_key="dispatching",
        exists_fn=lambda device: device.charges_vehicles,
        is_on_fn=_dispatching,
        attributes_fn=_dispatch_window,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add off-peak sensors to import meter points and dispatch sensors to smart devices."""
    coordinator = entry.runtime_data.account
    async_add_meter_point_entities(
        entry,
        async_add_entities,
        lambda point: (
            [plan(KrakenOffPeakBinarySensor, coordinator, OFF_PEAK, point)]
            if point.direction == "import"
            else []
        ),
    )
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: [
            *(
                plan(KrakenDeviceBinarySensor, devices, description, device)
                for description in DEVICE_BINARY_SENSORS
                if description.exists_fn(device)
            ),
            *(
                plan(SmartFlexReadingBinarySensor, devices, description, device)
                for description in reading_binary_sensors(
                    smartflex_readings(device, devices.data, dt_util.utcnow())
                )
            ),
        ],
    )


class KrakenOffPeakBinarySensor(KrakenMeterPointEntity, BinarySensorEntity):
    """On at off-peak rates or, on an intelligent tariff, during a smart charging dispatch.

    Off-peak rates: a night or off-peak register, or a half-hour cheaper than today's average.
    """

    entity_description: KrakenBinarySensorDescription

    async def async_added_to_hass(self) -> None:
        """Follow the dispatches too."""
        await super().async_added_to_hass()
        devices = self.coordinator.config_entry.runtime_data.devices
        self.async_on_remove(devices.async_add_listener(self._handle_coordinator_update))

    @property
    def is_on(self) -> bool | None:
        """Whether the rate now counts as off-peak."""
        rates = self.rate_snapshot()
        if rates is None:
            return None
        tariff = self.tariff
        if tariff is not None and tariff.bills_dispatches_off_peak:
            smartflex: SmartFlexData | None = (
                self.coordinator.config_entry.runtime_data.devices.data
            )
            now = dt_util.utcnow()
            if smartflex is not None and any(
                smartflex.dispatch_for(device, now) for device in smartflex.devices
            ):
                return True
        return rates.is_off_peak


class KrakenDeviceBinarySensor(KrakenDeviceEntity, BinarySensorEntity):
    """A binary sensor of a SmartFlex device."""

    entity_description: KrakenDeviceBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The state now."""
        return self.read_now(self.entity_description.is_on_fn)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """What the description adds (the dispatch window, for the dispatching sensor)."""
        return self.read_now(self.entity_description.attributes_fn)


class SmartFlexReadingBinarySensor(KrakenDeviceEntity, ReadingBinarySensor):
    """A shared binary sensor of a SmartFlex device."""

    entity_description: ReadingBinarySensorDescription
