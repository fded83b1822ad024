"""Easee observations (the stream's `ProductUpdate` messages) and how they change a charger.

An observation is `{"mid": <charger id>, "dataType": <1-7>, "id": <observation id>,
"timestamp": <ISO 8601>, "value": <always a string>}` (field names from futurehome's
edge-easee-adapter and evcc's `charger/easee/signalr.go`; booleans arrive as "1"/"0", which
every Easee client reads as true/false). The ids are the same as the observation ids of
seed 004, so codes go through the same enumerations (`enums.py`) as the REST parsers: an
unknown code keeps its raw value and becomes None (logged once), never a crash.

`parse_observation` never raises: anything it cannot read (not an object, an id it does not
know, a value that is no number where a number belongs) is None, and the charger stays as
it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import IntEnum
import math
from typing import Any

from .enums import (
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)
from .models import EaseeCharger, EaseeChargerConfig, EaseeChargerState

# Whole numbers beyond this are no code (the REST parsers use the same bound).
_LARGEST_WHOLE = 2**53
# A value longer than this is no reading of ours (JSON blobs such as schedules are not read).
_LONGEST_VALUE = 64
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})


class EaseeObservationId(IntEnum):
    """The observation ids the integration reads (Easee's numbering; seed 004 for codes)."""

    LOCK_CABLE_PERMANENTLY = 30
    IS_ENABLED = 31
    PHASE_MODE = 38
    AUTHORIZATION_REQUIRED = 42
    OFFLINE_CHARGING_MODE = 45
    LED_MODE = 46
    MAX_CHARGER_CURRENT = 47
    DYNAMIC_CHARGER_CURRENT = 48
    REASON_FOR_NO_CURRENT = 96
    PILOT_MODE = 100
    SMART_CHARGING = 102
    CABLE_LOCKED = 103
    CABLE_RATING = 104
    CHARGER_OP_MODE = 109
    OUTPUT_PHASE = 110
    OUTPUT_CURRENT = 114
    ERROR_CODE = 119
    TOTAL_POWER = 120
    """kW."""
    SESSION_ENERGY = 121
    """kWh."""
    LIFETIME_ENERGY = 124
    """kWh."""
    FATAL_ERROR_CODE = 219
    CONNECTED_TO_CLOUD = 250


type ObservedValue = int | float | bool | str


@dataclass(frozen=True, slots=True)
class EaseeObservation:
    """One reading of one charger, typed: a code (int), a number, a flag or a pilot letter."""

    charger_id: str
    observation_id: EaseeObservationId
    value: ObservedValue
    timestamp: datetime | None


def _code(text: str) -> int | None:
    number = _number(text)
    if number is None or not number.is_integer() or abs(number) > _LARGEST_WHOLE:
        return None
    return int(number)


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _flag(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def _pilot(text: str) -> str | None:
    letter = text.strip()
    return letter if len(letter) == 1 and letter.isalpha() else None


_CODES = {
    EaseeObservationId.CHARGER_OP_MODE,
    EaseeObservationId.REASON_FOR_NO_CURRENT,
    EaseeObservationId.OUTPUT_PHASE,
    EaseeObservationId.LED_MODE,
    EaseeObservationId.PHASE_MODE,
    EaseeObservationId.OFFLINE_CHARGING_MODE,
    EaseeObservationId.ERROR_CODE,
    EaseeObservationId.FATAL_ERROR_CODE,
}
_FLAGS = {
    EaseeObservationId.LOCK_CABLE_PERMANENTLY,
    EaseeObservationId.IS_ENABLED,
    EaseeObservationId.AUTHORIZATION_REQUIRED,
    EaseeObservationId.SMART_CHARGING,
    EaseeObservationId.CABLE_LOCKED,
    EaseeObservationId.CONNECTED_TO_CLOUD,
}


def _reader(observation_id: EaseeObservationId) -> Callable[[str], ObservedValue | None]:
    if observation_id in _CODES:
        return _code
    if observation_id in _FLAGS:
        return _flag
    if observation_id is EaseeObservationId.PILOT_MODE:
        return _pilot
    return _number


def _text(value: Any) -> str | None:
    """The value as text: Easee sends strings; a bare JSON number or boolean is read too."""
    if isinstance(value, str):
        return value if len(value) <= _LONGEST_VALUE else None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) and abs(value) <= _LARGEST_WHOLE:
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return None


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > _LONGEST_VALUE:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_observation(raw: Any) -> EaseeObservation | None:
    """One `ProductUpdate` argument as a typed observation; None if it says nothing we read."""
    if not isinstance(raw, dict):
        return None
    charger_id = raw.get("mid")
    raw_id = raw.get("id")
    if not isinstance(charger_id, str) or not charger_id or len(charger_id) > _LONGEST_VALUE:
        return None
    if isinstance(raw_id, bool) or not isinstance(raw_id, int):
        return None
    try:
        observation_id = EaseeObservationId(raw_id)
    except ValueError:
        return None  # Easee streams many ids the integration has no use for
    text = _text(raw.get("value"))
    if text is None:
        return None
    value = _reader(observation_id)(text)
    if value is None:
        return None
    return EaseeObservation(charger_id, observation_id, value, _timestamp(raw.get("timestamp")))


def _state_change(observation: EaseeObservation) -> dict[str, Any] | None:
    """The state fields an observation sets (None: it is not a state observation)."""
    value = observation.value
    match observation.observation_id:
        case EaseeObservationId.CHARGER_OP_MODE:
            return {"op_mode_code": value, "easee_op_mode": EaseeOpMode.from_code(int(value))}
        case EaseeObservationId.REASON_FOR_NO_CURRENT:
            return {
                "reason_for_no_current_code": value,
                "reason_for_no_current": EaseeReasonForNoCurrent.from_code(int(value)),
            }
        case EaseeObservationId.OUTPUT_PHASE:
            return {
                "output_phase_code": value,
                "output_phase": EaseeOutputPhase.from_code(int(value)),
            }
        case EaseeObservationId.LED_MODE:
            return {"led_mode_code": value, "led_mode": EaseeLedMode.from_code(int(value))}
        case EaseeObservationId.PILOT_MODE:
            return {"pilot_mode_code": value, "pilot_mode": EaseePilotMode.from_code(str(value))}
        case EaseeObservationId.ERROR_CODE:
            return {"error_code": value}
        case EaseeObservationId.FATAL_ERROR_CODE:
            return {"fatal_error_code": value}
        case EaseeObservationId.CONNECTED_TO_CLOUD:
            return {"online": value}
    field = _STATE_FIELDS.get(observation.observation_id)
    return {field: value} if field else None


_STATE_FIELDS = {
    EaseeObservationId.TOTAL_POWER: "total_power",
    EaseeObservationId.SESSION_ENERGY: "session_energy",
    EaseeObservationId.LIFETIME_ENERGY: "lifetime_energy",
    EaseeObservationId.OUTPUT_CURRENT: "output_current",
    EaseeObservationId.CABLE_LOCKED: "cable_locked",
    EaseeObservationId.SMART_CHARGING: "smart_charging",
    EaseeObservationId.DYNAMIC_CHARGER_CURRENT: "dynamic_charger_current",
    EaseeObservationId.CABLE_RATING: "cable_rating",
}


def _config_change(observation: EaseeObservation) -> dict[str, Any] | None:
    value = observation.value
    match observation.observation_id:
        case EaseeObservationId.PHASE_MODE:
            return {
                "phase_mode_code": value,
                "phase_mode": EaseePhaseMode.from_code(int(value)),
                "limit_to_single_phase_charging": value == 1,
            }
        case EaseeObservationId.OFFLINE_CHARGING_MODE:
            return {
                "offline_charging_mode_code": value,
                "offline_charging_mode": EaseeOfflineChargingMode.from_code(int(value)),
            }
        case EaseeObservationId.IS_ENABLED:
            return {"enabled": value}
        case EaseeObservationId.MAX_CHARGER_CURRENT:
            return {"max_charger_current": value}
        case EaseeObservationId.AUTHORIZATION_REQUIRED:
            return {"authorization_required": value}
        case EaseeObservationId.LOCK_CABLE_PERMANENTLY:
            return {"lock_cable_permanently": value}
    return None


def apply_observation(charger: EaseeCharger, observation: EaseeObservation) -> EaseeCharger:
    """The charger with the observation applied (itself when nothing changes).

    A charger whose state or settings were never read keeps waiting for the poll: one
    observation is not a whole state.
    """
    state_change = _state_change(observation)
    if state_change is not None:
        state: EaseeChargerState | None = charger.state
        if state is None or all(getattr(state, k) == v for k, v in state_change.items()):
            return charger
        return replace(charger, state=replace(state, **state_change))
    config_change = _config_change(observation)
    config: EaseeChargerConfig | None = charger.config
    if config_change is None or config is None:
        return charger
    if all(getattr(config, k) == v for k, v in config_change.items()):
        return charger
    return replace(charger, config=replace(config, **config_change))
