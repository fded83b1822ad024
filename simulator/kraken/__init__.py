"""Kraken GraphQL API (Octopus Energy GB / Germany) simulator.

The GB endpoint speaks one of several dialects (`dialects.GB_DIALECTS`, chosen by
`KrakenState.dialect`); the German instance speaks "de-2026".
"""

from .dialects import DEFAULT_DIALECT, DIALECTS, GB_DIALECTS
from .errors import KrakenError
from .rates import UnitRatePeriod, half_hourly_pre_vat_rate
from .scenario import Scenario, default_scenario, expected_unit_rate
from .state import KrakenState

__all__ = [
    "DEFAULT_DIALECT",
    "DIALECTS",
    "GB_DIALECTS",
    "KrakenError",
    "KrakenState",
    "Scenario",
    "UnitRatePeriod",
    "default_scenario",
    "expected_unit_rate",
    "half_hourly_pre_vat_rate",
]
