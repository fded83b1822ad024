"""Diagnostics of an Easee entry: its chargers and how polling stands."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ...api.easee import EaseeCharger
from ...api.easee.stream import EaseeStream
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
    stream = coordinator.stream
    assert stream is not None  # noqa: S101 - attached in setup, before the entry is loaded
    return {
        "entry": entry_diagnostics(entry),
        "coordinator": polling_state(coordinator, entry.runtime_data.client.request_count),
        "stream": _stream(stream),
        "chargers": redact(chargers),
    }


def _stream(stream: EaseeStream) -> dict[str, Any]:
    """How the observation stream stands (the chargers it follows are counted, not named).

    Diagnostics of an entry that is not loaded are built without the provider (root
    diagnostics.py), so there always is a stream here.
    """
    return {
        "connected": stream.connected,
        "chargers": len(stream.charger_ids),
        "backoff_seconds": stream.waiting,
        **asdict(stream.stats),
    }
