"""Numbers: the entry's provider adds its own (providers/<provider>/number.py)."""

from __future__ import annotations

from homeassistant.const import Platform

from .providers import platform_handover

PARALLEL_UPDATES = 1

async_setup_entry = platform_handover(Platform.NUMBER)
