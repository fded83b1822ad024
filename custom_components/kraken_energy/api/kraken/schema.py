"""What a Kraken instance's schema offers, learnt by a targeted introspection.

Kraken instances differ by supplier and move on over time (a field is added, a root field
is deprecated and removed), and a GraphQL server refuses a whole document that names a single
field it lacks. So the client asks the instance, in one request, about just the types its
documents use, and composes every document from the answer (`selection.compose`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import re
from typing import Any

from .exceptions import KrakenParseError

# The types of interval readings (consumption and cost statistics).
MEASUREMENT_TYPES = (
    "MeasurementConnection",
    "MeasurementEdge",
    "PageInfo",
    "MeasurementInterface",
    "IntervalMeasurementType",
    "MeasurementsMetadataOutput",
    "StatisticOutput",
    "EstimatedMoneyType",
    "PricePerUnit",
    "UtilityFiltersInput",
    "ElectricityFiltersInput",
    "GasFiltersInput",
)

# The types the documents name, in every dialect known. A type the instance lacks comes back
# null; a field whose type is not listed here is looked up in a second round.
KNOWN_TYPES: tuple[str, ...] = (
    "Query",
    "Mutation",
    # Accounts, GB shape.
    "AccountType",
    "AccountInterface",
    "PropertyType",
    "ElectricityMeterPointType",
    "GasMeterPointType",
    "ElectricityMeterType",
    "GasMeterType",
    "SmartMeterDeviceType",
    "SmartMeterTelemetryType",
    "ElectricityAgreementType",
    "GasAgreementType",
    "BillingOptionsType",
    "LedgerType",
    "StandardTariff",
    "DayNightTariff",
    "ThreeRateTariff",
    "HalfHourlyTariff",
    "PrepayTariff",
    "GasTariffType",
    "UnitRate",
    # Devices and dispatches.
    "SmartFlexDeviceInterface",
    "SmartFlexDevice",
    "SmartFlexVehicle",
    "SmartFlexChargePoint",
    "SmartFlexBattery",
    "SmartFlexHeatPump",
    "SmartFlexInverter",
    "SmartFlexStorageHeaters",
    "SmartFlexDeviceStatusInterface",
    "SmartFlexDeviceStatus",
    "SmartFlexVehicleStatus",
    "SmartFlexChargePointStatus",
    "SmartFlexHeatPumpStatus",
    "SmartFlexDevicePreferences",
    "SmartFlexDevicePreferenceSchedule",
    "SmartFlexDispatch",
    "UpsideDispatchType",
    "UpsideDispatchMetaType",
    "SmartFlexDevicePreferencesInterface",
    "SmartFlexInverterTelemetry",
    "BatteryTelemetry",
    "GridTelemetry",
    "InverterTelemetry",
    "SiteTelemetry",
    "SolarTelemetry",
    "StateOfChargeLimit",
    "DecimalReading",
    "ElectricVehicleModelType",
    "Activity",
    "FunctionalMode",
    "TargetTemperature",
    "ZoneTemperature",
    # Accounts, German shape (market locations).
    "AccountUserType",
    "ElectricityTariffType",
    "TariffType",
    "MaLo",
    "Meter",
    "Agreement",
    "Product",
    "UnitRateInformation",
    "SimpleProductUnitRateInformation",
    "TimeOfUseProductUnitRateInformation",
    "TimeOfUseTimeslotUnitRate",
    "TimeOfUseTimeslotActivationRule",
    "GrossRateInformation",
    "UnitRateForecastType",
    *MEASUREMENT_TYPES,
)

INTROSPECTION_OPERATION = "KrakenSchema"

_TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
_ALIAS = re.compile(r"[^A-Za-z0-9_]")


def _alias(type_name: str) -> str:
    return "t_" + _ALIAS.sub("_", type_name)


def _type_questions(type_names: Iterable[str]) -> str:
    return "".join(
        f'  {_alias(name)}: __type(name: "{name}") {{\n'
        f"    name\n    kind\n"
        f"    fields(includeDeprecated: true) {{ name args {{ name }} type {{ {_TYPE_REF} }} }}\n"
        f"    possibleTypes {{ name }}\n"
        f"  }}\n"
        for name in dict.fromkeys(type_names)
    )


def introspection_document(type_names: Iterable[str]) -> str:
    """One query asking about each named type: its fields, their types and arguments."""
    return f"query {INTROSPECTION_OPERATION} {{\n{_type_questions(type_names)}}}\n"


def with_introspection(query: str, type_names: Iterable[str]) -> str:
    """A composed query that also asks about the named types (in the same request)."""
    body, closing = query.rstrip().rsplit("}", 1)
    return f"{body}{_type_questions(type_names)}}}{closing}\n"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A field of a type: the named type it returns and the arguments it takes."""

    type_name: str
    args: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """An object, interface or union type of the instance."""

    name: str
    kind: str
    fields: Mapping[str, FieldInfo] = field(default_factory=dict)
    possible_types: frozenset[str] = frozenset()


def _named(type_ref: Any) -> str | None:
    """The named type under NON_NULL and LIST wrappers."""
    for _ in range(6):
        if not isinstance(type_ref, dict):
            return None
        name = type_ref.get("name")
        if isinstance(name, str) and name:
            return name
        type_ref = type_ref.get("ofType")
    return None


def parse_introspection(data: Any, asked: Iterable[str]) -> dict[str, TypeInfo | None]:
    """The answer to `introspection_document(asked)`: each asked type, or None if absent."""
    if not isinstance(data, dict):
        raise KrakenParseError("introspection: expected an object")
    found: dict[str, TypeInfo | None] = {}
    for name in asked:
        raw = data.get(_alias(name))
        if raw is None:
            found[name] = None
            continue
        if not isinstance(raw, dict):
            raise KrakenParseError(f"introspection.{name}: expected an object")
        fields: dict[str, FieldInfo] = {}
        for item in raw.get("fields") or ():
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            type_name = _named(item.get("type"))
            if type_name is None:
                continue
            args = frozenset(
                arg["name"]
                for arg in item.get("args") or ()
                if isinstance(arg, dict) and isinstance(arg.get("name"), str)
            )
            fields[item["name"]] = FieldInfo(type_name, args)
        possible = frozenset(
            item["name"]
            for item in raw.get("possibleTypes") or ()
            if isinstance(item, dict) and isinstance(item.get("name"), str)
        )
        kind = raw.get("kind")
        found[name] = TypeInfo(name, kind if isinstance(kind, str) else "OBJECT", fields, possible)
    return found


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The part of an instance's schema the integration uses, as last learnt.

    `types` holds every type asked about; a type the instance lacks maps to None, so a later
    document knows not to name it. `learnt_at` is a POSIX timestamp.
    """

    types: Mapping[str, TypeInfo | None]
    learnt_at: float

    def type(self, name: str) -> TypeInfo | None:
        """The type, if the instance has it."""
        return self.types.get(name)

    def has_type(self, name: str) -> bool:
        """Whether the instance has the type."""
        return self.types.get(name) is not None

    def field(self, type_name: str, field_name: str) -> FieldInfo | None:
        """A field of a type, if both exist."""
        found = self.types.get(type_name)
        return found.fields.get(field_name) if found is not None else None

    def has_field(self, type_name: str, field_name: str) -> bool:
        """Whether the type exists and has the field."""
        return self.field(type_name, field_name) is not None

    def missing_types(self, names: Iterable[str]) -> set[str]:
        """Names never asked about (not: asked and absent)."""
        return {name for name in names if name not in self.types}

    def to_json(self) -> dict[str, Any]:
        """A JSON form for storage."""
        return {
            "learnt_at": self.learnt_at,
            "types": {
                name: None
                if info is None
                else {
                    "kind": info.kind,
                    "fields": {
                        field_name: [field.type_name, sorted(field.args)]
                        for field_name, field in info.fields.items()
                    },
                    "possible_types": sorted(info.possible_types),
                }
                for name, info in self.types.items()
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> Capabilities:
        """Read `to_json`'s form back; KrakenParseError if it is not that."""
        if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
            raise KrakenParseError("stored schema: expected an object with types")
        learnt_at = data.get("learnt_at")
        if not isinstance(learnt_at, int | float) or isinstance(learnt_at, bool):
            raise KrakenParseError("stored schema: expected learnt_at")
        types: dict[str, TypeInfo | None] = {}
        for name, raw in data["types"].items():
            if raw is None:
                types[name] = None
                continue
            if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
                raise KrakenParseError(f"stored schema: {name} is not a type")
            fields: dict[str, FieldInfo] = {}
            for field_name, value in raw["fields"].items():
                if (
                    not isinstance(value, list)
                    or len(value) != 2
                    or not isinstance(value[0], str)
                    or not isinstance(value[1], list)
                ):
                    raise KrakenParseError(f"stored schema: {name}.{field_name} is not a field")
                fields[field_name] = FieldInfo(
                    value[0], frozenset(arg for arg in value[1] if isinstance(arg, str))
                )
            types[name] = TypeInfo(
                name,
                str(raw.get("kind", "OBJECT")),
                fields,
                frozenset(
                    item for item in raw.get("possible_types") or () if isinstance(item, str)
                ),
            )
        return cls(types, float(learnt_at))


VALIDATION_ERROR_PATTERNS = (
    "Cannot query field",
    "Unknown type",
    "Unknown argument",
    "Unknown fragment",
    "is not defined by type",
    "Fragment cannot be spread",
    "must have a selection of subfields",
    "must not have a selection since type",
)


def is_schema_mismatch(message: str) -> bool:
    """Whether an error message says the document names something the schema lacks."""
    return any(pattern in message for pattern in VALIDATION_ERROR_PATTERNS)
