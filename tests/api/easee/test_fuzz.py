"""Fuzzing every Easee parser entry point with hypothesis.

Two kinds of input: arbitrary JSON-like values (None, booleans, integers up to thousands of
digits, floats with NaN and infinities, strings including numeric and date-like ones, lists,
objects with Easee's own keys among random ones), and the simulator's real answers with
fields dropped, nulled, replaced, made non-finite or swapped to another type.

The property: a parser returns a model or raises EaseeError (EaseeParseError in practice),
never anything else, and every float in a returned model is finite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import copy
import dataclasses
from datetime import datetime
import enum
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.kraken_energy.api.easee import (
    EaseeCharger,
    EaseeChargerState,
    EaseeError,
    enums,
)
from custom_components.kraken_energy.api.easee.client import _error_details, _loads
from custom_components.kraken_energy.api.easee.parsers import (
    TokenGrant,
    parse_charger,
    parse_chargers,
    parse_command_result,
    parse_config,
    parse_site,
    parse_sites,
    parse_state,
    parse_token,
)
from custom_components.kraken_energy.providers.easee.readings import charger_readings
from custom_components.kraken_energy.readings import Readings
from simulator.easee import EASEE_PASSWORD, EASEE_USERNAME, GARAGE_CHARGER_ID, EaseeState
from simulator.easee.routes import charger_json, config_json, site_json, state_json


@pytest.fixture(autouse=True, scope="module")
def _forget_logged_codes() -> Iterator[None]:
    """The codes fuzzing logs as unknown are forgotten again: other tests count log lines."""
    logged = set(enums._UNKNOWN_LOGGED)
    yield
    enums._UNKNOWN_LOGGED.clear()
    enums._UNKNOWN_LOGGED.update(logged)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Integers no float holds, some too long to even print (Python refuses past 4300 digits).
# Drawn by exponent: hypothesis prints a strategy's elements, which such an int cannot be.
huge_ints = st.sampled_from([53, 63, 64, 400, 5000]).flatmap(
    lambda exponent: (
        st.sampled_from([2**exponent + 1, -(2**exponent)])
        if exponent < 400
        else st.sampled_from([exponent]).map(lambda e: 10**e)
    )
)
NON_FINITE_SCALARS: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    1e308 * 10,
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999",
    "-1e999",
]
non_finite = st.one_of(st.sampled_from(NON_FINITE_SCALARS), huge_ints)
ODD_STRINGS = [
    "",
    " ",
    "3",
    "3.0",
    "3.5",
    "-0",
    "0x10",
    "1_000",
    "true",
    "false",
    "TRUE",
    "yes",
    "A",
    "c",
    "F",
    "EH100001",
    "2026-01-02T03:04:05Z",
    "2026-01-02T03:04:05",
    "2026-01-02T03:04:05+14:00",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59.999999-23:59",
    "yesterday",
    "\ud800",
    "ÆØÅ",
]
# Easee's field names, so arbitrary objects hit the parsers' keys as well as random ones.
KEYS = [
    "id",
    "name",
    "siteKey",
    "circuits",
    "chargers",
    "productCode",
    "levelOfAccess",
    "accessToken",
    "refreshToken",
    "expiresIn",
    "chargerOpMode",
    "reasonForNoCurrent",
    "outputPhase",
    "ledMode",
    "pilotMode",
    "totalPower",
    "sessionEnergy",
    "lifetimeEnergy",
    "outputCurrent",
    "voltage",
    "isOnline",
    "cableLocked",
    "smartCharging",
    "dynamicChargerCurrent",
    "cableRating",
    "latestPulse",
    "errorCode",
    "fatalErrorCode",
    "isEnabled",
    "phaseMode",
    "maxChargerCurrent",
    "offlineChargingMode",
    "authorizationRequired",
    "smartButtonEnabled",
    "lockCablePermanently",
    "limitToSinglePhaseCharging",
    "device",
    "commandId",
    "ticks",
    "errorCodeName",
    "title",
    "detail",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    huge_ints,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(ODD_STRINGS),
    non_finite,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6),
    ),
    max_leaves=20,
)


# --- the simulator's real answers -------------------------------------------------------------


def _real_answers() -> dict[str, Any]:
    state = EaseeState()
    site = state.sites[0]
    garage = state.charger(GARAGE_CHARGER_ID)
    detailed = site_json(state, site, detailed=True)
    return {
        "token": state.login(EASEE_USERNAME, EASEE_PASSWORD),
        "products": [detailed],
        "sites": [site_json(state, site, detailed=False)],
        "site": detailed,
        "chargers": [charger_json(charger) for charger in state.chargers.values()],
        "charger": charger_json(garage),
        "state": state_json(garage),
        "config": config_json(garage),
        "command": state.command(garage, "pause_charging"),
        "settings": state.settings(garage, {"smartCharging": True}),
    }


REAL = _real_answers()

Path = tuple[str | int, ...]


def _paths(value: Any, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _swapped(value: Any) -> Any:
    """The value in another JSON type that a confused server might send."""
    if isinstance(value, bool):
        return str(value).lower() if value else 0
    if isinstance(value, int | float):
        try:
            return json.dumps(value)  # "3", "NaN", "Infinity"
        except ValueError:  # an int too long to print
            return "1e999"
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return False


MUTATIONS = ("drop", "null", "replace", "non_finite", "swap")


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """A real answer with one to four fields dropped, nulled, replaced or swapped."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(list(_paths(doc))))
        mutation = draw(st.sampled_from(MUTATIONS))
        if mutation == "drop":
            new: Any = _DROP
        elif mutation == "null":
            new = None
        elif mutation == "replace":
            new = draw(json_values)
        elif mutation == "non_finite":
            new = draw(non_finite)
        else:
            new = _swapped(_get(doc, path))
        doc = _set(doc, path, new)
    return doc


_DROP = object()


def _get(doc: Any, path: Path) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _set(doc: Any, path: Path, new: Any) -> Any:
    if not path:
        return None if new is _DROP else new
    parent = _get(doc, path[:-1])
    if new is _DROP:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return doc


# --- the property -------------------------------------------------------------------------------


def _assert_finite(value: Any, where: str = "result") -> None:
    """Every float in a model is finite; whole numbers stay within 64 bits."""
    if isinstance(value, bool | str | datetime | enum.Enum) or value is None:
        return
    if isinstance(value, float):
        assert math.isfinite(value), where
    elif isinstance(value, int):
        assert abs(value) < 2**63, where
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _assert_finite(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, list | tuple | frozenset):
        for index, item in enumerate(value):
            _assert_finite(item, f"{where}[{index}]")
    else:
        raise AssertionError(f"{where}: unexpected {type(value).__name__} in a model")


def _check(parse: Callable[[Any], Any], value: Any) -> None:
    try:
        result = parse(value)
    except EaseeError:
        return
    _assert_finite(result)
    for model in result if isinstance(result, list) else [result]:
        _assert_consistent(model)


def _assert_consistent(model: Any) -> None:
    """What the integration reads from a model works too."""
    if isinstance(model, EaseeChargerState):
        charger = EaseeCharger(
            charger_id="EH1",
            name="EH1",
            site_id=None,
            site_name=None,
            circuit_id=None,
            product_code=None,
            model=None,
            level_of_access=None,
            state=model,
        )
        readings = charger_readings(charger)
        assert isinstance(readings, Readings)
        _assert_finite(readings)
        assert (model.op_mode_code is None) or isinstance(model.op_mode_code, int)
    if isinstance(model, TokenGrant):
        assert model.access_token


PARSERS: dict[str, Callable[[Any], Any]] = {
    "token": parse_token,
    "charger": lambda value: parse_charger(value, "charger", site_id=1, circuit_id=2),
    "site": lambda value: parse_site(value, "site"),
    "site_summary": lambda value: parse_site(value, "site", with_chargers=False),
    "products": lambda value: parse_sites(value, "products"),
    "sites": lambda value: parse_sites(value, "sites", with_chargers=False),
    "chargers": parse_chargers,
    "state": parse_state,
    "config": parse_config,
    "command": lambda value: parse_command_result(value, "EH1"),
}
# Which real answer each parser reads.
REAL_OF = {
    "token": "token",
    "charger": "charger",
    "site": "site",
    "site_summary": "sites",
    "products": "products",
    "sites": "sites",
    "chargers": "chargers",
    "state": "state",
    "config": "config",
    "command": "command",
}


def test_the_real_answers_parse() -> None:
    """The mutations start from answers every parser accepts."""
    for name, parse in PARSERS.items():
        base = REAL[REAL_OF[name]]
        if name == "site_summary":
            base = base[0]
        _check(parse, base)
        parse(base)
    assert parse_command_result(REAL["settings"], "EH1").command_id is not None


@FUZZ
@given(value=json_values)
def test_token_arbitrary(value: Any) -> None:
    _check(parse_token, value)


@FUZZ
@given(value=mutated(REAL["token"]))
def test_token_mutated(value: Any) -> None:
    _check(parse_token, value)


@FUZZ
@given(value=json_values)
def test_charger_arbitrary(value: Any) -> None:
    _check(PARSERS["charger"], value)
    _check(parse_chargers, value)
    _check(parse_chargers, [value])


@FUZZ
@given(value=mutated(REAL["chargers"]))
def test_chargers_mutated(value: Any) -> None:
    _check(parse_chargers, value)
    if isinstance(value, list) and value:
        _check(PARSERS["charger"], value[0])


@FUZZ
@given(value=json_values)
def test_site_arbitrary(value: Any) -> None:
    for name in ("site", "site_summary", "products", "sites"):
        _check(PARSERS[name], value)
    _check(PARSERS["products"], [value])


@FUZZ
@given(value=mutated(REAL["products"]))
def test_products_mutated(value: Any) -> None:
    _check(PARSERS["products"], value)
    _check(PARSERS["sites"], value)
    if isinstance(value, list) and value:
        _check(PARSERS["site"], value[0])
        _check(PARSERS["site_summary"], value[0])


@FUZZ
@given(value=mutated(REAL["sites"]))
def test_site_summaries_mutated(value: Any) -> None:
    _check(PARSERS["sites"], value)
    _check(PARSERS["products"], value)


@FUZZ
@given(value=json_values)
def test_state_arbitrary(value: Any) -> None:
    _check(parse_state, value)


@FUZZ
@given(value=mutated(REAL["state"]))
def test_state_mutated(value: Any) -> None:
    _check(parse_state, value)


@FUZZ
@given(value=st.dictionaries(st.sampled_from(KEYS), st.one_of(scalars, non_finite), max_size=12))
def test_state_flat_objects(value: dict[str, Any]) -> None:
    # Objects of Easee's keys with odd scalars: most inputs reach every field reader.
    _check(parse_state, value)
    _check(parse_config, value)


@FUZZ
@given(value=json_values)
def test_config_arbitrary(value: Any) -> None:
    _check(parse_config, value)


@FUZZ
@given(value=mutated(REAL["config"]))
def test_config_mutated(value: Any) -> None:
    _check(parse_config, value)


@FUZZ
@given(value=json_values)
def test_command_result_arbitrary(value: Any) -> None:
    _check(PARSERS["command"], value)


@FUZZ
@given(value=st.one_of(mutated(REAL["command"]), mutated(REAL["settings"])))
def test_command_result_mutated(value: Any) -> None:
    _check(PARSERS["command"], value)


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value)
    except ValueError:  # an int too long to print
        return "[" * 100_000


@FUZZ
@given(text=st.one_of(st.text(max_size=40), json_values.map(_dumps)))
def test_error_bodies_and_json_text(text: str) -> None:
    # The client reads any error body, and any answer text either parses or is a ValueError.
    code, name, reason = _error_details(text)
    assert code is None or abs(code) < 2**31
    assert name is None or len(name) <= 200
    assert reason is None or len(reason) <= 200
    try:
        value = _loads(text)
    except ValueError:
        return
    _check(parse_state, value)
    _check(PARSERS["products"], value)
