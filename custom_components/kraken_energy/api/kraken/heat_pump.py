"""Octopus heat pump controllers (Cosy and others): lifetime energy counters and live performance.

What the real service offers (checked 2026-11-30 against public sources; nothing copied):

- Endpoint: `https://api.backend.octopus.energy/v1/graphql/`, not the account API. It takes
  the same Kraken token in `Authorization` (BottlecapDave/HomeAssistant-OctopusEnergy,
  `custom_components/octopus_energy/api_client/__init__.py`: `_backend_base_url` and
  `async_get_heat_pump_ids` / `async_get_heat_pump_configuration_and_status`, HEAD 4c25c726,
  2026-06-07). That project moved there on 2026-04-02 (commit ef536f3b) because the older
  `octoHeatPump*` fields of api.octopus.energy stopped working after 2026-04-08.
- Controllers: `heatPumpControllersAtLocation(accountNumber, propertyId) { controller { euid } }`,
  asked per property of the account (same file, `heat_pump_ids_query`).
- `heatPumpLivePerformance(accountNumber, euid)` -> `coefficientOfPerformance` (Decimal,
  nullable), `powerInput` / `heatOutput` (`{value, unit}`, unit KILOWATT), `outdoorTemperature`
  (unit DEGREES_CELSIUS), `readAt`.
- `heatPumpLifetimePerformance(accountNumber, euid)` -> `energyInput` / `heatOutput`
  (`{value, unit}`, unit KILOWATT_HOUR), `seasonalCoefficientOfPerformance` (Decimal, nullable),
  `readAt`. The lifetime "may have been reset when it was last provisioned".
- Types, nullability and the unit enums (EnergyUnit KILOWATT_HOUR, PowerUnit KILOWATT,
  TemperatureUnit DEGREES_CELSIUS; `value: Decimal` nullable) come from the GB introspection
  of 2024-11 (bruceskingle/marco-sparko `graphql/octopus/octopus-schema.graphql`, types
  `LiveTelemetry`, `LifetimeTelemetry`, `Energy`, `Power`, `Temperature`, and the argument
  types `euid: ID!`, `propertyId: ID!`, `accountNumber: String!` of the `octoHeatPump*` fields).
  Decimals arrive as JSON strings ("765.599"; the same project's `tests/unit/api_client/
  test_heat_pump.py`).

Unknown units are refused (a parse error naming the field), never shown as kWh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ..json_fields import JsonFields
from .exceptions import KrakenParseError

if TYPE_CHECKING:
    from .client import KrakenClient

OCTOPUS_ENERGY_GB_BACKEND_URL = "https://api.backend.octopus.energy/v1/graphql/"

CONTROLLERS_OPERATION = "HeatPumpControllers"
PERFORMANCE_OPERATION = "HeatPumpPerformance"

# Factor to the unit the model holds (kWh, kW, °C). Only the first of each is documented;
# the watt forms are the same quantity and cost nothing to read right.
_ENERGY_UNITS = {"KILOWATT_HOUR": Decimal(1), "WATT_HOUR": Decimal("0.001")}
_POWER_UNITS = {"KILOWATT": Decimal(1), "WATT": Decimal("0.001")}
_TEMPERATURE_UNITS = {"DEGREES_CELSIUS": Decimal(1)}

_json = JsonFields(KrakenParseError)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpLivePerformance:
    """What the controller measured last: powers in kW, temperature in °C."""

    read_at: datetime | None
    power_input_kw: Decimal | None
    heat_output_kw: Decimal | None
    coefficient_of_performance: Decimal | None
    outdoor_temperature_c: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpLifetimePerformance:
    """Energy counters since the controller was (last) provisioned, in kWh."""

    read_at: datetime | None
    energy_input_kwh: Decimal | None
    heat_output_kwh: Decimal | None
    seasonal_coefficient_of_performance: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpPerformance:
    """One controller's answer; a part not asked for (or null) is None."""

    euid: str
    live: HeatPumpLivePerformance | None
    lifetime: HeatPumpLifetimePerformance | None


# --- documents ----------------------------------------------------------------------------

_QUANTITY = "{ value unit }"


def controllers_document(property_count: int) -> str:
    """The controllers at each of `property_count` properties, one aliased field each."""
    variables = "".join(f", $property{index}: ID!" for index in range(property_count))
    fields = "\n".join(
        f"  at{index}: heatPumpControllersAtLocation("
        f"accountNumber: $accountNumber, propertyId: $property{index}) {{ controller {{ euid }} }}"
        for index in range(property_count)
    )
    return f"query {CONTROLLERS_OPERATION}($accountNumber: String!{variables}) {{\n{fields}\n}}"


def performance_document(controller_count: int, *, lifetime: bool) -> str:
    """Live performance of each controller, and its lifetime counters when `lifetime`."""
    variables = "".join(f", $euid{index}: ID!" for index in range(controller_count))
    parts = []
    for index in range(controller_count):
        arguments = f"(accountNumber: $accountNumber, euid: $euid{index})"
        parts.append(
            f"  live{index}: heatPumpLivePerformance{arguments} {{ readAt coefficientOfPerformance"
            f" powerInput {_QUANTITY} heatOutput {_QUANTITY} outdoorTemperature {_QUANTITY} }}"
        )
        if lifetime:
            parts.append(
                f"  lifetime{index}: heatPumpLifetimePerformance{arguments} {{ readAt"
                f" seasonalCoefficientOfPerformance energyInput {_QUANTITY}"
                f" heatOutput {_QUANTITY} }}"
            )
    body = "\n".join(parts)
    return f"query {PERFORMANCE_OPERATION}($accountNumber: String!{variables}) {{\n{body}\n}}"


# --- parsing ------------------------------------------------------------------------------


def _decimal(value: Any, path: str) -> Decimal | None:
    """A Decimal field: a numeric string (Kraken's Decimal) or a JSON number; null is None.

    NaN and infinities are no readings: None. Anything else is a parse error.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise KrakenParseError(f"{path}: expected a decimal, got {type(value).__name__}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise KrakenParseError(f"{path}: expected a decimal, got {value!r:.40}") from None
    return number if number.is_finite() else None


def _quantity(value: Any, path: str, units: dict[str, Decimal]) -> Decimal | None:
    """A `{value, unit}` object in the model's unit; a null object or value is None."""
    if value is None:
        return None
    quantity = _json.as_dict(value, path)
    number = _decimal(quantity.get("value"), f"{path}.value")
    unit = quantity.get("unit")
    if unit not in units:
        shown = f"{unit!r:.40}" if isinstance(unit, str) else type(unit).__name__
        raise KrakenParseError(f"{path}.unit: unknown unit {shown} (expected {' or '.join(units)})")
    return None if number is None else number * units[unit]


def parse_controllers(data: Any, property_count: int) -> tuple[str, ...]:
    """The controllers' EUIDs over every property asked about, in order, each once.

    A property without controllers answers null or an empty list.
    """
    root = _json.as_dict(data, "data")
    euids: list[str] = []
    for index in range(property_count):
        path = f"at{index}"
        for position, raw in enumerate(_json.as_list(root.get(path), path)):
            item = _json.as_dict(raw, f"{path}[{position}]")
            controller = _json.as_dict(item.get("controller"), f"{path}[{position}].controller")
            euid = _json.as_str(controller.get("euid"), f"{path}[{position}].controller.euid")
            if euid not in euids:
                euids.append(euid)
    return tuple(euids)


def parse_live(value: Any, path: str) -> HeatPumpLivePerformance | None:
    """`heatPumpLivePerformance`; null (no telemetry yet) is None."""
    if value is None:
        return None
    live = _json.as_dict(value, path)
    return HeatPumpLivePerformance(
        read_at=_json.opt_datetime(live.get("readAt"), f"{path}.readAt"),
        power_input_kw=_quantity(live.get("powerInput"), f"{path}.powerInput", _POWER_UNITS),
        heat_output_kw=_quantity(live.get("heatOutput"), f"{path}.heatOutput", _POWER_UNITS),
        coefficient_of_performance=_decimal(
            live.get("coefficientOfPerformance"), f"{path}.coefficientOfPerformance"
        ),
        outdoor_temperature_c=_quantity(
            live.get("outdoorTemperature"), f"{path}.outdoorTemperature", _TEMPERATURE_UNITS
        ),
    )


def parse_lifetime(value: Any, path: str) -> HeatPumpLifetimePerformance | None:
    """`heatPumpLifetimePerformance`; null is None."""
    if value is None:
        return None
    lifetime = _json.as_dict(value, path)
    return HeatPumpLifetimePerformance(
        read_at=_json.opt_datetime(lifetime.get("readAt"), f"{path}.readAt"),
        energy_input_kwh=_quantity(
            lifetime.get("energyInput"), f"{path}.energyInput", _ENERGY_UNITS
        ),
        heat_output_kwh=_quantity(lifetime.get("heatOutput"), f"{path}.heatOutput", _ENERGY_UNITS),
        seasonal_coefficient_of_performance=_decimal(
            lifetime.get("seasonalCoefficientOfPerformance"),
            f"{path}.seasonalCoefficientOfPerformance",
        ),
    )


def parse_performance(
    data: Any, euids: Sequence[str], *, lifetime: bool
) -> tuple[HeatPumpPerformance, ...]:
    """Each controller's performance, in the order of `euids`."""
    root = _json.as_dict(data, "data")
    return tuple(
        HeatPumpPerformance(
            euid=euid,
            live=parse_live(root.get(f"live{index}"), f"live{index}"),
            lifetime=(
                parse_lifetime(root.get(f"lifetime{index}"), f"lifetime{index}")
                if lifetime
                else None
            ),
        )
        for index, euid in enumerate(euids)
    )


# --- requests -----------------------------------------------------------------------------


async def fetch_controllers(
    client: KrakenClient, endpoint: str, account_number: str, property_ids: Sequence[str]
) -> tuple[str, ...]:
    """The EUIDs of the heat pump controllers at the account's properties (one request)."""
    if not property_ids:
        return ()
    variables: dict[str, Any] = {"accountNumber": account_number}
    variables |= {f"property{index}": value for index, value in enumerate(property_ids)}
    data = await client.execute(
        controllers_document(len(property_ids)),
        variables,
        CONTROLLERS_OPERATION,
        endpoint=endpoint,
    )
    return parse_controllers(data, len(property_ids))


async def fetch_performance(
    client: KrakenClient,
    endpoint: str,
    account_number: str,
    euids: Sequence[str],
    *,
    lifetime: bool,
) -> tuple[HeatPumpPerformance, ...]:
    """Live performance of each controller, with its lifetime counters when `lifetime`."""
    if not euids:
        return ()
    variables: dict[str, Any] = {"accountNumber": account_number}
    variables |= {f"euid{index}": euid for index, euid in enumerate(euids)}
    data = await client.execute(
        performance_document(len(euids), lifetime=lifetime),
        variables,
        PERFORMANCE_OPERATION,
        endpoint=endpoint,
    )
    return parse_performance(data, euids, lifetime=lifetime)
