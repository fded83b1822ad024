"""The item entity every provider's entities build on, and how items come and go."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DEPARTURE_ANSWERS, DOMAIN
from .coordinator import PollingCoordinator
from .errors import command_error
from .runtime import PlatformSetup


@dataclass(frozen=True, kw_only=True)
class ItemEntityDescription(EntityDescription):
    """A description any item entity takes: Home Assistant's fields and these."""

    available_offline: bool = False
    """Stays available while its device is offline, because it still says something then
    (that the device is offline, its native status, its settings)."""


class ItemEntity[CoordinatorT: PollingCoordinator[Any], ItemT](CoordinatorEntity[CoordinatorT]):
    """An entity of one item a coordinator lists (account, meter point, device, charger).

    Available while the coordinator's data is fresh (`data_fresh`: failed polls cost nothing
    until it is two cycles old) and lists the item. A provider's entity base says where the
    item is in its data (`item`) and, where it has one, its own rule for when the item's
    values mean something (`item_available`) and when the device is offline (`item_offline`).
    """

    _attr_has_entity_name = True
    entity_description: ItemEntityDescription

    def __init__(
        self,
        coordinator: CoordinatorT,
        description: ItemEntityDescription,
        item_id: str,
        *,
        unique_prefix: str,
        device_info: DeviceInfo,
    ) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self.item_id = item_id
        self._attr_unique_id = f"{unique_prefix}_{description.key}"
        self._attr_device_info = device_info

    @property
    def item(self) -> ItemT | None:
        """The item as last fetched; None once the coordinator no longer lists it."""
        raise NotImplementedError

    def item_available(self, item: ItemT) -> bool:
        """Whether the item's values mean something now (always, unless a provider says)."""
        return True

    def item_offline(self, item: ItemT) -> bool:
        """Whether the item's device is offline (never, unless a provider says)."""
        return False

    @property
    def available(self) -> bool:
        """Available while the item is listed and its values mean something.

        While its device is offline, only descriptions marked `available_offline` stay.
        """
        if not self.coordinator.data_fresh:
            return False
        item = self.item
        if item is None or not self.item_available(item):
            return False
        return self.entity_description.available_offline or not self.item_offline(item)

    async def async_command(self, command: Awaitable[object]) -> None:
        """Send a command; explain a failure in the user's language; then refresh.

        The provider's error table says which errors are refused credentials (the user is
        asked to sign in again), refusals (with the service's reason) or failures.
        """
        errors = self.coordinator.errors
        try:
            await self._async_confirm(await command)
        except errors.auth as err:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except errors.base as err:
            # The device's state stands: say it again to whoever moved a control ahead of it.
            self.async_write_ha_state()
            raise command_error(err, errors, self._command_target()) from err
        await self._async_refresh_after_command()

    def _command_target(self) -> str:
        """The control's name as the user sees it ("Garage Smart charging")."""
        state = self.hass.states.get(self.entity_id)
        name = state.attributes.get("friendly_name") if state else None
        return str(name or self.entity_id)

    async def _async_confirm(self, result: object) -> None:
        """Wait for the device to carry out a command that returned `result` (no wait here)."""

    async def _async_refresh_after_command(self) -> None:
        """Show a command's effect at once: everything the coordinator holds, here."""
        await self.coordinator.async_refresh()


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


@dataclass(frozen=True, slots=True)
class PlannedEntity[EntityT: Entity]:
    """An entity an item has, by its description's key, not built yet.

    Listeners are asked for an item's entities at every answer; only those whose key is new
    are built (`plan` makes one).
    """

    key: str
    build: Callable[[], EntityT]


def plan[CoordinatorT, DescriptionT: EntityDescription, ItemT, EntityT: Entity](
    entity_class: Callable[[CoordinatorT, DescriptionT, ItemT], EntityT],
    coordinator: CoordinatorT,
    description: DescriptionT,
    item: ItemT,
) -> PlannedEntity[EntityT]:
    """An item's entity of this class and description, built only once it is added."""
    return PlannedEntity(description.key, partial(entity_class, coordinator, description, item))


@callback
def async_add_item_entities[ItemT, EntityT: Entity](
    entry: ConfigEntry[Any],
    coordinator: PollingCoordinator[Any],
    async_add_entities: Callable[[Iterable[EntityT]], None],
    current_items: Callable[[], Mapping[str, ItemT] | None],
    entities_for: Callable[[ItemT], Iterable[PlannedEntity[EntityT]]],
) -> None:
    """Add the entities of every item (meter point, device, charger) now and as they appear.

    `entities_for` plans the entities an item has as it stands; one it did not have before (a
    new item, or a capability it gained) is built and added once, the others are never built.
    An item that leaves (its device is removed) gets its entities again if it returns.
    """
    known: dict[str, set[str]] = {}

    @callback
    def add_new() -> None:
        items = current_items()
        if items is None:
            return
        for gone in known.keys() - items.keys():
            del known[gone]
        new: list[EntityT] = []
        for item_id, item in items.items():
            added = known.setdefault(item_id, set())
            for planned in entities_for(item):
                if planned.key not in added:
                    added.add(planned.key)
                    new.append(planned.build())
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))


def item_platform[RuntimeT, CoordinatorT: PollingCoordinator[Any], ItemT](
    coordinator_of: Callable[[ConfigEntry[RuntimeT]], CoordinatorT],
    items_of: Callable[[CoordinatorT], Mapping[str, ItemT] | None],
    entities_for: Callable[[CoordinatorT, ItemT], Iterable[PlannedEntity[Entity]]],
) -> PlatformSetup[RuntimeT]:
    """A platform's `async_setup_entry`: the entities of every item a coordinator lists.

    `coordinator_of` finds the coordinator in the entry, `items_of` its items by id, and
    `entities_for` plans an item's entities (see `async_add_item_entities`).
    """

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: ConfigEntry[RuntimeT],
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        coordinator = coordinator_of(entry)
        async_add_item_entities(
            entry,
            coordinator,
            async_add_entities,
            lambda: items_of(coordinator),
            lambda item: entities_for(coordinator, item),
        )

    return async_setup_entry


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
