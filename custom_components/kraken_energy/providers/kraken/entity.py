"""Entity bases of a Kraken account: the account, its meter points, its SmartFlex devices."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...api.kraken.models import Account, Device, MeterPoint, SmartFlexData, Tariff
from ...const import DOMAIN
from ...device_names import known, make_and_model
from ...entity import (
    ItemEntity,
    ItemEntityDescription,
    PlannedEntity,
    async_add_item_entities,
    item_platform,
)
from ...readings import Readings
from ...redaction import identifier_tail
from ...runtime import PlatformSetup
from .const import CONF_SUPPLIER, SMARTFLEX_PREFIX, SUPPLIERS
from .coordinator import (
    KrakenAccountCoordinator,
    KrakenConfigEntry,
    KrakenDevicesCoordinator,
    KrakenRuntimeData,
)
from .rates import RateSnapshot, snapshot
from .readings import smartflex_readings


def account_device_info(coordinator: KrakenAccountCoordinator) -> DeviceInfo:
    """The device that stands for the supplier account."""
    entry = coordinator.config_entry
    supplier = SUPPLIERS.get(entry.data.get(CONF_SUPPLIER, ""))
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.account_number)},
        name=entry.title,
        manufacturer=coordinator.supplier_name,
        model="Account",
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=supplier.account_url if supplier else None,
    )


def meter_point_unique_prefix(point: MeterPoint) -> str:
    """A prefix unique to a meter point: MPANs and MPRNs are national identifiers."""
    return f"{point.fuel}_{point.identifier}"


def meter_point_device_info(coordinator: KrakenAccountCoordinator, point: MeterPoint) -> DeviceInfo:
    """The device that stands for a meter point (and its meters)."""
    serial = ", ".join(meter.serial_number for meter in point.meters) or None
    return DeviceInfo(
        identifiers={(DOMAIN, meter_point_unique_prefix(point))},
        translation_key=f"meter_point_{point.direction}",
        translation_placeholders={"identifier": identifier_tail(point.identifier)},
        manufacturer=coordinator.supplier_name,
        model={"import": "Electricity import", "export": "Electricity export"}.get(
            point.direction, "Gas"
        ),
        serial_number=serial,
        via_device_id=coordinator.config_entry.runtime_data.account_device_id,
    )


def smartflex_unique_prefix(device: Device) -> str:
    """A prefix unique to a SmartFlex registration (its id is a UUID)."""
    return f"{SMARTFLEX_PREFIX}{device.device_id}"


def smartflex_device_info(entry: KrakenConfigEntry, device: Device) -> DeviceInfo:
    """The registry device of a SmartFlex registration."""
    make, model = known(device.make), known(device.model)
    return DeviceInfo(
        identifiers={(DOMAIN, smartflex_unique_prefix(device))},
        name=device.name
        or make_and_model(make, model)
        or device.kind.replace("_", " ").capitalize(),
        manufacturer=make or device.provider.replace("_", " ").title(),
        model=model,
        via_device_id=entry.runtime_data.account_device_id,
    )


@callback
def async_add_meter_point_entities[EntityT: Entity](
    entry: KrakenConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[MeterPoint], Iterable[PlannedEntity[EntityT]]],
) -> None:
    """Add entities for every meter point now, and for meter points that appear later."""
    coordinator = entry.runtime_data.account
    async_add_item_entities(
        entry,
        coordinator,
        async_add_entities,
        lambda: {point.identifier: point for point in coordinator.data.meter_points},
        entities_for,
    )


def _live_devices(coordinator: KrakenDevicesCoordinator) -> Mapping[str, Device] | None:
    data: SmartFlexData | None = coordinator.data
    return data.live_devices if data is not None else None


@callback
def async_add_device_entities[EntityT: Entity](
    entry: KrakenConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[Device], Iterable[PlannedEntity[EntityT]]],
) -> None:
    """Add entities for every smart device now, and for devices registered later."""
    coordinator = entry.runtime_data.devices
    async_add_item_entities(
        entry, coordinator, async_add_entities, lambda: _live_devices(coordinator), entities_for
    )


def _devices_coordinator(entry: KrakenConfigEntry) -> KrakenDevicesCoordinator:
    return entry.runtime_data.devices


def smartflex_platform(
    entities_for: Callable[[KrakenDevicesCoordinator, Device], Iterable[PlannedEntity[Entity]]],
) -> PlatformSetup[KrakenRuntimeData]:
    """A platform's setup: the entities `entities_for` gives each SmartFlex device."""
    return item_platform(_devices_coordinator, _live_devices, entities_for)


class KrakenAccountEntity(ItemEntity[KrakenAccountCoordinator, Account]):
    """An entity of the account device."""

    def __init__(
        self, coordinator: KrakenAccountCoordinator, description: ItemEntityDescription
    ) -> None:
        super().__init__(
            coordinator,
            description,
            coordinator.account_number,
            unique_prefix=coordinator.account_number,
            device_info=account_device_info(coordinator),
        )

    @property
    def item(self) -> Account:
        """The account as last fetched."""
        return self.coordinator.data


class KrakenMeterPointEntity(ItemEntity[KrakenAccountCoordinator, MeterPoint]):
    """An entity of a meter point device; unavailable while the meter point has no tariff."""

    def __init__(
        self,
        coordinator: KrakenAccountCoordinator,
        description: ItemEntityDescription,
        point: MeterPoint,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            point.identifier,
            unique_prefix=meter_point_unique_prefix(point),
            device_info=meter_point_device_info(coordinator, point),
        )

    @property
    def item(self) -> MeterPoint | None:
        """The meter point as last fetched; None once the account no longer lists it."""
        return self.coordinator.data.meter_point(self.item_id)

    def item_available(self, item: MeterPoint) -> bool:
        """Only while a tariff is in force: every value of a meter point comes from it."""
        return self.tariff is not None

    @property
    def tariff(self) -> Tariff | None:
        """The tariff in force now."""
        point = self.item
        if point is None:  # pragma: no cover - read only while available, which needs the point
            return None
        agreement = point.agreement_at(dt_util.utcnow())
        return agreement.tariff if agreement else None

    def rate_snapshot(self) -> RateSnapshot | None:
        """Previous, current and next rate and today's statistics, now."""
        tariff = self.tariff
        if tariff is None:  # pragma: no cover - read only while available, which needs a tariff
            return None
        return snapshot(
            tariff,
            dt_util.utcnow(),
            dt_util.get_default_time_zone(),
            self.coordinator.bands,
        )


class KrakenDeviceEntity(ItemEntity[KrakenDevicesCoordinator, Device]):
    """An entity of a SmartFlex device; unavailable once the device is retired or gone."""

    def __init__(
        self,
        coordinator: KrakenDevicesCoordinator,
        description: ItemEntityDescription,
        device: Device,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            device.device_id,
            unique_prefix=smartflex_unique_prefix(device),
            device_info=smartflex_device_info(coordinator.config_entry, device),
        )

    @property
    def item(self) -> Device | None:
        """The device as last fetched; None once retired or removed."""
        data: SmartFlexData | None = self.coordinator.data
        return data.device(self.item_id) if data is not None else None

    def read_now[T](self, read: Callable[[Device, SmartFlexData, datetime], T]) -> T | None:
        """What `read` makes of the device and the account's dispatches now; None once gone."""
        device = self.item
        data: SmartFlexData | None = self.coordinator.data
        if device is None or data is None:  # pragma: no cover - read only while available
            return None
        return read(device, data, dt_util.utcnow())

    @property
    def readings(self) -> Readings | None:
        """The device in the provider-neutral vocabulary."""
        return self.read_now(smartflex_readings)
