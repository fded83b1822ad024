"""The Kraken client against the simulator over loopback HTTP (no Home Assistant)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
import email.utils
import json
import socket
import time

import aiohttp
import pytest

from custom_components.kraken_energy.api.http import RETRY_AFTER_CEILING, retry_after_seconds
from custom_components.kraken_energy.api.kraken import (
    ApiKeyCredential,
    KrakenApiError,
    KrakenAuthError,
    KrakenBlockedError,
    KrakenClient,
    KrakenConnectionError,
    KrakenNotFoundError,
    KrakenParseError,
    KrakenRateLimitError,
    KrakenServerError,
    KrakenTimeoutError,
    PasswordCredential,
)
from custom_components.kraken_energy.api.kraken.client import read_answer
from custom_components.kraken_energy.api.kraken.models import (
    Fuel,
    MeterPoint,
    RateBand,
    Tariff,
    TariffKind,
)
from simulator.app import RunningSimulator
from simulator.faults import Fault

from .kraken.answers import simulator_capabilities

GB_KEY = "sk_live_gb_simulator"


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def _client(
    session: aiohttp.ClientSession,
    simulator: RunningSimulator,
    credential: ApiKeyCredential | PasswordCredential | None = None,
    **kwargs: object,
) -> KrakenClient:
    # The seeds' dialect, learnt before (as after a restart), so faults meet the documents.
    simulator.state.kraken.dialect = "seed"
    kwargs.setdefault("capabilities", simulator_capabilities())
    return KrakenClient(
        session,
        simulator.kraken_url,
        credential or ApiKeyCredential(GB_KEY),
        **kwargs,  # type: ignore[arg-type]
    )


def _token_requests(simulator: RunningSimulator) -> int:
    return simulator.state.requests.count(operation_name="ObtainKrakenToken")


async def test_api_key_lists_accounts(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    accounts = await _client(session, simulator).list_accounts()
    assert [account.number for account in accounts] == ["A-GB000001", "A-GB000002"]
    assert accounts[0].brand == "OCTOPUS_ENERGY"
    assert accounts[0].status == "ACTIVE"


async def test_password_signs_in(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator, PasswordCredential("de@example.com", "simulator"))
    accounts = await client.list_accounts()
    assert [account.number for account in accounts] == ["A-DE000001"]


@pytest.mark.parametrize(
    "credential",
    [ApiKeyCredential("sk_live_not_a_key"), PasswordCredential("gb@example.com", "hunter2")],
)
async def test_refused_credentials_raise_auth_error_without_the_secret(
    session: aiohttp.ClientSession,
    simulator: RunningSimulator,
    credential: ApiKeyCredential | PasswordCredential,
) -> None:
    with pytest.raises(KrakenAuthError) as raised:
        await _client(session, simulator, credential).authenticate()
    assert raised.value.code == "KT-CT-1135"
    for secret in ("sk_live_not_a_key", "hunter2"):
        assert secret not in str(raised.value)
        assert secret not in repr(credential)


async def test_gb_account_parses_every_meter_point(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    account = await _client(session, simulator).fetch_account(
        "A-GB000001", currency="GBP", include_rates=True
    )
    assert account.balance == pytest.approx(42.50)
    assert account.currency == "GBP"
    assert account.next_billing_date is not None
    by_direction = {point.direction: point for point in account.meter_points}
    assert set(by_direction) == {"import", "export", "gas"}

    now = time.time()
    import_tariff = _active_tariff(by_direction["import"], now)
    assert import_tariff.kind is TariffKind.HALF_HOURLY
    assert import_tariff.unit_rates is not None
    # Yesterday and today, 48 half-hours each (tomorrow only after publication).
    assert len(import_tariff.unit_rates) in (96, 144)
    assert all(period.band is RateBand.HALF_HOURLY for period in import_tariff.unit_rates)
    first = import_tariff.unit_rates[0]
    assert (first.end - first.start).total_seconds() == 1800
    assert import_tariff.standing_charge is not None
    assert import_tariff.standing_charge.inc_vat == pytest.approx(0.4785, abs=0.01)

    export_tariff = _active_tariff(by_direction["export"], now)
    assert export_tariff.is_export
    assert export_tariff.unit_rate is not None
    assert export_tariff.unit_rate.inc_vat == pytest.approx(0.15)
    gas = by_direction["gas"]
    assert gas.fuel is Fuel.GAS
    assert _active_tariff(gas, now).kind is TariffKind.GAS
    assert gas.meters[0].serial_number


def _active_tariff(point: MeterPoint, now: float) -> Tariff:
    agreement = point.agreement_at(datetime.fromtimestamp(now, UTC))
    assert agreement is not None
    assert agreement.tariff is not None
    return agreement.tariff


async def test_rates_only_when_asked(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    account = await _client(session, simulator).fetch_account(
        "A-GB000001", currency="GBP", include_rates=False
    )
    tariff = _active_tariff(
        next(p for p in account.meter_points if p.direction == "import"), time.time()
    )
    assert tariff.unit_rates is None


async def test_every_tariff_kind_parses(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    account = await _client(session, simulator).fetch_account(
        "A-GB000002", currency="GBP", include_rates=False
    )
    tariffs = {
        (tariff := _active_tariff(point, time.time())).kind: tariff
        for point in account.meter_points
    }
    assert set(tariffs) == {TariffKind.DAY_NIGHT, TariffKind.THREE_RATE, TariffKind.PREPAY}
    day_night = tariffs[TariffKind.DAY_NIGHT]
    assert day_night.day_rate is not None
    assert day_night.night_rate is not None
    assert day_night.night_rate.inc_vat < day_night.day_rate.inc_vat
    assert tariffs[TariffKind.THREE_RATE].off_peak_rate is not None
    assert tariffs[TariffKind.PREPAY].unit_rate is not None


async def test_germany_account_in_euros(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator, ApiKeyCredential("sk_live_de_simulator"))
    account = await client.fetch_account("A-DE000001", currency="EUR", include_rates=False)
    assert account.currency == "EUR"
    assert account.brand == "OCTOPUS_ENERGY_GERMANY"


async def test_token_is_reused_then_renewed_with_the_refresh_token(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    clock = [time.time()]
    client = _client(session, simulator, clock=lambda: clock[0])
    await client.list_accounts()
    await client.list_accounts()
    assert _token_requests(simulator) == 1
    # Polls every five minutes use the hour-long token twelve times, not eleven.
    clock[0] += 3600 - 300
    await client.list_accounts()
    assert _token_requests(simulator) == 1
    # Within a minute of expiry the client renews before sending.
    clock[0] += 300 - 30
    await client.list_accounts()
    assert _token_requests(simulator) == 2
    assert simulator.state.kraken.refresh_grants == 1


@pytest.mark.parametrize("skew", [-7200.0, 7200.0])
async def test_token_lifetime_is_timed_on_our_own_clock(
    session: aiohttp.ClientSession, simulator: RunningSimulator, skew: float
) -> None:
    """A machine clock hours off Kraken's neither sends expired tokens nor renews each time."""
    clock = [time.time() + skew]
    client = _client(session, simulator, clock=lambda: clock[0])
    await client.list_accounts()
    clock[0] += 3600 - 300
    await client.list_accounts()
    assert _token_requests(simulator) == 1
    clock[0] += 300
    await client.list_accounts()
    # One renewal and no refused request.
    assert _token_requests(simulator) == 2
    assert len(simulator.state.requests.records) == 5


async def test_refused_refresh_token_falls_back_to_the_credential(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    clock = [time.time()]
    client = _client(session, simulator, clock=lambda: clock[0])
    await client.list_accounts()
    simulator.state.kraken.revoke_refresh_tokens()
    clock[0] += 3600
    accounts = await client.list_accounts()
    assert len(accounts) == 2
    # The refused refresh plus a fresh sign-in.
    assert _token_requests(simulator) == 3


async def test_concurrent_requests_renew_the_token_once(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator)
    await asyncio.gather(*(client.list_accounts() for _ in range(8)))
    assert _token_requests(simulator) == 1


async def test_token_expired_on_the_server_is_renewed_and_retried(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator)
    await client.list_accounts()
    simulator.state.kraken.expire_access_tokens()
    accounts = await client.list_accounts()
    assert len(accounts) == 2
    assert _token_requests(simulator) == 2


async def test_account_of_another_user_is_an_auth_error(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    with pytest.raises(KrakenAuthError) as raised:
        await _client(session, simulator).fetch_account(
            "A-DE000001", currency="GBP", include_rates=False
        )
    assert raised.value.code == "KT-CT-4123"


async def test_rate_limit_carries_the_retry_delay(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator)
    await client.authenticate()
    simulator.state.faults.add(Fault.rate_limit(retry_after=42, count=1))
    with pytest.raises(KrakenRateLimitError) as raised:
        await client.list_accounts()
    assert raised.value.retry_after == pytest.approx(42)
    assert len(await client.list_accounts()) == 2


@pytest.mark.parametrize(
    ("fault", "error", "code"),
    [
        (Fault.http_status(503), KrakenServerError, None),
        (Fault.malformed(), KrakenParseError, None),
        (Fault.wrong_shape(), KrakenParseError, None),
        (Fault.graphql_error("KT-CT-1199", "Too many requests."), KrakenRateLimitError, None),
        (Fault.graphql_error("KT-CT-4340", "Unable to fetch."), KrakenApiError, "KT-CT-4340"),
        (
            Fault.graphql_error("KT-CT-4177", "Not found.", error_type="NOT_FOUND"),
            KrakenNotFoundError,
            "KT-CT-4177",
        ),
    ],
)
async def test_faults_map_to_typed_errors(
    session: aiohttp.ClientSession,
    simulator: RunningSimulator,
    fault: Fault,
    error: type[Exception],
    code: str | None,
) -> None:
    client = _client(session, simulator)
    await client.authenticate()
    simulator.state.faults.add(fault)
    with pytest.raises(error) as raised:
        await client.fetch_account("A-GB000001", currency="GBP", include_rates=False)
    if code is not None:
        assert getattr(raised.value, "code", None) == code
    simulator.state.faults.clear()
    # Nothing sticks: the next request works.
    await client.fetch_account("A-GB000001", currency="GBP", include_rates=False)


async def test_slow_answer_times_out(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator, timeout=0.3)
    await client.authenticate()
    simulator.state.faults.add(Fault.latency(2.0, count=1))
    with pytest.raises(KrakenTimeoutError):
        await client.list_accounts()


async def test_unreachable_endpoint_is_a_connection_error(
    session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = KrakenClient(session, f"http://127.0.0.1:{port}/v1/graphql/", ApiKeyCredential(GB_KEY))
    with pytest.raises(KrakenConnectionError):
        await client.authenticate()


async def test_token_refused_twice_is_an_auth_error(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    client = _client(session, simulator)
    assert client.endpoint == simulator.kraken_url
    await client.authenticate()
    simulator.state.faults.add(
        Fault.graphql_error(
            "KT-CT-1124",
            "Signature of the JWT has expired.",
            count=2,
            operation_name="ViewerAccounts",
        )
    )
    with pytest.raises(KrakenAuthError) as raised:
        await client.list_accounts()
    assert raised.value.code == "KT-CT-1124"


async def test_token_without_expiry_or_refresh_token_still_works(
    session: aiohttp.ClientSession, simulator: RunningSimulator
) -> None:
    """A token answer without `payload` or refresh token; the bogus token is replaced."""
    client = _client(session, simulator)
    simulator.state.faults.add(
        Fault.wrong_shape(
            {"data": {"obtainKrakenToken": {"token": "not-a-real-token", "payload": None}}},
            operation_name="ObtainKrakenToken",
        )
    )
    await client.authenticate()
    # The server refuses the unknown token (KT-CT-1111); one fresh sign-in fixes it.
    assert len(await client.list_accounts()) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"data": {"obtainKrakenToken": {"token": ""}}}, "token"),
        ({"data": {"obtainKrakenToken": None}}, "obtainKrakenToken"),
    ],
)
async def test_token_answer_without_a_token_is_a_parse_error(
    session: aiohttp.ClientSession, simulator: RunningSimulator, body: object, message: str
) -> None:
    simulator.state.faults.add(Fault.wrong_shape(body, operation_name="ObtainKrakenToken"))
    with pytest.raises(KrakenParseError, match=message):
        await _client(session, simulator).authenticate()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        # A bare 401 (no Kraken error code) comes from something in between: retry later.
        (Fault.http_status(401), KrakenBlockedError),
        (Fault.http_status(400), KrakenApiError),
        (Fault.wrong_shape([1, 2]), KrakenParseError),
        (Fault.wrong_shape({"errors": ["boom"]}), KrakenApiError),
        (Fault.wrong_shape({"errors": [{"message": 5, "extensions": "x"}]}), KrakenApiError),
    ],
)
async def test_unusual_answers_map_to_typed_errors(
    session: aiohttp.ClientSession,
    simulator: RunningSimulator,
    fault: Fault,
    error: type[Exception],
) -> None:
    client = _client(session, simulator)
    await client.authenticate()
    simulator.state.faults.add(fault)
    with pytest.raises(error):
        await client.list_accounts()


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    later = time.time() + 120
    http_date = email.utils.formatdate(later, usegmt=True)
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds(http_date) == pytest.approx(120, abs=2)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_retry_after_at_the_end_of_the_calendar_waits_the_ceiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A date without a zone ("-0000") is read in local time; at the calendar's last second
    east of UTC it has no timestamp, and the wait is the longest taken, not a crash."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert retry_after_seconds("Fri, 31 Dec 9999 23:59:59 -0000") == RETRY_AFTER_CEILING
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    "echoed",
    [
        "A-GB000001",  # account number
        "2000012345678",  # MPAN
        "1234567890",  # MPRN
        "51238696781",  # MaLo id
        "DE0005612345600000000000000000001",  # MeLo id
        "5YJ3E1EA7KF000001",  # VIN
        "12-34-5A-FF-FF-6B-C7-89",  # a smart meter's EUI-64
    ],
)
def test_identifiers_the_api_echoes_stay_out_of_errors(echoed: str) -> None:
    """An error the API words with the household's identifiers is logged and shown without."""
    body = {
        "errors": [
            {
                "message": f"Unable to find {echoed}.",
                "extensions": {"errorCode": "KT-CT-9999", "errorDescription": f"No {echoed}."},
            }
        ],
        "data": None,
    }
    with pytest.raises(KrakenApiError) as raised:
        read_answer("Account", 200, json.dumps(body).encode())
    assert echoed not in str(raised.value)
    assert echoed not in raised.value.api_message
    assert "KT-CT-9999" in str(raised.value)
