"""The executable Kraken schemas: one per dialect of `schema.graphql`, sharing the resolvers.

`dialect_schema(name, hidden)` builds (and caches) the schema of a dialect with some fields
hidden; `execute` runs a request against the schema the state selects for an instance, and
`http_answer` turns the result into the HTTP status and body a Kraken instance sends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
import re
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    ValueNode,
    build_ast_schema,
    graphql_sync,
)
from graphql.language import StringValueNode

from . import dialects
from .devices import DEVICE_NOT_FOUND, SmartDevice, SmartFlexHome
from .dialects import DE_2026, GB_DIALECTS, SEED, Dialect
from .errors import KrakenError
from .germany import Agreement as DeAgreement, UnitRateForecast
from .measurements import measurements
from .rates import UnitRatePeriod
from .scenario import (
    DE,
    GB,
    Account,
    ElectricityMeterPoint,
    GasMeterPoint,
    HalfHourlyTariff,
    Property,
    Tariff,
    User,
)
from .state import ACCOUNT_UNAUTHORIZED, KrakenState
from .telemetry import telemetry

SCHEMA_PATH = dialects.SCHEMA_PATH

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")

# A device or status type a dialect lacks is served as the generic one (as the German instance
# and the 2024 GB schema do for heat pumps and storage heaters).
_GENERIC_TYPES = {
    "SmartFlexDeviceInterface": "SmartFlexDevice",
    "SmartFlexDeviceStatusInterface": "SmartFlexDeviceStatus",
}


@dataclass
class KrakenContext:
    """Per-request execution context."""

    state: KrakenState
    authorization: str | None
    instance: str = GB
    dialect: str = SEED


def _snake(name: str) -> str:
    return _CAMEL.sub(r"_\1", name).lower()


def _field_resolver(source: Any, info: GraphQLResolveInfo, **_args: Any) -> Any:
    """Read the snake_case attribute (or dict key) named after the field; null if absent."""
    name = info.field_name
    if isinstance(source, dict):
        return source.get(name, source.get(_snake(name)))
    return getattr(source, _snake(name), None)


def _context(info: GraphQLResolveInfo) -> KrakenContext:
    context: KrakenContext = info.context
    return context


def _user(info: GraphQLResolveInfo) -> User:
    context = _context(info)
    try:
        return context.state.authenticate(context.authorization, context.instance)
    except KrakenError as err:
        raise _graphql_error(err) from None


def _graphql_error(err: KrakenError) -> GraphQLError:
    return GraphQLError(err.message, extensions=err.extensions)


def _now() -> datetime:
    return datetime.now(UTC)


def _accounts(info: GraphQLResolveInfo) -> list[Account]:
    """The signed-in user's accounts that this instance serves."""
    instance = _context(info).instance
    return [account for account in _user(info).accounts if instance in account.instances]


def _boosts(info: GraphQLResolveInfo) -> bool:
    """Whether boost charges show among the dispatches (every dialect but the seed)."""
    return _context(info).dialect != SEED


# --- root fields -------------------------------------------------------------------------


def _resolve_viewer(_root: Any, info: GraphQLResolveInfo) -> User:
    return _user(info)


def _resolve_user_accounts(_user_: User, info: GraphQLResolveInfo) -> list[Account]:
    return _accounts(info)


def _resolve_account(_root: Any, info: GraphQLResolveInfo, accountNumber: str) -> Account:  # noqa: N803
    return _owned_account(info, accountNumber)


def _resolve_obtain_token(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:  # noqa: A002
    context = _context(info)
    try:
        return context.state.obtain_token(input, context.instance)
    except KrakenError as err:
        raise _graphql_error(err) from None


def _owned_account(info: GraphQLResolveInfo, number: str) -> Account:
    for account in _accounts(info):
        if account.number == number:
            return account
    raise _graphql_error(ACCOUNT_UNAUTHORIZED.error())


def _device_view(device: SmartDevice, now: datetime, home: SmartFlexHome) -> dict[str, Any]:
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
        "status": device.status(now, home.active_power_kw(device, now)),
        "preferences": device.preferences_view(),
        "charging_preferences": device.charging_preferences_view(),
        "alerts": [{"__typename": "SmartFlexDeviceAlert", **alert} for alert in alerts],
        "vehicle_variant": (
            {"model": device.model, "battery_size": device.battery_size}
            if device.battery_size is not None
            else None
        ),
        "vehicle_battery_size": device.battery_size,
        "charge_point_power_output": device.charge_point_power_kw,
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
        _device_view(device, now, home)
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
    # Every dialect but the seed: an account without devices has no dispatches to list; Kraken
    # says so with KT-CT-4301 (seen on the German instance, kraken_de.md section 3.1).
    if not home.devices and _context(info).dialect != SEED:
        raise _graphql_error(DEVICE_NOT_FOUND.error())
    now = _now()
    boosts = _boosts(info)
    if info.field_name == "plannedDispatches":
        return [dispatch.view(planned=True) for dispatch in home.planned(now, boosts=boosts)]
    return [dispatch.view(planned=False) for dispatch in home.completed(now, boosts=boosts)]


def _resolve_flex_planned_dispatches(
    _root: Any,
    info: GraphQLResolveInfo,
    deviceId: str,  # noqa: N803
) -> list[dict[str, Any]]:
    for account in _accounts(info):
        for device in account.smartflex.devices:
            if device.id == deviceId:
                now = _now()
                planned = account.smartflex.device_planned(device.id, now)
                return [dispatch.flex_view() for dispatch in planned]
    raise _graphql_error(DEVICE_NOT_FOUND.error())


def _user_device(info: GraphQLResolveInfo, device_id: str) -> tuple[SmartDevice, SmartFlexHome]:
    for account in _accounts(info):
        for device in account.smartflex.devices:
            if device.id == device_id:
                return device, account.smartflex
    raise _graphql_error(DEVICE_NOT_FOUND.error())


def _device_mutation(
    command: Callable[[SmartDevice, dict[str, Any], datetime], None],
) -> Callable[..., dict[str, Any]]:
    def resolve(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        device, home = _user_device(info, str(input["deviceId"]))
        now = _now()
        try:
            command(device, input, now)
        except KrakenError as err:
            raise _graphql_error(err) from None
        return _device_view(device, now, home)

    return resolve


def _smart_control(device: SmartDevice, data: dict[str, Any], _now: datetime) -> None:
    device.set_smart_control(str(data["action"]))


def _boost(device: SmartDevice, data: dict[str, Any], now: datetime) -> None:
    device.update_boost(str(data["action"]), now)


def _preferences(device: SmartDevice, data: dict[str, Any], _now: datetime) -> None:
    device.set_preferences(data)


def _resolve_smart_meter_telemetry(
    _root: Any,
    info: GraphQLResolveInfo,
    deviceId: str,  # noqa: N803
    **args: Any,
) -> list[dict[str, Any]]:
    try:
        return telemetry(_accounts(info), deviceId, _now(), **args)
    except KrakenError as err:
        raise _graphql_error(err) from None


def _resolve_by_typename(
    value: Any, info: GraphQLResolveInfo, abstract: GraphQLAbstractType
) -> str | None:
    if not isinstance(value, dict):
        return None
    name = value.get("__typename")
    if isinstance(name, str) and name not in info.schema.type_map:
        return _GENERIC_TYPES.get(abstract.name, name)
    return name


# --- object fields -----------------------------------------------------------------------


def _resolve_balance(account: Account, info: GraphQLResolveInfo, **_args: Any) -> int | None:
    """The balance: null where the schema allows it (Germany) and the account has none.

    Where the schema does not (GB), an account without a balance shows its ledgers' sum.
    """
    if account.balance is None and isinstance(info.return_type, GraphQLNonNull):
        return account.ledger_balance
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


def _resolve_all_properties(account: Account, _info: GraphQLResolveInfo) -> list[Property]:
    return account.properties


def _resolve_property(account: Account, _info: GraphQLResolveInfo, id: str) -> Property | None:  # noqa: A002
    return next((prop for prop in account.properties if prop.id == str(id)), None)


def _resolve_measurements(prop: Property, info: GraphQLResolveInfo, **args: Any) -> Any:
    return measurements(prop, instance=_context(info).instance, now=_now(), args=args)


def _resolve_unit_rate_forecast(
    agreement: DeAgreement, _info: GraphQLResolveInfo
) -> list[UnitRateForecast]:
    return agreement.unit_rate_forecast(_now())


def _resolve_unit_rates(
    tariff: HalfHourlyTariff, info: GraphQLResolveInfo, **_args: Any
) -> list[UnitRatePeriod]:
    first, last = _context(info).state.rate_window(_now().astimezone(tariff.timezone))
    return tariff.periods(first, last)


def _resolve_tariff_type(
    value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType
) -> str | None:
    return value.graphql_type if isinstance(value, Tariff) else None


def _resolve_graphql_type(
    value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType
) -> str | None:
    name = getattr(value, "graphql_type", None)
    return name if isinstance(name, str) else None


def _resolve_account_type(
    _value: Any, _info: GraphQLResolveInfo, _type: GraphQLAbstractType
) -> str:
    return "AccountType"


# --- scalars -----------------------------------------------------------------------------


def _datetime_serializer(utc_suffix: str) -> Callable[[Any], str]:
    """ISO 8601; a UTC instant ends in `utc_suffix` ("Z" in the seed, "+00:00" as Kraken)."""

    def serialize(value: Any) -> str:
        if isinstance(value, datetime):
            if value.utcoffset() is not None and not value.utcoffset():
                return value.astimezone(UTC).isoformat().replace("+00:00", utc_suffix)
            if utc_suffix != "Z" and value.utcoffset() is not None:
                # Real instances answer in UTC (German local midnight is 23:00+00:00).
                return value.astimezone(UTC).isoformat()
            return value.isoformat()
        return str(value)

    return serialize


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


# --- building ----------------------------------------------------------------------------


def _field_of(schema: GraphQLSchema, path: str) -> Any:
    """The field "Type.field" of a built schema, or None when the dialect lacks it."""
    type_name, _, field_name = path.partition(".")
    type_ = schema.type_map.get(type_name)
    if not isinstance(type_, GraphQLObjectType):
        return None
    return type_.fields.get(field_name)


_RESOLVERS: dict[str, Callable[..., Any]] = {
    "Query.viewer": _resolve_viewer,
    "Query.account": _resolve_account,
    "Query.devices": _resolve_devices,
    "Query.plannedDispatches": _resolve_dispatches,
    "Query.completedDispatches": _resolve_dispatches,
    "Query.flexPlannedDispatches": _resolve_flex_planned_dispatches,
    "Query.smartMeterTelemetry": _resolve_smart_meter_telemetry,
    "Mutation.obtainKrakenToken": _resolve_obtain_token,
    "Mutation.updateDeviceSmartControl": _device_mutation(_smart_control),
    "Mutation.updateBoostCharge": _device_mutation(_boost),
    "Mutation.setDevicePreferences": _device_mutation(_preferences),
    "AccountUserType.accounts": _resolve_user_accounts,
    "AccountType.balance": _resolve_balance,
    "AccountType.electricityAgreements": _resolve_account_agreements,
    "AccountType.gasAgreements": _resolve_account_agreements,
    "AccountType.allProperties": _resolve_all_properties,
    "AccountType.property": _resolve_property,
    "ElectricityMeterPointType.agreements": _resolve_agreements,
    "GasMeterPointType.agreements": _resolve_agreements,
    "HalfHourlyTariff.unitRates": _resolve_unit_rates,
    "Agreement.unitRateForecast": _resolve_unit_rate_forecast,
    "PropertyType.measurements": _resolve_measurements,
}

_TYPE_RESOLVERS: dict[str, Callable[..., Any]] = {
    "ElectricityTariffType": _resolve_tariff_type,
    "UnitRateInformation": _resolve_graphql_type,
    "AccountInterface": _resolve_account_type,
    "SmartFlexDeviceInterface": _resolve_by_typename,
    "SmartFlexDeviceStatusInterface": _resolve_by_typename,
    "SmartFlexDevicePreferencesInterface": _resolve_by_typename,
    "SmartFlexDeviceAlertInterface": _resolve_by_typename,
    "MeasurementInterface": _resolve_by_typename,
}


def _attach(schema: GraphQLSchema, spec: Dialect) -> None:
    for path, resolve in _RESOLVERS.items():
        definition = _field_of(schema, path)
        if definition is not None:
            definition.resolve = resolve
    for name, resolve_type in _TYPE_RESOLVERS.items():
        abstract = schema.type_map.get(name)
        if isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType):
            abstract.resolve_type = resolve_type
    time_scalar = schema.type_map.get("Time")
    if isinstance(time_scalar, GraphQLScalarType):
        time_scalar.parse_value = _parse_time  # type: ignore[method-assign]
        time_scalar.parse_literal = _parse_time_literal  # type: ignore[method-assign,assignment]
    serializers: dict[str, Callable[[Any], Any]] = {
        "DateTime": _datetime_serializer(spec.utc_offset_suffix),
        "Date": _serialize_date,
        "Decimal": _serialize_decimal,
        "NormalizedDecimal": _serialize_decimal,
        "Time": _serialize_time,
        "BigInt": int,
        "GenericScalar": _identity,
    }
    for name, serialize in serializers.items():
        scalar = schema.type_map.get(name)
        if isinstance(scalar, GraphQLScalarType):
            scalar.serialize = serialize  # type: ignore[method-assign,assignment]


@lru_cache(maxsize=64)
def _build(name: str, hidden: frozenset[str]) -> GraphQLSchema:
    spec = dialects.dialect(name)
    schema = build_ast_schema(dialects.dialect_document(spec, hidden))
    _attach(schema, spec)
    return schema


def dialect_schema(name: str = SEED, hidden: Iterable[str] = ()) -> GraphQLSchema:
    """The executable schema of a dialect, without the `hidden` fields (built once, cached).

    ValueError for an unknown dialect or a hidden name that is in no dialect at all.
    """
    hidden = frozenset(hidden)
    dialects.dialect(name)
    dialects.check_names(hidden, "hidden_fields")
    return _build(name, hidden)


def kraken_schema(name: str = SEED) -> GraphQLSchema:
    """The executable schema of a dialect (default: the seed)."""
    return dialect_schema(name)


def served_dialect(state: KrakenState, instance: str = GB) -> str:
    """The dialect an endpoint serves now: the state's GB dialect, or de-2026."""
    if instance == DE:
        return DE_2026
    if state.dialect not in GB_DIALECTS:
        raise ValueError(f"The GB endpoint speaks {', '.join(GB_DIALECTS)}; not {state.dialect!r}.")
    return state.dialect


def execute(
    state: KrakenState,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    authorization: str | None,
    *,
    instance: str = GB,
) -> ExecutionResult:
    """Parse, validate and execute one GraphQL request on an instance ("gb" or "de")."""
    name = served_dialect(state, instance)
    return graphql_sync(
        dialect_schema(name, state.hidden_fields),
        query,
        variable_values=variables,
        operation_name=operation_name,
        context_value=KrakenContext(state, authorization, instance, name),
        field_resolver=_field_resolver,
    )


def http_answer(result: ExecutionResult) -> tuple[int, dict[str, Any]]:
    """HTTP status and JSON body of a result, as a Kraken instance sends them.

    Observed (research kraken_gb.md section 6; BottlecapDave/HomeAssistant-OctopusEnergy issues
    #1447 and #972): a document that does not validate gets HTTP 400 and
    `{"errors": [{"message": "Cannot query field 'x' on type 'Y'. ...", "locations": [...]}]}`,
    with graphql-core 3's wording and no `data`; application errors (KT-CT codes) come with
    HTTP 200, `data` and a `path`. Kraken runs graphene, whose Django view answers 400 for any
    error without a path; so, by inference, a syntax error or a variable that does not coerce
    is a 400 here too.
    """
    errors = [error.formatted for error in result.errors or ()]
    if result.errors and any(error.path is None for error in result.errors):
        return 400, {"errors": errors}
    payload: dict[str, Any] = {}
    if errors:
        payload["errors"] = errors
    payload["data"] = result.data
    return 200, payload
