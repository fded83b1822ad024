"""Dialects of the GB Kraken endpoint: seed, gb-2026 and gb-2024, and hidden fields."""

from __future__ import annotations

from datetime import datetime, timedelta
import sys
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from graphql import parse, print_schema, validate, validate_schema
import pytest

from simulator.__main__ import _parse_args
from simulator.app import RunningSimulator, start_simulator
from simulator.kraken.devices import SimDispatch, SmartFlexHome
from simulator.kraken.dialects import DIALECTS, GB_DIALECTS
from simulator.kraken.scenario import GB_ACCOUNT, GB_MULTI_RATE_ACCOUNT
from simulator.kraken.schema import dialect_schema

from .conftest import Client, Reply, error_code
from .kraken_documents import ACCOUNT, ALL_DOCUMENTS, SMARTFLEX, UPDATE_BOOST_CHARGE

EV = "6f1c2f50-0001-4e6a-9a55-000000000001"
CHARGER = "6f1c2f50-0002-4e6a-9a55-000000000002"
HEAT_PUMP = "6f1c2f50-0004-4e6a-9a55-000000000004"
NIGHT = "2026-11-23T12:00:00+00:00"

FLEX = """
query Flex($deviceId: String!) {
  flexPlannedDispatches(deviceId: $deviceId) { start end type energyAddedKwh }
}
"""
COMPLETED = """
query Completed($accountNumber: String!) {
  completedDispatches(accountNumber: $accountNumber) { start end delta meta { source location } }
}
"""
PLANNED = """
query Planned($accountNumber: String!) {
  plannedDispatches(accountNumber: $accountNumber) { start end delta meta { source location } }
}
"""
DEVICES_2026 = """
query Devices($accountNumber: String!) {
  devices(accountNumber: $accountNumber) {
    __typename
    id
    integrationDeviceId
    status {
      currentState
      __typename
      ... on SmartFlexVehicleStatus {
        stateOfCharge { value timestamp }
        activePower { value }
      }
    }
    ... on SmartFlexVehicle { vehicleVariant { batterySize } chargePointPowerOutput }
  }
}
"""
METER_POINTS_2026 = """
query MeterPoints($accountNumber: String!) {
  account(accountNumber: $accountNumber) {
    properties {
      electricityMeterPoints {
        mpan
        direction
        agreements { validFrom tariff { ... on StandardTariff { isExport } } }
      }
    }
  }
}
"""
DEVICES_2024 = """
query Devices($accountNumber: String!) {
  devices(accountNumber: $accountNumber) {
    __typename
    id
    status { __typename currentState }
    ... on SmartFlexVehicle {
      chargingPreferences { weekdayTargetTime weekdayTargetSoc weekendTargetTime maximumSoc }
    }
  }
}
"""
TYPES = """
query Types {
  dispatch: __type(name: "SmartFlexDispatch") { name }
  heatPumpStatus: __type(name: "SmartFlexHeatPumpStatus") { name }
  direction: __type(name: "ElectricityDirection") { name }
  preferences: __type(name: "SmartFlexDevicePreferences") { name }
  maLo: __type(name: "MaLo") { name }
  query: __type(name: "Query") { fields { name } }
  mutation: __type(name: "Mutation") { fields { name } }
  vehicle: __type(name: "SmartFlexVehicle") { fields { name } }
  tariff: __type(name: "StandardTariff") { fields { name } }
}
"""


def _home(sim: RunningSimulator) -> SmartFlexHome:
    return sim.state.kraken.scenario.account(GB_ACCOUNT).smartflex


async def _data(client: Client, query: str, token: str, **variables: Any) -> Any:
    reply = await client.post(query, variables, token=token)
    assert reply.status == 200, reply.text
    assert "errors" not in reply.body, reply.body
    return reply.body["data"]


async def _flex(client: Client, token: str, device_id: str) -> list[dict[str, Any]]:
    data = await _data(client, FLEX, token, deviceId=device_id)
    planned: list[dict[str, Any]] = data["flexPlannedDispatches"]
    return planned


def _names(data: dict[str, Any], key: str) -> set[str]:
    return {item["name"] for item in data[key]["fields"]}


# --- building ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_every_dialect_builds_a_valid_schema(name: str) -> None:
    schema = dialect_schema(name)
    assert validate_schema(schema) == []
    assert schema is dialect_schema(name)  # built once


def test_seed_has_none_of_the_additions() -> None:
    printed = print_schema(dialect_schema("seed"))
    for added in (
        "flexPlannedDispatches",
        "SmartFlexDispatch",
        "ElectricityDirection",
        "DecimalReading",
        "vehicleBatterySize",
        "allProperties",
        "electricityMalos",
        "MaLo",
        "UnitRateInformation",
    ):
        assert added not in printed
    for kept in ("plannedDispatches", "isExport", "SmartFlexHeatPumpStatus", "vehicleVariant"):
        assert kept in printed


@pytest.mark.parametrize("name", sorted(ALL_DOCUMENTS))
def test_seed_era_documents_validate_on_the_seed(name: str) -> None:
    document = parse(ALL_DOCUMENTS[name])
    assert validate(dialect_schema("seed"), document) == []


def test_unknown_dialect_and_hidden_names_are_refused() -> None:
    with pytest.raises(ValueError, match="gb-2026"):
        dialect_schema("gb-2025")
    with pytest.raises(ValueError, match=r"AccountType\.balanse"):
        dialect_schema("seed", {"AccountType.balanse"})


async def test_start_simulator_takes_the_dialect(socket_enabled: None) -> None:
    running = await start_simulator(kraken_dialect="gb-2026")
    try:
        assert running.state.kraken.dialect == "gb-2026"
    finally:
        await running.close()
    with pytest.raises(ValueError, match="kraken_dialect"):
        await start_simulator(kraken_dialect="de-2026")


def test_command_line_takes_the_dialect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["simulator"])
    assert _parse_args().kraken_dialect == "gb-2026"
    monkeypatch.setattr(sys, "argv", ["simulator", "--kraken-dialect", "gb-2024"])
    assert _parse_args().kraken_dialect == "gb-2024"
    assert set(GB_DIALECTS) == {"seed", "gb-2026", "gb-2024"}


# --- validation errors as Kraken sends them ------------------------------------------------


@pytest.mark.parametrize(
    ("dialect", "query", "message"),
    [
        (
            "gb-2026",
            PLANNED,
            (
                "Cannot query field 'plannedDispatches' on type 'Query'. "
                "Did you mean 'flexPlannedDispatches' or 'completedDispatches'?"
            ),
        ),
        (
            "gb-2024",
            FLEX,
            (
                "Cannot query field 'flexPlannedDispatches' on type 'Query'. "
                "Did you mean 'plannedDispatches' or 'completedDispatches'?"
            ),
        ),
        (
            "gb-2024",
            UPDATE_BOOST_CHARGE,
            "Cannot query field 'updateBoostCharge' on type 'Mutation'.",
        ),
        ("seed", FLEX, "Cannot query field 'flexPlannedDispatches' on type 'Query'."),
    ],
)
async def test_removed_fields_fail_with_http_400(
    client: Client, sim: RunningSimulator, dialect: str, query: str, message: str
) -> None:
    sim.state.kraken.dialect = dialect
    token = (await client.token())["token"]
    reply = await client.post(query, {"accountNumber": GB_ACCOUNT, "deviceId": EV}, token=token)
    assert reply.status == 400
    assert list(reply.body) == ["errors"]  # no `data`
    errors = {error["message"]: error for error in reply.body["errors"]}
    error = next(error for text, error in errors.items() if text.startswith(message))
    assert error == {"message": error["message"], "locations": [{"line": 3, "column": 3}]}


async def test_a_validation_error_names_every_missing_field(
    client: Client, sim: RunningSimulator
) -> None:
    sim.state.kraken.dialect = "gb-2024"
    token = (await client.token())["token"]
    reply = await client.post(METER_POINTS_2026, {"accountNumber": GB_ACCOUNT}, token=token)
    assert reply.status == 400
    assert reply.body == {
        "errors": [
            {
                "message": "Cannot query field 'direction' on type 'ElectricityMeterPointType'.",
                "locations": [{"line": 7, "column": 9}],
            },
            {
                "message": "Cannot query field 'isExport' on type 'StandardTariff'.",
                "locations": [{"line": 8, "column": 65}],
            },
        ]
    }


async def test_application_errors_stay_http_200(client: Client, sim: RunningSimulator) -> None:
    sim.state.kraken.dialect = "gb-2026"
    token = (await client.token())["token"]
    reply = await client.post(FLEX, {"deviceId": "no-such-device"}, token=token)
    assert reply.status == 200
    assert reply.body["data"] == {"flexPlannedDispatches": None}
    assert error_code(reply) == "KT-CT-4301"
    assert reply.body["errors"][0]["path"] == ["flexPlannedDispatches"]


# --- gb-2026 -------------------------------------------------------------------------------


@pytest.mark.freeze_time(NIGHT)
async def test_gb_2026_dispatches_are_per_device_and_follow_the_night_plan(
    client: Client, sim: RunningSimulator
) -> None:
    sim.state.kraken.dialect = "gb-2026"
    token = (await client.token())["token"]
    night = {
        "start": "2026-11-23T23:30:00+00:00",
        "end": "2026-11-24T05:30:00+00:00",
        "type": "SMART",
        "energyAddedKwh": "-42.0",
    }
    assert await _flex(client, token, EV) == [night]
    # The charge point is not plugged in: nothing planned for it, and the car's plan is its own.
    assert await _flex(client, token, CHARGER) == []
    assert await _flex(client, token, HEAT_PUMP) == []
    _home(sim).device(CHARGER).plugged_in = True
    assert await _flex(client, token, CHARGER) == [night]
    assert await _flex(client, token, EV) == [night]
    # Unplugged, the car has nothing planned.
    _home(sim).device(EV).plugged_in = False
    assert await _flex(client, token, EV) == []


@pytest.mark.freeze_time(NIGHT)
async def test_gb_2026_hand_made_windows_belong_to_their_device(
    client: Client, sim: RunningSimulator
) -> None:
    sim.state.kraken.dialect = "gb-2026"
    token = (await client.token())["token"]
    home = _home(sim)
    home.plan_nights = False
    start = datetime.fromisoformat("2026-11-23T14:00:00+00:00")
    home.extra_dispatches.append(SimDispatch(start, start + timedelta(hours=1), -3.5))
    home.extra_dispatches.append(
        SimDispatch(start, start + timedelta(minutes=30), -1.25, "test-charge", device_id=CHARGER)
    )
    # Without a device the window is the first vehicle's (the car).
    assert await _flex(client, token, EV) == [
        {
            "start": "2026-11-23T14:00:00+00:00",
            "end": "2026-11-23T15:00:00+00:00",
            "type": "SMART",
            "energyAddedKwh": "-3.5",
        }
    ]
    assert await _flex(client, token, CHARGER) == [
        {
            "start": "2026-11-23T14:00:00+00:00",
            "end": "2026-11-23T14:30:00+00:00",
            "type": "TEST",
            "energyAddedKwh": "-1.25",
        }
    ]


async def test_gb_2026_boost_is_a_boost_dispatch(
    client: Client, sim: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(NIGHT)
    sim.state.kraken.dialect = "gb-2026"
    token = (await client.token())["token"]
    reply = await client.post(
        UPDATE_BOOST_CHARGE, {"input": {"deviceId": EV, "action": "BOOST"}}, token=token
    )
    assert "errors" not in reply.body
    boost = {
        "start": "2026-11-23T12:00:00+00:00",
        "end": "2026-11-23T13:00:00+00:00",
        "type": "BOOST",
        "energyAddedKwh": "-7.0",
    }
    # While boosting the car is not waiting for the night plan.
    assert await _flex(client, token, EV) == [boost]
    devices = await _data(client, DEVICES_2026, token, accountNumber=GB_ACCOUNT)
    car = devices["devices"][0]
    assert car["status"]["currentState"] == "BOOSTING"
    assert car["status"]["activePower"] == {"value": "7.0"}
    freezer.move_to("2026-11-23T13:30:00+00:00")
    token = (await client.token())["token"]
    # The boost is over: completed, and the night is planned again.
    assert await _flex(client, token, EV) == [
        {
            "start": "2026-11-23T23:30:00+00:00",
            "end": "2026-11-24T05:30:00+00:00",
            "type": "SMART",
            "energyAddedKwh": "-42.0",
        }
    ]
    completed = await _data(client, COMPLETED, token, accountNumber=GB_ACCOUNT)
    assert {
        "start": "2026-11-23T12:00:00+00:00",
        "end": "2026-11-23T13:00:00+00:00",
        "delta": "-7.0",
        "meta": {"source": None, "location": "AT_HOME"},
    } in completed["completedDispatches"]


async def test_gb_2026_devices_report_charge_and_power(
    client: Client, sim: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    sim.state.kraken.dialect = "gb-2026"
    freezer.move_to("2026-11-24T01:00:00+00:00")  # inside the night window
    token = (await client.token())["token"]
    devices = await _data(client, DEVICES_2026, token, accountNumber=GB_ACCOUNT)
    by_type = {device["__typename"]: device for device in devices["devices"]}
    car = by_type["SmartFlexVehicle"]
    assert car["integrationDeviceId"] == "5YJ3E1EA7KF000001"
    assert car["status"]["stateOfCharge"] == {
        "value": "62",
        "timestamp": "2026-11-24T01:00:00+00:00",
    }
    assert car["status"]["activePower"] == {"value": "7.0"}
    assert car["chargePointPowerOutput"] == "7.0"
    assert car["vehicleVariant"] == {"batterySize": "57.5"}
    assert by_type["SmartFlexHeatPump"]["status"]["__typename"] == "SmartFlexHeatPumpStatus"
    freezer.move_to("2026-11-24T06:00:00+00:00")
    token = (await client.token())["token"]
    devices = await _data(client, DEVICES_2026, token, accountNumber=GB_ACCOUNT)
    assert devices["devices"][0]["status"]["activePower"] == {"value": "0.0"}


async def test_gb_2026_meter_point_direction_and_utc_offsets(
    client: Client, sim: RunningSimulator
) -> None:
    sim.state.kraken.dialect = "gb-2026"
    token = (await client.token())["token"]
    data = await _data(client, METER_POINTS_2026, token, accountNumber=GB_ACCOUNT)
    points = data["account"]["properties"][0]["electricityMeterPoints"]
    assert [(point["mpan"], point["direction"]) for point in points] == [
        ("2000012345678", "IMPORT"),
        ("2000098765432", "EXPORT"),
    ]
    assert points[1]["agreements"][0]["tariff"] == {"isExport": True}
    # Kraken's DateTime ends in +00:00 (the seed's ended in Z).
    assert points[0]["agreements"][0]["validFrom"] == "2024-09-30T23:00:00+00:00"


async def test_gb_2026_account_without_devices_has_no_dispatches(
    client: Client, sim: RunningSimulator
) -> None:
    token = (await client.token())["token"]
    variables = {"accountNumber": GB_MULTI_RATE_ACCOUNT}
    # The seed lists nothing; the real API answers KT-CT-4301.
    reply = await client.post(COMPLETED, variables, token=token)
    assert reply.body == {"data": {"completedDispatches": []}}
    sim.state.kraken.dialect = "gb-2026"
    reply = await client.post(COMPLETED, variables, token=token)
    assert reply.status == 200
    assert error_code(reply) == "KT-CT-4301"
    assert reply.body["errors"][0]["message"] == "Unable to find device for given account."
    assert reply.body["errors"][0]["extensions"]["errorType"] == "NOT_FOUND"


async def test_gb_2026_schema_has_and_lacks(client: Client, sim: RunningSimulator) -> None:
    sim.state.kraken.dialect = "gb-2026"
    data = (await client.post(TYPES)).body["data"]
    assert data["dispatch"] == {"name": "SmartFlexDispatch"}
    assert data["heatPumpStatus"] == {"name": "SmartFlexHeatPumpStatus"}
    assert data["direction"] == {"name": "ElectricityDirection"}
    assert data["maLo"] is None
    assert "plannedDispatches" not in _names(data, "query")
    assert {"flexPlannedDispatches", "completedDispatches", "devices"} <= _names(data, "query")
    assert {"setDevicePreferences", "updateBoostCharge", "updateDeviceSmartControl"} <= _names(
        data, "mutation"
    )
    assert {"preferences", "vehicleVariant", "chargePointPowerOutput"} <= _names(data, "vehicle")
    assert "isExport" in _names(data, "tariff")


# --- gb-2024 -------------------------------------------------------------------------------


async def test_gb_2024_schema_lacks_the_newer_shapes(client: Client, sim: RunningSimulator) -> None:
    sim.state.kraken.dialect = "gb-2024"
    data = (await client.post(TYPES)).body["data"]
    for name in ("dispatch", "heatPumpStatus", "direction", "preferences", "maLo"):
        assert data[name] is None, name
    assert {"plannedDispatches", "completedDispatches", "devices"} <= _names(data, "query")
    assert "flexPlannedDispatches" not in _names(data, "query")
    mutations = _names(data, "mutation")
    assert "updateDeviceSmartControl" in mutations
    assert not {"setDevicePreferences", "updateBoostCharge"} & mutations
    vehicle = _names(data, "vehicle")
    assert "chargingPreferences" in vehicle
    assert not {"preferences", "vehicleVariant", "integrationDeviceId"} & vehicle
    assert "isExport" not in _names(data, "tariff")


@pytest.mark.freeze_time(NIGHT)
async def test_gb_2024_devices_and_dispatches(client: Client, sim: RunningSimulator) -> None:
    sim.state.kraken.dialect = "gb-2024"
    token = (await client.token())["token"]
    data = await _data(client, DEVICES_2024, token, accountNumber=GB_ACCOUNT)
    by_id = {device["id"]: device for device in data["devices"]}
    assert by_id[EV]["chargingPreferences"] == {
        "weekdayTargetTime": "07:00:00",
        "weekdayTargetSoc": 80,
        "weekendTargetTime": "09:00:00",
        "maximumSoc": 90,
    }
    # No heat pump status type nor storage heater type in 2024: the generic ones stand in.
    assert by_id[HEAT_PUMP]["status"]["__typename"] == "SmartFlexDeviceStatus"
    assert by_id["6f1c2f50-0006-4e6a-9a55-000000000006"]["__typename"] == "SmartFlexDevice"
    planned = await _data(client, PLANNED, token, accountNumber=GB_ACCOUNT)
    assert planned["plannedDispatches"] == [
        {
            "start": "2026-11-23T23:30:00+00:00",
            "end": "2026-11-24T05:30:00+00:00",
            "delta": "-42.0",
            "meta": {"source": "smart-charge", "location": None},
        }
    ]


async def test_gb_2024_refuses_the_seed_documents_that_use_newer_fields(
    client: Client, sim: RunningSimulator
) -> None:
    sim.state.kraken.dialect = "gb-2024"
    token = (await client.token())["token"]
    reply = await client.post(SMARTFLEX, {"accountNumber": GB_ACCOUNT}, token=token)
    assert reply.status == 400
    messages = [error["message"] for error in reply.body["errors"]]
    assert "Unknown type 'SmartFlexHeatPumpStatus'." in " ".join(messages)
    assert any("'preferences' on type 'SmartFlexDeviceInterface'" in m for m in messages)
    reply = await client.post(
        ACCOUNT, {"accountNumber": GB_ACCOUNT, "includeRates": False}, token=token
    )
    assert reply.status == 400
    assert {error["message"] for error in reply.body["errors"]} == {
        f"Cannot query field 'isExport' on type '{name}'."
        for name in (
            "StandardTariff",
            "DayNightTariff",
            "ThreeRateTariff",
            "HalfHourlyTariff",
            "PrepayTariff",
            "GasTariffType",
        )
    }


# --- switching at run time -----------------------------------------------------------------


async def test_dialect_switch_applies_to_the_next_request(
    client: Client, sim: RunningSimulator
) -> None:
    token = (await client.token())["token"]
    variables = {"accountNumber": GB_ACCOUNT}
    assert (await client.post(PLANNED, variables, token=token)).status == 200
    sim.state.kraken.dialect = "gb-2026"
    assert (await client.post(PLANNED, variables, token=token)).status == 400
    # Tokens stay valid across dialects: it is the same instance.
    sim.state.kraken.dialect = "seed"
    assert (await client.post(PLANNED, variables, token=token)).status == 200


async def test_hidden_field_disappears_between_two_polls(
    client: Client, sim: RunningSimulator
) -> None:
    token = (await client.token())["token"]
    variables = {"accountNumber": GB_ACCOUNT, "includeRates": False}
    first = await client.post(ACCOUNT, variables, token=token)
    assert first.status == 200
    assert first.body["data"]["account"]["balance"] == 4250
    sim.state.kraken.hidden_fields.add("AccountType.balance")
    second: Reply = await client.post(ACCOUNT, variables, token=token)
    assert second.status == 400
    assert second.body["errors"][0]["message"].startswith(
        "Cannot query field 'balance' on type 'AccountType'."
    )
    # Hidden names apply to whatever dialect is served, and can come back.
    sim.state.kraken.dialect = "gb-2026"
    data = (await client.post(TYPES)).body["data"]
    assert data["dispatch"] == {"name": "SmartFlexDispatch"}
    sim.state.kraken.hidden_fields.add("SmartFlexDispatch")
    data = (await client.post(TYPES)).body["data"]
    assert data["dispatch"] is None
    assert "flexPlannedDispatches" not in _names(data, "query")
    sim.state.kraken.hidden_fields.clear()
    sim.state.kraken.dialect = "seed"
    assert (await client.post(ACCOUNT, variables, token=token)).status == 200


async def test_hiding_an_unknown_name_is_an_error(client: Client, sim: RunningSimulator) -> None:
    sim.state.kraken.hidden_fields.add("AccountType.notAField")
    with pytest.raises(ValueError, match="notAField"):
        dialect_schema(sim.state.kraken.dialect, sim.state.kraken.hidden_fields)
