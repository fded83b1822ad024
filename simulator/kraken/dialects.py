"""Dialects of the Kraken schema: one superset SDL, per-dialect removals.

`schema.graphql` is the superset of every shape the simulator speaks. A dialect names what to
strip from it before the schema is built (types, fields, arguments, enum values), which fields
alone a type keeps, and the few fields whose type differs (`overrides`). Removing a type also
removes every field, argument, union member and interface link that names it, and types that
only the removed parts reached are pruned, so `__type(name: ...)` answers null for them as the
real instance does. The resolvers are the same for every dialect (`simulator.kraken.schema`).

Where each dialect comes from:

- ``seed``: the schema the simulator has served from the start, written from the Kraken object
  reference (seed 002; see the head of `schema.graphql`): the superset minus every addition.
  It is the default while the integration still expects it.
- ``gb-2026``: Octopus Energy GB (api.octopus.energy) as of 2026, per research kraken_gb.md:
  the official reference pages at developer.octopus.energy/graphql/reference (deprecations up to
  2026-04-24; `flexPlannedDispatches`, `SmartFlexDispatch`, `SmartFlexChargingType`,
  `ElectricityMeterPointType.direction`, `isExport` on every tariff, `SmartFlexHeatPumpStatus`,
  `devices(..., integrationDeviceId, propertyId: ID)`, vehicle status `stateOfCharge` /
  `activePower`, `SmartFlexVehicle.chargePointPowerOutput`), and the queries of clients that run
  against it in 2026 (BottlecapDave/HomeAssistant-OctopusEnergy, springfall2008/batpred,
  Webreaper/SolisAgileManager). `plannedDispatches` was deprecated on 2025-05-27 for removal on
  or after 2026-01-16 (announcement 604); this dialect has it removed.
- ``gb-2024``: the GB introspection dated no later than 2024-11-28 (bruceskingle/marco-sparko,
  `graphql/octopus/octopus-schema.graphql`, commit 65ce1a41, produced with `gql-sdl` against
  api.octopus.energy): no `isExport` on tariffs, no meter point `direction`, no
  `SmartFlexHeatPumpStatus`, `vehicleVariant`, `chargePointVariant`, `flexPlannedDispatches`,
  device `preferences`, `integrationDeviceId`, `SmartFlexStorageHeaters`, `setDevicePreferences`
  or `updateBoostCharge`; `plannedDispatches`, `completedDispatches` and
  `updateDeviceSmartControl` are there, `chargingPreferences` is not yet deprecated;
  `smartMeterTelemetry` is there, its readings without `export`.
- ``de-2026``: Octopus Energy Germany (api.oeg-kraken.energy) per research kraken_de.md: the
  instance's shallow introspection of 2026-06-07 (thecem/octopus_germany `graphql_schema.json`,
  commit bc8d009) for type and field names, and real answers posted in that project's issues
  (#19, #21) and a real tariff export (thecem/octopus_energy_de `tests/fixtures/mein_tarif.json`)
  for shapes and values. Served only at the German endpoint.

The German SDL parts and the GB 2026 additions are written for this project from those facts;
no third-party schema file is copied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    parse,
)

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")

SEED = "seed"
GB_2026 = "gb-2026"
GB_2024 = "gb-2024"
DE_2026 = "de-2026"

GB_DIALECTS = (SEED, GB_2026, GB_2024)
"""Dialects the GB endpoint (`/v1/graphql/`) can speak; `KrakenState.dialect` picks one."""
DEFAULT_DIALECT = GB_2026

_BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})

_TARIFF_TYPES = (
    "StandardTariff",
    "DayNightTariff",
    "ThreeRateTariff",
    "HalfHourlyTariff",
    "PrepayTariff",
    "GasTariffType",
)
_DEVICE_TYPES = (
    "SmartFlexDeviceInterface",
    "SmartFlexVehicle",
    "SmartFlexChargePoint",
    "SmartFlexBattery",
    "SmartFlexHeatPump",
    "SmartFlexInverter",
    "SmartFlexStorageHeaters",
    "SmartFlexDevice",
)
_VEHICLE_TYPES = ("SmartFlexVehicle", "SmartFlexChargePoint")


def _on(types: Iterable[str], *fields: str) -> frozenset[str]:
    return frozenset(f"{type_name}.{name}" for type_name in types for name in fields)


# Everything the superset adds to the seed (the "Additions" part of schema.graphql). Removing a
# type takes the fields that return it along.
_ADDED_2026 = frozenset(
    {
        "SmartFlexDispatch",
        "ElectricityDirection",
        "DecimalReading",
        *_on(_VEHICLE_TYPES, "vehicleBatterySize", "chargePointPowerOutput"),
    }
)
_ADDED_DE = frozenset({"MaLo", "AccountType.allProperties", "AccountType.property"})
# Smart meter live data (GB only; the type takes the root field along).
_ADDED_TELEMETRY = frozenset({"SmartMeterTelemetryType", "TelemetryGrouping"})

# Field lists of the German instance's types (kraken_de.md Appendix A, from its introspection of
# 2026-06-07). A field the superset lacks is simply not served; every other field goes.
_DE_QUERY = ("viewer", "account", "devices", "flexPlannedDispatches", "completedDispatches")
_DE_MUTATION = (
    "obtainKrakenToken",
    "updateDeviceSmartControl",
    "setDevicePreferences",
    "updateBoostCharge",
)
_DE_ACCOUNT = [
    "id",
    "number",
    "status",
    "paymentSchedules",
    "users",
    "complaints",
    "brand",
    "balance",
    "overdueBalance",
    "urn",
    "billingName",
    "billingSubName",
    "billingEmail",
    "billingAddress",
    "billingAddressLine1",
    "billingAddressLine2",
    "billingAddressLine3",
    "billingAddressLine4",
    "billingAddressLine5",
    "billingAddressPostcode",
    "billingCountryCode",
    "billingDeliveryPointIdentifier",
    "splitBillingAddress",
    "address",
    "portfolio",
    "ledgers",
    "metadata",
    "canRequestRefund",
    "requestRefundEligibility",
    "payments",
    "repayments",
    "paymentPlans",
    "paginatedPaymentForecast",
    "referrals",
    "referralsCreated",
    "rewards",
    "activeReferralSchemes",
    "transactions",
    "provisionalTransactions",
    "annualStatements",
    "bills",
    "billingOptions",
    "billingTriggerConfiguration",
    "bill",
    "directDebitInstructions",
    "paymentMethods",
    "events",
    "applications",
    "accountType",
    "business",
    "commsDeliveryPreference",
    "documentAccessibility",
    "references",
    "fileAttachments",
    "paginatedFileAttachments",
    "maximumRefund",
    "campaigns",
    "isInHardship",
    "activeHardshipAgreements",
    "notes",
    "contributionAgreements",
    "assistanceAgreements",
    "debtCollectionProceedings",
    "createdAt",
    "preferredLanguageForComms",
    "consents",
    "reminders",
    "customerAssets",
    "properties",
    "marketSupplyAgreements",
    "canModifyPayments",
    "allProperties",
    "property",
    "electricityBalance",
    "gasBalance",
]
_DE_ACCOUNT_USER = [
    "id",
    "number",
    "givenName",
    "familyName",
    "email",
    "mobile",
    "landline",
    "title",
    "pronouns",
    "isDeceased",
    "liveSecretKey",
    "createdAt",
    "permissions",
    "accounts",
    "fullName",
    "preferredName",
    "isActive",
    "address",
    "portfolioIds",
    "portfolios",
    "businesses",
    "specialCircumstances",
    "preferences",
    "dateOfBirth",
    "label",
    "alternativePhoneNumbers",
    "hasFamilyIssues",
    "isInHardship",
    "accountUserRoles",
    "portfolioUserRoles",
    "details",
    "consents",
    "paymentMethods",
]
_DE_PROPERTY = [
    "id",
    "address",
    "richAddress",
    "splitAddress",
    "label",
    "occupancyPeriods",
    "coordinates",
    "embeddedNetwork",
    "parent",
    "descendants",
    "ancestors",
    "measurements",
    "postcode",
    "electricityMalos",
    "gasMalos",
]
_DE_LEDGER = [
    "name",
    "number",
    "ledgerType",
    "balance",
    "amountOwedByCustomer",
    "affectsAccountBalance",
    "statements",
    "invoices",
    "transactions",
    "agreements",
]

_DEVICES_2026 = (
    "devices(accountNumber: String!, deviceId: String, integrationDeviceId: String, "
    "propertyId: ID): [SmartFlexDeviceInterface!]"
)


@dataclass(frozen=True)
class Dialect:
    """What one dialect strips from, keeps of and changes in the superset SDL.

    Names: ``"Type"`` (a type), ``"Type.field"`` (a field, an input field or an enum value),
    ``"Type.field(arg)"`` (an argument).
    """

    name: str
    instance: str
    """Which endpoint serves it: "gb" (`/v1/graphql/`) or "de" (`/de/v1/graphql/`)."""
    remove: frozenset[str] = frozenset()
    keep_only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Type -> the only fields it keeps (names the superset lacks are ignored)."""
    overrides: Mapping[str, str] = field(default_factory=dict)
    """"Type.field" -> the SDL field definition that replaces it."""
    utc_offset_suffix: str = "+00:00"
    """How a UTC DateTime ends: real Kraken instances send "+00:00"; the seed sent "Z"."""


DIALECTS: dict[str, Dialect] = {
    SEED: Dialect(
        SEED, "gb", remove=_ADDED_2026 | _ADDED_DE | _ADDED_TELEMETRY, utc_offset_suffix="Z"
    ),
    GB_2026: Dialect(
        GB_2026,
        "gb",
        remove=_ADDED_DE
        | {
            "Query.plannedDispatches",
            # Listed for GB 2026 only on SmartFlexVehicle (kraken_gb.md section 3); the German
            # instance has both on both types.
            "SmartFlexVehicle.vehicleBatterySize",
            *_on(["SmartFlexChargePoint"], "vehicleBatterySize", "chargePointPowerOutput"),
        },
        overrides={"Query.devices": _DEVICES_2026},
    ),
    GB_2024: Dialect(
        GB_2024,
        "gb",
        remove=_ADDED_2026
        | _ADDED_DE
        | _on(_TARIFF_TYPES, "isExport")
        | _on(_DEVICE_TYPES, "integrationDeviceId")
        | _on(_VEHICLE_TYPES, "vehicleVariant", "chargePointVariant")
        | {
            # Its meter readings have no export register yet.
            "SmartMeterTelemetryType.export",
            "SmartFlexHeatPumpStatus",
            "SmartFlexStorageHeaters",
            "SmartFlexDevicePreferencesInterface",
            "KrakenFlexDeviceTypes.ELECTRICITY_METERS",
            "Mutation.setDevicePreferences",
            "Mutation.updateBoostCharge",
            "Query.devices(integrationDeviceId)",
        },
        overrides={
            "Query.devices": (
                "devices(accountNumber: String!, propertyId: ID, deviceId: String): "
                "[SmartFlexDeviceInterface!]"
            ),
            "SmartFlexVehicle.chargingPreferences": (
                '"The user\'s preferences for charging this vehicle." '
                "chargingPreferences: SmartFlexVehicleChargingPreferences"
            ),
        },
    ),
    DE_2026: Dialect(
        DE_2026,
        "de",
        remove=_on(_VEHICLE_TYPES, "vehicleVariant", "chargePointVariant")
        | {
            # No heat pump or storage heater types on the German instance (kraken_de.md 1.3).
            "SmartFlexHeatPump",
            "SmartFlexHeatPumpStatus",
            "SmartFlexStorageHeaters",
            "SmartFlexVehicle.chargingPreferences",
            "KrakenFlexDeviceTypes.ELECTRICITY_METERS",
            # Only electricity filters in its introspection (kraken_energy_data.md 1.1).
            "GasFiltersInput",
        },
        keep_only={
            "Query": _DE_QUERY,
            "Mutation": _DE_MUTATION,
            "AccountType": tuple(_DE_ACCOUNT),
            "AccountUserType": tuple(_DE_ACCOUNT_USER),
            "PropertyType": tuple(_DE_PROPERTY),
            "LedgerType": tuple(_DE_LEDGER),
        },
        overrides={
            # No evidence of a non-null balance there, and German clients read the ledgers.
            "AccountType.balance": (
                '"The current account balance." balance(includeAllLedgers: Boolean): Int'
            ),
            "AccountInterface.balance": (
                '"The current account balance." balance(includeAllLedgers: Boolean): Int'
            ),
            # `viewer { accounts { number ledgers { ... } } }` works there (issue #21).
            "AccountUserType.accounts": (
                '"List of accounts that the user is linked to either via portfolio role or '
                'account role." accounts: [AccountType]'
            ),
            "Query.devices": _DEVICES_2026,
        },
    ),
}


def dialect(name: str) -> Dialect:
    """The dialect of this name (ValueError naming the known ones otherwise)."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(
            f"Unknown Kraken dialect {name!r}; known: {', '.join(DIALECTS)}."
        ) from None


# --- the superset, as a name -> definition map -------------------------------------------------


@dataclass(frozen=True)
class Superset:
    """The superset SDL with `extend type` merged into the definitions."""

    schema: SchemaDefinitionNode | None
    types: dict[str, TypeDefinitionNode]
    reachable: frozenset[str]


def _named(node: TypeNode) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)  # noqa: S101 - grammar
    return node.name.value


@cache
def superset() -> Superset:
    """The parsed superset SDL (extensions merged) and the types its roots reach."""
    document = parse(SCHEMA_PATH.read_text(encoding="utf-8"), no_location=True)
    schema: SchemaDefinitionNode | None = None
    types: dict[str, TypeDefinitionNode] = {}
    extensions: list[ObjectTypeExtensionNode] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            schema = definition
        elif isinstance(definition, ObjectTypeExtensionNode):
            extensions.append(definition)
        elif isinstance(definition, TypeDefinitionNode):
            types[definition.name.value] = definition
    for extension in extensions:
        base = copy(types[extension.name.value])
        assert isinstance(base, ObjectTypeDefinitionNode)  # noqa: S101 - our SDL
        base.fields = (*base.fields, *extension.fields)
        base.interfaces = (*base.interfaces, *(extension.interfaces or ()))
        types[base.name.value] = base
    return Superset(schema, types, frozenset(_reachable(schema, types)))


def _roots(schema: SchemaDefinitionNode | None) -> list[str]:
    if schema is None:
        return ["Query", "Mutation"]
    return [operation.type.name.value for operation in schema.operation_types]


def _reachable(
    schema: SchemaDefinitionNode | None, types: Mapping[str, TypeDefinitionNode]
) -> set[str]:
    seen: set[str] = set()
    pending = [name for name in _roots(schema) if name in types]
    implementers: dict[str, list[str]] = {}
    for name, node in types.items():
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            for interface in node.interfaces or ():
                implementers.setdefault(interface.name.value, []).append(name)
    while pending:
        name = pending.pop()
        if name in seen or name not in types:
            continue
        seen.add(name)
        node = types[name]
        refs: list[str] = []
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            refs.extend(interface.name.value for interface in node.interfaces or ())
            for definition in node.fields or ():
                refs.append(_named(definition.type))
                refs.extend(_named(argument.type) for argument in definition.arguments or ())
            if isinstance(node, InterfaceTypeDefinitionNode):
                refs.extend(implementers.get(name, ()))
        elif isinstance(node, InputObjectTypeDefinitionNode):
            refs.extend(_named(value.type) for value in node.fields or ())
        elif isinstance(node, UnionTypeDefinitionNode):
            refs.extend(member.name.value for member in node.types or ())
        pending.extend(ref for ref in refs if ref not in seen)
    return seen


# --- stripping ---------------------------------------------------------------------------------


def _split(name: str) -> tuple[str, str | None, str | None]:
    """("Type", "field" or None, "arg" or None) of a removal name."""
    type_name, _, rest = name.partition(".")
    if not rest:
        return type_name, None, None
    field_name, _, argument = rest.partition("(")
    return type_name, field_name, argument.removesuffix(")") or None


def _members(node: TypeDefinitionNode) -> list[str]:
    """Names of the fields, input fields or enum values of a type."""
    if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        return [definition.name.value for definition in node.fields or ()]
    if isinstance(node, InputObjectTypeDefinitionNode):
        return [value.name.value for value in node.fields or ()]
    if isinstance(node, EnumTypeDefinitionNode):
        return [value.name.value for value in node.values or ()]
    return []


def check_names(names: Iterable[str], what: str) -> None:
    """ValueError unless every name is a type, member or argument of the superset."""
    types = superset().types
    for name in names:
        type_name, member, argument = _split(name)
        node = types.get(type_name)
        ok = node is not None and (member is None or member in _members(node))
        if ok and argument is not None:
            assert node is not None  # noqa: S101 - checked above
            ok = any(
                argument in [a.name.value for a in definition.arguments or ()]
                for definition in getattr(node, "fields", ()) or ()
                if definition.name.value == member and isinstance(definition, FieldDefinitionNode)
            )
        if not ok:
            raise ValueError(f"{what}: {name!r} is not in the Kraken superset schema.")


def _parse_field(sdl: str) -> FieldDefinitionNode:
    document = parse(f"type _Override {{ {sdl} }}", no_location=True)
    node = document.definitions[0]
    assert isinstance(node, ObjectTypeDefinitionNode)  # noqa: S101 - grammar
    return node.fields[0]


def _without(node: TypeDefinitionNode, removed: set[str]) -> TypeDefinitionNode:
    """A copy of `node` without its members named in `removed` ("Type.member")."""
    name = node.name.value
    node = copy(node)
    if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        node.fields = tuple(
            definition
            for definition in node.fields or ()
            if f"{name}.{definition.name.value}" not in removed
        )
    elif isinstance(node, InputObjectTypeDefinitionNode):
        node.fields = tuple(
            value for value in node.fields or () if f"{name}.{value.name.value}" not in removed
        )
    elif isinstance(node, EnumTypeDefinitionNode):
        node.values = tuple(
            value for value in node.values or () if f"{name}.{value.name.value}" not in removed
        )
    return node


def _without_arguments(node: TypeDefinitionNode, removed: set[str]) -> TypeDefinitionNode:
    if not isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        return node
    name = node.name.value
    fields = []
    for original in node.fields or ():
        definition = original
        arguments = tuple(
            argument
            for argument in original.arguments or ()
            if f"{name}.{original.name.value}({argument.name.value})" not in removed
        )
        if len(arguments) != len(original.arguments or ()):
            definition = copy(original)
            definition.arguments = arguments
        fields.append(definition)
    node = copy(node)
    node.fields = tuple(fields)
    return node


def _known(type_name: str, types: Mapping[str, TypeDefinitionNode]) -> bool:
    return type_name in _BUILT_IN_SCALARS or type_name in types


def _cascade(types: dict[str, TypeDefinitionNode]) -> None:
    """Drop whatever names a type that is gone, and types left empty, until nothing changes.

    A field an implementing type no longer has goes from its interfaces too (the interface
    would otherwise promise it).
    """
    changed = True
    while changed:
        changed = False
        for name, node in list(types.items()):
            new = _cascade_one(node, types)
            if new is None:
                del types[name]
                changed = True
            elif new is not node:
                types[name] = new
                changed = True
        changed = _trim_interfaces(types) or changed


def _trim_interfaces(types: dict[str, TypeDefinitionNode]) -> bool:
    missing: dict[str, set[str]] = {}
    for node in types.values():
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            own = set(_members(node))
            for interface in node.interfaces or ():
                declared = types.get(interface.name.value)
                if declared is not None:
                    lacking = set(_members(declared)) - own
                    missing.setdefault(interface.name.value, set()).update(lacking)
    changed = False
    for name, fields in missing.items():
        if fields:
            types[name] = _without(types[name], {f"{name}.{field}" for field in fields})
            changed = True
    return changed


def _cascade_one(
    node: TypeDefinitionNode, types: Mapping[str, TypeDefinitionNode]
) -> TypeDefinitionNode | None:
    if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        interfaces = tuple(i for i in node.interfaces or () if i.name.value in types)
        fields: list[FieldDefinitionNode] = []
        for original in node.fields or ():
            definition = original
            if not _known(_named(definition.type), types):
                continue
            arguments = tuple(
                a for a in definition.arguments or () if _known(_named(a.type), types)
            )
            if len(arguments) != len(definition.arguments or ()):
                definition = copy(definition)
                definition.arguments = arguments
            fields.append(definition)
        if not fields:
            return None
        if len(interfaces) == len(node.interfaces or ()) and fields == list(node.fields or ()):
            return node
        node = copy(node)
        node.interfaces = interfaces
        node.fields = tuple(fields)
        return node
    if isinstance(node, InputObjectTypeDefinitionNode):
        values: list[InputValueDefinitionNode] = [
            value for value in node.fields or () if _known(_named(value.type), types)
        ]
        if not values:
            return None
        if len(values) == len(node.fields or ()):
            return node
        node = copy(node)
        node.fields = tuple(values)
        return node
    if isinstance(node, UnionTypeDefinitionNode):
        members = tuple(m for m in node.types or () if m.name.value in types)
        if not members:
            return None
        if len(members) == len(node.types or ()):
            return node
        node = copy(node)
        node.types = members
        return node
    if isinstance(node, EnumTypeDefinitionNode) and not node.values:
        return None
    return node


def strip(
    spec: Dialect, hidden: Iterable[str] = ()
) -> tuple[SchemaDefinitionNode | None, dict[str, TypeDefinitionNode]]:
    """The superset's definitions as `spec` serves them, without the `hidden` names too."""
    base = superset()
    types = dict(base.types)
    removals = set(spec.remove) | set(hidden)
    for name in removals:
        if "." not in name:
            types.pop(name, None)
    for name, keep in spec.keep_only.items():
        if name in types:
            kept = set(keep)
            removals.update(
                f"{name}.{member}" for member in _members(types[name]) if member not in kept
            )
    for type_name in {_split(name)[0] for name in removals if "." in name}:
        if type_name in types:
            types[type_name] = _without_arguments(_without(types[type_name], removals), removals)
    for name, sdl in spec.overrides.items():
        type_name, member, _ = _split(name)
        node = types.get(type_name)
        if node is None or not isinstance(
            node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode
        ):
            continue
        replacement = _parse_field(sdl)
        node = copy(node)
        node.fields = tuple(
            replacement if definition.name.value == member else definition
            for definition in node.fields
        )
        types[type_name] = node
    _cascade(types)
    reachable = _reachable(base.schema, types)
    for name in list(types):
        if name in base.reachable and name not in reachable:
            del types[name]
    return base.schema, types


def dialect_document(spec: Dialect, hidden: Iterable[str] = ()) -> DocumentNode:
    """The SDL document of a dialect (plus hidden fields), ready for `build_ast_schema`."""
    schema, types = strip(spec, hidden)
    definitions: list[SchemaDefinitionNode | TypeDefinitionNode] = []
    if schema is not None:
        definitions.append(schema)
    definitions.extend(types.values())
    return DocumentNode(definitions=tuple(definitions))


def custom_scalars(types: Mapping[str, TypeDefinitionNode]) -> list[str]:
    """Names of the custom scalars a stripped document still defines."""
    return [name for name, node in types.items() if isinstance(node, ScalarTypeDefinitionNode)]
