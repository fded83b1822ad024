"""The German Kraken instance (`/de/v1/graphql/`, dialect de-2026) and its scenario."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest

from simulator.app import RunningSimulator
from simulator.kraken.germany import BERLIN
from simulator.kraken.scenario import (
    DE_ACCOUNT,
    DE_API_KEY,
    DE_DYNAMIC_ACCOUNT,
    DE_EMAIL,
    DE_VEHICLE_ID,
    GB_ACCOUNT,
    PASSWORD,
)

from .conftest import Client, Reply, error_code
from .kraken_documents import (
    ACCOUNT,
    COMPLETED_DISPATCHES,
    DE_ACCOUNT as DE_ACCOUNT_QUERY,
    DE_DEVICES,
    DE_VIEWER,
    FLEX_PLANNED_DISPATCHES,
    UPDATE_BOOST_CHARGE,
    VIEWER_ACCOUNTS,
)

# 00:30 in Berlin (CET): inside the GO window 00:00-05:00 local.
GO_NIGHT = "2026-11-30T23:30:00+00:00"
# 14:00 in Berlin: the next GO window is tonight.
AFTERNOON = "2026-11-30T13:00:00+00:00"


async def _de_token(client: Client, **credentials: str) -> str:
    result = await client.token(client.sim.kraken_de_url, **(credentials or {"APIKey": DE_API_KEY}))
    token: str = result["token"]
    return token


async def _de(client: Client, query: str, token: str, **variables: Any) -> Reply:
    return await client.post(query, variables, token=token, url=client.sim.kraken_de_url)


async def _de_data(client: Client, query: str, token: str, **variables: Any) -> Any:
    reply = await _de(client, query, token, **variables)
    assert reply.status == 200, reply.text
    assert "errors" not in reply.body, reply.body
    return reply.body["data"]


async def _account(client: Client, number: str = DE_ACCOUNT) -> dict[str, Any]:
    token = await _de_token(client)
    data = await _de_data(client, DE_ACCOUNT_QUERY, token, accountNumber=number)
    account: dict[str, Any] = data["account"]
    return account


def test_url(sim: RunningSimulator) -> None:
    assert sim.kraken_de_url == sim.base_url + "/de/v1/graphql/"


# --- sign-in and accounts ------------------------------------------------------------------


async def test_sign_in_and_viewer_with_ledgers(client: Client) -> None:
    for credentials in ({"APIKey": DE_API_KEY}, {"email": DE_EMAIL, "password": PASSWORD}):
        token = await _de_token(client, **credentials)
        data = await _de_data(client, DE_VIEWER, token)
        assert data == {
            "viewer": {
                "accounts": [
                    {
                        "number": DE_ACCOUNT,
                        "status": "ACTIVE",
                        "ledgers": [
                            {"balance": 9513, "ledgerType": "ELECTRICITY_LEDGER"},
                            {"balance": -2480, "ledgerType": "GAS_LEDGER"},
                        ],
                    },
                    {
                        "number": DE_DYNAMIC_ACCOUNT,
                        "status": "ACTIVE",
                        "ledgers": [{"balance": 4200, "ledgerType": "ELECTRICITY_LEDGER"}],
                    },
                ]
            }
        }


async def test_refresh_token_works_on_its_own_instance_only(client: Client) -> None:
    result = await client.token(client.sim.kraken_de_url, APIKey=DE_API_KEY)
    renewed = await client.token(client.sim.kraken_de_url, refreshToken=result["refreshToken"])
    assert renewed["token"] != result["token"]
    reply = await client.post(
        "mutation R($input: ObtainJSONWebTokenInput!) { obtainKrakenToken(input: $input) "
        "{ token } }",
        {"input": {"refreshToken": result["refreshToken"]}},
    )
    assert error_code(reply) == "KT-CT-1134"


async def test_instances_keep_their_users_and_tokens(client: Client) -> None:
    # The GB user does not exist on the German instance.
    reply = await client.post(
        "mutation O($input: ObtainJSONWebTokenInput!) { obtainKrakenToken(input: $input) "
        "{ token } }",
        {"input": {"APIKey": "sk_live_gb_simulator"}},
        url=client.sim.kraken_de_url,
    )
    assert error_code(reply) == "KT-CT-1135"
    # A token of one instance is refused by the other.
    gb_token = (await client.token(APIKey=DE_API_KEY))["token"]
    reply = await _de(client, DE_VIEWER, gb_token)
    assert error_code(reply) == "KT-CT-1111"
    de_token = await _de_token(client)
    reply = await client.post(VIEWER_ACCOUNTS, token=de_token)
    assert error_code(reply) == "KT-CT-1111"


async def test_gb_endpoint_serves_the_first_german_account_in_gb_shape_only(
    client: Client,
) -> None:
    token = (await client.token(APIKey=DE_API_KEY))["token"]
    reply = await client.post(VIEWER_ACCOUNTS, token=token)
    assert [a["number"] for a in reply.body["data"]["viewer"]["accounts"]] == [DE_ACCOUNT]
    reply = await client.post(
        ACCOUNT, {"accountNumber": DE_ACCOUNT, "includeRates": False}, token=token
    )
    account = reply.body["data"]["account"]
    # GB's balance is non-null: the ledgers' sum stands in.
    assert account["balance"] == 9513 - 2480
    assert account["properties"][0]["electricityMeterPoints"][0]["mpan"] == "51238696781"
    # The dynamic account is German only.
    reply = await client.post(
        ACCOUNT, {"accountNumber": DE_DYNAMIC_ACCOUNT, "includeRates": False}, token=token
    )
    assert error_code(reply) == "KT-CT-4123"
    # No German shapes on the GB endpoint, whatever its dialect.
    for dialect in ("seed", "gb-2026", "gb-2024"):
        client.sim.state.kraken.dialect = dialect
        reply = await client.post(DE_ACCOUNT_QUERY, {"accountNumber": DE_ACCOUNT}, token=token)
        assert reply.status == 400
        messages = [error["message"] for error in reply.body["errors"]]
        assert any("'allProperties' on type 'AccountType'" in m for m in messages)


async def test_german_endpoint_has_no_gb_shapes(client: Client) -> None:
    token = await _de_token(client)
    reply = await _de(client, ACCOUNT, token, accountNumber=DE_ACCOUNT, includeRates=False)
    assert reply.status == 400
    messages = {error["message"] for error in reply.body["errors"]}
    assert (
        "Cannot query field 'electricityMeterPoints' on type 'PropertyType'. "
        "Did you mean 'electricityMalos'?"
    ) in messages
    reply = await _de(
        client,
        'query { plannedDispatches(accountNumber: "A-DE000001") { start } }',
        token,
    )
    assert reply.status == 400
    types = await _de_data(
        client,
        'query { a: __type(name: "SmartFlexHeatPump") { name }'
        ' b: __type(name: "SmartFlexHeatPumpStatus") { name }'
        ' c: __type(name: "ElectricityMeterPointType") { name }'
        ' d: __type(name: "HalfHourlyTariff") { name }'
        ' e: __type(name: "SmartFlexVehicle") { fields { name } } }',
        token,
    )
    assert types["a"] is types["b"] is types["c"] is types["d"] is None
    vehicle = {field["name"] for field in types["e"]["fields"]}
    assert {"vehicleBatterySize", "chargePointPowerOutput", "preferences"} <= vehicle
    assert "vehicleVariant" not in vehicle


# --- the IO Go account ---------------------------------------------------------------------


@pytest.mark.freeze_time(AFTERNOON)
async def test_io_go_account(client: Client) -> None:
    account = await _account(client)
    assert account["number"] == DE_ACCOUNT
    assert account["brand"] == "OCTOPUS_ENERGY_GERMANY"
    assert account["balance"] is None
    assert account["ledgers"] == [
        {
            "balance": 9513,
            "ledgerType": "ELECTRICITY_LEDGER",
            "name": "Strom",
            "number": "L-DE000001E",
        },
        {"balance": -2480, "ledgerType": "GAS_LEDGER", "name": "Gas", "number": "L-DE000001G"},
    ]
    (prop,) = account["allProperties"]
    assert (prop["id"], prop["postcode"]) == ("200001", "10115")
    (malo,) = prop["electricityMalos"]
    assert malo["maloNumber"] == "51238696781"
    assert malo["meters"] == [
        {
            "id": "700001",
            "number": "1ESY1160000001",
            "meterType": "IMS",
            "meloNumber": "DE0005612345600000000000000000001",
            "shouldReceiveSmartMeterData": True,
            "hasSmartMeterGateway": True,
        }
    ]
    assert len(malo["meters"][0]["meloNumber"]) == 33
    light, go = malo["agreements"]
    assert light["isActive"] is False
    assert (light["validFrom"], light["validTo"]) == (
        "2024-12-22T23:00:00+00:00",
        "2025-06-30T22:00:00+00:00",
    )
    assert light["product"]["isTimeOfUse"] is False
    assert light["unitRateInformation"] == {
        "__typename": "SimpleProductUnitRateInformation",
        "grossRateInformation": [
            {"date": "2024-12-23", "grossRate": "23.7762", "rateValidToDate": None, "vatRate": "19"}
        ],
        "latestGrossUnitRateCentsPerKwh": "23.7762",
        "netUnitRateCentsPerKwh": "19.9800",
    }
    assert go["isActive"] is True
    assert go["validFrom"] == "2025-06-30T22:00:00+00:00"
    assert go["product"] == {
        "code": "DEU-ELECTRICITY-IO-GO-24",
        "fullName": "Intelligent Octopus Go 24",
        "displayName": "Intelligent Octopus Go",
        "description": "Intelligent Octopus Go with 24 months price guarantee",
        "isTimeOfUse": True,
    }
    assert go["netMonthlyStandingCharge"] == "11.5000"
    assert go["standingChargeGrossRateInformation"] == [
        {"date": "2025-07-01", "grossRate": "13.6850", "vatRate": "19", "rateValidToDate": None}
    ]
    information = go["unitRateInformation"]
    assert information["__typename"] == "TimeOfUseProductUnitRateInformation"
    slots = {rate["timeslotName"]: rate for rate in information["rates"]}
    assert slots["GO"]["latestGrossUnitRateCentsPerKwh"] == "15.0654"
    assert slots["GO"]["netUnitRateCentsPerKwh"] == "12.6600"
    assert slots["GO"]["timeslotActivationRules"] == [
        {"activeFromTime": "00:00:00", "activeToTime": "05:00:00"}
    ]
    assert slots["STANDARD"]["latestGrossUnitRateCentsPerKwh"] == "28.2744"
    assert slots["STANDARD"]["netUnitRateCentsPerKwh"] == "23.7600"
    assert slots["STANDARD"]["timeslotActivationRules"] == [
        {"activeFromTime": "05:00:00", "activeToTime": "00:00:00"}
    ]
    assert slots["GO"]["grossRateInformation"] == [
        {"date": "2025-07-01", "grossRate": "15.0654", "rateValidToDate": None, "vatRate": "19"}
    ]
    assert go["unitRateForecast"] == []
    (gas_malo,) = prop["gasMalos"]
    assert gas_malo["maloNumber"] == "51238696792"
    (gas,) = gas_malo["agreements"]
    assert gas["isActive"] is True
    assert gas["unitRateInformation"]["__typename"] == "SimpleProductUnitRateInformation"
    assert gas["unitRateInformation"]["latestGrossUnitRateCentsPerKwh"] == "9.8770"
    assert gas["unitRateInformation"]["netUnitRateCentsPerKwh"] == "8.3000"
    assert gas["netMonthlyStandingCharge"] == "9.5000"
    assert gas["standingChargeGrossRateInformation"][0]["grossRate"] == "11.3050"


async def test_property_by_id(client: Client) -> None:
    token = await _de_token(client)
    query = (
        "query P($n: String!, $id: ID!) { account(accountNumber: $n) "
        "{ property(id: $id) { id electricityMalos { maloNumber } } } }"
    )
    reply = await _de(client, query, token, n=DE_ACCOUNT, id="200001")
    assert reply.body["data"]["account"]["property"] == {
        "id": "200001",
        "electricityMalos": [{"maloNumber": "51238696781"}],
    }


@pytest.mark.freeze_time(GO_NIGHT)
async def test_vehicle_is_dispatched_in_the_go_window(client: Client) -> None:
    token = await _de_token(client)
    data = await _de_data(client, DE_DEVICES, token, accountNumber=DE_ACCOUNT)
    (car,) = data["devices"]
    assert car["__typename"] == "SmartFlexVehicle"
    assert car["id"] == DE_VEHICLE_ID
    assert (car["make"], car["model"]) == ("Volkswagen", "ID.4")
    assert car["vehicleBatterySize"] == "77.0"
    assert car["chargePointPowerOutput"] == "11.0"
    status = car["status"]
    assert status["currentState"] == "SMART_CONTROL_IN_PROGRESS"
    assert status["stateOfCharge"] == {"value": "54", "timestamp": "2026-11-30T23:30:00+00:00"}
    assert status["activePower"]["value"] == "7.0"
    assert status["stateOfChargeLimit"] is None
    assert data["completedDispatches"] == []
    planned = await _de_data(client, FLEX_PLANNED_DISPATCHES, token, deviceId=DE_VEHICLE_ID)
    # 00:00-05:00 Berlin is 23:00-04:00 UTC in winter.
    assert planned["flexPlannedDispatches"][0] == {
        "start": "2026-11-30T23:00:00+00:00",
        "end": "2026-12-01T04:00:00+00:00",
        "type": "SMART",
        "energyAddedKwh": "-35.0",
    }


async def test_dispatches_follow_the_plug_and_the_boost(
    client: Client, sim: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(AFTERNOON)
    token = await _de_token(client)
    tonight = {
        "start": "2026-11-30T23:00:00+00:00",
        "end": "2026-12-01T04:00:00+00:00",
        "type": "SMART",
        "energyAddedKwh": "-35.0",
    }
    planned = await _de_data(client, FLEX_PLANNED_DISPATCHES, token, deviceId=DE_VEHICLE_ID)
    assert planned["flexPlannedDispatches"] == [tonight]
    completed = await _de_data(client, COMPLETED_DISPATCHES, token, accountNumber=DE_ACCOUNT)
    # Last night's GO window ended at 05:00 local, eight hours ago.
    assert completed["completedDispatches"] == [
        {
            "start": "2026-11-29T23:00:00+00:00",
            "end": "2026-11-30T04:00:00+00:00",
            "delta": "-35.0",
            "meta": {"source": None, "location": "AT_HOME"},
        }
    ]
    car = sim.state.kraken.scenario.account(DE_ACCOUNT).smartflex.device(DE_VEHICLE_ID)
    car.plugged_in = False
    planned = await _de_data(client, FLEX_PLANNED_DISPATCHES, token, deviceId=DE_VEHICLE_ID)
    assert planned["flexPlannedDispatches"] == []
    car.plugged_in = True
    reply = await _de(
        client, UPDATE_BOOST_CHARGE, token, input={"deviceId": DE_VEHICLE_ID, "action": "BOOST"}
    )
    assert reply.body["data"]["updateBoostCharge"]["id"] == DE_VEHICLE_ID
    planned = await _de_data(client, FLEX_PLANNED_DISPATCHES, token, deviceId=DE_VEHICLE_ID)
    assert planned["flexPlannedDispatches"] == [
        {
            "start": "2026-11-30T13:00:00+00:00",
            "end": "2026-11-30T14:00:00+00:00",
            "type": "BOOST",
            "energyAddedKwh": "-7.0",
        }
    ]


async def test_german_devices_are_not_found_on_another_users_token(client: Client) -> None:
    token = await _de_token(client)
    reply = await _de(
        client, FLEX_PLANNED_DISPATCHES, token, deviceId="6f1c2f50-0001-4e6a-9a55-000000000001"
    )
    assert error_code(reply) == "KT-CT-4301"
    reply = await _de(client, DE_DEVICES, token, accountNumber=GB_ACCOUNT)
    assert error_code(reply) == "KT-CT-4123"


# --- the dynamic account -------------------------------------------------------------------


async def test_dynamic_account_without_devices(client: Client) -> None:
    token = await _de_token(client)
    reply = await _de(client, DE_DEVICES, token, accountNumber=DE_DYNAMIC_ACCOUNT)
    assert reply.status == 200
    # Devices list empty; dispatches refused as the real instance does (issue #19).
    assert reply.body["data"] == {"devices": [], "completedDispatches": None}
    (error,) = reply.body["errors"]
    assert error["path"] == ["completedDispatches"]
    assert error["message"] == "Unable to find device for given account."
    assert error["extensions"]["errorCode"] == "KT-CT-4301"
    assert error["extensions"]["errorType"] == "NOT_FOUND"
    assert error["extensions"]["errorDescription"] == (
        "We were unable to find a device for the given account. Please check that the account "
        "number (and property ID) is correct."
    )


@pytest.mark.parametrize(
    ("now", "today", "entries"),
    [
        ("2026-11-30T10:00:00+00:00", "2026-11-30", 192),
        # 00:30 Berlin on 1 December: "today" is already the next local day.
        ("2026-11-30T23:30:00+00:00", "2026-12-01", 192),
        # The autumn clock change: a 25-hour day, then a 24-hour one.
        ("2026-10-25T09:00:00+00:00", "2026-10-25", 100 + 96),
    ],
)
async def test_dynamic_forecast_covers_today_and_tomorrow_in_quarter_hours(
    client: Client, freezer: FrozenDateTimeFactory, now: str, today: str, entries: int
) -> None:
    freezer.move_to(now)
    account = await _account(client, DE_DYNAMIC_ACCOUNT)
    assert account["balance"] == 4200
    (agreement,) = account["allProperties"][0]["electricityMalos"][0]["agreements"]
    assert agreement["product"]["isTimeOfUse"] is True
    assert agreement["isActive"] is True
    forecast = agreement["unitRateForecast"]
    assert len(forecast) == entries
    first = datetime.fromisoformat(forecast[0]["validFrom"])
    assert first.astimezone(BERLIN).isoformat().startswith(f"{today}T00:00:00")
    for previous, entry in pairwise(forecast):
        assert previous["validTo"] == entry["validFrom"]
    for entry in forecast:
        start = datetime.fromisoformat(entry["validFrom"])
        assert datetime.fromisoformat(entry["validTo"]) - start == timedelta(minutes=15)
        information = entry["unitRateInformation"]
        assert information["__typename"] == "TimeOfUseProductUnitRateInformation"
        (rate,) = information["rates"]
        net, gross = rate["netUnitRateCentsPerKwh"], rate["latestGrossUnitRateCentsPerKwh"]
        assert float(gross) == pytest.approx(float(net) * 1.19, abs=1e-4)
        assert 5 < float(gross) < 60
    # The agreement's own rate is the current quarter hour's.
    current = next(
        entry
        for entry in forecast
        if datetime.fromisoformat(entry["validFrom"])
        <= datetime.fromisoformat(now)
        < datetime.fromisoformat(entry["validTo"])
    )
    (rate,) = agreement["unitRateInformation"]["rates"]
    expected = current["unitRateInformation"]["rates"][0]["latestGrossUnitRateCentsPerKwh"]
    assert rate["latestGrossUnitRateCentsPerKwh"] == expected
    assert rate["timeslotActivationRules"] == [
        {"activeFromTime": "00:00:00", "activeToTime": "00:00:00"}
    ]
