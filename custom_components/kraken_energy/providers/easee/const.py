"""Constants of Easee entries: entry data, cadences, identifiers."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

CONF_SITES: Final = "sites"

# Easee chargers: live state every minute, settings and the charger list less often.
EASEE_UPDATE_INTERVAL: Final = timedelta(minutes=1)
EASEE_CONFIG_INTERVAL: Final = timedelta(minutes=15)
# While the stream is up it carries the state: a poll now and then is only a safety net (for
# readings the stream does not carry and for a stream that went quiet without closing).
EASEE_STREAM_POLL_INTERVAL: Final = timedelta(minutes=30)
EASEE_STREAM_CONFIG_INTERVAL: Final = timedelta(minutes=60)
# Setup waits this long at most for the stream's first attempt (it goes on trying after).
EASEE_STREAM_SETUP_WAIT: Final = 10.0

EASEE_PREFIX: Final = "easee_"
# Easee's web portal, where the owner manages chargers and sites.
EASEE_PORTAL_URL: Final = "https://easee.cloud/"
