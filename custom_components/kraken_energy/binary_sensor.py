"""Binary sensors: off-peak, dispatching, inverter and Easee charger connectivity, cable lock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api.easee import EaseeCharger
from .api.enode.models import VendorType
from .coordinator import KrakenConfigEntry
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry
from .entity import (
    KrakenDeviceEntity,
    KrakenMeterPointEntity,
    async_add_device_entities,
    async_add_meter_point_entities,
)
from .model import Device, Readings, SmartFlexData

PARALLEL_UPDATES = 0

OFF_PEAK = BinarySensorEntityDescription(key="off_peak", translation_key="off_peak")


@dataclass(frozen=True, kw_only=True)
class KrakenDeviceBinarySensorDescription(BinarySensorEntityDescription):
    """A smart device binary sensor."""

    is_on_fn: Callable[[Device, SmartFlexData, datetime], bool | None]
    exists_fn: Callable[[Device], bool]


DEVICE_BINARY_SENSORS = (
    KrakenDeviceBinarySensorDescription(
        key="dispatching",
        translation_key="dispatching",
        exists_fn=lambda device: device.charges_vehicles,
        is_on_fn=lambda device, data, now: data.dispatch_for(device, now) is not None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add off-peak sensors to import meter points and dispatch sensors to smart devices."""
    if (enode := enode_entry(entry)) is not None:
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: [
                *(
                    (
                        description.key,
                        EnodeBinarySensor(enode.runtime_data.coordinator, description, device),
                    )
                    for description in ENODE_BINARY_SENSORS
                    if kind in description.kinds
                ),
                *(
                    (
                        description.key,
                        EnodeReadingBinarySensor(
                            enode.runtime_data.coordinator, description, device
                        ),
                    )
                    for description in reading_binary_sensors(device.readings)
                ),
            ],
        )
        return
    if (easee := easee_entry(entry)) is not None:
        async_add_charger_entities(
            easee,
            async_add_entities,
            lambda charger: [
                *(
                    EaseeChargerBinarySensor(easee.runtime_data.coordinator, description, charger)
                    for description in EASEE_BINARY_SENSORS
                ),
                *(
                    EaseeReadingBinarySensor(easee.runtime_data.coordinator, description, charger)
                    for description in reading_binary_sensors(charger.readings)
                ),
            ],
        )
        return
    coordinator = entry.runtime_data.account
    async_add_meter_point_entities(
        entry,
        async_add_entities,
        lambda point: (
            [KrakenOffPeakBinarySensor(coordinator, OFF_PEAK, point)]
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
                KrakenDeviceBinarySensor(devices, description, device)
                for description in DEVICE_BINARY_SENSORS
                if description.exists_fn(device)
            ),
            *(
                SmartFlexReadingBinarySensor(devices, description, device)
                for description in reading_binary_sensors(
                    devices.data.readings(device, dt_util.utcnow())
                )
            ),
        ],
    )


class KrakenOffPeakBinarySensor(KrakenMeterPointEntity, BinarySensorEntity):
    """On at off-peak rates or, on an intelligent tariff, during a smart charging dispatch.

    Off-peak rates: a night or off-peak register, or a half-hour cheaper than today's average.
    """

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
        device = self.device
        data: SmartFlexData | None = self.coordinator.data
        if device is None or data is None:
            return None
        return self.entity_description.is_on_fn(device, data, dt_util.utcnow())

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The current or next dispatch window and its energy."""
        data: SmartFlexData | None = self.coordinator.data
        if self.entity_description.key != "dispatching" or data is None:
            return None
        device = self.device
        dispatch = data.next_dispatch_for(device, dt_util.utcnow()) if device else None
        return {
            "start": dispatch.start.isoformat() if dispatch else None,
            "end": dispatch.end.isoformat() if dispatch else None,
            # smart, boost or test, where the supplier says; energy added in kWh.
            "type": dispatch.kind if dispatch else None,
            "energy_kwh": dispatch.energy_kwh if dispatch else None,
            "planned_dispatches": len(data.planned_for(device)) if device else 0,
        }


@dataclass(frozen=True, kw_only=True)
class EaseeBinarySensorDescription(BinarySensorEntityDescription):
    """An Easee charger binary sensor."""

    is_on_fn: Callable[[EaseeCharger], bool | None]


EASEE_BINARY_SENSORS = (
    # No lock device class: there "on" means unlocked, which would read backwards here.
    EaseeBinarySensorDescription(
        key="cable_locked",
        translation_key="cable_locked",
        is_on_fn=lambda charger: charger.state.cable_locked if charger.state else None,
    ),
)


class EaseeChargerBinarySensor(EaseeChargerEntity, BinarySensorEntity):
    """A binary sensor of an Easee charger."""

    entity_description: EaseeBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The state as last fetched."""
        charger = self.charger
        return self.entity_description.is_on_fn(charger) if charger else None


@dataclass(frozen=True, kw_only=True)
class EnodeBinarySensorDescription(BinarySensorEntityDescription):
    """An Enode device binary sensor, for the device kinds that have it."""

    kinds: frozenset[VendorType]
    is_on_fn: Callable[[Any], bool | None]


_CHARGING_KINDS = frozenset({VendorType.VEHICLE, VendorType.CHARGER})

ENODE_BINARY_SENSORS = (
    EnodeBinarySensorDescription(
        key="fully_charged",
        translation_key="fully_charged",
        kinds=frozenset({VendorType.VEHICLE}),
        is_on_fn=lambda device: device.is_fully_charged,
    ),
)


class EnodeBinarySensor(EnodeDeviceEntity, BinarySensorEntity):
    """A binary sensor of an Enode device."""

    entity_description: EnodeBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The state as last fetched."""
        device = self.device
        return self.entity_description.is_on_fn(device) if device is not None else None


@dataclass(frozen=True, kw_only=True)
class ReadingBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor every provider fills from the provider-neutral `Readings`."""

    is_on_fn: Callable[[Readings], bool | None]


READING_BINARY_SENSORS = (
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
        is_on_fn=lambda readings: readings.online,
    ),
)


def reading_binary_sensors(readings: Readings | None) -> list[ReadingBinarySensorDescription]:
    """The shared binary sensors a device's readings support (the key names the field)."""
    supported = readings.supported if readings is not None else frozenset()
    return [d for d in READING_BINARY_SENSORS if d.key in supported]


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


class SmartFlexReadingBinarySensor(KrakenDeviceEntity, ReadingBinarySensor):
    """A shared binary sensor of a SmartFlex device."""


class EaseeReadingBinarySensor(EaseeChargerEntity, ReadingBinarySensor):
    """A shared binary sensor of an Easee charger."""


class EnodeReadingBinarySensor(EnodeDeviceEntity, ReadingBinarySensor):
    """A shared binary sensor of an Enode device."""
