"""Provider-neutral fault injection and request log.

A `Fault` (built with one of its constructors, e.g. `Fault.http_status(503, count=2)`) applies to
the next `count` requests that match it (`count=None`: until cleared), optionally only to
requests under a path prefix and/or with a given operation name (for GraphQL, the request's
`operationName`, else the name in the document). Activate it with `state.faults.add(fault)`.

Per request, the first matching latency fault delays the response and the first matching
response fault replaces it; the real handler runs when no response fault matches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
import itertools
import json
import random
from typing import Any

_IDS = itertools.count(1)


class FaultKind(StrEnum):
    """What a fault does to a request."""

    HTTP_STATUS = "http_status"
    """Respond with `status` (e.g. 500/502/503) and a small text body."""
    LATENCY = "latency"
    """Wait `delay` seconds before handling the request (combines with other faults)."""
    RATE_LIMIT = "rate_limit"
    """Respond 429 with a `Retry-After: <retry_after>` header."""
    GRAPHQL_ERROR = "graphql_error"
    """Respond HTTP 200 with a GraphQL error carrying `error_code`, `message`, `error_type`."""
    MALFORMED = "malformed"
    """Respond HTTP 200 with `body` (text that is not JSON)."""
    WRONG_SHAPE = "wrong_shape"
    """Respond HTTP 200 with `body`, valid JSON of the wrong shape (default `{"data": null}`)."""
    RAW = "raw"
    """Respond with `status`, `body` encoded in `encoding` and the given `headers`: what a
    proxy, a firewall or a misbehaving server sends (a Latin-1 page, odd Retry-After values)."""
    DISCONNECT = "disconnect"
    """Drop the connection without an answer. The client sees what a timed-out or reset
    request gives it, at once: a soak cannot wait out a real timeout per fault."""


@dataclass(kw_only=True)
class Fault:
    """One injected fault; see `FaultKind` for which attributes each kind uses."""

    kind: FaultKind
    count: int | None = 1
    operation_name: str | None = None
    path: str | None = None
    status: int = 503
    delay: float = 0.0
    retry_after: int | str = 60
    error_code: str = "KT-CT-1111"
    message: str = "Unauthorized."
    error_type: str = "AUTHORIZATION"
    body: Any = None
    encoding: str = "utf-8"
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)
    id: int = field(default_factory=lambda: next(_IDS))

    # --- constructors (one per kind) ----------------------------------------------------

    @classmethod
    def http_status(
        cls,
        status: int = 503,
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
        body: str | None = None,
    ) -> Fault:
        """Respond with an HTTP error status and a small HTML body."""
        return cls(
            kind=FaultKind.HTTP_STATUS,
            status=status,
            count=count,
            operation_name=operation_name,
            path=path,
            body=body,
        )

    @classmethod
    def latency(
        cls,
        seconds: float,
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Delay the response by `seconds` (combines with one response fault)."""
        return cls(
            kind=FaultKind.LATENCY,
            delay=seconds,
            count=count,
            operation_name=operation_name,
            path=path,
        )

    @classmethod
    def rate_limit(
        cls,
        retry_after: int | str = 60,
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Respond 429 with `Retry-After: <retry_after>` (any text: "inf", an HTTP date)."""
        return cls(
            kind=FaultKind.RATE_LIMIT,
            retry_after=retry_after,
            count=count,
            operation_name=operation_name,
            path=path,
        )

    @classmethod
    def graphql_error(
        cls,
        error_code: str,
        message: str,
        error_type: str = "VALIDATION",
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Respond HTTP 200 with `{"data": null, "errors": [...]}` carrying a Kraken error code."""
        return cls(
            kind=FaultKind.GRAPHQL_ERROR,
            error_code=error_code,
            message=message,
            error_type=error_type,
            count=count,
            operation_name=operation_name,
            path=path,
        )

    @classmethod
    def malformed(
        cls,
        text: str | None = None,
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Respond HTTP 200 with a body that is not JSON (default: truncated JSON)."""
        return cls(
            kind=FaultKind.MALFORMED,
            body=text,
            count=count,
            operation_name=operation_name,
            path=path,
        )

    @classmethod
    def wrong_shape(
        cls,
        body: Any = None,
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Respond HTTP 200 with valid JSON of the wrong shape (default `{"data": null}`)."""
        return cls(
            kind=FaultKind.WRONG_SHAPE,
            body=body,
            count=count,
            operation_name=operation_name,
            path=path,
        )

    @classmethod
    def raw(
        cls,
        status: int,
        body: str,
        *,
        encoding: str = "utf-8",
        content_type: str = "text/html",
        headers: dict[str, str] | None = None,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Respond with `status` and `body` as bytes in `encoding`, with extra `headers`."""
        return cls(
            kind=FaultKind.RAW,
            status=status,
            body=body,
            encoding=encoding,
            content_type=content_type,
            headers=dict(headers or {}),
            count=count,
            operation_name=operation_name,
            path=path,
        )

    @classmethod
    def disconnect(
        cls,
        *,
        count: int | None = 1,
        operation_name: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Drop the connection without answering (a timeout or reset, to the client)."""
        return cls(
            kind=FaultKind.DISCONNECT,
            count=count,
            operation_name=operation_name,
            path=path,
        )

    # --- behaviour -------------------------------------------------------------------------

    def matches(self, path: str, operation_name: str | None) -> bool:
        """Whether this fault applies to a request."""
        if self.path is not None and not path.startswith(self.path):
            return False
        return self.operation_name is None or self.operation_name == operation_name

    def to_json(self) -> dict[str, Any]:
        """JSON form, as accepted by `from_json` and the control endpoint."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "count": self.count,
            "operation_name": self.operation_name,
            "path": self.path,
            "status": self.status,
            "delay": self.delay,
            "retry_after": self.retry_after,
            "error_code": self.error_code,
            "message": self.message,
            "error_type": self.error_type,
            "body": self.body,
            "encoding": self.encoding,
            "content_type": self.content_type,
            "headers": self.headers,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """Build a fault from its JSON form (`kind` required, everything else optional)."""
        allowed = {
            "count",
            "operation_name",
            "path",
            "status",
            "delay",
            "retry_after",
            "error_code",
            "message",
            "error_type",
            "body",
            "encoding",
            "content_type",
            "headers",
        }
        unknown = set(data) - allowed - {"kind", "id"}
        if unknown:
            raise ValueError(f"unknown fault attributes: {sorted(unknown)}")
        kwargs = {key: value for key, value in data.items() if key in allowed}
        return cls(kind=FaultKind(data["kind"]), **kwargs)

    def response_body(self) -> tuple[str, str]:
        """Body text and content type of the response this fault produces."""
        match self.kind:
            case FaultKind.HTTP_STATUS:
                text = self.body if isinstance(self.body, str) else f"{self.status} Server Error"
                return f"<html><body><h1>{text}</h1></body></html>", "text/html"
            case FaultKind.RATE_LIMIT:
                return "Too Many Requests", "text/plain"
            case FaultKind.GRAPHQL_ERROR:
                error: dict[str, Any] = {
                    "message": self.message,
                    "extensions": {
                        "errorCode": self.error_code,
                        "errorType": self.error_type,
                    },
                }
                return json.dumps({"data": None, "errors": [error]}), "application/json"
            case FaultKind.MALFORMED:
                text = self.body if isinstance(self.body, str) else '{"data": {"viewer": '
                return text, "application/json"
            case FaultKind.WRONG_SHAPE:
                body = {"data": None} if self.body is None else self.body
                return json.dumps(body), "application/json"
            case FaultKind.RAW:
                return str(self.body or ""), self.content_type
            case _:  # LATENCY and DISCONNECT never produce a response
                raise ValueError(f"{self.kind} does not produce a response")

    @property
    def response_status(self) -> int:
        """HTTP status of the response this fault produces."""
        if self.kind in (FaultKind.HTTP_STATUS, FaultKind.RAW):
            return self.status
        if self.kind is FaultKind.RATE_LIMIT:
            return 429
        return 200


def _random_fault(rng: random.Random) -> Fault:
    """One of the ordinary ways a cloud fails a request, equally often."""
    match rng.randrange(4):
        case 0:
            return Fault.http_status(rng.choice((500, 502, 503, 504)))
        case 1:
            return Fault.disconnect()
        case 2:
            # The value Easee's and Enode's gateways send when throttling (as the matrix).
            return Fault.rate_limit(60)
        case _:
            return Fault.malformed()


@dataclass
class RandomFaults:
    """A share of all requests failing at random, the same ones for the same seed.

    How an unreliable day looks to the integration (the soak benchmark): server errors,
    dropped connections, throttling with a Retry-After and malformed bodies, in equal parts.
    Held faults (`Faults.add`) come first; a request one of them answers is not drawn for.
    """

    rate: float
    seed: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def draw(self) -> Fault | None:
        """A fault for the next request, or None (most of the time)."""
        if self.rng.random() >= self.rate:
            return None
        return _random_fault(self.rng)


@dataclass
class AppliedFaults:
    """The faults that apply to one request."""

    latency: Fault | None = None
    response: Fault | None = None


class Faults:
    """The set of active faults."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self.random: RandomFaults | None = None
        """Faults drawn at random for requests no held fault answers (off by default)."""

    @property
    def active(self) -> list[Fault]:
        """Faults still waiting to apply, oldest first."""
        return list(self._faults)

    def add(self, fault: Fault) -> Fault:
        """Activate a fault and return it."""
        self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Deactivate one fault (no error if it already ran out)."""
        if fault in self._faults:
            self._faults.remove(fault)

    def clear(self) -> None:
        """Deactivate every fault, random ones too."""
        self._faults.clear()
        self.random = None

    def take(self, path: str, operation_name: str | None) -> AppliedFaults:
        """Pick the faults for one request and count the request against them."""
        applied = AppliedFaults()
        for fault in list(self._faults):
            if not fault.matches(path, operation_name):
                continue
            if fault.kind is FaultKind.LATENCY:
                if applied.latency is not None:
                    continue
                applied.latency = fault
            else:
                if applied.response is not None:
                    continue
                applied.response = fault
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
        if applied.response is None and self.random is not None:
            applied.response = self.random.draw()
        return applied


@dataclass
class RequestRecord:
    """One request the simulator received."""

    time: datetime
    method: str
    path: str
    operation_name: str | None
    status: int | None = None
    fault: FaultKind | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form for the control endpoint."""
        return {
            "time": self.time.isoformat(),
            "method": self.method,
            "path": self.path,
            "operation_name": self.operation_name,
            "status": self.status,
            "fault": self.fault.value if self.fault else None,
        }


DEFAULT_MAX_RECORDS = 100_000
"""Requests kept: weeks of a household's traffic, yet a simulator left running stays small."""


class RequestLog:
    """The latest requests received (control endpoints excluded), oldest first.

    At most `max_records` are kept, so a long run holds steady memory; `received` counts
    every request since the last `clear`, kept or not. The filters below see kept ones only.
    """

    def __init__(self, max_records: int = DEFAULT_MAX_RECORDS) -> None:
        self.records: list[RequestRecord] = []
        self.max_records = max_records
        self.received = 0

    def record(self, method: str, path: str, operation_name: str | None) -> RequestRecord:
        """Log a request received now."""
        entry = RequestRecord(datetime.now(UTC), method, path, operation_name)
        self.records.append(entry)
        self.received += 1
        if len(self.records) > self.max_records:
            # Trimmed in batches of a tenth, so appending stays cheap on average.
            del self.records[: len(self.records) - self.max_records * 9 // 10]
        return entry

    def clear(self) -> None:
        """Forget every request."""
        self.records.clear()
        self.received = 0

    def matching(
        self,
        *,
        operation_name: str | None = None,
        path: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[RequestRecord]:
        """Requests with this operation, under this path prefix, in [since, until)."""
        return [
            record
            for record in self.records
            if (operation_name is None or record.operation_name == operation_name)
            and (path is None or record.path.startswith(path))
            and (since is None or record.time >= since)
            and (until is None or record.time < until)
        ]

    def count(
        self,
        *,
        operation_name: str | None = None,
        path: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int:
        """Number of requests matching the filters (see `matching`)."""
        return len(
            self.matching(operation_name=operation_name, path=path, since=since, until=until)
        )

    def count_by_operation(self) -> dict[str | None, int]:
        """Number of requests per operation name."""
        return dict(Counter(record.operation_name for record in self.records))

    def count_per_hour(
        self, *, operation_name: str | None = None, path: str | None = None
    ) -> dict[datetime, int]:
        """Number of matching requests per UTC clock hour (keyed by the hour's start)."""
        counts: Counter[datetime] = Counter(
            record.time.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            for record in self.matching(operation_name=operation_name, path=path)
        )
        return dict(sorted(counts.items()))
