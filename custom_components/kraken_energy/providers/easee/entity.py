"""The entity base of Easee chargers, and the platforms' setup as chargers appear."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from ...api.easee import EaseeCharger
from ...const import DOMAIN
from ...device_names import known
from ...entity import ItemEntity, ItemEntityDescription, PlannedEntity, item_platform
from ...readings import Readings
from ...runtime import PlatformSetup
from .const import EASEE_PORTAL_URL, EASEE_PREFIX
from .coordinator import EaseeConfigEntry, EaseeCoordinator, EaseeData, EaseeRuntimeData
from .readings import charger_readings


def _coordinator(entry: EaseeConfigEntry) -> EaseeCoordinator:
    return entry.runtime_data.coordinator


def _chargers(coordinator: EaseeCoordinator) -> dict[str, EaseeCharger] | None:
    data: EaseeData | None = coordinator.data
    return data.chargers if data is not None else None


def charger_platform(
    entities_for: Callable[[EaseeCoordinator, EaseeCharger], Iterable[PlannedEntity[Entity]]],
) -> PlatformSetup[EaseeRuntimeData]:
    """A platform's setup: the entities `entities_for` gives each charger, as chargers appear."""
    return item_platform(_coordinator, _chargers, entities_for)


class EaseeEntity(ItemEntity[EaseeCoordinator, EaseeCharger]):
    """An entity of one Easee charger; unavailable while the charger is offline or gone.

    While a charger is offline its live values are stale and its controls fail, so only the
    entities whose description is `available_offline` stay available.
    """

    def __init__(
        self,
        coordinator: EaseeCoordinator,
        description: ItemEntityDescription,
        charger: EaseeCharger,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            charger.charger_id,
            unique_prefix=f"{EASEE_PREFIX}{charger.charger_id}",
            device_info=DeviceInfo(
                identifiers={(DOMAIN, f"{EASEE_PREFIX}{charger.charger_id}")},
                name=charger.name or charger.charger_id,
                manufacturer="Easee",
                model=known(charger.model),
                serial_number=charger.charger_id,
                sw_version=str(charger.state.firmware)
                if charger.state and charger.state.firmware is not None
                else None,
                configuration_url=EASEE_PORTAL_URL,
            ),
        )

    @property
    def item(self) -> EaseeCharger | None:
        """The charger as last fetched; None once it is gone."""
        data: EaseeData | None = self.coordinator.data
        return data.chargers.get(self.item_id) if data else None

    def item_available(self, item: EaseeCharger) -> bool:
        """Only once the charger's state has been read."""
        return item.state is not None

    def item_offline(self, item: EaseeCharger) -> bool:
        """Whether Easee says the charger is offline."""
        return item.state is not None and item.state.online is False

    @property
    def readings(self) -> Readings | None:
        """The charger in the provider-neutral vocabulary."""
        charger = self.item
        return charger_readings(charger) if charger else None

    async def _async_refresh_after_command(self) -> None:
        """Fetch the charger the command went to."""
        await self.coordinator.async_refresh_charger(self.item_id)
