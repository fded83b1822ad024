"""The polling coordinator every provider's coordinators build on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging
import math
import random
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    FAILURE_RETRY_CEILING,
    FAILURE_RETRY_INTERVAL,
    STALE_AFTER_CYCLES,
    STALE_MARGIN,
    TRANSIENT_RETRY_DELAY,
)
from .errors import ErrorTable

_LOGGER = logging.getLogger(__name__)


class PollingCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Polls one slice of a provider's data at its own cadence; maps client errors to HA's.

    Each provider hands over its client's error table (`errors`); there is no default.

    A failed poll costs entities nothing while the data they show is recent: until it is
    `STALE_AFTER_CYCLES` cycles old, a failure keeps the last data (logged at debug only) and
    entities stay available. A failure on the way (no answer, a server error, a body that does
    not parse) is asked again once, seconds later; throttling and refused credentials never
    are. After that the next attempt comes after two minutes, doubling with each further
    failure up to an hour; a Retry-After is honoured but never taken shorter than the cadence
    nor longer than an hour. Once the data is too old, entities turn unavailable and the log
    says so once (a warning); Home Assistant logs once when the service answers again.
    Refused credentials start reauthentication at once.

    Entities are also woken, without a request, at the next instant the data says something
    changes (a rate or a dispatch window).
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
        self._retried = False
        self._last_success: datetime | None = None
        self._last_error = ""
        self._unsub_change: CALLBACK_TYPE | None = None
        self._unsub_stale: CALLBACK_TYPE | None = None
        self.listing_count = 0
        """Well-formed answers that listed the items (devices, meter points, chargers) so
        far: listeners tell a new listing from a wake-up or a poll of state alone."""
        self._listed_items = True

    async def _fetch(self) -> DataT:
        raise NotImplementedError

    def _next_change(self, data: DataT, now: datetime) -> datetime | None:
        """When entities should re-read the data next, without a request."""
        return None

    @property
    def data_fresh(self) -> bool:
        """Whether the data is recent enough for entities to show (see the class)."""
        return self.last_update_success

    @property
    def stale_after(self) -> timedelta:
        """How old the data may grow while polls fail before entities turn unavailable."""
        return STALE_AFTER_CYCLES * self.interval + STALE_MARGIN

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
            self._failures += 1
            self._retried = False
            return self._failed(err, "rate_limited", {"seconds": str(round(delay))}, delay)
        except errors.base as err:
            key = "cannot_connect" if isinstance(err, errors.connection) else "api_error"
            if self._failures == 0 and not self._retried and self._transient(err):
                # Once per failure, and only after a success: never a burst at an outage.
                self._retried = True
                jitter = random.random()  # noqa: S311 - spreads retries, no secret
                delay = TRANSIENT_RETRY_DELAY.total_seconds() * (1 + jitter)
            else:
                self._retried = False
                delay = self._retry_delay(None)
                self._failures += 1
            return self._failed(err, key, {"error": str(err)}, delay)
        self._succeeded()
        if self._listed_items:
            self.listing_count += 1
        return data

    def _transient(self, err: Exception) -> bool:
        """Whether asking again at once may get an answer: anything but a refusal."""
        return isinstance(err, self.errors.connection) or self.errors.refusal(err) is None

    def _failed(
        self, err: Exception, key: str, placeholders: dict[str, str], delay: float
    ) -> DataT:
        """The data as last read while it is recent; else an UpdateFailed (entities go).

        The next attempt comes in `delay` seconds either way.
        """
        self._last_error = str(err)
        self.update_interval = timedelta(seconds=delay)
        data: DataT | None = self.data
        if data is not None and self._keep_while_fresh(self._went_stale):
            _LOGGER.debug(
                "%s: %s; showing the data read at %s, asking again in %.0f s",
                self.name,
                err,
                self._last_success,
                delay,
            )
            return data
        if data is not None:
            self._mark_stale()
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
            retry_after=delay,
        ) from err

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

    def _keep_while_fresh(self, went_stale: Callable[[datetime], None]) -> bool:
        """Whether the last good data is still recent enough to show after a failure.

        If it is, `went_stale` is called the moment it no longer is (once, until a success).
        """
        since = self._last_success
        if since is None or dt_util.utcnow() - since > self.stale_after:
            return False
        if self._unsub_stale is None:
            self._unsub_stale = async_track_point_in_utc_time(
                self.hass, went_stale, since + self.stale_after
            )
        return True

    @callback
    def _went_stale(self, _now: datetime) -> None:
        self._unsub_stale = None
        if self._mark_stale():
            self.async_update_listeners()

    def _mark_stale(self) -> bool:
        """Entities go unavailable: logged once, as a warning (not HA's error per poll).

        Home Assistant logs the first failed refresh while `last_update_success` holds and
        its recovery once it is false; setting it here leaves only the recovery line to it.
        """
        self._cancel_stale_timer()
        if not self.last_update_success:
            return False
        self.last_update_success = False
        _LOGGER.warning(
            "%s has not answered %s since %s; its entities are unavailable until it does: %s",
            self.errors.service,
            self.name,
            self._last_success.isoformat() if self._last_success else "the start",
            self._last_error,
        )
        return True

    def _succeeded(self) -> None:
        self._failures = 0
        self._retried = False
        self._last_success = dt_util.utcnow()
        self._cancel_stale_timer()

    @callback
    def note_pushed_data(self) -> None:
        """Data arrived by push (a stream, a webhook): it is fresh, whatever the polls do.

        Unlike a poll's success this leaves the polls' backoff alone: the service's push
        channel working says nothing about its API.
        """
        self._last_success = dt_util.utcnow()
        self._cancel_stale_timer()
        self._log_recovery()
        self.last_update_success = True

    def _log_recovery(self) -> None:
        """Data arrived other than by a poll: the line Home Assistant logs when a poll recovers."""
        if not self.last_update_success:
            self.logger.info("Fetching %s data recovered", self.name)

    def _cancel_stale_timer(self) -> None:
        if self._unsub_stale is not None:
            self._unsub_stale()
            self._unsub_stale = None

    @callback
    def async_set_updated_data(self, data: DataT) -> None:
        """Take data fetched elsewhere (a combined request) as a well-formed answer."""
        self._log_recovery()
        self._succeeded()
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

    async def async_shutdown(self) -> None:
        """Stop every timer of this coordinator (Home Assistant calls this on unload)."""
        self.cancel_change_timer()
        self._cancel_stale_timer()
        await super().async_shutdown()
