"""Mutable Easee simulator state: users, sites, chargers and issued tokens.

Time: the chargers move on by the wall clock (`sync`, called on every request; under freezegun
that is the frozen clock), scaled by `speed`, unless `realtime` is off; `advance(seconds)` moves
them on by hand. Tokens expire by the wall clock too.

Errors are `SimulatedEaseeError`s carrying the status and the body Easee sends:
``{"errorCode", "errorCodeName", "type", "title", "status", "detail", "instance", "extensions"}``.
Code 100 (InvalidUserPassword, "Username or password is invalid", HTTP 400: as pyeasee logs
it in nordicopen/easee_hass#44) and code 105 (RefreshTokenExpired, HTTP 401, for a refresh
token past its lifetime: evcc-io/evcc#8511) are Easee's own; the other codes (7xx) are the
simulator's, in the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import itertools
import secrets
from typing import Any, NamedTuple

from .scenario import (
    CHARGING,
    MAX_CURRENT,
    EaseeUser,
    SimCharger,
    SimSite,
    default_chargers,
    default_sites,
    default_users,
)


def _now() -> datetime:
    return datetime.now(UTC)


class ErrorSpec(NamedTuple):
    """An Easee error: HTTP status, errorCode, errorCodeName and title."""

    status: int
    code: int
    name: str
    title: str

    def error(self, title: str | None = None) -> SimulatedEaseeError:
        """A fresh exception for this error (optionally with a more specific title)."""
        return SimulatedEaseeError(self.status, self.code, self.name, title or self.title)


class SimulatedEaseeError(Exception):
    """An error response of the simulated API."""

    def __init__(self, status: int, code: int | None, name: str | None, title: str) -> None:
        super().__init__(title)
        self.status = status
        self.code = code
        self.name = name
        self.title = title

    def body(self) -> dict[str, Any]:
        """The JSON body Easee sends with the error."""
        return {
            "errorCode": self.code,
            "errorCodeName": self.name,
            "type": None,
            "title": self.title,
            "status": self.status,
            "detail": "[Empty in production]",
            "instance": None,
            "extensions": {},
        }


INVALID_USER_PASSWORD = ErrorSpec(
    400, 100, "InvalidUserPassword", "Username or password is invalid"
)
REFRESH_TOKEN_EXPIRED = ErrorSpec(401, 105, "RefreshTokenExpired", "Refresh token expired")
INVALID_REFRESH_TOKEN = ErrorSpec(
    400, 701, "InvalidRefreshToken", "The refresh token is invalid or revoked"
)
UNAUTHORIZED = ErrorSpec(401, 702, "Unauthorized", "Unauthorized")
CHARGER_NOT_FOUND = ErrorSpec(404, 703, "ChargerNotFound", "Charger not found")
SITE_NOT_FOUND = ErrorSpec(404, 704, "SiteNotFound", "Site not found")
UNKNOWN_COMMAND = ErrorSpec(404, 705, "UnknownCommand", "Unknown command")
CAR_NOT_CONNECTED = ErrorSpec(400, 710, "CarNotConnected", "No car is connected to the charger")
CHARGER_DISABLED = ErrorSpec(400, 711, "ChargerDisabled", "The charger is disabled")
CHARGER_OFFLINE = ErrorSpec(400, 712, "ChargerOffline", "The charger is offline")
NOT_CHARGING = ErrorSpec(400, 713, "NotCharging", "The charger is not charging")
INVALID_SETTING = ErrorSpec(400, 714, "InvalidSettingValue", "Invalid setting value")

COMMANDS = ("start_charging", "stop_charging", "pause_charging", "resume_charging")
SETTINGS = ("enabled", "smartCharging", "dynamicChargerCurrent", "maxChargerCurrent", "phaseMode")


@dataclass
class AccessToken:
    """An issued access token."""

    user_id: int
    expires_at: datetime


@dataclass
class RefreshToken:
    """An issued refresh token."""

    user_id: int
    expires_at: datetime
    revoked: bool = False


@dataclass
class CommandRecord:
    """A command or settings change the simulator accepted."""

    command_id: int
    charger_id: str
    command: str
    body: dict[str, Any]


@dataclass
class EaseeState:
    """Scenario, token store and knobs of the Easee simulator."""

    users: list[EaseeUser] = field(default_factory=default_users)
    sites: list[SimSite] = field(default_factory=default_sites)
    chargers: dict[str, SimCharger] = field(
        default_factory=lambda: {charger.charger_id: charger for charger in default_chargers()}
    )
    token_lifetime: timedelta = timedelta(seconds=86400)
    refresh_token_lifetime: timedelta = timedelta(days=30)
    realtime: bool = True
    """Move the chargers on by the wall clock at every request."""
    stream: bool = False
    """Serve the observation stream (hub.py). Off unless a test turns it on, so the tests of
    polling keep polling; with it off the hub answers 404, as a host without the hub would."""
    speed: float = 1.0
    """Simulated seconds per wall-clock second when `realtime` is on."""
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    logins: int = 0
    """Number of successful sign-ins with username and password."""
    refresh_grants: int = 0
    """Number of access tokens issued for a refresh token."""
    commands: list[CommandRecord] = field(default_factory=list)
    last_sync: datetime | None = None
    """When `sync` last ran; the first request (or a clock set back) only starts the count."""
    _command_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))

    # --- lookup -------------------------------------------------------------------------

    def charger(self, charger_id: str) -> SimCharger:
        """A charger by id (KeyError if there is none)."""
        return self.chargers[charger_id]

    def user_by_username(self, username: str) -> EaseeUser | None:
        """The user with this username (case-insensitive, as Easee's sign-in is)."""
        wanted = username.strip().lower()
        return next((user for user in self.users if user.username.lower() == wanted), None)

    def user_by_id(self, user_id: int) -> EaseeUser | None:
        """The user with this id."""
        return next((user for user in self.users if user.user_id == user_id), None)

    def sites_of(self, user: EaseeUser) -> list[SimSite]:
        """The sites a user can see."""
        return [site for site in self.sites if site.site_id in user.site_ids]

    def site_of(self, user: EaseeUser, site_id: int) -> SimSite:
        """One of the user's sites (SimulatedEaseeError 404 if not theirs)."""
        site = next((site for site in self.sites_of(user) if site.site_id == site_id), None)
        if site is None:
            raise SITE_NOT_FOUND.error()
        return site

    def chargers_of(self, user: EaseeUser) -> list[SimCharger]:
        """The chargers on the user's sites."""
        return [
            self.chargers[charger_id]
            for site in self.sites_of(user)
            for charger_id in site.charger_ids
            if charger_id in self.chargers
        ]

    def charger_of(self, user: EaseeUser, charger_id: str) -> SimCharger:
        """One of the user's chargers (SimulatedEaseeError 404 if not theirs)."""
        charger = next((c for c in self.chargers_of(user) if c.charger_id == charger_id), None)
        if charger is None:
            raise CHARGER_NOT_FOUND.error()
        return charger

    # --- time ---------------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass for every charger."""
        for charger in self.chargers.values():
            charger.advance(seconds)

    def sync(self) -> None:
        """Catch up with the wall clock (a no-op unless `realtime`)."""
        now = _now()
        previous, self.last_sync = self.last_sync, now
        if previous is None or now <= previous or not self.realtime:
            return
        self.advance((now - previous).total_seconds() * self.speed)

    # --- tokens -------------------------------------------------------------------------------

    def login(self, username: Any, password: Any) -> dict[str, Any]:
        """`POST /api/accounts/login` (raises SimulatedEaseeError)."""
        user = self.user_by_username(username) if isinstance(username, str) else None
        if user is None or not isinstance(password, str) or password != user.password:
            raise INVALID_USER_PASSWORD.error()
        self.logins += 1
        refresh = secrets.token_urlsafe(32)
        self.refresh_tokens[refresh] = RefreshToken(
            user.user_id, _now() + self.refresh_token_lifetime
        )
        return self._issue(user, refresh)

    def refresh(self, access_token: Any, refresh_token: Any) -> dict[str, Any]:
        """`POST /api/accounts/refresh_token`: a new access token for the same refresh token."""
        record = self.refresh_tokens.get(refresh_token) if isinstance(refresh_token, str) else None
        if record is None or record.revoked:
            raise INVALID_REFRESH_TOKEN.error()
        if _now() >= record.expires_at:
            raise REFRESH_TOKEN_EXPIRED.error()
        previous = self.access_tokens.get(access_token) if isinstance(access_token, str) else None
        if previous is None or previous.user_id != record.user_id:
            raise INVALID_REFRESH_TOKEN.error()
        user = self.user_by_id(record.user_id)
        if user is None:
            raise INVALID_REFRESH_TOKEN.error()
        self.refresh_grants += 1
        return self._issue(user, refresh_token)

    def _issue(self, user: EaseeUser, refresh: str) -> dict[str, Any]:
        token = secrets.token_urlsafe(32)
        self.access_tokens[token] = AccessToken(user.user_id, _now() + self.token_lifetime)
        return {
            "accessToken": token,
            "expiresIn": int(self.token_lifetime.total_seconds()),
            "accessClaims": ["User"],
            "tokenType": "Bearer",
            "refreshToken": refresh,
        }

    def authenticate(self, header: str | None) -> EaseeUser:
        """The user of a `Bearer` Authorization header (SimulatedEaseeError 401 otherwise)."""
        if not header or not header.startswith("Bearer "):
            raise UNAUTHORIZED.error()
        record = self.access_tokens.get(header.removeprefix("Bearer ").strip())
        if record is None or _now() >= record.expires_at:
            raise UNAUTHORIZED.error()
        user = self.user_by_id(record.user_id)
        if user is None:
            raise UNAUTHORIZED.error()
        return user

    def expire_access_tokens(self) -> None:
        """Every issued access token expires now (they still count for a refresh)."""
        past = _now() - timedelta(seconds=1)
        for token in self.access_tokens.values():
            token.expires_at = past

    def revoke_refresh_tokens(self) -> None:
        """Every issued refresh token is refused from now on."""
        for token in self.refresh_tokens.values():
            token.revoked = True

    # --- commands and settings ----------------------------------------------------------

    def _record(self, charger: SimCharger, command: str, body: dict[str, Any]) -> dict[str, Any]:
        command_id = next(self._command_ids)
        self.commands.append(CommandRecord(command_id, charger.charger_id, command, body))
        ticks = int((_now() - datetime(1, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
        return {"device": charger.charger_id, "commandId": command_id, "ticks": ticks}

    def command(self, charger: SimCharger, command: str) -> dict[str, Any]:
        """Carry out a charging command (SimulatedEaseeError when refused); the receipt."""
        if command not in COMMANDS:
            raise UNKNOWN_COMMAND.error()
        if not charger.online:
            raise CHARGER_OFFLINE.error()
        if not charger.car_connected:
            raise CAR_NOT_CONNECTED.error()
        if command == "start_charging":
            if not charger.enabled:
                raise CHARGER_DISABLED.error()
            # A start does not lift a pause (dynamic current 0): reason 52 then says why.
            charger.authorized = True
            charger.stopped = False
        elif command == "stop_charging":
            charger.authorized = False
            charger.stopped = True
        elif command == "pause_charging":
            if charger.op_mode != CHARGING:
                raise NOT_CHARGING.error()
            charger.dynamic_charger_current = 0.0
        else:  # resume_charging
            charger.dynamic_charger_current = charger.max_charger_current
        charger.settle()
        return self._record(charger, command, {})

    def settings(self, charger: SimCharger, body: Any) -> list[dict[str, Any]]:
        """`POST /api/chargers/{id}/settings`: validate everything, then apply it."""
        if not isinstance(body, dict) or not body:
            raise INVALID_SETTING.error("The settings body must be a non-empty object")
        unknown = sorted(set(body) - set(SETTINGS))
        if unknown:
            raise INVALID_SETTING.error(f"Unknown settings: {', '.join(unknown)}")
        for key in ("enabled", "smartCharging"):
            if key in body and not isinstance(body[key], bool):
                raise INVALID_SETTING.error(f"{key} must be true or false")
        for key in ("dynamicChargerCurrent", "maxChargerCurrent"):
            value = body.get(key)
            if key in body and (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value <= MAX_CURRENT
            ):
                raise INVALID_SETTING.error(f"{key} must be between 0 and {MAX_CURRENT:g} A")
        if "phaseMode" in body and body["phaseMode"] not in (1, 2, 3):
            raise INVALID_SETTING.error("phaseMode must be 1, 2 or 3")
        if not charger.online:
            raise CHARGER_OFFLINE.error()
        if "enabled" in body:
            charger.enabled = body["enabled"]
        if "smartCharging" in body:
            charger.smart_charging = body["smartCharging"]
        if "maxChargerCurrent" in body:
            charger.max_charger_current = float(body["maxChargerCurrent"])
        if "dynamicChargerCurrent" in body:
            charger.dynamic_charger_current = float(body["dynamicChargerCurrent"])
        if "phaseMode" in body:
            charger.phase_mode = int(body["phaseMode"])
        charger.settle()
        return [self._record(charger, "settings", dict(body))]
