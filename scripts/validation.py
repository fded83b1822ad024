"""Offline checks of the integration's metadata, the ones hassfest and HACS make and more.

hassfest (Home Assistant's validator) lives in Home Assistant's source repository, not in the
homeassistant package, and is published on no package registry; the hassfest workflow runs it in
CI. This module re-does its checks that matter here with what the installed Home Assistant
provides (its selector and icon rules, its own quality_scale.yaml files, its common strings),
and adds what hassfest cannot know: every form step, error, abort, exception and repair the code
refers to has its text, English and German agree on placeholders, and the brand images have the
sizes the brands rules ask for. `scripts/validate` prints the problems; tests/test_validate.py
asserts there are none.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
import importlib
import json
from pathlib import Path
import re
import sys
from typing import Any

from awesomeversion import AwesomeVersion
import homeassistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import selector
from homeassistant.util.yaml import load_yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "kraken_energy"
HA_PACKAGE = Path(homeassistant.__file__).parent
LANGUAGES = ("en", "de")

# hassfest's manifest schema for custom integrations (script/hassfest/manifest.py).
MANIFEST_KEYS = {
    "domain", "name", "after_dependencies", "bluetooth", "codeowners", "config_flow",
    "dependencies", "dhcp", "disabled", "documentation", "homekit", "import_executor",
    "integration_type", "iot_class", "issue_tracker", "loggers", "mqtt", "quality_scale",
    "requirements", "single_config_entry", "ssdp", "usb", "version", "zeroconf",
}  # fmt: skip
MANIFEST_REQUIRED = {"domain", "name", "codeowners", "documentation", "version"}
IOT_CLASSES = {
    "assumed_state", "calculated", "cloud_polling", "cloud_push", "local_polling", "local_push",
}  # fmt: skip
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
HACS_KEYS = {
    "name", "content_in_root", "zip_release", "filename", "hide_default_branch", "country",
    "homeassistant", "hacs", "persistent_directory", "render_readme",
}  # fmt: skip
# hassfest's translation schema: the top-level sections an integration's strings may have.
TRANSLATION_SECTIONS = {
    "title", "common", "config", "config_subentries", "options", "selector", "device",
    "device_automation", "entity", "entity_component", "exceptions", "issues", "services",
    "system_health", "conversation", "application_credentials", "preview_features",
}  # fmt: skip
# Home Assistant's brands rules: icons square, logos with the short side in a range.
ICON_SIZES = {"icon.png": 256, "icon@2x.png": 512, "dark_icon.png": 256, "dark_icon@2x.png": 512}
LOGO_SHORT_SIDES = {
    "logo.png": (128, 256), "logo@2x.png": (256, 512),
    "dark_logo.png": (128, 256), "dark_logo@2x.png": (256, 512),
}  # fmt: skip
REFERENCE = re.compile(r"\[%key:([a-z0-9_:.@-]+)%\]")
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z0-9_]+)\}(?!\})")
QUALITY_STATUSES = {"done", "todo", "exempt"}


@dataclass
class Report:
    """The problems found, each naming the file it is in."""

    problems: list[str] = field(default_factory=list)

    def add(self, where: str, problem: str) -> None:
        """Note one problem."""
        self.problems.append(f"{where}: {problem}")


def validate(integration: Path = INTEGRATION, repository: Path = ROOT) -> list[str]:
    """Every problem in the integration at `integration` (empty when there is none)."""
    report = Report()
    check_manifest(integration, report)
    check_hacs(repository / "hacs.json", report)
    translations = {
        language: _load_json(integration / "translations" / f"{language}.json", report)
        for language in LANGUAGES
    }
    english = translations["en"]
    if english is not None:
        check_translation_texts(translations, report)
        check_code_references(integration, english, report)
        check_services(integration, english, report)
        check_icons(integration, english, report)
    check_quality_scale(integration, report)
    check_brand(integration / "brand", report)
    return report.problems


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is an error (json would silently keep the last)."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"key {key!r} appears twice")
        seen[key] = value
    return seen


def _load_json(path: Path, report: Report) -> Any:
    try:
        return json.loads(path.read_text("utf-8"), object_pairs_hook=_refuse_duplicate_keys)
    except (OSError, ValueError) as err:
        report.add(path.name, f"cannot be read: {err}")
        return None


def _load_yaml(path: Path, report: Report) -> Any:
    try:
        return load_yaml(path)
    except (OSError, HomeAssistantError) as err:
        report.add(path.name, f"cannot be read: {err}")
        return None


def check_manifest(integration: Path, report: Report) -> dict[str, Any]:
    """manifest.json as hassfest checks a custom integration's."""
    manifest = _load_json(integration / "manifest.json", report)
    if not isinstance(manifest, dict):
        return {}
    where = "manifest.json"
    keys = list(manifest)
    expected_order = keys[:2] + sorted(keys[2:])
    if keys[:2] != ["domain", "name"] or keys != expected_order:
        report.add(where, f"keys must be domain, name, then alphabetical: {keys}")
    for key in sorted(set(manifest) - MANIFEST_KEYS):
        report.add(where, f"unknown key {key!r}")
    for key in sorted(MANIFEST_REQUIRED - set(manifest)):
        report.add(where, f"a custom integration needs {key!r}")
    if manifest.get("domain") != integration.name:
        report.add(where, f"domain {manifest.get('domain')!r} is not the folder's name")
    if manifest.get("iot_class") not in IOT_CLASSES:
        report.add(where, f"iot_class {manifest.get('iot_class')!r} is not one of {IOT_CLASSES}")
    if manifest.get("integration_type", "hub") not in INTEGRATION_TYPES:
        report.add(where, f"integration_type {manifest['integration_type']!r} is not valid")
    version = AwesomeVersion(str(manifest.get("version", "")))
    if not version.valid or version.strategy not in {"SemVer", "SimpleVer", "CalVer"}:
        report.add(where, f"version {manifest.get('version')!r} is not a valid version")
    if manifest.get("config_flow") and not (integration / "config_flow.py").is_file():
        report.add(where, "config_flow is true but there is no config_flow.py")
    for owner in manifest.get("codeowners", []):
        if not re.fullmatch(r"@[\w.-]+(/[\w.-]+)?", owner):
            report.add(where, f"code owner {owner!r} is not a GitHub @name")
    for url_key in ("documentation", "issue_tracker"):
        if url_key in manifest and not str(manifest[url_key]).startswith("https://"):
            report.add(where, f"{url_key} must be an https URL")
    for dependency in [*manifest.get("dependencies", []), *manifest.get("after_dependencies", [])]:
        if not (HA_PACKAGE / "components" / dependency / "manifest.json").is_file():
            report.add(where, f"dependency {dependency!r} is not a Home Assistant integration")
    for requirement in manifest.get("requirements", []):
        if "==" not in requirement:
            report.add(where, f"requirement {requirement!r} is not pinned with ==")
    return manifest


def check_hacs(path: Path, report: Report) -> None:
    """hacs.json: known keys, a valid minimum release, a zip name when releases are zips."""
    hacs = _load_json(path, report)
    if not isinstance(hacs, dict):
        return
    for key in sorted(set(hacs) - HACS_KEYS):
        report.add("hacs.json", f"unknown key {key!r}")
    if "name" not in hacs:
        report.add("hacs.json", "needs a name")
    if "homeassistant" in hacs and not AwesomeVersion(hacs["homeassistant"]).valid:
        report.add("hacs.json", f"homeassistant {hacs['homeassistant']!r} is not a version")
    if hacs.get("zip_release") and not str(hacs.get("filename", "")).endswith(".zip"):
        report.add("hacs.json", "zip_release needs the zip's filename")


def _leaves(tree: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*path, key))
    else:
        yield path, tree


def _lookup(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def check_translation_texts(translations: Mapping[str, Any], report: Report) -> None:
    """Sections, value types, references, and placeholders that agree across languages."""
    english = translations["en"]
    common = json.loads((HA_PACKAGE / "strings.json").read_text("utf-8"))
    for language, texts in translations.items():
        if not isinstance(texts, dict):
            continue
        where = f"translations/{language}.json"
        for section in sorted(set(texts) - TRANSLATION_SECTIONS):
            report.add(where, f"unknown section {section!r}")
        for path, value in _leaves(texts):
            key = ".".join(path)
            if not isinstance(value, str):
                report.add(where, f"{key} is {type(value).__name__}, not text")
                continue
            if value != value.strip():
                report.add(where, f"{key} starts or ends with whitespace")
            if re.search(r"<[a-zA-Z/][^>]*>", value):
                report.add(where, f"{key} contains HTML")
            if re.search(r"'\{[a-zA-Z0-9_]+\}'", value):
                report.add(where, f"{key} quotes a placeholder in single quotes")
            for reference in REFERENCE.findall(value):
                if not _reference_resolves(reference, english, common):
                    report.add(where, f"{key} refers to {reference}, which does not exist")
            if language != "en":
                original = _lookup(english, path)
                if original is None:
                    report.add(where, f"{key} has no English text")
                elif isinstance(original, str) and set(PLACEHOLDER.findall(value)) != set(
                    PLACEHOLDER.findall(original)
                ):
                    report.add(where, f"{key} has other placeholders than the English text")
        if language != "en":
            for path, _value in _leaves(english):
                if _lookup(texts, path) is None:
                    report.add(where, f"{'.'.join(path)} has no text")


def _reference_resolves(reference: str, own: Any, common: Any) -> bool:
    parts = reference.split("::")
    if parts[0] == "common":
        return isinstance(_lookup(common, ("common", *parts[1:])), str)
    if parts[0] == "component" and len(parts) > 2:
        if parts[1] == INTEGRATION.name:
            return isinstance(_lookup(own, tuple(parts[2:])), str)
        strings = HA_PACKAGE / "components" / parts[1] / "strings.json"
        return strings.is_file() and isinstance(
            _lookup(json.loads(strings.read_text("utf-8")), tuple(parts[2:])), str
        )
    return False


@dataclass
class CodeReferences:
    """The translation keys the Python code names, with the file each came from."""

    steps: dict[str, set[str]] = field(default_factory=dict)  # step id -> form fields
    menu_options: dict[str, set[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    aborts: dict[str, str] = field(default_factory=dict)
    exceptions: dict[str, str] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)


def _module_name(integration: Path, path: Path) -> str:
    """The module's import name (a copy under test resolves names through the real package)."""
    relative = path.relative_to(integration).with_suffix("")
    return ".".join(("custom_components", INTEGRATION.name, *relative.parts))


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _resolve(node: ast.AST, module: Any) -> Any:
    """A constant, or a name or attribute the imported module defines."""
    if (text := _string(node)) is not None:
        return text
    if isinstance(node, ast.Name):
        return getattr(module, node.id, None)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, module)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _menu_options(node: ast.AST, module: Any) -> set[str]:
    """A menu's options: a list of strings, or the values of an enum ([p.value for p in E])."""
    if isinstance(node, ast.List):
        return {value for item in node.elts if isinstance(value := _resolve(item, module), str)}
    if isinstance(node, ast.ListComp) and node.generators:
        source = _resolve(node.generators[0].iter, module)
        if isinstance(source, type) and issubclass(source, Enum):
            return {str(member.value) for member in source}
    return set()


class _SchemaFields:
    """The field keys a form's schema expression names, followed through the module.

    A schema may be written inline, kept in a local variable or a module constant, or built
    by a function of the same module (`_easee_schema(defaults)`); all are followed. A builder
    is called with its literal arguments and empty ones for the rest, so one whose positional
    argument picks the fields (`_credentials_schema(auth_method, ...)`) is checked for one
    branch only; a schema from another module is not followed. The browser check and the
    flow tests see the rest.
    """

    def __init__(self, tree: ast.Module, module: Any) -> None:
        self._module = module
        self._functions = {
            node.name: node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self._constants = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

    def _loop_values(self, expression: ast.AST) -> dict[str, set[str]]:
        """Names a comprehension binds from a literal sequence: `for key, _ in ((CONF_A, 1),)`."""
        values: dict[str, set[str]] = {}
        for node in ast.walk(expression):
            if not isinstance(node, ast.comprehension) or not isinstance(
                node.iter, ast.Tuple | ast.List
            ):
                continue
            targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
            for item in node.iter.elts:
                parts = item.elts if isinstance(item, ast.Tuple) else [item]
                for target, part in zip(targets, parts, strict=False):
                    if isinstance(target, ast.Name) and isinstance(
                        text := _resolve(part, self._module), str
                    ):
                        values.setdefault(target.id, set()).add(text)
        return values

    def _build(self, call: ast.Call) -> set[str] | None:
        """Build the schema as the flow would, with literal arguments kept and others empty.

        That follows the builder's own conditions (`ask_client_id=False` leaves a field out),
        which reading its source cannot; None when it cannot be built that way.
        """

        def value(node: ast.AST) -> Any:
            try:
                return ast.literal_eval(node)
            except ValueError:
                return {}

        if not isinstance(call.func, ast.Name):
            return None
        builder = getattr(self._module, call.func.id, None)
        if not callable(builder):
            return None
        try:
            schema = builder(
                *(value(arg) for arg in call.args),
                **{kw.arg: value(kw.value) for kw in call.keywords if kw.arg},
            )
        except Exception:  # noqa: BLE001 - a builder that needs real input is read instead
            return None
        keys = getattr(schema, "schema", None)
        return {str(key) for key in keys} if isinstance(keys, dict) else None

    def of(
        self, expression: ast.AST, scope: ast.AST, seen: frozenset[str] = frozenset()
    ) -> set[str]:
        fields: set[str] = set()
        local = {
            target.id: node.value
            for node in ast.walk(scope)
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        looped = self._loop_values(expression)
        for node in ast.walk(expression):
            if isinstance(node, ast.Call) and _call_name(node) in {"Required", "Optional"}:
                if not node.args:
                    continue
                if isinstance(key := _resolve(node.args[0], self._module), str):
                    fields.add(key)
                elif isinstance(node.args[0], ast.Name):
                    fields |= looped.get(node.args[0].id, set())
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name in self._functions and name not in seen:
                    built = self._build(node)
                    function = self._functions[name]
                    fields |= (
                        built if built is not None else self.of(function, function, seen | {name})
                    )
            elif isinstance(node, ast.Name) and node.id not in seen:
                value = local.get(node.id) or self._constants.get(node.id)
                if value is not None:
                    fields |= self.of(value, scope, seen | {node.id})
        return fields


def collect_code_references(integration: Path) -> CodeReferences:
    """Scan every module of the integration for the keys it hands Home Assistant."""
    found = CodeReferences()
    for path in sorted(integration.rglob("*.py")):
        if "api" in path.relative_to(integration).parts:
            continue  # the API clients know nothing of Home Assistant's translations
        module = importlib.import_module(_module_name(integration, path))
        tree = ast.parse(path.read_text("utf-8"))
        where = str(path.relative_to(integration))
        schema_fields = _SchemaFields(tree, module)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name.endswith(("_error", "_problem")):
                for node in ast.walk(function):
                    if (
                        isinstance(node, ast.Return)
                        and node.value is not None
                        and (text := _string(node.value)) is not None
                    ):
                        found.errors.setdefault(text, where)
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = _call_name(call)
                step = _keyword(call, "step_id")
                step_id = _resolve(step, module) if step is not None else None
                if name == "async_show_form" and isinstance(step_id, str):
                    schema = _keyword(call, "data_schema")
                    found.steps.setdefault(step_id, set()).update(
                        schema_fields.of(schema, function) if schema is not None else set()
                    )
                elif name == "async_show_menu" and isinstance(step_id, str):
                    options = _keyword(call, "menu_options")
                    found.menu_options[step_id] = (
                        _menu_options(options, module) if options is not None else set()
                    )
                elif name in {"async_abort", "_abort_if_unique_id_mismatch"}:
                    reason = _keyword(call, "reason")
                    if reason is not None and isinstance(text := _resolve(reason, module), str):
                        found.aborts.setdefault(text, where)
                elif name == "_abort_if_unique_id_configured":
                    found.aborts.setdefault("already_configured", where)
                elif name == "async_create_issue":
                    key = _keyword(call, "translation_key")
                    if key is not None and isinstance(text := _resolve(key, module), str):
                        found.issues.setdefault(text, where)
                elif (
                    (key := _keyword(call, "translation_key")) is not None
                    and _keyword(call, "translation_domain") is not None
                    and isinstance(text := _resolve(key, module), str)
                ):
                    found.exceptions.setdefault(text, where)
        for node in ast.walk(tree):
            # errors["base"] = "no_accounts", {"base": "no_chargers"}
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
                target = node.targets[0].value
                if (
                    isinstance(target, ast.Name)
                    and target.id == "errors"
                    and (text := _string(node.value)) is not None
                ):
                    found.errors.setdefault(text, where)
            if isinstance(node, ast.Dict):
                for key_node, value in zip(node.keys, node.values, strict=True):
                    if (
                        key_node is not None
                        and _string(key_node) == "base"
                        and (text := _string(value)) is not None
                    ):
                        found.errors.setdefault(text, where)
        for name in ("async_update_reload_and_abort",):
            if name in path.read_text("utf-8"):
                for step_id in found.steps:
                    if step_id.startswith("reauth"):
                        found.aborts.setdefault("reauth_successful", where)
                    if step_id.startswith("reconfigure"):
                        found.aborts.setdefault("reconfigure_successful", where)
    return found


def check_code_references(integration: Path, english: Mapping[str, Any], report: Report) -> None:
    """Every step, field, menu option, error, abort, exception and issue has its English text."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    found = collect_code_references(integration)
    where = "translations/en.json"
    flows = [english.get("config", {}), english.get("options", {})]

    def in_any_flow(*path: str) -> bool:
        return any(_lookup(flow, path) is not None for flow in flows)

    for step_id, fields in sorted(found.steps.items()):
        if not in_any_flow("step", step_id):
            report.add(where, f"form step {step_id!r} has no text")
            continue
        for field_name in sorted(fields):
            if not in_any_flow("step", step_id, "data", field_name):
                report.add(where, f"field {field_name!r} of step {step_id!r} has no label")
    for step_id, options in sorted(found.menu_options.items()):
        for option in sorted(options):
            if not in_any_flow("step", step_id, "menu_options", option):
                report.add(where, f"menu option {option!r} of step {step_id!r} has no label")
    for kind, keys, section in (
        ("error", found.errors, ("error",)),
        ("abort reason", found.aborts, ("abort",)),
    ):
        for key, source in sorted(keys.items()):
            if not in_any_flow(*section, key):
                report.add(where, f"{kind} {key!r} (from {source}) has no text")
    for key, source in sorted(found.exceptions.items()):
        if _lookup(english, ("exceptions", key, "message")) is None:
            report.add(where, f"exception {key!r} (from {source}) has no message")
    for key, source in sorted(found.issues.items()):
        issue = _lookup(english, ("issues", key))
        if not isinstance(issue, dict) or "title" not in issue:
            report.add(where, f"repair issue {key!r} (from {source}) has no title")


def _is_service_registration(call: ast.Call) -> bool:
    """Whether a call registers an action (not a webhook or another registry's entry)."""
    name = _call_name(call)
    if name == "async_register_admin_service":
        return True
    func = call.func
    if name != "async_register" or not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "services") or (
        isinstance(owner, ast.Name) and owner.id == "services"
    )


def _registered_services(integration: Path) -> set[str]:
    services: set[str] = set()
    for path in integration.rglob("*.py"):
        if "async_register" not in (source := path.read_text("utf-8")):
            continue
        module = importlib.import_module(_module_name(integration, path))
        for call in ast.walk(ast.parse(source)):
            if (
                isinstance(call, ast.Call)
                and _is_service_registration(call)
                and len(call.args) >= 2
                and isinstance(name := _resolve(call.args[1], module), str)
            ):
                services.add(name)
    return services


def check_services(integration: Path, english: Mapping[str, Any], report: Report) -> None:
    """services.yaml, the services the code registers and their texts agree."""
    services = _load_yaml(integration / "services.yaml", report) or {}
    registered = _registered_services(integration)
    for name in sorted(registered - set(services)):
        report.add("services.yaml", f"registered service {name!r} is not described")
    for name in sorted(set(services) - registered):
        report.add("services.yaml", f"service {name!r} is never registered")
    for name, description in services.items():
        texts = _lookup(english, ("services", name)) or {}
        for key in ("name", "description"):
            if key not in texts:
                report.add("translations/en.json", f"service {name!r} has no {key}")
        for field_name, spec in ((description or {}).get("fields") or {}).items():
            for key in ("name", "description"):
                if _lookup(texts, ("fields", field_name, key)) is None:
                    report.add("translations/en.json", f"field {name}.{field_name} has no {key}")
            if "selector" in (spec or {}):
                try:
                    selector.validate_selector(spec["selector"])
                except Exception as err:  # noqa: BLE001 - probatio or voluptuous, by release
                    report.add("services.yaml", f"{name}.{field_name} selector: {err}")
        for field_name in _lookup(texts, ("fields",)) or {}:
            if field_name not in ((description or {}).get("fields") or {}):
                report.add("translations/en.json", f"service field {name}.{field_name} unused")


def check_icons(integration: Path, english: Mapping[str, Any], report: Report) -> None:
    """icons.json: known sections, mdi icons, entity keys that exist, an icon per service."""
    icons = _load_json(integration / "icons.json", report)
    if not isinstance(icons, dict):
        return
    where = "icons.json"
    for section in sorted(set(icons) - {"entity", "services", "entity_component", "issues"}):
        report.add(where, f"unknown section {section!r}")
    for path, value in _leaves(icons):
        if path[0] != "issues" and not re.fullmatch(r"mdi:[a-z0-9-]+", str(value)):
            report.add(where, f"{'.'.join(path)}: {value!r} is not an mdi: icon")
    for platform, entities in (icons.get("entity") or {}).items():
        for key, spec in entities.items():
            texts = _lookup(english, ("entity", platform, key))
            if texts is None:
                report.add(where, f"entity {platform}.{key} has no translation key of that name")
                continue
            for state in (spec.get("state") or {}) if isinstance(spec, dict) else {}:
                if platform in {"sensor", "select"} and state not in (texts.get("state") or {}):
                    report.add(where, f"{platform}.{key} state {state!r} has no translated state")
    services = _load_yaml(integration / "services.yaml", report) or {}
    for name in services:
        if _lookup(icons, ("services", name, "service")) is None:
            report.add(where, f"service {name!r} has no icon")


def _core_quality_rules() -> set[str]:
    """Rule names as Home Assistant's own integrations spell them in their quality_scale.yaml."""
    rules: set[str] = set()
    for path in (HA_PACKAGE / "components").glob("*/quality_scale.yaml"):
        content: Any = load_yaml(path) or {}
        rules.update((content.get("rules") or {}).keys())
    return rules


def check_quality_scale(integration: Path, report: Report) -> None:
    """quality_scale.yaml names every rule, with a valid status and a reason where not done."""
    where = "quality_scale.yaml"
    content = _load_yaml(integration / where, report) or {}
    rules = content.get("rules") or {}
    known = _core_quality_rules()
    for name in sorted(set(rules) - known):
        report.add(where, f"{name!r} is not a quality scale rule")
    for name in sorted(known - set(rules)):
        report.add(where, f"rule {name!r} is missing")
    for name, value in rules.items():
        status = value if isinstance(value, str) else (value or {}).get("status")
        if status not in QUALITY_STATUSES:
            report.add(where, f"{name}: status {status!r} is not done, todo or exempt")
        elif status == "exempt" and not (isinstance(value, dict) and value.get("comment")):
            report.add(where, f"{name}: an exemption needs a comment saying why")


def png_info(path: Path) -> tuple[int, int, bool, tuple[int, int, int, int] | None]:
    """Width, height, whether it has an alpha channel, and the box of its visible pixels."""
    with Image.open(path) as image:
        if image.format != "PNG":
            raise ValueError(f"{image.format}, not PNG")
        alpha = image.mode in {"RGBA", "LA"} or "transparency" in image.info
        box = image.convert("RGBA").getchannel("A").getbbox() if alpha else None
        return image.width, image.height, alpha, box


def check_brand(brand: Path, report: Report) -> None:
    """brand/: an icon at least, every image a trimmed transparent PNG of the brands sizes."""
    if not (brand / "icon.png").is_file():
        report.add("brand", "icon.png is missing (Home Assistant shows a placeholder)")
        return
    for path in sorted(brand.iterdir()):
        where = f"brand/{path.name}"
        if path.name not in ICON_SIZES and path.name not in LOGO_SHORT_SIDES:
            report.add(where, "is not an image name Home Assistant serves")
            continue
        try:
            width, height, alpha, box = png_info(path)
        except (OSError, ValueError) as err:
            report.add(where, f"cannot be read: {err}")
            continue
        if path.name in ICON_SIZES and (width, height) != (ICON_SIZES[path.name],) * 2:
            report.add(where, f"is {width} x {height}, not {ICON_SIZES[path.name]} square")
        if path.name in LOGO_SHORT_SIDES:
            low, high = LOGO_SHORT_SIDES[path.name]
            if not low <= min(width, height) <= high:
                report.add(where, f"short side {min(width, height)} is outside {low}-{high}")
        if not alpha:
            report.add(where, "has no transparent background")
        elif box is not None and box != (0, 0, width, height):
            report.add(where, f"is not trimmed: the artwork fills only {box}")


def main() -> int:
    """Print every problem; non-zero when there is one."""
    problems = validate()
    for problem in problems:
        print(problem)
    print(f"validate: {len(problems)} problem(s) in {INTEGRATION.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
