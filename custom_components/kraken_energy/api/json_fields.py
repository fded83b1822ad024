"""Readers of JSON fields that every provider's parsers share.

Each provider binds them to its own parse error, so a malformed answer raises that provider's
typed error naming the field's path, never a bare KeyError or TypeError.
"""

from __future__ import annotations

from datetime import datetime
import math
from typing import Any

# Whole numbers beyond this are not counts, years or percentages from a real device.
_LARGEST_INT = 2**53


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
        """An optional JSON array (null counts as empty), or a parse error."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._error(f"{path}: expected a list, got {type(value).__name__}")
        return value

    def required_list(self, value: Any, path: str) -> list[Any]:
        """A JSON array the answer must carry: missing or null is a parse error.

        Use it for the lists that say which items exist (devices, meter points, chargers):
        reading a missing list as empty would make every item look gone.
        """
        if not isinstance(value, list):
            raise self._error(f"{path}: expected a list, got {type(value).__name__}")
        return value

    def opt_number(self, value: Any, path: str, *, strings: bool = False) -> float | None:
        """An optional finite number; with `strings`, a numeric string too (Decimal fields).

        NaN, infinities and numbers beyond a float's range count as absent (None): they are
        not readings, and Home Assistant refuses them as states.
        """
        if value is None:
            return None
        if isinstance(value, bool):
            raise self._error(f"{path}: expected a number, got bool")
        if isinstance(value, int | float) or (strings and isinstance(value, str)):
            try:
                number = float(value)
            except ValueError, OverflowError:
                if isinstance(value, str) and not _looks_numeric(value):
                    raise self._error(f"{path}: expected a number, got {value!r:.40}") from None
                return None
            return number if math.isfinite(number) else None
        raise self._error(f"{path}: expected a number, got {type(value).__name__}")

    def opt_int(self, value: Any, path: str, *, strings: bool = False) -> int | None:
        """An optional whole number (a float with no fraction counts), None if not finite."""
        number = self.opt_number(value, path, strings=strings)
        if number is None or abs(number) > _LARGEST_INT:
            return None
        if not number.is_integer():
            raise self._error(f"{path}: expected a whole number, got {number!r:.40}")
        return int(number)

    def opt_bool(self, value: Any, path: str) -> bool | None:
        """An optional boolean; the strings "true" and "false" (any case) count as well.

        Any other string is refused rather than read by truthiness ("false" is truthy).
        """
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise self._error(f"{path}: expected a boolean, got {_shown(value)}")

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
        raise self._error(f"{path}: expected an ISO 8601 date-time, got {_shown(value)}")


def _looks_numeric(text: str) -> bool:
    """Whether a string is a number spelled out of range or non-finite ("1e999", "NaN")."""
    lowered = text.strip().lower().lstrip("+-")
    return (
        lowered in ("nan", "inf", "infinity")
        or lowered.replace(".", "", 1)
        .replace("e", "", 1)
        .replace("-", "", 1)
        .replace("+", "", 1)
        .isdigit()
    )


def _shown(value: Any) -> str:
    """A value for an error message: a string's start, else only its type.

    repr() of a huge integer raises, and of a deeply nested list recurses too far.
    """
    return f"{value!r:.40}" if isinstance(value, str) else type(value).__name__
