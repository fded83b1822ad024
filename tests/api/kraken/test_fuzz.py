"""Fuzzing every Kraken parser entry point with hypothesis.

Two kinds of input: arbitrary JSON-like values (None, booleans, integers up to hundreds of
digits, floats with NaN and infinities, strings including numeric, boolean, time and
date-like ones, lists, objects with Kraken's own keys among random ones), and the
simulator's real answers (its schema run on the client's documents, see `answers.py`) with
fields dropped, nulled, replaced, made non-finite or swapped to another type.

The property: a parser returns a model or raises KrakenParseError, never anything else;
every float in a returned model is finite, every whole number within 2**53 and every
date-time aware. `_raise_for_errors` always raises a KrakenError, and `read_answer` (what
the client does with the status, bytes and headers it received) returns data or raises a
KrakenError, with a finite Retry-After of at most an hour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import copy
import dataclasses
from datetime import date, datetime, time
import enum
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.kraken_energy.api.kraken import (
    KrakenError,
    KrakenParseError,
    KrakenRateLimitError,
)
from custom_components.kraken_energy.api.kraken.client import _raise_for_errors, read_answer
from custom_components.kraken_energy.api.kraken.models import Fuel
from custom_components.kraken_energy.api.kraken.parsers import (
    parse_account,
    parse_account_summaries,
    parse_device,
    parse_smartflex,
    parse_tariff,
    parse_token,
)
from simulator.kraken.state import KrakenState

from .answers import PER_DEVICE, answers, data_of, dispatch_devices, error_lists, objects_with

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# Integers no float holds. JSON decoding refuses more than 4300 digits, so none longer
# reaches a parser. Drawn by exponent: hypothesis prints the elements it samples.
huge_ints = st.sampled_from([53, 63, 309, 400, 4000]).flatmap(
    lambda exponent: st.sampled_from([exponent]).map(lambda e: 2**e + 1 if e < 300 else 10**e)
)
NON_FINITE_SCALARS: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    "NaN",
    "nan",
    "-NaN",
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
    "0",
    "-0",
    "80",
    "80.5",
    "1e308",
    "0x10",
    "1_000",
    "true",
    "false",
    "TRUE",
    "yes",
    "null",
    "07:00",
    "07:00:00",
    "07:00+05:00",
    "07:00:00Z",
    "24:00",
    "2026-11-23",
    "2026-11-23T10:00:00Z",
    "2026-11-23T10:00:00",
    "2026-11-23T10:00:00+14:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59.999999-23:59",
    "KT-CT-1111",
    "KT-CT-1124",
    "KT-CT-1199",
    "NOT_FOUND",
    "HalfHourlyTariff",
    "StandardTariff",
    "SmartFlexVehicle",
    "SmartFlexInverter",
    "SmartFlexHeatPump",
    "ONLINE",
    "RETIRED",
    "\ud800",
    "tökén",
]


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


ANSWERS = {
    name: answers(name)
    for name in (
        "ObtainKrakenToken",
        "ViewerAccounts",
        "Account",
        "SmartFlex",
        "AccountWithDevices",
        "errors",
    )
}
# Kraken's field names, so arbitrary objects hit the parsers' keys as well as random ones.
KEYS = sorted(set(_keys(ANSWERS)) - set(ANSWERS))

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
    max_leaves=30,
)


# --- mutations of real answers ------------------------------------------------------------

Path = tuple[str | int, ...]
_DROP = object()
MUTATIONS = ("drop", "null", "replace", "non_finite", "non_finite", "odd_string", "swap")


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
        return json.dumps(value)  # "3", "NaN", "Infinity"
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return False


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


@st.composite
def mutated(draw: st.DrawFn, bases: list[Any]) -> Any:
    """A real answer with one to four fields dropped, nulled, replaced or type-swapped."""
    doc = copy.deepcopy(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        # Half the time a scalar field: where numbers, booleans and times are read.
        leaves = [path for path in paths if not isinstance(_get(doc, path), dict | list)]
        on_leaf = draw(st.booleans())
        path = draw(st.sampled_from(leaves if leaves and on_leaf else paths))
        mutation = draw(st.sampled_from(MUTATIONS))
        new: Any
        if mutation == "drop":
            new = _DROP
        elif mutation == "null":
            new = None
        elif mutation == "replace":
            new = draw(json_values)
        elif mutation == "non_finite":
            new = draw(non_finite)
        elif mutation == "odd_string":
            new = draw(st.sampled_from(ODD_STRINGS))
        else:
            new = _swapped(_get(doc, path))
        doc = _set(doc, path, new)
    return doc


def inputs(bases: list[Any]) -> st.SearchStrategy[Any]:
    """Mutated real answers, mostly, and arbitrary values."""
    return st.one_of(mutated(bases), mutated(bases), json_values)


# --- the property -------------------------------------------------------------------------


def _assert_sane(value: Any, where: str = "result") -> None:
    """Floats finite, whole numbers within 2**53, date-times aware, nothing unexpected."""
    if isinstance(value, bool | str | enum.Enum) or value is None:
        return
    if isinstance(value, datetime):
        assert value.tzinfo is not None, where
    elif isinstance(value, date | time):
        return
    elif isinstance(value, float):
        assert math.isfinite(value), where
    elif isinstance(value, int):
        assert abs(value) <= 2**53, where
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _assert_sane(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _assert_sane(item, f"{where}[{index}]")
    else:
        raise AssertionError(f"{where}: unexpected {type(value).__name__} in a model")


def _check(parse: Callable[[Any], Any], value: Any) -> None:
    try:
        result = parse(value)
    except KrakenParseError:
        return
    _assert_sane(result)


TARIFFS = list(objects_with(ANSWERS["Account"], "tariffCode"))
DEVICES = list(objects_with(ANSWERS["SmartFlex"], "id", "SmartFlex"))
ACCOUNT_DATA = data_of("Account") + data_of("AccountWithDevices")
SMARTFLEX_DATA = data_of("SmartFlex") + data_of("AccountWithDevices")
# The 2026 schema's answers, planned dispatches per device (aliases dispatches0, ...).
PER_DEVICE_DATA = data_of(PER_DEVICE)
PER_DEVICE_IDS = dispatch_devices(KrakenState())
ERRORS = error_lists()
ALL_ANSWERS = [answer for group in ANSWERS.values() for answer in group]


def _tariff(fuel: Fuel) -> Callable[[Any], Any]:
    return lambda value: parse_tariff(value, "tariff", fuel=fuel)


def test_the_real_answers_parse() -> None:
    """The mutations start from answers every parser accepts, and cover every kind."""
    assert len(TARIFFS) >= 5
    assert {device["__typename"] for device in DEVICES} >= {
        "SmartFlexVehicle",
        "SmartFlexChargePoint",
        "SmartFlexBattery",
        "SmartFlexInverter",
        "SmartFlexHeatPump",
    }
    assert len(ERRORS) >= 4
    for data in data_of("ViewerAccounts"):
        _assert_sane(parse_account_summaries(data))
    for data in ACCOUNT_DATA:
        _assert_sane(parse_account(data, currency="GBP"))
    for data in SMARTFLEX_DATA:
        _assert_sane(parse_smartflex(data))
    for data in PER_DEVICE_DATA:
        parsed = parse_smartflex(data, PER_DEVICE_IDS)
        _assert_sane(parsed)
        assert parsed.per_device
    for data in data_of("ObtainKrakenToken"):
        _assert_sane(parse_token(data))
    for tariff in TARIFFS:
        fuel = Fuel.GAS if tariff["__typename"] == "GasTariffType" else Fuel.ELECTRICITY
        assert parse_tariff(tariff, "tariff", fuel=fuel) is not None


@FUZZ
@given(value=inputs(data_of("ViewerAccounts")))
def test_account_summaries(value: Any) -> None:
    _check(parse_account_summaries, value)


@FUZZ
@given(value=inputs(ACCOUNT_DATA), currency=st.sampled_from(["GBP", "EUR"]))
def test_account(value: Any, currency: str) -> None:
    _check(lambda data: parse_account(data, currency=currency), value)


@FUZZ
@given(value=inputs(TARIFFS), fuel=st.sampled_from(Fuel))
def test_tariff(value: Any, fuel: Fuel) -> None:
    _check(_tariff(fuel), value)


@FUZZ
@given(value=inputs(DEVICES))
def test_device(value: Any) -> None:
    _check(lambda device: parse_device(device, "device"), value)


@FUZZ
@given(value=inputs(SMARTFLEX_DATA))
def test_smartflex(value: Any) -> None:
    _check(parse_smartflex, value)


@FUZZ
@given(value=inputs(PER_DEVICE_DATA))
def test_smartflex_per_device(value: Any) -> None:
    _check(lambda data: parse_smartflex(data, PER_DEVICE_IDS), value)


@FUZZ
@given(value=inputs(data_of("ObtainKrakenToken")))
def test_token(value: Any) -> None:
    _check(parse_token, value)


@FUZZ
@given(errors=inputs(ERRORS), operation=st.sampled_from(["ObtainKrakenToken", "Account"]))
def test_errors_always_raise_a_kraken_error(errors: Any, operation: str) -> None:
    with pytest.raises(KrakenError) as raised:
        _raise_for_errors(operation, errors)
    assert str(raised.value)


STATUSES = st.one_of(
    st.sampled_from([200, 200, 200, 400, 401, 403, 404, 429, 500, 502, 503]),
    st.integers(100, 599),
)
CHARSETS = st.sampled_from([None, "utf-8", "latin-1", "utf-16", "x-unknown"])
RETRY_AFTER = st.one_of(
    st.none(),
    st.sampled_from(["42", "inf", "nan", "1e999", "-5", "Fri, 31 Dec 9999 23:59:59 GMT"]),
    st.text(max_size=12),
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """A mutated real answer or any value as JSON (NaN and Infinity literals included) in
    some encoding, or arbitrary bytes."""
    kind = draw(st.sampled_from(["answer", "value", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=64))
    value = draw(mutated(ALL_ANSWERS) if kind == "answer" else json_values)
    text = json.dumps(value)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])))


@FUZZ
@given(
    status=STATUSES,
    raw=bodies(),
    charset=CHARSETS,
    retry_after=RETRY_AFTER,
)
def test_read_answer(status: int, raw: bytes, charset: str | None, retry_after: str | None) -> None:
    error: KrakenError | None = None
    try:
        data = read_answer("Account", status, raw, charset, retry_after)
    except KrakenError as err:
        error = err
    if error is None:
        assert status == 200
        assert data is not None
    elif isinstance(error, KrakenRateLimitError):
        assert error.retry_after is None or 0 <= error.retry_after <= 3600
