"""Calendars: the entry's provider adds its own (providers/<provider>/calendar.py)."""

from __future__ import annotations

from homeassistant.const import Platform

from .providers import platform_handover

PARALLEL_UPDATES = 0

async_setup_entry = platform_handover(Platform.CALENDAR)
