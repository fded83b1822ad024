"""Easee chargers in the provider-neutral vocabulary."""

from __future__ import annotations

import logging

from ...api.easee import EaseeCharger, EaseeChargerState, EaseeOpMode, EaseePilotMode
from ...readings import ChargerOpMode, Readings

_LOGGER = logging.getLogger(__name__)
_UNMAPPED_LOGGED: set[EaseeOpMode] = set()

# Easee op mode -> canonical op mode. The rule: is power flowing (charging), is a car there and
# the charger holding back (awaiting start: load balancer, authorization, smart or scheduled
# start, a pause by the equalizer, a start being carried out), has the car stopped taking
# energy (completed / ready to charge), or can the charger not work (error). An offline charger
# says nothing about the cable: None (unknown).
OP_MODE_CANONICAL: dict[EaseeOpMode, ChargerOpMode | None] = {
    EaseeOpMode.OFFLINE: None,
    EaseeOpMode.DISCONNECTED: ChargerOpMode.DISCONNECTED,
    EaseeOpMode.AWAITING_START: ChargerOpMode.AWAITING_START,
    EaseeOpMode.CHARGING: ChargerOpMode.CHARGING,
    EaseeOpMode.COMPLETED: ChargerOpMode.COMPLETED,
    EaseeOpMode.ERROR: ChargerOpMode.ERROR,
    EaseeOpMode.READY_TO_CHARGE: ChargerOpMode.READY_TO_CHARGE,
    EaseeOpMode.AWAITING_AUTHORIZATION: ChargerOpMode.AWAITING_START,
    # The session's authorization ends: the car has stopped charging, the cable is still in.
    EaseeOpMode.DE_AUTHORIZING: ChargerOpMode.COMPLETED,
    # Transitional: no current flows yet.
    EaseeOpMode.START_CHARGING: ChargerOpMode.AWAITING_START,
    # Transitional: the session is being stopped.
    EaseeOpMode.STOP_CHARGING: ChargerOpMode.COMPLETED,
    EaseeOpMode.OFFLINE_102: None,
    EaseeOpMode.AWAITING_LOAD_BALANCING: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AWAITING_AUTHORIZATION_104: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AWAITING_SMART_START: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AWAITING_SCHEDULED_START: ChargerOpMode.AWAITING_START,
    EaseeOpMode.AUTHENTICATING: ChargerOpMode.AWAITING_START,
    EaseeOpMode.PAUSED_DUE_TO_EQUALIZER: ChargerOpMode.AWAITING_START,
    # A secondary unit without its master cannot charge (reason 9, "master communication lost").
    EaseeOpMode.SEARCHING_FOR_MASTER: ChargerOpMode.ERROR,
    EaseeOpMode.ERRATIC_EV: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_TEMPERATURE_TOO_HIGH: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_DEAD_POWERBOARD: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_OVERCURRENT: ChargerOpMode.ERROR,
    EaseeOpMode.ERROR_PEN_FAULT: ChargerOpMode.ERROR,
}


def canonical_op_mode(mode: EaseeOpMode | None) -> ChargerOpMode | None:
    """The canonical op mode of an Easee op mode (unknown codes: None)."""
    if mode is None:
        return None
    if mode not in OP_MODE_CANONICAL:  # pragma: no cover - the table covers every member
        if mode not in _UNMAPPED_LOGGED:
            _UNMAPPED_LOGGED.add(mode)
            _LOGGER.warning("Easee op mode %s has no canonical mapping", mode.name)
        return None
    return OP_MODE_CANONICAL[mode]


def op_mode(state: EaseeChargerState | None) -> ChargerOpMode | None:
    """A charger's canonical op mode, None until its state is known."""
    return canonical_op_mode(state.easee_op_mode) if state is not None else None


def _plugged_in(state: EaseeChargerState | None, mode: ChargerOpMode | None) -> bool | None:
    """From the control pilot (A: no car) where reported, else from the op-mode.

    An error or an offline charger says nothing about the cable.
    """
    pilot = state.pilot_mode if state is not None else None
    if pilot is EaseePilotMode.CAR_DISCONNECTED:
        return False
    if pilot is not None and pilot is not EaseePilotMode.FAULT:
        return True
    if mode is None or mode is ChargerOpMode.ERROR:
        return None
    return mode is not ChargerOpMode.DISCONNECTED


def charger_readings(charger: EaseeCharger) -> Readings:
    """The charger in the provider-neutral vocabulary."""
    state = charger.state
    mode = op_mode(state)
    return Readings.of(
        op_mode=mode,
        plugged_in=_plugged_in(state, mode),
        charging=None if mode is None else mode is ChargerOpMode.CHARGING,
        charging_power=state.total_power if state else None,
        online=state.online if state else None,
    )
