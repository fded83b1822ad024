"""Real-shaped Kraken answers: the simulator's schema run in-process on the client's documents.

The fuzz tests and the shape tests start from these instead of invented shapes, so a change
of the documents or of the simulator's schema shows up in what they mutate.
"""

from __future__ import annotations

from collections.abc import Iterator
import copy
from functools import cache
import json
import time
from typing import Any

from custom_components.kraken_energy.api.kraken import documents
from custom_components.kraken_energy.api.kraken.schema import (
    INTROSPECTION_OPERATION,
    KNOWN_TYPES,
    Capabilities,
    TypeInfo,
    introspection_document,
    parse_introspection,
)
from custom_components.kraken_energy.api.kraken.selection import F, On, compose
from simulator.kraken.scenario import (
    DE_ACCOUNT,
    DE_API_KEY,
    EMPTY_API_KEY,
    GB_ACCOUNT,
    GB_API_KEY,
    GB_MULTI_RATE_ACCOUNT,
)
from simulator.kraken.schema import execute
from simulator.kraken.state import KrakenState

# Half-hourly rates run to 144 periods; a few are enough to mutate and keep examples small.
_RATES_KEPT = 3


def run(
    state: KrakenState,
    document: str,
    variables: dict[str, Any],
    operation_name: str,
    token: str | None = None,
) -> dict[str, Any]:
    """The JSON answer the simulator gives to one request (as the client would receive it)."""
    result = execute(state, document, variables, operation_name, token)
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    loaded: dict[str, Any] = json.loads(json.dumps(answer))
    return loaded


def _token(state: KrakenState, api_key: str) -> str:
    answer = run(state, documents.OBTAIN_TOKEN, {"input": {"APIKey": api_key}}, "ObtainKrakenToken")
    token: str = answer["data"]["obtainKrakenToken"]["token"]
    return token


def _trim_rates(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (item[:_RATES_KEPT] if key == "unitRates" and isinstance(item, list) else item)
            for key, item in ((key, _trim_rates(item)) for key, item in value.items())
        }
    if isinstance(value, list):
        return [_trim_rates(item) for item in value]
    return value


def learn(state: KrakenState, token: str) -> Capabilities:
    """What the simulator's schema offers, learnt as the client learns it (in-process)."""
    known: dict[str, TypeInfo | None] = {}
    asked: set[str] = set()
    wanted = set(KNOWN_TYPES)
    for _ in range(3):
        wanted -= asked
        if not wanted:
            break
        names = sorted(wanted)
        data = run(state, introspection_document(names), {}, INTROSPECTION_OPERATION, token)
        known.update(parse_introspection(data["data"], names))
        asked |= wanted
        wanted = documents.referenced_types(Capabilities(known, 0.0)) - asked
    return Capabilities(known, 0.0)


def text(
    capabilities: Capabilities,
    name: str,
    selections: tuple[F | On, ...],
    variables: dict[str, str],
    operation: str = "query",
) -> str:
    """A document as the client composes it for this schema."""
    return compose(
        capabilities, operation=operation, name=name, variables=variables, selections=selections
    ).text


def seed_state() -> KrakenState:
    """A simulator state serving the seeds' schema (account-wide planned dispatches)."""
    state = KrakenState()
    state.dialect = "seed"
    return state


PER_DEVICE = "SmartFlexPerDevice"


def dispatch_devices(state: KrakenState) -> list[str]:
    """The GB home's vehicles and charge points: the devices asked about per device."""
    home = state.scenario.account(GB_ACCOUNT).smartflex
    return [device.id for device in home.devices if device.charges_vehicles]


def _per_device_answers() -> list[dict[str, Any]]:
    """SmartFlex answers of the 2026 GB schema, with per-device planned dispatches."""
    state = KrakenState()
    state.dialect = "gb-2026"
    token = _token(state, GB_API_KEY)
    caps = learn(state, token)
    ids = dispatch_devices(state)
    document = text(
        caps,
        "SmartFlex",
        documents.smartflex(len(ids), per_device=True),
        documents.smartflex_variables(len(ids)),
    )
    variables = {"accountNumber": GB_ACCOUNT, **{f"device{i}": d for i, d in enumerate(ids)}}
    return [run(state, document, variables, "SmartFlex", token)]


@cache
def _answers() -> dict[str, list[dict[str, Any]]]:
    state = seed_state()
    gb = _token(state, GB_API_KEY)
    caps = learn(state, gb)
    viewer = text(caps, "ViewerAccounts", documents.VIEWER_ACCOUNTS, {})
    account_doc = text(caps, "Account", documents.ACCOUNT, documents.ACCOUNT_VARIABLES)
    per_device = caps.has_field("Query", "flexPlannedDispatches")
    smartflex = text(
        caps,
        "SmartFlex",
        documents.smartflex(0, per_device=per_device),
        documents.smartflex_variables(0),
    )
    with_devices = text(
        caps,
        "AccountWithDevices",
        documents.ACCOUNT + documents.smartflex(0, per_device=per_device),
        {**documents.ACCOUNT_VARIABLES, **documents.smartflex_variables(0)},
    )
    boost = text(
        caps,
        "UpdateBoostCharge",
        documents.UPDATE_BOOST_CHARGE,
        documents.MUTATION_VARIABLES["UpdateBoostCharge"],
        "mutation",
    )
    de = _token(state, DE_API_KEY)
    empty = _token(state, EMPTY_API_KEY)
    account = {"includeRates": True}
    answers: dict[str, list[dict[str, Any]]] = {
        "ObtainKrakenToken": [
            run(state, documents.OBTAIN_TOKEN, {"input": {"APIKey": key}}, "ObtainKrakenToken")
            for key in (GB_API_KEY, DE_API_KEY)
        ],
        "ViewerAccounts": [
            run(state, viewer, {}, "ViewerAccounts", token) for token in (gb, de, empty)
        ],
        "Account": [
            _trim_rates(
                run(state, account_doc, {"accountNumber": number, **account}, "Account", token)
            )
            for number, token in ((GB_ACCOUNT, gb), (GB_MULTI_RATE_ACCOUNT, gb), (DE_ACCOUNT, de))
        ],
        "SmartFlex": [run(state, smartflex, {"accountNumber": GB_ACCOUNT}, "SmartFlex", gb)],
        "AccountWithDevices": [
            _trim_rates(
                run(
                    state,
                    with_devices,
                    {"accountNumber": GB_ACCOUNT, **account},
                    "AccountWithDevices",
                    gb,
                )
            )
        ],
    }
    answers[PER_DEVICE] = _per_device_answers()
    # Refusals as Kraken words them: a bad token, bad credentials, another user's account,
    # a field the schema does not have, a refused boost.
    answers["errors"] = [
        run(state, viewer, {}, "ViewerAccounts", "not-a-token"),
        run(state, documents.OBTAIN_TOKEN, {"input": {"APIKey": "nope"}}, "ObtainKrakenToken"),
        run(state, account_doc, {"accountNumber": DE_ACCOUNT, **account}, "Account", gb),
        run(state, 'query Bad { account(accountNumber: "A") { nope } }', {}, "Bad", gb),
        *(
            run(
                state,
                boost,
                {"input": {"deviceId": device["id"], "action": "BOOST"}},
                "UpdateBoostCharge",
                gb,
            )
            for device in answers["SmartFlex"][0]["data"]["devices"]
        ),
    ]
    return answers


def answers(operation_name: str) -> list[dict[str, Any]]:
    """Fresh copies of the simulator's answers to an operation ("errors": refusals)."""
    return copy.deepcopy(_answers()[operation_name])


def data_of(operation_name: str) -> list[Any]:
    """The `data` of each answer to an operation."""
    return [answer["data"] for answer in answers(operation_name)]


def error_lists() -> list[Any]:
    """The `errors` lists of the simulator's refusals."""
    return [answer["errors"] for answer in answers("errors") if answer.get("errors")]


def objects_with(value: Any, key: str, typename_prefix: str = "") -> Iterator[dict[str, Any]]:
    """Every object inside `value` that has `key` (and a `__typename` with the prefix)."""
    if isinstance(value, dict):
        if key in value and str(value.get("__typename", "")).startswith(typename_prefix):
            yield value
        for item in value.values():
            yield from objects_with(item, key, typename_prefix)
    elif isinstance(value, list):
        for item in value:
            yield from objects_with(item, key, typename_prefix)


@cache
def _simulator_types() -> Capabilities:
    state = seed_state()
    return learn(state, _token(state, GB_API_KEY))


def simulator_capabilities() -> Capabilities:
    """The simulator's schema in the seeds' dialect, as a client that learnt it just now holds
    it: clients built with it send their documents at once, without asking first.

    The clients it is given to talk to a simulator serving that dialect (see the fixtures).
    """
    return Capabilities(_simulator_types().types, time.time())
