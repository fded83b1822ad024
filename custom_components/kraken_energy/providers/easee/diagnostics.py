"""Diagnostics of an Easee entry: its chargers and how polling stands."""

from __future__ import annotations

from typing import Any

from ...api.easee import EaseeCharger
from ...redaction import entry_diagnostics, jsonable, polling_state, redact
from .coordinator import EaseeConfigEntry, EaseeData
from .readings import op_mode


def _charger(charger: EaseeCharger) -> dict[str, Any]:
    """A charger as read, with the canonical op mode the integration derives beside Easee's."""
    shown: dict[str, Any] = jsonable(charger)
    if shown["state"] is not None:
        shown["state"]["op_mode"] = jsonable(op_mode(charger.state))
    return shown


def charger_diagnostics(entry: EaseeConfigEntry) -> dict[str, Any]:
    """The entry's chargers, redacted."""
    coordinator = entry.runtime_data.coordinator
    data: EaseeData | None = coordinator.data
    chargers = [_charger(charger) for charger in (data.chargers.values() if data else ())]
    return {
        "entry": entry_diagnostics(entry),
        "coordinator": polling_state(coordinator, entry.runtime_data.client.request_count),
        "chargers": redact(chargers),
    }
