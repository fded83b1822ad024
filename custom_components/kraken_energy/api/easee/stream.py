"""Easee's observation stream: a SignalR hub that pushes each charger's readings as they change.

The hub is `https://streams.easee.com/hubs/chargers` (the URL pyeasee, evcc and every other
Easee client use). A connection negotiates with `POST <hub>/negotiate`, opens the websocket
at `<hub>?id=<connectionId>`, both with `Authorization: Bearer <access token>`, and then
invokes `SubscribeWithCurrentState(<charger id>, true)` for each charger: Easee replays the
charger's current observations and pushes every change afterwards as `ProductUpdate`.

pysignalr speaks the protocol. Its own reconnection is turned off (one attempt per `run`):
Easee asked its clients not to hammer the hub after an outage (olalid in nordicopen/pyeasee#88),
so every drop or refusal goes through one backoff here, 30 s doubling to 5 minutes with jitter,
back to 30 s once a connection is up. The token comes from the REST client (renewed there);
a refused token is renewed before the next attempt.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
import contextlib
from dataclasses import dataclass
import logging
import random
import re
from typing import Any

import orjson
from pysignalr.client import SignalRClient
from pysignalr.exceptions import AuthorizationError
from pysignalr.messages import Message, PingMessage
from pysignalr.protocol.json import JSONProtocol

from .client import EASEE_API_URL, EaseeClient
from .exceptions import EaseeAuthError, EaseeError
from .observations import EaseeObservation, parse_observation

_LOGGER = logging.getLogger(__name__)

EASEE_STREAM_URL = "https://streams.easee.com/hubs/chargers"
HUB_PATH = "/hubs/chargers"
SUBSCRIBE = "SubscribeWithCurrentState"
PRODUCT_UPDATE = "ProductUpdate"

FIRST_RETRY = 30.0
LONGEST_RETRY = 300.0
# Each wait is drawn between this share of the backoff and all of it, so that many clients
# cut off together do not come back in step.
JITTER = 0.25
# Seconds to wait for the websocket to open (negotiate, upgrade, handshake).
CONNECT_TIMEOUT = 15

_BEARER = re.compile(r"Bearer\s+[^\s'\",}]+")


class _HideTokens(logging.Filter):
    """pysignalr and websockets log request headers and frames at debug level: no tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except TypeError, ValueError:
            return True  # the handler reports the malformed record itself
        if "Bearer" in message:
            record.msg = _BEARER.sub("Bearer <redacted>", message)
            record.args = ()
        return True


for _name in ("pysignalr.transport", "pysignalr.client"):
    logging.getLogger(_name).addFilter(_HideTokens())


def _ignore(_observation: EaseeObservation) -> None:
    return None


def stream_url(api_base_url: str) -> str:
    """The hub for an API base URL: Easee's stream host, or the same host for a stand-in."""
    base = api_base_url.rstrip("/")
    return EASEE_STREAM_URL if base == EASEE_API_URL else base + HUB_PATH


class _TolerantJSONProtocol(JSONProtocol):
    """The JSON hub protocol, skipping records it cannot read instead of ending the connection."""

    def __init__(self, on_skipped: Callable[[], None]) -> None:
        super().__init__()
        self._on_skipped = on_skipped

    def decode(self, raw_message: str | bytes) -> list[Message]:
        if isinstance(raw_message, bytes):
            raw_message = raw_message.decode(errors="replace")
        messages: list[Message] = []
        for record in raw_message.split(self.record_separator):
            if not record:
                continue
            try:
                data = orjson.loads(record)
                if data:
                    messages.append(self.parse_message(data))
            except orjson.JSONDecodeError, TypeError, KeyError, ValueError, AttributeError:
                self._on_skipped()
        return messages


def _end_keepalive_with_connection(signalr: SignalRClient) -> None:
    """Replace pysignalr's SignalR ping loop (this client's only) with one that ends on close.

    pysignalr runs the ping loop beside the reader in `asyncio.gather`; when the server closes
    the socket the reader raises, and gather leaves the ping loop running until its next ping
    fails. This one waits for the close and stops there.
    """
    transport: Any = signalr._transport  # noqa: SLF001
    protocol = signalr._protocol  # noqa: SLF001
    interval = transport._signalr_ping_interval  # noqa: SLF001

    async def keepalive(connection: Any) -> None:
        while True:
            try:
                async with asyncio.timeout(interval):
                    await connection.wait_closed()
            except TimeoutError:
                await connection.send(protocol.encode(PingMessage()))
            else:
                return

    transport._keepalive = keepalive  # noqa: SLF001


class _CredentialsRefusedError(Exception):
    """Easee refused the username or password: the stream stops trying."""


@dataclass(slots=True)
class StreamStats:
    """How the stream has gone (diagnostics)."""

    connections: int = 0
    failed_attempts: int = 0
    observations: int = 0
    ignored_messages: int = 0
    last_error: str | None = None


class EaseeStream:
    """Keeps one hub connection up for a set of chargers and hands over what it pushes.

    `run()` runs until cancelled, or until Easee refuses the credentials themselves.
    `on_observation` receives every readable observation of a subscribed charger;
    `on_connected` / `on_disconnected` say when the stream can be relied on. Nothing raises
    out of `run()` but cancellation.
    """

    def __init__(
        self,
        client: EaseeClient,
        charger_ids: Iterable[str],
        *,
        on_observation: Callable[[EaseeObservation], None],
        on_connected: Callable[[], None] | None = None,
        on_disconnected: Callable[[], None] | None = None,
        url: str | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._client = client
        self._charger_ids: set[str] = set(charger_ids)
        self._subscribed: set[str] = set()
        self._on_observation = on_observation
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected
        self.url = url or stream_url(client.base_url)
        self._jitter = jitter
        self._signalr: SignalRClient | None = None
        self._subscribing: set[asyncio.Task[None]] = set()
        self._first_attempt = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.connected = False
        self.waiting: float | None = None
        """While waiting to reconnect, the backoff step (before jitter) being waited."""
        self.stats = StreamStats()

    @property
    def charger_ids(self) -> frozenset[str]:
        """The chargers the stream follows."""
        return frozenset(self._charger_ids)

    async def wait_first_attempt(self) -> None:
        """Return once the first connection attempt has opened the stream or failed."""
        await self._first_attempt.wait()

    def set_chargers(self, charger_ids: Iterable[str]) -> None:
        """Follow these chargers: new ones are subscribed at once while connected.

        (Easee has no unsubscribe that clients rely on; a charger that left is no longer
        handed over and drops out at the next connection.)
        """
        self._charger_ids = set(charger_ids)
        new = self._charger_ids - self._subscribed
        if self.connected and new and self._signalr is not None:
            task = asyncio.get_running_loop().create_task(self._subscribe(self._signalr, new))
            self._subscribing.add(task)
            task.add_done_callback(self._subscribing.discard)

    def start(self) -> None:
        """Run in a task of the running loop until `close()`."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="easee stream")

    async def close(self) -> None:
        """Stop for good: close the connection, without calling back any more."""
        self._on_connected = self._on_disconnected = None
        self._on_observation = _ignore
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        """Connect, and reconnect after every drop or refusal, until cancelled."""
        backoff = FIRST_RETRY
        try:
            while True:
                try:
                    opened = await self._connect_once()
                except _CredentialsRefusedError:
                    _LOGGER.debug("Easee stream: the credentials were refused; not retrying")
                    return
                if opened:
                    backoff = FIRST_RETRY
                delay = backoff * (1 - JITTER * self._jitter())
                self.waiting = backoff
                backoff = min(backoff * 2, LONGEST_RETRY)
                _LOGGER.debug("Easee stream: next attempt in %.0f s", delay)
                await asyncio.sleep(delay)
                self.waiting = None
        finally:
            for task in self._subscribing:
                task.cancel()
            self._set_disconnected()

    async def _connect_once(self) -> bool:
        """One connection, from negotiation to its end; whether it was ever open."""
        opened = False
        try:
            token = await self._client.access_token()
        except EaseeAuthError as err:
            # The credentials themselves are refused: signing in again every few minutes would
            # only risk locking the account. The entry is reauthenticated and starts anew.
            self._failed(err)
            raise _CredentialsRefusedError from err
        except EaseeError as err:
            self._failed(err)
            return False
        # One dict for negotiation and websocket headers (pysignalr sends it with invocations).
        signalr = SignalRClient(
            self.url,
            protocol=_TolerantJSONProtocol(self._ignored),
            headers={"Authorization": f"Bearer {token}"},
            connection_timeout=CONNECT_TIMEOUT,
            retry_count=1,
        )

        async def on_open() -> None:
            nonlocal opened
            opened = True
            self._signalr = signalr
            self._subscribed.clear()
            self.stats.connections += 1
            self.connected = True
            _LOGGER.debug("Easee stream connected")
            await self._subscribe(signalr, set(self._charger_ids))
            self._first_attempt.set()
            if self._on_connected is not None:
                self._on_connected()

        async def on_close() -> None:
            self._set_disconnected()

        async def on_update(arguments: Any) -> None:
            self._product_update(arguments)

        _end_keepalive_with_connection(signalr)
        signalr.on_open(on_open)
        signalr.on_close(on_close)
        signalr.on(PRODUCT_UPDATE, on_update)
        try:
            await signalr.run()
        except asyncio.CancelledError:
            raise
        except AuthorizationError:
            self._client.token_refused(token)
            self._failed(EaseeAuthError("the stream refused the access token"))
        except Exception as err:  # noqa: BLE001 - any failure means: wait, then try again
            self._failed(err)
        else:
            self._failed(None)
        finally:
            self._signalr = None
            self._set_disconnected()
        return opened

    async def _subscribe(self, signalr: SignalRClient, charger_ids: set[str]) -> None:
        for charger_id in sorted(charger_ids):
            await signalr.send(SUBSCRIBE, [charger_id, True])  # type: ignore[list-item]
            self._subscribed.add(charger_id)

    def _failed(self, err: BaseException | None) -> None:
        self.stats.failed_attempts += 1
        # The exception's type only: messages of HTTP libraries can carry URLs and headers.
        self.stats.last_error = type(err).__name__ if err is not None else "closed"
        self._first_attempt.set()
        _LOGGER.debug("Easee stream ended or could not connect (%s)", self.stats.last_error)

    def _set_disconnected(self) -> None:
        if not self.connected:
            return
        self.connected = False
        _LOGGER.debug("Easee stream disconnected")
        if self._on_disconnected is not None:
            self._on_disconnected()

    def _ignored(self) -> None:
        self.stats.ignored_messages += 1

    def _product_update(self, arguments: Any) -> None:
        """A `ProductUpdate`: one observation (a list of them is read as well)."""
        items = arguments if isinstance(arguments, list) else [arguments]
        for item in items:
            observation = parse_observation(item)
            if observation is None or observation.charger_id not in self._charger_ids:
                self.stats.ignored_messages += 1
                continue
            self.stats.observations += 1
            self._on_observation(observation)
