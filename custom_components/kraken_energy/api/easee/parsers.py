"""Turn Easee REST responses into the models.

A field of the wrong type raises EaseeParseError naming its path, never a bare KeyError or
TypeError. A missing optional field is None. Codes Easee adds later become None (logged once)
with the raw code kept.
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
    canonical_op_mode,
    model_from_id,
)

_FIELDS = JsonFields(EaseeParseError)
as_dict = _FIELDS.as_dict
as_list = _FIELDS.as_list


def opt_str(value: Any, path: str) -> str | None:
    """An optional string (ids may arrive as numbers)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EaseeParseError(f"{path}: expected a string, got {type(value).__name__}")
    return str(value)


def as_str(value: Any, path: str) -> str:
    """A required, non-empty string."""
    text = opt_str(value, path)
    if not text:
        raise EaseeParseError(f"{path}: expected a string, got {type(value).__name__}")
    return text


def opt_float(value: Any, path: str) -> float | None:
    """An optional number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EaseeParseError(f"{path}: expected a number, got {value!r:.40}")
    return float(value)


def opt_int(value: Any, path: str) -> int | None:
    """An optional integer (a whole float such as 3.0 counts)."""
    number = opt_float(value, path)
    if number is None:
        return None
    if not number.is_integer():
        raise EaseeParseError(f"{path}: expected an integer, got {value!r:.40}")
    return int(number)


def as_int(value: Any, path: str) -> int:
    """A required integer."""
    number = opt_int(value, path)
    if number is None:
        raise EaseeParseError(f"{path}: expected an integer, got null")
    return number


def opt_bool(value: Any, path: str) -> bool | None:
    """An optional boolean."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise EaseeParseError(f"{path}: expected a boolean, got {value!r:.40}")
    return value


def opt_datetime(value: Any, path: str) -> datetime | None:
    """An optional ISO 8601 timestamp; one without an offset is UTC (as Easee means it)."""
    text = opt_str(value, path)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise EaseeParseError(f"{path}: expected an ISO 8601 timestamp, got {text!r:.40}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
        opt_float(body.get("expiresIn"), "token.expiresIn"),
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
        product_code=opt_int(body.get("productCode"), f"{path}.productCode"),
        model=model_from_id(charger_id),
        level_of_access=opt_int(body.get("levelOfAccess"), f"{path}.levelOfAccess"),
    )


def parse_site(raw: Any, path: str) -> EaseeSite:
    """A site, with the chargers of its circuits when the response lists them."""
    body = as_dict(raw, path)
    site_id = as_int(body.get("id"), f"{path}.id")
    name = opt_str(body.get("name"), f"{path}.name") or str(site_id)
    chargers: list[EaseeCharger] = []
    for c_index, circuit in enumerate(as_list(body.get("circuits"), f"{path}.circuits")):
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
                as_list(circuit_body.get("chargers"), f"{circuit_path}.chargers")
            )
        )
    return EaseeSite(
        site_id=site_id,
        name=name,
        site_key=opt_str(body.get("siteKey"), f"{path}.siteKey"),
        chargers=tuple(chargers),
    )


def parse_sites(data: Any, path: str = "sites") -> list[EaseeSite]:
    """`GET /api/sites` (no chargers) or `GET /api/accounts/products` (with chargers)."""
    return [parse_site(site, f"{path}[{index}]") for index, site in enumerate(as_list(data, path))]


def parse_chargers(data: Any) -> list[EaseeCharger]:
    """`GET /api/chargers`: every charger the user can see (no site)."""
    return [
        parse_charger(charger, f"chargers[{index}]")
        for index, charger in enumerate(as_list(data, "chargers"))
    ]


def parse_state(data: Any) -> EaseeChargerState:
    """`GET /api/chargers/{id}/state`."""
    body = as_dict(data, "state")

    def code(key: str) -> int | None:
        return opt_int(body.get(key), f"state.{key}")

    def number(key: str) -> float | None:
        return opt_float(body.get(key), f"state.{key}")

    def flag(key: str) -> bool | None:
        return opt_bool(body.get(key), f"state.{key}")

    op_mode = code("chargerOpMode")
    reason = code("reasonForNoCurrent")
    output_phase = code("outputPhase")
    led_mode = code("ledMode")
    pilot = opt_str(body.get("pilotMode"), "state.pilotMode")
    return EaseeChargerState(
        op_mode_code=op_mode,
        op_mode=canonical_op_mode(op_mode),
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
    )


def parse_config(data: Any) -> EaseeChargerConfig:
    """`GET /api/chargers/{id}/config`."""
    body = as_dict(data, "config")
    phase_mode = opt_int(body.get("phaseMode"), "config.phaseMode")
    offline = opt_int(body.get("offlineChargingMode"), "config.offlineChargingMode")
    return EaseeChargerConfig(
        enabled=opt_bool(body.get("isEnabled"), "config.isEnabled"),
        phase_mode_code=phase_mode,
        phase_mode=EaseePhaseMode.from_code(phase_mode),
        max_charger_current=opt_float(body.get("maxChargerCurrent"), "config.maxChargerCurrent"),
        offline_charging_mode_code=offline,
        offline_charging_mode=EaseeOfflineChargingMode.from_code(offline),
        authorization_required=opt_bool(
            body.get("authorizationRequired"), "config.authorizationRequired"
        ),
        smart_button_enabled=opt_bool(body.get("smartButtonEnabled"), "config.smartButtonEnabled"),
        lock_cable_permanently=opt_bool(
            body.get("lockCablePermanently"), "config.lockCablePermanently"
        ),
        limit_to_single_phase_charging=opt_bool(
            body.get("limitToSinglePhaseCharging"), "config.limitToSinglePhaseCharging"
        ),
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
        ticks=opt_int(body.get("ticks"), "command.ticks"),
    )
