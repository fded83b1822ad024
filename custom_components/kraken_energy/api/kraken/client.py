"""Asyncio client for a Kraken GraphQL endpoint (Octopus Energy GB, Germany, any Kraken)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
import json
import logging
import time
from typing import Any, NoReturn

import aiohttp

from ..http import decode_body, retry_after_seconds
from . import documents, telemetry
from .exceptions import (
    KrakenApiError,
    KrakenAuthError,
    KrakenBlockedError,
    KrakenConnectionError,
    KrakenError,
    KrakenNotFoundError,
    KrakenParseError,
    KrakenRateLimitError,
    KrakenSchemaError,
    KrakenServerError,
    KrakenTimeoutError,
    without_identifiers,
)
from .models import Account, AccountSummary, DevicePreferences, SmartFlexData
from .parsers import (
    parse_account,
    parse_account_summaries,
    parse_smartflex,
    parse_token,
)
from .schema import (
    INTROSPECTION_OPERATION,
    KNOWN_TYPES,
    Capabilities,
    TypeInfo,
    introspection_document,
    is_schema_mismatch,
    parse_introspection,
    with_introspection,
)
from .selection import Composition, F, On, compose
from .telemetry import TelemetryQuery, parse_telemetry

_LOGGER = logging.getLogger(__name__)

type PartialErrors = Mapping[str, frozenset[str]]
"""Root field name (or alias prefix) -> the error codes that cost only that field."""

OCTOPUS_ENERGY_GB_URL = "https://api.octopus.energy/v1/graphql/"
OCTOPUS_ENERGY_GERMANY_URL = "https://api.oeg-kraken.energy/v1/graphql/"

# Codes that mean the credential itself (not just the current token) is refused.
AUTH_ERROR_CODES = frozenset(
    {
        "KT-CT-1111",  # Unauthorized.
        "KT-CT-1112",  # 'Authorization' header not provided.
        "KT-CT-1134",  # Invalid data (refresh token refused).
        "KT-CT-1135",  # Invalid data (credentials refused).
        "KT-CT-1139",  # Authentication failed.
        "KT-CT-1143",  # Invalid or expired token.
        "KT-CT-4123",  # Unauthorized for this account.
    }
)
# Codes that mean the access token expired; a fresh token fixes them.
TOKEN_EXPIRED_CODES = frozenset({"KT-CT-1120", "KT-CT-1124"})
RATE_LIMIT_CODES = frozenset({"KT-CT-1199", "OE-0002", "KT-GB-4042"})
NOT_FOUND_ERROR_TYPES = frozenset({"NOT_FOUND"})
# Error extensions in which Kraken lists why it refused a device command.
REFUSAL_REASON_KEYS = ("boostChargeRefusalReasons", "testChargeRefusalReasons")

DEFAULT_TOKEN_LIFETIME = 3600.0
# Renew the access token this many seconds before it expires: more than a request can take
# (DEFAULT_TIMEOUT), and short enough that polls every few minutes renew the hour-long token
# once an hour rather than one poll early.
TOKEN_RENEWAL_MARGIN = 60.0
DEFAULT_TIMEOUT = 30.0
# The schema is asked for again after this long (suppliers add and retire fields), and at
# once when the instance refuses a document for naming something it lacks.
SCHEMA_MAX_AGE = 86400.0
SCHEMA_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class ApiKeyCredential:
    """The account user's API key (the "secret key" in the supplier's dashboard)."""

    api_key: str = field(repr=False)

    def token_input(self) -> dict[str, str]:
        """The obtainKrakenToken input for this credential."""
        return {"APIKey": self.api_key}


@dataclass(frozen=True, slots=True)
class PasswordCredential:
    """The account user's email and password."""

    email: str
    password: str = field(repr=False)

    def token_input(self) -> dict[str, str]:
        """The obtainKrakenToken input for this credential."""
        return {"email": self.email, "password": self.password}


type Credential = ApiKeyCredential | PasswordCredential


@dataclass(slots=True)
class _Token:
    value: str
    renew_at: float
    """When to renew it: for an access token, a margin before it expires."""


class KrakenClient:
    """Talks to one Kraken GraphQL endpoint on behalf of one account user.

    The client signs in lazily, keeps the access and refresh tokens, renews the access token
    shortly before it expires (one renewal at a time however many requests wait), falls back
    to the primary credential when the refresh token is refused, and retries a request once
    when the API says its token expired.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        endpoint: str,
        credential: Credential,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] | None = None,
        capabilities: Capabilities | None = None,
        on_schema_learnt: Callable[[Capabilities], None] | None = None,
    ) -> None:
        self._session = session
        self._endpoint = endpoint
        self._credential = credential
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # Looked up at call time, so a patched clock (tests, benchmarks) is honoured.
        self._clock = clock or (lambda: time.time())  # noqa: PLW0108
        self._token: _Token | None = None
        self._refresh_token: _Token | None = None
        self._token_lock = asyncio.Lock()
        self.request_count = 0
        self._capabilities = capabilities
        self._on_schema_learnt = on_schema_learnt

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint URL."""
        return self._endpoint

    async def authenticate(self) -> None:
        """Obtain a fresh token with the primary credential; raises KrakenAuthError if refused."""
        async with self._token_lock:
            await self._obtain_token(self._credential.token_input())

    # --- the instance's schema ------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities | None:
        """What the instance's schema offers, as last learnt (None before the first time)."""
        return self._capabilities

    def schema_is_fresh(self) -> bool:
        """Whether the schema was learnt less than SCHEMA_MAX_AGE ago."""
        return (
            self._capabilities is not None
            and 0 <= self._clock() - self._capabilities.learnt_at < SCHEMA_MAX_AGE
        )

    async def learn_schema(self) -> Capabilities:
        """Ask the instance about the types the documents use (one request, rarely two).

        A second round asks about types the first answer named but the known list lacks
        (an instance may name a field's type differently).
        """
        known: dict[str, TypeInfo | None] = {}
        asked: set[str] = set()
        wanted = set(KNOWN_TYPES)
        for _ in range(SCHEMA_ROUNDS):
            wanted -= asked
            if not wanted:
                break
            names = sorted(wanted)
            data = await self.execute(introspection_document(names), {}, INTROSPECTION_OPERATION)
            known.update(parse_introspection(data, names))
            asked |= wanted
            wanted = documents.referenced_types(Capabilities(known, 0.0)) - asked
        return self._learnt(known)

    async def ensure_schema(self) -> Capabilities:
        """The schema as learnt, learnt first when unknown.

        A schema older than a day is asked about again along with the next query (the
        introspection rides in the same request), so the daily check costs no request.
        """
        if self._capabilities is None:
            return await self.learn_schema()
        return self._capabilities

    def _learnt(self, known: Mapping[str, TypeInfo | None]) -> Capabilities:
        capabilities = Capabilities(dict(known), self._clock())
        self._capabilities = capabilities
        _LOGGER.debug("Learnt %d types of the Kraken schema", len(known))
        if self._on_schema_learnt is not None:
            self._on_schema_learnt(capabilities)
        return capabilities

    def supports(self, type_name: str, field_name: str) -> bool:
        """Whether the instance, as last learnt, has a field (False before it is learnt)."""
        return self._capabilities is not None and self._capabilities.has_field(
            type_name, field_name
        )

    async def _run(
        self,
        name: str,
        build: Callable[[Capabilities], tuple[tuple[F | On, ...], Mapping[str, str]]],
        variables: dict[str, Any],
        *,
        operation: str = "query",
        required_any: tuple[tuple[str, ...], ...] = (),
        partial: PartialErrors | None = None,
    ) -> tuple[Any, Composition]:
        """Compose a document for the instance, run it, and learn again when it is refused.

        An answer that says the document names something the instance lacks ("Cannot query
        field ...") means the schema moved on: learn it again and retry once.
        """
        capabilities = await self.ensure_schema()
        for attempt in range(2):
            selections, types = build(capabilities)
            composed = compose(
                capabilities, operation=operation, name=name, variables=types, selections=selections
            )
            recheck = (
                sorted(capabilities.types)
                if operation == "query" and not attempt and not self.schema_is_fresh()
                else []
            )
            missing = list(composed.missing_required)
            missing += [
                " or ".join(paths)
                for paths in required_any
                if all(path in composed.omitted for path in paths)
            ]
            if missing:
                raise KrakenSchemaError(missing)
            used = {key: value for key, value in variables.items() if key in composed.variables}
            text = with_introspection(composed.text, recheck) if recheck else composed.text
            try:
                data = await self.execute(text, used, name, partial)
            except KrakenApiError as err:
                if attempt or err.code is not None or not is_schema_mismatch(err.api_message):
                    raise
                _LOGGER.info("The Kraken API refused a document (%s); learning its schema", err)
                capabilities = await self.learn_schema()
                continue
            if recheck:
                # The day's check of the schema rode along; what it says serves from now on.
                self._learnt(parse_introspection(data, recheck))
            return data, composed
        raise AssertionError("unreachable")  # pragma: no cover

    # --- reading ------------------------------------------------------------------------------

    async def list_accounts(self) -> list[AccountSummary]:
        """The accounts the signed-in user can see."""
        data, _ = await self._run(
            "ViewerAccounts", lambda _caps: (documents.VIEWER_ACCOUNTS, {}), {}
        )
        return parse_account_summaries(data)

    def has_smartflex(self) -> bool:
        """Whether the instance lists SmartFlex devices (as last learnt)."""
        return self.supports("Query", "devices")

    async def fetch_account(
        self, account_number: str, *, currency: str, include_rates: bool
    ) -> Account:
        """An account with its meter points and agreements.

        Half-hourly (or quarter-hourly) unit rates are part of the response only when
        `include_rates` is set.
        """
        data, _ = await self._run(
            "Account",
            lambda _caps: (documents.ACCOUNT, documents.ACCOUNT_VARIABLES),
            {"accountNumber": account_number, "includeRates": include_rates},
            required_any=(documents.METER_POINT_PATHS,),
        )
        return parse_account(data, currency=currency)

    async def fetch_account_with_devices(
        self,
        account_number: str,
        *,
        currency: str,
        include_rates: bool,
        dispatch_devices: Sequence[str] = (),
        meters: TelemetryQuery | None = None,
    ) -> tuple[Account, SmartFlexData]:
        """The account (as `fetch_account`) and its SmartFlex data, in one request.

        `meters`: smart meters whose live data rides along (`SmartFlexData.meter_telemetry`).
        """

        def build(caps: Capabilities) -> tuple[tuple[F | On, ...], Mapping[str, str]]:
            devices, types = self._smartflex_selection(caps, dispatch_devices, meters)
            return (
                documents.ACCOUNT + devices,
                {**documents.ACCOUNT_VARIABLES, **types},
            )

        data, _ = await self._run(
            "AccountWithDevices",
            build,
            {
                "accountNumber": account_number,
                "includeRates": include_rates,
                **_device_variables(dispatch_devices),
                **(telemetry.variables(meters) if meters else {}),
            },
            required_any=(documents.METER_POINT_PATHS,),
            partial=documents.PARTIAL,
        )
        return parse_account(data, currency=currency), _with_telemetry(
            parse_smartflex(data, dispatch_devices), data, meters
        )

    async def fetch_smartflex(
        self,
        account_number: str,
        dispatch_devices: Sequence[str] = (),
        meters: TelemetryQuery | None = None,
    ) -> SmartFlexData:
        """The account's SmartFlex devices with their planned and completed dispatches.

        Planned dispatches are asked for each of `dispatch_devices` where the instance plans
        per device, else for the account where it still can; `meters` as for
        `fetch_account_with_devices`.
        """
        data, _ = await self._run(
            "SmartFlex",
            lambda caps: self._smartflex_selection(caps, dispatch_devices, meters),
            {
                "accountNumber": account_number,
                **_device_variables(dispatch_devices),
                **(telemetry.variables(meters) if meters else {}),
            },
            partial=documents.PARTIAL,
        )
        return _with_telemetry(parse_smartflex(data, dispatch_devices), data, meters)

    def has_meter_telemetry(self) -> bool:
        """Whether the instance gives smart meters' live data (as last learnt)."""
        return self.supports("Query", "smartMeterTelemetry")

    @staticmethod
    def _smartflex_selection(
        caps: Capabilities,
        dispatch_devices: Sequence[str],
        meters: TelemetryQuery | None = None,
    ) -> tuple[tuple[F | On, ...], Mapping[str, str]]:
        per_device = caps.has_field("Query", "flexPlannedDispatches")
        count = len(dispatch_devices) if per_device else 0
        meter_count = len(meters.device_ids) if meters else 0
        return (
            documents.smartflex(count, per_device=per_device) + telemetry.selections(meter_count),
            {
                **documents.smartflex_variables(count),
                **(telemetry.variable_types(meter_count) if meter_count else {}),
            },
        )

    # --- commands -----------------------------------------------------------------------------

    def can(self, mutation: str) -> bool:
        """Whether the instance offers a device command (as last learnt)."""
        return self.supports("Mutation", mutation)

    async def _mutate(
        self, name: str, root: str, selections: tuple[F | On, ...], payload: Any
    ) -> None:
        await self._run(
            name,
            lambda _caps: (selections, documents.MUTATION_VARIABLES[name]),
            {"input": payload},
            operation="mutation",
        )

    async def set_smart_control(self, device_id: str, *, enabled: bool) -> None:
        """Let the supplier control a device again, or suspend its control."""
        action = "UNSUSPEND" if enabled else "SUSPEND"
        await self._mutate(
            "UpdateDeviceSmartControl",
            "updateDeviceSmartControl",
            documents.UPDATE_SMART_CONTROL,
            {"deviceId": device_id, "action": action},
        )

    async def set_boost_charge(self, device_id: str, *, boost: bool) -> None:
        """Charge now, ignoring the schedule, or cancel that."""
        await self._mutate(
            "UpdateBoostCharge",
            "updateBoostCharge",
            documents.UPDATE_BOOST_CHARGE,
            {"deviceId": device_id, "action": "BOOST" if boost else "CANCEL"},
        )

    async def set_preferences(self, device_id: str, preferences: DevicePreferences) -> None:
        """Replace a device's mode, target type and per-day schedules."""
        schedules: list[dict[str, Any]] = [
            {
                "dayOfWeek": schedule.day_of_week,
                # "07:00", or "07:00+05:00" for a time read with an offset: nothing is lost.
                "time": schedule.ready_by.isoformat(timespec="minutes"),
                "max": schedule.max,
                **({"min": schedule.min} if schedule.min is not None else {}),
            }
            for schedule in preferences.schedules
        ]
        payload: dict[str, Any] = {
            "deviceId": device_id,
            "mode": preferences.mode,
            "unit": preferences.unit,
            "schedules": schedules,
        }
        if preferences.target_type is not None:
            payload["targetType"] = preferences.target_type
        await self._mutate(
            "SetDevicePreferences",
            "setDevicePreferences",
            documents.SET_DEVICE_PREFERENCES,
            payload,
        )

    async def execute(
        self,
        document: str,
        variables: dict[str, Any],
        operation_name: str,
        partial: PartialErrors | None = None,
        *,
        endpoint: str | None = None,
    ) -> Any:
        """Run an authenticated GraphQL operation and return its `data`.

        `endpoint`: another GraphQL endpoint of the same supplier that takes the same token
        (Octopus serves heat pump controllers at its backend API), else the client's own.
        """
        url = endpoint or self._endpoint
        token = await self._valid_token()
        try:
            return await self._post(document, variables, operation_name, token.value, partial, url)
        except _TokenExpiredError:
            async with self._token_lock:
                if self._token is token:
                    self._token = None
            token = await self._valid_token()
            try:
                return await self._post(
                    document, variables, operation_name, token.value, partial, url
                )
            except _TokenExpiredError as err:
                raise KrakenAuthError("Kraken refused a freshly issued token", err.code) from None

    async def _valid_token(self) -> _Token:
        token = self._token
        if token is not None and self._clock() < token.renew_at:
            return token
        async with self._token_lock:
            token = self._token
            if token is not None and self._clock() < token.renew_at:
                return token
            refresh = self._refresh_token
            if refresh is not None and self._clock() < refresh.renew_at:
                try:
                    return await self._obtain_token({"refreshToken": refresh.value})
                except KrakenAuthError:
                    _LOGGER.debug("Refresh token refused; signing in with the credential")
                    self._refresh_token = None
            return await self._obtain_token(self._credential.token_input())

    async def _obtain_token(self, token_input: dict[str, str]) -> _Token:
        asked_at = self._clock()
        try:
            data = await self._post(
                documents.OBTAIN_TOKEN, {"input": token_input}, "ObtainKrakenToken", None
            )
        except _TokenExpiredError as err:
            raise KrakenAuthError("Kraken refused the credentials", err.code) from None
        grant = parse_token(data)
        now = self._clock()
        default_expiry = now + DEFAULT_TOKEN_LIFETIME
        if grant.lifetime is not None:
            # Timed on this machine's clock from the moment it asked: a clock that differs
            # from Kraken's neither uses an expired token nor renews early.
            expires_at = asked_at + grant.lifetime
        elif grant.expires_at is not None:
            expires_at = grant.expires_at
        else:
            expires_at = default_expiry
        # A token shorter-lived than twice the margin is used for half its life.
        token = _Token(grant.token, expires_at - min(TOKEN_RENEWAL_MARGIN, (expires_at - now) / 2))
        self._token = token
        if grant.refresh_token is not None:
            refresh_expires_at = (
                grant.refresh_expires_at if grant.refresh_expires_at is not None else default_expiry
            )
            self._refresh_token = _Token(grant.refresh_token, refresh_expires_at - 60)
        return token

    async def _post(
        self,
        document: str,
        variables: dict[str, Any],
        operation_name: str,
        token: str | None,
        partial: PartialErrors | None = None,
        url: str | None = None,
    ) -> Any:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = token
        body = {"query": document, "variables": variables, "operationName": operation_name}
        self.request_count += 1
        try:
            async with self._session.post(
                url or self._endpoint, json=body, headers=headers, timeout=self._timeout
            ) as response:
                # Bytes first: a proxy's page need not be UTF-8, and the status decides
                # whether the body matters at all.
                raw = await response.read()
                status = response.status
                charset = response.charset
                retry_after = response.headers.get("Retry-After")
        except TimeoutError as err:
            raise KrakenTimeoutError(f"{operation_name}: Kraken API timed out") from err
        except aiohttp.ClientError as err:
            raise KrakenConnectionError(
                f"{operation_name}: cannot reach the Kraken API ({type(err).__name__})"
            ) from err
        return read_answer(operation_name, status, raw, charset, retry_after, partial)


def read_answer(
    operation_name: str,
    status: int,
    raw: bytes,
    charset: str | None = None,
    retry_after: str | None = None,
    partial: PartialErrors | None = None,
) -> Any:
    """The `data` of a Kraken answer, or the typed error it stands for.

    - 429: KrakenRateLimitError (with the Retry-After delay, finite and at most an hour);
    - 5xx: KrakenServerError;
    - 401/403: Kraken's own refusal when the body is a GraphQL error with a Kraken error
      code (KrakenAuthError for a credential refusal, as on a 200); without one (a
      firewall's or proxy's page) KrakenBlockedError, a connection error to retry later;
    - any other status but 200: the GraphQL error the body carries, else KrakenApiError;
    - 200: the GraphQL errors as typed errors, KrakenParseError for a body that is not a
      JSON object with data. With `partial` (root field names or alias prefixes, each with
      error codes), errors of those root fields with their codes leave the rest of the data
      standing (the field reads as null).
    """
    if status == 429:
        raise KrakenRateLimitError(
            f"{operation_name}: Kraken API rate limit reached", retry_after_seconds(retry_after)
        )
    if status >= 500:
        raise KrakenServerError(status)
    body = _json_body(operation_name, raw, charset)
    payload = body if isinstance(body, dict) else None
    if status != 200:
        errors = payload.get("errors") if payload is not None else None
        if status in (401, 403):
            if _first_error_code(errors) is None:
                raise KrakenBlockedError(operation_name, status)
            _raise_for_errors(operation_name, errors, retry_after)
        if errors:
            _raise_for_errors(operation_name, errors, retry_after)
        raise KrakenApiError(f"{operation_name}: unexpected HTTP status {status}")
    if body is _NOT_JSON:
        raise KrakenParseError(
            f"{operation_name}: Kraken API answered with a body that is not JSON"
        )
    if payload is None:
        raise KrakenParseError(f"{operation_name}: expected a JSON object")
    errors = payload.get("errors")
    data = payload.get("data")
    if errors and partial is not None and isinstance(data, dict) and isinstance(errors, list):
        tolerated = [error for error in errors if _tolerated(error, partial)]
        errors = [error for error in errors if error not in tolerated]
        for error in tolerated:
            root = error["path"][0]
            # The alias and code only: the message may name the account or the meter.
            _LOGGER.debug(
                "%s: %s left out (%s)", operation_name, root, error["extensions"]["errorCode"]
            )
            if error["extensions"]["errorCode"] == "KT-CT-4301" and data.get(root) is None:
                # "Unable to find device for given account": there is none, an empty list.
                data[root] = []
    if errors:
        _raise_for_errors(operation_name, errors, retry_after)
    if payload.get("data") is None:
        raise KrakenParseError(f"{operation_name}: response has neither data nor errors")
    return payload["data"]


def _tolerated(error: Any, partial: PartialErrors) -> bool:
    """Whether an error concerns only a root field whose failure the caller can live with."""
    if not isinstance(error, dict):
        return False
    path = error.get("path")
    root = path[0] if isinstance(path, list) and path else None
    extensions = error.get("extensions")
    code = extensions.get("errorCode") if isinstance(extensions, dict) else None
    return isinstance(root, str) and any(
        root.startswith(prefix) and code in codes for prefix, codes in partial.items()
    )


_NOT_JSON = object()


def _json_body(operation_name: str, raw: bytes, charset: str | None) -> Any:
    """The body as JSON, or _NOT_JSON for anything else (a page, junk, nesting too deep)."""
    text = decode_body(raw, charset).removeprefix("\ufeff")
    try:
        return json.loads(text)
    except ValueError, RecursionError:
        _LOGGER.debug("%s: the body is not JSON (%d bytes)", operation_name, len(raw))
        return _NOT_JSON


def _first_error(errors: Any) -> dict[str, Any]:
    """The first error object of a GraphQL error list; empty for any other shape."""
    first = errors[0] if isinstance(errors, list) and errors else None
    return first if isinstance(first, dict) else {}


def _first_error_code(errors: Any) -> str | None:
    """The Kraken error code (e.g. KT-CT-1124) of the first error, if it has one."""
    extensions = _first_error(errors).get("extensions")
    code = extensions.get("errorCode") if isinstance(extensions, dict) else None
    return code if isinstance(code, str) and code else None


class _TokenExpiredError(KrakenError):
    def __init__(self, code: str | None) -> None:
        super().__init__(code or "token refused")
        self.code = code


def _raise_for_errors(operation_name: str, errors: Any, retry_after: str | None = None) -> NoReturn:
    """Raise the typed error for the first error of a GraphQL error list.

    Any shape is accepted: what is not a list of error objects with string fields reads as
    an error without code or message (KrakenApiError), never as a TypeError.
    """
    if not isinstance(errors, list):
        raise KrakenApiError(
            f"{operation_name}: Kraken API answered with malformed errors ({type(errors).__name__})"
        )
    first = _first_error(errors)
    extensions = first.get("extensions")
    if not isinstance(extensions, dict):
        extensions = {}
    code = _first_error_code(errors)
    error_type = extensions.get("errorType")
    error_type = error_type if isinstance(error_type, str) else None
    message = first.get("message")
    message = message if isinstance(message, str) and message.strip() else "unknown error"
    description = extensions.get("errorDescription")
    if isinstance(description, str) and description and description != message:
        # Validation errors say what was wrong only in the description.
        message = f"{message} {description}"
    # Logged and shown to the user: an account number or MPAN the API echoes stays out.
    message = without_identifiers(message)
    if code in TOKEN_EXPIRED_CODES:
        raise _TokenExpiredError(code)
    if code in AUTH_ERROR_CODES:
        if operation_name != "ObtainKrakenToken" and code in ("KT-CT-1111", "KT-CT-1112"):
            # The access token was refused: one fresh token is worth a try.
            raise _TokenExpiredError(code)
        raise KrakenAuthError(f"{operation_name}: {code} {message}", code)
    if code in RATE_LIMIT_CODES:
        raise KrakenRateLimitError(
            f"{operation_name}: {code} {message}", retry_after_seconds(retry_after)
        )
    reasons = tuple(
        reason
        for key in REFUSAL_REASON_KEYS
        if isinstance(refused := extensions.get(key), list)
        for reason in refused
        if isinstance(reason, str)
    )
    if error_type in NOT_FOUND_ERROR_TYPES:
        raise KrakenNotFoundError(message, code, reasons)
    raise KrakenApiError(message, code, reasons)


def _with_telemetry(
    data: SmartFlexData, answer: Any, meters: TelemetryQuery | None
) -> SmartFlexData:
    """The SmartFlex data with the asked meters' live data from the same answer."""
    if meters is None:
        return data
    return replace(data, meter_telemetry=parse_telemetry(answer, meters))


def _device_variables(device_ids: Sequence[str]) -> dict[str, str]:
    return {
        f"{documents.DEVICE_VARIABLE}{index}": device_id
        for index, device_id in enumerate(device_ids)
    }
