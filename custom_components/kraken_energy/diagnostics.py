"""Diagnostics: why an entry is not loaded, or its provider's view of it; secrets removed."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant

from .providers import provider_spec
from .redaction import entry_diagnostics


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ConfigEntry[Any]
) -> dict[str, Any]:
    """Entry data and options, the coordinators' state and the data as parsed."""
    if entry.state is not ConfigEntryState.LOADED:
        # Nothing was fetched (or the entry is unloaded): what is known is why.
        return {
            "entry": entry_diagnostics(entry),
            "state": entry.state.value,
            "reason": entry.reason,
        }
    return provider_spec(entry).diagnostics(entry)
