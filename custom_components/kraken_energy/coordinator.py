"""Data update coordinators: one per cadence, mapping client errors to Home Assistant's."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
import inspect
import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api.kraken import (
    KrakenAuthError,
    KrakenClient,
    KrakenConnectionError,
    KrakenError,
    KrakenRateLimitError,
)
from .const import (
    ACCOUNT_UPDATE_INTERVAL,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OFF_PEAK_END,
    CONF_OFF_PEAK_START,
    DOMAIN,
    FAILURE_RETRY_INTERVAL,
    RATES_LOW_WATER,
    RATES_PUBLISHED_HOUR,
)
from .model import Account, MeterPoint, RatePeriod, Tariff, TariffKind
from .rates import BandSchedule, day_bounds, next_change

_LOGGER = logging.getLogger(__name__)

type KrakenConfigEntry = ConfigEntry[KrakenRuntimeData]

# HA 2025.5 added UpdateFailed(retry_after=...); older releases get the same effect below.
_UPDATE_FAILED_TAKES_RETRY_AFTER = "retry_after" in inspect.signature(UpdateFailed).parameters


class KrakenRuntimeData:
    """What a loaded config entry holds."""

    def __init__(
        self,
        client: KrakenClient,
        account: KrakenAccountCoordinator,
        options: dict[str, object],
    ) -> None:
        self.client = client
        self.account = account
        self.options = options


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


class KrakenAccountCoordinator(DataUpdateCoordinator[Account]):
    """Account, balance, meter points and agreements, with half-hourly rates when due.

    One request per cycle. Half-hourly rates are asked for only when none are held for an
    agreement, when the held ones run out soon, or in the afternoon until tomorrow's appear;
    between those requests the held rates are merged back into the parsed account.
    """

    config_entry: KrakenConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        account_number: str,
        currency: str,
        supplier_name: str,
    ) -> None:
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} account {account_number}",
            update_interval=ACCOUNT_UPDATE_INTERVAL,
        )
        self.client = client
        self.account_number = account_number
        self.currency = currency
        self.supplier_name = supplier_name
        self.bands = band_schedule_from_options(dict(entry.options))
        self._rates: dict[tuple[str, str], tuple[RatePeriod, ...]] = {}
        self._failures = 0
        self._unsub_rate_change: CALLBACK_TYPE | None = None

    async def _async_update_data(self) -> Account:
        self.update_interval = ACCOUNT_UPDATE_INTERVAL
        try:
            now = dt_util.utcnow()
            include_rates = self._rates_due(now)
            account = await self.client.fetch_account(
                self.account_number, currency=self.currency, include_rates=include_rates
            )
            if not include_rates and self._rates_missing(account, now):
                # A new agreement: fetch its rates now rather than at the next cycle.
                include_rates = True
                account = await self.client.fetch_account(
                    self.account_number, currency=self.currency, include_rates=True
                )
        except KrakenAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except KrakenRateLimitError as err:
            retry_after = err.retry_after or FAILURE_RETRY_INTERVAL.total_seconds()
            raise self._failure(
                "rate_limited", {"seconds": str(round(retry_after))}, retry_after
            ) from err
        except KrakenConnectionError as err:
            raise self._failure("cannot_connect", {"error": str(err)}, None) from err
        except KrakenError as err:
            raise self._failure("api_error", {"error": str(err)}, None) from err
        self._failures = 0
        return self._merge_rates(account, now, fresh=include_rates)

    def _failure(
        self, key: str, placeholders: dict[str, str], retry_after: float | None
    ) -> UpdateFailed:
        """An UpdateFailed that retries sooner than the normal cadence.

        With no delay from the API, retries back off from two minutes to the normal interval.
        """
        self._failures += 1
        if retry_after is None:
            backoff = FAILURE_RETRY_INTERVAL * 2 ** (self._failures - 1)
            retry_after = min(backoff, ACCOUNT_UPDATE_INTERVAL).total_seconds()
        self.update_interval = timedelta(seconds=retry_after)
        if _UPDATE_FAILED_TAKES_RETRY_AFTER:  # pragma: no cover - newer Home Assistant
            return UpdateFailed(  # type: ignore[call-arg]
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders=placeholders,
                retry_after=retry_after,
            )
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        )

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
                periods = tariff.unit_rates if fresh else None
                if periods is None:
                    periods = self._rates.get(key, ())
                periods = tuple(period for period in periods if period.end > keep_from)
                rates[key] = periods
                agreements.append(replace(agreement, tariff=replace(tariff, unit_rates=periods)))
            points.append(replace(point, agreements=tuple(agreements)))
        self._rates = rates
        return replace(account, meter_points=tuple(points))

    @callback
    def async_update_listeners(self) -> None:
        """Tell entities to re-read, and wake them again at the next change of rate."""
        super().async_update_listeners()
        self._schedule_rate_change()

    @callback
    def _schedule_rate_change(self) -> None:
        self.cancel_rate_timer()
        account: Account | None = self.data
        if account is None:
            return
        now = dt_util.utcnow()
        tariffs = [
            agreement.tariff
            for point in account.meter_points
            if (agreement := point.agreement_at(now)) and agreement.tariff
        ]
        when = next_change(tariffs, now, dt_util.get_default_time_zone(), self.bands)
        self._unsub_rate_change = async_track_point_in_utc_time(self.hass, self._rate_changed, when)

    @callback
    def _rate_changed(self, _now: datetime) -> None:
        self._unsub_rate_change = None
        self.async_update_listeners()

    @callback
    def cancel_rate_timer(self) -> None:
        """Stop waking entities at rate changes (on unload)."""
        if self._unsub_rate_change is not None:
            self._unsub_rate_change()
            self._unsub_rate_change = None
