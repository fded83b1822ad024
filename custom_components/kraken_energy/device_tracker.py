"""Device tracker: where an Enode vehicle is."""

from __future__ import annotations

from homeassistant.components.device_tracker import TrackerEntity
from homeassistant.components.device_tracker.const import SourceType
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.enode.models import VendorType
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry

PARALLEL_UPDATES = 0

LOCATION = EntityDescription(key="location", translation_key="location")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Track every Enode vehicle that shares its location."""
    enode = enode_entry(entry)
    if enode is None:
        return
    coordinator = enode.runtime_data.coordinator
    async_add_enode_entities(
        enode,
        async_add_entities,
        lambda kind, device: (
            [("location", EnodeVehicleTracker(coordinator, LOCATION, device))]
            if kind is VendorType.VEHICLE and device.capabilities.location.is_capable
            else []
        ),
    )


class EnodeVehicleTracker(EnodeDeviceEntity, TrackerEntity):
    """The vehicle's last reported position."""

    _attr_source_type = SourceType.GPS

    @property
    def latitude(self) -> float | None:
        """Latitude of the last position."""
        device = self.device
        location = device.location if device is not None else None
        return location.latitude if location else None

    @property
    def longitude(self) -> float | None:
        """Longitude of the last position."""
        device = self.device
        location = device.location if device is not None else None
        return location.longitude if location else None
