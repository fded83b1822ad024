"""Mutable Kraken simulator state: the scenario, issued tokens and the dialect served.

`dialect` picks the shape of the GB endpoint (`/v1/graphql/`) for the next request: "seed"
(default), "gb-2026" or "gb-2024" (see `simulator.kraken.dialects`). The German endpoint
(`/de/v1/graphql/`) always speaks "de-2026". `hidden_fields` ("Type.field" names, or a type's
name) are removed from whatever either endpoint serves, e.g. to make a field disappear between
two polls; the schema is rebuilt when the set changes.

Tokens belong to the instance that issued them: a GB token is refused by the German endpoint
and the other way round, as two separate Kraken instances would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import secrets
from typing import Any

from .dialects import DEFAULT_DIALECT
from .errors import ErrorSpec
from .scenario import GB, GB_ACCOUNT, Scenario, User, default_scenario


def _now() -> datetime:
    return datetime.now(UTC)


def _timestamp(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass
class AccessToken:
    """An issued Kraken token."""

    user_id: str
    issued_at: int
    expires_at: int
    instance: str = GB


@dataclass
class RefreshToken:
    """An issued refresh token."""

    user_id: str
    expires_at: int
    revoked: bool = False
    instance: str = GB


@dataclass
class IssuedTokens:
    """Result of `obtainKrakenToken` (`ObtainKrakenJSONWebToken`)."""

    token: str
    payload: dict[str, Any]
    refresh_token: str
    refresh_expires_in: int


NO_HEADER = ErrorSpec("KT-CT-1112", "'Authorization' header not provided.", "AUTHORIZATION")
UNAUTHORIZED = ErrorSpec("KT-CT-1111", "Unauthorized.", "AUTHORIZATION")
EXPIRED = ErrorSpec("KT-CT-1124", "Signature of the JWT has expired.", "AUTHORIZATION")
BAD_CREDENTIALS = ErrorSpec(
    "KT-CT-1135",
    "Invalid data.",
    "VALIDATION",
    "Please make sure the provided credentials are correct.",
)
BAD_REFRESH_TOKEN = ErrorSpec(
    "KT-CT-1134",
    "Invalid data.",
    "VALIDATION",
    "The refresh token is invalid, revoked or expired.",
)
ACCOUNT_UNAUTHORIZED = ErrorSpec("KT-CT-4123", "Unauthorized.", "AUTHORIZATION")


@dataclass
class KrakenState:
    """Scenario, token store and knobs of the Kraken simulator."""

    scenario: Scenario = field(default_factory=default_scenario)
    token_lifetime: timedelta = timedelta(seconds=3600)
    refresh_token_lifetime: timedelta = timedelta(days=7)
    rates_publication_hour: int = 16
    """Local hour (tariff time zone) from which tomorrow's half-hourly rates are served."""
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    refresh_grants: int = 0
    """Number of access tokens issued for a refresh token."""
    dialect: str = DEFAULT_DIALECT
    """Dialect of the GB endpoint: "seed", "gb-2026" or "gb-2024"; the next request uses it."""
    hidden_fields: set[str] = field(default_factory=set)
    """"Type.field" names removed from whatever dialect is served (both endpoints)."""
    answer_cpu_seconds: float = 0.0
    """Processor time spent executing documents and encoding answers: the benchmarks, which
    run the simulator in the integration's process, take it off the integration's."""

    # --- token issuing -------------------------------------------------------------------

    def obtain_token(self, data: dict[str, Any], instance: str = GB) -> IssuedTokens:
        """Handle an `ObtainJSONWebTokenInput` (raises `KrakenError`)."""
        if data.get("refreshToken"):
            return self._refresh(str(data["refreshToken"]), instance)
        user: User | None = None
        grant = ""
        if data.get("APIKey"):
            user = self.scenario.user_by_api_key(str(data["APIKey"]))
            grant = "API-KEY"
        elif data.get("email") and data.get("password"):
            candidate = self.scenario.user_by_email(str(data["email"]))
            if candidate and candidate.password and candidate.password == data["password"]:
                user = candidate
            grant = "EMAIL-AND-PASSWORD"
        if user is None or instance not in user.instances:
            raise BAD_CREDENTIALS.error()
        refresh = secrets.token_urlsafe(32)
        expires = _timestamp(_now() + self.refresh_token_lifetime)
        self.refresh_tokens[refresh] = RefreshToken(user.id, expires, instance=instance)
        return self._issue(user, grant, refresh, expires, instance)

    def _refresh(self, refresh: str, instance: str) -> IssuedTokens:
        record = self.refresh_tokens.get(refresh)
        if (
            record is None
            or record.revoked
            or record.instance != instance
            or _timestamp(_now()) >= record.expires_at
        ):
            raise BAD_REFRESH_TOKEN.error()
        user = self.scenario.user_by_id(record.user_id)
        if user is None:
            raise BAD_REFRESH_TOKEN.error()
        self.refresh_grants += 1
        # The refresh token keeps its original expiry: after it, the primary credential is needed.
        return self._issue(user, "REFRESH-TOKEN", refresh, record.expires_at, instance)

    def _issue(
        self, user: User, grant: str, refresh: str, refresh_expires: int, instance: str
    ) -> IssuedTokens:
        now = _now()
        issued_at = _timestamp(now)
        expires_at = _timestamp(now + self.token_lifetime)
        token = secrets.token_urlsafe(48)
        self.access_tokens[token] = AccessToken(user.id, issued_at, expires_at, instance)
        payload = {
            "sub": f"kraken|account-user:{user.id}",
            "gty": grant,
            "email": user.email,
            "tokenUse": "access",
            "iss": "kraken-simulator",
            "iat": issued_at,
            "exp": expires_at,
            "origIat": issued_at,
        }
        return IssuedTokens(token, payload, refresh, refresh_expires)

    # --- authentication ------------------------------------------------------------------

    def authenticate(self, header: str | None, instance: str = GB) -> User:
        """The user of an `Authorization` header value (raises `KrakenError`)."""
        if header is None or not header.strip():
            raise NO_HEADER.error()
        token = header.strip()
        if token.startswith("JWT "):
            token = token[4:].strip()
        record = self.access_tokens.get(token)
        if record is None or record.instance != instance:
            raise UNAUTHORIZED.error()
        if _timestamp(_now()) >= record.expires_at:
            raise EXPIRED.error()
        user = self.scenario.user_by_id(record.user_id)
        if user is None:
            raise UNAUTHORIZED.error()
        return user

    # --- test controls -------------------------------------------------------------------

    def expire_access_tokens(self) -> None:
        """Make every issued access token expired as of now."""
        now = _timestamp(_now())
        for record in self.access_tokens.values():
            record.expires_at = min(record.expires_at, now)

    def revoke_refresh_tokens(self, user_id: str | None = None) -> None:
        """Revoke every refresh token (of one user, if given)."""
        for record in self.refresh_tokens.values():
            if user_id is None or record.user_id == user_id:
                record.revoked = True

    def revoke_access_tokens(self, user_id: str | None = None) -> None:
        """Forget every access token (of one user, if given); they then fail with KT-CT-1111."""
        for token, record in list(self.access_tokens.items()):
            if user_id is None or record.user_id == user_id:
                del self.access_tokens[token]

    def rotate_api_key(self, api_key: str) -> str:
        """Replace a user's API key with a new one (returned); issued tokens stay valid."""
        user = self.scenario.user_by_api_key(api_key)
        if user is None:
            raise KeyError(api_key)
        user.api_key = "sk_live_" + secrets.token_urlsafe(18)
        return user.api_key

    def revoke_credentials(self, account_number: str) -> None:
        """The owner of an account can no longer sign in: API key, password and tokens refused."""
        user = next(
            user
            for user in self.scenario.users
            if any(account.number == account_number for account in user.accounts)
        )
        user.api_key = "sk_revoked_" + secrets.token_urlsafe(18)
        user.password = None
        self.revoke_access_tokens(user.id)
        self.revoke_refresh_tokens(user.id)

    def expected_half_hourly_rate(self, at: datetime, account_number: str = GB_ACCOUNT) -> float:
        """Price (pence/kWh inc VAT) served for the half hour containing `at`."""
        return self.scenario.half_hourly_tariff(account_number).rate_at(at).value

    def rate_window(self, tz_now: datetime) -> tuple[date, date]:
        """First and last local day of half-hourly rates served at local time `tz_now`."""
        today = tz_now.date()
        last = today + timedelta(days=1) if tz_now.hour >= self.rates_publication_hour else today
        return today - timedelta(days=1), last
