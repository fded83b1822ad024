"""The polling coordinator every provider's coordinators build on."""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import DOMAIN, FAILURE_RETRY_CEILING, FAILURE_RETRY_INTERVAL
from .errors import ErrorTable

_LOGGER = logging.getLogger(__name__)


class PollingCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Polls one slice of a provider's data at its own cadence; maps client errors to HA's.

    Each provider hands over its client's error table (`errors`); there is no default. After a
    failure the next attempt comes after two minutes, doubling with each further failure up to
    an hour; a Retry-After is honoured but never taken shorter than the cadence nor longer than
    an hour. Entities are also woken, without a request, at the next instant the data says
    something changes (a rate or a dispatch window).
    """

    config_entry: ConfigEntry[Any]

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        name: str,
        interval: timedelta,
        errors: ErrorTable,
    ) -> None:
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {name}",
            update_interval=interval,
        )
        self.interval = interval
        self.errors = errors
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
        errors = self.errors
        try:
            data = await self._fetch()
        except errors.auth as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except errors.rate_limit as err:
            asked: float | None = getattr(err, "retry_after", None)
            delay = self._retry_delay(asked)
            raise self._failure("rate_limited", {"seconds": str(round(delay))}, delay) from err
        except errors.connection as err:
            raise self._failure("cannot_connect", {"error": str(err)}) from err
        except errors.base as err:
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
