"""Data update coordinators: one per cadence, mapping client errors to Home Assistant's."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
import logging
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api.kraken import (
    KrakenAuthError,
    KrakenClient,
    KrakenConnectionError,
    KrakenError,
    KrakenRateLimitError,
    KrakenSchemaError,
)
from .const import (
    ACCOUNT_UPDATE_INTERVAL,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OFF_PEAK_END,
    CONF_OFF_PEAK_START,
    DEVICES_UPDATE_INTERVAL,
    DOMAIN,
    FAILURE_RETRY_CEILING,
    FAILURE_RETRY_INTERVAL,
    RATES_LOW_WATER,
    RATES_PUBLISHED_HOUR,
)
from .model import Account, MeterPoint, RatePeriod, SmartFlexData, Tariff, TariffKind
from .rates import BandSchedule, day_bounds, next_change

_LOGGER = logging.getLogger(__name__)

type KrakenConfigEntry = ConfigEntry[KrakenRuntimeData]


def schema_issue_id(entry_id: str) -> str:
    """The repair issue saying an entry's Kraken API lacks fields it needs."""
    return f"{entry_id}_supplier_lacks_fields"


class KrakenRuntimeData:
    """What a loaded config entry holds."""

    def __init__(
        self,
        client: KrakenClient,
        account: KrakenAccountCoordinator,
        devices: KrakenDevicesCoordinator,
        account_device_id: str,
    ) -> None:
        self.client = client
        self.account = account
        self.devices = devices
        # The registry id of the account device, which meter points and smart devices hang from.
        self.account_device_id = account_device_id


def band_schedule_from_options(options: dict[str, object]) -> BandSchedule:
    """The household's register times, from the entry options ("HH:MM:SS" strings)."""
    defaults = BandSchedule()
    values: dict[str, time] = {}
    for key, default in (
        (CONF_NIGHT_START, defaults.night_start),
        (CONF_NIGHT_END, defaults.night_end),
        (CONF_OFF_PEAK_START, defaults.off_peak_start),
        (CONF_OFF_PEAK_END, defaults.off_peak_end),
    ):
        raw = options.get(key)
        parsed = dt_util.parse_time(raw) if isinstance(raw, str) else None
        values[key] = parsed or default
    return BandSchedule(**values)


class PollingCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Polls one slice of a provider's data at its own cadence; maps client errors to HA's.

    Each provider names its client's error classes. After a failure the next attempt comes
    after two minutes, doubling with each further failure up to an hour; a Retry-After is
    honoured but never taken shorter than the cadence nor longer than an hour. Entities are
    also woken, without a request, at the next instant the data says something changes (a
    rate or a dispatch window).
    """

    config_entry: ConfigEntry[Any]
    auth_errors: tuple[type[Exception], ...] = (KrakenAuthError,)
    rate_limit_errors: tuple[type[Exception], ...] = (KrakenRateLimitError,)
    connection_errors: tuple[type[Exception], ...] = (KrakenConnectionError,)
    provider_errors: tuple[type[Exception], ...] = (KrakenError,)

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        name: str,
        interval: timedelta,
    ) -> None:
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {name}",
            update_interval=interval,
        )
        self.interval = interval
        self._failures = 0
        self._unsub_change: CALLBACK_TYPE | None = None
        self.listing_count = 0
        """Well-formed answers that listed the items (devices, meter points, chargers) so
        far: listeners tell a new listing from a wake-up or a poll of state alone."""
        self._listed_items = True

    async def _fetch(self) -> DataT:
        raise NotImplementedError

    def _next_change(self, data: DataT, now: datetime) -> datetime | None:
        """When entities should re-read the data next, without a request."""
        return None

    async def _async_update_data(self) -> DataT:
        self.update_interval = self.interval
        self._listed_items = True  # _fetch clears it for a poll of state alone
        try:
            data = await self._fetch()
        except self.auth_errors as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except self.rate_limit_errors as err:
            asked: float | None = getattr(err, "retry_after", None)
            delay = self._retry_delay(asked)
            raise self._failure("rate_limited", {"seconds": str(round(delay))}, delay) from err
        except self.connection_errors as err:
            raise self._failure("cannot_connect", {"error": str(err)}) from err
        except self.provider_errors as err:
            raise self._failure("api_error", {"error": str(err)}) from err
        self._failures = 0
        if self._listed_items:
            self.listing_count += 1
        return data

    def _retry_delay(self, asked: float | None) -> float:
        """Seconds until the next attempt after one more failure.

        Two minutes doubling per consecutive failure, at most an hour (the exponent is
        bounded, so a long outage cannot overflow); a Retry-After the service asked for is
        kept within [cadence, one hour], so throttling never makes the integration ask more
        often than it normally would.
        """
        ceiling = FAILURE_RETRY_CEILING.total_seconds()
        if asked is not None and math.isfinite(asked):
            return min(max(asked, self.interval.total_seconds()), ceiling)
        doublings = min(self._failures, 12)
        return min(FAILURE_RETRY_INTERVAL.total_seconds() * 2.0**doublings, ceiling)

    def _failure(
        self, key: str, placeholders: dict[str, str], delay: float | None = None
    ) -> UpdateFailed:
        """An UpdateFailed that sets when the next attempt comes."""
        if delay is None:
            delay = self._retry_delay(None)
        self._failures += 1
        self.update_interval = timedelta(seconds=delay)
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
            retry_after=delay,
        )

    @callback
    def async_set_updated_data(self, data: DataT) -> None:
        """Take data fetched elsewhere (a combined request) as a well-formed answer."""
        if not self.last_update_success:
            # The same line Home Assistant logs when a poll of its own recovers.
            self.logger.info("Fetching %s data recovered", self.name)
        self._failures = 0
        self.listing_count += 1
        super().async_set_updated_data(data)

    @callback
    def async_update_listeners(self) -> None:
        """Tell entities to re-read, and wake them again at the next change."""
        super().async_update_listeners()
        self.cancel_change_timer()
        data: DataT | None = self.data
        if data is None:
            return
        when = self._next_change(data, dt_util.utcnow())
        if when is not None:
            self._unsub_change = async_track_point_in_utc_time(self.hass, self._changed, when)

    @callback
    def _changed(self, _now: datetime) -> None:
        self._unsub_change = None
        self.async_update_listeners()

    @callback
    def cancel_change_timer(self) -> None:
        """Stop waking entities (on unload)."""
        if self._unsub_change is not None:
            self._unsub_change()
            self._unsub_change = None


class KrakenCoordinator[DataT](PollingCoordinator[DataT]):
    """A slice of one Kraken account."""

    config_entry: KrakenConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        name: str,
        interval: timedelta,
        account_number: str,
    ) -> None:
        # Named by the entry id, so logs do not carry the account number.
        super().__init__(hass, entry, name=f"{name} {entry.entry_id}", interval=interval)
        self.client = client
        self.account_number = account_number


class KrakenAccountCoordinator(KrakenCoordinator[Account]):
    """Account, balance, meter points and agreements, with half-hourly rates when due.

    One request per cycle. Half-hourly rates are asked for only when none are held for an
    agreement, when the held ones run out soon, or in the afternoon until tomorrow's appear;
    between those requests the held rates are merged back into the parsed account.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        account_number: str,
        currency: str,
        supplier_name: str,
        devices: KrakenDevicesCoordinator,
    ) -> None:
        super().__init__(
            hass,
            entry,
            client,
            name="account",
            interval=ACCOUNT_UPDATE_INTERVAL,
            account_number=account_number,
        )
        self.devices = devices
        self.currency = currency
        self.supplier_name = supplier_name
        self.bands = band_schedule_from_options(dict(entry.options))
        self._rates: dict[tuple[str, str], tuple[RatePeriod, ...]] = {}

    async def _fetch(self) -> Account:
        now = dt_util.utcnow()
        include_rates = self._rates_due(now)
        try:
            account = await self._fetch_account(include_rates)
        except KrakenSchemaError as err:
            # Asking again will not help: say what the supplier's API lacks, once.
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                schema_issue_id(self.config_entry.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="supplier_lacks_fields",
                translation_placeholders={
                    "supplier": self.supplier_name,
                    "fields": ", ".join(err.missing),
                },
            )
            raise
        ir.async_delete_issue(self.hass, DOMAIN, schema_issue_id(self.config_entry.entry_id))
        if not include_rates and self._rates_missing(account, now):
            # A new agreement: fetch its rates now rather than at the next cycle.
            include_rates = True
            account = await self._fetch_account(include_rates=True)
        return self._merge_rates(account, now, fresh=include_rates)

    async def _fetch_account(self, include_rates: bool) -> Account:
        """The account, with the SmartFlex devices riding along where the API has them."""
        await self.client.ensure_schema()
        if not self.client.has_smartflex():
            self.devices.async_set_unsupported()
            return await self.client.fetch_account(
                self.account_number, currency=self.currency, include_rates=include_rates
            )
        asked = self.devices.dispatch_devices()
        account, smartflex = await self.client.fetch_account_with_devices(
            self.account_number,
            currency=self.currency,
            include_rates=include_rates,
            dispatch_devices=asked,
        )
        smartflex = await self.devices.with_new_devices_dispatches(smartflex, asked)
        self.devices.async_set_updated_data(smartflex)
        return account

    def _next_change(self, data: Account, now: datetime) -> datetime | None:
        tariffs = [
            agreement.tariff
            for point in data.meter_points
            if (agreement := point.agreement_at(now)) and agreement.tariff
        ]
        return next_change(tariffs, now, dt_util.get_default_time_zone(), self.bands)

    def _half_hourly_agreements(
        self, account: Account, now: datetime
    ) -> list[tuple[MeterPoint, Tariff]]:
        found = []
        for point in account.meter_points:
            agreement = point.agreement_at(now)
            if agreement and agreement.tariff and agreement.tariff.kind is TariffKind.HALF_HOURLY:
                found.append((point, agreement.tariff))
        return found

    def _rates_due(self, now: datetime) -> bool:
        if self.data is None or not self._rates:
            # Nothing known yet: the first request asks for everything.
            return self.data is None
        zone = dt_util.get_default_time_zone()
        _, today_end = day_bounds(now, zone)
        tomorrow_end = today_end + timedelta(days=1)
        after_publication = now.astimezone(zone).hour >= RATES_PUBLISHED_HOUR
        for periods in self._rates.values():
            held_until = periods[-1].end if periods else now
            if held_until - now < RATES_LOW_WATER:
                return True
            if after_publication and held_until < tomorrow_end:
                return True
        return False

    def _rates_missing(self, account: Account, now: datetime) -> bool:
        return any(
            (point.identifier, tariff.tariff_code) not in self._rates
            for point, tariff in self._half_hourly_agreements(account, now)
        )

    def _merge_rates(self, account: Account, now: datetime, *, fresh: bool) -> Account:
        """Keep fetched rates, and put held ones back into agreements fetched without them."""
        keep_from = day_bounds(now, dt_util.get_default_time_zone())[0] - timedelta(days=1)
        rates: dict[tuple[str, str], tuple[RatePeriod, ...]] = {}
        points = []
        for point in account.meter_points:
            agreements = []
            for agreement in point.agreements:
                tariff = agreement.tariff
                if tariff is None or tariff.kind is not TariffKind.HALF_HOURLY:
                    agreements.append(agreement)
                    continue
                key = (point.identifier, tariff.tariff_code)
                # Rates parsed now are current (a dynamic German tariff always carries them).
                periods = tariff.unit_rates if fresh or tariff.unit_rates else None
                if periods is None:
                    periods = self._rates.get(key, ())
                periods = tuple(period for period in periods if period.end > keep_from)
                rates[key] = periods
                agreements.append(replace(agreement, tariff=replace(tariff, unit_rates=periods)))
            points.append(replace(point, agreements=tuple(agreements)))
        self._rates = rates
        return replace(account, meter_points=tuple(points))


class KrakenDevicesCoordinator(KrakenCoordinator[SmartFlexData]):
    """SmartFlex devices and dispatches, every few minutes while the account has devices.

    Every account request carries the devices too and hands them over here, which restarts
    this coordinator's own cadence: no cycle sends two requests.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        account_number: str,
    ) -> None:
        super().__init__(
            hass,
            entry,
            client,
            name="devices",
            interval=DEVICES_UPDATE_INTERVAL,
            account_number=account_number,
        )

    async def _fetch(self) -> SmartFlexData:
        asked = self.dispatch_devices()
        data = await self.client.fetch_smartflex(self.account_number, asked)
        data = await self.with_new_devices_dispatches(data, asked)
        self._follow_devices(data)
        return data

    def dispatch_devices(self) -> tuple[str, ...]:
        """The devices whose planned dispatches to ask for: live vehicles and charge points.

        Kraken plans per device since 2025 (one root field each, in the same request).
        """
        data: SmartFlexData | None = self.data
        if data is None:
            return ()
        return tuple(
            device.device_id
            for device in data.devices
            if device.charges_vehicles and not device.is_retired
        )

    async def with_new_devices_dispatches(
        self, data: SmartFlexData, asked: tuple[str, ...]
    ) -> SmartFlexData:
        """The data, asked again at once when it lists a device new since the last answer.

        So a new device's planned dispatches do not wait a cycle.
        """
        if not data.per_device:
            return data
        wanted = tuple(
            device.device_id
            for device in data.devices
            if device.charges_vehicles and not device.is_retired
        )
        if set(wanted) <= set(asked):
            return data
        return await self.client.fetch_smartflex(self.account_number, wanted)

    @callback
    def async_set_unsupported(self) -> None:
        """The supplier's API has no SmartFlex: no devices, and no poll of its own."""
        self.update_interval = None
        data: SmartFlexData | None = self.data
        if data is None:
            # Not a listing: devices known from before are not judged gone on this.
            empty = SmartFlexData(devices=(), planned_dispatches=(), completed_dispatches=())
            DataUpdateCoordinator.async_set_updated_data(self, empty)

    @callback
    def async_set_updated_data(self, data: SmartFlexData) -> None:
        """Take devices fetched along with the account; the own poll starts over."""
        self._follow_devices(data)
        super().async_set_updated_data(data)

    def _follow_devices(self, data: SmartFlexData) -> None:
        """Poll on its own only while the account has devices.

        Without any, the account's half-hourly request carries the check for new ones.
        """
        active = any(not device.is_retired for device in data.devices)
        self.interval = DEVICES_UPDATE_INTERVAL if active else ACCOUNT_UPDATE_INTERVAL
        self.update_interval = DEVICES_UPDATE_INTERVAL if active else None

    def _next_change(self, data: SmartFlexData, now: datetime) -> datetime | None:
        edges = [
            edge
            for dispatch in data.planned_dispatches
            for edge in (dispatch.start, dispatch.end)
            if edge > now
        ]
        return min(edges, default=None)
