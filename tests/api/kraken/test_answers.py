"""How the client reads what comes back over HTTP: encodings, statuses, refusals, Retry-After.

Every case runs the real client against the simulator on loopback; the simulator's `Fault.raw`
answers with the bytes, status and headers a proxy, a firewall or a misbehaving server sends.
"""

from __future__ import annotations

import json
import math

import pytest

from custom_components.kraken_energy.api.kraken import (
    KrakenApiError,
    KrakenAuthError,
    KrakenBlockedError,
    KrakenConnectionError,
    KrakenNotFoundError,
    KrakenParseError,
    KrakenRateLimitError,
    KrakenServerError,
)
from simulator.app import RunningSimulator
from simulator.faults import Fault

from .answers import answers
from .conftest import ClientFactory

LATIN1_PAGE = (
    "<html><body>Passerelle défaillante : réessayez à côté, s'il vous plaît.</body></html>"
)


def _token_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(operation_name="ObtainKrakenToken")


def _error_body(code: str | None, message: str = "Unauthorized.") -> str:
    extensions = {"errorType": "AUTHORIZATION", **({"errorCode": code} if code else {})}
    return json.dumps({"data": None, "errors": [{"message": message, "extensions": extensions}]})


# --- bodies that are not UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.raw(502, LATIN1_PAGE, encoding="latin-1"), KrakenServerError),
        (Fault.raw(503, LATIN1_PAGE, encoding="cp1252"), KrakenServerError),
        (Fault.raw(200, LATIN1_PAGE, encoding="latin-1"), KrakenParseError),
        # A charset that lies: the bytes are Latin-1, the header says UTF-8.
        (
            Fault.raw(
                200, LATIN1_PAGE, encoding="latin-1", content_type="text/html; charset=utf-8"
            ),
            KrakenParseError,
        ),
        # A charset nobody knows.
        (
            Fault.raw(200, LATIN1_PAGE, encoding="latin-1", content_type="text/html; charset=x-no"),
            KrakenParseError,
        ),
        (Fault.raw(403, LATIN1_PAGE, encoding="latin-1"), KrakenBlockedError),
        (Fault.raw(404, LATIN1_PAGE, encoding="latin-1"), KrakenApiError),
        (Fault.raw(200, "", content_type="application/json"), KrakenParseError),
        (Fault.raw(200, "[" * 100_000, content_type="application/json"), KrakenParseError),
        (Fault.raw(200, '{"data": ' + "9" * 5000 + "}"), KrakenParseError),
    ],
)
async def test_any_body_maps_to_a_typed_error(
    make_client: ClientFactory, simulator: RunningSimulator, fault: Fault, error: type[Exception]
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(fault)
    with pytest.raises(error):
        await client.list_accounts()
    # Nothing sticks.
    assert len(await client.list_accounts()) == 2


async def test_json_in_its_declared_charset_is_read(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    answer = answers("ViewerAccounts")[0]
    answer["data"]["viewer"]["accounts"][0]["brand"] = "ÉNERGIE_DU_SOLEIL"
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(
        Fault.raw(
            200,
            json.dumps(answer, ensure_ascii=False),
            encoding="latin-1",
            content_type="application/json; charset=iso-8859-1",
        )
    )
    accounts = await client.list_accounts()
    assert accounts[0].brand == "ÉNERGIE_DU_SOLEIL"


async def test_json_with_a_byte_order_mark_is_read(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(
        Fault.raw(
            200,
            json.dumps(answers("ViewerAccounts")[0]),
            encoding="utf-8-sig",
            content_type="application/json",
        )
    )
    assert len(await client.list_accounts()) == 2


# --- 401 and 403 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        Fault.http_status(401),
        Fault.http_status(403, body="Request blocked by the web application firewall"),
        Fault.raw(403, LATIN1_PAGE, encoding="latin-1"),
        Fault.raw(401, "", content_type="text/plain"),
        Fault.raw(401, '{"detail": "Proxy authentication required"}', content_type="text/json"),
        # GraphQL-shaped, but without a Kraken error code: not Kraken's refusal either.
        Fault.raw(403, _error_body(None, "Forbidden"), content_type="application/json"),
        Fault.raw(401, json.dumps({"errors": []}), content_type="application/json"),
        Fault.raw(
            401,
            json.dumps({"errors": [{"message": "x", "extensions": {"errorCode": 1111}}]}),
            content_type="application/json",
        ),
    ],
)
async def test_401_or_403_without_a_kraken_code_is_a_blocked_connection(
    make_client: ClientFactory, simulator: RunningSimulator, fault: Fault
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(fault)
    with pytest.raises(KrakenBlockedError) as raised:
        await client.list_accounts()
    assert isinstance(raised.value, KrakenConnectionError)
    assert not isinstance(raised.value, KrakenAuthError)
    assert raised.value.status == fault.status
    assert f"HTTP {fault.status}" in str(raised.value)
    # The token was not thrown away: the next request needs no new sign-in.
    assert len(await client.list_accounts()) == 2
    assert _token_requests(simulator) == 1


async def test_blocked_sign_in_is_a_connection_error(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    simulator.state.faults.add(Fault.http_status(403, operation_name="ObtainKrakenToken"))
    with pytest.raises(KrakenBlockedError):
        await make_client().authenticate()


@pytest.mark.parametrize(
    ("status", "code", "operation_name"),
    [
        (401, "KT-CT-1135", "ObtainKrakenToken"),
        (403, "KT-CT-1139", "ObtainKrakenToken"),
        (403, "KT-CT-4123", "ViewerAccounts"),
        (401, "KT-CT-1143", "ViewerAccounts"),
    ],
)
async def test_401_or_403_with_a_kraken_credential_code_still_asks_to_sign_in(
    make_client: ClientFactory,
    simulator: RunningSimulator,
    status: int,
    code: str,
    operation_name: str,
) -> None:
    simulator.state.faults.add(
        Fault.raw(
            status,
            _error_body(code),
            content_type="application/json",
            operation_name=operation_name,
        )
    )
    with pytest.raises(KrakenAuthError) as raised:
        await make_client().list_accounts()
    assert raised.value.code == code


async def test_401_with_an_expired_token_code_renews_the_token(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(
        Fault.raw(401, _error_body("KT-CT-1124", "Signature of the JWT has expired."))
    )
    assert len(await client.list_accounts()) == 2
    assert _token_requests(simulator) == 2


async def test_401_refusing_the_token_twice_asks_to_sign_in(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(
        Fault.raw(401, _error_body("KT-CT-1111"), count=2, operation_name="ViewerAccounts")
    )
    with pytest.raises(KrakenAuthError) as raised:
        await client.list_accounts()
    assert raised.value.code == "KT-CT-1111"


async def test_400_carrying_graphql_errors_keeps_their_message(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    """A refused document (the schema moved on) is learnt again and sent again, once."""
    bad = answers("errors")[3]
    assert "Cannot query field" in bad["errors"][0]["message"]
    client = make_client()
    await client.authenticate()
    refusal = Fault.raw(
        400, json.dumps(bad), content_type="application/json", operation_name="ViewerAccounts"
    )
    simulator.state.faults.add(refusal)
    learnt = simulator.state.requests.count(operation_name="KrakenSchema")
    assert [account.number for account in await client.list_accounts()]
    assert simulator.state.requests.count(operation_name="KrakenSchema") == learnt + 1
    # Refused again after learning: the refusal stands, with its message.
    refusal.count = None
    simulator.state.faults.add(refusal)
    with pytest.raises(KrakenApiError) as raised:
        await client.list_accounts()
    assert raised.value.code is None
    assert "Cannot query field" in raised.value.api_message


# --- Retry-After -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("42", 42.0),
        ("inf", 3600.0),
        ("Infinity", 3600.0),
        ("-inf", 0.0),
        ("1e999", 3600.0),
        ("99999999999", 3600.0),
        ("-30", 0.0),
        ("nan", None),
        ("NaN", None),
        ("soon", None),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 3600.0),
        ("Mon, 01 Jan 1990 00:00:00 GMT", 0.0),
        ("Mon, 99 Foo 1990 99:99:99 GMT", None),
    ],
)
async def test_rate_limit_delay_is_finite_and_at_most_an_hour(
    make_client: ClientFactory, simulator: RunningSimulator, header: str, expected: float | None
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(Fault.rate_limit(retry_after=header))
    with pytest.raises(KrakenRateLimitError) as raised:
        await client.list_accounts()
    delay = raised.value.retry_after
    assert delay == expected
    assert delay is None or (math.isfinite(delay) and 0 <= delay <= 3600)


async def test_graphql_rate_limit_takes_the_retry_after_header(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    client = make_client()
    await client.authenticate()
    body = _error_body("KT-CT-1199", "Too many requests.")
    simulator.state.faults.add(
        Fault.raw(200, body, content_type="application/json", headers={"Retry-After": "30"})
    )
    with pytest.raises(KrakenRateLimitError) as raised:
        await client.list_accounts()
    assert raised.value.retry_after == 30


# --- GraphQL errors of odd shapes ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"errors": {"message": "x", "extensions": {"errorCode": "KT-CT-1111"}}}, KrakenApiError),
        ({"errors": "boom"}, KrakenApiError),
        ({"errors": True, "data": {}}, KrakenApiError),
        ({"errors": [None]}, KrakenApiError),
        ({"errors": [{"message": ["x"], "extensions": None}]}, KrakenApiError),
        (
            {"errors": [{"extensions": {"errorType": ["NOT_FOUND"], "errorCode": {"a": 1}}}]},
            KrakenApiError,
        ),
        ({"errors": [{"extensions": {"errorType": {}, "errorCode": 4123}}]}, KrakenApiError),
        (
            {"errors": [{"message": "Gone.", "extensions": {"errorType": "NOT_FOUND"}}]},
            KrakenNotFoundError,
        ),
        ({"errors": [], "data": None}, KrakenParseError),
        ({"data": "account"}, KrakenParseError),
    ],
)
async def test_odd_error_shapes_are_typed_errors(
    make_client: ClientFactory,
    simulator: RunningSimulator,
    body: object,
    error: type[Exception],
) -> None:
    client = make_client()
    await client.authenticate()
    simulator.state.faults.add(Fault.wrong_shape(body))
    with pytest.raises(error):
        await client.list_accounts()
