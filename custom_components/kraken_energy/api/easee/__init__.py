"""Easee cloud client: sign-in and token renewal, sites and chargers, commands and settings.

Plain asyncio on an injected aiohttp session, free of Home Assistant; see README_DECISION.md
for why this is our own client rather than pyeasee.
"""

from .client import EASEE_API_URL, EaseeClient
from .enums import (
    EaseeCode,
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)
from .exceptions import (
    EaseeApiError,
    EaseeAuthError,
    EaseeCommandError,
    EaseeConnectionError,
    EaseeError,
    EaseeNotFoundError,
    EaseeParseError,
    EaseeRateLimitError,
    EaseeServerError,
    EaseeSignInError,
    EaseeTimeoutError,
)
from .models import (
    EaseeCharger,
    EaseeChargerConfig,
    EaseeChargerState,
    EaseeCommandResult,
    EaseeSite,
)

__all__ = [
    "EASEE_API_URL",
    "EaseeApiError",
    "EaseeAuthError",
    "EaseeCharger",
    "EaseeChargerConfig",
    "EaseeChargerState",
    "EaseeClient",
    "EaseeCode",
    "EaseeCommandError",
    "EaseeCommandResult",
    "EaseeConnectionError",
    "EaseeError",
    "EaseeLedMode",
    "EaseeNotFoundError",
    "EaseeOfflineChargingMode",
    "EaseeOpMode",
    "EaseeOutputPhase",
    "EaseeParseError",
    "EaseePhaseMode",
    "EaseePilotMode",
    "EaseeRateLimitError",
    "EaseeReasonForNoCurrent",
    "EaseeServerError",
    "EaseeSignInError",
    "EaseeSite",
    "EaseeTimeoutError",
]
