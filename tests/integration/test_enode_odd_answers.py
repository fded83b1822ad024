"""Enode answers off the usual path: units with few capabilities or readings left out,
devices without a name, a failing or throttled vendor question, pushes out of order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
from typing import Any

from aiohttp import ClientSession
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from simulator.app import RunningSimulator
from simulator.enode.state import CHARGER_ID, HVAC_ID, VEHICLE_ID, SimCharger, capability
from simulator.enode.webhooks import sign
from simulator.faults import Fault

from ..conftest import (
    MORNING,
    advance,
    call_service,
    entity_id,
    registry_device,
    setup_entry,
    unique_state,
)

POLL = timedelta(minutes=2, seconds=2)
RESCAN = timedelta(minutes=30, seconds=2)
FROZEN = pytest.mark.freeze_time(MORNING)


def _climate(hass: HomeAssistant) -> str:
    return entity_id(hass, "climate", f"enode_{HVAC_ID}_hvac")


def _attributes(hass: HomeAssistant, entity: str) -> dict[str, Any]:
    state = hass.states.get(entity)
    assert state is not None
    return dict(state.attributes)


def _only_a_vehicle(simulator: RunningSimulator) -> None:
    enode = simulator.state.enode
    for devices in (enode.chargers, enode.hvacs, enode.batteries, enode.inverters):
        devices.clear()
    enode.meters.clear()


# --- climate ----------------------------------------------------------------------------


@FROZEN
async def test_a_unit_without_its_own_schedule_offers_only_hold(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    simulator.state.enode.hvacs[HVAC_ID].capabilities["setFollowSchedule"] = capability(False)
    await setup_entry(hass, enode_entry)
    assert _attributes(hass, _climate(hass))["preset_modes"] == ["hold"]


@FROZEN
async def test_a_unit_that_can_neither_hold_nor_follow_a_schedule_has_no_presets(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hvac = simulator.state.enode.hvacs[HVAC_ID]
    hvac.capabilities["setFollowSchedule"] = capability(False)
    hvac.capabilities["setPermanentHold"] = capability(False)
    await setup_entry(hass, enode_entry)
    attributes = _attributes(hass, _climate(hass))
    # Shown as it is, with nothing to pick.
    assert attributes["hvac_modes"] == ["heat"]
    assert "preset_modes" not in attributes
    assert "preset_mode" not in attributes


@FROZEN
async def test_turning_on_a_unit_that_only_offers_off_says_so(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    hvac = simulator.state.enode.hvacs[HVAC_ID]
    hvac.capable_modes = ["OFF"]
    await setup_entry(hass, enode_entry)
    with pytest.raises(ServiceValidationError) as refused:
        await call_service(hass, "climate", "turn_on", _climate(hass))
    assert refused.value.translation_key == "hvac_mode_not_offered"
    assert "choose one of the modes it offers" in str(refused.value)
    assert hvac.mode == "HEAT"  # nothing was sent


def _hvac_list(simulator: RunningSimulator, **temperature_state: Any) -> dict[str, Any]:
    """The HVAC list as Enode would answer it, with the unit's temperature state changed."""
    unit = simulator.state.enode.hvacs[HVAC_ID].to_json(dt_util.utcnow())
    unit["thermostatState"]["mode"] = "AUTO"
    unit["temperatureState"].update(temperature_state)
    return {"data": [unit], "pagination": {"after": None, "before": None}}


@FROZEN
async def test_a_unit_in_auto_without_a_room_temperature_shows_no_action(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Enode sends null where it cannot tell; heating or cooling is then not guessed."""
    await setup_entry(hass, enode_entry)
    climate = _climate(hass)
    assert _attributes(hass, climate).get("hvac_action") is not None
    answer = _hvac_list(simulator, currentTemperature=None, isActive=True)
    simulator.state.faults.add(Fault.wrong_shape(answer, operation_name="listUserHVACs"))
    await advance(hass, freezer, POLL)
    state = hass.states.get(climate)
    assert state is not None
    assert state.state == "heat_cool"
    assert state.attributes.get("hvac_action") is None
    assert state.attributes["current_temperature"] is None

    # Nor when it cannot tell whether the unit is active.
    answer = _hvac_list(simulator, isActive=None)
    simulator.state.faults.add(Fault.wrong_shape(answer, operation_name="listUserHVACs"))
    await advance(hass, freezer, POLL)
    state = hass.states.get(climate)
    assert state is not None
    assert state.state == "heat_cool"
    assert state.attributes.get("hvac_action") is None
    assert state.attributes["current_temperature"] is not None


# --- names and rescans ------------------------------------------------------------------


@FROZEN
async def test_a_device_without_a_name_or_known_model_is_named_by_its_brand(
    hass: HomeAssistant, enode_entry: MockConfigEntry, simulator: RunningSimulator
) -> None:
    simulator.state.enode.chargers[CHARGER_ID].model = "Unknown"
    await setup_entry(hass, enode_entry)
    device = registry_device(hass, enode_entry, f"enode_{CHARGER_ID}")
    assert device is not None
    assert device.name == "Zaptec"


@FROZEN
async def test_a_failing_vendor_question_keeps_the_devices_and_is_asked_again(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    _only_a_vehicle(simulator)
    await setup_entry(hass, enode_entry)
    battery = f"enode_{VEHICLE_ID}_battery_level"
    requests = simulator.state.requests
    asked = requests.count(operation_name="getUser")
    simulator.state.faults.add(Fault.http_status(503, operation_name="getUser"))
    await advance(hass, freezer, RESCAN)
    assert requests.count(operation_name="getUser") == asked + 1
    # The vehicle's list still answered: nothing went unavailable.
    assert enode_entry.runtime_data.coordinator.last_update_success
    assert unique_state(hass, "sensor", battery) != STATE_UNAVAILABLE

    # The next rescan asks again, and finds the charger linked meanwhile.
    simulator.state.enode.chargers[CHARGER_ID] = SimCharger(id=CHARGER_ID)
    for _ in range(15):
        await advance(hass, freezer, timedelta(minutes=2))
    assert requests.count(operation_name="getUser") == asked + 2
    assert unique_state(hass, "sensor", f"enode_{CHARGER_ID}_op_mode") == "awaiting_start"


@FROZEN
async def test_a_throttled_vendor_question_waits_like_any_throttled_poll(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    _only_a_vehicle(simulator)
    await setup_entry(hass, enode_entry)
    simulator.state.faults.add(Fault.rate_limit(600, operation_name="getUser", count=None))
    requests = simulator.state.requests
    asked = requests.count(operation_name="getUser")
    for _ in range(16):  # the rescan is due within half an hour
        await advance(hass, freezer, timedelta(minutes=2))
        if requests.count(operation_name="getUser") > asked:
            break
    assert requests.count(operation_name="getUser") == asked + 1
    # The whole poll waits as long as Enode asked; the values read before stay meanwhile.
    assert enode_entry.runtime_data.coordinator.update_interval == timedelta(seconds=600)
    assert unique_state(hass, "sensor", f"enode_{VEHICLE_ID}_battery_level") != STATE_UNAVAILABLE
    assert enode_entry.state is ConfigEntryState.LOADED


# --- pushes -----------------------------------------------------------------------------

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


@FROZEN
async def test_a_retried_older_push_does_not_roll_a_value_back(
    hass: HomeAssistant,
    enode_entry: MockConfigEntry,
    simulator: RunningSimulator,
    deliver: Deliver,
) -> None:
    await hass.config.async_update(external_url="https://home.example.org")
    await setup_entry(hass, enode_entry)
    (hook,) = simulator.state.enode.webhooks.hooks.values()
    vehicle = simulator.state.enode.vehicles[VEHICLE_ID]
    battery = f"enode_{VEHICLE_ID}_battery_level"

    async def push(level: float, created_at: str | None) -> None:
        vehicle.battery_level = level
        event: dict[str, Any] = {
            "version": "2024-10-01",
            "user": {"id": vehicle.user_id},
            "event": "user:vehicle:updated",
            "vehicle": vehicle.to_json(dt_util.utcnow()),
            "updatedFields": [],
        }
        if created_at is not None:
            event["createdAt"] = created_at
        body = json.dumps([event]).encode()
        assert await deliver(hook.url, {"x-enode-signature": sign(hook.secret, body)}, body) == 200
        await hass.async_block_till_done()

    await push(71.0, "2026-11-23T10:10:05.000Z")
    assert float(unique_state(hass, "sensor", battery)) == pytest.approx(71.0)
    # Enode retries a delivery that failed earlier: older than what was applied, skipped.
    await push(40.0, "2026-11-23T10:10:01.000Z")
    assert float(unique_state(hass, "sensor", battery)) == pytest.approx(71.0)
    # An event without a time cannot be ordered: it is taken as it comes.
    await push(65.0, None)
    assert float(unique_state(hass, "sensor", battery)) == pytest.approx(65.0)
