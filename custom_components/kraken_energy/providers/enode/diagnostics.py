"""Diagnostics of an Enode entry: its devices, interventions and how polling stands."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data

from ...redaction import entry_diagnostics, jsonable, polling_state, redact
from .coordinator import EnodeConfigEntry, EnodeData
from .push import PUSH_REDACT


def device_diagnostics(entry: EnodeConfigEntry) -> dict[str, Any]:
    """The user's devices as read, redacted, and the interventions that block them."""
    coordinator = entry.runtime_data.coordinator
    data: EnodeData | None = coordinator.data
    devices = jsonable(data.devices) if data else None
    return {
        "entry": async_redact_data(entry_diagnostics(entry), PUSH_REDACT),
        "coordinator": {
            **polling_state(coordinator, entry.runtime_data.client.request_count),
            "interventions": sorted(data.interventions) if data else [],
        },
        "push": push.diagnostics() if (push := entry.runtime_data.push) else None,
        "devices": redact(devices),
    }
