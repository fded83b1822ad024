"""Enode devices: the config entry's runtime data, its coordinator, repairs and entity base."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
import logging
from typing import Any, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .api.enode import (
    EnodeActionError,
    EnodeActionTimeoutError,
    EnodeApiError,
    EnodeAuthError,
    EnodeClient,
    EnodeConnectionError,
    EnodeEnvironment,
    EnodeError,
    EnodeForbiddenError,
    EnodeNotFoundError,
    EnodeRateLimitError,
)
from .api.enode.models import (
    Action,
    Capability,
    EnodeDevices,
    Intervention,
    InterventionLanguage,
    VendorType,
)
from .const import (
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_ENODE_API_URL,
    CONF_ENODE_ENVIRONMENT,
    CONF_ENODE_TOKEN_URL,
    CONF_ENODE_USER_ID,
    CONF_PROVIDER,
    DOMAIN,
    ENODE_ACTION_TIMEOUT,
    ENODE_RESCAN_INTERVAL,
    ENODE_UPDATE_INTERVAL,
    PROVIDER_ENODE,
)
from .coordinator import PollingCoordinator
from .entity import async_follow_departures
from .model import Readings

_LOGGER = logging.getLogger(__name__)

ENODE_PREFIX = "enode_"
# A kind whose list keeps failing shows its last values for two polls, then unavailable.
STALE_AFTER = 2 * ENODE_UPDATE_INTERVAL + timedelta(seconds=30)
ENVIRONMENT_CUSTOM = "custom"

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


@dataclass(frozen=True, slots=True)
class EnodeData:
    """The Enode user's devices, by kind, and the interventions blocking their capabilities."""

    devices: EnodeDevices
    interventions: dict[str, Intervention]
    read_at: Mapping[VendorType, datetime] = field(default_factory=dict)
    """When each kind's list was last read: a kind kept from before after a failed list
    shows its last values only while they are recent (`current`)."""
    by_id: dict[str, tuple[VendorType, EnodeDevice]] = field(init=False)
    """Every device by its id, with its kind: built once, read by every entity."""

    def __post_init__(self) -> None:
        by_id = {
            device.id: (kind, device)
            for name, kind in _KIND_OF_FIELD.items()
            for device in getattr(self.devices, name)
        }
        object.__setattr__(self, "by_id", by_id)

    def kinds(self) -> set[VendorType]:
        """The kinds of device the user has."""
        return {kind for name, kind in _KIND_OF_FIELD.items() if getattr(self.devices, name)}

    def current(self, kind: VendorType, now: datetime) -> bool:
        """Whether a kind's devices were read within the last two polls."""
        read = self.read_at.get(kind)
        return read is not None and now - read <= STALE_AFTER


class EnodeRuntimeData:
    """What a loaded Enode entry holds."""

    def __init__(self, client: EnodeClient, coordinator: EnodeCoordinator) -> None:
        self.client = client
        self.coordinator = coordinator


type EnodeConfigEntry = ConfigEntry[EnodeRuntimeData]


def enode_entry(entry: ConfigEntry[Any]) -> EnodeConfigEntry | None:
    """The entry as an Enode entry, or None for another provider."""
    if entry.data.get(CONF_PROVIDER) == PROVIDER_ENODE:
        return cast("EnodeConfigEntry", entry)
    return None


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


class EnodeCoordinator(PollingCoordinator[EnodeData]):
    """The user's devices every two minutes, listing only the kinds the user has.

    Every 30 minutes (and at the start) all six kinds are listed, to find new devices.
    Interventions are looked up once each, in Home Assistant's language.
    """

    auth_errors = (EnodeAuthError,)
    rate_limit_errors = (EnodeRateLimitError,)
    connection_errors = (EnodeConnectionError,)
    provider_errors = (EnodeError,)
    config_entry: EnodeConfigEntry

    def __init__(self, hass: HomeAssistant, entry: EnodeConfigEntry, client: EnodeClient) -> None:
        super().__init__(
            hass,
            entry,
            name=f"enode {entry.entry_id}",
            interval=ENODE_UPDATE_INTERVAL,
        )
        self.client = client
        self.user_id: str = entry.data[CONF_ENODE_USER_ID]
        self._rescan_due: datetime | None = None
        self._interventions: dict[str, Intervention] = {}
        self._unknown_interventions: set[str] = set()
        self._kinds_before: set[VendorType] = set()

    async def _fetch(self) -> EnodeData:
        now = dt_util.utcnow()
        previous: EnodeData | None = self.data
        if previous is None or self._rescan_due is None or now >= self._rescan_due:
            devices = await self.client.fetch_devices(self.user_id)
            self._rescan_due = now + ENODE_RESCAN_INTERVAL
            self._unknown_interventions.clear()
        else:
            # The kinds the user has, those that failed last time, and those that had devices
            # the answer before (a device that vanished is asked about once more before it is
            # taken as gone).
            kinds = previous.kinds() | set(previous.devices.failed_kinds) | self._kinds_before
            devices = await self.client.fetch_devices(self.user_id, kinds=kinds)
        if previous is not None:
            self._kinds_before = previous.kinds()
        devices = _keep_failed_kinds(devices, previous)
        read_at = dict(previous.read_at) if previous is not None else {}
        read_at.update(
            {kind: now for kind in _KIND_OF_FIELD.values() if kind not in devices.failed_kinds}
        )
        wanted = {
            intervention_id
            for device in devices.all()
            for _name, capability in blocked_capabilities(device)
            for intervention_id in capability.intervention_ids
        }
        language = enode_language(self.hass)
        for intervention_id in wanted - set(self._interventions) - self._unknown_interventions:
            try:
                self._interventions[intervention_id] = await self.client.get_intervention(
                    intervention_id, language=language
                )
            except EnodeNotFoundError:
                # Enode does not know the id it listed: no repair text for it, and no reason
                # to fail the devices' poll or to ask again before the next full listing.
                self._unknown_interventions.add(intervention_id)
        return EnodeData(
            devices,
            {key: self._interventions[key] for key in wanted if key in self._interventions},
            read_at,
        )

    async def async_run_action(self, control: Awaitable[Any]) -> None:
        """Send a control, wait for the device to confirm it if it is an action, refresh."""
        result = await control
        if isinstance(result, Action):
            try:
                await self.client.wait_for_action(result, max_wait=ENODE_ACTION_TIMEOUT)
            except EnodeActionTimeoutError:
                # Slow, not failed: the device may still carry it out.
                _LOGGER.info("The device has not confirmed the command yet; it stays pending")
        await self.async_refresh()


@callback
def _sync_repairs(hass: HomeAssistant, entry: EnodeConfigEntry) -> None:
    """One repair issue per blocked capability, with Enode's resolution; gone when resolved."""
    coordinator = entry.runtime_data.coordinator
    data: EnodeData | None = coordinator.data
    if data is None or not coordinator.last_update_success:
        return
    wanted: set[str] = set()
    for device_id, (_kind, device) in data.by_id.items():
        for name, capability in blocked_capabilities(device):
            for intervention_id in capability.intervention_ids:
                intervention = data.interventions.get(intervention_id)
                if intervention is None:
                    continue
                issue_id = f"{entry.entry_id}_{device_id}_{name}_{intervention_id}"
                wanted.add(issue_id)
                ir.async_create_issue(
                    hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key="enode_intervention",
                    translation_placeholders={
                        "device": device_name(device),
                        "capability": name.replace("_", " "),
                        "title": intervention.title,
                        "resolution": intervention.description,
                    },
                )
    for kind, error in data.devices.failed_kinds.items():
        if not isinstance(error, EnodeForbiddenError):
            continue
        # The client may not read this kind (a permission the user did not grant when linking):
        # say which, and that linking again with it fixes it.
        issue_id = f"{entry.entry_id}_forbidden_{kind.value.lower()}"
        wanted.add(issue_id)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="enode_missing_permission",
            translation_placeholders={
                "kind": kind.value.lower(),
                "permission": error.missing_scope or error.detail or error.title or "",
            },
        )
    async_remove_enode_repairs(hass, entry.entry_id, keep=wanted)


@callback
def async_remove_enode_repairs(
    hass: HomeAssistant, entry_id: str, keep: set[str] | frozenset[str] = frozenset()
) -> None:
    """Delete an entry's intervention repair issues, except those to keep."""
    prefix = f"{entry_id}_"
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id not in keep:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


def device_name(device: EnodeDevice) -> str:
    """What the household calls the device: its own name, else its make and model.

    A site name is the last resort: a battery and the meter beside it share one.
    """
    name = getattr(device, "display_name", None)
    if name:
        return str(name)
    brand, model = device.brand, device.model
    if model:
        return str(model if brand and model.startswith(brand) else f"{brand or ''} {model}".strip())
    return str(getattr(device, "site_name", None) or brand or device.vendor)


async def async_setup_enode_entry(hass: HomeAssistant, entry: EnodeConfigEntry) -> None:
    """Fetch the devices; keep the device registry and repair issues in step with them."""
    client = enode_client(hass, dict(entry.data))
    coordinator = EnodeCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = EnodeRuntimeData(client, coordinator)

    @callback
    def follow_repairs() -> None:
        _sync_repairs(hass, entry)

    follow_repairs()
    entry.async_on_unload(coordinator.async_add_listener(follow_repairs))
    async_follow_departures(hass, entry, coordinator, lambda: enode_device_identifiers(entry))


def enode_device_identifiers(entry: EnodeConfigEntry) -> set[tuple[str, str]]:
    """The registry identifiers of the devices the Enode user has now."""
    data: EnodeData | None = entry.runtime_data.coordinator.data
    return {(DOMAIN, f"{ENODE_PREFIX}{device_id}") for device_id in (data.by_id if data else {})}


@callback
def async_add_enode_entities[EntityT: Entity](
    entry: EnodeConfigEntry,
    async_add_entities: Callable[[Iterable[EntityT]], None],
    entities_for: Callable[[VendorType, EnodeDevice], Iterable[tuple[str, EntityT]]],
) -> None:
    """Add entities for every device now, and whenever a device or a capability appears.

    `entities_for` gives (key, entity) pairs; a key is added once per device.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[tuple[str, str]] = set()

    @callback
    def add_new() -> None:
        data: EnodeData | None = coordinator.data
        if data is None:
            return
        devices = data.by_id
        # A device that left (its registry entry is removed) gets entities again if it returns.
        known.intersection_update({pair for pair in known if pair[0] in devices})
        new: list[EntityT] = []
        for device_id, (kind, device) in devices.items():
            for key, entity in entities_for(kind, device):
                if (device_id, key) not in known:
                    known.add((device_id, key))
                    new.append(entity)
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))


class EnodeDeviceEntity(CoordinatorEntity[EnodeCoordinator]):
    """An entity of one Enode device; unavailable while the device is gone or unreachable."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: EnodeCoordinator, description: EntityDescription, device: EnodeDevice
    ) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        self.device_id: str = device.id
        self._attr_unique_id = f"{ENODE_PREFIX}{device.id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{ENODE_PREFIX}{device.id}")},
            name=device_name(device),
            manufacturer=device.brand or device.vendor.title(),
            model=device.model,
            serial_number=getattr(device, "serial_number", None),
        )

    @property
    def device(self) -> EnodeDevice | None:
        """The device as last fetched; None once it is gone."""
        data: EnodeData | None = self.coordinator.data
        found = data.by_id.get(self.device_id) if data else None
        return found[1] if found else None

    @property
    def readings(self) -> Readings | None:
        """The device in the provider-neutral vocabulary."""
        device = self.device
        return device.readings if device is not None else None

    @property
    def available(self) -> bool:
        """Available while the device is linked and its kind's list was read lately."""
        data: EnodeData | None = self.coordinator.data
        found = data.by_id.get(self.device_id) if data else None
        return (
            super().available
            and data is not None
            and found is not None
            and data.current(found[0], dt_util.utcnow())
        )

    async def async_control(self, control: Awaitable[Any]) -> None:
        """Send a control and wait for the device; explain a failure in the user's language."""
        try:
            await self.coordinator.async_run_action(control)
        except EnodeAuthError as err:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except EnodeActionError as err:
            reason = err.action.failure_reason
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="action_failed",
                translation_placeholders={
                    "reason": reason.detail if reason else str(err),
                },
            ) from err
        except EnodeConnectionError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        except EnodeApiError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_refused",
                translation_placeholders={"reason": err.detail or err.title or str(err)},
            ) from err
        except EnodeError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_failed",
                translation_placeholders={"error": str(err)},
            ) from err
