"""What a proxy, a misconfigured account or a misbehaving server sends, against the simulator.

Bodies in Latin-1, token endpoint answers that are not a credential refusal, device kinds that
fail alone, list answers without their list, non-finite numbers, and ids that must not change
the request path.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from custom_components.kraken_energy.api.enode import (
    EnodeAuthError,
    EnodeClient,
    EnodeConnectionError,
    EnodeError,
    EnodeForbiddenError,
    EnodeNotFoundError,
    EnodeParseError,
    EnodePreconditionError,
    EnodeRateLimitError,
    EnodeServerError,
    EnodeTimeoutError,
    EnodeTokenEndpointError,
)
from custom_components.kraken_energy.api.enode.client import MAX_TOKEN_LIFETIME
from custom_components.kraken_energy.api.enode.models import EnodeDevices, VendorType
from simulator.app import RunningSimulator
from simulator.enode.state import (
    CHARGER_ID,
    ENODE_CLIENT_SECRET,
    ENODE_USER_ID,
    HVAC_ID,
    MAX_CURRENT_INTERVENTION_ID,
    VEHICLE_ID,
    SimVehicle,
)
from simulator.faults import Fault

from .conftest import ClientFactory

# A proxy's error page in Latin-1: 'ö', 'ü', '©' are not valid UTF-8 bytes.
LATIN1_PAGE = "<html><body><h1>Proxy-Fehler</h1><p>Größe überschritten © Zürich</p></body></html>"
JSON = "application/json"
PROBLEM_BASE = "https://developers.enode.com/api/problems/"
LIST_OPERATIONS = {
    VendorType.VEHICLE: "listUserVehicles",
    VendorType.CHARGER: "listUserChargers",
    VendorType.HVAC: "listUserHVACs",
    VendorType.BATTERY: "listUserBatteries",
    VendorType.INVERTER: "listUserInverters",
    VendorType.METER: "listUserMeters",
}


def tokens(sim: RunningSimulator) -> int:
    return sim.state.requests.count(operation_name="token")


def problem(status_slug: str, title: str, detail: str) -> str:
    return json.dumps({"type": PROBLEM_BASE + status_slug, "title": title, "detail": detail})


# --- 1. bodies that are not UTF-8 --------------------------------------------------------------


def test_the_page_really_is_not_utf8() -> None:
    with pytest.raises(UnicodeDecodeError):
        LATIN1_PAGE.encode("latin-1").decode("utf-8")


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=iso-8859-1", "text/html", "application/json"]
)
async def test_latin1_page_with_200_is_a_parse_error(
    sim: RunningSimulator, enode: EnodeClient, content_type: str
) -> None:
    await enode.authenticate()
    sim.state.faults.add(
        Fault.raw(
            200,
            LATIN1_PAGE,
            encoding="latin-1",
            content_type=content_type,
            operation_name="listUserVehicles",
        )
    )
    with pytest.raises(EnodeParseError, match="not JSON"):
        await enode.list_vehicles(ENODE_USER_ID)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("content_type", ["text/html; charset=iso-8859-1", "text/html"])
async def test_latin1_page_with_5xx_is_a_server_error(
    sim: RunningSimulator, enode: EnodeClient, status: int, content_type: str
) -> None:
    await enode.authenticate()
    sim.state.faults.add(
        Fault.raw(
            status,
            LATIN1_PAGE,
            encoding="latin-1",
            content_type=content_type,
            operation_name="getVehicle",
        )
    )
    with pytest.raises(EnodeServerError) as caught:
        await enode.get_vehicle(VEHICLE_ID)
    assert caught.value.status == status
    assert isinstance(caught.value, EnodeConnectionError)


async def test_latin1_problem_is_decoded_by_its_charset(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    await enode.authenticate()
    body = json.dumps(
        {"type": PROBLEM_BASE + "bad-request", "title": "Bad Request", "detail": "Größe außerhalb"},
        ensure_ascii=False,
    )
    sim.state.faults.add(
        Fault.raw(
            400,
            body,
            encoding="latin-1",
            content_type="application/json; charset=iso-8859-1",
            operation_name="postSetChargerMaxCurrent",
        )
    )
    with pytest.raises(EnodePreconditionError) as caught:
        await enode.set_charger_max_current(CHARGER_ID, 16)
    assert caught.value.detail == "Größe außerhalb"


async def test_latin1_json_with_its_charset_parses(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    await enode.authenticate()
    vehicle = sim.state.enode.vehicles[VEHICLE_ID].to_json(sim.state.enode.now())
    vehicle["information"]["displayName"] = "Café Crème"
    sim.state.faults.add(
        Fault.raw(
            200,
            json.dumps(vehicle, ensure_ascii=False),
            encoding="latin-1",
            content_type="application/json; charset=iso-8859-1",
            operation_name="getVehicle",
        )
    )
    assert (await enode.get_vehicle(VEHICLE_ID)).display_name == "Café Crème"


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 408])
async def test_token_endpoint_page_is_not_an_auth_error(
    sim: RunningSimulator, enode: EnodeClient, status: int
) -> None:
    sim.state.faults.add(Fault.raw(status, LATIN1_PAGE, encoding="latin-1", operation_name="token"))
    with pytest.raises(EnodeTokenEndpointError) as caught:
        await enode.authenticate()
    assert isinstance(caught.value, EnodeConnectionError)
    assert not isinstance(caught.value, EnodeAuthError)
    assert caught.value.status == status
    assert caught.value.oauth_error is None
    # Retried later, it works: nothing about the credentials was wrong.
    await enode.authenticate()


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_token_endpoint_5xx_is_a_server_error(
    sim: RunningSimulator, enode: EnodeClient, status: int
) -> None:
    sim.state.faults.add(Fault.raw(status, LATIN1_PAGE, encoding="latin-1", operation_name="token"))
    with pytest.raises(EnodeServerError) as caught:
        await enode.list_vehicles(ENODE_USER_ID)
    assert isinstance(caught.value, EnodeConnectionError)
    assert not isinstance(caught.value, EnodeAuthError)
    assert caught.value.status == status


# --- 2. only OAuth's credential refusals ask for re-authentication -----------------------------


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "invalid_grant"),
        (401, "invalid_client"),
        (400, "invalid_client"),
        (403, "invalid_grant"),
    ],
)
async def test_oauth_credential_refusals_are_auth_errors(
    sim: RunningSimulator, enode: EnodeClient, status: int, error: str
) -> None:
    body = json.dumps({"error": error, "error_description": f"secret {ENODE_CLIENT_SECRET} bad"})
    sim.state.faults.add(Fault.raw(status, body, content_type=JSON, operation_name="token"))
    with pytest.raises(EnodeAuthError) as caught:
        await enode.authenticate()
    assert caught.value.status == status
    assert caught.value.title == error
    assert error in str(caught.value)
    assert ENODE_CLIENT_SECRET not in f"{caught.value} {caught.value.detail}"


@pytest.mark.parametrize(
    "error",
    [
        # RFC 6749 5.2: "The *authenticated* client is not authorized to use this grant type":
        # the credentials were accepted; Enode's settings for the client are what is wrong.
        "unauthorized_client",
        "invalid_request",
        "unsupported_grant_type",
        "invalid_scope",
        "temporarily_unavailable",
    ],
)
async def test_other_oauth_errors_are_connection_class(
    sim: RunningSimulator, enode: EnodeClient, error: str
) -> None:
    body = json.dumps({"error": error, "error_description": "Not for this client."})
    sim.state.faults.add(Fault.raw(400, body, content_type=JSON, operation_name="token"))
    with pytest.raises(EnodeTokenEndpointError) as caught:
        await enode.list_vehicles(ENODE_USER_ID)
    assert isinstance(caught.value, EnodeConnectionError)
    assert not isinstance(caught.value, EnodeAuthError)
    assert caught.value.oauth_error == error
    assert caught.value.detail == "Not for this client."
    assert sim.state.requests.count(operation_name="listUserVehicles") == 0


async def test_credential_refusal_code_in_a_5xx_is_still_a_server_error(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    body = json.dumps({"error": "invalid_client"})
    sim.state.faults.add(Fault.raw(503, body, content_type=JSON, operation_name="token"))
    with pytest.raises(EnodeServerError):
        await enode.authenticate()


@pytest.mark.parametrize(
    "body",
    [
        "{}",
        "[]",
        "null",
        '{"token_type": "bearer"}',
        '{"access_token": 42}',
        '{"access_token": ""}',
        '{"access_token": "abc", "token_type": "mac"}',
        '{"access_token": "line\\r\\nbreak"}',
        '{"access_token": "abc", "expires_in": "soon"}',
        '{"access_token": "abc", "expires_in": true}',
    ],
)
async def test_a_200_without_a_usable_token_is_connection_class(
    sim: RunningSimulator, enode: EnodeClient, body: str
) -> None:
    sim.state.faults.add(Fault.raw(200, body, content_type=JSON, operation_name="token"))
    with pytest.raises(EnodeTokenEndpointError) as caught:
        await enode.authenticate()
    assert caught.value.status == 200
    assert isinstance(caught.value.__cause__, EnodeParseError)


@pytest.mark.parametrize(
    "expires_in",
    ["NaN", "Infinity", "-Infinity", "1e999", '"1e999"', '"NaN"', "1" + "0" * 400, "-5", "null"],
)
async def test_odd_token_lifetimes_stay_finite(
    sim: RunningSimulator, make_client: ClientFactory, expires_in: str
) -> None:
    now = [1_000_000.0]
    enode = make_client(clock=lambda: now[0])
    token, _ = sim.state.enode.issue_token("sim-enode-client")
    body = f'{{"access_token": "{token}", "token_type": "Bearer", "expires_in": {expires_in}}}'
    sim.state.faults.add(Fault.raw(200, body, content_type=JSON, operation_name="token"))
    assert len(await enode.list_vehicles(ENODE_USER_ID)) == 1
    # However long the endpoint claims, a token is renewed within a day.
    now[0] += MAX_TOKEN_LIFETIME + 1
    assert len(await enode.list_vehicles(ENODE_USER_ID)) == 1
    assert tokens(sim) == 2


async def test_persistent_401_page_is_auth_error_after_one_fresh_token(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(
        Fault.raw(401, LATIN1_PAGE, encoding="latin-1", count=None, operation_name="getVehicle")
    )
    with pytest.raises(EnodeAuthError) as caught:
        await enode.get_vehicle(VEHICLE_ID)
    assert caught.value.status == 401
    assert tokens(sim) == 2
    assert sim.state.requests.count(operation_name="getVehicle") == 2


async def test_one_401_then_success_is_no_auth_error(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(
        Fault.raw(401, LATIN1_PAGE, encoding="latin-1", operation_name="getVehicle")
    )
    assert (await enode.get_vehicle(VEHICLE_ID)).id == VEHICLE_ID
    assert tokens(sim) == 2


# --- 3. one device kind failing alone ----------------------------------------------------------


async def test_403_on_one_kind_is_recorded_with_its_missing_scope(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    body = problem("forbidden", "Forbidden", "Missing required scope hvac:read:data.")
    sim.state.faults.add(
        Fault.raw(403, body, content_type=JSON, count=None, operation_name="listUserHVACs")
    )
    devices = await enode.fetch_devices(ENODE_USER_ID)
    assert devices.hvacs == ()
    assert not devices.complete
    error = devices.failed_kinds[VendorType.HVAC]
    assert isinstance(error, EnodeForbiddenError)
    assert not isinstance(error, EnodeAuthError)
    assert error.missing_scope == "hvac:read:data"
    assert error.detail == "Missing required scope hvac:read:data."
    assert set(devices.failed_kinds) == {VendorType.HVAC}
    assert [d.id for d in devices.vehicles] == [VEHICLE_ID]
    assert [d.id for d in devices.chargers] == [CHARGER_ID]
    assert len(devices.batteries) == len(devices.inverters) == len(devices.meters) == 1
    assert tokens(sim) == 1


async def test_missing_scope_read_from_the_problem_issues(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    body = json.dumps(
        {
            "type": PROBLEM_BASE + "forbidden",
            "title": "Forbidden",
            "detail": "The user has not granted access.",
            "issues": [{"path": ["scopes"], "message": "battery:read:data is required"}],
        }
    )
    sim.state.faults.add(Fault.raw(403, body, content_type=JSON, operation_name="getBattery"))
    with pytest.raises(EnodeForbiddenError) as caught:
        await enode.get_battery("any-battery")
    assert caught.value.missing_scope == "battery:read:data"


async def test_every_kind_of_failure_that_is_recorded(
    sim: RunningSimulator, make_client: ClientFactory
) -> None:
    enode = make_client(timeout=0.5)
    await enode.authenticate()
    faults = sim.state.faults
    faults.add(Fault.raw(403, LATIN1_PAGE, encoding="latin-1", operation_name="listUserHVACs"))
    faults.add(Fault.http_status(404, operation_name="listUserBatteries"))
    faults.add(Fault.latency(3.0, operation_name="listUserMeters"))
    faults.add(Fault.wrong_shape({}, operation_name="listUserInverters"))
    faults.add(Fault.http_status(502, operation_name="listUserChargers"))
    devices = await enode.fetch_devices(ENODE_USER_ID)
    failed = devices.failed_kinds
    assert isinstance(failed[VendorType.HVAC], EnodeForbiddenError)
    assert isinstance(failed[VendorType.BATTERY], EnodeNotFoundError)
    assert isinstance(failed[VendorType.METER], EnodeTimeoutError)
    assert isinstance(failed[VendorType.INVERTER], EnodeParseError)
    assert isinstance(failed[VendorType.CHARGER], EnodeServerError)
    assert VendorType.VEHICLE not in failed
    assert [d.id for d in devices.all()] == [VEHICLE_ID]


async def test_a_device_that_does_not_parse_fails_only_its_kind(
    sim: RunningSimulator, make_client: ClientFactory
) -> None:
    # The second page carries a vehicle without a valid userId: the spec requires it, and
    # skipping that vehicle would make it look removed, so the vehicle list fails as a whole.
    sim.state.enode.vehicles["sim-vehicle-2"] = SimVehicle(
        id="sim-vehicle-2", user_id=ENODE_USER_ID
    )
    enode = make_client(page_size=1)
    vehicles = await enode.list_vehicles(ENODE_USER_ID)
    assert len(vehicles) == 2
    broken = sim.state.enode.vehicles["sim-vehicle-2"]
    broken.vin = 12345  # type: ignore[assignment]  # the wrong type on the wire
    with pytest.raises(EnodeParseError, match=r"listUserVehicles\.data\[1\]\.information\.vin"):
        await enode.list_vehicles(ENODE_USER_ID)
    devices = await enode.fetch_devices(ENODE_USER_ID)
    assert devices.vehicles == ()
    assert isinstance(devices.failed_kinds[VendorType.VEHICLE], EnodeParseError)
    assert [d.id for d in devices.chargers] == [CHARGER_ID]


async def test_a_refused_credential_fails_the_whole_fetch(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(Fault.http_status(401, count=None, operation_name="listUserHVACs"))
    with pytest.raises(EnodeAuthError, match="listUserHVACs"):
        await enode.fetch_devices(ENODE_USER_ID)


async def test_a_throttled_list_fails_only_its_kind_and_says_how_long_to_wait(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(Fault.rate_limit(30, operation_name="listUserHVACs"))
    devices = await enode.fetch_devices(ENODE_USER_ID)
    throttled = devices.failed_kinds[VendorType.HVAC]
    assert isinstance(throttled, EnodeRateLimitError)
    assert throttled.retry_after == 30.0
    assert devices.hvacs == ()
    assert [device.id for device in devices.chargers] == [CHARGER_ID]


async def test_every_list_throttled_or_failing_raises_the_rate_limit(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(Fault.http_status(503, operation_name="listUserVehicles"))
    sim.state.faults.add(Fault.rate_limit(30, operation_name="listUserHVACs"))
    with pytest.raises(EnodeRateLimitError, match="listUserHVACs"):
        await enode.fetch_devices(ENODE_USER_ID, kinds=[VendorType.VEHICLE, VendorType.HVAC])


async def test_other_refusals_of_one_list_still_raise(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(
        Fault.raw(
            400,
            problem("bad-request", "Bad Request", "Invalid pagination cursor."),
            content_type=JSON,
            operation_name="listUserMeters",
        )
    )
    with pytest.raises(EnodePreconditionError):
        await enode.fetch_devices(ENODE_USER_ID)


async def test_every_kind_failing_raises_the_first(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    sim.state.faults.add(Fault.http_status(503, count=None, path="/enode/users"))
    with pytest.raises(EnodeServerError, match="listUserVehicles"):
        await enode.fetch_devices(ENODE_USER_ID)
    with pytest.raises(EnodeServerError, match="listUserHVACs"):
        await enode.fetch_devices(ENODE_USER_ID, kinds=[VendorType.METER, VendorType.HVAC])


async def test_no_kind_asked_for_asks_nothing(sim: RunningSimulator, enode: EnodeClient) -> None:
    assert await enode.fetch_devices(ENODE_USER_ID, kinds=[]) == EnodeDevices()
    assert sim.state.requests.records == []


def test_failed_kinds_is_read_only_and_hash_safe() -> None:
    assert EnodeDevices().failed_kinds == {}
    assert EnodeDevices().complete
    source: dict[VendorType, EnodeError] = {VendorType.HVAC: EnodeParseError("x")}
    devices = EnodeDevices(failed_kinds=source)
    source[VendorType.METER] = EnodeParseError("later")
    assert list(devices.failed_kinds) == [VendorType.HVAC]
    with pytest.raises(TypeError):
        devices.failed_kinds[VendorType.METER] = EnodeParseError("y")  # type: ignore[index]
    assert hash(devices) == hash(EnodeDevices())
    assert devices.of_kind(VendorType.HVAC) == ()


# --- 4. an intervention Enode does not know ----------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        None,
        Fault.raw(404, "", content_type="text/plain", operation_name="getIntervention"),
        Fault.http_status(404, operation_name="getIntervention"),
    ],
    ids=["problem", "no-body", "html"],
)
async def test_unknown_intervention_is_not_found(
    sim: RunningSimulator, enode: EnodeClient, fault: Fault | None
) -> None:
    if fault is not None:
        sim.state.faults.add(fault)
    with pytest.raises(EnodeNotFoundError) as caught:
        await enode.get_intervention("00000000-0000-0000-0000-000000000000")
    assert caught.value.status == 404
    # A known one still works afterwards.
    assert (await enode.get_intervention(MAX_CURRENT_INTERVENTION_ID)).id


# --- 5. a list answer without its list ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "",
        "null",
        "[]",
        '"data"',
        "{}",
        '{"unexpected": true}',
        '{"data": null, "pagination": {"after": null, "before": null}}',
        '{"data": "nope", "pagination": {"after": null, "before": null}}',
        '{"data": {}, "pagination": {"after": null, "before": null}}',
        '{"data": []}',
        '{"data": [], "pagination": null}',
        '{"data": [], "pagination": []}',
        '{"data": [], "pagination": {}}',
        '{"data": [], "pagination": {"before": null}}',
        '{"data": [], "pagination": {"after": 5, "before": null}}',
        '{"data": [null], "pagination": {"after": null, "before": null}}',
    ],
)
async def test_list_without_its_list_is_a_parse_error(
    sim: RunningSimulator, enode: EnodeClient, body: str
) -> None:
    await enode.authenticate()
    sim.state.faults.add(Fault.raw(200, body, content_type=JSON, operation_name="listUserChargers"))
    with pytest.raises(EnodeParseError, match="listUserChargers"):
        await enode.list_chargers(ENODE_USER_ID)


async def test_an_empty_page_that_says_so_is_empty(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    await enode.authenticate()
    body = '{"data": [], "pagination": {"after": null, "before": null}}'
    sim.state.faults.add(Fault.raw(200, body, content_type=JSON, operation_name="listUserChargers"))
    assert await enode.list_chargers(ENODE_USER_ID) == ()


@pytest.mark.parametrize("body", ["", "null", "{}", '{"data": []}', '"x"'])
async def test_interventions_without_their_list_is_a_parse_error(
    sim: RunningSimulator, enode: EnodeClient, body: str
) -> None:
    await enode.authenticate()
    sim.state.faults.add(
        Fault.raw(200, body, content_type=JSON, operation_name="listInterventions")
    )
    with pytest.raises(EnodeParseError, match="listInterventions"):
        await enode.list_interventions()


async def test_deeply_nested_json_is_a_parse_error(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    await enode.authenticate()
    body = "[" * 100_000 + "]" * 100_000
    sim.state.faults.add(Fault.raw(200, body, content_type=JSON, operation_name="getVehicle"))
    with pytest.raises(EnodeParseError):
        await enode.get_vehicle(VEHICLE_ID)


# --- 6. numbers that are not finite never reach a model ----------------------------------------


def _with(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, key = path.split(".")
    for parent in parents:
        document = document[parent]
    document[key] = value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, -(10**400)])
async def test_non_finite_vehicle_numbers_read_as_unknown(
    sim: RunningSimulator, enode: EnodeClient, value: float
) -> None:
    await enode.authenticate()
    vehicle = sim.state.enode.vehicles[VEHICLE_ID].to_json(sim.state.enode.now())
    for path in (
        "information.year",
        "chargeState.batteryLevel",
        "chargeState.range",
        "chargeState.chargeRate",
        "chargeState.maxCurrent",
        "odometer.distance",
        "location.latitude",
        "smartChargingPolicy.minimumChargeLimit",
    ):
        _with(vehicle, path, value)
    # json.dumps writes NaN / Infinity / the integer's digits, as a careless server would.
    sim.state.faults.add(
        Fault.raw(200, json.dumps(vehicle), content_type=JSON, operation_name="getVehicle")
    )
    parsed = await enode.get_vehicle(VEHICLE_ID)
    assert parsed.year is None
    assert parsed.battery_level is None
    assert parsed.range is None
    assert parsed.charge_rate is None
    assert parsed.max_current is None
    assert parsed.odometer is None
    assert parsed.location is not None
    assert parsed.location.latitude is None
    assert parsed.smart_charging_policy is not None
    assert parsed.smart_charging_policy.minimum_charge_limit == 0.0


async def test_1e999_in_a_list_reads_as_unknown(sim: RunningSimulator, enode: EnodeClient) -> None:
    await enode.authenticate()
    charger = sim.state.enode.chargers[CHARGER_ID].to_json(sim.state.enode.now())
    charger["chargeState"]["maxCurrent"] = "MAX"
    page = {"data": [charger], "pagination": {"after": None, "before": None}}
    text = json.dumps(page).replace('"maxCurrent": "MAX"', '"maxCurrent": 1e999')
    assert "1e999" in text
    sim.state.faults.add(Fault.raw(200, text, content_type=JSON, operation_name="listUserChargers"))
    (parsed,) = await enode.list_chargers(ENODE_USER_ID)
    assert parsed.id == CHARGER_ID
    assert parsed.max_current is None


# --- 7. user input on the wire -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_id", "client_secret"),
    [
        ("client:with:colons", "s3cret"),
        ("plain-client", "pässwörd-ключ-密钥-🔑"),
        ("id: with spaces+plus", "secret:with:colons&amp=%41"),
    ],
)
async def test_client_credentials_survive_basic_auth(
    sim: RunningSimulator, make_client: ClientFactory, client_id: str, client_secret: str
) -> None:
    sim.state.enode.clients[client_id] = client_secret
    enode = make_client(client_id, client_secret)
    assert [v.id for v in await enode.list_vehicles(ENODE_USER_ID)] == [VEHICLE_ID]
    (record,) = [t for t in sim.state.enode.tokens.values() if t.client_id == client_id]
    assert record.client_id == client_id
    # And the wrong secret for that id is still refused.
    with pytest.raises(EnodeAuthError):
        await make_client(client_id, client_secret + "x").authenticate()


@pytest.mark.parametrize(
    "user_id",
    [
        "..",
        ".",
        "...",
        "../vehicles",
        "a/b",
        f"{ENODE_USER_ID}/../other",
        "x y?z=1#frag",
        "häushält-家",
        "%2E%2E",
        "100%",
        "a;b",
    ],
)
async def test_odd_user_ids_stay_one_path_segment(
    sim: RunningSimulator, enode: EnodeClient, user_id: str
) -> None:
    vehicle_id = f"car-of-{user_id}"
    sim.state.enode.vehicles[vehicle_id] = SimVehicle(id=vehicle_id, user_id=user_id)
    # The user's own vehicle, from the user route, and nobody else's.
    assert [v.id for v in await enode.list_vehicles(user_id)] == [vehicle_id]
    (record,) = sim.state.requests.matching(operation_name="listUserVehicles")
    assert record.path == f"/enode/users/{user_id}/vehicles"
    # The same for a device id.
    assert (await enode.get_vehicle(vehicle_id)).user_id == user_id
    assert sim.state.requests.count(operation_name="getVehicle") == 1


async def test_odd_ids_cannot_reach_another_route(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    # "../hvacs/sim-hvac-1" as a vehicle id must ask for that (unknown) vehicle, not the HVAC.
    with pytest.raises(EnodeNotFoundError, match="Vehicle"):
        await enode.get_vehicle(f"../hvacs/{HVAC_ID}")
    with pytest.raises(EnodeNotFoundError, match="Vehicle"):
        await enode.get_vehicle("..")
    assert sim.state.requests.count(operation_name="getHVAC") == 0
    assert sim.state.requests.count(operation_name="unknown") == 0


async def test_empty_ids_are_refused_before_the_wire(
    sim: RunningSimulator, enode: EnodeClient
) -> None:
    with pytest.raises(ValueError, match="empty"):
        await enode.list_vehicles("")
    with pytest.raises(ValueError, match="empty"):
        await enode.get_charger("")
    assert sim.state.requests.count(path="/enode/users") == 0
