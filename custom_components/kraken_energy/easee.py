"""Easee chargers: the config entry's runtime data, its coordinator and the charger entity base."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
import logging
from typing import Any, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .api.easee import (
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
from .const import (
    CONF_ENDPOINT,
    CONF_PROVIDER,
    CONF_SITES,
    DOMAIN,
    EASEE_CONFIG_INTERVAL,
    EASEE_UPDATE_INTERVAL,
    PROVIDER_EASEE,
)
from .coordinator import PollingCoordinator
from .entity import async_add_item_entities, async_follow_departures
from .model import Readings

_LOGGER = logging.getLogger(__name__)

EASEE_PREFIX = "easee_"


@dataclass(frozen=True, slots=True)
class EaseeData:
    """The chargers of the entry's sites, each with its latest state and config."""

    chargers: dict[str, EaseeCharger]


class EaseeRuntimeData:
    """What a loaded Easee entry holds."""

    def __init__(self, client: EaseeClient, coordinator: EaseeCoordinator) -> None:
        self.client = client
        self.coordinator = coordinator


type EaseeConfigEntry = ConfigEntry[EaseeRuntimeData]


def easee_entry(entry: ConfigEntry[Any]) -> EaseeConfigEntry | None:
    """The entry as an Easee entry, or None for a Kraken supplier account."""
    if entry.data.get(CONF_PROVIDER) == PROVIDER_EASEE:
        return cast("EaseeConfigEntry", entry)
    return None


def _state_after(result: object, known: EaseeCharger | None) -> EaseeChargerState | None:
    """A charger's state after a poll: the new one, none if it is not found, else as known."""
    if isinstance(result, EaseeChargerState):
        return result
    if isinstance(result, EaseeNotFoundError) or known is None:
        return None
    return known.state


class EaseeCoordinator(PollingCoordinator[EaseeData]):
    """Every charger's state each minute; the charger list and settings every 15 minutes.

    A command refreshes the charger it went to at once (`async_refresh_charger`).
    """

    auth_errors = (EaseeAuthError,)
    rate_limit_errors = (EaseeRateLimitError,)
    connection_errors = (EaseeConnectionError,)
    provider_errors = (EaseeError,)
    config_entry: EaseeConfigEntry

    def __init__(self, hass: HomeAssistant, entry: EaseeConfigEntry, client: EaseeClient) -> None:
        # Named by the entry id: the username is an email address, which logs must not show.
        super().__init__(
            hass, entry, name=f"easee {entry.entry_id}", interval=EASEE_UPDATE_INTERVAL
        )
        self.client = client
        self.site_ids: set[int] = {int(site) for site in entry.data.get(CONF_SITES, [])}
        self._settings_due: datetime | None = None
        # Chargers whose last answer failed: logged once when they fail and when they heal.
        self._unreadable: set[str] = set()

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
        self._settings_due = now + EASEE_CONFIG_INTERVAL
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
                _LOGGER.warning("Charger %s could not be read: %s", charger_id, error)
        for charger_id in self._unreadable - failures.keys():
            _LOGGER.info("Charger %s can be read again", charger_id)
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


def easee_client(hass: HomeAssistant, data: Mapping[str, Any]) -> EaseeClient:
    """A client for an entry's (or a flow's) Easee credentials."""
    return EaseeClient(
        async_get_clientsession(hass),
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        base_url=data[CONF_ENDPOINT],
    )


async def async_setup_easee_entry(hass: HomeAssistant, entry: EaseeConfigEntry) -> None:
    """Sign in, fetch the chargers and keep the device registry in step with them."""
    client = easee_client(hass, dict(entry.data))
    coordinator = EaseeCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = EaseeRuntimeData(client, coordinator)

    async_follow_departures(hass, entry, coordinator, lambda: easee_device_identifiers(entry))


def easee_device_identifiers(entry: EaseeConfigEntry) -> set[tuple[str, str]]:
    """The registry identifiers of the chargers the entry has now."""
    data: EaseeData | None = entry.runtime_data.coordinator.data
    chargers = data.chargers if data else {}
    return {(DOMAIN, f"{EASEE_PREFIX}{charger_id}") for charger_id in chargers}


@callback
def async_add_charger_entities[EntityT: Entity](
    entry: EaseeConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[EaseeCharger], Iterable[EntityT]],
) -> None:
    """Add entities for every charger now, and for chargers that appear later."""
    coordinator = entry.runtime_data.coordinator

    def current_chargers() -> dict[str, EaseeCharger] | None:
        data: EaseeData | None = coordinator.data
        return data.chargers if data is not None else None

    async_add_item_entities(entry, coordinator, async_add_entities, current_chargers, entities_for)


class EaseeChargerEntity(CoordinatorEntity[EaseeCoordinator]):
    """An entity of one Easee charger; unavailable while the charger is offline or gone."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: EaseeCoordinator, description: EntityDescription, charger: EaseeCharger
    ) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self.charger_id = charger.charger_id
        self._attr_unique_id = f"{EASEE_PREFIX}{charger.charger_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{EASEE_PREFIX}{charger.charger_id}")},
            name=charger.name or charger.charger_id,
            manufacturer="Easee",
            model=charger.model,
            serial_number=charger.charger_id,
            suggested_area=charger.site_name,
        )

    @property
    def charger(self) -> EaseeCharger | None:
        """The charger as last fetched; None once it is gone."""
        data: EaseeData | None = self.coordinator.data
        return data.chargers.get(self.charger_id) if data else None

    @property
    def readings(self) -> Readings | None:
        """The charger in the provider-neutral vocabulary."""
        charger = self.charger
        return charger.readings if charger else None

    # What an offline charger still tells: that it is offline, its Easee status, its settings.
    _shown_offline = frozenset(
        {"online", "easee_op_mode", "lifetime_energy", "max_charger_current", "phase_mode"}
    )

    @property
    def available(self) -> bool:
        """Available while the data is current and the charger is on the account.

        While the charger is offline its live values are stale and its controls fail, so only
        the entities that still say something stay available.
        """
        charger = self.charger
        if not super().available or charger is None or charger.state is None:
            return False
        offline = charger.state.online is False
        return not offline or self.entity_description.key in self._shown_offline

    async def async_command(self, command: Awaitable[Any]) -> None:
        """Send a command; explain a refusal in the user's language; refresh the charger."""
        try:
            await command
        except EaseeAuthError as err:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except EaseeApiError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_refused",
                translation_placeholders={"reason": err.reason or err.code_name or str(err)},
            ) from err
        except EaseeError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        await self.coordinator.async_refresh_charger(self.charger_id)
