"""Constants of Easee entries: entry data, cadences, identifiers."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

CONF_SITES: Final = "sites"

# Easee chargers: live state every minute, settings and the charger list less often.
EASEE_UPDATE_INTERVAL: Final = timedelta(minutes=1)
EASEE_CONFIG_INTERVAL: Final = timedelta(minutes=15)

EASEE_PREFIX: Final = "easee_"
