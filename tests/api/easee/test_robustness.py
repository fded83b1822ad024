"""The Easee client against what proxies, firewalls and a misbehaving API send (loopback HTTP).

Bodies that are not UTF-8, sign-in answers that are not Easee's credential refusal, a charger
that answers 404, poll answers missing the lists that say which chargers exist, non-finite
numbers in JSON and any Retry-After.
"""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

import aiohttp
import pytest

from custom_components.kraken_energy.api.easee import (
    EaseeApiError,
    EaseeAuthError,
    EaseeClient,
    EaseeCommandError,
    EaseeConnectionError,
    EaseeNotFoundError,
    EaseeParseError,
    EaseeRateLimitError,
    EaseeServerError,
    EaseeSignInError,
)
from custom_components.kraken_energy.api.easee.client import LONGEST_TOKEN_LIFETIME
from custom_components.kraken_energy.api.http import RETRY_AFTER_CEILING
from simulator.app import RunningSimulator
from simulator.easee import (
    DRIVEWAY_CHARGER_ID,
    EASEE_PASSWORD,
    EASEE_USERNAME,
    GARAGE_CHARGER_ID,
    SITE_ID,
)
from simulator.faults import Fault

from .conftest import FakeClock

STATE_PATH = f"/api/chargers/{GARAGE_CHARGER_ID}/state"
# What a Norwegian proxy answers: Latin-1 bytes (é, ø, å are not valid UTF-8 on their own).
PROXY_PAGE = "<html><body><h1>Tilgang nektet: prøv igjen senere. Café æøå</h1></body></html>"
JSON = "application/json"
# Easee's answer to an expired refresh token (evcc-io/evcc#8511).
REFRESH_TOKEN_EXPIRED = {
    "errorCode": 105,
    "errorCodeName": "RefreshTokenExpired",
    "type": None,
    "title": "Refresh token expired",
    "status": 401,
    "detail": "[Empty in production]",
    "instance": None,
    "extensions": {},
}


def _count(sim: RunningSimulator, operation: str) -> int:
    return sim.state.requests.count(operation_name=f"easee.{operation}")


def _latin_1(status: int, **kwargs: Any) -> Fault:
    return Fault.raw(status, PROXY_PAGE, encoding="latin-1", **kwargs)


# --- bodies that are not UTF-8 ------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8", JSON])
async def test_a_latin_1_page_with_200_is_a_parse_error(
    client: EaseeClient, sim: RunningSimulator, content_type: str
) -> None:
    await client.authenticate()
    sim.state.faults.add(_latin_1(200, content_type=content_type, path=STATE_PATH))
    with pytest.raises(EaseeParseError, match="not JSON"):
        await client.fetch_state(GARAGE_CHARGER_ID)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_latin_1_page_with_5xx_is_a_server_error(
    client: EaseeClient, sim: RunningSimulator, status: int
) -> None:
    sim.state.faults.add(_latin_1(status, path="/api/accounts/products"))
    with pytest.raises(EaseeServerError) as caught:
        await client.fetch_sites()
    assert caught.value.status == status


async def test_a_latin_1_page_with_4xx_on_a_read(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    sim.state.faults.add(_latin_1(403, path=STATE_PATH))
    with pytest.raises(EaseeApiError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert (caught.value.status, caught.value.code, caught.value.reason) == (403, None, None)


async def test_an_answer_in_its_declared_charset_is_read(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    products = [
        {
            "id": SITE_ID,
            "name": "Hytta på fjellet",
            "circuits": [{"id": 1, "chargers": [{"id": "EH9", "name": "Låven"}]}],
        }
    ]
    sim.state.faults.add(
        Fault.raw(
            200,
            json.dumps(products, ensure_ascii=False),
            encoding="latin-1",
            content_type="application/json; charset=iso-8859-1",
            path="/api/accounts/products",
        )
    )
    (site,) = await client.fetch_sites()
    assert site.name == "Hytta på fjellet"
    assert [charger.name for charger in site.chargers] == ["Låven"]


async def test_a_latin_1_refusal_keeps_its_reason(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    body = {"errorCode": 712, "errorCodeName": "ChargerOffline", "title": "Ladegerät offline"}
    sim.state.faults.add(
        Fault.raw(
            400,
            json.dumps(body, ensure_ascii=False),
            encoding="latin-1",
            content_type="application/json; charset=latin-1",
            operation_name="easee.stop_charging",
        )
    )
    with pytest.raises(EaseeCommandError) as caught:
        await client.stop_charging(GARAGE_CHARGER_ID)
    assert caught.value.reason == "Ladegerät offline"
    assert caught.value.charger_id == GARAGE_CHARGER_ID


async def test_a_latin_1_page_on_sign_in(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(_latin_1(200, operation_name="easee.login"))
    with pytest.raises(EaseeParseError):
        await client.authenticate()
    sim.state.faults.add(_latin_1(502, operation_name="easee.login"))
    with pytest.raises(EaseeServerError):
        await client.authenticate()
    sim.state.faults.add(_latin_1(403, operation_name="easee.login"))
    with pytest.raises(EaseeSignInError):
        await client.authenticate()
    await client.authenticate()
    assert sim.state.easee.logins == 1


# --- sign-in: only Easee's own refusal asks the user to sign in again ---------------------------


@pytest.mark.parametrize("status", [400, 401, 403, 404, 408])
@pytest.mark.parametrize("content_type", ["text/html", JSON])
async def test_a_sign_in_answer_that_is_not_easees_refusal_is_a_connection_error(
    client: EaseeClient, sim: RunningSimulator, status: int, content_type: str
) -> None:
    sim.state.faults.add(
        Fault.raw(status, PROXY_PAGE, content_type=content_type, operation_name="easee.login")
    )
    with pytest.raises(EaseeSignInError) as caught:
        await client.fetch_sites()
    error = caught.value
    assert isinstance(error, EaseeConnectionError)
    assert not isinstance(error, EaseeAuthError)
    assert error.status == status
    assert error.code is None
    assert EASEE_PASSWORD not in str(error)
    # It passes: the next poll signs in.
    assert len(await client.fetch_sites()) == 1
    assert sim.state.easee.logins == 1


@pytest.mark.parametrize(
    "body",
    [
        {"errorCode": 42, "errorCodeName": "SomethingElse", "title": "Try later"},
        {"errorCodeName": "InvalidUserPassword", "title": "Username or password is invalid"},
        {"errorCode": "100"},
        {"errorCode": True},
        [100],
        "InvalidUserPassword",
    ],
)
async def test_other_json_sign_in_refusals_are_connection_errors(
    client: EaseeClient, sim: RunningSimulator, body: Any
) -> None:
    sim.state.faults.add(
        Fault.raw(400, json.dumps(body), content_type=JSON, operation_name="easee.login")
    )
    with pytest.raises(EaseeSignInError) as caught:
        await client.authenticate()
    assert caught.value.status == 400


async def test_easees_refusal_is_an_auth_error(
    session: aiohttp.ClientSession, sim: RunningSimulator
) -> None:
    client = EaseeClient(session, EASEE_USERNAME, "wrong", base_url=sim.easee_url)
    with pytest.raises(EaseeAuthError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert caught.value.code == 100
    assert "InvalidUserPassword" in str(caught.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 408])
async def test_a_renewal_answer_that_is_not_easees_is_a_connection_error(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock, status: int
) -> None:
    await client.fetch_state(GARAGE_CHARGER_ID)
    clock.now += sim.state.easee.token_lifetime.total_seconds()
    sim.state.faults.add(Fault.raw(status, PROXY_PAGE, operation_name="easee.refresh_token"))
    with pytest.raises(EaseeSignInError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert caught.value.status == status
    assert "token renewal" in str(caught.value)
    # No sign-in instead: the refresh token is kept and works once the proxy is gone.
    assert sim.state.easee.logins == 1
    await client.fetch_state(GARAGE_CHARGER_ID)
    assert sim.state.easee.refresh_grants == 1
    assert sim.state.easee.logins == 1


async def test_an_expired_refresh_token_means_signing_in_again(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock
) -> None:
    # The simulator answers as Easee does: 401, errorCode 105 RefreshTokenExpired.
    sim.state.easee.refresh_token_lifetime = timedelta(0)
    await client.fetch_state(GARAGE_CHARGER_ID)
    clock.now += sim.state.easee.token_lifetime.total_seconds()
    await client.fetch_state(GARAGE_CHARGER_ID)
    refreshes = sim.state.requests.matching(operation_name="easee.refresh_token")
    assert [record.status for record in refreshes] == [401]
    assert sim.state.easee.logins == 2


async def test_easees_refresh_refusal_then_a_changed_password_is_an_auth_error(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock
) -> None:
    await client.fetch_state(GARAGE_CHARGER_ID)
    clock.now += sim.state.easee.token_lifetime.total_seconds()
    sim.state.faults.add(
        Fault.raw(
            401,
            json.dumps(REFRESH_TOKEN_EXPIRED),
            content_type=JSON,
            operation_name="easee.refresh_token",
        )
    )
    user = sim.state.easee.user_by_username(EASEE_USERNAME)
    assert user is not None
    user.password = "changed"
    with pytest.raises(EaseeAuthError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert caught.value.code == 100
    assert _count(sim, "login") == 2


async def test_a_proxy_page_while_renewing_after_a_401_is_a_connection_error(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.fetch_state(GARAGE_CHARGER_ID)
    sim.state.easee.expire_access_tokens()
    sim.state.faults.add(_latin_1(401, operation_name="easee.refresh_token"))
    with pytest.raises(EaseeSignInError):
        await client.fetch_state(GARAGE_CHARGER_ID)


async def test_a_401_page_on_a_read_that_persists_is_an_auth_error(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    sim.state.faults.add(_latin_1(401, count=2, path=STATE_PATH))
    with pytest.raises(EaseeAuthError):
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert sim.state.easee.refresh_grants == 1


def test_a_token_lifetime_out_of_reason_is_not_believed(
    session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    client = EaseeClient(session, "me", "pw", clock=clock)
    too_long: list[Any] = [1e308, "Infinity", 10**5000]
    for lifetime in too_long:
        token = client._store({"accessToken": "a", "expiresIn": lifetime})
        assert token.renew_at <= clock.now + LONGEST_TOKEN_LIFETIME
    unknown: list[Any] = [0, -5, None, "NaN"]
    for lifetime in unknown:
        token = client._store({"accessToken": "a", "expiresIn": lifetime})
        assert clock.now < token.renew_at <= clock.now + 3600


# --- a charger that answers 404 -----------------------------------------------------------------


async def test_a_listed_charger_answering_404_names_itself(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    (site,) = await client.fetch_sites()
    garage = site.charger(GARAGE_CHARGER_ID)
    assert garage is not None
    # Easee no longer knows the charger, though the client still lists it.
    sim.state.easee.sites[0].charger_ids.remove(GARAGE_CHARGER_ID)
    for fetch in (client.fetch_state, client.fetch_config, client.start_charging):
        with pytest.raises(EaseeNotFoundError) as caught:
            await fetch(GARAGE_CHARGER_ID)
        error = caught.value
        assert error.charger_id == GARAGE_CHARGER_ID
        assert error.status == 404
        assert error.code_name == "ChargerNotFound"
        assert not isinstance(error, EaseeConnectionError | EaseeAuthError)
    with pytest.raises(EaseeNotFoundError) as caught:
        await client.fetch_charger(garage)
    assert caught.value.charger_id == GARAGE_CHARGER_ID
    # The other charger is read as before.
    assert (await client.fetch_state(DRIVEWAY_CHARGER_ID)).online is True


async def test_a_404_page_on_a_state_names_the_charger(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    sim.state.faults.add(_latin_1(404, path=STATE_PATH))
    with pytest.raises(EaseeNotFoundError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert caught.value.charger_id == GARAGE_CHARGER_ID


async def test_an_unknown_site_names_itself(client: EaseeClient) -> None:
    with pytest.raises(EaseeNotFoundError) as caught:
        await client.fetch_site(999)
    assert (caught.value.site_id, caught.value.charger_id) == (999, None)


# --- poll answers without the lists that say which chargers exist -------------------------------


def _answer(body: str, **kwargs: Any) -> Fault:
    return Fault.raw(200, body, content_type=JSON, **kwargs)


@pytest.mark.parametrize(
    "body",
    [
        "null",
        '{"data": null}',
        '{"sites": []}',
        '[{"id": 150001, "name": "Home"}]',
        '[{"id": 150001, "circuits": null}]',
        '[{"id": 150001, "circuits": [{"id": 1}]}]',
        '[{"id": 150001, "circuits": [{"id": 1, "chargers": null}]}]',
        '[{"id": 150001, "circuits": [{"id": 1, "chargers": {"EH1": {}}}]}]',
    ],
)
async def test_a_products_answer_missing_its_lists_is_a_parse_error(
    client: EaseeClient, sim: RunningSimulator, body: str
) -> None:
    sim.state.faults.add(_answer(body, path="/api/accounts/products"))
    with pytest.raises(EaseeParseError, match="expected a list"):
        await client.fetch_sites()


@pytest.mark.parametrize(
    ("body", "chargers"),
    [
        ("[]", None),
        ('[{"id": 150001, "circuits": []}]', 0),
        ('[{"id": 150001, "circuits": [{"id": 1, "chargers": []}]}]', 0),
    ],
)
async def test_empty_lists_are_answers_without_chargers(
    client: EaseeClient, sim: RunningSimulator, body: str, chargers: int | None
) -> None:
    sim.state.faults.add(_answer(body, path="/api/accounts/products"))
    sites = await client.fetch_sites()
    assert [len(site.chargers) for site in sites] == ([] if chargers is None else [chargers])


async def test_other_lists_must_be_lists(client: EaseeClient, sim: RunningSimulator) -> None:
    await client.authenticate()
    sim.state.faults.add(_answer("null", operation_name="easee.chargers"))
    with pytest.raises(EaseeParseError, match="chargers: expected a list"):
        await client.list_chargers()
    sim.state.faults.add(_answer("{}", operation_name="easee.sites"))
    with pytest.raises(EaseeParseError, match="sites: expected a list"):
        await client.list_sites()
    sim.state.faults.add(_answer('{"id": 150001}', operation_name="easee.site"))
    with pytest.raises(EaseeParseError, match=r"site\.circuits: expected a list"):
        await client.fetch_site(SITE_ID)
    assert [site.chargers for site in await client.list_sites()] == [()]


# --- numbers and JSON text ----------------------------------------------------------------------


async def test_non_finite_json_numbers_are_unknown(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    body = (
        '{"totalPower": NaN, "voltage": Infinity, "outputCurrent": -Infinity,'
        ' "sessionEnergy": 1e999, "lifetimeEnergy": ' + "9" * 5000 + ","
        ' "chargerOpMode": 1e400, "reasonForNoCurrent": ' + "7" * 5000 + ","
        ' "ledMode": "NaN", "isOnline": "false", "cableLocked": "true"}'
    )
    sim.state.faults.add(_answer(body, path=STATE_PATH))
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert (state.total_power, state.voltage, state.output_current) == (None, None, None)
    assert (state.session_energy, state.lifetime_energy) == (None, None)
    assert (state.op_mode_code, state.reason_for_no_current_code, state.led_mode) == (
        None,
        None,
        None,
    )
    assert (state.online, state.cable_locked) == (False, True)


async def test_json_nested_too_deeply_is_a_parse_error(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.authenticate()
    sim.state.faults.add(_answer("[" * 200_000 + "]" * 200_000, path=STATE_PATH))
    with pytest.raises(EaseeParseError, match="not JSON"):
        await client.fetch_state(GARAGE_CHARGER_ID)
    sim.state.faults.add(
        Fault.raw(400, "[" * 200_000, content_type=JSON, operation_name="easee.stop_charging")
    )
    with pytest.raises(EaseeCommandError) as caught:
        await client.stop_charging(GARAGE_CHARGER_ID)
    assert caught.value.code is None


@pytest.mark.parametrize(
    "retry_after",
    [
        "inf",
        "-inf",
        "nan",
        "1e999",
        "-5",
        "99999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "soon",
        "",
        "120.5",
    ],
)
async def test_any_retry_after_is_finite_and_bounded(
    client: EaseeClient, sim: RunningSimulator, retry_after: str
) -> None:
    await client.authenticate()
    sim.state.faults.add(Fault.rate_limit(retry_after, path=STATE_PATH))
    with pytest.raises(EaseeRateLimitError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    seconds = caught.value.retry_after
    assert seconds is None or 0 <= seconds <= RETRY_AFTER_CEILING
    if retry_after == "120.5":
        assert seconds == 120.5


async def test_retry_after_on_sign_in(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.rate_limit("inf", operation_name="easee.login"))
    with pytest.raises(EaseeRateLimitError) as caught:
        await client.authenticate()
    assert caught.value.retry_after == RETRY_AFTER_CEILING
