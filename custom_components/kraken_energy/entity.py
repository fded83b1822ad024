"""Base entities: the account device, one device per meter point."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import KrakenAccountCoordinator, KrakenConfigEntry
from .model import Account, MeterPoint, Tariff
from .rates import RateSnapshot, snapshot


def account_device_info(coordinator: KrakenAccountCoordinator) -> DeviceInfo:
    """The device that stands for the supplier account."""
    entry = coordinator.config_entry
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.account_number)},
        name=entry.title,
        manufacturer=coordinator.supplier_name,
        model="Account",
        entry_type=DeviceEntryType.SERVICE,
    )


def meter_point_unique_prefix(point: MeterPoint) -> str:
    """A prefix unique to a meter point: MPANs and MPRNs are national identifiers."""
    return f"{point.fuel}_{point.identifier}"


@callback
def async_add_meter_point_entities[EntityT: Entity](
    entry: KrakenConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[MeterPoint], Iterable[EntityT]],
) -> None:
    """Add entities for every meter point now, and for meter points that appear later."""
    coordinator = entry.runtime_data.account
    known: set[str] = set()

    @callback
    def add_new_meter_points() -> None:
        new = [point for point in coordinator.data.meter_points if point.identifier not in known]
        known.update(point.identifier for point in new)
        entities = [entity for point in new for entity in entities_for(point)]
        if entities:
            async_add_entities(entities)

    add_new_meter_points()
    entry.async_on_unload(coordinator.async_add_listener(add_new_meter_points))


class KrakenAccountEntity(CoordinatorEntity[KrakenAccountCoordinator]):
    """An entity of the account device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: KrakenAccountCoordinator, description: EntityDescription
    ) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.account_number}_{description.key}"
        self._attr_device_info = account_device_info(coordinator)

    @property
    def account(self) -> Account:
        """The account as last fetched."""
        return self.coordinator.data


class KrakenMeterPointEntity(CoordinatorEntity[KrakenAccountCoordinator]):
    """An entity of a meter point device; unavailable while the meter point has no tariff."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: KrakenAccountCoordinator,
        description: EntityDescription,
        point: MeterPoint,
    ) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self.identifier = point.identifier
        self._attr_unique_id = f"{meter_point_unique_prefix(point)}_{description.key}"
        serial = ", ".join(meter.serial_number for meter in point.meters) or None
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, meter_point_unique_prefix(point))},
            translation_key=f"meter_point_{point.direction}",
            translation_placeholders={"identifier": point.identifier},
            manufacturer=coordinator.supplier_name,
            model={"import": "Electricity import", "export": "Electricity export"}.get(
                point.direction, "Gas"
            ),
            serial_number=serial,
            via_device=(DOMAIN, coordinator.account_number),
        )

    @property
    def meter_point(self) -> MeterPoint | None:
        """The meter point as last fetched; None once the account no longer lists it."""
        return self.coordinator.data.meter_point(self.identifier)

    @property
    def tariff(self) -> Tariff | None:
        """The tariff in force now."""
        point = self.meter_point
        if point is None:
            return None
        agreement = point.agreement_at(dt_util.utcnow())
        return agreement.tariff if agreement else None

    def rate_snapshot(self) -> RateSnapshot | None:
        """Previous, current and next rate and today's statistics, now."""
        tariff = self.tariff
        if tariff is None:
            return None
        return snapshot(
            tariff,
            dt_util.utcnow(),
            dt_util.get_default_time_zone(),
            self.coordinator.bands,
        )

    @property
    def available(self) -> bool:
        """Available while the data is current and the meter point has a tariff."""
        return super().available and self.tariff is not None
