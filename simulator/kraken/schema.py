"""The executable Kraken schema: `schema.graphql` plus resolvers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
import re
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    ValueNode,
    build_schema,
    graphql_sync,
)
from graphql.language import StringValueNode

from .devices import DEVICE_NOT_FOUND, SmartDevice
from .errors import KrakenError
from .rates import UnitRatePeriod
from .scenario import (
    Account,
    ElectricityMeterPoint,
    GasMeterPoint,
    HalfHourlyTariff,
    Tariff,
    User,
)
from .state import ACCOUNT_UNAUTHORIZED, KrakenState

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


@dataclass
class KrakenContext:
    """Per-request execution context."""

    state: KrakenState
    authorization: str | None


def _snake(name: str) -> str:
    return _CAMEL.sub(r"_\1", name).lower()


def _field_resolver(source: Any, info: GraphQLResolveInfo, **_args: Any) -> Any:
    """Read the snake_case attribute (or dict key) named after the field; null if absent."""
    name = info.field_name
    if isinstance(source, dict):
        return source.get(name, source.get(_snake(name)))
    return getattr(source, _snake(name), None)


def _user(info: GraphQLResolveInfo) -> User:
    context: KrakenContext = info.context
    try:
        return context.state.authenticate(context.authorization)
    except KrakenError as err:
        raise _graphql_error(err) from None


def _graphql_error(err: KrakenError) -> GraphQLError:
    return GraphQLError(err.message, extensions=err.extensions)


def _now() -> datetime:
    return datetime.now(UTC)


# --- root fields -------------------------------------------------------------------------


def _resolve_viewer(_root: Any, info: GraphQLResolveInfo) -> User:
    return _user(info)


def _resolve_account(_root: Any, info: GraphQLResolveInfo, accountNumber: str) -> Account:  # noqa: N803
    user = _user(info)
    for account in user.accounts:
        if account.number == accountNumber:
            return account
    raise _graphql_error(ACCOUNT_UNAUTHORIZED.error())


def _resolve_obtain_token(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:  # noqa: A002
    context: KrakenContext = info.context
    try:
        return context.state.obtain_token(input)
    except KrakenError as err:
        raise _graphql_error(err) from None


def _owned_account(info: GraphQLResolveInfo, number: str) -> Account:
    for account in _user(info).accounts:
        if account.number == number:
            return account
    raise _graphql_error(ACCOUNT_UNAUTHORIZED.error())


def _device_view(device: SmartDevice, now: datetime) -> dict[str, Any]:
    """A SmartFlex device as the schema's default resolver reads it."""
    alerts = (
        [{"message": "We have lost connection to your device.", "published_at": now}]
        if device.lost_connection
        else []
    )
    return {
        "__typename": device.typename,
        "id": device.id,
        "name": device.name,
        "device_type": device.device_type,
        "provider": device.provider,
        "integration_device_id": device.integration_device_id,
        "make": device.make,
        "model": device.model,
        "status": device.status(now),
        "preferences": device.preferences_view(),
        "alerts": [{"__typename": "SmartFlexDeviceAlert", **alert} for alert in alerts],
        "vehicle_variant": (
            {"model": device.model, "battery_size": device.battery_size}
            if device.battery_size is not None
            else None
        ),
        "power_in_kw": device.power_in_kw,
        "telemetry": device.telemetry_view(),
    }


def _resolve_devices(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,  # noqa: N803
    deviceId: str | None = None,  # noqa: N803
    integrationDeviceId: str | None = None,  # noqa: N803
    **_args: Any,
) -> list[dict[str, Any]]:
    home = _owned_account(info, accountNumber).smartflex
    now = _now()
    return [
        _device_view(device, now)
        for device in home.devices
        if deviceId in (None, device.id)
        and integrationDeviceId in (None, device.integration_device_id)
    ]


def _resolve_dispatches(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,  # noqa: N803
) -> list[dict[str, Any]]:
    home = _owned_account(info, accountNumber).smartflex
    now = _now()
    if info.field_name == "plannedDispatches":
        return [dispatch.view(planned=True) for dispatch in home.planned(now)]
    return [dispatch.view(planned=False) for dispatch in home.completed(now)]


def _user_device(info: GraphQLResolveInfo, device_id: str) -> SmartDevice:
    for account in _user(info).accounts:
        for device in account.smartflex.devices:
            if device.id == device_id:
                return device
    raise _graphql_error(DEVICE_NOT_FOUND.error())


def _device_mutation(
    command: Callable[[SmartDevice, dict[str, Any], datetime], None],
) -> Callable[..., dict[str, Any]]:
    def resolve(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        device = _user_device(info, str(input["deviceId"]))
        now = _now()
        try:
            command(device, input, now)
        except KrakenError as err:
            raise _graphql_error(err) from None
        return _device_view(device, now)

    return resolve


def _smart_control(device: SmartDevice, data: dict[str, Any], _now: datetime) -> None:
    device.set_smart_control(str(data["action"]))


def _boost(device: SmartDevice, data: dict[str, Any], now: datetime) -> None:
    device.update_boost(str(data["action"]), now)


def _preferences(device: SmartDevice, data: dict[str, Any], _now: datetime) -> None:
    device.set_preferences(data)


def _resolve_by_typename(
    value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType
) -> str | None:
    return value.get("__typename") if isinstance(value, dict) else None


# --- object fields -----------------------------------------------------------------------


def _resolve_balance(account: Account, _info: GraphQLResolveInfo, **_args: Any) -> int:
    return account.balance


def _resolve_agreements(
    point: ElectricityMeterPoint | GasMeterPoint, _info: GraphQLResolveInfo, **_args: Any
) -> list[Any]:
    now = _now()
    return [agreement for agreement in point.all_agreements if agreement.is_current_or_future(now)]


def _resolve_account_agreements(account: Account, info: GraphQLResolveInfo, **_args: Any) -> Any:
    agreements = (
        account.electricity_agreements
        if info.field_name == "electricityAgreements"
        else account.gas_agreements
    )
    now = _now()
    return [agreement for agreement in agreements if agreement.is_current_or_future(now)]


def _resolve_unit_rates(
    tariff: HalfHourlyTariff, info: GraphQLResolveInfo, **_args: Any
) -> list[UnitRatePeriod]:
    context: KrakenContext = info.context
    first, last = context.state.rate_window(_now().astimezone(tariff.timezone))
    return tariff.periods(first, last)


def _resolve_tariff_type(
    value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType
) -> str | None:
    return value.graphql_type if isinstance(value, Tariff) else None


def _resolve_account_type(
    _value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType
) -> str:
    return "AccountType"


# --- scalars -----------------------------------------------------------------------------


def _serialize_datetime(value: Any) -> str:
    if isinstance(value, datetime):
        if value.utcoffset() is not None and not value.utcoffset():
            return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return value.isoformat()
    return str(value)


def _serialize_date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _serialize_decimal(value: Any) -> str:
    return str(Decimal(str(value)))


def _identity(value: Any) -> Any:
    return value


def _serialize_time(value: Any) -> str:
    # As graphene's Time scalar (Kraken's server): ISO 8601, with the offset of an aware time.
    return value.isoformat(timespec="seconds") if isinstance(value, time) else str(value)


def _parse_time(value: Any) -> time:
    """`HH:MM`, `HH:MM:SS` or `HH:MM:SS.fffZ` into a time of day."""
    if not isinstance(value, str):
        raise GraphQLError("Time must be a string such as '07:30:00'.")
    text = value.removesuffix("Z")
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise GraphQLError(f"Invalid time: {value!r}.") from None


def _parse_time_literal(node: ValueNode, _variables: Any = None) -> time:
    if not isinstance(node, StringValueNode):
        raise GraphQLError("Time must be a string such as '07:30:00'.")
    return _parse_time(node.value)


def _object(schema: GraphQLSchema, name: str) -> GraphQLObjectType:
    type_ = schema.type_map[name]
    assert isinstance(type_, GraphQLObjectType)  # noqa: S101
    return type_


@cache
def kraken_schema() -> GraphQLSchema:
    """Build the schema once and attach the resolvers."""
    schema = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))
    _object(schema, "Query").fields["viewer"].resolve = _resolve_viewer
    _object(schema, "Query").fields["account"].resolve = _resolve_account
    _object(schema, "Mutation").fields["obtainKrakenToken"].resolve = _resolve_obtain_token
    account = _object(schema, "AccountType")
    account.fields["balance"].resolve = _resolve_balance
    account.fields["electricityAgreements"].resolve = _resolve_account_agreements
    account.fields["gasAgreements"].resolve = _resolve_account_agreements
    _object(schema, "ElectricityMeterPointType").fields["agreements"].resolve = _resolve_agreements
    _object(schema, "GasMeterPointType").fields["agreements"].resolve = _resolve_agreements
    _object(schema, "HalfHourlyTariff").fields["unitRates"].resolve = _resolve_unit_rates
    union = schema.type_map["ElectricityTariffType"]
    assert isinstance(union, GraphQLUnionType)  # noqa: S101
    union.resolve_type = _resolve_tariff_type
    interface = schema.type_map["AccountInterface"]
    assert isinstance(interface, GraphQLInterfaceType)  # noqa: S101
    interface.resolve_type = _resolve_account_type
    query = _object(schema, "Query")
    query.fields["devices"].resolve = _resolve_devices
    query.fields["plannedDispatches"].resolve = _resolve_dispatches
    query.fields["completedDispatches"].resolve = _resolve_dispatches
    mutation = _object(schema, "Mutation")
    mutation.fields["updateDeviceSmartControl"].resolve = _device_mutation(_smart_control)
    mutation.fields["updateBoostCharge"].resolve = _device_mutation(_boost)
    mutation.fields["setDevicePreferences"].resolve = _device_mutation(_preferences)
    for name in (
        "SmartFlexDeviceInterface",
        "SmartFlexDeviceStatusInterface",
        "SmartFlexDevicePreferencesInterface",
        "SmartFlexDeviceAlertInterface",
    ):
        abstract = schema.type_map[name]
        assert isinstance(abstract, GraphQLInterfaceType)  # noqa: S101
        abstract.resolve_type = _resolve_by_typename
    time_scalar = schema.type_map["Time"]
    assert isinstance(time_scalar, GraphQLScalarType)  # noqa: S101
    time_scalar.parse_value = _parse_time  # type: ignore[method-assign]
    time_scalar.parse_literal = _parse_time_literal  # type: ignore[method-assign,assignment]
    serializers: dict[str, Callable[[Any], Any]] = {
        "DateTime": _serialize_datetime,
        "Date": _serialize_date,
        "Decimal": _serialize_decimal,
        "NormalizedDecimal": _serialize_decimal,
        "Time": _serialize_time,
        "BigInt": int,
        "GenericScalar": _identity,
    }
    for name, serialize in serializers.items():
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)  # noqa: S101
        scalar.serialize = serialize  # type: ignore[method-assign,assignment]
    return schema


def execute(
    state: KrakenState,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    authorization: str | None,
) -> ExecutionResult:
    """Parse, validate and execute one GraphQL request."""
    return graphql_sync(
        kraken_schema(),
        query,
        variable_values=variables,
        operation_name=operation_name,
        context_value=KrakenContext(state, authorization),
        field_resolver=_field_resolver,
    )
