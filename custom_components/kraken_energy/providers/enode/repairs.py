"""Repair issues of an Enode entry: interventions a device needs, permissions not granted."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ...api.enode import EnodeForbiddenError
from ...const import DOMAIN
from .coordinator import EnodeConfigEntry, EnodeData, blocked_capabilities, device_name


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
                    translation_key="enode_intervention",
                    translation_placeholders={
                        "device": device_name(device),
                        "capability": name.replace("_", " "),
                        "title": intervention.title,
                        "resolution": intervention.description,
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
