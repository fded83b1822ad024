"""Kraken GraphQL API (Octopus Energy GB / Germany) simulator."""

from .errors import KrakenError
from .rates import UnitRatePeriod, half_hourly_pre_vat_rate
from .scenario import Scenario, default_scenario, expected_unit_rate
from .state import KrakenState

__all__ = [
    "KrakenError",
    "KrakenState",
    "Scenario",
    "UnitRatePeriod",
    "default_scenario",
    "expected_unit_rate",
    "half_hourly_pre_vat_rate",
]
