"""HTTP endpoints of the Kraken GraphQL API.

`POST /v1/graphql/` is the GB instance (api.octopus.energy), in the dialect the state selects;
`POST /de/v1/graphql/` is the German instance (api.oeg-kraken.energy/v1/graphql/), always in
"de-2026"; `POST /backend/v1/graphql/` is the GB backend (api.backend.octopus.energy), which
serves heat pump controllers (`heat_pump.py`). Answers follow Kraken's graphene-django view
(`schema.http_answer`): HTTP 400 with only `errors` for a document that does not parse or
validate, HTTP 200 otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web
from graphql import GraphQLError, OperationDefinitionNode, parse

from .heat_pump import execute_backend
from .scenario import DE, GB
from .schema import execute, http_answer

if TYPE_CHECKING:
    from simulator.state import SimulatorState

GRAPHQL_PATH = "/v1/graphql/"
DE_GRAPHQL_PATH = "/de/v1/graphql/"
BACKEND_GRAPHQL_PATH = "/backend/v1/graphql/"


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


BACKEND = "gb-backend"
"""The GB backend endpoint: its own small schema, the GB instance's tokens."""


def _bad_request(message: str) -> web.Response:
    return web.json_response({"errors": [{"message": message}]}, status=400)


def _handler(
    state: SimulatorState, instance: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
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
        started = time.process_time()
        operation = name if isinstance(name, str) and name else None
        authorization = request.headers.get("Authorization")
        result = (
            execute_backend(state.kraken, query, variables, operation, authorization)
            if instance == BACKEND
            else execute(
                state.kraken, query, variables, operation, authorization, instance=instance
            )
        )
        status, payload = http_answer(result)
        response = web.json_response(payload, status=status, dumps=json.dumps)
        state.kraken.answer_cpu_seconds += time.process_time() - started
        return response

    return graphql_handler


def setup(app: web.Application, state: SimulatorState) -> None:
    """Register the Kraken routes (GB and German instance) on the app."""
    app.router.add_post(GRAPHQL_PATH, _handler(state, GB))
    app.router.add_post(DE_GRAPHQL_PATH, _handler(state, DE))
    app.router.add_post(BACKEND_GRAPHQL_PATH, _handler(state, BACKEND))
