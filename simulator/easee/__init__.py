"""Easee cloud API simulator: users, a site with two chargers whose state moves, commands."""

from .scenario import (
    DRIVEWAY_CHARGER_ID,
    EASEE_EMPTY_USERNAME,
    EASEE_PASSWORD,
    EASEE_USERNAME,
    GARAGE_CHARGER_ID,
    SITE_ID,
    EaseeUser,
    SimCharger,
    SimSite,
)
from .state import EaseeState, SimulatedEaseeError

__all__ = [
    "DRIVEWAY_CHARGER_ID",
    "EASEE_EMPTY_USERNAME",
    "EASEE_PASSWORD",
    "EASEE_USERNAME",
    "GARAGE_CHARGER_ID",
    "SITE_ID",
    "EaseeState",
    "EaseeUser",
    "SimCharger",
    "SimSite",
    "SimulatedEaseeError",
]
