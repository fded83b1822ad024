"""GraphQL documents composed from what the instance has (`schema.Capabilities`).

A document is written once, as a tree of field selections (`F`) and inline fragments
(`On`); `compose` renders it for one instance, leaving out every field, argument and fragment
that instance lacks, and reports what it left out. Inputs stay GraphQL variables, declared
only when used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .schema import Capabilities, TypeInfo


@dataclass(frozen=True, slots=True)
class F:
    """A field selection.

    `args` must all exist on the instance, or the field is left out (they are the field's
    meaning, like `accountNumber`); `optional_args` are dropped when missing (a refinement,
    like `includeAllLedgers`). Values are "$variable" or GraphQL literals. A `required` field
    the instance lacks is reported as such: without it the document cannot serve its purpose.
    """

    name: str
    children: tuple[F | On, ...] = ()
    args: tuple[tuple[str, str], ...] = ()
    optional_args: tuple[tuple[str, str], ...] = ()
    alias: str | None = None
    include_if: str | None = None
    required: bool = False


@dataclass(frozen=True, slots=True)
class On:
    """An inline fragment on a type (left out where the instance lacks the type)."""

    type_name: str
    children: tuple[F | On, ...] = ()


def f(name: str, *children: F | On, **options: object) -> F:
    """A field selection; keyword options as `F`'s (args given as dicts)."""
    args = options.pop("args", {})
    optional_args = options.pop("optional_args", {})
    assert isinstance(args, dict)  # noqa: S101 - programming error
    assert isinstance(optional_args, dict)  # noqa: S101 - programming error
    return F(
        name,
        children,
        args=tuple(args.items()),
        optional_args=tuple(optional_args.items()),
        **options,  # type: ignore[arg-type]
    )


def on(type_name: str, *children: F | On) -> On:
    """An inline fragment."""
    return On(type_name, children)


def fields(*names: str) -> tuple[F, ...]:
    """Leaf fields by name."""
    return tuple(F(name) for name in names)


@dataclass(slots=True)
class Composition:
    """A rendered document and what the instance could not give."""

    text: str
    variables: set[str] = field(default_factory=set)
    omitted: list[str] = field(default_factory=list)
    """Type.field (or fragment type) paths left out: the data they carry is absent."""
    missing_required: list[str] = field(default_factory=list)
    """Left out although required: the document cannot do its job on this instance."""

    @property
    def complete(self) -> bool:
        """Whether nothing required is missing."""
        return not self.missing_required


def _fragment_applies(capabilities: Capabilities, parent: TypeInfo, type_name: str) -> bool:
    """Whether `... on type_name` may be spread where `parent` is expected."""
    target = capabilities.type(type_name)
    if target is None:
        return False
    if type_name == parent.name:
        return True
    parent_members = parent.possible_types or frozenset({parent.name})
    target_members = target.possible_types or frozenset({type_name})
    return not parent_members.isdisjoint(target_members)


def _value_variables(value: str) -> set[str]:
    return {value[1:]} if value.startswith("$") else set()


class _Renderer:
    def __init__(self, capabilities: Capabilities) -> None:
        self.capabilities = capabilities
        self.result = Composition("")

    def render(self, nodes: tuple[F | On, ...], type_name: str, depth: int) -> list[str]:
        parent = self.capabilities.type(type_name)
        lines: list[str] = []
        pad = "  " * depth
        for node in nodes:
            if isinstance(node, On):
                if parent is None or not _fragment_applies(
                    self.capabilities, parent, node.type_name
                ):
                    self.result.omitted.append(f"... on {node.type_name}")
                    continue
                inner = self.render(node.children, node.type_name, depth + 1)
                if inner:
                    lines += [f"{pad}... on {node.type_name} {{", *inner, f"{pad}}}"]
                continue
            if node.name == "__typename":
                lines.append(f"{pad}__typename")
                continue
            info = self.capabilities.field(type_name, node.name)
            path = f"{type_name}.{node.name}"
            if info is None or not {name for name, _ in node.args} <= info.args:
                (self.result.missing_required if node.required else self.result.omitted).append(
                    path
                )
                continue
            args = list(node.args) + [item for item in node.optional_args if item[0] in info.args]
            self.result.omitted += [
                f"{path}({name})" for name, _ in node.optional_args if name not in info.args
            ]
            head = f"{node.alias}: {node.name}" if node.alias else node.name
            if args:
                head += "(" + ", ".join(f"{name}: {value}" for name, value in args) + ")"
                for _name, value in args:
                    self.result.variables |= _value_variables(value)
            if node.include_if:
                head += f" @include(if: ${node.include_if})"
                self.result.variables.add(node.include_if)
            if node.children:
                inner = self.render(node.children, info.type_name, depth + 1)
                if not inner:
                    (self.result.missing_required if node.required else self.result.omitted).append(
                        path
                    )
                    continue
                lines += [f"{pad}{head} {{", *inner, f"{pad}}}"]
            else:
                lines.append(f"{pad}{head}")
        return lines


def compose(
    capabilities: Capabilities,
    *,
    operation: str,
    name: str,
    variables: Mapping[str, str],
    selections: tuple[F | On, ...],
) -> Composition:
    """Render one operation (`query` or `mutation`) for an instance.

    `variables` maps each variable a selection may use to its GraphQL type; only the used
    ones are declared (an unused declaration is itself a validation error).
    """
    root = "Mutation" if operation == "mutation" else "Query"
    renderer = _Renderer(capabilities)
    body = renderer.render(selections, root, 1)
    result = renderer.result
    used = [variable for variable in variables if variable in result.variables]
    declared = (
        "(" + ", ".join(f"${variable}: {variables[variable]}" for variable in used) + ")"
        if used
        else ""
    )
    result.text = "\n".join([f"{operation} {name}{declared} {{", *body, "}"]) + "\n"
    return result


def walk_types(capabilities: Capabilities, selections: tuple[F | On, ...], root: str) -> set[str]:
    """Every type the selections reach on an instance: field types and fragment types.

    Types not known to `capabilities` are included (they are what to ask about next); what
    lies under them cannot be walked yet.
    """
    found: set[str] = set()

    def walk(nodes: tuple[F | On, ...], type_name: str) -> None:
        for node in nodes:
            if isinstance(node, On):
                found.add(node.type_name)
                walk(node.children, node.type_name)
                continue
            info = capabilities.field(type_name, node.name)
            if info is None or not node.children:
                continue
            found.add(info.type_name)
            walk(node.children, info.type_name)

    found.add(root)
    walk(selections, root)
    return found
