"""Readers of JSON fields that every provider's parsers share.

Each provider binds them to its own parse error, so a malformed answer raises that provider's
typed error naming the field's path, never a bare KeyError or TypeError.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class JsonFields:
    """The shared field readers, raising `error` (a provider's parse error)."""

    def __init__(self, error: type[Exception]) -> None:
        self._error = error

    def as_dict(self, value: Any, path: str) -> dict[str, Any]:
        """The value as a JSON object, or a parse error naming `path`."""
        if not isinstance(value, dict):
            raise self._error(f"{path}: expected an object, got {type(value).__name__}")
        return value

    def opt_dict(self, value: Any, path: str) -> dict[str, Any]:
        """An optional JSON object; null counts as empty."""
        return {} if value is None else self.as_dict(value, path)

    def as_list(self, value: Any, path: str) -> list[Any]:
        """The value as a JSON array (null counts as empty), or a parse error."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._error(f"{path}: expected a list, got {type(value).__name__}")
        return value

    def as_str(self, value: Any, path: str) -> str:
        """A required, non-empty string."""
        if not isinstance(value, str) or not value:
            raise self._error(f"{path}: expected a string, got {type(value).__name__}")
        return value

    def opt_datetime(self, value: Any, path: str) -> datetime | None:
        """An optional ISO 8601 date-time with an offset (a trailing Z is accepted)."""
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if parsed.tzinfo is not None:
                    return parsed
        raise self._error(f"{path}: expected an ISO 8601 date-time, got {value!r:.40}")
