"""The Easee client against the simulator over loopback HTTP (no Home Assistant)."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import socket
import time

import aiohttp
import pytest

from custom_components.kraken_energy.api.easee import (
    EaseeApiError,
    EaseeAuthError,
    EaseeClient,
    EaseeCommandError,
    EaseeConnectionError,
    EaseeLedMode,
    EaseeNotFoundError,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseeParseError,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeRateLimitError,
    EaseeReasonForNoCurrent,
    EaseeServerError,
    EaseeTimeoutError,
)
from custom_components.kraken_energy.api.easee.client import _error_details
from custom_components.kraken_energy.api.http import retry_after_seconds
from custom_components.kraken_energy.providers.easee.readings import OP_MODE_CANONICAL, op_mode
from custom_components.kraken_energy.readings import ChargerOpMode
from simulator.app import RunningSimulator
from simulator.easee import (
    DRIVEWAY_CHARGER_ID,
    EASEE_EMPTY_USERNAME,
    EASEE_PASSWORD,
    EASEE_USERNAME,
    GARAGE_CHARGER_ID,
    SITE_ID,
)
from simulator.faults import Fault

from .conftest import FakeClock

STATE_PATH = f"/api/chargers/{GARAGE_CHARGER_ID}/state"


def _count(sim: RunningSimulator, operation: str) -> int:
    return sim.state.requests.count(operation_name=f"easee.{operation}")


# --- sign-in and tokens -----------------------------------------------------------------------


async def test_fetch_sites_lists_chargers_in_one_request(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    sites = await client.fetch_sites()
    assert [site.site_id for site in sites] == [SITE_ID]
    site = sites[0]
    assert site.name == "Home"
    assert site.site_key == "SIM1-5000"
    assert [c.charger_id for c in site.chargers] == [GARAGE_CHARGER_ID, DRIVEWAY_CHARGER_ID]
    garage = site.charger(GARAGE_CHARGER_ID)
    assert garage is not None
    assert garage.name == "Garage"
    assert garage.site_id == SITE_ID
    assert garage.site_name == "Home"
    assert garage.circuit_id == 250001
    assert garage.product_code == 1
    assert garage.model == "Easee Home"
    assert garage.state is None
    assert op_mode(garage.state) is None
    assert sim.state.easee.logins == 1
    assert _count(sim, "products") == 1
    assert client.request_count == 2  # sign-in + products


async def test_list_sites_site_and_chargers(client: EaseeClient) -> None:
    summaries = await client.list_sites()
    assert [(site.site_id, site.name, site.chargers) for site in summaries] == [
        (SITE_ID, "Home", ())
    ]
    detailed = await client.fetch_site(SITE_ID)
    assert [c.charger_id for c in detailed.chargers] == [GARAGE_CHARGER_ID, DRIVEWAY_CHARGER_ID]
    chargers = await client.list_chargers()
    assert [(c.charger_id, c.name, c.site_id) for c in chargers] == [
        (GARAGE_CHARGER_ID, "Garage", None),
        (DRIVEWAY_CHARGER_ID, "Driveway", None),
    ]


async def test_user_without_sites(session: aiohttp.ClientSession, sim: RunningSimulator) -> None:
    client = EaseeClient(session, EASEE_EMPTY_USERNAME, EASEE_PASSWORD, base_url=sim.easee_url)
    assert await client.fetch_sites() == []
    with pytest.raises(EaseeNotFoundError):
        await client.fetch_state(GARAGE_CHARGER_ID)


async def test_wrong_password_is_an_auth_error(
    session: aiohttp.ClientSession, sim: RunningSimulator
) -> None:
    client = EaseeClient(session, EASEE_USERNAME, "not-the-password", base_url=sim.easee_url)
    with pytest.raises(EaseeAuthError) as caught:
        await client.authenticate()
    assert caught.value.code == 100
    assert "InvalidUserPassword" in str(caught.value)
    assert "not-the-password" not in str(caught.value)
    with pytest.raises(EaseeAuthError):
        await client.fetch_sites()
    assert sim.state.easee.logins == 0


async def test_token_renewed_shortly_before_expiry(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock
) -> None:
    await client.fetch_state(GARAGE_CHARGER_ID)
    lifetime = sim.state.easee.token_lifetime.total_seconds()
    clock.now += lifetime - 600  # well before expiry: the token is reused
    await client.fetch_state(GARAGE_CHARGER_ID)
    assert _count(sim, "refresh_token") == 0
    clock.now += 400  # within five minutes of expiry: renewed with the refresh token first
    await client.fetch_state(GARAGE_CHARGER_ID)
    assert _count(sim, "refresh_token") == 1
    assert sim.state.easee.refresh_grants == 1
    assert sim.state.easee.logins == 1
    assert _count(sim, "state") == 3  # no request failed on the way


async def test_refused_refresh_token_falls_back_to_sign_in(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock
) -> None:
    await client.fetch_state(GARAGE_CHARGER_ID)
    sim.state.easee.revoke_refresh_tokens()
    clock.now += sim.state.easee.token_lifetime.total_seconds()
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.CHARGING
    assert _count(sim, "refresh_token") == 1
    assert sim.state.easee.refresh_grants == 0
    assert sim.state.easee.logins == 2


async def test_concurrent_requests_renew_the_token_once(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock
) -> None:
    await client.authenticate()
    clock.now += sim.state.easee.token_lifetime.total_seconds()
    await asyncio.gather(*(client.fetch_state(GARAGE_CHARGER_ID) for _ in range(5)))
    assert _count(sim, "refresh_token") == 1
    assert _count(sim, "state") == 5


async def test_401_renews_the_token_and_retries_once(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    await client.fetch_state(GARAGE_CHARGER_ID)
    sim.state.easee.expire_access_tokens()  # the server refuses a token the client still trusts
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert state.easee_op_mode is EaseeOpMode.CHARGING
    statuses = [r.status for r in sim.state.requests.matching(operation_name="easee.state")]
    assert statuses == [200, 401, 200]
    assert sim.state.easee.refresh_grants == 1


async def test_second_401_is_an_auth_error(client: EaseeClient, sim: RunningSimulator) -> None:
    await client.authenticate()
    sim.state.faults.add(Fault.http_status(401, count=2, path=STATE_PATH))
    with pytest.raises(EaseeAuthError):
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert _count(sim, "state") == 2
    assert _count(sim, "refresh_token") == 1


async def test_secrets_stay_out_of_logs(
    client: EaseeClient, sim: RunningSimulator, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.fetch_state(GARAGE_CHARGER_ID)
    clock.now += sim.state.easee.token_lifetime.total_seconds()
    await client.fetch_state(GARAGE_CHARGER_ID)
    sim.state.easee.expire_access_tokens()
    await client.fetch_state(GARAGE_CHARGER_ID)
    secrets = [EASEE_PASSWORD, *sim.state.easee.access_tokens, *sim.state.easee.refresh_tokens]
    assert len(secrets) >= 4
    for secret in secrets:
        assert secret not in caplog.text
    assert "Renewing the Easee access token" in caplog.text


# --- errors -------------------------------------------------------------------------------------


async def test_rate_limit_carries_retry_after(client: EaseeClient, sim: RunningSimulator) -> None:
    await client.authenticate()
    sim.state.faults.add(Fault.rate_limit(120, path=STATE_PATH))
    with pytest.raises(EaseeRateLimitError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert caught.value.retry_after == 120
    # Only that request was throttled.
    assert (await client.fetch_state(GARAGE_CHARGER_ID)).total_power == pytest.approx(11.04)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_error(client: EaseeClient, sim: RunningSimulator, status: int) -> None:
    sim.state.faults.add(Fault.http_status(status, path="/api/accounts/products"))
    with pytest.raises(EaseeServerError) as caught:
        await client.fetch_sites()
    assert caught.value.status == status
    assert isinstance(caught.value, EaseeConnectionError)


async def test_server_error_on_sign_in(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.http_status(503, operation_name="easee.login"))
    with pytest.raises(EaseeServerError):
        await client.fetch_sites()
    assert len(await client.fetch_sites()) == 1


async def test_malformed_body(client: EaseeClient, sim: RunningSimulator) -> None:
    await client.authenticate()
    sim.state.faults.add(Fault.malformed(path=STATE_PATH))
    with pytest.raises(EaseeParseError, match="not JSON"):
        await client.fetch_state(GARAGE_CHARGER_ID)


async def test_wrong_shape(client: EaseeClient, sim: RunningSimulator) -> None:
    await client.authenticate()
    sim.state.faults.add(Fault.wrong_shape([1, 2], path=STATE_PATH))
    with pytest.raises(EaseeParseError, match="expected an object"):
        await client.fetch_state(GARAGE_CHARGER_ID)
    sim.state.faults.add(Fault.wrong_shape({"chargerOpMode": "three"}, path=STATE_PATH))
    with pytest.raises(EaseeParseError, match=r"state\.chargerOpMode"):
        await client.fetch_state(GARAGE_CHARGER_ID)


async def test_malformed_sign_in(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.wrong_shape({"expiresIn": 60}, operation_name="easee.login"))
    with pytest.raises(EaseeParseError, match="accessToken"):
        await client.authenticate()


async def test_timeout(session: aiohttp.ClientSession, sim: RunningSimulator) -> None:
    client = EaseeClient(
        session, EASEE_USERNAME, EASEE_PASSWORD, base_url=sim.easee_url, timeout=0.2
    )
    await client.authenticate()
    sim.state.faults.add(Fault.latency(2.0, path=STATE_PATH))
    with pytest.raises(EaseeTimeoutError):
        await client.fetch_state(GARAGE_CHARGER_ID)


async def test_unreachable(session: aiohttp.ClientSession, socket_enabled: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = EaseeClient(
        session, EASEE_USERNAME, EASEE_PASSWORD, base_url=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(EaseeConnectionError, match="cannot reach"):
        await client.fetch_sites()


async def test_unknown_charger(client: EaseeClient) -> None:
    with pytest.raises(EaseeNotFoundError) as caught:
        await client.fetch_config("EH999999")
    assert caught.value.status == 404
    assert caught.value.code_name == "ChargerNotFound"
    with pytest.raises(EaseeNotFoundError):
        await client.start_charging("EH999999")


async def test_other_client_error_on_read(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.http_status(403, path=STATE_PATH))
    with pytest.raises(EaseeApiError) as caught:
        await client.fetch_state(GARAGE_CHARGER_ID)
    assert caught.value.status == 403
    assert not isinstance(caught.value, EaseeCommandError)


# --- state and config ---------------------------------------------------------------------------


async def test_fetch_charger_state_and_config(client: EaseeClient) -> None:
    site = (await client.fetch_sites())[0]
    garage = site.charger(GARAGE_CHARGER_ID)
    assert garage is not None
    garage = await client.fetch_charger(garage)
    assert garage.name == "Garage"
    state = garage.state
    assert state is not None
    assert op_mode(garage.state) is ChargerOpMode.CHARGING
    assert state.op_mode_code == 3
    assert state.easee_op_mode is EaseeOpMode.CHARGING
    assert state.reason_for_no_current_code == 78
    assert state.reason_for_no_current is EaseeReasonForNoCurrent.LIMITED_BY_DYNAMIC_CHARGER_CURRENT
    assert state.output_phase is EaseeOutputPhase.P3_T2_T3_T4_T5_TN
    assert state.output_phase.phases == 3
    assert state.led_mode is EaseeLedMode.NORMAL_MODE_CHARGING
    assert state.pilot_mode is EaseePilotMode.CAR_CHARGING
    assert state.pilot_mode_code == "C"
    assert state.total_power == pytest.approx(11.04)
    assert state.output_current == 16
    assert state.voltage == 230
    assert state.session_energy == pytest.approx(4.2)
    assert state.lifetime_energy == pytest.approx(1523.6)
    assert state.online is True
    assert state.cable_locked is True
    assert state.latest_pulse is not None
    assert state.latest_pulse.tzinfo is not None
    assert garage.smart_charging is False
    assert garage.dynamic_charger_current == 16
    config = garage.config
    assert config is not None
    assert garage.charging_enabled is True
    assert garage.max_charger_current == 32
    assert garage.phase_mode is EaseePhaseMode.AUTO
    assert config.offline_charging_mode is EaseeOfflineChargingMode.ALWAYS
    assert config.authorization_required is False

    driveway = await client.fetch_state(DRIVEWAY_CHARGER_ID)
    assert op_mode(driveway) is ChargerOpMode.DISCONNECTED
    assert driveway.reason_for_no_current is EaseeReasonForNoCurrent.NOT_REQUESTING_CURRENT
    assert driveway.pilot_mode is EaseePilotMode.CAR_DISCONNECTED
    assert driveway.output_phase is EaseeOutputPhase.UNASSIGNED
    assert driveway.total_power == 0
    assert driveway.smart_charging is True
    assert driveway.led_mode is EaseeLedMode.STANDBY_MASTER


async def test_fetch_charger_raises_the_first_typed_error(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    garage = (await client.fetch_sites())[0].chargers[0]
    sim.state.faults.add(Fault.http_status(503, operation_name="easee.config"))
    with pytest.raises(EaseeServerError):
        await client.fetch_charger(garage)


@pytest.mark.parametrize("mode", list(EaseeOpMode), ids=lambda mode: f"{mode.value}-{mode.key}")
async def test_every_op_mode_maps(
    client: EaseeClient, sim: RunningSimulator, mode: EaseeOpMode
) -> None:
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    charger.reported_op_mode = int(mode)
    charger.settle()
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert state.op_mode_code == int(mode)
    assert state.easee_op_mode is mode
    assert op_mode(state) is OP_MODE_CANONICAL[mode]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (1, ChargerOpMode.DISCONNECTED),
        (2, ChargerOpMode.AWAITING_START),
        (3, ChargerOpMode.CHARGING),
        (4, ChargerOpMode.COMPLETED),
        (5, ChargerOpMode.ERROR),
        (6, ChargerOpMode.READY_TO_CHARGE),
        (7, ChargerOpMode.AWAITING_START),
        (8, ChargerOpMode.COMPLETED),
        (0, None),
        (102, None),
        (105, ChargerOpMode.AWAITING_START),
        (157, ChargerOpMode.ERROR),
    ],
)
async def test_op_mode_mapping_of_documented_codes(
    client: EaseeClient, sim: RunningSimulator, code: int, expected: ChargerOpMode | None
) -> None:
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    charger.reported_op_mode = code
    charger.settle()
    assert op_mode(await client.fetch_state(GARAGE_CHARGER_ID)) is expected


async def test_unknown_codes_are_none_and_logged_once(
    client: EaseeClient, sim: RunningSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    charger.reported_op_mode = 250
    charger.reported_reason = 99
    charger.settle()
    for _ in range(2):
        state = await client.fetch_state(GARAGE_CHARGER_ID)
        assert state.op_mode_code == 250
        assert op_mode(state) is None
        assert state.easee_op_mode is None
        assert state.reason_for_no_current_code == 99
        assert state.reason_for_no_current is None
    assert caplog.text.count("unknown EaseeOpMode code 250") == 1
    assert caplog.text.count("unknown EaseeReasonForNoCurrent code 99") == 1


# --- commands -----------------------------------------------------------------------------------


async def test_start_without_car_is_refused_with_reason(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    with pytest.raises(EaseeCommandError) as caught:
        await client.start_charging(DRIVEWAY_CHARGER_ID)
    error = caught.value
    assert error.status == 400
    assert error.code == 710
    assert error.code_name == "CarNotConnected"
    assert error.reason == "No car is connected to the charger"
    assert "No car is connected to the charger" in str(error)
    assert sim.state.easee.charger(DRIVEWAY_CHARGER_ID).op_mode == 1
    assert sim.state.easee.commands == []


async def test_pause_resume_stop_start(client: EaseeClient, sim: RunningSimulator) -> None:
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)

    receipt = await client.pause_charging(GARAGE_CHARGER_ID)
    assert receipt.charger_id == GARAGE_CHARGER_ID
    assert receipt.command_id == sim.state.easee.commands[-1].command_id
    assert receipt.ticks is not None
    assert charger.dynamic_charger_current == 0
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.AWAITING_START
    assert (
        state.reason_for_no_current is EaseeReasonForNoCurrent.MAX_DYNAMIC_CHARGER_CURRENT_TOO_LOW
    )
    assert state.total_power == 0

    await client.resume_charging(GARAGE_CHARGER_ID)
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.CHARGING
    assert state.dynamic_charger_current == 32
    assert state.reason_for_no_current is EaseeReasonForNoCurrent.OK
    assert state.total_power == pytest.approx(22.08)

    await client.stop_charging(GARAGE_CHARGER_ID)
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.COMPLETED
    assert state.total_power == 0

    await client.start_charging(GARAGE_CHARGER_ID)
    assert op_mode(await client.fetch_state(GARAGE_CHARGER_ID)) is ChargerOpMode.CHARGING
    assert [c.command for c in sim.state.easee.commands] == [
        "pause_charging",
        "resume_charging",
        "stop_charging",
        "start_charging",
    ]


async def test_start_after_plug_in(client: EaseeClient, sim: RunningSimulator) -> None:
    charger = sim.state.easee.charger(DRIVEWAY_CHARGER_ID)
    charger.authorization_required = True
    charger.plug_in(10.0)
    state = await client.fetch_state(DRIVEWAY_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.AWAITING_START
    assert state.reason_for_no_current is EaseeReasonForNoCurrent.PENDING_AUTHORIZATION
    assert state.led_mode is EaseeLedMode.WAITING_FOR_AUTHORIZATION
    await client.start_charging(DRIVEWAY_CHARGER_ID)
    state = await client.fetch_state(DRIVEWAY_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.CHARGING
    assert state.led_mode is EaseeLedMode.SMART_MODE_CHARGING


async def test_pause_when_not_charging_is_refused(client: EaseeClient) -> None:
    await client.stop_charging(GARAGE_CHARGER_ID)
    with pytest.raises(EaseeCommandError) as caught:
        await client.pause_charging(GARAGE_CHARGER_ID)
    assert caught.value.code_name == "NotCharging"


async def test_commands_to_an_offline_charger_are_refused(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    sim.state.easee.charger(GARAGE_CHARGER_ID).online = False
    with pytest.raises(EaseeCommandError) as caught:
        await client.stop_charging(GARAGE_CHARGER_ID)
    assert caught.value.reason == "The charger is offline"
    with pytest.raises(EaseeCommandError):
        await client.set_smart_charging(GARAGE_CHARGER_ID, True)


async def test_command_server_error(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.http_status(502, operation_name="easee.start_charging"))
    with pytest.raises(EaseeServerError):
        await client.start_charging(GARAGE_CHARGER_ID)


# --- settings -----------------------------------------------------------------------------------


async def test_settings_change_the_charger(client: EaseeClient, sim: RunningSimulator) -> None:
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)

    await client.set_dynamic_charger_current(GARAGE_CHARGER_ID, 10)
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert state.dynamic_charger_current == 10
    assert state.output_current == 10
    assert state.total_power == pytest.approx(6.9)

    await client.set_max_charger_current(GARAGE_CHARGER_ID, 8)
    assert (await client.fetch_config(GARAGE_CHARGER_ID)).max_charger_current == 8
    assert (await client.fetch_state(GARAGE_CHARGER_ID)).output_current == 8

    await client.set_phase_mode(GARAGE_CHARGER_ID, EaseePhaseMode.LOCKED_TO_SINGLE_PHASE)
    config = await client.fetch_config(GARAGE_CHARGER_ID)
    assert config.phase_mode is EaseePhaseMode.LOCKED_TO_SINGLE_PHASE
    assert config.limit_to_single_phase_charging is True
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert state.output_phase is EaseeOutputPhase.P1_T2_T3_TN
    assert state.total_power == pytest.approx(1.84)

    await client.set_smart_charging(GARAGE_CHARGER_ID, True)
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert state.smart_charging is True
    assert state.led_mode is EaseeLedMode.SMART_MODE_CHARGING

    await client.set_charging_enabled(GARAGE_CHARGER_ID, False)
    assert (await client.fetch_config(GARAGE_CHARGER_ID)).enabled is False
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.AWAITING_START
    assert state.reason_for_no_current is EaseeReasonForNoCurrent.CHARGER_DISABLED
    assert state.led_mode is EaseeLedMode.DISABLED
    with pytest.raises(EaseeCommandError) as caught:
        await client.start_charging(GARAGE_CHARGER_ID)
    assert caught.value.code_name == "ChargerDisabled"

    assert [c.body for c in sim.state.easee.commands] == [
        {"dynamicChargerCurrent": 10},
        {"maxChargerCurrent": 8},
        {"phaseMode": 1},
        {"smartCharging": True},
        {"enabled": False},
    ]
    assert charger.enabled is False


async def test_several_settings_in_one_request(client: EaseeClient, sim: RunningSimulator) -> None:
    await client.authenticate()
    receipt = await client.set_settings(
        GARAGE_CHARGER_ID, max_charger_current=20, dynamic_charger_current=20, phase_mode=3
    )
    assert receipt.command_id == sim.state.easee.commands[-1].command_id
    assert _count(sim, "settings") == 1
    charger = sim.state.easee.charger(GARAGE_CHARGER_ID)
    assert (charger.max_charger_current, charger.dynamic_charger_current) == (20, 20)
    assert charger.phase_mode == 3
    with pytest.raises(ValueError, match="at least one"):
        await client.set_settings(GARAGE_CHARGER_ID)


async def test_invalid_setting_is_refused_with_reason(
    client: EaseeClient, sim: RunningSimulator
) -> None:
    with pytest.raises(EaseeCommandError) as caught:
        await client.set_max_charger_current(GARAGE_CHARGER_ID, 40)
    assert caught.value.code_name == "InvalidSettingValue"
    assert caught.value.reason == "maxChargerCurrent must be between 0 and 32 A"
    assert sim.state.easee.charger(GARAGE_CHARGER_ID).max_charger_current == 32


# --- details ------------------------------------------------------------------------------------


def test_client_properties(session: aiohttp.ClientSession) -> None:
    client = EaseeClient(session, "me@example.com", "pw", base_url="http://127.0.0.1:9/")
    assert client.base_url == "http://127.0.0.1:9"
    assert client.username == "me@example.com"
    assert EaseeClient(session, "me@example.com", "pw").base_url == "https://api.easee.com"


def test_retry_after_forms() -> None:
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("30") == 30
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    seconds = retry_after_seconds(later)
    assert seconds is not None
    assert 100 < seconds <= 120
    assert retry_after_seconds("soon") is None


def test_error_details_of_odd_bodies() -> None:
    assert _error_details("[1, 2]") == (None, None, None)
    assert _error_details("<html>") == (None, None, None)
    assert _error_details('{"errorCode": true, "detail": "why"}') == (None, None, "why")


async def test_refusal_without_an_easee_body(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.http_status(409, operation_name="easee.settings"))
    with pytest.raises(EaseeCommandError) as caught:
        await client.set_smart_charging(GARAGE_CHARGER_ID, True)
    assert (caught.value.status, caught.value.code, caught.value.reason) == (409, None, None)


async def test_unexpected_status(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.http_status(304, path=STATE_PATH))
    with pytest.raises(EaseeApiError, match="unexpected HTTP status 304"):
        await client.fetch_state(GARAGE_CHARGER_ID)


async def test_empty_command_response(client: EaseeClient, sim: RunningSimulator) -> None:
    sim.state.faults.add(Fault.malformed("", operation_name="easee.stop_charging"))
    receipt = await client.stop_charging(GARAGE_CHARGER_ID)
    assert (receipt.charger_id, receipt.command_id) == (GARAGE_CHARGER_ID, None)


async def test_sign_in_without_refresh_token(client: EaseeClient, sim: RunningSimulator) -> None:
    # A token the server does not know, without lifetime or refresh token: the client signs in
    # again after the 401 instead of refreshing.
    sim.state.faults.add(
        Fault.wrong_shape({"accessToken": "unknown"}, operation_name="easee.login")
    )
    state = await client.fetch_state(GARAGE_CHARGER_ID)
    assert op_mode(state) is ChargerOpMode.CHARGING
    assert _count(sim, "login") == 2
    assert _count(sim, "refresh_token") == 0
