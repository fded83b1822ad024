"""HTTP endpoint of the Kraken GraphQL API (`POST /v1/graphql/`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web
from graphql import GraphQLError, OperationDefinitionNode, parse

from .schema import execute

if TYPE_CHECKING:
    from simulator.state import SimulatorState

GRAPHQL_PATH = "/v1/graphql/"


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError, UnicodeDecodeError:
        return None
    return body if isinstance(body, dict) else None


async def operation_name(request: web.Request) -> str | None:
    """The GraphQL operation a request runs: `operationName`, else the document's first name."""
    body = await _json_body(request)
    if body is None:
        return None
    name = body.get("operationName")
    if isinstance(name, str) and name:
        return name
    query = body.get("query")
    if not isinstance(query, str):
        return None
    try:
        document = parse(query)
    except GraphQLError:
        return None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            return definition.name.value
    return None


def _bad_request(message: str) -> web.Response:
    return web.json_response({"errors": [{"message": message}]}, status=400)


def setup(app: web.Application, state: SimulatorState) -> None:
    """Register the Kraken routes on the app."""

    async def graphql_handler(request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _bad_request("Request body must be a JSON object.")
        query = body.get("query")
        if not isinstance(query, str) or not query.strip():
            return _bad_request("Must provide query string.")
        variables = body.get("variables")
        if variables is not None and not isinstance(variables, dict):
            return _bad_request("Variables are invalid JSON.")
        name = body.get("operationName")
        result = execute(
            state.kraken,
            query,
            variables,
            name if isinstance(name, str) and name else None,
            request.headers.get("Authorization"),
        )
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        payload["data"] = result.data
        return web.json_response(payload, dumps=json.dumps)

    app.router.add_post(GRAPHQL_PATH, graphql_handler)
