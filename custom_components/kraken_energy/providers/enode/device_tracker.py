"""Device tracker: where an Enode vehicle is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.device_tracker import TrackerEntity, TrackerEntityDescription
from homeassistant.components.device_tracker.const import SourceType
from homeassistant.core import callback

from ...api.enode.models import VendorType
from ...entity import ItemEntityDescription, plan
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeTrackerDescription(TrackerEntityDescription, ItemEntityDescription):
    """Where an Enode device is."""


LOCATION = EnodeTrackerDescription(key="location", translation_key="location")


async_setup_entry = device_platform(
    lambda coordinator, kind, device: (
        [plan(EnodeVehicleTracker, coordinator, LOCATION, device)]
        if kind is VendorType.VEHICLE and device.capabilities.location.is_capable
        else []
    )
)


class EnodeVehicleTracker(EnodeEntity, TrackerEntity):
    """The vehicle's last reported position."""

    entity_description: EnodeTrackerDescription
    _attr_source_type = SourceType.GPS
    _written: tuple[Any, ...] | None = None

    def _shown(self) -> tuple[Any, ...]:
        """What the state shows: availability, position and accuracy."""
        return (self.available, self.latitude, self.longitude, self.location_accuracy)

    async def async_added_to_hass(self) -> None:
        """Remember what the first state showed."""
        await super().async_added_to_hass()
        self._written = self._shown()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when the car moved (or its availability changed).

        A parked car is reported at every poll; writing it again would only fill the
        recorder with identical rows.
        """
        shown = self._shown()
        if shown != self._written:
            self._written = shown
            self.async_write_ha_state()

    @property
    def latitude(self) -> float | None:
        """Latitude of the last position."""
        device = self.item
        location = device.location if device is not None else None
        return location.latitude if location else None

    @property
    def longitude(self) -> float | None:
        """Longitude of the last position."""
        device = self.item
        location = device.location if device is not None else None
        return location.longitude if location else None
