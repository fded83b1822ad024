"""Calendars of a Kraken account: its SmartFlex dispatches and the cheapest half-hourly rates.

The rule for the cheapest windows is in README ("Calendars"): for each local day, the
CHEAPEST_WINDOW of back-to-back published rates with the lowest time-weighted mean price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import translation
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from ...api.kraken.models import (
    Account,
    Device,
    Dispatch,
    Fuel,
    MeterPoint,
    RatePeriod,
    SmartFlexData,
    TariffKind,
)
from ...const import DOMAIN
from .coordinator import KrakenAccountCoordinator, KrakenConfigEntry, KrakenDevicesCoordinator
from .entity import account_device_info

CHEAPEST_WINDOW = timedelta(hours=3)
"""Long enough for a typical overnight EV top-up or a wash and a dishwasher run."""

REMEMBER_DISPATCHES = timedelta(hours=24)
"""How long a planned dispatch seen while running stays listed once it has ended."""

_DISPATCH_KINDS = ("smart", "boost", "test")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's calendars.

    Dispatches where the instance has SmartFlex; cheapest rates where the account imports on
    a half-hourly tariff.
    """
    runtime = entry.runtime_data
    texts = await _texts(hass)
    calendars: list[CalendarEntity] = []
    if runtime.client.has_smartflex():
        calendars.append(DispatchCalendar(runtime.devices, runtime.account, texts))
    if _half_hourly_import(runtime.account.data) is not None:
        calendars.append(CheapestRatesCalendar(runtime.account, texts))
    async_add_entities(calendars)


async def _texts(hass: HomeAssistant) -> dict[str, str]:
    """The event texts in Home Assistant's language, by key."""
    prefix = f"component.{DOMAIN}.common."
    common = await translation.async_get_translations(
        hass, hass.config.language, "common", [DOMAIN]
    )
    return {key.removeprefix(prefix): text for key, text in common.items()}


def _half_hourly_import(account: Account) -> MeterPoint | None:
    """The first electricity import meter point with a half-hourly agreement."""
    return next(
        (
            point
            for point in account.meter_points
            if point.fuel is Fuel.ELECTRICITY
            and point.direction == "import"
            and any(
                agreement.tariff is not None and agreement.tariff.kind is TariffKind.HALF_HOURLY
                for agreement in point.agreements
            )
        ),
        None,
    )


def _overlapping(
    events: Iterable[CalendarEvent], start: datetime, end: datetime
) -> list[CalendarEvent]:
    return [event for event in events if event.end_datetime_local > start and event.start < end]


def _current_or_next(events: list[CalendarEvent], now: datetime) -> CalendarEvent | None:
    return next((event for event in events if event.end_datetime_local > now), None)


def _kind(dispatch: Dispatch) -> str:
    """smart, boost or test: the supplier's words vary between schemas."""
    if dispatch.is_smart:
        return "smart"
    kind = dispatch.kind or ""
    return next((each for each in _DISPATCH_KINDS if each in kind), "smart")


def _device_name(device: Device) -> str:
    model = " ".join(part for part in (device.make, device.model) if part)
    return device.name or model or device.kind.replace("_", " ").capitalize()


class DispatchCalendar(CoordinatorEntity[KrakenDevicesCoordinator], CalendarEntity):
    """Planned and completed SmartFlex dispatch windows of the account."""

    _attr_has_entity_name = True
    _attr_translation_key = "dispatches"

    def __init__(
        self,
        coordinator: KrakenDevicesCoordinator,
        account: KrakenAccountCoordinator,
        texts: dict[str, str],
    ) -> None:
        super().__init__(coordinator)
        self._texts = texts
        self._attr_unique_id = f"{account.account_number}_dispatches"
        self._attr_device_info = account_device_info(account)
        # Windows seen planned, by device and start: listed after they end even where the
        # instance has no completedDispatches (or forgets them after 12 hours).
        self._seen: dict[tuple[str | None, datetime], Dispatch] = {}
        self._names: dict[str, str] = {}
        self._remember(coordinator.data)

    def _remember(self, data: SmartFlexData | None) -> None:
        if data is None:
            return
        now = dt_util.utcnow()
        for dispatch in data.planned_dispatches:
            self._seen[(dispatch.device_id, dispatch.start)] = dispatch
        for device_id, device in data.live_devices.items():
            self._names[device_id] = _device_name(device)
        self._seen = {
            key: dispatch
            for key, dispatch in self._seen.items()
            if dispatch.end > now - REMEMBER_DISPATCHES
        }

    @callback
    def _handle_coordinator_update(self) -> None:
        self._remember(self.coordinator.data)
        super()._handle_coordinator_update()

    def _dispatches(self) -> list[Dispatch]:
        data: SmartFlexData | None = self.coordinator.data
        seen = dict(self._seen)
        if data is not None:
            for dispatch in data.planned_dispatches:
                seen[(dispatch.device_id, dispatch.start)] = dispatch
        spans = {(dispatch.start, dispatch.end) for dispatch in seen.values()}
        # The account-wide completed list repeats windows already seen per device.
        completed = [
            dispatch
            for dispatch in (data.completed_dispatches if data is not None else ())
            if (dispatch.start, dispatch.end) not in spans
        ]
        return sorted([*seen.values(), *completed], key=lambda dispatch: dispatch.start)

    def _event(self, dispatch: Dispatch) -> CalendarEvent:
        kind = _kind(dispatch)
        summary = self._texts.get(f"dispatch_{kind}", kind)
        name = self._names.get(dispatch.device_id or "")
        if name:
            summary = f"{name}: {summary}"
        description = None
        if dispatch.energy_kwh is not None:
            description = self._texts.get("dispatch_energy", "{energy} kWh").replace(
                "{energy}", f"{dispatch.energy_kwh:.2f}"
            )
        return CalendarEvent(
            start=dispatch.start,
            end=dispatch.end,
            summary=summary,
            description=description,
            uid=f"{dispatch.device_id or 'account'}_{dispatch.start.isoformat()}",
        )

    def _events(self) -> list[CalendarEvent]:
        return [self._event(dispatch) for dispatch in self._dispatches()]

    @property
    def event(self) -> CalendarEvent | None:
        """The dispatch under way, else the next one."""
        return _current_or_next(self._events(), dt_util.utcnow())

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The dispatches overlapping the range."""
        return _overlapping(self._events(), start_date, end_date)


@dataclass(frozen=True, slots=True)
class CheapWindow:
    """The cheapest run of back-to-back rates of a day and its time-weighted mean price."""

    start: datetime
    end: datetime
    mean_price: float


def cheapest_windows(
    periods: Iterable[RatePeriod], zone: tzinfo, length: timedelta = CHEAPEST_WINDOW
) -> list[CheapWindow]:
    """Per local day, the `length` of back-to-back rates with the lowest mean (earliest on a tie).

    Only rates that start and end within the day count; a day without `length` of back-to-back
    published rates has no window.
    """
    by_day: dict[date, list[RatePeriod]] = {}
    for period in sorted(periods, key=lambda period: period.start):
        day = period.start.astimezone(zone).date()
        if (period.end - timedelta(microseconds=1)).astimezone(zone).date() == day:
            by_day.setdefault(day, []).append(period)
    windows: list[CheapWindow] = []
    for day_periods in by_day.values():
        best: CheapWindow | None = None
        for first, period in enumerate(day_periods):
            covered = timedelta()
            weighted = 0.0
            end = period.start
            for following in day_periods[first:]:
                if following.start != end or covered >= length:
                    break
                seconds = (following.end - following.start).total_seconds()
                weighted += following.price.inc_vat * seconds
                covered += following.end - following.start
                end = following.end
            if covered != length:
                continue
            mean = weighted / length.total_seconds()
            if best is None or mean < best.mean_price:
                best = CheapWindow(period.start, end, mean)
        if best is not None:
            windows.append(best)
    return windows


class CheapestRatesCalendar(CoordinatorEntity[KrakenAccountCoordinator], CalendarEntity):
    """Each day's cheapest window of the published half-hourly import rates."""

    _attr_has_entity_name = True
    _attr_translation_key = "cheapest_rates"

    def __init__(self, coordinator: KrakenAccountCoordinator, texts: dict[str, str]) -> None:
        super().__init__(coordinator)
        self._texts = texts
        self._attr_unique_id = f"{coordinator.account_number}_cheapest_rates"
        self._attr_device_info = account_device_info(coordinator)

    def _events(self) -> list[CalendarEvent]:
        point = _half_hourly_import(self.coordinator.data)
        if point is None:
            return []
        periods = {
            period.start: period
            for agreement in point.agreements
            if agreement.tariff is not None and agreement.tariff.kind is TariffKind.HALF_HOURLY
            for period in agreement.tariff.unit_rates or ()
        }
        hours = f"{CHEAPEST_WINDOW.total_seconds() / 3600:g}"
        summary = self._texts.get("cheapest_window", "{hours} h").replace("{hours}", hours)
        template = self._texts.get("cheapest_window_price", "{price} {unit}")
        unit = f"{self.coordinator.currency}/kWh"
        return [
            CalendarEvent(
                start=window.start,
                end=window.end,
                summary=summary,
                description=template.replace("{price}", f"{window.mean_price:.4f}").replace(
                    "{unit}", unit
                ),
                uid=f"cheapest_{window.start.isoformat()}",
            )
            for window in cheapest_windows(periods.values(), dt_util.get_default_time_zone())
        ]

    @property
    def event(self) -> CalendarEvent | None:
        """Today's cheapest window while it lasts, else the next one published."""
        return _current_or_next(self._events(), dt_util.utcnow())

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The windows overlapping the range."""
        return _overlapping(self._events(), start_date, end_date)
