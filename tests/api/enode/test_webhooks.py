"""Webhook subscriptions, deliveries and their signatures; the user's linked vendors."""

from __future__ import annotations

import json

import pytest

from custom_components.kraken_energy.api.enode import (
    EnodeClient,
    EnodeNotFoundError,
    EnodePreconditionError,
)
from custom_components.kraken_energy.api.enode.models import VendorType
from custom_components.kraken_energy.api.enode.webhooks import (
    DEVICE_EVENTS,
    EnodeDeliveryError,
    new_webhook_secret,
    parse_delivery,
    signature,
    signature_valid,
)
from simulator.app import RunningSimulator
from simulator.enode.state import ENODE_USER_ID, VEHICLE_ID
from simulator.enode.webhooks import WebhookFault, sign

URL = "https://home.example.org/api/webhook/abc"


def test_a_signature_is_the_bodys_hmac_sha1_and_nothing_else() -> None:
    body = b'[{"event":"system:heartbeat"}]'
    secret = new_webhook_secret()
    header = signature(secret, body)
    # The simulator signs as Enode documents it; the client agrees.
    assert header == sign(secret, body)
    assert signature_valid(secret, body, header)
    assert signature_valid(secret, body, f" {header} ")
    assert not signature_valid(secret, body + b" ", header)
    assert not signature_valid("another secret", body, header)
    assert not signature_valid(secret, body, None)
    assert not signature_valid(secret, body, "sha1=é")
    assert not signature_valid("", body, signature("", body))


def test_a_delivery_is_read_event_by_event() -> None:
    vehicle = {"id": VEHICLE_ID}  # not a whole vehicle: this event is skipped
    events = parse_delivery(
        json.dumps(
            [
                {"event": "system:heartbeat", "createdAt": "2026-11-23T10:00:00Z"},
                {"event": "user:vehicle:updated", "user": {"id": "u"}, "vehicle": vehicle},
                {"event": "user:charger:renamed", "user": {"id": "u"}},
            ]
        ).encode()
    )
    assert [event.event for event in events] == ["system:heartbeat", "user:charger:renamed"]
    assert events[1].device is None
    assert parse_delivery(b'{"event": "enode:webhook:test"}')[0].event == "enode:webhook:test"
    with pytest.raises(EnodeDeliveryError):
        parse_delivery(b"<html>")


async def test_a_subscription_from_creation_to_deletion(
    enode: EnodeClient, sim: RunningSimulator
) -> None:
    received: list[tuple[str, bytes]] = []

    async def transport(url: str, headers: dict[str, str], body: bytes) -> int:
        received.append((headers["x-enode-signature"], body))
        return 200

    sim.state.enode.webhooks.transport = transport
    secret = new_webhook_secret()
    hook = await enode.create_webhook(URL, secret)
    assert hook.is_active
    assert set(hook.events) == set(DEVICE_EVENTS)
    with pytest.raises(EnodePreconditionError):
        await enode.create_webhook(URL, secret)
    assert [item.id for item in await enode.list_webhooks()] == [hook.id]

    result = await enode.test_webhook(hook.id)
    assert result.delivered
    assert result.response_code == 200
    ((header, body),) = received
    assert signature_valid(secret, body, header)
    assert parse_delivery(body)[0].event == "enode:webhook:test"

    # A device that changes is delivered as an event with the whole device.
    sim.state.enode.vehicles[VEHICLE_ID].battery_level = 77.0
    await sim.state.enode.pump_webhooks()
    events = [event for event in parse_delivery(received[-1][1]) if event.device is not None]
    assert [(event.kind, event.change) for event in events] == [(VendorType.VEHICLE, "updated")]
    assert events[0].device.battery_level == 77.0  # type: ignore[union-attr]
    assert events[0].user_id == ENODE_USER_ID

    sim.state.enode.webhooks.fault = WebhookFault.UNDELIVERABLE
    assert not (await enode.test_webhook(hook.id)).delivered
    moved = await enode.update_webhook(hook.id, url=URL + "d")
    assert moved.url == URL + "d"
    assert (await enode.get_webhook(hook.id)).is_active
    await enode.delete_webhook(hook.id)
    with pytest.raises(EnodeNotFoundError):
        await enode.get_webhook(hook.id)


async def test_deliveries_that_keep_failing_deactivate_the_subscription(
    enode: EnodeClient, sim: RunningSimulator
) -> None:
    webhooks = sim.state.enode.webhooks
    webhooks.max_attempts = 2
    webhooks.fault = WebhookFault.UNDELIVERABLE
    hook = await enode.create_webhook(URL, new_webhook_secret())
    await sim.state.enode.pump_webhooks()  # a heartbeat, undeliverable
    sim.state.enode.advance(120)
    await sim.state.enode.pump_webhooks()
    assert not (await enode.get_webhook(hook.id)).is_active
    # Updating it makes it active again.
    assert (await enode.update_webhook(hook.id, secret=new_webhook_secret())).is_active


async def test_linked_vendors_name_the_kinds_of_device(enode: EnodeClient) -> None:
    vendors = await enode.get_linked_vendors(ENODE_USER_ID)
    assert {vendor.vendor_type for vendor in vendors} == set(VendorType)
    assert all(vendor.is_valid for vendor in vendors)
    with pytest.raises(EnodeNotFoundError):
        await enode.get_linked_vendors("nobody")
