"""Enode devices: the entry's runtime data, its coordinator and what the devices are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from ...api.enode import (
    EnodeActionError,
    EnodeActionTimeoutError,
    EnodeApiError,
    EnodeAuthError,
    EnodeClient,
    EnodeConnectionError,
    EnodeEnvironment,
    EnodeError,
    EnodeNotFoundError,
    EnodeRateLimitError,
)
from ...api.enode.models import (
    Action,
    Capability,
    EnodeDevices,
    Intervention,
    InterventionLanguage,
    VendorType,
)
from ...api.enode.webhooks import WebhookEvent
from ...const import DOMAIN
from ...coordinator import PollingCoordinator
from ...device_names import known, make_and_model
from ...errors import ErrorTable
from ...readings import Readings
from .const import (
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_ENODE_API_URL,
    CONF_ENODE_ENVIRONMENT,
    CONF_ENODE_TOKEN_URL,
    CONF_ENODE_USER_ID,
    ENODE_ACTION_TIMEOUT,
    ENODE_PUSH_POLL_INTERVAL,
    ENODE_RESCAN_INTERVAL,
    ENODE_UPDATE_INTERVAL,
    ENVIRONMENT_CUSTOM,
)
from .readings import device_readings

if TYPE_CHECKING:
    from .push import EnodePush

_LOGGER = logging.getLogger(__name__)

type EnodeConfigEntry = ConfigEntry[EnodeRuntimeData]


def _refusal(err: Exception) -> HomeAssistantError | None:
    """Why a control failed: the device's reason for an action, else Enode's answer."""
    if isinstance(err, EnodeActionError):
        reason = err.action.failure_reason
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_failed",
            translation_placeholders={"reason": reason.detail if reason else str(err)},
        )
    if isinstance(err, EnodeApiError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_refused",
            translation_placeholders={"reason": err.detail or err.title or ""},
        )
    return None


ENODE_ERRORS = ErrorTable(
    service="Enode",
    base=EnodeError,
    auth=EnodeAuthError,
    rate_limit=EnodeRateLimitError,
    connection=EnodeConnectionError,
    refusal=_refusal,
)


def stale_after(interval: timedelta) -> timedelta:
    """How long a kind's last list stays current: two polls at the cadence, and a little."""
    return 2 * interval + timedelta(seconds=30)


# A kind whose list keeps failing shows its last values for two polls, then unavailable.
STALE_AFTER = stale_after(ENODE_UPDATE_INTERVAL)

type EnodeDevice = Any
"""One of the api models' Vehicle, Charger, Hvac, Battery, Inverter or Meter."""

_KIND_OF_FIELD = {
    "vehicles": VendorType.VEHICLE,
    "chargers": VendorType.CHARGER,
    "hvacs": VendorType.HVAC,
    "batteries": VendorType.BATTERY,
    "inverters": VendorType.INVERTER,
    "meters": VendorType.METER,
}
_FIELD_OF_KIND = {kind: name for name, kind in _KIND_OF_FIELD.items()}


@dataclass(frozen=True, slots=True)
class EnodeData:
    """The Enode user's devices, by kind, and the interventions blocking their capabilities."""

    devices: EnodeDevices
    interventions: dict[str, Intervention]
    read_at: Mapping[VendorType, datetime] = field(default_factory=dict)
    """When each kind's list was last read: a kind kept from before after a failed list
    shows its last values only while they are recent (`current`)."""
    stale_after: timedelta = STALE_AFTER
    """How old a kind's list may be and still count as current (two polls at the cadence
    the data was read at)."""
    by_id: dict[str, tuple[VendorType, EnodeDevice]] = field(init=False)
    """Every device by its id, with its kind: built once, read by every entity."""
    _readings: dict[str, Readings] = field(init=False)

    def __post_init__(self) -> None:
        by_id = {
            device.id: (kind, device)
            for name, kind in _KIND_OF_FIELD.items()
            for device in getattr(self.devices, name)
        }
        object.__setattr__(self, "by_id", by_id)
        object.__setattr__(self, "_readings", {})

    def readings_of(self, device: EnodeDevice) -> Readings:
        """A device of this data in the neutral vocabulary: mapped once, read by every entity."""
        readings = self._readings.get(device.id)
        if readings is None:
            readings = self._readings[device.id] = device_readings(device)
        return readings

    def kinds(self) -> set[VendorType]:
        """The kinds of device the user has."""
        return {kind for name, kind in _KIND_OF_FIELD.items() if getattr(self.devices, name)}

    def current(self, kind: VendorType, now: datetime) -> bool:
        """Whether a kind's devices were read within the last two polls."""
        read = self.read_at.get(kind)
        return read is not None and now - read <= self.stale_after


class EnodeRuntimeData:
    """What a loaded Enode entry holds."""

    def __init__(self, client: EnodeClient, coordinator: EnodeCoordinator) -> None:
        self.client = client
        self.coordinator = coordinator
        self.push: EnodePush | None = None
        """Enode's webhook deliveries (set once the entry is set up)."""


def enode_client(hass: HomeAssistant, data: dict[str, Any]) -> EnodeClient:
    """A client for an entry's (or a flow's) Enode client credentials and environment."""
    environment = data.get(CONF_ENODE_ENVIRONMENT, EnodeEnvironment.PRODUCTION.value)
    custom = environment == ENVIRONMENT_CUSTOM
    return EnodeClient(
        async_get_clientsession(hass),
        data[CONF_CLIENT_ID],
        data[CONF_CLIENT_SECRET],
        environment=EnodeEnvironment.PRODUCTION if custom else EnodeEnvironment(environment),
        api_url=data.get(CONF_ENODE_API_URL) if custom else None,
        token_url=data.get(CONF_ENODE_TOKEN_URL) if custom else None,
    )


def enode_language(hass: HomeAssistant) -> InterventionLanguage:
    """Enode's language closest to Home Assistant's (English otherwise)."""
    wanted = hass.config.language.lower()
    for language in InterventionLanguage:
        if language.value.lower() == wanted:
            return language
    prefix = wanted.split("-")[0]
    return next(
        (language for language in InterventionLanguage if language.value.startswith(prefix)),
        InterventionLanguage.EN_GB if prefix == "en" else InterventionLanguage.EN_US,
    )


def blocked_capabilities(device: EnodeDevice) -> list[tuple[str, Capability]]:
    """The device's capabilities that an intervention blocks, by name."""
    capabilities = device.capabilities
    return [
        (item.name, getattr(capabilities, item.name))
        for item in fields(capabilities)
        if isinstance(getattr(capabilities, item.name), Capability)
        and getattr(capabilities, item.name).intervention_ids
    ]


def device_name(device: EnodeDevice) -> str:
    """What the household calls the device: its own name, else its make and model.

    A site name is the last resort: a battery and the meter beside it share one.
    """
    name = getattr(device, "display_name", None)
    if name:
        return str(name)
    if known(device.model):
        return str(make_and_model(device.brand, device.model))
    return str(getattr(device, "site_name", None) or known(device.brand) or device.vendor)


def _keep_failed_kinds(devices: EnodeDevices, previous: EnodeData | None) -> EnodeDevices:
    """The devices, with those of a kind whose list failed this time kept as last seen.

    A kind that could not be listed is unknown, not empty: its devices stay (their values
    as last read) instead of looking gone.
    """
    failed = devices.failed_kinds
    if not failed or previous is None:
        return devices
    old = previous.devices
    return replace(
        devices,
        vehicles=old.vehicles if VendorType.VEHICLE in failed else devices.vehicles,
        chargers=old.chargers if VendorType.CHARGER in failed else devices.chargers,
        hvacs=old.hvacs if VendorType.HVAC in failed else devices.hvacs,
        batteries=old.batteries if VendorType.BATTERY in failed else devices.batteries,
        inverters=old.inverters if VendorType.INVERTER in failed else devices.inverters,
        meters=old.meters if VendorType.METER in failed else devices.meters,
    )


def _blocking_interventions(devices: EnodeDevices) -> set[str]:
    """The interventions that block a capability of any of the devices."""
    return {
        intervention_id
        for device in devices.all()
        for _name, capability in blocked_capabilities(device)
        for intervention_id in capability.intervention_ids
    }


def _with_device(
    devices: EnodeDevices, kind: VendorType, device: EnodeDevice, *, remove: bool
) -> EnodeDevices:
    """The devices with one device of a kind replaced, added or (`remove`) taken out."""
    name = _FIELD_OF_KIND[kind]
    current: tuple[EnodeDevice, ...] = getattr(devices, name)
    others = tuple(item for item in current if item.id != device.id)
    if remove:
        changed = others
    elif len(others) == len(current):
        changed = (*current, device)
    else:
        changed = tuple(device if item.id == device.id else item for item in current)
    changes: dict[str, Any] = {name: changed}
    return replace(devices, **changes)


class EnodeCoordinator(PollingCoordinator[EnodeData]):
    """The user's devices every two minutes, listing only the kinds the user has.

    At the start every kind is listed. Every 30 minutes one request (`getUser`) says which
    kinds the user's linked vendor accounts bring; a kind it names joins the lists, and a
    vendor account linked since makes the next poll list every kind. While Enode pushes
    changes (`set_push`), the lists are only a safety net every 30 minutes, pushed events
    (`async_apply_events`) change the data in between, and their discovered events find new
    devices. Interventions are looked up once each, in Home Assistant's language.
    """

    config_entry: EnodeConfigEntry

    def __init__(self, hass: HomeAssistant, entry: EnodeConfigEntry, client: EnodeClient) -> None:
        super().__init__(
            hass,
            entry,
            name=f"enode {entry.entry_id}",
            interval=ENODE_UPDATE_INTERVAL,
            errors=ENODE_ERRORS,
        )
        self.client = client
        self.user_id: str = entry.data[CONF_ENODE_USER_ID]
        self.push_active = False
        self._rescan_due: datetime | None = None
        self._linked: frozenset[tuple[str, VendorType | None]] | None = None
        self._linked_kinds: set[VendorType] = set()
        self._interventions: dict[str, Intervention] = {}
        self._unknown_interventions: set[str] = set()
        self._kinds_before: set[VendorType] = set()
        self._pushed_at: dict[str, datetime] = {}

    async def _kinds_to_list(self, previous: EnodeData, now: datetime) -> set[VendorType] | None:
        """The kinds this poll lists (None: every kind).

        The kinds the user has, those that failed last time, those that had devices the
        answer before (a device that vanished is asked about once more before it is taken as
        gone) and those the user's linked vendor accounts bring.
        """
        kinds = previous.kinds() | set(previous.devices.failed_kinds) | self._kinds_before
        kinds |= self._linked_kinds
        if self._rescan_due is not None and now < self._rescan_due:
            return kinds
        self._rescan_due = now + ENODE_RESCAN_INTERVAL
        self._unknown_interventions.clear()
        if self.push_active or kinds >= set(VendorType):
            # Pushed discovered events find new devices; a user with every kind has no
            # kind left to find.
            return kinds
        try:
            vendors = await self.client.get_linked_vendors(self.user_id)
        except EnodeAuthError, EnodeRateLimitError:
            raise
        except EnodeError as err:
            # The lists still answer for the kinds known; the next rescan asks again.
            _LOGGER.debug("Could not ask Enode which vendors the user linked: %s", err)
            return kinds
        linked = frozenset((vendor.vendor, vendor.vendor_type) for vendor in vendors)
        known, self._linked = self._linked, linked
        self._linked_kinds = {kind for _vendor, kind in linked if kind is not None}
        if known is not None and linked - known:
            # A vendor account linked since may bring more than its own kind.
            return None
        return kinds | self._linked_kinds

    async def _fetch(self) -> EnodeData:
        now = dt_util.utcnow()
        previous: EnodeData | None = self.data
        if previous is None:
            devices = await self.client.fetch_devices(self.user_id)
            self._rescan_due = now + ENODE_RESCAN_INTERVAL
        else:
            kinds = await self._kinds_to_list(previous, now)
            devices = await self.client.fetch_devices(self.user_id, kinds=kinds)
            self._kinds_before = previous.kinds()
        self._hold_off_if_throttled(devices)
        devices = _keep_failed_kinds(devices, previous)
        read_at = dict(previous.read_at) if previous is not None else {}
        read_at.update(
            {kind: now for kind in _KIND_OF_FIELD.values() if kind not in devices.failed_kinds}
        )
        wanted = _blocking_interventions(devices)
        language = enode_language(self.hass)
        for intervention_id in wanted - set(self._interventions) - self._unknown_interventions:
            try:
                self._interventions[intervention_id] = await self.client.get_intervention(
                    intervention_id, language=language
                )
            except EnodeNotFoundError:
                # Enode does not know the id it listed: no repair text for it, and no reason
                # to fail the devices' poll or to ask again before the next rescan.
                self._unknown_interventions.add(intervention_id)
        return EnodeData(
            devices,
            {key: self._interventions[key] for key in wanted if key in self._interventions},
            read_at,
            stale_after(self.interval),
        )

    def _hold_off_if_throttled(self, devices: EnodeDevices) -> None:
        """A kind's list that Enode throttled puts the next poll off as long as it asked.

        The other kinds' answers count (they were asked together); only the next request
        waits, as for a throttled poll, and never comes sooner than the cadence.
        """
        asked = [
            error.retry_after
            for error in devices.failed_kinds.values()
            if isinstance(error, EnodeRateLimitError) and error.retry_after is not None
        ]
        if asked:
            self.update_interval = timedelta(seconds=self._retry_delay(max(asked)))

    @callback
    def set_push(self, active: bool) -> None:
        """Poll rarely while Enode pushes changes, at the usual cadence otherwise."""
        self.push_active = active
        interval = ENODE_PUSH_POLL_INTERVAL if active else ENODE_UPDATE_INTERVAL
        if interval == self.interval:
            return
        self.interval = interval
        if self.last_update_success:
            self.update_interval = interval
        if not active and self.data is not None:
            # Changes may have gone unpushed: catch up now, then poll at the cadence.
            self.config_entry.async_create_task(
                self.hass, self.async_request_refresh(), "enode catch up after push"
            )

    @callback
    def async_apply_events(self, events: Iterable[WebhookEvent]) -> None:
        """Take pushed device changes of this user into the data; entities update at once.

        An event older than one already applied for the same device is out of order (a
        retried delivery) and is skipped. A discovered or deleted device counts as a new
        listing (devices gone are judged as after a poll).
        """
        data: EnodeData | None = self.data
        if data is None:
            return
        devices = data.devices
        changed = listed = False
        for event in events:
            device = event.device
            if device is None or event.kind is None or event.user_id != self.user_id:
                continue
            last = self._pushed_at.get(device.id)
            if event.created_at is not None:
                if last is not None and event.created_at < last:
                    continue
                self._pushed_at[device.id] = event.created_at
            devices = _with_device(devices, event.kind, device, remove=event.change == "deleted")
            changed = True
            listed |= event.change != "updated"
        if not changed:
            return
        wanted = _blocking_interventions(devices)
        self.data = EnodeData(
            devices,
            {key: self._interventions[key] for key in wanted if key in self._interventions},
            data.read_at,
            data.stale_after,
        )
        if listed:
            self.listing_count += 1
        self.note_pushed_data()
        self.async_update_listeners()

    async def async_confirm(self, result: object) -> None:
        """Wait for the device to carry out a control that Enode answered with an action."""
        if not isinstance(result, Action):
            return
        try:
            await self.client.wait_for_action(result, max_wait=ENODE_ACTION_TIMEOUT)
        except EnodeActionTimeoutError:
            # Slow, not failed: the device may still carry it out.
            _LOGGER.info("The device has not confirmed the command yet; it stays pending")
