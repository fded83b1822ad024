"""Octopus heat pump controllers and the backend GraphQL endpoint that serves them.

Where the real service is known (see `custom_components/kraken_energy/api/kraken/heat_pump.py`
for the sources): controllers are served by `api.backend.octopus.energy/v1/graphql/`, found per
property with `heatPumpControllersAtLocation(accountNumber, propertyId)`, and report
`heatPumpLivePerformance` / `heatPumpLifetimePerformance(accountNumber, euid)` with `{value,
unit}` quantities (kW, kWh, °C) and Decimals as strings. The endpoint takes the account API's
token. `backend.graphql` declares the types, written from the GB introspection of 2024-11
(types `ControllerAtLocation`, `LiveTelemetry`, `LifetimeTelemetry`, `Energy`, `Power`,
`Temperature`) and the 2026 field names and arguments other clients send.

Invented here (no public evidence): the EUID format, the error for a controller of another
account (the account API's KT-CT-4123), and the performance curve. The curve is a daily cycle
with a closed-form integral, so the lifetime counters always equal what the live power and COP
delivered since provisioning: power input P(t) = P0 + A sin(wt), COP(t) = C0 - B sin(wt) (colder
hours draw more and convert less), heat output P(t) * COP(t).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
    graphql_sync,
)

from .errors import ErrorSpec, KrakenError

if TYPE_CHECKING:
    from .scenario import Account, Property
    from .state import KrakenState

# As the account API refuses another account's number (state.ACCOUNT_UNAUTHORIZED), and a
# device the account does not have (devices.DEVICE_NOT_FOUND).
ACCOUNT_UNAUTHORIZED = ErrorSpec("KT-CT-4123", "Unauthorized.", "AUTHORIZATION")
CONTROLLER_NOT_FOUND = ErrorSpec(
    "KT-CT-4301", "Unable to find device for given account.", "NOT_FOUND"
)

BACKEND_SCHEMA_PATH = Path(__file__).with_name("backend.graphql")

DAY_SECONDS = 86400.0
_OMEGA = 2 * math.pi / DAY_SECONDS
# Readings carry three decimals, as the real service's do ("765.599").
_PLACES = Decimal("0.001")


@dataclass(kw_only=True)
class HeatPumpController:
    """An Octopus heat pump controller at a property, with its performance over time."""

    euid: str
    model: str = "Cosy 6"
    provisioned_at: datetime
    """The lifetime counters start from zero here (the real ones reset on provisioning)."""
    base_power_kw: float = 0.45
    power_swing_kw: float = 0.3
    base_cop: float = 3.2
    cop_swing: float = 0.5
    base_outdoor_c: float = 6.0
    outdoor_swing_c: float = 4.0
    reporting: bool = True
    """False: the controller has sent no telemetry yet (live and lifetime answer null)."""

    def _phase(self, at: datetime) -> float:
        return _OMEGA * (at - self.provisioned_at).total_seconds()

    def power_input_kw(self, at: datetime) -> float:
        """Electrical power drawn at `at`."""
        return self.base_power_kw + self.power_swing_kw * math.sin(self._phase(at))

    def cop(self, at: datetime) -> float:
        """Coefficient of performance at `at`."""
        return self.base_cop - self.cop_swing * math.sin(self._phase(at))

    def heat_output_kw(self, at: datetime) -> float:
        """Heat delivered at `at`."""
        return self.power_input_kw(at) * self.cop(at)

    def outdoor_c(self, at: datetime) -> float:
        """Outdoor temperature at `at`: lowest when the pump works hardest."""
        return self.base_outdoor_c - self.outdoor_swing_c * math.sin(self._phase(at))

    def energy_input_kwh(self, at: datetime) -> float:
        """Electricity drawn since provisioning: the integral of `power_input_kw`."""
        seconds = max(0.0, (at - self.provisioned_at).total_seconds())
        swing = self.power_swing_kw / _OMEGA * (1 - math.cos(_OMEGA * seconds))
        return (self.base_power_kw * seconds + swing) / 3600

    def heat_output_kwh(self, at: datetime) -> float:
        """Heat delivered since provisioning: the integral of `heat_output_kw`.

        P * COP = P0 C0 + (A C0 - P0 B) sin(wt) - A B sin^2(wt), and sin^2 = (1 - cos 2wt) / 2.
        """
        seconds = max(0.0, (at - self.provisioned_at).total_seconds())
        p0, a, c0, b = self.base_power_kw, self.power_swing_kw, self.base_cop, self.cop_swing
        linear = p0 * c0 * seconds
        first = (a * c0 - p0 * b) / _OMEGA * (1 - math.cos(_OMEGA * seconds))
        second = -a * b / 2 * (seconds - math.sin(2 * _OMEGA * seconds) / (2 * _OMEGA))
        return (linear + first + second) / 3600

    def live_view(self, now: datetime) -> dict[str, Any] | None:
        """`LiveTelemetry` as the schema's resolvers read it."""
        if not self.reporting:
            return None
        return {
            "readAt": now,
            "coefficientOfPerformance": _rounded(self.cop(now)),
            "powerInput": {"value": _rounded(self.power_input_kw(now)), "unit": "KILOWATT"},
            "heatOutput": {"value": _rounded(self.heat_output_kw(now)), "unit": "KILOWATT"},
            "outdoorTemperature": {
                "value": _rounded(self.outdoor_c(now)),
                "unit": "DEGREES_CELSIUS",
            },
        }

    def lifetime_view(self, now: datetime) -> dict[str, Any] | None:
        """`LifetimeTelemetry` as the schema's resolvers read it."""
        if not self.reporting:
            return None
        energy_in = self.energy_input_kwh(now)
        heat_out = self.heat_output_kwh(now)
        return {
            "readAt": now,
            "seasonalCoefficientOfPerformance": _rounded(heat_out / energy_in)
            if energy_in
            else None,
            "energyInput": {"value": _rounded(energy_in), "unit": "KILOWATT_HOUR"},
            "heatOutput": {"value": _rounded(heat_out), "unit": "KILOWATT_HOUR"},
        }


def _rounded(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(_PLACES)


# --- the backend endpoint -----------------------------------------------------------------


@dataclass
class _Context:
    state: KrakenState
    authorization: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _account(info: GraphQLResolveInfo, number: str) -> Account:
    context: _Context = info.context
    try:
        # The backend takes the tokens the GB account API issues.
        user = context.state.authenticate(context.authorization)
    except KrakenError as err:
        raise GraphQLError(err.message, extensions=err.extensions) from None
    for account in user.accounts:
        if account.number == number:
            return account
    error = ACCOUNT_UNAUTHORIZED.error()
    raise GraphQLError(error.message, extensions=error.extensions)


def _controller(info: GraphQLResolveInfo, number: str, euid: str) -> HeatPumpController:
    for prop in _account(info, number).properties:
        for controller in controllers_of(prop):
            if controller.euid == euid:
                return controller
    error = CONTROLLER_NOT_FOUND.error()
    raise GraphQLError(error.message, extensions=error.extensions)


def controllers_of(prop: Property) -> list[HeatPumpController]:
    """The controllers installed at a property."""
    return prop.heat_pump_controllers


def _resolve_controllers(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,  # noqa: N803
    propertyId: str,  # noqa: N803
) -> list[dict[str, Any]]:
    for prop in _account(info, accountNumber).properties:
        if prop.id == str(propertyId):
            return [
                {
                    "controller": {"euid": controller.euid},
                    "heatPumpModel": controller.model,
                    "location": {"propertyId": prop.id},
                    "provisionedAt": controller.provisioned_at,
                }
                for controller in controllers_of(prop)
            ]
    return []


def _resolve_live(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,  # noqa: N803
    euid: str,
) -> dict[str, Any] | None:
    return _controller(info, accountNumber, euid).live_view(_now())


def _resolve_lifetime(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,  # noqa: N803
    euid: str,
) -> dict[str, Any] | None:
    return _controller(info, accountNumber, euid).lifetime_view(_now())


def _serialize_datetime(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def _serialize_decimal(value: Any) -> str:
    return str(Decimal(str(value)))


@cache
def backend_schema() -> GraphQLSchema:
    """The executable schema of the backend endpoint (built once)."""
    schema = build_schema(BACKEND_SCHEMA_PATH.read_text(encoding="utf-8"))
    query = schema.query_type
    if query is None:
        raise TypeError(f"{BACKEND_SCHEMA_PATH.name} declares no Query")
    query.fields["heatPumpControllersAtLocation"].resolve = _resolve_controllers
    query.fields["heatPumpLivePerformance"].resolve = _resolve_live
    query.fields["heatPumpLifetimePerformance"].resolve = _resolve_lifetime
    for name, serialize in (("DateTime", _serialize_datetime), ("Decimal", _serialize_decimal)):
        scalar = schema.type_map[name]
        if isinstance(scalar, GraphQLScalarType):
            scalar.serialize = serialize  # type: ignore[method-assign]
    return schema


def _field_resolver(source: Any, info: GraphQLResolveInfo, **_args: Any) -> Any:
    return source.get(info.field_name) if isinstance(source, dict) else None


def execute_backend(
    state: KrakenState,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    authorization: str | None,
) -> ExecutionResult:
    """Parse, validate and execute one request to the backend endpoint."""
    return graphql_sync(
        backend_schema(),
        query,
        variable_values=variables,
        operation_name=operation_name,
        context_value=_Context(state, authorization),
        field_resolver=_field_resolver,
    )
