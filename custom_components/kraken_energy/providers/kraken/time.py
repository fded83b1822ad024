"""Times of SmartFlex vehicles and charge points: when to be charged by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.util import dt as dt_util

from ...api.kraken.models import WEEKDAYS, WEEKEND
from ...entity import ItemEntityDescription, plan
from .const import SET_PREFERENCES
from .entity import KrakenDeviceEntity, smartflex_platform


@dataclass(frozen=True, kw_only=True)
class KrakenTimeDescription(TimeEntityDescription, ItemEntityDescription):
    """A ready-by time and the days of the schedule it sets."""

    days: tuple[str, ...]


READY_BY = (
    KrakenTimeDescription(
        key="weekday_ready_by", translation_key="weekday_ready_by", days=WEEKDAYS
    ),
    KrakenTimeDescription(key="weekend_ready_by", translation_key="weekend_ready_by", days=WEEKEND),
)


async_setup_entry = smartflex_platform(
    lambda devices, device: (
        [plan(KrakenReadyByTime, devices, description, device) for description in READY_BY]
        if device.charges_vehicles
        and device.preferences is not None
        and devices.client.can(SET_PREFERENCES)
        else []
    )
)


def local_ready_by(ready_by: time) -> time:
    """A ready-by time as Home Assistant's local wall-clock time.

    Kraken sends a plain "07:00"; a time that carries a UTC offset is moved to local time
    (on today's date), so "07:00+05:00" is not shown as 07:00.
    """
    if ready_by.tzinfo is None:
        return ready_by
    today = dt_util.now().date()
    moment = datetime.combine(today, ready_by)
    return dt_util.as_local(moment).time().replace(tzinfo=None)


class KrakenReadyByTime(KrakenDeviceEntity, TimeEntity):
    """The time the charge target should be reached by."""

    entity_description: KrakenTimeDescription

    @property
    def native_value(self) -> time | None:
        """The ready-by time of the first day it covers."""
        device = self.item
        if device is None or device.preferences is None:
            return None
        schedule = device.preferences.schedule(self.entity_description.days[0])
        return local_ready_by(schedule.ready_by) if schedule else None

    @property
    def extra_state_attributes(self) -> dict[str, str] | None:
        """Each covered day's own time, should the days differ (set in the supplier's app)."""
        device = self.item
        if device is None or device.preferences is None:
            return None
        return {
            day.lower(): local_ready_by(schedule.ready_by).isoformat()
            for day in self.entity_description.days
            if (schedule := device.preferences.schedule(day)) is not None
        }

    async def async_set_value(self, value: time) -> None:
        """Set the ready-by time of every day it covers."""
        device = self.item
        if device is None or device.preferences is None:  # pragma: no cover - unavailable
            return
        updated = device.preferences.with_days(self.entity_description.days, ready_by=value)
        await self.async_command(self.coordinator.client.set_preferences(self.item_id, updated))
