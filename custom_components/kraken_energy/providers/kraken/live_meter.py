"""Live meter data (Octopus Home Mini) in the device poll: which meters to ask, what to keep.

The data rides in the request the device poll sends anyway. Every smart meter the account lists
is asked about when the account rides along too (every ACCOUNT_UPDATE_INTERVAL), so a Home Mini
joined later is found without a request of its own; a meter whose data came back is asked
about at every poll, and keeps the poll at DEVICES_UPDATE_INTERVAL. A meter without a consumer
device answers nothing and costs no extra poll. A part that failed (KT-GB-4042, too many
requests) keeps the last value while it is fresh, as a failed poll keeps the last data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ...api.kraken.models import Account, Fuel, MeterPoint, SmartFlexData
from ...api.kraken.telemetry import MeterTelemetry, TelemetryQuery, candidates


def account_meters(account: Account | None) -> tuple[str, ...]:
    """The EUI-64s of the account's electricity meters that may have live data."""
    if account is None:
        return ()
    return candidates(
        [
            meter.smart_devices
            for point in account.meter_points
            if point.fuel is Fuel.ELECTRICITY
            for meter in point.meters
        ]
    )


def meter_point_of(account: Account, device_id: str) -> MeterPoint | None:
    """The electricity meter point whose meter has this smart device."""
    return next(
        (
            point
            for point in account.meter_points
            if point.fuel is Fuel.ELECTRICITY
            for meter in point.meters
            if any(device.device_id == device_id for device in meter.smart_devices)
        ),
        None,
    )


def meters_with_data(data: SmartFlexData | None) -> tuple[str, ...]:
    """The meters whose live data came back: they have a Home Mini (or similar)."""
    if data is None:
        return ()
    return tuple(item.device_id for item in data.meter_telemetry if item.has_data)


@dataclass(slots=True)
class LiveMeters:
    """The device poll's memory of the account's smart meters."""

    received_at: dict[str, datetime] = field(default_factory=dict)
    """When each meter's latest reading last arrived (this machine's clock)."""

    def query(
        self,
        account: Account | None,
        known: SmartFlexData | None,
        day: tuple[datetime, datetime],
        *,
        every_meter: bool,
    ) -> TelemetryQuery | None:
        """Which meters to ask about: all the account lists, or those known to have data."""
        listed = account_meters(account)
        if not every_meter:
            live = set(meters_with_data(known))
            listed = tuple(device_id for device_id in listed if device_id in live)
        if not listed:
            return None
        return TelemetryQuery(listed, *day)

    def merge(
        self,
        previous: SmartFlexData | None,
        data: SmartFlexData,
        account: Account | None,
        now: datetime,
    ) -> SmartFlexData:
        """The answer's live data, with the last values where a part failed or was not asked.

        Meters the account no longer lists are dropped.
        """
        listed = set(account_meters(account))
        earlier = {item.device_id: item for item in previous.meter_telemetry} if previous else {}
        merged: dict[str, MeterTelemetry] = {}
        for item in data.meter_telemetry:
            old = earlier.get(item.device_id)
            if item.latest is not None:
                self.received_at[item.device_id] = now
            merged[item.device_id] = MeterTelemetry(
                device_id=item.device_id,
                latest=item.latest if item.latest is not None or old is None else old.latest,
                today=item.today if item.today is not None or old is None else old.today,
            )
        for device_id, old in earlier.items():
            if device_id not in merged and device_id in listed:
                merged[device_id] = old
        for device_id in set(self.received_at) - set(merged):
            del self.received_at[device_id]
        return replace(data, meter_telemetry=tuple(merged.values()))

    def fresh(self, device_id: str, now: datetime, stale_after: timedelta) -> bool:
        """Whether a meter's latest reading arrived recently enough to stand."""
        received = self.received_at.get(device_id)
        return received is not None and now - received < stale_after
