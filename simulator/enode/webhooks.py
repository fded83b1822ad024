"""Enode webhook subscriptions and their deliveries, as the simulator keeps them.

Where each behaviour comes from:
- the endpoints and bodies (`WebhookCreatePayload`, `WebhookResponse`, `TestFirehoseWebhook`,
  the event schemas): the OpenAPI document;
- a delivery is a JSON array of at most 100 events, signed `x-enode-signature: sha1=<hex
  HMAC-SHA1 of the raw body>` with the subscription's secret, with an `x-enode-delivery` id;
  a delivery not answered 2xx is retried, up to 16 times over about a day, then the events are
  dropped and the subscription turns inactive; updating it or a successful test reactivates
  it; heartbeats come periodically with the number of pending events: Enode's webhook guide
  (developers.enode.com/docs/webhooks). The retry spacing (doubling from a minute, at most
  three hours) and the heartbeat interval are not documented: the simulator's are guesses.
- an event is sent when a device's state changes, not when only its timestamps move ("If
  there is no change in the asset's state, no webhook will be sent").

Nothing is sent on its own: `EnodeWebhooks.pump` (called by tests and benchmarks as simulated
time passes) notices changes, adds heartbeats and delivers through `transport`, an async
callable taking (url, headers, body) and answering an HTTP status. Tests hand it one that
posts to Home Assistant's own HTTP server; the default posts over the network.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import hashlib
import hmac
import json
from typing import Any
import uuid

import aiohttp

type Transport = Callable[[str, dict[str, str], bytes], Awaitable[int]]

MAX_EVENTS_PER_DELIVERY = 100
MAX_ATTEMPTS = 16
HEARTBEAT_INTERVAL = timedelta(minutes=15)
DELIVERY_TIMEOUT = 5.0
VERSION = "2024-10-01"
# Each device kind: the state attribute holding it and its key in the events.
KINDS = {
    "vehicles": "vehicle",
    "chargers": "charger",
    "hvacs": "hvac",
    "batteries": "battery",
    "inverters": "inverter",
    "meters": "meter",
}


class WebhookFault:
    """How deliveries go wrong, for tests (`EnodeWebhooks.fault`)."""

    BAD_SIGNATURE = "bad_signature"
    """Deliveries are signed with another secret (a forger, or a secret out of step)."""
    UNDELIVERABLE = "undeliverable"
    """Nothing reaches the URL (as a dead tunnel or a refused connection)."""


def sign(secret: str, body: bytes) -> str:
    """The `x-enode-signature` header of a body."""
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with milliseconds."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(kw_only=True)
class SimWebhook:
    """One subscription of the client account."""

    id: str
    url: str
    secret: str
    events: list[str]
    api_version: str | None
    created_at: datetime
    is_active: bool = True
    last_success: datetime | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)
    failures: int = 0
    next_attempt: datetime | None = None
    last_heartbeat: datetime | None = None

    def wants(self, event: str) -> bool:
        """Whether the subscription asked for this event (heartbeats always come)."""
        return event == "system:heartbeat" or "*" in self.events or event in self.events

    def to_json(self) -> dict[str, Any]:
        """`WebhookResponse`."""
        return {
            "id": self.id,
            "url": self.url,
            "events": self.events,
            # Required and a date-time in the spec even before a first delivery: the
            # creation time stands in then (the client reads null as well).
            "lastSuccess": iso(self.last_success or self.created_at),
            "isActive": self.is_active,
            "createdAt": iso(self.created_at),
            "apiVersion": self.api_version,
            "authentication": None,
        }


def _fingerprint(device: dict[str, Any]) -> str:
    """A device's state without the timestamps that move on every read."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: strip(item)
                for key, item in value.items()
                if key not in ("lastSeen", "lastUpdated")
            }
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return json.dumps(strip(device), sort_keys=True)


async def network_transport(url: str, headers: dict[str, str], body: bytes) -> int:
    """POST a delivery over the network (the simulator run on its own)."""
    timeout = aiohttp.ClientTimeout(total=DELIVERY_TIMEOUT)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status


@dataclass
class EnodeWebhooks:
    """Every subscription, the device states last announced, and how deliveries travel."""

    hooks: dict[str, SimWebhook] = field(default_factory=dict)
    transport: Transport = network_transport
    fault: str | None = None
    heartbeat_interval: timedelta = HEARTBEAT_INTERVAL
    max_attempts: int = MAX_ATTEMPTS
    deliveries: int = 0
    """Delivery attempts so far (tests and benchmarks count them)."""
    _announced: dict[tuple[str, str], tuple[str, dict[str, Any]]] | None = None

    # --- events -------------------------------------------------------------------------

    def baseline(self, devices: dict[str, list[dict[str, Any]]]) -> None:
        """Take the devices as they are as announced (no events for what already was)."""
        self._announced = {
            (kind, device["id"]): (_fingerprint(device), device)
            for kind, items in devices.items()
            for device in items
        }

    def collect(self, devices: dict[str, list[dict[str, Any]]], now: datetime) -> int:
        """Queue an event for every device discovered, changed or deleted since last time."""
        if self._announced is None:
            self.baseline(devices)
            return 0
        announced = self._announced
        seen: set[tuple[str, str]] = set()
        count = 0
        for kind, items in devices.items():
            for device in items:
                key = (kind, device["id"])
                seen.add(key)
                fingerprint = _fingerprint(device)
                before = announced.get(key)
                if before is not None and before[0] == fingerprint:
                    continue
                announced[key] = (fingerprint, device)
                change = "discovered" if before is None else "updated"
                self._queue(self._device_event(kind, change, device, now))
                count += 1
        for key in set(announced) - seen:
            _fingerprint_gone, device = announced.pop(key)
            self._queue(self._device_event(key[0], "deleted", device, now))
            count += 1
        return count

    def _device_event(
        self, kind: str, change: str, device: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "createdAt": iso(now),
            "version": VERSION,
            "user": {"id": device.get("userId")},
            "event": f"user:{KINDS[kind]}:{change}",
            KINDS[kind]: device,
        }
        if change == "updated":
            event["updatedFields"] = []
        return event

    def _queue(self, event: dict[str, Any]) -> None:
        for hook in self.hooks.values():
            if hook.is_active and hook.wants(event["event"]):
                hook.pending.append(event)

    # --- delivery -----------------------------------------------------------------------

    async def pump(self, now: datetime) -> None:
        """Heartbeats that are due, then every subscription's pending events that may go."""
        for hook in list(self.hooks.values()):
            if not hook.is_active:
                hook.pending.clear()
                continue
            if hook.last_heartbeat is None or now - hook.last_heartbeat >= self.heartbeat_interval:
                hook.last_heartbeat = now
                hook.pending.append(
                    {
                        "createdAt": iso(now),
                        "version": VERSION,
                        "event": "system:heartbeat",
                        "pendingEvents": len(hook.pending),
                    }
                )
            if hook.next_attempt is not None and now < hook.next_attempt:
                continue
            while hook.pending:
                batch = hook.pending[:MAX_EVENTS_PER_DELIVERY]
                if not await self._attempt(hook, batch, now):
                    break
                del hook.pending[: len(batch)]

    async def _attempt(self, hook: SimWebhook, batch: list[dict[str, Any]], now: datetime) -> bool:
        """One delivery attempt; on failure the next waits, and enough failures deactivate."""
        status = await self.send(hook, batch)
        if 200 <= status < 300:
            hook.failures = 0
            hook.next_attempt = None
            hook.last_success = now
            return True
        hook.failures += 1
        if hook.failures >= self.max_attempts:
            hook.is_active = False
            hook.pending.clear()
            hook.failures = 0
            hook.next_attempt = None
        else:
            delay = min(60 * 2 ** (hook.failures - 1), 3 * 3600)
            hook.next_attempt = now + timedelta(seconds=delay)
        return False

    async def send(self, hook: SimWebhook, events: list[dict[str, Any]]) -> int:
        """POST the events to the subscription's URL; the status (0: nothing arrived)."""
        self.deliveries += 1
        if self.fault == WebhookFault.UNDELIVERABLE:
            return 0
        body = json.dumps(events).encode()
        secret = "not-the-secret" if self.fault == WebhookFault.BAD_SIGNATURE else hook.secret
        headers = {
            "Content-Type": "application/json",
            "x-enode-delivery": str(uuid.uuid4()),
            "x-enode-signature": sign(secret, body),
        }
        try:
            return await self.transport(hook.url, headers, body)
        except aiohttp.ClientError, TimeoutError, OSError:
            return 0

    async def test(self, hook: SimWebhook, now: datetime) -> dict[str, Any]:
        """`testWebhook`: deliver `enode:webhook:test` now; success reactivates."""
        status = await self.send(
            hook, [{"createdAt": iso(now), "version": VERSION, "event": "enode:webhook:test"}]
        )
        if 200 <= status < 300:
            hook.is_active = True
            hook.failures = 0
            hook.next_attempt = None
            hook.last_success = now
            return {
                "status": "SUCCESS",
                "description": "The test event was delivered.",
                "response": {"code": status, "body": "", "headers": []},
            }
        return {
            "status": "FAILURE",
            "description": f"The test event could not be delivered (HTTP {status or 'none'}).",
            "response": None,
        }

    def create(
        self, url: str, secret: str, events: list[str], api_version: str | None, now: datetime
    ) -> SimWebhook:
        """A new subscription."""
        hook = SimWebhook(
            id=str(uuid.uuid4()),
            url=url,
            secret=secret,
            events=events,
            api_version=api_version,
            created_at=now,
        )
        self.hooks[hook.id] = hook
        return hook
