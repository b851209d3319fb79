"""The ASK SDK's ApiClient for Alexa's own APIs (Settings API now, Reminders later).

Three rules, each for a reason:
- Alexa's API hosts only. A request names its `apiEndpoint` and the SDK sends the
  user's API token there as a bearer header, so a forged or mistaken endpoint would
  hand the token to anyone. Only https on api.amazonalexa.com, api.eu.amazonalexa.com
  and api.fe.amazonalexa.com is accepted; a loopback endpoint (http or https on
  127.0.0.1 or localhost, for tests and local development) only when
  ALEXA_API_ALLOW_LOOPBACK=1 is set. Never by default.
- Bounded: every connect and read has a timeout (DefaultApiClient has none), and
  callers bound the whole call, DNS included (see skill/alexa/session_start.py).
- Warm: connections are kept alive across invocations of a warm container, at most
  a few idle per host and only for a short idle time, so a returning user's session
  start pays no TCP or TLS handshake. Nothing is opened before the first request,
  and `close()` (run after a SnapStart restore) drops every kept connection.

Standard library only: importing `requests` (what DefaultApiClient uses) costs about
25 ms of every cold start. http.client and ssl (with email, socket: ~8 ms) are imported
by the first call, so a first answer that makes none (no API endpoint, or a refused one)
never loads them.
"""

from __future__ import annotations

import json
import os
import select
import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse
from msgspec import Struct

if TYPE_CHECKING:
    import http.client
    import ssl

ALEXA_API_HOSTS = frozenset(
    {"api.amazonalexa.com", "api.eu.amazonalexa.com", "api.fe.amazonalexa.com"}
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
ALLOW_LOOPBACK = "ALEXA_API_ALLOW_LOOPBACK"

# Seconds for the connection and for each read. The replies are a few hundred bytes.
API_TIMEOUT = 0.5
# Idle connections kept per host, and for how long. Servers close idle keep-alive
# connections after a while (Alexa's limit is not documented); a connection found
# closed is replaced, so this only trades a handshake against a wasted socket.
IDLE_PER_HOST = 2
MAX_IDLE_SECONDS = 25.0
# Methods that may be sent twice: a kept connection the server had already closed
# fails before any answer, and only these are retried on a fresh connection.
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def loopback_allowed() -> bool:
    return os.environ.get(ALLOW_LOOPBACK) == "1"


class Origin(Struct, frozen=True):
    scheme: str
    host: str
    port: int


def allowed_origin(url: str | None, allow_loopback: bool) -> Origin:
    """Where a request may go, or ApiClientException before any byte is sent."""
    try:
        parts = urlsplit(url or "")
        scheme, host, port = parts.scheme.lower(), (parts.hostname or ""), parts.port
    except ValueError as error:  # a port that is not a number
        raise ApiClientException("Refused: not an Alexa API endpoint.") from error
    if parts.username is not None or parts.password is not None:
        raise ApiClientException("Refused: not an Alexa API endpoint.")
    if host in ALEXA_API_HOSTS and scheme == "https" and port in (None, 443):
        return Origin("https", host, 443)
    if allow_loopback and host in LOOPBACK_HOSTS and scheme in ("http", "https"):
        return Origin(scheme, host, port or (443 if scheme == "https" else 80))
    raise ApiClientException("Refused: not an Alexa API endpoint.")


class ConnectionPool:
    """Idle keep-alive connections by origin: bounded in number and in idle time."""

    def __init__(self, per_origin: int = IDLE_PER_HOST, max_idle: float = MAX_IDLE_SECONDS) -> None:
        self.per_origin, self.max_idle = per_origin, max_idle
        self._idle: dict[Origin, list[tuple[float, http.client.HTTPConnection]]] = {}
        self._lock = threading.Lock()
        self.opened = 0  # connections ever opened (tests and benchmarks read it)

    def take(self, origin: Origin) -> http.client.HTTPConnection | None:
        """A kept connection that still looks open, or None."""
        while True:
            with self._lock:
                idle = self._idle.get(origin)
                if not idle:
                    return None
                since, connection = idle.pop()
            if time.monotonic() - since <= self.max_idle and _looks_open(connection):
                return connection
            connection.close()

    def give(self, origin: Origin, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            if len(idle) < self.per_origin:
                idle.append((time.monotonic(), connection))
                return
        connection.close()

    def idle_count(self) -> int:
        with self._lock:
            return sum(len(idle) for idle in self._idle.values())

    def clear(self) -> None:
        """Close every kept connection (after a snapshot restore, at shutdown)."""
        with self._lock:
            kept = [connection for idle in self._idle.values() for _, connection in idle]
            self._idle.clear()
        for connection in kept:
            connection.close()


def _looks_open(connection: http.client.HTTPConnection) -> bool:
    # An idle connection has nothing to read: readable means the server closed it.
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class AlexaApiClient(ApiClient):
    """The ASK SDK's ApiClient on the standard library: allowed hosts, bounded, kept alive.

    `verify` is True (system CAs) or a CA bundle path (tests serve the Settings API
    with their own certificate). `allow_loopback` None reads ALEXA_API_ALLOW_LOOPBACK
    at each call.
    """

    def __init__(
        self,
        timeout: float = API_TIMEOUT,
        verify: bool | str = True,
        allow_loopback: bool | None = None,
        pool: ConnectionPool | None = None,
    ) -> None:
        self.timeout = timeout
        self.verify = verify
        self.allow_loopback = allow_loopback
        self.pool = pool or ConnectionPool()
        self._context: ssl.SSLContext | None = None
        self._context_lock = threading.Lock()

    def context(self) -> ssl.SSLContext:
        """The TLS context (loading the CA bundle costs ~20 ms: built at init on Lambda)."""
        if self._context is None:
            with self._context_lock:
                if self._context is None:
                    import ssl

                    cafile = self.verify if isinstance(self.verify, str) else None
                    self._context = ssl.create_default_context(cafile=cafile)
        return self._context

    def close(self) -> None:
        self.pool.clear()

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        allow = loopback_allowed() if self.allow_loopback is None else self.allow_loopback
        origin = allowed_origin(request.url, allow)
        parts = urlsplit(request.url or "")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        method = (request.method or "GET").upper()
        headers: dict[str, str] = {}
        for key, value in request.headers or []:
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        data = None
        if request.body:
            body = request.body
            data = (json.dumps(body) if not isinstance(body, str) else body).encode()
        try:
            status, reply_headers, raw = self._exchange(origin, method, target, data, headers)
        except Exception as error:
            # Never the error text: it can carry the device id from the URL.
            raise ApiClientException(
                f"Error executing the request: {type(error).__name__}"
            ) from error
        return ApiClientResponse(
            headers=reply_headers, status_code=status, body=raw.decode("utf-8", "replace")
        )

    def _exchange(
        self,
        origin: Origin,
        method: str,
        target: str,
        data: bytes | None,
        headers: dict[str, str],
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        import http.client

        kept = self.pool.take(origin)
        if kept is not None:
            try:
                return self._send(origin, kept, method, target, data, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # Closed by the server while it sat idle: only a repeatable request
                # is sent again, on a fresh connection.
                if method not in IDEMPOTENT:
                    raise
        return self._send(origin, self._connect(origin), method, target, data, headers)

    def _connect(self, origin: Origin) -> http.client.HTTPConnection:
        import http.client

        self.pool.opened += 1
        if origin.scheme == "https":
            return http.client.HTTPSConnection(
                origin.host, origin.port, timeout=self.timeout, context=self.context()
            )
        return http.client.HTTPConnection(origin.host, origin.port, timeout=self.timeout)

    def _send(
        self,
        origin: Origin,
        connection: http.client.HTTPConnection,
        method: str,
        target: str,
        data: bytes | None,
        headers: dict[str, str],
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            connection.request(method, target, body=data, headers=headers)
            answer = connection.getresponse()
            raw = answer.read()
        except BaseException:
            connection.close()
            raise
        if answer.will_close:
            connection.close()
        else:
            self.pool.give(origin, connection)
        return answer.status, list(answer.getheaders()), raw


# The name the hosts and tests already use.
BoundedApiClient = AlexaApiClient
