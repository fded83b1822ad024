"""Smart-meter interval readings (`PropertyType.measurements`), for consumption statistics.

One request reads a window of every wanted supply point at once: one aliased `measurements`
selection per supply point, filtered by its MPAN/MPRN/MaLo and reading direction, oldest
first, paged by cursor (public sources in README, "Consumption and cost"). The node, filter
and cost types are not among the types the account documents use, so the instance is asked
about them once (`learn`) and the document is composed from the answer: an instance without
gas filters (the German one) is not asked for gas, one without cost statistics not for costs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .exceptions import KrakenParseError
from .parsers import as_datetime, as_dict, as_list, as_str, opt_number, opt_str
from .schema import (
    INTROSPECTION_OPERATION,
    MEASUREMENT_TYPES,
    Capabilities,
    introspection_document,
    parse_introspection,
)
from .selection import F, On, compose, f, fields, on

OPERATION = "Measurements"
# Statistics whose `costInclTax` is what an interval's energy cost (Kraken's own price).
COST_STATISTICS = frozenset({"CONSUMPTION_COST", "TOU_BUCKET_COST", "GENERATION_VALUE"})
VOLUME_UNITS = frozenset({"m3", "m³", "m^3", "meters_cubed", "cubic_meters", "cubic_metres"})
ENERGY_UNITS = {"kwh": 1.0, "kilowatt_hours": 1.0, "wh": 0.001, "watt_hours": 0.001}
MINOR_UNITS_PER_MAJOR = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplyPointQuery:
    """What to read for one supply point: its identifier and which way energy flows."""

    key: str
    """The alias its readings come back under (letters, digits, underscores)."""
    supply_point: str
    property_id: str | None
    gas: bool = False
    generation: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalReading:
    """Energy over [start, end), in the meter's unit, and Kraken's price for it if it sent one."""

    start: datetime
    end: datetime
    value: float
    unit: str
    price_per_unit: float | None = None
    """Inc. tax, in major currency units per `unit` (Kraken sends minor units)."""
    cost: float | None = None
    """Inc. tax, in major currency units, where Kraken sent an amount but no unit price."""

    @property
    def kwh_factor(self) -> float | None:
        """KWh per unit of `value`; None for volume (converted with a calorific value)."""
        return ENERGY_UNITS.get(self.unit.strip().lower())

    @property
    def is_volume(self) -> bool:
        """Whether the value is a gas volume in cubic metres."""
        return self.unit.strip().lower() in VOLUME_UNITS


@dataclass(frozen=True, slots=True)
class MeasurementPage:
    """One supply point's readings in a response, and where the next page starts."""

    readings: tuple[IntervalReading, ...]
    next_cursor: str | None


async def learn(execute: Any, capabilities: Capabilities) -> Capabilities:
    """The instance's capabilities with the measurement types added (a request when unknown).

    `execute` is the client's `execute` (document, variables, operation name).
    """
    # The client's own schema request asks about them; a schema stored by an older release
    # did not, and costs this one request once.
    missing = sorted(capabilities.missing_types(MEASUREMENT_TYPES))
    if not missing:
        return capabilities
    data = await execute(introspection_document(missing), {}, INTROSPECTION_OPERATION)
    learnt = parse_introspection(data, missing)
    return Capabilities({**capabilities.types, **learnt}, capabilities.learnt_at)


def supports_measurements(capabilities: Capabilities) -> bool:
    """Whether the instance has interval readings that can be filtered by supply point."""
    info = capabilities.field("PropertyType", "measurements")
    return (
        info is not None
        and {"first", "after", "startAt", "endAt", "utilityFilters"} <= info.args
        and capabilities.has_type("IntervalMeasurementType")
        and capabilities.has_type("ElectricityFiltersInput")
    )


def supports_gas(capabilities: Capabilities) -> bool:
    """Whether gas readings can be asked for (the German instance has no gas filters)."""
    return capabilities.has_type("GasFiltersInput")


_COST = f("costInclTax", F("estimatedAmount"), f("pricePerUnit", F("amount")))


def _measurements(index: int, query: SupplyPointQuery, *, resume: bool) -> F:
    node = f(
        "node",
        *fields("value", "unit"),
        on("IntervalMeasurementType", *fields("startAt", "endAt")),
        f("metaData", f("statistics", F("type"), _COST)),
    )
    args = {
        "first": "$first",
        "startAt": "$startAt",
        "endAt": "$endAt",
        "utilityFilters": f"$filters{index}",
    }
    if resume:
        args["after"] = f"$after{index}"
    return f(
        "measurements",
        f("edges", node),
        f("pageInfo", *fields("hasNextPage", "endCursor")),
        alias=query.key,
        args=args,
    )


def document(
    capabilities: Capabilities, queries: Sequence[SupplyPointQuery], cursors: Mapping[str, str]
) -> tuple[str, dict[str, str]]:
    """The query text for these supply points, and the variables it declares with their types.

    A supply point with a cursor gets `after:` (its next page), the others start the window.
    """
    selections: list[F | On] = [F("id")]
    variables = {
        "accountNumber": "String!",
        "first": "Int",
        "startAt": "DateTime",
        "endAt": "DateTime",
    }
    for index, query in enumerate(queries):
        selections.append(_measurements(index, query, resume=query.key in cursors))
        variables[f"filters{index}"] = "[UtilityFiltersInput!]"
        variables[f"after{index}"] = "String"
    tree = (
        f(
            "account",
            f(properties_field(capabilities), *selections, required=True),
            args={"accountNumber": "$accountNumber"},
            required=True,
        ),
    )
    composed = compose(
        capabilities, operation="query", name=OPERATION, variables=variables, selections=tree
    )
    return composed.text, {name: variables[name] for name in composed.variables}


def variables(
    account_number: str,
    queries: Sequence[SupplyPointQuery],
    start: datetime,
    end: datetime,
    page_size: int,
    cursors: Mapping[str, str],
) -> dict[str, Any]:
    """The values of `document`'s variables."""
    values: dict[str, Any] = {
        "accountNumber": account_number,
        "first": page_size,
        "startAt": start.isoformat(),
        "endAt": end.isoformat(),
    }
    for index, query in enumerate(queries):
        if query.gas:
            filters: dict[str, Any] = {"gasFilters": {"marketSupplyPointId": query.supply_point}}
        else:
            filters = {
                "electricityFilters": {
                    "marketSupplyPointId": query.supply_point,
                    "readingDirection": "GENERATION" if query.generation else "CONSUMPTION",
                }
            }
        values[f"filters{index}"] = [filters]
        if query.key in cursors:
            values[f"after{index}"] = cursors[query.key]
    return values


def _price(statistics: Any, path: str) -> tuple[float | None, float | None]:
    """(unit price, amount) inc. tax of the first cost statistic, in major units."""
    for index, item in enumerate(as_list(statistics, path)):
        statistic = as_dict(item, f"{path}[{index}]")
        if opt_str(statistic.get("type"), f"{path}[{index}].type") not in COST_STATISTICS:
            continue
        cost = statistic.get("costInclTax")
        if not isinstance(cost, dict):
            continue
        per_unit = cost.get("pricePerUnit")
        price = (
            opt_number(per_unit.get("amount"), f"{path}[{index}].pricePerUnit")
            if isinstance(per_unit, dict)
            else None
        )
        amount = opt_number(cost.get("estimatedAmount"), f"{path}[{index}].estimatedAmount")
        return (
            None if price is None else price / MINOR_UNITS_PER_MAJOR,
            None if amount is None else amount / MINOR_UNITS_PER_MAJOR,
        )
    return None, None


def parse(
    data: Any, queries: Sequence[SupplyPointQuery], properties: str = "properties"
) -> dict[str, MeasurementPage]:
    """Each supply point's readings (oldest first) from a `document` answer.

    A supply point's readings are taken from its own property, else from any that has some
    (an instance may not name properties the way the account listing did).
    """
    account = as_dict(as_dict(data, "data").get("account"), "account")
    listed = account.get(properties)
    if listed is None:
        listed = account.get("allProperties" if properties == "properties" else "properties")
    props = [as_dict(item, f"account.{properties}") for item in as_list(listed, properties)]
    pages: dict[str, MeasurementPage] = {}
    for query in queries:
        own = [prop for prop in props if opt_str(prop.get("id"), "id") == query.property_id]
        candidates = own + [prop for prop in props if prop not in own]
        page = MeasurementPage((), None)
        for prop in candidates:
            connection = prop.get(query.key)
            if connection is None:
                continue
            page = _page(connection, f"account.{properties}.{query.key}")
            if page.readings:
                break
        pages[query.key] = page
    return pages


def _page(raw: Any, path: str) -> MeasurementPage:
    connection = as_dict(raw, path)
    readings: list[IntervalReading] = []
    for index, item in enumerate(as_list(connection.get("edges"), f"{path}.edges")):
        node_path = f"{path}.edges[{index}].node"
        node = as_dict(as_dict(item, f"{path}.edges[{index}]").get("node"), node_path)
        if "startAt" not in node:
            continue  # a point reading, not an interval
        value = opt_number(node.get("value"), f"{node_path}.value")
        if value is None:
            continue
        meta = node.get("metaData")
        price, cost = (
            _price(meta.get("statistics"), f"{node_path}.metaData.statistics")
            if isinstance(meta, dict)
            else (None, None)
        )
        readings.append(
            IntervalReading(
                start=as_datetime(node.get("startAt"), f"{node_path}.startAt"),
                end=as_datetime(node.get("endAt"), f"{node_path}.endAt"),
                value=value,
                unit=as_str(node.get("unit"), f"{node_path}.unit"),
                price_per_unit=price,
                cost=cost,
            )
        )
    info = connection.get("pageInfo")
    if not isinstance(info, dict):
        info = {}
    more = info.get("hasNextPage") is True
    cursor = opt_str(info.get("endCursor"), f"{path}.pageInfo.endCursor") if more else None
    if more and not cursor:
        raise KrakenParseError(f"{path}.pageInfo: a next page without a cursor")
    return MeasurementPage(tuple(sorted(readings, key=lambda r: r.start)), cursor)


def properties_field(capabilities: Capabilities) -> str:
    """The account field whose properties carry the measurements on this instance."""
    return (
        "allProperties" if capabilities.has_field("AccountType", "allProperties") else "properties"
    )
