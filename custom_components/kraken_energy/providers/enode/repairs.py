"""Repair issues of an Enode entry: interventions a device needs, permissions not granted."""

from __future__ import annotations

import re

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ...api.enode import EnodeForbiddenError
from ...const import DOMAIN
from .coordinator import EnodeConfigEntry, EnodeData, blocked_capabilities, device_name

# Capabilities whose blocking has its own text (issues.enode_intervention_<name>); any other
# gets the general one, which names no capability.
NAMED_CAPABILITIES = frozenset(
    {
        "information",
        "charge_state",
        "location",
        "odometer",
        "set_max_current",
        "start_charging",
        "stop_charging",
        "smart_charging",
        "set_follow_schedule",
        "set_permanent_hold",
        "import_focus",
        "export_focus",
        "time_of_use",
        "self_reliance",
        "production_state",
        "production_statistics",
        "measures_consumption",
        "measures_production",
    }
)

_LINE_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)


def resolution_markdown(description: str) -> str:
    """Enode's resolution as Markdown a repair shows: its steps one a line.

    Enode separates numbered steps with `<br>`, which leaves steps 2 and on inside step 1.
    """
    return _LINE_BREAK.sub("\n", description).strip()


def intervention_translation_key(capability: str) -> str:
    """The repair text naming what the blocked capability does, in the user's language."""
    if capability in NAMED_CAPABILITIES:
        return f"enode_intervention_{capability}"
    return "enode_intervention"


@callback
def async_sync_repairs(hass: HomeAssistant, entry: EnodeConfigEntry) -> None:
    """One repair issue per blocked capability, with Enode's resolution; gone when resolved."""
    coordinator = entry.runtime_data.coordinator
    data: EnodeData | None = coordinator.data
    if data is None or not coordinator.last_update_success:
        return
    wanted: set[str] = set()
    for device_id, (_kind, device) in data.by_id.items():
        for name, capability in blocked_capabilities(device):
            for intervention_id in capability.intervention_ids:
                intervention = data.interventions.get(intervention_id)
                if intervention is None:
                    continue
                issue_id = f"{entry.entry_id}_{device_id}_{name}_{intervention_id}"
                wanted.add(issue_id)
                ir.async_create_issue(
                    hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key=intervention_translation_key(name),
                    translation_placeholders={
                        "device": device_name(device),
                        "title": intervention.title,
                        "resolution": resolution_markdown(intervention.description),
                    },
                )
    for kind, error in data.devices.failed_kinds.items():
        if not isinstance(error, EnodeForbiddenError):
            continue
        # The client may not read this kind (a permission the user did not grant when linking):
        # say which, and that linking again with it fixes it.
        issue_id = f"{entry.entry_id}_forbidden_{kind.value.lower()}"
        wanted.add(issue_id)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="enode_missing_permission",
            translation_placeholders={
                "kind": kind.value.lower(),
                "permission": error.missing_scope or error.detail or error.title or "",
            },
        )
    async_remove_repairs(hass, entry.entry_id, keep=wanted)


@callback
def async_remove_repairs(
    hass: HomeAssistant, entry_id: str, keep: set[str] | frozenset[str] = frozenset()
) -> None:
    """Delete an entry's intervention repair issues, except those to keep."""
    prefix = f"{entry_id}_"
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id not in keep:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
