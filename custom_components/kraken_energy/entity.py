"""Base entities (account, meter points, smart devices) and adding entities as items appear."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .api.kraken import KrakenApiError, KrakenAuthError, KrakenError
from .const import DEPARTURE_ANSWERS, DOMAIN
from .coordinator import (
    KrakenAccountCoordinator,
    KrakenConfigEntry,
    KrakenDevicesCoordinator,
    PollingCoordinator,
)
from .model import Account, Device, MeterPoint, Readings, SmartFlexData, Tariff
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


def finite_value(value: float) -> float:
    """A number a control may send, or a translated error.

    NaN passes Home Assistant's range check, since every comparison with it is false.
    """
    if not math.isfinite(value):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="value_not_a_number",
            translation_placeholders={"value": str(value)},
        )
    return value


def meter_point_unique_prefix(point: MeterPoint) -> str:
    """A prefix unique to a meter point: MPANs and MPRNs are national identifiers."""
    return f"{point.fuel}_{point.identifier}"


@callback
def async_add_item_entities[ItemT, EntityT: Entity](
    entry: ConfigEntry[Any],
    coordinator: DataUpdateCoordinator[Any],
    async_add_entities: Callable[[Iterable[EntityT]], None],
    current_items: Callable[[], Mapping[str, ItemT] | None],
    entities_for: Callable[[ItemT], Iterable[EntityT]],
) -> None:
    """Add entities for every item (meter point, device, charger) by id, now and as they appear.

    An item that leaves (its device is removed) gets its entities again if it returns.
    """
    known: set[str] = set()

    @callback
    def add_new_items() -> None:
        items = current_items()
        if items is None:
            return
        known.intersection_update(items)
        new = [item for item_id, item in items.items() if item_id not in known]
        known.update(items)
        entities = [entity for item in new for entity in entities_for(item)]
        if entities:
            async_add_entities(entities)

    add_new_items()
    entry.async_on_unload(coordinator.async_add_listener(add_new_items))


@callback
def async_follow_departures(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    coordinator: PollingCoordinator[Any],
    current: Callable[[], set[tuple[str, str]]],
    judges: Callable[[dr.DeviceEntry], bool] = lambda _device: True,
) -> None:
    """Remove the registry devices the service stopped listing, but never on one answer.

    A device this coordinator `judges` leaves only after DEPARTURE_ANSWERS consecutive
    well-formed answers without it; a failed poll or a malformed answer counts for nothing,
    and a device that shows up again starts over. Devices registered before a restart are
    judged the same way from the first answer on.
    """
    absences: dict[str, int] = {}
    judged_listing = -1

    @callback
    def judge() -> None:
        nonlocal judged_listing
        if coordinator.listing_count == judged_listing or not coordinator.last_update_success:
            return  # a wake-up without a new answer, or a failed poll
        judged_listing = coordinator.listing_count
        present = current()
        registry = dr.async_get(hass)
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if not judges(device) or device.identifiers & present:
                absences.pop(device.id, None)
                continue
            absences[device.id] = absences.get(device.id, 0) + 1
            if absences[device.id] >= DEPARTURE_ANSWERS:
                del absences[device.id]
                registry.async_remove_device(device.id)

    judge()
    entry.async_on_unload(coordinator.async_add_listener(judge))


@callback
def async_add_meter_point_entities[EntityT: Entity](
    entry: KrakenConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[MeterPoint], Iterable[EntityT]],
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
            via_device_id=coordinator.config_entry.runtime_data.account_device_id,
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


SMARTFLEX_PREFIX = "smartflex_"
# The command behind targets, ready-by times and heat-pump settings (absent from older schemas).
SET_PREFERENCES = "setDevicePreferences"


def smartflex_unique_prefix(device: Device) -> str:
    """A prefix unique to a SmartFlex registration (its id is a UUID)."""
    return f"{SMARTFLEX_PREFIX}{device.device_id}"


@callback
def async_add_device_entities[EntityT: Entity](
    entry: KrakenConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[Device], Iterable[EntityT]],
) -> None:
    """Add entities for every smart device now, and for devices registered later."""
    coordinator = entry.runtime_data.devices

    def current_devices() -> dict[str, Device] | None:
        data: SmartFlexData | None = coordinator.data
        if data is None:
            return None
        return {d.device_id: d for d in data.devices if not d.is_retired}

    async_add_item_entities(entry, coordinator, async_add_entities, current_devices, entities_for)


# Why Kraken refused a device command -> the translation key that explains it.
REFUSAL_TRANSLATION_KEYS = {
    "BC_DEVICE_NOT_YET_LIVE": "refused_not_live",
    "BC_DEVICE_RETIRED": "refused_retired",
    "BC_DEVICE_SUSPENDED": "refused_suspended",
    "BC_DEVICE_DISCONNECTED": "refused_disconnected",
    "BC_DEVICE_NOT_AT_HOME": "refused_not_at_home",
    "BC_BOOST_CHARGE_IN_PROGRESS": "refused_boosting",
}


class KrakenDeviceEntity(CoordinatorEntity[KrakenDevicesCoordinator]):
    """An entity of a SmartFlex device; unavailable once the device is retired or gone."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: KrakenDevicesCoordinator,
        description: EntityDescription,
        device: Device,
    ) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self.device_id = device.device_id
        self._attr_unique_id = f"{smartflex_unique_prefix(device)}_{description.key}"
        model = " ".join(part for part in (device.make, device.model) if part) or None
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, smartflex_unique_prefix(device))},
            name=device.name or model or device.kind.replace("_", " ").capitalize(),
            manufacturer=device.make or device.provider.replace("_", " ").title(),
            model=device.model,
            via_device_id=coordinator.config_entry.runtime_data.account_device_id,
        )

    @property
    def device(self) -> Device | None:
        """The device as last fetched; None once retired or removed."""
        data: SmartFlexData | None = self.coordinator.data
        return data.device(self.device_id) if data is not None else None

    @property
    def readings(self) -> Readings | None:
        """The device in the provider-neutral vocabulary."""
        device = self.device
        data: SmartFlexData | None = self.coordinator.data
        if device is None or data is None:
            return None
        return data.readings(device, dt_util.utcnow())

    @property
    def available(self) -> bool:
        """Available while the data is current and the device is registered."""
        return super().available and self.device is not None

    async def async_command(self, command: Awaitable[None]) -> None:
        """Send a command, explain a refusal in the user's language, then refresh at once."""
        try:
            await command
        except KrakenAuthError as err:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except KrakenApiError as err:
            key = next(
                (REFUSAL_TRANSLATION_KEYS[r] for r in err.reasons if r in REFUSAL_TRANSLATION_KEYS),
                None,
            )
            if key is not None:
                raise HomeAssistantError(translation_domain=DOMAIN, translation_key=key) from err
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_refused",
                translation_placeholders={"reason": err.api_message},
            ) from err
        except KrakenError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        await self.coordinator.async_refresh()
