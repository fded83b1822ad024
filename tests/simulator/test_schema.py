"""The simulator's schema accepts the integration's documents and rejects unknown fields."""

from __future__ import annotations

from graphql import parse, validate
import pytest

from simulator.kraken.schema import kraken_schema

from .conftest import Client
from .kraken_documents import ALL_DOCUMENTS


@pytest.mark.parametrize("name", sorted(ALL_DOCUMENTS))
def test_integration_documents_validate(name: str) -> None:
    errors = validate(kraken_schema(), parse(ALL_DOCUMENTS[name]))
    assert errors == []


def test_unknown_field_fails_validation() -> None:
    document = parse('query Bad { account(accountNumber: "A-GB000001") { notAField } }')
    errors = validate(kraken_schema(), document)
    assert [error.message for error in errors] == [
        "Cannot query field 'notAField' on type 'AccountType'."
    ]


def test_schema_keeps_every_seed_field_of_account_type() -> None:
    account = kraken_schema().type_map["AccountType"]
    fields = account.fields  # type: ignore[attr-defined]
    for name in ("balance", "billingOptions", "properties", "ledgers", "bills", "users", "urn"):
        assert name in fields
    assert "includeAllLedgers" in fields["balance"].args


async def test_unknown_field_rejected_over_http(client: Client) -> None:
    token = (await client.token())["token"]
    reply = await client.post(
        'query Bad { account(accountNumber: "A-GB000001") { number notAField } }', token=token
    )
    # As Kraken answers a document that does not validate: HTTP 400, errors only, no data.
    assert reply.status == 400
    assert reply.body == {
        "errors": [
            {
                "message": "Cannot query field 'notAField' on type 'AccountType'.",
                "locations": [{"line": 1, "column": 59}],
            }
        ]
    }


async def test_syntax_error_and_bad_requests(client: Client) -> None:
    reply = await client.post("query {")
    assert reply.status == 400
    assert "data" not in reply.body
    assert reply.body["errors"][0]["message"].startswith("Syntax Error")
    async with client.session.post(client.sim.kraken_url, data=b"not json") as response:
        assert response.status == 400
    async with client.session.post(client.sim.kraken_url, json={"variables": {}}) as response:
        assert response.status == 400
