"""HTTP details every provider client shares."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
import time


def retry_after_seconds(header: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except TypeError, ValueError:
        return None
    return max(0.0, when.timestamp() - time.time())
