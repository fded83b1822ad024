"""Every Enode exchange (simulator answers and client requests) checked against the OpenAPI spec.

A workout drives the real Enode client through every operation it has, success and error
paths, against the simulator; the simulator records each request and the exact body it
answered. Every request body, query parameter and response body is then validated against the
schemas of `simulator/enode/openapi.json` (the seed's OpenAPI 3.1 document, unchanged).

The document contradicts itself in three ways that make valid Enode answers fail a literal
JSON Schema check; `normalize` repairs exactly these (and is tested to still reject bad bodies):

1. `allOf` of closed objects (`additionalProperties: false` in each member, e.g. `Vehicle` +
   its `location` in every vehicle response, `SmartOverrideStatus` + userId/vendor) can match
   nothing: the members are merged into one closed object.
2. `allOf` where one member adds `type: [..., "null"]` to a non-nullable `$ref` (e.g.
   `failureReason`, `holdType`, the HVAC setpoint ranges) means "nullable": it becomes
   `anyOf: [null, allOf]`.
3. `enum` next to `type: [..., "null"]` without null among the values (battery `status`,
   `operationMode`, intervention `resolution.action`) allows null.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import copy
from datetime import datetime, time
import json
from pathlib import Path
import re
from typing import Any
from urllib.parse import quote, urlparse
import uuid

import aiohttp
from jsonschema import (  # type: ignore[import-untyped]  # no stubs in the test stack
    Draft202012Validator,
    FormatChecker,
)
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from custom_components.kraken_energy.api.enode import (
    EnodeActionFailedError,
    EnodeClient,
    EnodeError,
)
from custom_components.kraken_energy.api.enode.models import (
    ActionTargetType,
    BatteryOperationMode,
    HvacMode,
    InterventionLanguage,
    VendorType,
)
from simulator.app import RunningSimulator, start_simulator
from simulator.enode import routes
from simulator.enode.state import (
    BATTERY_ID,
    CHARGER_ID,
    ENODE_CLIENT_ID,
    ENODE_CLIENT_SECRET,
    ENODE_RESTRICTED_CLIENT_ID,
    ENODE_RESTRICTED_CLIENT_SECRET,
    ENODE_USER_ID,
    HVAC_ID,
    INVERTER_ID,
    METER_ID,
    TIME_OF_USE_INTERVENTION_ID,
    VEHICLE_ID,
    ActionOutcome,
    Exchange,
    SimVehicle,
)
from simulator.state import SimulatorState

SPEC_PATH = Path(__file__).parents[2] / "simulator" / "enode" / "openapi.json"
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text())
BASE = "urn:enode-openapi"
POLL = 0.02


def _types(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    value = schema.get("type")
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else []


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    types = _types(schema)
    if "null" not in types:
        return schema
    rest = [t for t in types if t != "null"]
    stripped = dict(schema)
    if rest:
        stripped["type"] = rest if len(rest) > 1 else rest[0]
    else:
        del stripped["type"]
    return stripped


def normalize(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the three self-contradictions of the module docstring repaired."""
    raw_schemas = spec["components"]["schemas"]
    done: dict[str, Any] = {}
    busy: set[str] = set()

    def component(name: str) -> Any:
        if name not in done:
            if name in busy:  # a cycle: use it unmerged
                return raw_schemas[name]
            busy.add(name)
            done[name] = walk(raw_schemas[name])
            busy.discard(name)
        return done[name]

    def deref(node: Any) -> Any:
        while isinstance(node, dict) and set(node) == {"$ref"}:
            node = component(node["$ref"].rsplit("/", 1)[-1])
        return node

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: walk(value) for key, value in node.items()}
        if "enum" in node and "null" in _types(node) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        if "allOf" not in node:
            return node
        members = [deref(member) for member in node["allOf"]]
        nullable = any("null" in _types(member) for member in members)
        objects = [m for m in members if "object" in _types(m) or "properties" in m]
        rest = {key: value for key, value in node.items() if key != "allOf"}
        if len(objects) > 1 and any(m.get("additionalProperties") is False for m in objects):
            merged: dict[str, Any] = {
                "type": "object",
                "properties": {},
                "required": [],
                "additionalProperties": False,
            }
            for member in objects:
                merged["properties"].update(member.get("properties", {}))
                merged["required"] += [
                    key for key in member.get("required", []) if key not in merged["required"]
                ]
            node = {**rest, **merged}
            return {"anyOf": [{"type": "null"}, node]} if nullable else node
        if nullable:
            return {
                **rest,
                "anyOf": [{"type": "null"}, {"allOf": [_without_null(m) for m in members]}],
            }
        return node

    normalized = copy.deepcopy(spec)
    normalized["paths"] = walk(spec["paths"])
    normalized["components"]["schemas"] = {name: component(name) for name in raw_schemas}
    return normalized


NORMALIZED = normalize(SPEC)
REGISTRY: Registry[Any] = Registry().with_resource(
    BASE, Resource.from_contents(NORMALIZED, default_specification=DRAFT202012)
)
FORMATS = FormatChecker(formats=())


def _date_time(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


FORMATS.checks("date-time", raises=ValueError)(_date_time)


def _uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(uuid.UUID(value))


FORMATS.checks("uuid", raises=ValueError)(_uuid)


def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlparse(value).scheme)


FORMATS.checks("uri")(_uri)


def pointer(*parts: str) -> str:
    return "".join("/" + quote(p.replace("~", "~0").replace("/", "~1"), safe="") for p in parts)


def validator(ref: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": BASE + "#" + ref}, registry=REGISTRY, format_checker=FORMATS
    )


def errors(ref: str, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300]
        for e in validator(ref).iter_errors(instance)
    ]


PROBLEM = "/components/schemas/Problem"
OPERATIONS: dict[str, tuple[str, str, dict[str, Any]]] = {
    operation["operationId"]: (path, method.upper(), operation)
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
    if isinstance(operation, dict) and "operationId" in operation
}


def _template_regex(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")


def _parameter(operation: dict[str, Any], name: str) -> tuple[int, dict[str, Any]] | None:
    for index, parameter in enumerate(operation.get("parameters", [])):
        resolved = parameter
        if "$ref" in parameter:
            resolved = SPEC["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[-1]]
        if resolved.get("in") == "query" and resolved.get("name") == name:
            return index, resolved
    return None


def check_exchange(exchange: Exchange, *, check_request: bool = True) -> list[str]:
    """Every way an exchange departs from the spec (its request too, unless told not to)."""
    where = f"{exchange.operation_id} {exchange.method} {exchange.path} -> {exchange.status}"
    if exchange.operation_id == "token":
        # Client credentials grant, form-encoded (the security scheme's clientCredentials flow).
        problems = []
        if exchange.content_type != "application/x-www-form-urlencoded":
            problems.append(f"{where}: token request is {exchange.content_type}")
        if exchange.request_body.get("grant_type") != "client_credentials":
            problems.append(f"{where}: grant_type {exchange.request_body}")
        return problems
    if exchange.operation_id not in OPERATIONS:
        return [f"{where}: no such operation in the spec"]
    path, method, operation = OPERATIONS[exchange.operation_id]
    problems = []
    if method != exchange.method:
        problems.append(f"{where}: spec method is {method}")
    if not _template_regex(routes.ENODE_PREFIX + path).match(exchange.path):
        problems.append(f"{where}: does not match {path}")
    base = pointer("paths", path, method.lower())
    for name, value in exchange.query.items() if check_request else ():
        found = _parameter(operation, name)
        if found is None:
            problems.append(f"{where}: query parameter {name} is not in the spec")
            continue
        index, parameter = found
        schema_ref = (
            pointer(
                "components",
                "parameters",
                operation["parameters"][index]["$ref"].rsplit("/", 1)[-1],
                "schema",
            )
            if "$ref" in operation["parameters"][index]
            else base + pointer("parameters", str(index), "schema")
        )
        instance: Any = value
        if "integer" in _types(parameter.get("schema")) or name == "pageSize":
            instance = int(value) if value.lstrip("-").isdigit() else value
        problems += [f"{where}: query {name}: {e}" for e in errors(schema_ref, instance)]
    if exchange.request_body is not None and check_request:
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            problems.append(f"{where}: a body was sent but the spec defines none")
        else:
            if exchange.content_type != "application/json":
                problems.append(f"{where}: request content type {exchange.content_type}")
            ref = base + pointer("requestBody", "content", "application/json", "schema")
            problems += [f"{where}: request: {e}" for e in errors(ref, exchange.request_body)]
    response = operation.get("responses", {}).get(str(exchange.status))
    body = json.loads(exchange.response_body) if exchange.response_body else None
    content = (response or {}).get("content", {})
    media = next(iter(content), None)
    if media is not None:
        if body is None:
            problems.append(f"{where}: empty body, spec defines {media}")
        else:
            ref = base + pointer("responses", str(exchange.status), "content", media, "schema")
            problems += [f"{where}: response: {e}" for e in errors(ref, body)]
    elif exchange.status >= 400:
        # Undocumented error statuses (401, 403, 404 without content) answer a Problem.
        problems += [f"{where}: problem: {e}" for e in errors(PROBLEM, body)]
    elif response is None:
        problems.append(f"{where}: status not in the spec")
    elif body is not None:
        problems.append(f"{where}: body where the spec defines none")
    return problems


# --- the workout ----------------------------------------------------------------------------


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    state = SimulatorState()
    state.enode.action_delay = 0.05
    state.enode.vehicles["sim-vehicle-2"] = SimVehicle(
        id="sim-vehicle-2",
        vendor="VOLKSWAGEN",
        brand="Volkswagen",
        model="ID.3",
        is_plugged_in=False,
        power_delivery_state="UNPLUGGED",
    )
    running = await start_simulator(state)
    yield running
    await running.close()


async def expect_error(call: Any) -> None:
    with pytest.raises(EnodeError):
        await call


async def workout(sim: RunningSimulator, session: aiohttp.ClientSession) -> None:
    """Every client operation, with its success and refusal paths."""
    api_url, token_url = sim.enode_url, sim.enode_token_url
    enode = EnodeClient(
        session,
        ENODE_CLIENT_ID,
        ENODE_CLIENT_SECRET,
        page_size=1,
        api_url=api_url,
        token_url=token_url,
    )
    enode_fast = EnodeClient(
        session, ENODE_CLIENT_ID, ENODE_CLIENT_SECRET, api_url=api_url, token_url=token_url
    )
    await enode.fetch_devices(ENODE_USER_ID)
    await enode.fetch_devices("nobody")
    await enode_fast.fetch_devices(ENODE_USER_ID)
    for get, device_id in (
        (enode.get_vehicle, VEHICLE_ID),
        (enode.get_charger, CHARGER_ID),
        (enode.get_hvac, HVAC_ID),
        (enode.get_battery, BATTERY_ID),
        (enode.get_inverter, INVERTER_ID),
        (enode.get_meter, METER_ID),
    ):
        await get(device_id)
        await expect_error(get("missing"))

    wait = {"poll_interval": POLL}
    await enode.wait_for_action(await enode.set_vehicle_charging(VEHICLE_ID, charging=True), **wait)
    await enode.wait_for_action(
        await enode.set_vehicle_charging(VEHICLE_ID, charging=False), **wait
    )
    await expect_error(enode.set_vehicle_charging("sim-vehicle-2", charging=True))
    await enode.wait_for_action(await enode.set_charger_charging(CHARGER_ID, charging=True), **wait)
    await enode.wait_for_action(
        await enode.set_charger_charging(CHARGER_ID, charging=False), **wait
    )
    await expect_error(enode.set_charger_charging(CHARGER_ID, charging=False))
    await enode.wait_for_action(await enode.set_charger_max_current(CHARGER_ID, 13.5), **wait)
    for mode, heat, cool in (
        (HvacMode.HEAT, 22.5, None),
        (HvacMode.COOL, None, 23.0),
        (HvacMode.AUTO, 19.0, 24.0),
        (HvacMode.OFF, None, None),
    ):
        action = await enode.set_hvac_permanent_hold(
            HVAC_ID, mode, heat_setpoint=heat, cool_setpoint=cool
        )
        await enode.wait_for_action(action, **wait)
    await expect_error(enode.set_hvac_permanent_hold(HVAC_ID, HvacMode.COOL, cool_setpoint=99))
    await enode.wait_for_action(await enode.set_hvac_follow_schedule(HVAC_ID), **wait)
    await enode.wait_for_action(
        await enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.EXPORT_FOCUS),
        **wait,
    )
    await expect_error(
        enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.TIME_OF_USE)
    )

    # Failed, cancelled and conflicting actions.
    sim.state.enode.queue_action_outcomes(ActionOutcome.failed())
    with pytest.raises(EnodeActionFailedError):
        await enode.wait_for_action(
            await enode.set_vehicle_charging(VEHICLE_ID, charging=True), **wait
        )
    sim.state.enode.queue_action_outcomes(ActionOutcome.pending(), ActionOutcome.pending())
    for target_type, action in (
        (ActionTargetType.HVAC, await enode.set_hvac_follow_schedule(HVAC_ID)),
        (
            ActionTargetType.BATTERY,
            await enode.set_battery_operation_mode(BATTERY_ID, BatteryOperationMode.IMPORT_FOCUS),
        ),
    ):
        await enode.cancel_action(target_type, action.id)
        await expect_error(enode.cancel_action(target_type, action.id))
    confirmed = await enode.set_charger_max_current(CHARGER_ID, 16)
    await enode.wait_for_action(confirmed, **wait)
    await expect_error(enode.cancel_action(ActionTargetType.CHARGER, confirmed.id))
    vehicle_action = await enode.set_vehicle_charging(VEHICLE_ID, charging=True)
    await enode.cancel_action(ActionTargetType.VEHICLE, vehicle_action.id)
    await expect_error(enode.cancel_action(ActionTargetType.VEHICLE, vehicle_action.id))
    for target_type in ActionTargetType:
        await expect_error(enode.get_action(target_type, str(uuid.uuid4())))

    # Smart charging.
    await enode.get_smart_charging_policy(VEHICLE_ID)
    await enode.update_smart_charging_policy(
        VEHICLE_ID, enabled=True, deadline=time(7, 15), minimum_charge_limit=25
    )
    await expect_error(enode.set_vehicle_charging(VEHICLE_ID, charging=True))
    await expect_error(enode.update_smart_charging_policy(VEHICLE_ID, minimum_charge_limit=99))
    override = await enode.create_smart_override(VEHICLE_ID)
    if override.vendor_action_id:
        action = await enode.get_action(ActionTargetType.VEHICLE, override.vendor_action_id)
        await enode.wait_for_action(action, **wait)
    await enode.fetch_devices(ENODE_USER_ID, kinds=[VendorType.VEHICLE])
    await enode.end_smart_override(VEHICLE_ID)
    await expect_error(enode.end_smart_override(VEHICLE_ID))
    await enode.update_smart_charging_policy(VEHICLE_ID, enabled=False)
    sim.state.enode.schedule_controlled.add(CHARGER_ID)
    await expect_error(enode.set_charger_charging(CHARGER_ID, charging=True))

    # Linking, interventions, authentication failures.
    await enode.create_link_session(ENODE_USER_ID, redirect_uri="https://example.com/enode")
    await enode.create_link_session(
        "another-user",
        redirect_uri="https://example.com/enode?state=1",
        scopes=["vehicle:read:data"],
        language="nb-NO",
        vendor="TESLA",
        vendor_type=VendorType.VEHICLE,
        color_scheme="light",
    )
    sim.state.enode.connections_limit = 1
    await expect_error(
        enode.create_link_session("third-user", redirect_uri="https://example.com/enode")
    )
    await enode.list_interventions()
    await enode.list_interventions(language=InterventionLanguage.DE_DE)
    await enode.get_intervention(TIME_OF_USE_INTERVENTION_ID, language=InterventionLanguage.EN_GB)
    await expect_error(enode.get_intervention(str(uuid.uuid4())))
    await enode.get_linked_vendors(ENODE_USER_ID)
    await expect_error(enode.get_linked_vendors("nobody"))
    await webhook_workout(sim, enode)
    sim.state.enode.expire_tokens()
    await enode.list_meters(ENODE_USER_ID)
    restricted = EnodeClient(
        session,
        ENODE_RESTRICTED_CLIENT_ID,
        ENODE_RESTRICTED_CLIENT_SECRET,
        api_url=api_url,
        token_url=token_url,
    )
    await expect_error(restricted.list_vehicles(ENODE_USER_ID))


async def webhook_workout(sim: RunningSimulator, enode: EnodeClient) -> None:
    """Every webhook operation: a subscription tested, listed, changed and deleted."""

    async def refuse(url: str, headers: dict[str, str], body: bytes) -> int:
        return 503

    sim.state.enode.webhooks.transport = refuse
    url = "https://home.example.org/api/webhook/conformance"
    hook = await enode.create_webhook(url, "a-secret-of-some-length")
    await expect_error(enode.create_webhook(url, "a-secret-of-some-length"))
    await enode.test_webhook(hook.id)
    await enode.list_webhooks()
    await enode.get_webhook(hook.id)
    await enode.update_webhook(hook.id, url=url + "2", events=["user:vehicle:updated"])
    await enode.delete_webhook(hook.id)
    await expect_error(enode.get_webhook(hook.id))


async def test_every_exchange_conforms_to_the_spec(sim: RunningSimulator) -> None:
    async with aiohttp.ClientSession() as session:
        await workout(sim, session)
        from_client = len(sim.state.enode.exchanges)
        # The simulator's own edges, beyond what the client sends.
        enode = sim.state.enode
        token = next(t for t in enode.tokens if enode.token_client(t) == ENODE_CLIENT_ID)
        headers = {"Authorization": f"Bearer {token}"}
        users = f"{sim.enode_url}/users/{ENODE_USER_ID}"
        async with session.get(f"{users}/vehicles?pageSize=1", headers=headers) as response:
            after = (await response.json())["pagination"]["after"]
        async with session.get(f"{users}/vehicles?pageSize=1&after={after}", headers=headers):
            pass
        async with session.get(
            f"{users}/vehicles?pageSize=1&before={after}", headers=headers
        ) as response:
            assert response.status == 200
        async with session.get(f"{users}/vehicles?pageSize=0", headers=headers) as response:
            assert response.status == 400
        async with session.get(f"{users}/hvacs") as response:
            assert response.status == 401
    exchanges = list(sim.state.enode.exchanges)
    # Requests the client sent are checked too; the raw edge requests above are invalid on
    # purpose, so only the simulator's answers to them are.
    problems = [
        problem
        for index, exchange in enumerate(exchanges)
        for problem in check_exchange(exchange, check_request=index < from_client)
    ]
    assert problems == []

    exercised = {exchange.operation_id for exchange in exchanges}
    served = {operation_id for _, _, operation_id, _ in routes.OPERATIONS}
    assert served <= exercised, f"never exercised: {sorted(served - exercised)}"
    statuses = {exchange.status for exchange in exchanges}
    assert {200, 400, 401, 403, 404, 409, 422} <= statuses
    bodies = [e for e in exchanges if e.request_body is not None and e.operation_id != "token"]
    assert {e.operation_id for e in bodies} >= {
        "postVehiclesVehicleidCharging",
        "controlChargerCharging",
        "postSetChargerMaxCurrent",
        "postSetHvacPermanentHold",
        "postUserSetOperationMode",
        "updateVehicleSmartChargingPolicy",
        "postUsersUseridLink",
    }


def test_simulator_routes_are_spec_operations() -> None:
    for method, path, operation_id, _ in routes.OPERATIONS:
        assert operation_id in OPERATIONS, operation_id
        assert OPERATIONS[operation_id][:2] == (path, method)


def test_spec_examples_pass_and_bad_bodies_fail() -> None:
    charger_example = SPEC["components"]["schemas"]["Charger"]["example"]
    assert errors("/components/schemas/Charger", charger_example) == []
    hvac_list = SPEC["components"]["schemas"]["PaginatedHVACList"]
    hvac_example = hvac_list["properties"]["data"]["items"]["example"]
    assert (
        errors(
            "/components/schemas/PaginatedHVACList",
            {"data": [hvac_example], "pagination": {"after": None, "before": None}},
        )
        == []
    )
    # The repairs do not make the schemas lax.
    extra = {**charger_example, "surprise": 1}
    assert any("surprise" in e for e in errors("/components/schemas/Charger", extra))
    missing = {k: v for k, v in charger_example.items() if k != "chargeState"}
    assert errors("/components/schemas/Charger", missing)
    bad_enum = copy.deepcopy(charger_example)
    bad_enum["chargeState"]["powerDeliveryState"] = "PLUGGED_IN:COMPLETE"  # vehicles only
    assert errors("/components/schemas/Charger", bad_enum)
    action = {
        "id": str(uuid.uuid4()),
        "userId": "u",
        "createdAt": "2025-01-01T00:00:00Z",
        "updatedAt": "2025-01-01T00:00:00Z",
        "completedAt": None,
        "state": "PENDING",
        "targetId": "c",
        "targetType": "charger",
        "kind": "START",
        "failureReason": None,
    }
    assert errors("/components/schemas/ChargeAction", action) == []
    assert errors("/components/schemas/ChargeAction", {**action, "failureReason": {"type": "X"}})
    assert errors("/components/schemas/ChargeAction", {**action, "createdAt": "yesterday"})
    vehicle_ref = pointer(
        "paths",
        "/vehicles/{vehicleId}",
        "get",
        "responses",
        "200",
        "content",
        "application/json",
        "schema",
    )
    assert errors(vehicle_ref, {"id": "v"})


async def test_a_nonconforming_answer_is_caught(sim: RunningSimulator) -> None:
    sim.state.enode.vehicles[VEHICLE_ID].power_delivery_state = "PLUGGED_IN:WARP"
    sim.state.enode.batteries[BATTERY_ID].operation_mode = "STORM"
    async with aiohttp.ClientSession() as session:
        enode = EnodeClient(
            session,
            ENODE_CLIENT_ID,
            ENODE_CLIENT_SECRET,
            api_url=sim.enode_url,
            token_url=sim.enode_token_url,
        )
        await enode.get_vehicle(VEHICLE_ID)
        await enode.list_batteries(ENODE_USER_ID)
    problems = [p for e in sim.state.enode.exchanges for p in check_exchange(e)]
    assert len(problems) == 2
    assert "PLUGGED_IN:WARP" in problems[0]
    assert "STORM" in problems[1]
