"""Easee's observation enumerations (seed 004), one Python enum each, every code listed.

Every member has a `key`: a snake_case Home Assistant translation state key. The key is the
member's name in lower case with a trailing `_<number>` removed, so a meaning Easee reports
under several codes (the LED's "updating" 1-15, op mode "offline" 102 next to 0) shares one
key while every code stays a member. `keys()` lists a type's keys once each, in code order:
the `options` of an enum sensor. `from_code()` turns a raw value into a member, or None (and
one log line per type and value) for a code Easee added after this list was written.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
import logging
import re
from typing import Self

_LOGGER = logging.getLogger(__name__)
_UNKNOWN_LOGGED: set[tuple[str, object]] = set()
_NUMBER_SUFFIX = re.compile(r"_\d+$")


def _key(name: str) -> str:
    return _NUMBER_SUFFIX.sub("", name).lower()


# However many odd codes a misbehaving server sends, the memory of logged ones stays small.
_UNKNOWN_LOGGED_LIMIT = 256


def _log_unknown(type_name: str, code: object) -> None:
    if (type_name, code) in _UNKNOWN_LOGGED or len(_UNKNOWN_LOGGED) >= _UNKNOWN_LOGGED_LIMIT:
        return
    _UNKNOWN_LOGGED.add((type_name, code))
    _LOGGER.info("Easee reported an unknown %s code %.40r; treating it as unknown", type_name, code)


class EaseeCode(IntEnum):
    """Base of the integer enumerations: a translation key per code, lookup of raw codes."""

    @property
    def key(self) -> str:
        """The Home Assistant translation state key of this code."""
        return _key(self.name)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Every key once, in code order (the options of an enum sensor)."""
        return tuple(dict.fromkeys(member.key for member in cls))

    @classmethod
    def from_code(cls, code: int | None) -> Self | None:
        """The member for a raw code; None for a missing or unknown one (logged once)."""
        if code is None:
            return None
        try:
            return cls(code)
        except ValueError:
            _log_unknown(cls.__name__, code)
            return None


class EaseeOpMode(EaseeCode):
    """Charger op mode (observation 109, `chargerOpMode`).

    1-6 are Easee's documented OpModeType; 0, 7, 8 and 100-161 are reported in the field (the
    codes nordicopen/pyeasee and easee_hass know).
    """

    OFFLINE = 0
    """No op mode reported (the charger has not been heard from)."""
    DISCONNECTED = 1
    """No car connected."""
    AWAITING_START = 2
    """Car connected, waiting for the load balancer or remote authorization (SuspendedEVSE)."""
    CHARGING = 3
    """Charging."""
    COMPLETED = 4
    """The car has paused or stopped charging."""
    ERROR = 5
    """Error in the charger."""
    READY_TO_CHARGE = 6
    """The charger is waiting for the car to take energy (SuspendedEV)."""
    AWAITING_AUTHORIZATION = 7
    """Car connected, waiting for an RFID tag or app authorization."""
    DE_AUTHORIZING = 8
    """The session's authorization is being ended."""
    START_CHARGING = 100
    """A start was requested and is being carried out."""
    STOP_CHARGING = 101
    """A stop was requested and is being carried out."""
    OFFLINE_102 = 102
    """The charger is offline (extended code)."""
    AWAITING_LOAD_BALANCING = 103
    """Waiting for the load balancer to allocate current."""
    AWAITING_AUTHORIZATION_104 = 104
    """Waiting for authorization (extended code)."""
    AWAITING_SMART_START = 105
    """Smart charging holds the start back (a current limit is below 6 A)."""
    AWAITING_SCHEDULED_START = 106
    """A charging schedule holds the start back."""
    AUTHENTICATING = 107
    """The presented authorization is being verified."""
    PAUSED_DUE_TO_EQUALIZER = 108
    """The Equalizer paused charging to protect the main fuse."""
    SEARCHING_FOR_MASTER = 109
    """A secondary unit has lost its master and looks for it."""
    ERRATIC_EV = 157
    """The car behaves erratically."""
    ERROR_TEMPERATURE_TOO_HIGH = 158
    """The charger is too hot."""
    ERROR_DEAD_POWERBOARD = 159
    """The power board failed."""
    ERROR_OVERCURRENT = 160
    """Overcurrent detected."""
    ERROR_PEN_FAULT = 161
    """Broken PEN conductor detected."""


class EaseeReasonForNoCurrent(EaseeCode):
    """Why a charger with a car connected offers no (or limited) current (observation 96).

    Every code of Easee's ReasonForNoCurrent table; the comment after each names the group
    Easee files it under.
    """

    OK = 0
    """Charger is OK, use the main charger status."""
    MAX_CIRCUIT_CURRENT_TOO_LOW = 1
    """Load balancing: max circuit current too low, adjust the power circuit up."""
    MAX_DYNAMIC_CIRCUIT_CURRENT_TOO_LOW = 2
    """Load balancing: max dynamic circuit current too low (partner load balancing)."""
    MAX_DYNAMIC_OFFLINE_FALLBACK_CIRCUIT_CURRENT_TOO_LOW = 3
    """Load balancing: max dynamic offline fallback circuit current too low."""
    CIRCUIT_FUSE_TOO_LOW = 4
    """Load balancing: circuit fuse too low."""
    WAITING_IN_QUEUE = 5
    """Load balancing: waiting in queue."""
    WAITING_IN_FULLY_CHARGED_QUEUE = 6
    """Load balancing: waiting in the fully charged queue (the car uses delayed charging)."""
    ILLEGAL_GRID_TYPE = 7
    """Error: fault in automatic grid type detection."""
    NO_CURRENT_REQUEST = 8
    """Error: the primary unit has not received a current request from the secondary (car)."""
    MASTER_COMMUNICATION_LOST = 9
    """Error: master communication lost."""
    EQUALIZER_CURRENT_TOO_LOW = 10
    """Error: no current, the equalizer's current is too low."""
    PHASE_NOT_CONNECTED = 11
    """Error: no current, phase not connected."""
    LIMITED_BY_CIRCUIT_FUSE = 25
    """Current limited by the circuit fuse."""
    LIMITED_BY_CIRCUIT_MAX_CURRENT = 26
    """Current limited by the circuit max current."""
    LIMITED_BY_DYNAMIC_CIRCUIT_CURRENT = 27
    """Current limited by the dynamic circuit current."""
    LIMITED_BY_EQUALIZER = 28
    """Current limited by the equalizer."""
    LIMITED_BY_CIRCUIT_LOAD_BALANCING = 29
    """Current limited by circuit load balancing."""
    LIMITED_BY_OFFLINE_SETTINGS = 30
    """Current limited by the offline settings."""
    NOT_REQUESTING_CURRENT = 50
    """Load balancing circuit: the secondary unit is not requesting current (no car)."""
    MAX_CHARGER_CURRENT_TOO_LOW = 51
    """Load balancing circuit: max charger current too low."""
    MAX_DYNAMIC_CHARGER_CURRENT_TOO_LOW = 52
    """Load balancing circuit: max dynamic charger current too low."""
    CHARGER_DISABLED = 53
    """Informational: the charger is disabled."""
    PENDING_SCHEDULED_CHARGING = 54
    """Waiting: pending scheduled charging."""
    PENDING_AUTHORIZATION = 55
    """Waiting: pending authorization."""
    CHARGER_IN_ERROR_STATE = 56
    """Error: the charger is in an error state."""
    ERRATIC_EV = 57
    """Error: erratic EV."""
    LIMITED_BY_CABLE_RATING = 75
    """Cable: current limited by the cable rating."""
    LIMITED_BY_SCHEDULE = 76
    """Schedule: current limited by the schedule."""
    LIMITED_BY_CHARGER_MAX_CURRENT = 77
    """Charger limit: current limited by the charger max current."""
    LIMITED_BY_DYNAMIC_CHARGER_CURRENT = 78
    """Charger limit: current limited by the dynamic charger current."""
    CAR_NOT_CHARGING = 79
    """Car limit: current limited by the car not charging."""
    LIMITED_BY_LOCAL_ADJUSTMENT = 80
    """Current limited by a local adjustment."""
    LIMITED_BY_CAR = 81
    """Car limit: current limited by the car."""
    UNDEFINED_ERROR = 100
    """Undefined error."""


class EaseeOutputPhase(EaseeCode):
    """The phases the charger delivers to the car (observation 110, OutputPhaseType)."""

    UNASSIGNED = 0
    """Unassigned (not charging)."""
    P1_T2_T3_TN = 10
    """1-phase, N+L1."""
    P1_T2_T3_IT = 11
    """1-phase, L1+L2 (IT grid)."""
    P1_T2_T4_TN = 12
    """1-phase, N+L2."""
    P1_T2_T4_IT = 13
    """1-phase, L1+L3 (IT grid)."""
    P1_T2_T5_TN = 14
    """1-phase, N+L3."""
    P1_T3_T4_IT = 15
    """1-phase, L2+L3 (IT grid)."""
    P2_T2_T3_T4_TN = 20
    """2 phases on TN: N+L1, N+L2."""
    P2_T2_T4_T5_TN = 21
    """2 phases on TN: N+L2, N+L3."""
    P2_T2_T3_T4_IT = 22
    """2 phases on IT: L1+L2, L2+L3."""
    P3_T2_T3_T4_T5_TN = 30
    """3 phases: N+L1, N+L2, N+L3."""

    @property
    def phases(self) -> int:
        """How many phases deliver current (0 when unassigned)."""
        return int(self) // 10


class EaseePhaseMode(EaseeCode):
    """The charger's phase mode setting (observation 38, `phaseMode`)."""

    IGNORE = 0
    """No phase mode reported."""
    LOCKED_TO_SINGLE_PHASE = 1
    """Locked to 1-phase."""
    AUTO = 2
    """Automatic phase mode."""
    LOCKED_TO_THREE_PHASE = 3
    """Locked to 3-phase."""


class EaseeOfflineChargingMode(EaseeCode):
    """Whether the charger charges while offline (observation 45, OfflineChargingModeType)."""

    ALWAYS = 0
    """Always allow charging if offline."""
    IF_WHITELISTED = 1
    """Only if the token is whitelisted in the local token cache."""
    NEVER = 2
    """Never allow charging if offline."""


class EaseeLedMode(EaseeCode):
    """What the LED strip shows (observation 46); ranges of codes share one meaning."""

    DISABLED = 0
    """The charger is disabled."""
    UPDATING_1 = 1
    """The charger is updating (1-15)."""
    UPDATING_2 = 2
    UPDATING_3 = 3
    UPDATING_4 = 4
    UPDATING_5 = 5
    UPDATING_6 = 6
    UPDATING_7 = 7
    UPDATING_8 = 8
    UPDATING_9 = 9
    UPDATING_10 = 10
    UPDATING_11 = 11
    UPDATING_12 = 12
    UPDATING_13 = 13
    UPDATING_14 = 14
    UPDATING_15 = 15
    FAULTY_16 = 16
    """The charger is faulty (16, 17)."""
    FAULTY_17 = 17
    STANDBY_MASTER = 18
    """Standby, master unit."""
    STANDBY_SECONDARY = 19
    """Standby, secondary unit."""
    SECONDARY_SEARCHING_FOR_MASTER = 20
    """A secondary unit searches for its master."""
    SMART_MODE_NOT_CHARGING = 21
    """Smart mode, not charging."""
    SMART_MODE_CHARGING = 22
    """Smart mode, charging."""
    NORMAL_MODE_NOT_CHARGING = 23
    """Normal mode, not charging."""
    NORMAL_MODE_CHARGING = 24
    """Normal mode, charging."""
    WAITING_FOR_AUTHORIZATION = 25
    """Waiting for authorization."""
    VERIFYING_WITH_BACKEND = 26
    """Verifying with the backend."""
    CHECK_CONFIGURATION = 27
    """Check configuration (backplate chip defect)."""
    PAIRING_RFID_KEYS = 29
    """Pairing RFID keys."""
    SELF_TEST_MODE_43 = 43
    """Self test mode (43, 44)."""
    SELF_TEST_MODE_44 = 44


class EaseePilotMode(StrEnum):
    """The IEC 61851 control pilot state (observation 100), a letter."""

    CAR_DISCONNECTED = "A"
    """Car disconnected."""
    CAR_CONNECTED = "B"
    """Car connected."""
    CAR_CHARGING = "C"
    """Car charging."""
    CAR_NEEDS_VENTILATION = "D"
    """The car needs ventilation."""
    FAULT = "F"
    """Fault detected: the LED goes red and charging stops."""

    @property
    def key(self) -> str:
        """The Home Assistant translation state key of this pilot state."""
        return self.name.lower()

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Every key once, in letter order."""
        return tuple(member.key for member in cls)

    @classmethod
    def from_code(cls, code: str | None) -> Self | None:
        """The member for a pilot letter (case-insensitive); None for a missing or unknown one."""
        if code is None or code == "":
            return None
        try:
            return cls(code.upper())
        except ValueError:
            _log_unknown(cls.__name__, code)
            return None
