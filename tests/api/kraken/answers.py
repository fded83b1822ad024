"""Real-shaped Kraken answers: the simulator's schema run in-process on the client's documents.

The fuzz tests and the shape tests start from these instead of invented shapes, so a change
of the documents or of the simulator's schema shows up in what they mutate.
"""

from __future__ import annotations

from collections.abc import Iterator
import copy
from functools import cache
import json
from typing import Any

from custom_components.kraken_energy.api.kraken import documents
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


@cache
def _answers() -> dict[str, list[dict[str, Any]]]:
    state = KrakenState()
    gb = _token(state, GB_API_KEY)
    de = _token(state, DE_API_KEY)
    empty = _token(state, EMPTY_API_KEY)
    account = {"includeRates": True}
    answers: dict[str, list[dict[str, Any]]] = {
        "ObtainKrakenToken": [
            run(state, documents.OBTAIN_TOKEN, {"input": {"APIKey": key}}, "ObtainKrakenToken")
            for key in (GB_API_KEY, DE_API_KEY)
        ],
        "ViewerAccounts": [
            run(state, documents.VIEWER_ACCOUNTS, {}, "ViewerAccounts", token)
            for token in (gb, de, empty)
        ],
        "Account": [
            _trim_rates(
                run(
                    state, documents.ACCOUNT, {"accountNumber": number, **account}, "Account", token
                )
            )
            for number, token in ((GB_ACCOUNT, gb), (GB_MULTI_RATE_ACCOUNT, gb), (DE_ACCOUNT, de))
        ],
        "SmartFlex": [
            run(state, documents.SMARTFLEX, {"accountNumber": GB_ACCOUNT}, "SmartFlex", gb)
        ],
        "AccountWithDevices": [
            _trim_rates(
                run(
                    state,
                    documents.ACCOUNT_WITH_DEVICES,
                    {"accountNumber": GB_ACCOUNT, **account},
                    "AccountWithDevices",
                    gb,
                )
            )
        ],
    }
    # Refusals as Kraken words them: a bad token, bad credentials, another user's account,
    # a field the schema does not have, a refused boost.
    answers["errors"] = [
        run(state, documents.VIEWER_ACCOUNTS, {}, "ViewerAccounts", "not-a-token"),
        run(state, documents.OBTAIN_TOKEN, {"input": {"APIKey": "nope"}}, "ObtainKrakenToken"),
        run(state, documents.ACCOUNT, {"accountNumber": DE_ACCOUNT, **account}, "Account", gb),
        run(state, 'query Bad { account(accountNumber: "A") { nope } }', {}, "Bad", gb),
        *(
            run(
                state,
                documents.UPDATE_BOOST_CHARGE,
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
