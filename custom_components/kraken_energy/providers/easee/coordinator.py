"""Easee chargers: the entry's runtime data and its coordinator."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from ...api.easee import (
    EaseeApiError,
    EaseeAuthError,
    EaseeCharger,
    EaseeChargerState,
    EaseeClient,
    EaseeConnectionError,
    EaseeError,
    EaseeNotFoundError,
    EaseeRateLimitError,
)
from ...api.easee.observations import EaseeObservation, apply_observation
from ...api.easee.stream import EaseeStream
from ...const import CONF_ENDPOINT, DOMAIN
from ...coordinator import PollingCoordinator
from ...errors import ErrorTable
from .const import (
    CONF_SITES,
    EASEE_CONFIG_INTERVAL,
    EASEE_STREAM_CONFIG_INTERVAL,
    EASEE_STREAM_POLL_INTERVAL,
    EASEE_UPDATE_INTERVAL,
)

_LOGGER = logging.getLogger(__name__)

type EaseeConfigEntry = ConfigEntry[EaseeRuntimeData]


def _refusal(err: Exception) -> HomeAssistantError | None:
    """Why Easee refused a command, as it says it."""
    if not isinstance(err, EaseeApiError):
        return None
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="command_refused",
        # No reason at all: the message says Easee gave none (not an HTTP status line).
        translation_placeholders={"reason": err.reason or err.code_name or ""},
    )


EASEE_ERRORS = ErrorTable(
    service="Easee",
    base=EaseeError,
    auth=EaseeAuthError,
    rate_limit=EaseeRateLimitError,
    connection=EaseeConnectionError,
    refusal=_refusal,
)


@dataclass(frozen=True, slots=True)
class EaseeData:
    """The chargers of the entry's sites, each with its latest state and config."""

    chargers: dict[str, EaseeCharger]


class EaseeRuntimeData:
    """What a loaded Easee entry holds."""

    def __init__(self, client: EaseeClient, coordinator: EaseeCoordinator) -> None:
        self.client = client
        self.coordinator = coordinator


def easee_client(hass: HomeAssistant, data: Mapping[str, Any]) -> EaseeClient:
    """A client for an entry's (or a flow's) Easee credentials."""
    return EaseeClient(
        async_get_clientsession(hass),
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        base_url=data[CONF_ENDPOINT],
    )


def _state_after(result: object, known: EaseeCharger | None) -> EaseeChargerState | None:
    """A charger's state after a poll: the new one, none if it is not found, else as known."""
    if isinstance(result, EaseeChargerState):
        return result
    if isinstance(result, EaseeNotFoundError) or known is None:
        return None
    return known.state


class EaseeCoordinator(PollingCoordinator[EaseeData]):
    """Every charger's state each minute; the charger list and settings every 15 minutes.

    While Easee's stream is up (`attach_stream`), what it pushes is applied at once and the
    polls become a safety net: the state every 30 minutes, the list and settings hourly.
    When it drops, polling at the full cadence resumes at once. A command refreshes the
    charger it went to at once (`async_refresh_charger`).
    """

    config_entry: EaseeConfigEntry

    def __init__(self, hass: HomeAssistant, entry: EaseeConfigEntry, client: EaseeClient) -> None:
        # Named by the entry id: the username is an email address, which logs must not show.
        super().__init__(
            hass,
            entry,
            name=f"easee {entry.entry_id}",
            interval=EASEE_UPDATE_INTERVAL,
            errors=EASEE_ERRORS,
        )
        self.client = client
        self.site_ids: set[int] = {int(site) for site in entry.data.get(CONF_SITES, [])}
        self._settings_due: datetime | None = None
        # Chargers whose last answer failed: logged once when they fail and when they heal.
        self._unreadable: set[str] = set()
        self.stream: EaseeStream | None = None

    @property
    def streaming(self) -> bool:
        """Whether the stream is up (it then carries the state)."""
        return self.stream is not None and self.stream.connected

    def attach_stream(self, stream: EaseeStream) -> None:
        """Take the state from this stream while it is up."""
        self.stream = stream

    @callback
    def stream_connected(self) -> None:
        """The stream is up: polls become the safety net from the next one on."""
        self.interval = EASEE_STREAM_POLL_INTERVAL

    @callback
    def stream_disconnected(self) -> None:
        """The stream is down: poll at the full cadence again, starting now."""
        self.interval = EASEE_UPDATE_INTERVAL
        if self.hass.is_stopping:
            return
        if self.update_interval is not None and self.update_interval > self.interval:
            self.update_interval = self.interval
            self.hass.async_create_task(self.async_request_refresh())

    @callback
    def observed(self, observation: EaseeObservation) -> None:
        """Apply one streamed observation; entities re-read at once if it changed anything.

        The data is replaced without `async_set_updated_data`, which would put the next
        (safety-net) poll off again with every observation.
        """
        data: EaseeData | None = self.data
        charger = data.chargers.get(observation.charger_id) if data else None
        if data is None or charger is None:
            return
        updated = apply_observation(charger, observation)
        if updated is charger:
            return
        self.data = EaseeData({**data.chargers, observation.charger_id: updated})
        self.note_pushed_data()
        self.async_update_listeners()

    async def _fetch(self) -> EaseeData:
        now = dt_util.utcnow()
        previous: EaseeData | None = self.data
        if previous is None or self._settings_due is None or now >= self._settings_due:
            return await self._fetch_chargers(now, previous)
        self._listed_items = False  # states only: the charger list is as last read
        results = await asyncio.gather(
            *(self.client.fetch_state(charger_id) for charger_id in previous.chargers),
            return_exceptions=True,
        )
        by_id = dict(zip(previous.chargers, results, strict=True))
        failures = self._per_charger_failures(by_id)
        if failures.keys() - self._unreadable:
            # A charger newly answers "not found": read the list again at the next poll, in
            # case it left (once: a listed charger that stays unreadable waits for the list).
            self._settings_due = now
        self._unreadable = set(failures)
        # Merge into the latest data: a command may have refreshed a charger's settings since.
        latest: EaseeData = self.data
        return EaseeData(
            {
                charger_id: replace(charger, state=_state_after(by_id.get(charger_id), charger))
                for charger_id, charger in latest.chargers.items()
            }
        )

    async def _fetch_chargers(self, now: datetime, previous: EaseeData | None) -> EaseeData:
        """The charger list, with each charger's state and settings."""
        listed = [
            charger
            for site in await self.client.fetch_sites()
            if not self.site_ids or site.site_id in self.site_ids
            for charger in site.chargers
        ]
        results = await asyncio.gather(
            *(self.client.fetch_charger(charger) for charger in listed), return_exceptions=True
        )
        by_id = {charger.charger_id: charger for charger in listed}
        failures = self._per_charger_failures(dict(zip(by_id, results, strict=True)))
        self._unreadable = set(failures)
        self._settings_due = now + (
            EASEE_STREAM_CONFIG_INTERVAL if self.streaming else EASEE_CONFIG_INTERVAL
        )
        if self.stream is not None:
            self.stream.set_chargers(charger.charger_id for charger in listed)
        chargers: dict[str, EaseeCharger] = {}
        for charger, result in zip(listed, results, strict=True):
            if isinstance(result, EaseeCharger):
                chargers[charger.charger_id] = result
                continue
            # Listed but unreadable: it stays, with what was known of it (its entities show
            # unavailable while its state is missing).
            known = previous.chargers.get(charger.charger_id) if previous else None
            chargers[charger.charger_id] = replace(
                charger,
                state=_state_after(result, known),
                config=known.config if known else None,
            )
        return EaseeData(chargers)

    def _per_charger_failures(self, results: Mapping[str, object]) -> dict[str, EaseeError]:
        """The chargers whose answer failed; raises when the failure is the whole account's.

        Refused credentials and throttling concern every charger; so does every charger
        failing. One charger that cannot be read costs only its own entities.
        """
        failures: dict[str, EaseeError] = {}
        for charger_id, result in results.items():
            if isinstance(result, EaseeAuthError | EaseeRateLimitError):
                raise result
            if isinstance(result, EaseeError):
                failures[charger_id] = result
            elif isinstance(result, BaseException):
                raise result
        if results and len(failures) == len(results):
            raise next(iter(failures.values()))
        for charger_id, error in failures.items():
            if charger_id not in self._unreadable:
                # A passing failure keeps the charger's last state: not worth a warning.
                level = logging.WARNING if isinstance(error, EaseeNotFoundError) else logging.DEBUG
                _LOGGER.log(level, "Charger %s could not be read: %s", charger_id, error)
        for charger_id in self._unreadable - failures.keys():
            _LOGGER.debug("Charger %s can be read again", charger_id)
        return failures

    async def async_refresh_charger(self, charger_id: str) -> None:
        """Fetch one charger's state and settings now, after a command."""
        data: EaseeData | None = self.data
        if data is None or charger_id not in data.chargers:
            await self.async_request_refresh()
            return
        try:
            charger = await self.client.fetch_charger(data.chargers[charger_id])
        except EaseeError:
            # The command went through; the next poll will show its effect.
            return
        self.async_set_updated_data(EaseeData({**data.chargers, charger_id: charger}))
