"""The entity base of Enode devices, and the platforms' setup as devices appear."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...api.enode.models import VendorType
from ...const import DOMAIN
from ...device_names import known
from ...entity import ItemEntity, ItemEntityDescription, PlannedEntity, item_platform
from ...readings import Readings
from ...runtime import PlatformSetup
from .const import ENODE_PREFIX
from .coordinator import (
    EnodeConfigEntry,
    EnodeCoordinator,
    EnodeData,
    EnodeDevice,
    EnodeRuntimeData,
    device_name,
)


def _coordinator(entry: EnodeConfigEntry) -> EnodeCoordinator:
    return entry.runtime_data.coordinator


def _devices(coordinator: EnodeCoordinator) -> dict[str, tuple[VendorType, EnodeDevice]] | None:
    data: EnodeData | None = coordinator.data
    return data.by_id if data is not None else None


def device_platform(
    entities_for: Callable[
        [EnodeCoordinator, VendorType, EnodeDevice], Iterable[PlannedEntity[Entity]]
    ],
) -> PlatformSetup[EnodeRuntimeData]:
    """A platform's setup: the entities `entities_for` gives each device of a kind.

    Asked again at every poll, so a device, or a capability of one, that appears later gets
    its entities then.
    """
    return item_platform(
        _coordinator,
        _devices,
        lambda coordinator, found: entities_for(coordinator, *found),
    )


class EnodeEntity(ItemEntity[EnodeCoordinator, EnodeDevice]):
    """An entity of one Enode device; unavailable while it is gone or its kind is not read."""

    def __init__(
        self,
        coordinator: EnodeCoordinator,
        description: ItemEntityDescription,
        device: EnodeDevice,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            device.id,
            unique_prefix=f"{ENODE_PREFIX}{device.id}",
            device_info=DeviceInfo(
                identifiers={(DOMAIN, f"{ENODE_PREFIX}{device.id}")},
                name=device_name(device),
                manufacturer=known(device.brand) or device.vendor.title(),
                model=known(device.model),
                serial_number=getattr(device, "serial_number", None),
            ),
        )

    @property
    def item(self) -> EnodeDevice | None:
        """The device as last fetched; None once it is gone."""
        data: EnodeData | None = self.coordinator.data
        found = data.by_id.get(self.item_id) if data else None
        return found[1] if found else None

    def item_available(self, item: EnodeDevice) -> bool:
        """Only while the list of the device's kind was read lately."""
        data: EnodeData = self.coordinator.data
        kind, _device = data.by_id[self.item_id]
        return data.current(kind, dt_util.utcnow())

    @property
    def readings(self) -> Readings | None:
        """The device in the provider-neutral vocabulary."""
        data: EnodeData | None = self.coordinator.data
        found = data.by_id.get(self.item_id) if data else None
        return data.readings_of(found[1]) if data and found else None

    async def _async_confirm(self, result: object) -> None:
        """Wait for the device to carry out an action (or for the time a control may take)."""
        await self.coordinator.async_confirm(result)
