"""Times: when a vehicle should be charged by, on weekdays and at weekends."""

from __future__ import annotations

from datetime import datetime, time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api.enode.models import VendorType
from .coordinator import KrakenConfigEntry
from .easee import easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry
from .entity import SET_PREFERENCES, KrakenDeviceEntity, async_add_device_entities
from .model import WEEKDAYS, WEEKEND

PARALLEL_UPDATES = 1

READY_BY = {
    "weekday_ready_by": WEEKDAYS,
    "weekend_ready_by": WEEKEND,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add ready-by times to vehicles and charge points that have schedules."""
    if easee_entry(entry) is not None:
        return
    if (enode := enode_entry(entry)) is not None:
        coordinator = enode.runtime_data.coordinator
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: (
                [("smart_charging_deadline", EnodeDeadline(coordinator, DEADLINE, device))]
                if kind is VendorType.VEHICLE and device.capabilities.smart_charging.is_capable
                else []
            ),
        )
        return
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: (
            [
                KrakenReadyByTime(
                    devices, TimeEntityDescription(key=key, translation_key=key), device
                )
                for key in READY_BY
            ]
            if device.charges_vehicles
            and device.preferences is not None
            and devices.client.can(SET_PREFERENCES)
            else []
        ),
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

    @property
    def native_value(self) -> time | None:
        """The ready-by time of the first day it covers."""
        device = self.device
        if device is None or device.preferences is None:
            return None
        schedule = device.preferences.schedule(READY_BY[self.entity_description.key][0])
        return local_ready_by(schedule.ready_by) if schedule else None

    @property
    def extra_state_attributes(self) -> dict[str, str] | None:
        """Each covered day's own time, should the days differ (set in the supplier's app)."""
        device = self.device
        if device is None or device.preferences is None:
            return None
        return {
            day.lower(): local_ready_by(schedule.ready_by).isoformat()
            for day in READY_BY[self.entity_description.key]
            if (schedule := device.preferences.schedule(day)) is not None
        }

    async def async_set_value(self, value: time) -> None:
        """Set the ready-by time of every day it covers."""
        device = self.device
        if device is None or device.preferences is None:  # pragma: no cover - unavailable
            return
        updated = device.preferences.with_days(
            READY_BY[self.entity_description.key], ready_by=value
        )
        await self.async_command(self.coordinator.client.set_preferences(self.device_id, updated))


DEADLINE = TimeEntityDescription(
    key="smart_charging_deadline", translation_key="smart_charging_deadline"
)


class EnodeDeadline(EnodeDeviceEntity, TimeEntity):
    """When smart charging must have reached the charge limit."""

    @property
    def native_value(self) -> time | None:
        """The deadline as last fetched."""
        device = self.device
        policy = device.smart_charging_policy if device is not None else None
        return policy.deadline if policy else None

    async def async_set_value(self, value: time) -> None:
        """Set the deadline."""
        await self.async_control(
            self.coordinator.client.update_smart_charging_policy(self.device_id, deadline=value)
        )
