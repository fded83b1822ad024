"""Binary sensors: whether an electricity import meter point is on an off-peak rate now."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import KrakenConfigEntry
from .entity import KrakenMeterPointEntity, async_add_meter_point_entities

PARALLEL_UPDATES = 0

OFF_PEAK = BinarySensorEntityDescription(key="off_peak", translation_key="off_peak")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an off-peak sensor to every electricity import meter point."""
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


class KrakenOffPeakBinarySensor(KrakenMeterPointEntity, BinarySensorEntity):
    """On during a night or off-peak register, or a half-hour cheaper than today's average."""

    @property
    def is_on(self) -> bool | None:
        """Whether the rate now counts as off-peak."""
        rates = self.rate_snapshot()
        return rates.is_off_peak if rates else None
