"""Enode pushes device changes to Home Assistant's webhook: signed, checked, polled rarely.

The simulator's deliveries reach Home Assistant's own HTTP server (the test client of its
aiohttp app) at the path of the URL the integration subscribed; Home Assistant's external
address is set to an HTTPS one, as a household with a reverse proxy has it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from enum import Enum
import json
from typing import Any

from aiohttp import ClientSession
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.kraken_energy.providers.enode.const import (
    ENODE_PUSH_POLL_INTERVAL,
    ENODE_UPDATE_INTERVAL,
)
from custom_components.kraken_energy.providers.enode.push import EnodePush, PushState
from simulator.app import RunningSimulator
from simulator.enode.state import METER_ID, VEHICLE_ID
from simulator.enode.webhooks import WebhookFault, sign
from simulator.faults import Fault

from ..conftest import MORNING, advance, setup_entry, unique_state

FROZEN = pytest.mark.freeze_time(MORNING)
EXTERNAL_URL = "https://home.example.org"
LISTS = (
    "listUserVehicles",
    "listUserChargers",
    "listUserHVACs",
    "listUserBatteries",
    "listUserInverters",
    "listUserMeters",
)

type Deliver = Callable[[str, dict[str, str], bytes], Awaitable[int]]


@pytest.fixture
def deliver(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, simulator: RunningSimulator
) -> Deliver:
    """Deliveries to Home Assistant's HTTP server, at the path of the subscribed URL."""
    clients: list[ClientSession] = []

    async def post(url: str, headers: dict[str, str], body: bytes) -> int:
        if not clients:
            clients.append(await hass_client_no_auth())
        response = await clients[0].post(URL(url).path, data=body, headers=headers)
        return response.status

    simulator.state.enode.webhooks.transport = post
    return post


@pytest.fixture
async def pushing(
    hass: HomeAssistant, enode_entry: MockConfigEntry, deliver: Deliver
) -> MockConfigEntry:
    """The Enode household set up where Home Assistant has an external HTTPS address."""
    await hass.config.async_update(external_url=EXTERNAL_URL)
    await setup_entry(hass, enode_entry)
    return enode_entry


def _push_state(entry: MockConfigEntry) -> PushState:
    push: EnodePush | None = entry.runtime_data.push
    assert push is not None
    return push.state


def _lists(simulator: RunningSimulator) -> int:
    return sum(simulator.state.requests.count(operation_name=name) for name in LISTS)


def _battery_level(hass: HomeAssistant) -> float:
    return float(unique_state(hass, "sensor", f"enode_{VEHICLE_ID}_battery_level"))


@FROZEN
async def test_a_device_change_reaches_its_entity_by_webhook_without_a_poll(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator
) -> None:
    push = pushing.runtime_data.push
    assert push is not None
    assert push.state is PushState.ACTIVE
    (hook,) = simulator.state.enode.webhooks.hooks.values()
    assert hook.url.startswith(EXTERNAL_URL + "/api/webhook/")
    assert "user:vehicle:updated" in hook.events
    # The lists are a safety net now.
    assert pushing.runtime_data.coordinator.update_interval == ENODE_PUSH_POLL_INTERVAL

    lists_before = _lists(simulator)
    simulator.state.enode.vehicles[VEHICLE_ID].battery_level = 71.0
    await simulator.state.enode.pump_webhooks()
    await hass.async_block_till_done()
    assert _battery_level(hass) == pytest.approx(71.0)
    assert _lists(simulator) == lists_before


@FROZEN
async def test_a_forged_delivery_changes_nothing(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator, deliver: Deliver
) -> None:
    enode = simulator.state.enode
    before = _battery_level(hass)
    enode.webhooks.fault = WebhookFault.BAD_SIGNATURE
    enode.vehicles[VEHICLE_ID].battery_level = 99.0
    await enode.pump_webhooks()
    await hass.async_block_till_done()
    assert _battery_level(hass) == pytest.approx(before)
    (hook,) = enode.webhooks.hooks.values()
    # Refused: Enode keeps it for another attempt.
    assert hook.failures == 1
    # Nor does a delivery without any signature get in.
    body = json.dumps([{"event": "user:vehicle:updated", "vehicle": {}}]).encode()
    assert await deliver(hook.url, {}, body) == 401
    push = pushing.runtime_data.push
    assert push is not None
    assert push.refused == 2
    assert push.state is PushState.ACTIVE


@FROZEN
async def test_heartbeats_and_unknown_events_are_accepted_and_ignored(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator, deliver: Deliver
) -> None:
    (hook,) = simulator.state.enode.webhooks.hooks.values()
    before = _battery_level(hass)
    events = [
        {"event": "system:heartbeat", "createdAt": "2026-11-23T10:10:00Z", "pendingEvents": 0},
        {"event": "user:something:new", "createdAt": "2026-11-23T10:10:00Z", "user": {"id": "x"}},
        {"event": "user:vehicle:updated", "vehicle": {"id": VEHICLE_ID}},  # does not parse
    ]
    body = json.dumps(events).encode()
    assert await deliver(hook.url, {"x-enode-signature": sign(hook.secret, body)}, body) == 200
    await hass.async_block_till_done()
    assert _battery_level(hass) == pytest.approx(before)


@FROZEN
async def test_a_device_removed_and_added_by_webhook(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator
) -> None:
    enode = simulator.state.enode
    meter = enode.meters.pop(METER_ID)
    await enode.pump_webhooks()
    await hass.async_block_till_done()
    assert unique_state(hass, "sensor", f"enode_{METER_ID}_grid_power") == "unavailable"
    enode.meters[METER_ID] = meter
    await enode.pump_webhooks()
    await hass.async_block_till_done()
    assert float(unique_state(hass, "sensor", f"enode_{METER_ID}_grid_power")) == pytest.approx(
        meter.power
    )


@FROZEN
async def test_failing_deliveries_fall_back_to_polling_and_recover(
    hass: HomeAssistant,
    pushing: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    enode = simulator.state.enode
    push = pushing.runtime_data.push
    coordinator = pushing.runtime_data.coordinator
    assert push is not None
    enode.webhooks.fault = WebhookFault.UNDELIVERABLE
    # An hour and a half without a delivery: the test delivery fails, the lists take over.
    for _ in range(3):
        await advance(hass, freezer, timedelta(minutes=30))
    assert _push_state(pushing) is PushState.FAILING
    assert coordinator.update_interval == ENODE_UPDATE_INTERVAL
    enode.vehicles[VEHICLE_ID].battery_level = 64.0
    await advance(hass, freezer, ENODE_UPDATE_INTERVAL + timedelta(seconds=2))
    assert _battery_level(hass) == pytest.approx(64.0, abs=0.5)

    # Deliveries get through again: the subscription is renewed and pushes resume.
    enode.webhooks.fault = None
    await advance(hass, freezer, timedelta(minutes=30))
    assert _push_state(pushing) is PushState.ACTIVE
    await advance(hass, freezer, ENODE_UPDATE_INTERVAL + timedelta(seconds=2))
    assert coordinator.update_interval == ENODE_PUSH_POLL_INTERVAL


@FROZEN
async def test_an_inactive_subscription_is_reactivated_by_its_test(
    hass: HomeAssistant,
    pushing: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    (hook,) = simulator.state.enode.webhooks.hooks.values()
    hook.is_active = False
    for _ in range(3):
        await advance(hass, freezer, timedelta(minutes=30))
    assert hook.is_active
    push = pushing.runtime_data.push
    assert push is not None
    assert push.state is PushState.ACTIVE


async def test_without_an_external_address_the_devices_are_polled(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    await setup_entry(hass, enode_entry)
    push = enode_entry.runtime_data.push
    assert push is not None
    assert push.state is PushState.UNAVAILABLE
    assert enode_entry.runtime_data.coordinator.update_interval == ENODE_UPDATE_INTERVAL
    assert not simulator.state.enode.webhooks.hooks
    assert simulator.state.requests.count(operation_name="createWebhook") == 0


async def test_a_plain_http_address_cannot_receive(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    await hass.config.async_update(external_url="http://home.example.org")
    await setup_entry(hass, enode_entry)
    push = enode_entry.runtime_data.push
    assert push is not None
    assert push.state is PushState.UNAVAILABLE
    assert not simulator.state.enode.webhooks.hooks


async def test_a_restart_keeps_the_subscription_and_removal_deletes_it(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hooks = simulator.state.enode.webhooks.hooks
    (hook_id,) = hooks
    await hass.config_entries.async_reload(pushing.entry_id)
    await hass.async_block_till_done()
    assert list(hooks) == [hook_id]
    assert simulator.state.requests.count(operation_name="createWebhook") == 1
    push = pushing.runtime_data.push
    assert push is not None
    assert push.state is PushState.ACTIVE

    await hass.config_entries.async_unload(pushing.entry_id)
    # Unloaded, Home Assistant stops listening; Enode keeps the subscription.
    assert list(hooks) == [hook_id]
    await hass.config_entries.async_remove(pushing.entry_id)
    assert not hooks


async def test_a_subscription_deleted_at_enode_is_made_anew(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hooks = simulator.state.enode.webhooks.hooks
    hooks.clear()
    await hass.config_entries.async_reload(pushing.entry_id)
    await hass.async_block_till_done()
    assert len(hooks) == 1
    push = pushing.runtime_data.push
    assert push is not None
    assert push.state is PushState.ACTIVE


async def test_diagnostics_hide_the_webhook_secret(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    enode_entry: MockConfigEntry,
    deliver: Deliver,
) -> None:
    # Its views first: the deliveries' test client freezes Home Assistant's router.
    assert await async_setup_component(hass, "diagnostics", {})
    await hass.config.async_update(external_url=EXTERNAL_URL)
    await setup_entry(hass, enode_entry)
    pushing = enode_entry
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, pushing)
    push_data = pushing.data["push"]
    text = repr(diagnostics)
    for secret in (push_data["secret"], push_data["webhook_id"], push_data["enode_webhook_id"]):
        assert secret not in text
    assert diagnostics["push"]["state"] == "active"


class _FakeCloud:
    """Home Assistant Cloud as the integration sees it: a mock, since the real one needs a
    Nabu Casa account and its relay. Cloudhooks relay to Home Assistant's webhook path."""

    class CloudNotAvailable(Exception):  # noqa: N818 (the real name)
        """The real module's error."""

    class CloudConnectionState(Enum):
        """The real module's states."""

        CLOUD_CONNECTED = "cloud_connected"
        CLOUD_DISCONNECTED = "cloud_disconnected"

    def __init__(self) -> None:
        self.listeners: list[Callable[[Any], Awaitable[None]]] = []
        self.hooks: set[str] = set()

    def async_active_subscription(self, hass: HomeAssistant) -> bool:
        return True

    def async_listen_connection_change(
        self, hass: HomeAssistant, target: Callable[[Any], Awaitable[None]]
    ) -> Callable[[], None]:
        self.listeners.append(target)
        return lambda: self.listeners.remove(target)

    async def async_get_or_create_cloudhook(self, hass: HomeAssistant, webhook_id: str) -> str:
        self.hooks.add(webhook_id)
        return f"https://hooks.nabu.casa/{webhook_id}"

    async def async_delete_cloudhook(self, hass: HomeAssistant, webhook_id: str) -> None:
        self.hooks.discard(webhook_id)


async def test_through_home_assistant_cloud(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cloud = _FakeCloud()
    monkeypatch.setattr(
        "custom_components.kraken_energy.providers.enode.push._cloud", lambda _hass: cloud
    )
    clients: list[ClientSession] = []

    async def relay(url: str, headers: dict[str, str], body: bytes) -> int:
        if not clients:
            clients.append(await hass_client_no_auth())
        response = await clients[0].post(
            f"/api/webhook/{URL(url).name}", data=body, headers=headers
        )
        return response.status

    simulator.state.enode.webhooks.transport = relay
    await setup_entry(hass, enode_entry)
    (hook,) = simulator.state.enode.webhooks.hooks.values()
    assert hook.url.startswith("https://hooks.nabu.casa/")
    assert _push_state(enode_entry) is PushState.ACTIVE

    # The cloud connection drops: polling; it comes back: pushes again.
    for listener in list(cloud.listeners):
        await listener(cloud.CloudConnectionState.CLOUD_DISCONNECTED)
    assert _push_state(enode_entry) is PushState.FAILING
    for listener in list(cloud.listeners):
        await listener(cloud.CloudConnectionState.CLOUD_CONNECTED)
    assert _push_state(enode_entry) is PushState.ACTIVE

    await hass.config_entries.async_remove(enode_entry.entry_id)
    assert not simulator.state.enode.webhooks.hooks
    assert not cloud.hooks


async def test_a_subscription_the_entry_forgot_is_replaced(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hooks = simulator.state.enode.webhooks.hooks
    (old_id,) = hooks
    await hass.config_entries.async_unload(pushing.entry_id)
    # The entry lost its subscription's id and secret, but not its address.
    push_data = dict(pushing.data["push"])
    del push_data["enode_webhook_id"], push_data["secret"]
    hass.config_entries.async_update_entry(pushing, data={**pushing.data, "push": push_data})
    await hass.config_entries.async_setup(pushing.entry_id)
    await hass.async_block_till_done()
    assert len(hooks) == 1
    assert old_id not in hooks
    assert _push_state(pushing) is PushState.ACTIVE


@FROZEN
async def test_a_delivery_that_is_not_json_is_refused(
    hass: HomeAssistant, pushing: MockConfigEntry, simulator: RunningSimulator, deliver: Deliver
) -> None:
    (hook,) = simulator.state.enode.webhooks.hooks.values()
    body = b"<html>not events</html>"
    assert await deliver(hook.url, {"x-enode-signature": sign(hook.secret, body)}, body) == 400


@FROZEN
async def test_enode_down_during_a_check_means_polling(
    hass: HomeAssistant,
    pushing: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state.faults.add(Fault.http_status(503, count=None, path="/enode/webhooks"))
    for _ in range(3):
        await advance(hass, freezer, timedelta(minutes=30))
    assert _push_state(pushing) is PushState.FAILING
