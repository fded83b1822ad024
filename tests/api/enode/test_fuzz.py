"""Property-based fuzzing of every Enode parser entry point.

Each entry point gets arbitrary JSON-like values (None, booleans, integers up to far beyond a
float, floats including NaN and the infinities, strings including numeric ones, and lists and
objects of them), and objects shaped like the simulator household's with fields mutated,
dropped, nulled or swapped for another type. The property: a parser returns its model or
raises an EnodeError (EnodeParseError for the strict ones); nothing else escapes, and every
float in a returned model is finite. The lenient readers (Problem bodies, OAuth errors) never
raise at all, and a non-2xx answer always becomes a typed EnodeError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
import copy
import dataclasses
from datetime import UTC, datetime
import json
import math
from typing import Any, cast

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.kraken_energy.api.enode import (
    EnodeClient,
    EnodeError,
    EnodeParseError,
    EnodeRateLimitError,
    parsers,
)
from custom_components.kraken_energy.api.enode.models import (
    AccessToken,
    Action,
    ActionTargetType,
    Battery,
    Capability,
    Charger,
    Hvac,
    Intervention,
    Inverter,
    LinkSession,
    Meter,
    Page,
    Problem,
    SmartChargingPolicy,
    SmartOverride,
    Vehicle,
)
from custom_components.kraken_energy.api.enode.parsers import (
    parse_action,
    parse_battery,
    parse_capability,
    parse_charger,
    parse_hvac,
    parse_intervention,
    parse_interventions,
    parse_inverter,
    parse_link_session,
    parse_meter,
    parse_oauth_error,
    parse_page,
    parse_problem,
    parse_smart_charging_policy,
    parse_smart_override,
    parse_token,
    parse_vehicle,
)
from custom_components.kraken_energy.providers.enode.readings import (
    battery_status_of,
    device_readings,
    op_mode,
)
from simulator.enode.state import (
    MAX_CURRENT_INTERVENTION_ID,
    VEHICLE_ID,
    ActionOutcome,
    EnodeState,
    SimSmartOverride,
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
LARGEST_INT = 2**53


@pytest.fixture(autouse=True)
def _forget_fuzzed_enum_values() -> Iterator[None]:
    """Unknown enum values are logged once per process; fuzzing must not use that up."""
    remembered = set(parsers._UNKNOWN_LOGGED)
    yield
    parsers._UNKNOWN_LOGGED.clear()
    parsers._UNKNOWN_LOGGED.update(remembered)


# --- the household, as the simulator serves it -------------------------------------------------


def _household() -> dict[str, Any]:
    state = EnodeState(action_delay=0)
    now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    devices = {
        kind: next(iter(getattr(state, kind).values())).to_json(now)
        for kind in ("vehicles", "chargers", "hvacs", "batteries", "inverters", "meters")
    }
    vehicle = state.vehicles[VEHICLE_ID]
    state.queue_action_outcomes(ActionOutcome.failed())
    action = state.create_action(
        user_id=vehicle.user_id,
        target_id=vehicle.id,
        target_type="vehicle",
        shape="charge",
        payload={"kind": "START"},
        apply=lambda: None,
    )
    override = SimSmartOverride(
        target_id=vehicle.id,
        user_id=vehicle.user_id,
        vendor=vehicle.vendor,
        created_at=now,
        vendor_action_id=action.id,
    )
    interventions = [item.to_json("de-DE") for item in state.interventions.values()]
    return {
        **devices,
        "capability": vehicle.capabilities["setMaxCurrent"],
        "policy": vehicle.policy_json(),
        "action": action.to_json(),
        "override": override.to_json(),
        "link": {"linkUrl": "https://link.enode.com/abc", "linkToken": "abc"},
        "intervention": state.interventions[MAX_CURRENT_INTERVENTION_ID].to_json("en-GB"),
        "interventions": interventions,
        "page": {
            "data": [devices["vehicles"]],
            "pagination": {"after": "aWR4OjE=", "before": None},
        },
        "problem": {
            "type": "https://developers.enode.com/api/problems/forbidden",
            "title": "Forbidden",
            "detail": "Missing scope hvac:read:data.",
            "issues": [{"path": ["scopes"], "message": "hvac:read:data"}],
        },
        "oauth": {"error": "invalid_client", "error_description": "Client authentication failed."},
        "token": {"access_token": "abc.def", "token_type": "bearer", "expires_in": 3600},
    }


HOUSEHOLD = _household()


def _keys(value: Any, into: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            into.add(key)
            _keys(item, into)
    elif isinstance(value, list):
        for item in value:
            _keys(item, into)
    return into


# Real field names, so arbitrary objects hit the parsers' fields and not only unknown keys.
KEYS = sorted(_keys(HOUSEHOLD, set()))

# --- strategies ----------------------------------------------------------------------------------

ODD_NUMBERS = [
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -0.0,
    5e-324,
    1.5,
    2**53 + 1,
    2**63,
    -(2**63),
    10**400,
    -(10**400),
]
# Integers beyond what str() and repr() convert (built lazily: hypothesis reprs its strategies).
HUGE_INTS = st.integers(min_value=4400, max_value=5000).map(lambda digits: 10**digits)
ODD_STRINGS = [
    "",
    " ",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999",
    "-1e999",
    "1e-999",
    "42",
    "3.5",
    "0x1F",
    "1_000",
    "true",
    "FALSE",
    "null",
    "07:00",
    "25:61",
    "2025-01-01T00:00:00Z",
    "2025-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    "PLUGGED_IN:CHARGING",
    "HEAT",
    "CONFIRMED",
    "vehicle",
    "hvac:read:data",
    "line\r\nbreak",
    "\x00",
    "\ud800",
    "é" * 3,
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(ODD_NUMBERS)
    | HUGE_INTS
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(ODD_STRINGS)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=25,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location inside a JSON document (the root excluded)."""
    found: list[tuple[Any, ...]] = []
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        found.append((*prefix, key))
        found.extend(_paths(item, (*prefix, key)))
    return found


def _short_text(value: Any) -> str:
    """str() of a value, or a stand-in for an integer too long for str()."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**1000:
        return "1e5000"
    return str(value) if not isinstance(value, dict | list) else type(value).__name__


def _swapped(value: Any) -> list[Any]:
    """The same value in other JSON types."""
    if isinstance(value, bool):
        return [str(value).lower(), int(value), [value], "yes"]
    if isinstance(value, int | float):
        text = str(value) if abs(value) < 10**1000 else "1e5000"
        return [text, [value], {"value": value}, bool(value), None]
    if isinstance(value, str):
        return [0, 1.5, [value], {"value": value}, True, value + "x", value.upper()]
    if isinstance(value, list):
        return [{}, dict(enumerate(map(_short_text, value))), value[:1] * 3, "list", None]
    if isinstance(value, dict):
        return [list(value.values()), [], "object", 0, None]
    return [0, "", [], {}, False]


NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, 10**400, -(10**400)]) | HUGE_INTS
OPERATIONS = ["drop", "null", "replace", "swap", "odd", "non-finite", "non-finite"]


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


@st.composite
def mutated(draw: st.DrawFn, name: str) -> Any:
    """A household object with a few fields dropped, nulled, replaced or type-swapped.

    "non-finite" puts NaN, an infinity or a huge number into a field that holds a number,
    so that the readers of every numeric field are exercised often.
    """
    document = copy.deepcopy(HOUSEHOLD[name])
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(document)
        if not paths:
            break
        operation = draw(st.sampled_from(OPERATIONS))
        if operation == "non-finite":
            numeric = [
                path
                for path in paths
                if isinstance(_at(document, path), int | float)
                and not isinstance(_at(document, path), bool)
            ]
            if numeric:
                path = draw(st.sampled_from(numeric))
                _at(document, path[:-1])[path[-1]] = draw(NON_FINITE)
                continue
            operation = "odd"
        path = draw(st.sampled_from(paths))
        parent = _at(document, path[:-1])
        key = path[-1]
        if operation == "drop":
            del parent[key]
        elif operation == "null":
            parent[key] = None
        elif operation == "replace":
            parent[key] = draw(json_values)
        elif operation == "swap":
            options = _swapped(parent[key])
            parent[key] = options[draw(st.integers(min_value=0, max_value=len(options) - 1))]
        else:
            parent[key] = draw(st.sampled_from(ODD_NUMBERS + ODD_STRINGS))
    return document


def inputs(name: str) -> st.SearchStrategy[Any]:
    """Arbitrary JSON-like values, or the household's `name` object mutated."""
    return json_values | mutated(name)


# --- the property --------------------------------------------------------------------------------


def assert_finite(value: Any, path: str = "model") -> None:
    """Every float in the model is finite, and every int a plausible whole number."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, float):
        assert math.isfinite(value), path
    elif isinstance(value, int):
        assert abs(value) <= LARGEST_INT, path
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            assert_finite(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            assert_finite(item, f"{path}[{key!r}]")
    elif isinstance(value, tuple | list | frozenset | set):
        for index, item in enumerate(value):
            assert_finite(item, f"{path}[{index}]")


def check[T](parse: Callable[[Any], T], value: Any, model: type | tuple[type, ...]) -> T | None:
    """Parse; a model with finite numbers, or an EnodeError, and nothing else."""
    try:
        parsed = parse(value)
    except EnodeError:
        return None
    assert isinstance(parsed, model)
    assert_finite(parsed)
    return parsed


def _device_views(device: Any) -> None:
    """What the integration reads off a device never raises either."""
    readings = device_readings(device)
    assert_finite(readings)
    if isinstance(device, Vehicle | Charger):
        op_mode(device)
    if isinstance(device, Battery):
        battery_status_of(device)


DEVICE_PARSERS: dict[str, tuple[Callable[..., Any], type]] = {
    "vehicles": (parse_vehicle, Vehicle),
    "chargers": (parse_charger, Charger),
    "hvacs": (parse_hvac, Hvac),
    "batteries": (parse_battery, Battery),
    "inverters": (parse_inverter, Inverter),
    "meters": (parse_meter, Meter),
}


@pytest.mark.parametrize("kind", list(DEVICE_PARSERS))
@FUZZ
@given(data=st.data())
def test_device_parsers(kind: str, data: st.DataObject) -> None:
    parse, model = DEVICE_PARSERS[kind]
    device = check(lambda value: parse(value, kind), data.draw(inputs(kind)), model)
    if device is not None:
        _device_views(device)


@FUZZ
@given(value=inputs("capability"))
def test_parse_capability(value: Any) -> None:
    check(lambda v: parse_capability(v, "capability"), value, Capability)


@FUZZ
@given(value=inputs("policy"))
def test_parse_smart_charging_policy(value: Any) -> None:
    check(
        lambda v: parse_smart_charging_policy(v, "policy"),
        value,
        (SmartChargingPolicy, type(None)),
    )


@FUZZ
@given(target=st.sampled_from(list(ActionTargetType)), value=inputs("action"))
def test_parse_action(target: ActionTargetType, value: Any) -> None:
    action = check(lambda v: parse_action(v, target, "action"), value, Action)
    if action is not None:
        assert isinstance(action.is_pending, bool)


@FUZZ
@given(value=inputs("override"))
def test_parse_smart_override(value: Any) -> None:
    override = check(lambda v: parse_smart_override(v, "override"), value, SmartOverride)
    if override is not None:
        assert isinstance(override.is_active, bool)


@FUZZ
@given(value=inputs("link"))
def test_parse_link_session(value: Any) -> None:
    check(lambda v: parse_link_session(v, "link"), value, LinkSession)


@FUZZ
@given(value=inputs("intervention"))
def test_parse_intervention(value: Any) -> None:
    check(lambda v: parse_intervention(v, "intervention"), value, Intervention)


@FUZZ
@given(value=inputs("interventions"))
def test_parse_interventions(value: Any) -> None:
    check(lambda v: parse_interventions(v, "interventions"), value, tuple)


@FUZZ
@given(kind=st.sampled_from(list(DEVICE_PARSERS)), data=st.data())
def test_parse_page(kind: str, data: st.DataObject) -> None:
    parse, model = DEVICE_PARSERS[kind]
    page_shape = {"data": [HOUSEHOLD[kind]], "pagination": {"after": None, "before": None}}
    value = data.draw(json_values | mutated("page") | st.just(page_shape).flatmap(_mutate_page))
    page = check(lambda v: parse_page(v, "page", parse), value, Page)
    if page is not None:
        assert all(isinstance(item, model) for item in page.items)
        assert page.after is None or (isinstance(page.after, str) and page.after)


def _mutate_page(page: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A valid page of one kind, with its pagination or its data mutated."""
    return st.sampled_from(
        [
            page,
            {**page, "pagination": {"after": "", "before": None}},
            {"data": page["data"]},
            {**page, "data": None},
            {**page, "pagination": {"after": 5, "before": None}},
            {**page, "data": [*page["data"], None]},
        ]
    )


def test_page_parse_examples() -> None:
    # A page of the simulator's household parses; the required parts cannot be missing.
    page = parse_page(HOUSEHOLD["page"], "page", parse_vehicle)
    assert [item.id for item in page.items] == [VEHICLE_ID]
    assert page.after == "aWR4OjE="
    broken_pages: list[dict[str, Any]] = [
        {"data": []},
        {"data": [], "pagination": {}},
        {"pagination": {"after": None}},
    ]
    for broken in broken_pages:
        with pytest.raises(EnodeParseError):
            parse_page(broken, "page", parse_vehicle)


@FUZZ
@given(value=inputs("problem"))
def test_parse_problem_never_raises(value: Any) -> None:
    problem = parse_problem(value)
    assert isinstance(problem, Problem)
    for text in (problem.type, problem.title, problem.detail, problem.missing_scope):
        assert text is None or (isinstance(text, str) and text)


@FUZZ
@given(value=inputs("oauth"))
def test_parse_oauth_error_never_raises(value: Any) -> None:
    error = parse_oauth_error(value)
    assert error is None or (isinstance(error, str) and error)


@FUZZ
@given(value=inputs("token"))
def test_parse_token(value: Any) -> None:
    token = check(lambda v: parse_token(v, "token"), value, AccessToken)
    if token is not None:
        assert token.value
        assert token.value.isprintable()
        assert token.expires_in is None or token.expires_in >= 0
        assert token.value not in repr(token)


# A client whose error mapping is fuzzed directly (it never sends a request here).
_CLIENT = EnodeClient(cast("aiohttp.ClientSession", None), "client-id", "client-secret-value")


def _dumps(value: Any) -> str:
    """JSON text of a value; an integer too long for str() becomes its digits' count of 9s."""
    try:
        return json.dumps(value)
    except ValueError:
        return "9" * 5000  # what such a server would send; the client reads it as not JSON


bodies = (
    json_values.map(_dumps)
    | mutated("problem").map(_dumps)
    | mutated("action").map(_dumps)
    | st.text(max_size=60)
    | st.binary(max_size=60).map(lambda raw: raw.decode("latin-1"))
)


@FUZZ
@given(
    status=st.integers(min_value=300, max_value=599),
    body=bodies,
    retry_after=st.none() | st.sampled_from(ODD_STRINGS) | st.text(max_size=30),
)
def test_error_answers_always_become_typed_errors(
    status: int, body: str, retry_after: str | None
) -> None:
    with pytest.raises(EnodeError) as caught:
        _CLIENT._raise_for_status("operation", status, body, retry_after)
    error = caught.value
    assert str(error).startswith("operation: ")
    assert "client-secret-value" not in str(error)
    if isinstance(error, EnodeRateLimitError):
        assert error.retry_after is None or 0 <= error.retry_after <= 3600
