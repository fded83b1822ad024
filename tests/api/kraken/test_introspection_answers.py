"""Introspection answers a Kraken instance (or a proxy before it) may send that are not the
usual shape: fields that cannot be read are left out, an answer that is no object is refused."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken.exceptions import KrakenParseError
from custom_components.kraken_energy.api.kraken.schema import FieldInfo, parse_introspection


def _wrapped(depth: int, name: str) -> dict[str, Any]:
    """A type reference with `depth` NON_NULL/LIST wrappers around the named type."""
    ref: dict[str, Any] = {"kind": "OBJECT", "name": name}
    for level in range(depth):
        ref = {"kind": "LIST" if level % 2 else "NON_NULL", "name": None, "ofType": ref}
    return ref


def test_fields_that_cannot_be_read_are_left_out() -> None:
    data = {
        "t_AccountType": {
            "name": "AccountType",
            "kind": "OBJECT",
            "fields": [
                {"name": "balance", "args": [], "type": _wrapped(2, "Int")},
                # Deeper than any real schema nests (a list of lists of non-null items).
                {"name": "tooDeep", "args": [], "type": _wrapped(6, "Int")},
                "not a field",
                {"name": 7, "type": _wrapped(0, "Int")},
            ],
        }
    }
    types = parse_introspection(data, ["AccountType"])
    account = types["AccountType"]
    assert account is not None
    assert dict(account.fields) == {"balance": FieldInfo("Int")}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["t_AccountType"], "introspection: expected an object"),
        ({"t_AccountType": "AccountType"}, "introspection.AccountType: expected an object"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_refused(data: Any, message: str) -> None:
    with pytest.raises(KrakenParseError, match=message):
        parse_introspection(data, ["AccountType"])
