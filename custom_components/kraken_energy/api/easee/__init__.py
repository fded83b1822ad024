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
    OP_MODE_CANONICAL,
    EaseeCharger,
    EaseeChargerConfig,
    EaseeChargerState,
    EaseeCommandResult,
    EaseeSite,
    canonical_op_mode,
)

__all__ = [
    "EASEE_API_URL",
    "OP_MODE_CANONICAL",
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
    "canonical_op_mode",
]
