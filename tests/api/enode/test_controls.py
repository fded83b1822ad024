"""Every control changes the simulated device; actions are followed to their outcome."""

from __future__ import annotations

from datetime import time

import aiohttp
import pytest

from custom_components.kraken_energy.api.enode import (
    EnodeActionCancelledError,
    EnodeActionFailedError,
    EnodeActionTimeoutError,
    EnodeClient,
    EnodeNotFoundError,
    EnodePreconditionError,
)
from custom_components.kraken_energy.api.enode.models import (
    ActionState,
    ActionTargetType,
    BatteryOperationMode,
    ChargingAction,
    HvacHoldType,
    HvacMode,
    InterventionLanguage,
    PowerDeliveryState,
    VendorType,
)
from custom_components.kraken_energy.providers.enode.readings import op_mode
from custom_components.kraken_energy.readings import ChargerOpMode
from simulator.app import RunningSimulator
from simulator.enode.state import (
    BATTERY_ID,
    CHARGER_ID,
    ENODE_USER_ID,
    HVAC_ID,
    TIME_OF_USE_INTERVENTION_ID,
    VEHICLE_ID,
    ActionOutcome,
)

from .conftest import POLL


async def test_vehicle_start_and_stop_charging(sim: RunningSimulator, enode: EnodeClient) -> None:
    action = await enode.set_vehicle_charging(VEHICLE_ID, charging=True)
    assert action.state is ActionState.PENDING
    assert action.kind is ChargingAction.START
    assert action.target_type is ActionTargetType.VEHICLE
    done = await enode.wait_for_action(action, poll_interval=POLL)
    assert done.state is ActionState.CONFIRMED
    assert done.completed_at is not None
    simulated = sim.state.enode.vehicles[VEHICLE_ID]
    assert simulated.is_charging
    vehicle = await enode.get_vehicle(VEHICLE_ID)
    assert vehicle.is_charging is True
    assert vehicle.power_delivery_state is PowerDeliveryState.CHARGING
    assert op_mode(vehicle) is ChargerOpMode.CHARGING
    assert vehicle.charge_rate == pytest.approx(7.4)
    assert vehicle.charge_time_remaining is not None

    # An hour of charging at 7.4 kW adds ~9.9 % to a 75 kWh battery.
    before = vehicle.battery_level or 0
    sim.state.enode.advance(3600)
    after = (await enode.get_vehicle(VEHICLE_ID)).battery_level or 0
    assert after - before == pytest.approx(7.4 / 75 * 100, abs=0.2)

    stop = await enode.set_vehicle_charging(VEHICLE_ID, charging=False)
    await enode.wait_for_action(stop, poll_interval=POLL)
    vehicle = await enode.get_vehicle(VEHICLE_ID)
    assert vehicle.is_charging is False
    assert op_mode(vehicle) is ChargerOpMode.AWAITING_START


async def test_vehicle_charges_to_its_limit(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.wait_for_action(
        await enode.set_vehicle_charging(VEHICLE_ID, charging=True), poll_interval=POLL
    )
    sim.state.enode.advance(6 * 3600)
    vehicle = await enode.get_vehicle(VEHICLE_ID)
    assert vehicle.battery_level == pytest.approx(80)
    assert vehicle.is_fully_charged is True
    assert op_mode(vehicle) is ChargerOpMode.COMPLETED
    with pytest.raises(EnodePreconditionError, match="fully charged"):
        await enode.set_vehicle_charging(VEHICLE_ID, charging=True)


async def test_charger_start_stop_and_max_current(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    await enode.wait_for_action(
        await enode.set_charger_charging(CHARGER_ID, charging=True), poll_interval=POLL
    )
    charger = await enode.get_charger(CHARGER_ID)
    assert charger.is_charging is True
    assert op_mode(charger) is ChargerOpMode.CHARGING
    assert charger.charge_rate == pytest.approx(16 * 3 * 230 / 1000)

    action = await enode.set_charger_max_current(CHARGER_ID, 10)
    await enode.wait_for_action(action, poll_interval=POLL)
    assert sim.state.enode.chargers[CHARGER_ID].max_current == 10
    charger = await enode.get_charger(CHARGER_ID)
    assert charger.max_current == 10
    assert charger.charge_rate == pytest.approx(6.9)

    await enode.wait_for_action(
        await enode.set_charger_charging(CHARGER_ID, charging=False), poll_interval=POLL
    )
    charger = await enode.get_charger(CHARGER_ID)
    assert charger.is_charging is False
    assert charger.charge_rate is None
    with pytest.raises(ValueError, match="above 0"):
        await enode.set_charger_max_current(CHARGER_ID, 0)


@pytest.mark.parametrize(
    ("mode", "heat", "cool"),
    [
        (HvacMode.HEAT, 23.0, None),
        (HvacMode.COOL, None, 22.0),
        (HvacMode.AUTO, 19.0, 25.0),
        (HvacMode.OFF, None, None),
    ],
)
async def test_hvac_permanent_hold(
    sim: RunningSimulator,
    enode: EnodeClient,
    mode: HvacMode,
    heat: float | None,
    cool: float | None,
) -> None:
    action = await enode.set_hvac_permanent_hold(
        HVAC_ID, mode, heat_setpoint=heat, cool_setpoint=cool
    )
    assert action.target_type is ActionTargetType.HVAC
    await enode.wait_for_action(action, poll_interval=POLL)
    hvac = await enode.get_hvac(HVAC_ID)
    assert hvac.mode is mode
    assert hvac.hold_type is HvacHoldType.PERMANENT
    if heat is not None:
        assert hvac.heat_setpoint == heat
    if cool is not None:
        assert hvac.cool_setpoint == cool
    if mode is HvacMode.OFF:
        assert hvac.is_active is False


async def test_hvac_hold_arguments_checked_before_sending(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    with pytest.raises(ValueError, match="heat_setpoint"):
        await enode.set_hvac_permanent_hold(HVAC_ID, HvacMode.HEAT)
    with pytest.raises(ValueError, match="cool_setpoint"):
        await enode.set_hvac_permanent_hold(HVAC_ID, HvacMode.AUTO, heat_setpoint=20)
    with pytest.raises(ValueError, match="UNKNOWN"):
        await enode.set_hvac_permanent_hold(HVAC_ID, HvacMode.UNKNOWN)
    assert sim.state.requests.count(path="/enode/hvacs") == 0


async def test_hvac_follow_schedule(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.wait_for_action(await enode.set_hvac_follow_schedule(HVAC_ID), poll_interval=POLL)
    hvac = await enode.get_hvac(HVAC_ID)
    assert hvac.hold_type is HvacHoldType.SCHEDULED
    assert hvac.heat_setpoint == 19


async def test_hvac_warms_towards_its_setpoint(sim: RunningSimulator, enode: EnodeClient) -> None:
    before = (await enode.get_hvac(HVAC_ID)).current_temperature or 0
    sim.state.enode.advance(1800)
    after = (await enode.get_hvac(HVAC_ID)).current_temperature or 0
    assert after == pytest.approx(before + 1.0, abs=0.05)


async def test_battery_operation_mode(sim: RunningSimulator, enode: EnodeClient) -> None:
    action = await enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.IMPORT_FOCUS)
    assert action.target_type is ActionTargetType.BATTERY
    await enode.wait_for_action(action, poll_interval=POLL)
    battery = await enode.get_battery(BATTERY_ID)
    assert battery.operation_mode is BatteryOperationMode.IMPORT_FOCUS
    assert battery.charge_rate == pytest.approx(3.3)
    before = battery.battery_level or 0
    sim.state.enode.advance(1800)
    after = (await enode.get_battery(BATTERY_ID)).battery_level or 0
    assert after - before == pytest.approx(3.3 / 2 / 13.5 * 100, abs=0.2)
    with pytest.raises(ValueError, match="UNKNOWN"):
        await enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.UNKNOWN)


async def test_blocked_mode_points_at_a_translated_intervention(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    with pytest.raises(EnodePreconditionError, match="TIME_OF_USE"):
        await enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.TIME_OF_USE)
    battery = await enode.get_battery(BATTERY_ID)
    (intervention_id,) = battery.capabilities.time_of_use.intervention_ids
    english = await enode.get_intervention(intervention_id)
    assert english.title == "Enable Time-Based Control in the Tesla app"
    assert english.vendor_type is VendorType.BATTERY
    assert english.vendor == "TESLA"
    assert english.domain == "Device"
    assert english.action == "Link"
    assert english.introduced_at is not None
    german = await enode.get_intervention(intervention_id, language=InterventionLanguage.DE_DE)
    assert german.title == "Zeitbasierte Steuerung in der Tesla-App aktivieren"
    assert "**Tesla-App**" in german.description
    # A language without a translation falls back to en-US.
    french = await enode.get_intervention(intervention_id, language=InterventionLanguage.FR_FR)
    assert french.title == english.title
    listed = await enode.list_interventions(language=InterventionLanguage.DE_DE)
    assert {i.id for i in listed} >= {TIME_OF_USE_INTERVENTION_ID}
    with pytest.raises(EnodeNotFoundError):
        await enode.get_intervention("00000000-0000-4000-8000-000000000000")


async def test_smart_charging_policy(sim: RunningSimulator, enode: EnodeClient) -> None:
    policy = await enode.update_smart_charging_policy(
        VEHICLE_ID, enabled=True, deadline=time(6, 30), minimum_charge_limit=30
    )
    assert policy.is_enabled is True
    assert policy.deadline == time(6, 30)
    assert policy.minimum_charge_limit == 30
    simulated = sim.state.enode.vehicles[VEHICLE_ID]
    assert simulated.smart_charging_enabled
    assert simulated.deadline == "06:30"
    assert await enode.get_smart_charging_policy(VEHICLE_ID) == policy
    vehicle = await enode.get_vehicle(VEHICLE_ID)
    assert vehicle.smart_charging_policy == policy

    disabled = await enode.update_smart_charging_policy(VEHICLE_ID, enabled=False)
    assert disabled.is_enabled is False
    assert disabled.deadline == time(6, 30)
    with pytest.raises(EnodePreconditionError, match="maximum charge limit"):
        await enode.update_smart_charging_policy(VEHICLE_ID, minimum_charge_limit=95)
    with pytest.raises(ValueError, match="nothing"):
        await enode.update_smart_charging_policy(VEHICLE_ID)


async def test_smart_override_charges_now(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.update_smart_charging_policy(VEHICLE_ID, enabled=True, minimum_charge_limit=10)
    override = await enode.create_smart_override(VEHICLE_ID)
    assert override.is_active
    assert override.target_id == VEHICLE_ID
    assert override.vendor_action_id is not None
    action = await enode.get_action(ActionTargetType.VEHICLE, override.vendor_action_id)
    await enode.wait_for_action(action, poll_interval=POLL)
    assert (await enode.get_vehicle(VEHICLE_ID)).is_charging is True
    ended = await enode.end_smart_override(VEHICLE_ID)
    assert not ended.is_active
    with pytest.raises(EnodeNotFoundError, match="No Smart Override"):
        await enode.end_smart_override(VEHICLE_ID)


async def test_failed_action_reports_its_reason(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.queue_action_outcomes(ActionOutcome.failed())
    action = await enode.set_charger_charging(CHARGER_ID, charging=True)
    with pytest.raises(EnodeActionFailedError) as caught:
        await enode.wait_for_action(action, poll_interval=POLL)
    assert caught.value.reason_type == "NO_RESPONSE"
    assert caught.value.reason_detail == "The chargeable device remained unreachable."
    assert "NO_RESPONSE: The chargeable device remained unreachable." in str(caught.value)
    assert caught.value.action.state is ActionState.FAILED
    assert sim.state.enode.chargers[CHARGER_ID].is_charging is False


async def test_failed_battery_action_without_reason(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.enode.queue_action_outcomes(ActionOutcome(state="FAILED"))
    action = await enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.EXPORT_FOCUS)
    with pytest.raises(EnodeActionFailedError) as caught:
        await enode.wait_for_action(action, poll_interval=POLL)
    assert caught.value.reason_type is None
    assert str(caught.value).endswith("failed")


async def test_cancelled_action(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.queue_action_outcomes(ActionOutcome.cancelled())
    action = await enode.set_vehicle_charging(VEHICLE_ID, charging=True)
    with pytest.raises(EnodeActionCancelledError) as caught:
        await enode.wait_for_action(action, poll_interval=POLL)
    assert caught.value.reason_type == "FAILED_PRECONDITION"
    assert "unplugged" in str(caught.value)


async def test_newer_action_cancels_the_pending_one(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    first = await enode.set_charger_max_current(CHARGER_ID, 10)
    second = await enode.set_charger_max_current(CHARGER_ID, 12)
    with pytest.raises(EnodeActionCancelledError) as caught:
        await enode.wait_for_action(first, poll_interval=POLL)
    assert caught.value.reason_type == "CONFLICT"
    await enode.wait_for_action(second, poll_interval=POLL)
    assert sim.state.enode.chargers[CHARGER_ID].max_current == 12


async def test_action_timeout(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.queue_action_outcomes(ActionOutcome.pending())
    action = await enode.set_hvac_follow_schedule(HVAC_ID)
    with pytest.raises(EnodeActionTimeoutError) as caught:
        await enode.wait_for_action(action, max_wait=0.3, poll_interval=0.05)
    assert caught.value.action.state is ActionState.PENDING
    assert "still pending after 0.3 s" in str(caught.value)
    polls = sim.state.requests.count(operation_name="getHvacsAction")
    assert 3 <= polls <= 8


async def test_link_session(
    sim: RunningSimulator, enode: EnodeClient, session: aiohttp.ClientSession
) -> None:
    link = await enode.create_link_session(
        "new-household",
        redirect_uri="https://example.com/callback",
        language="de-DE",
        vendor_type=VendorType.VEHICLE,
        vendor="TESLA",
        color_scheme="dark",
    )
    assert link.link_url.endswith(link.link_token)
    assert "new-household" in sim.state.enode.users
    async with session.get(link.link_url, allow_redirects=False) as response:
        assert response.status == 302
        assert response.headers["Location"].startswith("https://example.com/callback?")
    with pytest.raises(ValueError, match="scope"):
        await enode.create_link_session(ENODE_USER_ID, redirect_uri="https://x", scopes=())


async def test_requests_per_hour_at_suggested_cadence(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    """One household with one device of each kind, polled every 5 minutes for an hour."""
    for _ in range(12):
        await enode.fetch_devices(ENODE_USER_ID)
    per_hour = sim.state.requests.count(path="/enode")
    assert per_hour == 12 * 6 + 1  # six list requests per poll, one token an hour
    assert enode.request_count == per_hour
