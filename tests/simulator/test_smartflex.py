"""The simulator's SmartFlex devices, dispatches and mutations over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from simulator.app import RunningSimulator
from simulator.kraken.devices import SmartDevice, SmartFlexHome
from simulator.kraken.scenario import DE_API_KEY, GB_ACCOUNT

from .conftest import Client, Reply, error_code
from .kraken_documents import (
    SET_DEVICE_PREFERENCES,
    SMARTFLEX,
    UPDATE_BOOST_CHARGE,
    UPDATE_SMART_CONTROL,
)

EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
CHARGER = "6f1c2f50-0002-4e6a-9a55-000000000002"
HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"
NIGHT = "2026-11-23T12:00:00+00:00"


def _home(sim: RunningSimulator) -> SmartFlexHome:
    return sim.state.kraken.scenario.account(GB_ACCOUNT).smartflex


def _device(sim: RunningSimulator, device_id: str) -> SmartDevice:
    return _home(sim).device(device_id)


async def _devices(client: Client, token: str) -> dict[str, Any]:
    reply = await client.post(SMARTFLEX, {"accountNumber": GB_ACCOUNT}, "SmartFlex", token=token)
    assert reply.body is not None
    assert "errors" not in reply.body, reply.body
    data: dict[str, Any] = reply.body["data"]
    return data


async def _mutate(client: Client, token: str, document: str, name: str, **data: Any) -> Reply:
    return await client.post(document, {"input": data}, name, token=token)


@pytest.mark.freeze_time(NIGHT)
async def test_devices_of_every_kind_with_their_blocks(client: Client) -> None:
    token = (await client.token())["token"]
    data = await _devices(client, token)
    kinds = {device["__typename"]: device for device in data["devices"]}
    assert set(kinds) == {
        "SmartFlexVehicle",
        "SmartFlexChargePoint",
        "SmartFlexBattery",
        "SmartFlexHeatPump",
        "SmartFlexInverter",
        "SmartFlexStorageHeaters",
    }
    car = kinds["SmartFlexVehicle"]
    assert car["status"]["currentState"] == "SMART_CONTROL_IN_PROGRESS"
    assert car["status"]["stateOfChargeLimit"] == {"upperSocLimit": 90, "isLimitViolated": False}
    assert car["vehicleVariant"]["batterySize"] == "57.5"
    assert car["preferences"]["schedules"][0] == {
        "dayOfWeek": "MONDAY",
        "time": "07:00:00",
        "min": None,
        "max": 80.0,
    }
    assert kinds["SmartFlexChargePoint"]["status"]["currentState"] == "SMART_CONTROL_NOT_AVAILABLE"
    pump = kinds["SmartFlexHeatPump"]["status"]
    assert pump["mode"]["value"] == "HEATING"
    assert pump["targetTemperature"]["value"] == "21.0"
    assert {zone["zone"] for zone in pump["currentTemperatures"]} == {"ZONE_1", "WATER"}
    telemetry = kinds["SmartFlexInverter"]["telemetry"]
    assert telemetry["battery"]["connectionStatus"] == "ONLINE"
    assert telemetry["solar"]["powerInKw"] == "3.3"


@pytest.mark.freeze_time(NIGHT)
async def test_dispatches_are_planned_at_night_while_a_car_waits(
    client: Client, sim: RunningSimulator
) -> None:
    token = (await client.token())["token"]
    data = await _devices(client, token)
    assert data["plannedDispatches"] == [
        {
            "start": "2026-11-23T23:30:00Z",
            "end": "2026-11-24T05:30:00Z",
            "delta": "-42.0",
            "meta": {"source": "smart-charge", "location": None},
        }
    ]
    # Last night's window has ended: it is completed, with a location instead of a source.
    assert data["completedDispatches"][0]["start"] == "2026-11-22T23:30:00Z"
    assert data["completedDispatches"][0]["meta"] == {"source": None, "location": "AT_HOME"}

    _device(sim, EV).plugged_in = False
    data = await _devices(client, token)
    assert data["plannedDispatches"] == []


async def test_smart_control_suspends_and_resumes(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    reply = await _mutate(
        client,
        token,
        UPDATE_SMART_CONTROL,
        "UpdateDeviceSmartControl",
        deviceId=EV,
        action="SUSPEND",
    )
    assert reply.body["data"]["updateDeviceSmartControl"]["id"] == EV
    assert _device(sim, EV).is_suspended
    data = await _devices(client, token)
    assert data["devices"][0]["status"]["currentState"] == "SMART_CONTROL_OFF"
    await _mutate(
        client,
        token,
        UPDATE_SMART_CONTROL,
        "UpdateDeviceSmartControl",
        deviceId=EV,
        action="UNSUSPEND",
    )
    assert not _device(sim, EV).is_suspended


async def test_retired_device_cannot_be_suspended(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    _device(sim, EV).lifecycle = "RETIRED"
    reply = await _mutate(
        client,
        token,
        UPDATE_SMART_CONTROL,
        "UpdateDeviceSmartControl",
        deviceId=EV,
        action="SUSPEND",
    )
    assert error_code(reply) == "KT-CT-4358"
    data = await _devices(client, token)
    assert data["devices"][0]["status"]["currentState"] == "RETIRED"


async def test_boost_refusals_carry_every_reason(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    car = _device(sim, EV)
    car.plugged_in = False
    car.at_home = False
    reply = await _mutate(
        client, token, UPDATE_BOOST_CHARGE, "UpdateBoostCharge", deviceId=EV, action="BOOST"
    )
    assert error_code(reply) == "KT-CT-4356"
    extensions = reply.body["errors"][0]["extensions"]
    assert extensions["boostChargeRefusalReasons"] == [
        "BC_DEVICE_DISCONNECTED",
        "BC_DEVICE_NOT_AT_HOME",
    ]
    car.plugged_in = car.at_home = True
    reply = await _mutate(
        client, token, UPDATE_BOOST_CHARGE, "UpdateBoostCharge", deviceId=EV, action="BOOST"
    )
    assert "errors" not in reply.body
    assert car.current_state(datetime.now(car.boost_until.tzinfo)) == "BOOSTING"  # type: ignore[union-attr]
    reply = await _mutate(
        client, token, UPDATE_BOOST_CHARGE, "UpdateBoostCharge", deviceId=EV, action="CANCEL"
    )
    assert car.boost_until is None
    reply = await _mutate(
        client, token, UPDATE_BOOST_CHARGE, "UpdateBoostCharge", deviceId=EV, action="CANCEL"
    )
    assert error_code(reply) == "KT-CT-4354"
    # A heat pump cannot boost-charge at all.
    reply = await _mutate(
        client, token, UPDATE_BOOST_CHARGE, "UpdateBoostCharge", deviceId=HEAT_PUMP, action="BOOST"
    )
    assert error_code(reply) == "KT-CT-4357"


async def test_boost_runs_out_after_an_hour(sim: RunningSimulator) -> None:
    car = _device(sim, EV)
    start = datetime.fromisoformat(NIGHT)
    car.update_boost("BOOST", start)
    assert car.current_state(start + timedelta(minutes=59)) == "BOOSTING"
    assert car.current_state(start + timedelta(hours=1)) == "SMART_CONTROL_IN_PROGRESS"


async def test_preferences_are_validated_and_stored(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    schedule = {"dayOfWeek": "MONDAY", "time": "06:30", "max": 95}
    reply = await _mutate(
        client,
        token,
        SET_DEVICE_PREFERENCES,
        "SetDevicePreferences",
        deviceId=EV,
        mode="CHARGE",
        unit="PERCENTAGE",
        schedules=[schedule],
    )
    assert "errors" not in reply.body
    data = await _devices(client, token)
    status = data["devices"][0]["status"]
    # Above the car's 90 % limit: accepted, and flagged the way Kraken does.
    assert status["stateOfChargeLimit"]["isLimitViolated"] is True
    assert data["devices"][0]["preferences"]["schedules"] == [
        {"dayOfWeek": "MONDAY", "time": "06:30:00", "min": None, "max": 95.0}
    ]
    for bad, why in (
        ({**schedule, "time": "12:00"}, "between 04:00 and 11:00"),
        ({**schedule, "max": 5}, "between 10 and 100"),
    ):
        reply = await _mutate(
            client,
            token,
            SET_DEVICE_PREFERENCES,
            "SetDevicePreferences",
            deviceId=EV,
            mode="CHARGE",
            unit="PERCENTAGE",
            schedules=[bad],
        )
        assert error_code(reply) == "KT-CT-4321"
        assert why in reply.body["errors"][0]["extensions"]["errorDescription"]
    reply = await _mutate(
        client,
        token,
        SET_DEVICE_PREFERENCES,
        "SetDevicePreferences",
        deviceId=HEAT_PUMP,
        mode="COOL",
        unit="CELSIUS",
        schedules=[{**schedule, "max": 19.5}],
    )
    pump = _device(sim, HEAT_PUMP).heat_pump
    assert pump is not None
    assert (pump.mode, pump.target_temperature) == ("COOLING", 19.5)


async def test_other_users_devices_are_not_found(client: Client) -> None:
    token = (await client.token(APIKey=DE_API_KEY))["token"]
    reply = await _mutate(
        client,
        token,
        UPDATE_SMART_CONTROL,
        "UpdateDeviceSmartControl",
        deviceId=EV,
        action="SUSPEND",
    )
    assert error_code(reply) == "KT-CT-4301"
    reply = await client.post(SMARTFLEX, {"accountNumber": GB_ACCOUNT}, "SmartFlex", token=token)
    assert error_code(reply) == "KT-CT-4123"


async def test_bad_time_literal_is_a_graphql_error(client: Client) -> None:
    token = (await client.token())["token"]
    reply = await _mutate(
        client,
        token,
        SET_DEVICE_PREFERENCES,
        "SetDevicePreferences",
        deviceId=EV,
        mode="CHARGE",
        unit="PERCENTAGE",
        schedules=[{"dayOfWeek": "MONDAY", "time": "soon", "max": 80}],
    )
    # A variable that does not coerce stops the document before it runs: HTTP 400, no data.
    assert reply.status == 400
    assert "data" not in reply.body
    assert "Invalid time" in reply.body["errors"][0]["message"]
