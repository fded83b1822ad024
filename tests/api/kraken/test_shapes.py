"""Answers that lack what they must carry, numbers that are not finite, booleans as strings,
times with offsets: each starts from the simulator's real answer with one field changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, time, timedelta, timezone
import json
import math
from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken import (
    KrakenApiError,
    KrakenAuthError,
    KrakenError,
    KrakenNotFoundError,
    KrakenParseError,
    KrakenRateLimitError,
)
from custom_components.kraken_energy.api.kraken.client import _raise_for_errors
from custom_components.kraken_energy.api.kraken.models import DevicePreferences, Fuel, TariffKind
from custom_components.kraken_energy.api.kraken.parsers import (
    opt_time,
    parse_account,
    parse_account_summaries,
    parse_device,
    parse_smartflex,
    parse_tariff,
    parse_token,
)
from simulator.app import RunningSimulator
from simulator.faults import Fault
from simulator.kraken.scenario import GB_ACCOUNT

from .answers import answers, data_of, objects_with
from .conftest import ClientFactory


def _account_data() -> dict[str, Any]:
    data: dict[str, Any] = data_of("Account")[0]
    return data


def _smartflex_data() -> dict[str, Any]:
    data: dict[str, Any] = data_of("SmartFlex")[0]
    return data


def _first_property(data: dict[str, Any]) -> dict[str, Any]:
    prop: dict[str, Any] = data["account"]["properties"][0]
    return prop


def _vehicle(data: dict[str, Any]) -> dict[str, Any]:
    return next(d for d in data["devices"] if d["__typename"] == "SmartFlexVehicle")


def _tariff(typename: str) -> dict[str, Any]:
    return next(objects_with(data_of("Account"), "tariffCode", typename))


# --- what must be there --------------------------------------------------------------------

type Mutation = Callable[[dict[str, Any]], object]

ACCOUNT_GAPS: dict[str, Mutation] = {
    "data without account": lambda data: data.pop("account"),
    "account null": lambda data: data.update(account=None),
    "properties missing": lambda data: data["account"].pop("properties"),
    "properties null": lambda data: data["account"].update(properties=None),
    "electricity meter points null": lambda data: _first_property(data).update(
        electricityMeterPoints=None
    ),
    "electricity meter points missing": lambda data: _first_property(data).pop(
        "electricityMeterPoints"
    ),
    "gas meter points null": lambda data: _first_property(data).update(gasMeterPoints=None),
    "a null property": lambda data: data["account"]["properties"].append(None),
}


@pytest.mark.parametrize("mutate", ACCOUNT_GAPS.values(), ids=ACCOUNT_GAPS)
def test_account_without_what_says_which_meter_points_exist_is_a_parse_error(
    mutate: Mutation,
) -> None:
    data = _account_data()
    mutate(data)
    with pytest.raises(KrakenParseError):
        parse_account(data, currency="GBP")


SMARTFLEX_GAPS: dict[str, Mutation] = {
    "devices missing": lambda data: data.pop("devices"),
    "devices null": lambda data: data.update(devices=None),
    "devices an object": lambda data: data.update(devices={}),
    "a null device": lambda data: data["devices"].append(None),
}


@pytest.mark.parametrize("mutate", SMARTFLEX_GAPS.values(), ids=SMARTFLEX_GAPS)
def test_smartflex_without_its_device_list_is_a_parse_error(mutate: Mutation) -> None:
    data = _smartflex_data()
    mutate(data)
    with pytest.raises(KrakenParseError, match="devices"):
        parse_smartflex(data)


@pytest.mark.parametrize(
    "data",
    [{}, {"viewer": {}}, {"viewer": {"accounts": None}}, {"viewer": None}],
    ids=["no viewer", "accounts missing", "accounts null", "viewer null"],
)
def test_viewer_without_its_account_list_is_a_parse_error(data: Any) -> None:
    with pytest.raises(KrakenParseError, match="viewer"):
        parse_account_summaries(data)


def test_a_user_without_accounts_has_an_empty_list() -> None:
    assert parse_account_summaries({"viewer": {"accounts": []}}) == []


def test_optional_lists_may_be_null() -> None:
    data = _account_data()
    for point in objects_with(data, "agreements"):
        point["agreements"] = None
        point["meters"] = None
    account = parse_account(data, currency="GBP")
    assert account.meter_points
    assert all(point.agreements == () for point in account.meter_points)

    smartflex = _smartflex_data()
    smartflex["plannedDispatches"] = None
    smartflex["completedDispatches"] = None
    for device in smartflex["devices"]:
        if device.get("preferences"):
            device["preferences"]["schedules"] = None
        if "currentTemperatures" in device["status"]:
            device["status"]["currentTemperatures"] = None
    parsed = parse_smartflex(smartflex)
    assert len(parsed.devices) == len(smartflex["devices"])
    assert parsed.planned_dispatches == parsed.completed_dispatches == ()


@pytest.mark.parametrize(
    ("operation", "fetch"),
    [
        ("Account", "account"),
        ("AccountWithDevices", "account_with_devices"),
        ("SmartFlex", "smartflex"),
        ("ViewerAccounts", "accounts"),
    ],
)
@pytest.mark.parametrize("body", [{"data": {}}, {"data": {"account": None, "viewer": {}}}])
async def test_polls_answered_with_nothing_are_parse_errors(
    make_client: ClientFactory,
    simulator: RunningSimulator,
    operation: str,
    fetch: str,
    body: object,
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(Fault.wrong_shape(body, operation_name=operation))
    calls = {
        "account": lambda: client.fetch_account(GB_ACCOUNT, currency="GBP", include_rates=False),
        "account_with_devices": lambda: client.fetch_account_with_devices(
            GB_ACCOUNT, currency="GBP", include_rates=False
        ),
        "smartflex": lambda: client.fetch_smartflex(GB_ACCOUNT),
        "accounts": client.list_accounts,
    }
    with pytest.raises(KrakenParseError):
        await calls[fetch]()


async def test_devices_dropped_from_a_combined_answer_are_a_parse_error(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    answer = answers("AccountWithDevices")[0]
    answer["data"]["devices"] = None
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(Fault.wrong_shape(answer))
    with pytest.raises(KrakenParseError, match="devices"):
        await client.fetch_account_with_devices(GB_ACCOUNT, currency="GBP", include_rates=True)


# --- numbers ------------------------------------------------------------------------------

NON_FINITE: list[object] = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e999", "-1e999"]
NON_FINITE_JSON: list[object] = [math.nan, math.inf, -math.inf, 10**400, -(10**309)]


@pytest.mark.parametrize("value", NON_FINITE + NON_FINITE_JSON)
def test_non_finite_prices_are_unknown(value: object) -> None:
    tariff = _tariff("StandardTariff")
    for key in ("standingCharge", "preVatStandingCharge", "unitRate", "preVatUnitRate"):
        tariff[key] = value
    parsed = parse_tariff(tariff, "tariff", fuel=Fuel.ELECTRICITY)
    assert parsed is not None
    assert parsed.standing_charge is None
    assert parsed.unit_rate is None

    tariff = _tariff("StandardTariff")
    tariff["preVatUnitRate"] = value
    parsed = parse_tariff(tariff, "tariff", fuel=Fuel.ELECTRICITY)
    assert parsed is not None
    assert parsed.unit_rate is not None
    assert math.isfinite(parsed.unit_rate.inc_vat)
    assert parsed.unit_rate.ex_vat is None


@pytest.mark.parametrize("value", NON_FINITE + NON_FINITE_JSON)
def test_a_half_hour_with_a_non_finite_rate_is_left_out(value: object) -> None:
    tariff = _tariff("HalfHourlyTariff")
    periods = len(tariff["unitRates"])
    tariff["unitRates"][1]["value"] = value
    parsed = parse_tariff(tariff, "tariff", fuel=Fuel.ELECTRICITY)
    assert parsed is not None
    assert parsed.unit_rates is not None
    assert len(parsed.unit_rates) == periods - 1
    assert all(math.isfinite(period.price.inc_vat) for period in parsed.unit_rates)


@pytest.mark.parametrize("value", [*NON_FINITE, *NON_FINITE_JSON, None])
def test_a_balance_that_is_not_a_finite_number_is_unknown(value: object) -> None:
    """Null (as the German instance sends it) or not finite: the rest of the account stands."""
    data = _account_data()
    data["account"]["balance"] = value
    account = parse_account(data, currency="GBP")
    assert account.balance is None
    assert account.meter_points


@pytest.mark.parametrize("value", NON_FINITE + NON_FINITE_JSON)
def test_device_numbers_that_are_not_finite_are_unknown(value: object) -> None:
    data = _smartflex_data()
    vehicle = _vehicle(data)
    vehicle["status"]["stateOfChargeLimit"]["upperSocLimit"] = value
    vehicle["vehicleVariant"]["batterySize"] = value
    for dispatch in data["plannedDispatches"]:
        dispatch["delta"] = value
    for device in data["devices"]:
        for telemetry in objects_with(device, "powerInKw"):
            telemetry["powerInKw"] = value
        for zone in device["status"].get("currentTemperatures") or []:
            zone["value"] = value
    parsed = parse_smartflex(data)
    car = next(d for d in parsed.devices if d.device_id == vehicle["id"])
    assert car.upper_soc_limit is None
    assert car.battery_capacity_kwh is None
    assert all(d.energy_kwh is None for d in parsed.planned_dispatches)
    for device in parsed.devices:
        if device.telemetry is not None:
            assert device.telemetry.battery_power is None
            assert device.telemetry.solar_power is None
        if device.heat_pump is not None:
            assert device.heat_pump.zone_temperatures == ()


@pytest.mark.parametrize("value", [2**60, -(2**54), "1e300"])
def test_an_upper_limit_beyond_any_percentage_is_unknown(value: object) -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["status"]["stateOfChargeLimit"]["upperSocLimit"] = value
    assert parse_device(vehicle, "device").upper_soc_limit is None


@pytest.mark.parametrize("value", ["80", 80.0, "80.0"])
def test_whole_numbers_in_other_spellings_read(value: object) -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["status"]["stateOfChargeLimit"]["upperSocLimit"] = value
    assert parse_device(vehicle, "device").upper_soc_limit == 80


@pytest.mark.parametrize("value", ["lots", "80.5", True, [80]])
def test_an_upper_limit_that_is_no_whole_number_is_a_parse_error(value: object) -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["status"]["stateOfChargeLimit"]["upperSocLimit"] = value
    with pytest.raises(KrakenParseError, match="upperSocLimit"):
        parse_device(vehicle, "device")


@pytest.mark.parametrize("value", ["NaN", math.inf, None])
def test_a_schedule_without_a_finite_target_is_a_parse_error(value: object) -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["preferences"]["schedules"][0]["max"] = value
    with pytest.raises(KrakenParseError, match=r"schedules\[0\]"):
        parse_device(vehicle, "device")


async def test_non_finite_json_numbers_over_http_never_reach_the_model(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    """JSON NaN, Infinity and 1e999 literals, as Python's and some servers' encoders write."""
    answer = answers("AccountWithDevices")[0]
    for tariff in objects_with(answer, "standingCharge"):
        tariff["standingCharge"] = math.nan
    for rate in objects_with(answer, "preVatValue"):
        rate["preVatValue"] = math.inf
    for device in answer["data"]["devices"]:
        for limit in objects_with(device, "upperSocLimit"):
            limit["upperSocLimit"] = 10**400
    body = json.dumps(answer).replace(str(10**400), "1e999")
    assert "NaN" in body
    assert "Infinity" in body
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(Fault.raw(200, body, content_type="application/json"))
    account, smartflex = await client.fetch_account_with_devices(
        GB_ACCOUNT, currency="GBP", include_rates=True
    )
    tariffs = [a.tariff for p in account.meter_points for a in p.agreements if a.tariff]
    assert tariffs
    assert all(tariff.standing_charge is None for tariff in tariffs)
    rates = [period for tariff in tariffs for period in tariff.unit_rates or ()]
    assert rates
    assert all(period.price.ex_vat is None for period in rates)
    assert all(device.upper_soc_limit is None for device in smartflex.devices)


# --- booleans -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("false", False),
        ("False", False),
        ("true", True),
        (False, False),
        (True, True),
        # Not said: the meter point's direction or the tariff code decide (MeterPoint).
        (None, None),
    ],
)
def test_is_export_reads_booleans_and_their_strings(value: object, expected: bool | None) -> None:
    tariff = _tariff("StandardTariff")
    tariff["isExport"] = value
    parsed = parse_tariff(tariff, "tariff", fuel=Fuel.ELECTRICITY)
    assert parsed is not None
    assert parsed.is_export is expected


@pytest.mark.parametrize("value", ["yes", "0", 1, [], {}])
def test_is_export_refuses_what_is_no_boolean(value: object) -> None:
    tariff = _tariff("StandardTariff")
    tariff["isExport"] = value
    with pytest.raises(KrakenParseError, match="isExport"):
        parse_tariff(tariff, "tariff", fuel=Fuel.ELECTRICITY)


async def test_export_false_as_a_string_over_http_is_an_import_point(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    answer = answers("Account")[0]
    for tariff in objects_with(answer, "isExport"):
        tariff["isExport"] = "false"
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(Fault.wrong_shape(answer))
    account = await client.fetch_account(GB_ACCOUNT, currency="GBP", include_rates=True)
    assert all(point.direction != "export" for point in account.meter_points)


@pytest.mark.parametrize(("value", "expected"), [("false", False), ("TRUE", True), (None, None)])
def test_is_suspended_reads_booleans_and_their_strings(value: object, expected: bool) -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["status"]["isSuspended"] = value
    assert parse_device(vehicle, "device").is_suspended is expected


def test_is_suspended_refuses_what_is_no_boolean() -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["status"]["isSuspended"] = "no"
    with pytest.raises(KrakenParseError, match="isSuspended"):
        parse_device(vehicle, "device")


# --- times --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:00", time(7, 0)),
        ("07:00:00", time(7, 0)),
        ("07:30:15", time(7, 30, 15)),
        ("07:00+05:00", time(7, 0, tzinfo=timezone(timedelta(hours=5)))),
        ("07:00:00-03:30", time(7, 0, tzinfo=timezone(-timedelta(hours=3, minutes=30)))),
        ("07:00:00Z", time(7, 0, tzinfo=UTC)),
        ("07:00:00.000Z", time(7, 0, tzinfo=UTC)),
    ],
)
def test_times_keep_their_offset(text: str, expected: time) -> None:
    parsed = opt_time(text, "time")
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", ["seven", "25:00", "07:00+25:00", "", 700, ["07:00"]])
def test_what_is_no_time_is_a_parse_error_naming_the_field(value: object) -> None:
    vehicle = _vehicle(_smartflex_data())
    vehicle["preferences"]["schedules"][2]["time"] = value
    with pytest.raises(KrakenParseError, match=r"schedules\[2\]"):
        parse_device(vehicle, "device")


async def test_a_ready_by_time_with_an_offset_goes_back_with_it(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    """Editing other days keeps a day's offset: it is sent as it was read."""
    client = make_client()
    heat_pump = next(
        d for d in (await client.fetch_smartflex(GB_ACCOUNT)).devices if d.heat_pump is not None
    )
    offset = timezone(timedelta(hours=5))
    preferences = DevicePreferences(
        mode="HEAT",
        target_type=None,
        unit="CELSIUS",
        schedules=(),
    ).with_days(("MONDAY",), ready_by=time(7, 0, tzinfo=offset), maximum=21.0)
    preferences = preferences.with_days(("TUESDAY",), ready_by=time(8, 0), maximum=20.0)
    await client.set_preferences(heat_pump.device_id, preferences)
    stored = simulator.state.kraken.scenario.account(GB_ACCOUNT).smartflex.device(
        heat_pump.device_id
    )
    assert stored.preferences is not None
    times = {s.day_of_week: s.time for s in stored.preferences.schedules}
    assert times["MONDAY"] == time(7, 0, tzinfo=offset)
    assert times["MONDAY"].utcoffset() == timedelta(hours=5)
    assert times["TUESDAY"] == time(8, 0)
    assert times["TUESDAY"].tzinfo is None


# --- GraphQL errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("errors", "error"),
    [
        ([{"message": "x", "extensions": {"errorType": ["NOT_FOUND"]}}], KrakenApiError),
        ([{"message": "x", "extensions": {"errorType": {"a": 1}}}], KrakenApiError),
        ([{"message": "x", "extensions": {"errorType": 404}}], KrakenApiError),
        ([{"message": "x", "extensions": {"errorCode": ["KT-CT-1111"]}}], KrakenApiError),
        ([{"message": "x", "extensions": {"errorCode": {"KT-CT-1111": 1}}}], KrakenApiError),
        ([{"message": "x", "extensions": {"errorCode": 1111}}], KrakenApiError),
        ([{"message": "x", "extensions": {"errorCode": None}}], KrakenApiError),
        ([{"message": "x"}], KrakenApiError),
        ([{"message": {"text": "x"}, "extensions": []}], KrakenApiError),
        ([{"message": None, "extensions": {"errorDescription": ["d"]}}], KrakenApiError),
        ([{"extensions": {"boostChargeRefusalReasons": "BC_X"}}], KrakenApiError),
        ([{"extensions": {"boostChargeRefusalReasons": [1, None, "BC_X"]}}], KrakenApiError),
        ([[], {}], KrakenApiError),
        ([None], KrakenApiError),
        ([5], KrakenApiError),
        ({"message": "x", "extensions": {"errorCode": "KT-CT-1135"}}, KrakenApiError),
        ("boom", KrakenApiError),
        (42, KrakenApiError),
        ([{"message": "Gone.", "extensions": {"errorType": "NOT_FOUND"}}], KrakenNotFoundError),
        ([{"message": "No.", "extensions": {"errorCode": "KT-CT-1135"}}], KrakenAuthError),
        ([{"message": "Slow.", "extensions": {"errorCode": "KT-CT-1199"}}], KrakenRateLimitError),
    ],
)
def test_errors_of_any_shape_are_typed_errors(errors: Any, error: type[KrakenError]) -> None:
    with pytest.raises(error) as raised:
        _raise_for_errors("ObtainKrakenToken", errors)
    assert type(raised.value) is error


def test_refusal_reasons_keep_only_strings() -> None:
    errors = [{"extensions": {"boostChargeRefusalReasons": [1, None, "BC_X"]}}]
    with pytest.raises(KrakenApiError) as raised:
        _raise_for_errors("UpdateBoostCharge", errors)
    assert raised.value.reasons == ("BC_X",)


# --- tokens -------------------------------------------------------------------------------


def test_token_answer_of_the_simulator() -> None:
    data = data_of("ObtainKrakenToken")[0]
    grant = parse_token(data)
    assert grant.token == data["obtainKrakenToken"]["token"]
    assert grant.expires_at == data["obtainKrakenToken"]["payload"]["exp"]
    assert grant.refresh_token == data["obtainKrakenToken"]["refreshToken"]
    assert grant.token not in repr(grant)
    # The lifetime is what the client times on its own clock.
    payload = data["obtainKrakenToken"]["payload"]
    assert grant.lifetime == payload["exp"] - payload["iat"] == 3600


@pytest.mark.parametrize(
    ("iat", "lifetime"),
    [(None, None), ("NaN", None), (2.0, None), (1.0 - 10 * 86400, None), (1.0 - 3600, 3600.0)],
)
def test_token_lifetime_is_believed_only_when_sensible(
    iat: float | str | None, lifetime: float | None
) -> None:
    data = data_of("ObtainKrakenToken")[0]
    data["obtainKrakenToken"]["payload"].update(exp=1.0, iat=iat)
    assert parse_token(data).lifetime == lifetime


@pytest.mark.parametrize(
    ("change", "expires", "refresh"),
    [
        ({"payload": {"exp": "NaN"}}, None, True),
        ({"payload": {"exp": math.inf}}, None, True),
        ({"payload": "not an object"}, None, True),
        ({"payload": None, "refreshExpiresIn": "1e999"}, None, True),
        ({"refreshToken": ""}, 1.0, False),
        ({"refreshToken": 5}, 1.0, False),
        ({"refreshToken": "line\r\nbreak"}, 1.0, False),
    ],
)
def test_token_answers_with_odd_fields(
    change: dict[str, Any], expires: float | None, refresh: bool
) -> None:
    data = data_of("ObtainKrakenToken")[0]
    data["obtainKrakenToken"]["payload"]["exp"] = 1
    data["obtainKrakenToken"].update(change)
    grant = parse_token(data)
    assert grant.expires_at == expires
    assert (grant.refresh_token is not None) is refresh
    if refresh and "refreshExpiresIn" in change:
        assert grant.refresh_expires_at is None


@pytest.mark.parametrize(
    "token", ["", "   ", None, 5, ["t"], "tok\nen", "tok\x00en", "tökén", "tok\u2028en"]
)
def test_a_token_that_cannot_be_sent_is_a_parse_error(token: object) -> None:
    data = data_of("ObtainKrakenToken")[0]
    data["obtainKrakenToken"]["token"] = token
    with pytest.raises(KrakenParseError, match="token"):
        parse_token(data)


def test_tariff_kinds_of_the_simulator_parse() -> None:
    kinds = {
        parsed.kind
        for raw in objects_with(data_of("Account"), "tariffCode")
        if (
            parsed := parse_tariff(
                raw,
                "tariff",
                fuel=Fuel.GAS if raw["__typename"] == "GasTariffType" else Fuel.ELECTRICITY,
            )
        )
    }
    assert kinds >= {TariffKind.HALF_HOURLY, TariffKind.STANDARD, TariffKind.GAS}
