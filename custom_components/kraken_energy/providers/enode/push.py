"""Enode pushes device changes to Home Assistant's webhook, where Home Assistant can receive them.

Home Assistant can receive a webhook from the internet through Home Assistant Cloud (a
cloudhook) or at its own external HTTPS address. Where it can, an Enode webhook subscription
for the user's device events delivers to it, signed with a secret kept in the entry; every
delivery's signature is checked, and its device events change the coordinator's data at once,
so the lists are only polled every 30 minutes. Where it cannot, or while deliveries fail,
the lists are polled every two minutes as without pushes.

Whether deliveries still arrive: Enode sends heartbeats between events. After an hour without
any delivery a test delivery is asked for (it reactivates a subscription Enode had turned
inactive); if that fails too the lists take over, and every 30 minutes the subscription is
renewed (updating it reactivates it) and tested until deliveries arrive again.

On unload Home Assistant stops listening but the subscription stays: deliveries it misses
meanwhile are retried by Enode, and the next start needs no new subscription. Deleting the
entry deletes the subscription (and the cloudhook).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from enum import StrEnum
from http import HTTPStatus
import logging
from types import ModuleType
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from ...api.enode import EnodeClient, EnodeError, EnodeNotFoundError, EnodePreconditionError
from ...api.enode.webhooks import (
    SIGNATURE_HEADER,
    EnodeDeliveryError,
    new_webhook_secret,
    parse_delivery,
    signature_valid,
)
from ...const import DOMAIN
from .const import CONF_PUSH, ENODE_PUSH_CHECK_INTERVAL, ENODE_PUSH_SILENCE
from .coordinator import EnodeConfigEntry, EnodeCoordinator, enode_client

_LOGGER = logging.getLogger(__name__)

# Keys of the entry's push data.
HA_WEBHOOK_ID = "webhook_id"
ENODE_WEBHOOK_ID = "enode_webhook_id"
SECRET = "secret"
URL = "url"
PUSH_REDACT = frozenset({HA_WEBHOOK_ID, ENODE_WEBHOOK_ID, SECRET, URL})


class PushState(StrEnum):
    """How the entry learns of changes."""

    UNAVAILABLE = "unavailable"
    """Home Assistant cannot be reached from the internet: the lists are polled."""
    ACTIVE = "active"
    """Enode delivers changes; the lists are a safety net."""
    FAILING = "failing"
    """A subscription exists but deliveries do not arrive: the lists are polled."""


def _cloud(hass: HomeAssistant) -> ModuleType | None:
    """Home Assistant Cloud, if it is set up (importing it otherwise would load it all)."""
    if "cloud" not in hass.config.components:
        return None
    from homeassistant.components import cloud  # noqa: PLC0415 (loaded only when set up)

    return cloud


class EnodePush:
    """One entry's Enode webhook subscription and Home Assistant's webhook receiving it."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: EnodeConfigEntry,
        coordinator: EnodeCoordinator,
        client: EnodeClient,
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.client = client
        self.state = PushState.UNAVAILABLE
        self.last_delivery: datetime | None = None
        self.deliveries = 0
        self.refused = 0
        self._refusal_logged = False
        self._unavailable_logged = False

    @property
    def _data(self) -> dict[str, Any]:
        return dict(self.entry.data.get(CONF_PUSH) or {})

    def _save(self, **changes: Any) -> None:
        data = {**self._data, **changes}
        self.hass.config_entries.async_update_entry(
            self.entry, data={**self.entry.data, CONF_PUSH: data}
        )

    @property
    def webhook_id(self) -> str:
        """Home Assistant's webhook id of the entry (made on first use and kept)."""
        webhook_id = self._data.get(HA_WEBHOOK_ID)
        if not webhook_id:
            webhook_id = webhook.async_generate_id()
            self._save(**{HA_WEBHOOK_ID: webhook_id})
        return str(webhook_id)

    # --- start and stop -----------------------------------------------------------------

    @callback
    def async_setup(self) -> None:
        """Listen on Home Assistant's webhook and subscribe once Home Assistant has started."""
        webhook_id = self.webhook_id
        webhook.async_register(
            self.hass,
            DOMAIN,
            f"Enode {self.entry.title}",
            webhook_id,
            self._async_handle_delivery,
            allowed_methods=["POST"],
        )
        self.entry.async_on_unload(lambda: webhook.async_unregister(self.hass, webhook_id))
        self.entry.async_on_unload(
            async_track_time_interval(
                self.hass, self._async_check, ENODE_PUSH_CHECK_INTERVAL, name="enode push check"
            )
        )
        if (cloud := _cloud(self.hass)) is not None and cloud.async_active_subscription(self.hass):
            self.entry.async_on_unload(
                cloud.async_listen_connection_change(self.hass, self._async_cloud_changed)
            )

        @callback
        def started(_hass: HomeAssistant) -> None:
            # The test delivery needs Home Assistant's HTTP server answering.
            self.entry.async_create_task(self.hass, self.async_connect(), "enode push connect")

        self.entry.async_on_unload(async_at_started(self.hass, started))

    async def _async_cloud_changed(self, state: Any) -> None:
        cloud = _cloud(self.hass)
        if cloud is not None and state is cloud.CloudConnectionState.CLOUD_CONNECTED:
            await self.async_connect()
        elif self.state is PushState.ACTIVE:
            self._set_state(PushState.FAILING)

    async def _async_url(self) -> str | None:
        """Where Enode can deliver to: the cloudhook, else the external HTTPS address."""
        cloud = _cloud(self.hass)
        if cloud is not None and cloud.async_active_subscription(self.hass):
            try:
                url: str = await cloud.async_get_or_create_cloudhook(self.hass, self.webhook_id)
            except cloud.CloudNotAvailable:
                return None
            return url
        try:
            url = webhook.async_generate_url(
                self.hass, self.webhook_id, allow_internal=False, prefer_external=True
            )
        except NoURLAvailableError:
            return None
        # Enode delivers to HTTPS addresses only.
        return url if url.startswith("https://") else None

    # --- subscription -------------------------------------------------------------------

    async def async_connect(self, *, renew: bool = False) -> None:
        """Subscribe (or renew the subscription) and prove it with a test delivery."""
        url = await self._async_url()
        if url is None:
            if not self._unavailable_logged:
                self._unavailable_logged = True
                _LOGGER.debug(
                    "Home Assistant has no external HTTPS address or cloud connection; "
                    "Enode devices are polled"
                )
            self._set_state(PushState.UNAVAILABLE)
            return
        try:
            delivered = await self._async_subscribe(url, renew=renew)
        except EnodeError as err:
            _LOGGER.debug("Could not subscribe to Enode webhooks: %s", err)
            delivered = False
        self._set_state(PushState.ACTIVE if delivered else PushState.FAILING)

    async def _async_subscribe(self, url: str, *, renew: bool) -> bool:
        data = self._data
        hook_id, secret = data.get(ENODE_WEBHOOK_ID), data.get(SECRET)
        if hook_id and secret and (renew or data.get(URL) != url):
            try:
                await self.client.update_webhook(hook_id, url=url, secret=secret)
                self._save(**{URL: url})
            except EnodeNotFoundError:
                hook_id = None
        if not hook_id or not secret:
            hook_id, secret = await self._async_create(url)
        try:
            result = await self.client.test_webhook(hook_id)
        except EnodeNotFoundError:
            # Deleted at Enode's side (by hand, say): a new one.
            hook_id, secret = await self._async_create(url)
            result = await self.client.test_webhook(hook_id)
        if not result.delivered:
            _LOGGER.debug("Enode's test delivery did not arrive: %s", result.description)
        return result.delivered

    async def _async_create(self, url: str) -> tuple[str, str]:
        secret = new_webhook_secret()
        try:
            hook = await self.client.create_webhook(url, secret)
        except EnodePreconditionError:
            # "Webhook already exists": a subscription to this address this entry no
            # longer knows the secret of. Replace it.
            for existing in await self.client.list_webhooks():
                if existing.url == url:
                    await self.client.delete_webhook(existing.id)
            hook = await self.client.create_webhook(url, secret)
        self._save(**{ENODE_WEBHOOK_ID: hook.id, SECRET: secret, URL: url})
        return hook.id, secret

    @callback
    def _set_state(self, state: PushState) -> None:
        if state is self.state:
            return
        if self.state is PushState.ACTIVE:
            _LOGGER.info("Enode webhook deliveries stopped; polling the devices again")
        elif state is PushState.ACTIVE:
            _LOGGER.info("Enode pushes device changes; polling only as a safety net")
        self.state = state
        self.coordinator.set_push(state is PushState.ACTIVE)

    async def _async_check(self, now: datetime) -> None:
        """Test a long silence; renew a failing subscription; look for an address again."""
        if self.state is PushState.FAILING:
            await self.async_connect(renew=True)
            return
        if self.state is PushState.UNAVAILABLE:
            # No request unless Home Assistant has an address by now.
            await self.async_connect()
            return
        if self.last_delivery is not None and now - self.last_delivery < ENODE_PUSH_SILENCE:
            return
        hook_id = self._data.get(ENODE_WEBHOOK_ID)
        try:
            delivered = hook_id is not None and (await self.client.test_webhook(hook_id)).delivered
        except EnodeError as err:
            _LOGGER.debug("Could not test the Enode webhook: %s", err)
            delivered = False
        if not delivered:
            self._set_state(PushState.FAILING)

    # --- deliveries ---------------------------------------------------------------------

    async def _async_handle_delivery(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Check the signature, then apply the device events; 401 for a forged delivery."""
        body = await request.read()
        secret = self._data.get(SECRET)
        if not secret or not signature_valid(secret, body, request.headers.get(SIGNATURE_HEADER)):
            self.refused += 1
            if not self._refusal_logged:
                self._refusal_logged = True
                _LOGGER.debug("Ignored a webhook delivery whose Enode signature does not match")
            return web.Response(status=HTTPStatus.UNAUTHORIZED)
        try:
            events = parse_delivery(body)
        except EnodeDeliveryError:
            _LOGGER.debug("Ignored an Enode delivery that is not JSON")
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        self.deliveries += 1
        self.last_delivery = dt_util.utcnow()
        if self.state is PushState.FAILING and self._data.get(ENODE_WEBHOOK_ID):
            # Signed deliveries arrive again.
            self._set_state(PushState.ACTIVE)
        self.coordinator.async_apply_events(events)
        return web.Response(status=HTTPStatus.OK)

    def diagnostics(self) -> dict[str, Any]:
        """How pushes stand, without the secret or addresses."""
        return {
            "state": self.state.value,
            "deliveries": self.deliveries,
            "refused_deliveries": self.refused,
            "last_delivery": self.last_delivery.isoformat() if self.last_delivery else None,
        }


async def async_remove_subscription(hass: HomeAssistant, entry: EnodeConfigEntry) -> None:
    """Delete a removed entry's Enode subscription and cloudhook (Enode may be unreachable)."""
    data = dict(entry.data.get(CONF_PUSH) or {})
    if hook_id := data.get(ENODE_WEBHOOK_ID):
        client = enode_client(hass, dict(entry.data))
        try:
            await client.delete_webhook(hook_id)
        except EnodeError as err:
            _LOGGER.debug("Could not delete the Enode webhook: %s", err)
    cloud = _cloud(hass)
    if data.get(HA_WEBHOOK_ID) and cloud is not None and cloud.async_active_subscription(hass):
        with contextlib.suppress(cloud.CloudNotAvailable, ValueError):
            await cloud.async_delete_cloudhook(hass, data[HA_WEBHOOK_ID])
