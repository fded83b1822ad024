"""Turn Easee REST responses into the models.

A field of the wrong type raises EaseeParseError naming its path, never a bare KeyError,
TypeError, ValueError or OverflowError. A missing optional field is None, and so is a number
that is not finite (NaN, an infinity, 1e999, an integer beyond any real reading): the shared
readers of `api/json_fields.py` read every number and boolean. Codes Easee adds later, and
codes that are not whole numbers, become None (logged once) with the raw code kept when it is
one. The lists that say which chargers exist must be there: a missing or null list is a parse
error, never "no chargers".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..json_fields import JsonFields
from .enums import (
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)
from .exceptions import EaseeParseError
from .models import (
    EaseeCharger,
    EaseeChargerConfig,
    EaseeChargerState,
    EaseeCommandResult,
    EaseeSite,
    model_from_id,
)

_FIELDS = JsonFields(EaseeParseError)
as_dict = _FIELDS.as_dict
as_list = _FIELDS.as_list
required_list = _FIELDS.required_list

# Whole numbers beyond this are not ids or codes (the shared readers use the same bound).
_LARGEST_WHOLE = 2**53
# .NET ticks (100 ns since year 1, about 6.4e17 today) exceed 2**53 but fit a signed 64 bits.
_LARGEST_TICKS = 2**63


def _kind(value: Any) -> str:
    """A value's type for an error message (never its repr: a huge int cannot be printed)."""
    return type(value).__name__


def opt_str(value: Any, path: str) -> str | None:
    """An optional string (ids may arrive as whole numbers)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= _LARGEST_WHOLE:
        return str(value)
    raise EaseeParseError(f"{path}: expected a string, got {_kind(value)}")


def as_str(value: Any, path: str) -> str:
    """A required, non-empty string."""
    text = opt_str(value, path)
    if not text:
        raise EaseeParseError(f"{path}: expected a string, got {_kind(value)}")
    return text


def opt_number(value: Any, path: str) -> float | None:
    """An optional finite number (a numeric string counts); None when not finite."""
    return _FIELDS.opt_number(value, path, strings=True)


def opt_int(value: Any, path: str) -> int | None:
    """An optional whole number (3.0 and "3" count); None when not finite or out of range."""
    return _FIELDS.opt_int(value, path, strings=True)


def as_int(value: Any, path: str) -> int:
    """A required whole number (an id)."""
    number = opt_int(value, path)
    if number is None:
        raise EaseeParseError(f"{path}: expected an integer, got {_kind(value)}")
    return number


def opt_code(value: Any, path: str) -> int | None:
    """An enumeration code: None (unknown) unless it is a finite whole number.

    A value that is no number at all (an object, a word) is still a parse error.
    """
    number = _FIELDS.opt_number(value, path, strings=True)
    if number is None or not number.is_integer() or abs(number) > _LARGEST_WHOLE:
        return None
    return int(number)


def opt_ticks(value: Any, path: str) -> int | None:
    """Optional .NET ticks: a whole number up to 2**63, else None."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < _LARGEST_TICKS:
        return value
    return opt_int(value, path)


def opt_bool(value: Any, path: str) -> bool | None:
    """An optional boolean; "true" / "false" count, nothing is read by truthiness."""
    if value is None or isinstance(value, bool | str):
        return _FIELDS.opt_bool(value, path)
    raise EaseeParseError(f"{path}: expected a boolean, got {_kind(value)}")


def opt_datetime(value: Any, path: str) -> datetime | None:
    """An optional ISO 8601 timestamp; one without an offset is UTC (as Easee means it)."""
    if value == "":
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass  # the shared reader names the field
        else:
            if moment.tzinfo is None:
                return moment.replace(tzinfo=UTC)
    elif value is not None:
        raise EaseeParseError(f"{path}: expected an ISO 8601 timestamp, got {_kind(value)}")
    return _FIELDS.opt_datetime(value, path)


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """The tokens of a login or refresh response."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_in: float | None


def parse_token(data: Any) -> TokenGrant:
    """A `/api/accounts/login` or `/api/accounts/refresh_token` response."""
    body = as_dict(data, "token")
    access = body.get("accessToken")
    if not isinstance(access, str) or not access:
        raise EaseeParseError("token.accessToken: expected a string")
    refresh = body.get("refreshToken")
    return TokenGrant(
        access,
        refresh if isinstance(refresh, str) and refresh else None,
        opt_number(body.get("expiresIn"), "token.expiresIn"),
    )


def parse_charger(
    raw: Any,
    path: str,
    *,
    site_id: int | None = None,
    site_name: str | None = None,
    circuit_id: int | None = None,
) -> EaseeCharger:
    """A charger entry of a site's circuit or of `GET /api/chargers`."""
    body = as_dict(raw, path)
    charger_id = as_str(body.get("id"), f"{path}.id")
    return EaseeCharger(
        charger_id=charger_id,
        name=opt_str(body.get("name"), f"{path}.name") or charger_id,
        site_id=site_id,
        site_name=site_name,
        circuit_id=circuit_id,
        product_code=opt_code(body.get("productCode"), f"{path}.productCode"),
        model=model_from_id(charger_id),
        level_of_access=opt_code(body.get("levelOfAccess"), f"{path}.levelOfAccess"),
    )


def parse_site(raw: Any, path: str, *, with_chargers: bool = True) -> EaseeSite:
    """A site with the chargers of its circuits.

    `with_chargers` (the products list, a detailed site): the answer must carry `circuits`,
    and each circuit its `chargers`; without it (`GET /api/sites`, a summary), circuits are
    read when present.
    """
    body = as_dict(raw, path)
    site_id = as_int(body.get("id"), f"{path}.id")
    name = opt_str(body.get("name"), f"{path}.name") or str(site_id)
    read_list = required_list if with_chargers else as_list
    chargers: list[EaseeCharger] = []
    for c_index, circuit in enumerate(read_list(body.get("circuits"), f"{path}.circuits")):
        circuit_path = f"{path}.circuits[{c_index}]"
        circuit_body = as_dict(circuit, circuit_path)
        circuit_id = opt_int(circuit_body.get("id"), f"{circuit_path}.id")
        chargers.extend(
            parse_charger(
                charger,
                f"{circuit_path}.chargers[{index}]",
                site_id=site_id,
                site_name=name,
                circuit_id=circuit_id,
            )
            for index, charger in enumerate(
                read_list(circuit_body.get("chargers"), f"{circuit_path}.chargers")
            )
        )
    return EaseeSite(
        site_id=site_id,
        name=name,
        site_key=opt_str(body.get("siteKey"), f"{path}.siteKey"),
        chargers=tuple(chargers),
    )


def parse_sites(data: Any, path: str = "sites", *, with_chargers: bool = True) -> list[EaseeSite]:
    """`GET /api/accounts/products` (with chargers) or `GET /api/sites` (without).

    The answer must be a list; `[]` is a user without sites.
    """
    return [
        parse_site(site, f"{path}[{index}]", with_chargers=with_chargers)
        for index, site in enumerate(required_list(data, path))
    ]


def parse_chargers(data: Any) -> list[EaseeCharger]:
    """`GET /api/chargers`: every charger the user can see (no site); must be a list."""
    return [
        parse_charger(charger, f"chargers[{index}]")
        for index, charger in enumerate(required_list(data, "chargers"))
    ]


def parse_state(data: Any) -> EaseeChargerState:
    """`GET /api/chargers/{id}/state`."""
    body = as_dict(data, "state")

    def code(key: str) -> int | None:
        return opt_code(body.get(key), f"state.{key}")

    def number(key: str) -> float | None:
        return opt_number(body.get(key), f"state.{key}")

    def flag(key: str) -> bool | None:
        return opt_bool(body.get(key), f"state.{key}")

    op_mode = code("chargerOpMode")
    reason = code("reasonForNoCurrent")
    output_phase = code("outputPhase")
    led_mode = code("ledMode")
    pilot = opt_str(body.get("pilotMode"), "state.pilotMode")
    return EaseeChargerState(
        op_mode_code=op_mode,
        easee_op_mode=EaseeOpMode.from_code(op_mode),
        reason_for_no_current_code=reason,
        reason_for_no_current=EaseeReasonForNoCurrent.from_code(reason),
        output_phase_code=output_phase,
        output_phase=EaseeOutputPhase.from_code(output_phase),
        led_mode_code=led_mode,
        led_mode=EaseeLedMode.from_code(led_mode),
        pilot_mode_code=pilot,
        pilot_mode=EaseePilotMode.from_code(pilot),
        total_power=number("totalPower"),
        session_energy=number("sessionEnergy"),
        lifetime_energy=number("lifetimeEnergy"),
        output_current=number("outputCurrent"),
        voltage=number("voltage"),
        online=flag("isOnline"),
        cable_locked=flag("cableLocked"),
        smart_charging=flag("smartCharging"),
        dynamic_charger_current=number("dynamicChargerCurrent"),
        cable_rating=number("cableRating"),
        latest_pulse=opt_datetime(body.get("latestPulse"), "state.latestPulse"),
        error_code=code("errorCode"),
        fatal_error_code=code("fatalErrorCode"),
        firmware=code("chargerFirmware"),
    )


def parse_config(data: Any) -> EaseeChargerConfig:
    """`GET /api/chargers/{id}/config`."""
    body = as_dict(data, "config")

    def flag(key: str) -> bool | None:
        return opt_bool(body.get(key), f"config.{key}")

    phase_mode = opt_code(body.get("phaseMode"), "config.phaseMode")
    offline = opt_code(body.get("offlineChargingMode"), "config.offlineChargingMode")
    return EaseeChargerConfig(
        enabled=flag("isEnabled"),
        phase_mode_code=phase_mode,
        phase_mode=EaseePhaseMode.from_code(phase_mode),
        max_charger_current=opt_number(body.get("maxChargerCurrent"), "config.maxChargerCurrent"),
        offline_charging_mode_code=offline,
        offline_charging_mode=EaseeOfflineChargingMode.from_code(offline),
        authorization_required=flag("authorizationRequired"),
        smart_button_enabled=flag("smartButtonEnabled"),
        lock_cable_permanently=flag("lockCablePermanently"),
        limit_to_single_phase_charging=flag("limitToSinglePhaseCharging"),
    )


def parse_command_result(data: Any, charger_id: str) -> EaseeCommandResult:
    """The receipt of a command: an object, a list of them (settings), or nothing."""
    if isinstance(data, list):
        data = data[0] if data else None
    if data is None or data == "":
        return EaseeCommandResult(charger_id=charger_id, command_id=None, ticks=None)
    body = as_dict(data, "command")
    return EaseeCommandResult(
        charger_id=opt_str(body.get("device"), "command.device") or charger_id,
        command_id=opt_int(body.get("commandId"), "command.commandId"),
        ticks=opt_ticks(body.get("ticks"), "command.ticks"),
    )
