"""Problem bodies and transport failures mapped to typed errors."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from custom_components.kraken_energy.api.enode import (
    EnodeAuthError,
    EnodeClient,
    EnodeConflictError,
    EnodeConnectionError,
    EnodeConnectionsLimitError,
    EnodeControlledError,
    EnodeParseError,
    EnodePreconditionError,
    EnodeRateLimitError,
    EnodeServerError,
    EnodeTimeoutError,
)
from custom_components.kraken_energy.api.enode.models import (
    ActionTargetType,
    HvacMode,
    VendorType,
)
from simulator.app import RunningSimulator
from simulator.enode.state import (
    CHARGER_ID,
    ENODE_CLIENT_SECRET,
    ENODE_USER_ID,
    HVAC_ID,
    VEHICLE_ID,
)
from simulator.faults import Fault

from .conftest import POLL, ClientFactory


def assert_clean(error: Exception, sim: RunningSimulator) -> None:
    """No secret or token in the message."""
    text = str(error)
    assert ENODE_CLIENT_SECRET not in text
    for token in sim.state.enode.tokens:
        assert token not in text


async def test_400_precondition_failed(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.vehicles[VEHICLE_ID].is_plugged_in = False
    with pytest.raises(EnodePreconditionError) as caught:
        await enode.set_vehicle_charging(VEHICLE_ID, charging=True)
    assert caught.value.status == 400
    assert caught.value.detail == "The vehicle is not plugged in."
    assert "Bad Request: The vehicle is not plugged in." in str(caught.value)
    assert caught.value.problem_type == "https://developers.enode.com/api/problems/bad-request"
    assert_clean(caught.value, sim)


async def test_400_invalid_setpoint(enode: EnodeClient) -> None:
    with pytest.raises(EnodePreconditionError, match="outside 10-30"):
        await enode.set_hvac_permanent_hold(HVAC_ID, HvacMode.HEAT, heat_setpoint=45)


async def test_409_cancelling_a_resolved_action(sim: RunningSimulator, enode: EnodeClient) -> None:
    action = await enode.set_charger_charging(CHARGER_ID, charging=True)
    await enode.wait_for_action(action, poll_interval=POLL)
    with pytest.raises(EnodeConflictError) as caught:
        await enode.cancel_action(ActionTargetType.CHARGER, action.id)
    assert caught.value.status == 409
    assert "CONFIRMED" in str(caught.value)


async def test_cancel_pending_action(enode: EnodeClient) -> None:
    action = await enode.set_charger_charging(CHARGER_ID, charging=True)
    cancelled = await enode.cancel_action(ActionTargetType.CHARGER, action.id)
    assert cancelled.state is not None
    assert cancelled.state.value == "CANCELLED"


async def test_422_controlled_by_smart_charging(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.update_smart_charging_policy(VEHICLE_ID, enabled=True)
    with pytest.raises(EnodeControlledError) as caught:
        await enode.set_vehicle_charging(VEHICLE_ID, charging=True)
    assert caught.value.status == 422
    message = str(caught.value)
    assert "controlled by an Enode schedule or smart charging" in message
    assert "active Smart Charging plan" in message


async def test_422_controlled_by_a_schedule(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.schedule_controlled.add(HVAC_ID)
    with pytest.raises(EnodeControlledError, match="Enode Schedule"):
        await enode.set_hvac_follow_schedule(HVAC_ID)


async def test_429_with_retry_after(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.authenticate()
    sim.state.faults.add(Fault.rate_limit(42, operation_name="listUserChargers"))
    with pytest.raises(EnodeRateLimitError) as caught:
        await enode.list_chargers(ENODE_USER_ID)
    assert caught.value.retry_after == 42.0
    assert caught.value.status == 429
    # The next request goes through.
    assert len(await enode.list_chargers(ENODE_USER_ID)) == 1


async def test_429_on_the_token_endpoint(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.faults.add(Fault.rate_limit(7, operation_name="token"))
    with pytest.raises(EnodeRateLimitError) as caught:
        await enode.list_chargers(ENODE_USER_ID)
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_a_server_error(
    sim: RunningSimulator, enode: EnodeClient, status: int
) -> None:
    sim.state.faults.add(Fault.http_status(status, path="/enode/users"))
    with pytest.raises(EnodeServerError) as caught:
        await enode.list_hvacs(ENODE_USER_ID)
    assert isinstance(caught.value, EnodeConnectionError)
    assert caught.value.status == status


async def test_connection_refused(session: aiohttp.ClientSession, socket_enabled: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    enode = EnodeClient(
        session,
        "id",
        ENODE_CLIENT_SECRET,
        api_url=f"http://127.0.0.1:{port}",
        token_url=f"http://127.0.0.1:{port}/token",
    )
    with pytest.raises(EnodeConnectionError) as caught:
        await enode.list_vehicles(ENODE_USER_ID)
    assert ENODE_CLIENT_SECRET not in str(caught.value)


async def test_timeout(sim: RunningSimulator, make_client: ClientFactory) -> None:
    enode = make_client(timeout=0.2)
    await enode.authenticate()
    sim.state.faults.add(Fault.latency(2.0, operation_name="getVehicle"))
    with pytest.raises(EnodeTimeoutError):
        await enode.get_vehicle(VEHICLE_ID)


async def test_malformed_body(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.authenticate()
    sim.state.faults.add(Fault.malformed(operation_name="listUserVehicles"))
    with pytest.raises(EnodeParseError, match="not JSON"):
        await enode.list_vehicles(ENODE_USER_ID)
    sim.state.faults.add(Fault.wrong_shape({"data": "nope"}, operation_name="listUserVehicles"))
    with pytest.raises(EnodeParseError, match=r"listUserVehicles\.data"):
        await enode.list_vehicles(ENODE_USER_ID)


async def test_connections_limit_is_not_reauth(sim: RunningSimulator, enode: EnodeClient) -> None:
    sim.state.enode.connections_limit = 1
    with pytest.raises(EnodeConnectionsLimitError) as caught:
        await enode.create_link_session("new-user", redirect_uri="https://example.com/cb")
    assert not isinstance(caught.value, EnodeAuthError)
    assert caught.value.status == 403
    assert "Connections limit reached." in str(caught.value)


async def test_one_failing_list_is_recorded_and_the_others_still_arrive(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(Fault.http_status(503, operation_name="listUserHVACs"))
    devices = await enode.fetch_devices(ENODE_USER_ID)
    assert devices.hvacs == ()
    assert list(devices.failed_kinds) == [VendorType.HVAC]
    error = devices.failed_kinds[VendorType.HVAC]
    assert isinstance(error, EnodeServerError)
    assert error.status == 503
    assert str(error).startswith("listUserHVACs: HTTP 503")
    assert len(devices.vehicles) == len(devices.chargers) == len(devices.meters) == 1
