"""Constants every provider shares: the domain, the providers, polling and departures."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Final

DOMAIN: Final = "kraken_energy"


class Provider(StrEnum):
    """Which cloud a config entry talks to (`CONF_PROVIDER` in its data)."""

    KRAKEN = "kraken"
    EASEE = "easee"
    ENODE = "enode"


# Entries made before Easee and Enode (minor version 1) had no provider key: they were Kraken
# supplier accounts, and the migration to minor version 2 writes it.
CONF_PROVIDER: Final = "provider"
ENTRY_MINOR_VERSION: Final = 2

# The API address of a Kraken supplier or of Easee (a stand-in's, in development).
CONF_ENDPOINT: Final = "endpoint"

# A read that failed on the way (no answer, a server error, a body that does not parse) is
# asked again once, this long after, plus up to as long again at random: most such failures
# are gone seconds later, and households do not all ask again in step.
TRANSIENT_RETRY_DELAY: Final = timedelta(seconds=3)
# Entities keep showing what was last read while polls fail, until it is this many cycles of
# its coordinator old (plus STALE_MARGIN, for the poll due just then to answer).
STALE_AFTER_CYCLES: Final = 2
STALE_MARGIN: Final = timedelta(seconds=30)
# The next attempt after a failed one; doubles with each further failure, up to the ceiling.
FAILURE_RETRY_INTERVAL: Final = timedelta(minutes=2)
# The longest wait between attempts while a service keeps failing (or asks to be left alone).
FAILURE_RETRY_CEILING: Final = timedelta(hours=1)
# A device, meter point or charger leaves Home Assistant only after this many consecutive
# well-formed answers without it: one odd answer never costs a household its devices.
DEPARTURE_ANSWERS: Final = 2

# Chargers deliver 6 A to 32 A per phase; below 6 A a car does not charge.
CHARGE_CURRENT_MIN: Final = 6.0
CHARGE_CURRENT_MAX: Final = 32.0
