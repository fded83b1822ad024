"""HTTP details every provider client shares."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
import math
import time

RETRY_AFTER_CEILING = 3600.0
"""The longest wait a Retry-After is taken at: a server asking for more (a day, the year
9999, infinity) is most likely wrong, and an hour is as long as entities should wait."""


def retry_after_seconds(header: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date).

    Always finite, between 0 and RETRY_AFTER_CEILING; None when the header is absent or
    unreadable.
    """
    if not header:
        return None
    seconds: float
    try:
        seconds = float(header)
    except ValueError:
        try:
            when = parsedate_to_datetime(header)
        except TypeError, ValueError, OverflowError, IndexError:
            return None
        try:
            seconds = when.timestamp() - time.time()
        except OverflowError, ValueError, OSError:
            return RETRY_AFTER_CEILING
    if math.isnan(seconds):
        return None
    return min(max(0.0, seconds), RETRY_AFTER_CEILING)


def decode_body(raw: bytes, charset: str | None = None) -> str:
    """A response body as text, whatever it holds.

    Proxies and firewalls answer with pages in Latin-1 or worse; a body that is not valid
    text in its declared charset (or UTF-8) is decoded with replacement characters, so the
    caller can report it instead of crashing on it.
    """
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError, LookupError:
            continue
    return raw.decode("utf-8", errors="replace")
