"""The stream's observations (parsed, applied through the seed-004 enums, fuzzed) and the
stream client against the simulator's hub over real loopback websockets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import dataclasses
import logging
import math
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.kraken_energy.api.easee import (
    EaseeCharger,
    EaseeClient,
    EaseeOpMode,
    EaseePhaseMode,
    EaseeReasonForNoCurrent,
    enums,
)
from custom_components.kraken_energy.api.easee.observations import (
    EaseeObservation,
    EaseeObservationId,
    apply_observation,
    parse_observation,
)
from custom_components.kraken_energy.api.easee.parsers import parse_config, parse_state
from custom_components.kraken_energy.api.easee.stream import (
    EASEE_STREAM_URL,
    EaseeStream,
    stream_url,
)
from simulator.app import RunningSimulator
from simulator.easee import EASEE_USERNAME, GARAGE_CHARGER_ID
from simulator.easee.hub import HUB_KEY, observations
from simulator.easee.routes import config_json, state_json


@pytest.fixture(autouse=True, scope="module")
def _forget_logged_codes() -> Iterator[None]:
    """Unknown codes logged here are forgotten again: other tests count log lines."""
    logged = set(enums._UNKNOWN_LOGGED)
    yield
    enums._UNKNOWN_LOGGED.clear()
    enums._UNKNOWN_LOGGED.update(logged)


def _garage(sim: RunningSimulator) -> EaseeCharger:
    charger = sim.state.easee.chargers[GARAGE_CHARGER_ID]
    return EaseeCharger(
        charger_id=GARAGE_CHARGER_ID,
        name="Garage",
        site_id=None,
        site_name=None,
        circuit_id=None,
        product_code=None,
        model=None,
        level_of_access=None,
        state=parse_state(state_json(charger)),
        config=parse_config(config_json(charger)),
    )


def _observed(observation_id: int, value: Any, data_type: int = 4) -> EaseeObservation | None:
    return parse_observation(
        {
            "mid": GARAGE_CHARGER_ID,
            "dataType": data_type,
            "id": observation_id,
            "timestamp": "2026-11-23T10:10:00.123Z",
            "value": value,
        }
    )


def test_stream_url_follows_the_api_host() -> None:
    assert stream_url("https://api.easee.com") == EASEE_STREAM_URL
    assert stream_url("http://127.0.0.1:8123/") == "http://127.0.0.1:8123/hubs/chargers"


def test_observations_map_through_the_same_enums_as_the_poll(sim: RunningSimulator) -> None:
    """Replaying a charger's streamed observations gives the state the poll reads."""
    charger = sim.state.easee.chargers[GARAGE_CHARGER_ID]
    polled = _garage(sim)
    charger.phase_mode = 1
    charger.fail()
    truth = parse_state(state_json(charger))
    streamed = polled
    for observation_id, (data_type, value) in observations(charger).items():
        observation = _observed(observation_id, value, data_type)
        assert observation is not None
        streamed = apply_observation(streamed, observation)
    assert streamed.state is not None
    for field in ("easee_op_mode", "reason_for_no_current", "pilot_mode", "output_phase"):
        assert getattr(streamed.state, field) == getattr(truth, field)
    assert streamed.state.easee_op_mode is EaseeOpMode.ERROR
    assert streamed.state.total_power == 0.0
    assert streamed.config is not None
    assert streamed.config.phase_mode is EaseePhaseMode.LOCKED_TO_SINGLE_PHASE


@pytest.mark.parametrize(
    ("observation_id", "value", "field", "expected"),
    [
        (109, "3", "easee_op_mode", EaseeOpMode.CHARGING),
        (109, "105", "easee_op_mode", EaseeOpMode.AWAITING_SMART_START),
        (109, "42", "easee_op_mode", None),  # a code added later: unknown, raw code kept
        (96, "52", "reason_for_no_current", EaseeReasonForNoCurrent(52)),
        (120, "7.36", "total_power", 7.36),
        (103, "0", "cable_locked", False),
        (102, "True", "smart_charging", True),
        (250, "0", "online", False),
        (100, "b", "pilot_mode_code", "b"),
    ],
)
def test_one_observation_changes_one_reading(
    sim: RunningSimulator, observation_id: int, value: str, field: str, expected: Any
) -> None:
    observation = _observed(observation_id, value)
    assert observation is not None
    updated = apply_observation(_garage(sim), observation)
    assert updated.state is not None
    assert getattr(updated.state, field) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        "109",
        {"mid": GARAGE_CHARGER_ID, "id": 109},
        {"mid": GARAGE_CHARGER_ID, "id": 157, "value": "1"},  # an id the integration skips
        {"mid": GARAGE_CHARGER_ID, "id": True, "value": "1"},
        {"mid": "", "id": 109, "value": "1"},
        {"mid": GARAGE_CHARGER_ID, "id": 109, "value": "3.5"},
        {"mid": GARAGE_CHARGER_ID, "id": 109, "value": {"nested": 1}},
        {"mid": GARAGE_CHARGER_ID, "id": 120, "value": "NaN"},
        {"mid": GARAGE_CHARGER_ID, "id": 120, "value": "1" * 400},
        {"mid": GARAGE_CHARGER_ID, "id": 103, "value": "maybe"},
        {"mid": GARAGE_CHARGER_ID, "id": 100, "value": "AB"},
    ],
)
def test_unreadable_observations_are_none(raw: Any) -> None:
    assert parse_observation(raw) is None


def test_a_charger_never_read_waits_for_the_poll(sim: RunningSimulator) -> None:
    blank = dataclasses.replace(_garage(sim), state=None, config=None)
    for observation_id in (109, 38):
        observation = _observed(observation_id, "1")
        assert observation is not None
        assert apply_observation(blank, observation) is blank


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.sampled_from(["1", "0", "true", "A", "C", "3", "1e999", "-0", " 16.0 ", "nan"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
_OBSERVATIONS = st.fixed_dictionaries(
    {
        "mid": st.one_of(st.just(GARAGE_CHARGER_ID), st.text(max_size=10), st.integers()),
        "id": st.one_of(st.sampled_from(list(EaseeObservationId)), st.integers(), st.text()),
        "value": _VALUES,
    },
    optional={"dataType": _VALUES, "timestamp": _VALUES},
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(_OBSERVATIONS, _VALUES))
def test_fuzzed_observations_never_raise_and_stay_finite(sim: RunningSimulator, raw: Any) -> None:
    """Anything the hub might send: None or an observation; applying it keeps floats finite."""
    observation = parse_observation(raw)
    if observation is None:
        return
    updated = apply_observation(_garage(sim), observation)
    for part in (updated.state, updated.config):
        for value in dataclasses.asdict(part).values() if part else ():
            assert not isinstance(value, float) or math.isfinite(value)


async def _until(condition: Callable[[], bool], turns: int = 5000) -> None:
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never came true")


async def test_the_client_subscribes_replays_and_reports_a_drop(
    sim: RunningSimulator, client: EaseeClient
) -> None:
    sim.state.easee.stream = True
    received: list[EaseeObservation] = []
    events: list[str] = []
    stream = EaseeStream(
        client,
        [GARAGE_CHARGER_ID],
        on_observation=received.append,
        on_connected=lambda: events.append("up"),
        on_disconnected=lambda: events.append("down"),
        jitter=lambda: 0.0,
    )
    stream.start()
    try:
        await stream.wait_first_attempt()
        assert stream.connected
        # The whole current state of the one subscribed charger, nothing of the other.
        await _until(
            lambda: len(received) >= len(observations(sim.state.easee.chargers[GARAGE_CHARGER_ID]))
        )
        assert {observation.charger_id for observation in received} == {GARAGE_CHARGER_ID}
        assert await sim.app[HUB_KEY].drop() == 1
        await _until(lambda: stream.waiting is not None)
        assert events == ["up", "down"]
        assert stream.waiting == 30.0
        assert stream.stats.failed_attempts == 1
    finally:
        await stream.close()
    assert not stream.connected


async def test_a_refused_token_is_renewed_for_the_next_attempt(
    sim: RunningSimulator, client: EaseeClient
) -> None:
    sim.state.easee.stream = True
    first = await client.access_token()
    sim.state.easee.access_tokens.clear()  # Easee no longer knows the token
    stream = EaseeStream(client, [GARAGE_CHARGER_ID], on_observation=lambda _o: None)
    stream.start()
    try:
        await stream.wait_first_attempt()
        assert not stream.connected
        assert stream.stats.last_error == "EaseeAuthError"
        assert await client.access_token() != first
    finally:
        await stream.close()


async def test_refused_credentials_stop_the_stream_trying(
    sim: RunningSimulator, session: aiohttp.ClientSession
) -> None:
    """A wrong password is not tried again every few minutes (reauthentication takes over)."""
    sim.state.easee.stream = True
    client = EaseeClient(session, EASEE_USERNAME, "wrong", base_url=sim.easee_url)
    stream = EaseeStream(client, [GARAGE_CHARGER_ID], on_observation=lambda _o: None)
    stream.start()
    try:
        await stream.wait_first_attempt()
        await _until(lambda: stream._task is not None and stream._task.done())
        assert stream.stats.last_error == "EaseeAuthError"
        assert sim.state.requests.count(path="/hubs/") == 0
    finally:
        await stream.close()


def test_the_hub_libraries_log_no_bearer_token(caplog: pytest.LogCaptureFixture) -> None:
    """pysignalr logs its request headers at debug: the token is masked, other lines kept, and
    a malformed record is passed on untouched for the handler to report."""
    caplog.set_level(logging.DEBUG, logger="pysignalr")
    transport = logging.getLogger("pysignalr.transport")
    transport.debug("headers: %s", {"Authorization": "Bearer abc.def.ghi"})
    transport.debug("State change: %s -> %s", "CONNECTING", "CONNECTED")
    record = logging.LogRecord(
        "pysignalr.transport", logging.DEBUG, __file__, 1, "two %s %s", ("one",), None
    )
    assert transport.filter(record)
    assert record.msg == "two %s %s"
    assert "abc.def.ghi" not in caplog.text
    assert "Bearer <redacted>" in caplog.text
    assert "CONNECTING -> CONNECTED" in caplog.text
