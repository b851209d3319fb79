"""The buffering front of `python -m skill serve`: whole requests in, one fast hop out.

gunicorn's sync workers are the right model for this app (short, CPU-bound requests), but
a sync worker reads its request itself: a client sending one byte a second holds that
worker, and two of them freeze the endpoint. gunicorn's answer is a buffering proxy in
front. This is that proxy, small and in-process: an asyncio server that reads each request
(headers and body) in full, on a deadline, and only then hands it to gunicorn over a
private Unix socket. Slow clients cost an idle coroutine each, never a worker; a request
not complete within REQUEST_DEADLINE_S of the connection opening is answered 408 and
dropped.

One request per connection (the answer says `Connection: close`): proxies and Alexa
reconnect at no visible cost, and no idle connection outlives its deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
from dataclasses import dataclass

log = logging.getLogger("skill.web.front")

REQUEST_DEADLINE_S = 10.0  # from the connection opening to the last byte of the body
BACKEND_TIMEOUT_S = 35.0  # gunicorn's own worker timeout (30 s) answers first
MAX_HEAD_BYTES = 16 * 1024  # request line and headers; Alexa's are about 2 KB
MAX_BODY_BYTES = 64 * 1024  # as the app's cap (skill.web.app.MAX_BODY_BYTES)
MAX_RESPONSE_BYTES = 1024 * 1024  # the app answers a few KB
MAX_CONNECTIONS = 1024  # open client connections; more are closed at once
WRITE_TIMEOUT_S = 10.0  # a client that will not read its answer is dropped too

# Hop-by-hop headers (RFC 9110 section 7.6.1) and the framing we set ourselves.
_NOT_FORWARDED = frozenset(
    {
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
        "transfer-encoding", "content-length", "expect",
    }
)  # fmt: skip
_REASONS = {400: "Bad Request", 408: "Request Timeout", 503: "Service Unavailable"}


class Refused(Exception):
    """The request is not something we forward; answered with `status`."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes

    def forwardable(self, client: str) -> bytes:
        lines = [f"{self.method} {self.target} HTTP/1.1"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        lines += [
            f"Content-Length: {len(self.body)}",
            f"X-Forwarded-For: {client}",
            "Connection: close",
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def answer(status: int, reason: str) -> bytes:
    body = json.dumps({"error": reason}).encode()
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


async def read_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Request:
    """One whole request: head up to MAX_HEAD_BYTES, body exactly Content-Length bytes."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise Refused(400, "headers too large") from None
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise Refused(400, "bad request line")
    method, target, version = parts
    headers: list[tuple[str, str]] = []
    length: int | None = None
    expect_continue = False
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not name or name != line.partition(":")[0] or " " in name:
            raise Refused(400, "bad header")
        lower = name.lower()
        if lower == "transfer-encoding":
            raise Refused(400, "a Content-Length is required")
        if lower == "content-length":
            if not value.isdigit() or (length is not None and int(value) != length):
                raise Refused(400, "bad Content-Length")
            length = int(value)
        elif lower == "expect":
            expect_continue = value.lower() == "100-continue"
        if lower not in _NOT_FORWARDED:
            headers.append((name, value))
    length = length or 0
    if length > MAX_BODY_BYTES:
        raise Refused(400, "body too large")
    if expect_continue and length:
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    body = await reader.readexactly(length) if length else b""
    return Request(method, target, version, headers, body)


class Front:
    """Accepts clients on `listener`, forwards whole requests to gunicorn at `backend`."""

    def __init__(self, listener: socket.socket, backend: str) -> None:
        self.listener, self.backend = listener, backend
        self.open = 0

    async def serve(self) -> None:
        server = await asyncio.start_server(
            self.connection, sock=self.listener, limit=MAX_HEAD_BYTES, backlog=1024
        )
        async with server:
            await server.serve_forever()

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        try:
            if self.open > MAX_CONNECTIONS:
                return
            reply = await self.exchange(reader, writer)
            writer.write(reply)
            await asyncio.wait_for(writer.drain(), WRITE_TIMEOUT_S)
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass  # the client left or would not read: nothing to tell it
        finally:
            self.open -= 1
            await self.close(writer)

    @staticmethod
    async def close(writer: asyncio.StreamWriter) -> None:
        """Close after the answer is sent; a client that will not take it is cut off."""
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), WRITE_TIMEOUT_S)
        except (OSError, TimeoutError):
            writer.transport.abort()

    async def exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        peer = writer.get_extra_info("peername")
        client = str(peer[0]) if isinstance(peer, tuple) else "-"
        try:
            request = await asyncio.wait_for(read_request(reader, writer), REQUEST_DEADLINE_S)
        except TimeoutError:
            log.warning(
                "dropped a request from %s: not complete within %.0f s", client, REQUEST_DEADLINE_S
            )
            return answer(408, "request timeout")
        except Refused as refused:
            log.warning("refused a request from %s: %s", client, refused)
            return answer(refused.status, "bad request")
        try:
            return await asyncio.wait_for(self.forward(request, client), BACKEND_TIMEOUT_S)
        except (OSError, TimeoutError, Refused) as error:
            log.error("the app did not answer: %s", type(error).__name__)
            return answer(503, "unavailable")

    async def forward(self, request: Request, client: str) -> bytes:
        reader, writer = await asyncio.open_unix_connection(self.backend)
        try:
            writer.write(request.forwardable(client))
            await writer.drain()
            reply = await reader.read(MAX_RESPONSE_BYTES + 1)
            chunks = [reply]
            while reply and sum(map(len, chunks)) <= MAX_RESPONSE_BYTES:
                reply = await reader.read(MAX_RESPONSE_BYTES)
                chunks.append(reply)
        finally:
            writer.close()
        whole = b"".join(chunks)
        if len(whole) > MAX_RESPONSE_BYTES or not whole.startswith(b"HTTP/1."):
            raise Refused(503, "backend answer unusable")
        return whole


def run(listener_fd: int, backend: str, parent: int) -> None:
    """The front's process: serve until told to stop or until `parent` is gone."""
    listener = socket.socket(fileno=listener_fd)
    listener.setblocking(False)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        serving = asyncio.ensure_future(Front(listener, backend).serve())
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, serving.cancel)
        while not serving.done():
            if os.getppid() != parent:  # serve's main process died: do not linger
                serving.cancel()
            await asyncio.wait([serving], timeout=1.0)
        with contextlib.suppress(asyncio.CancelledError):
            await serving

    asyncio.run(main())


def main(argv: list[str]) -> int:
    """`python -m skill.web.front LISTENER_FD BACKEND_SOCKET PARENT_PID` (started by serve)."""
    from skill.config import config, configure_logging

    configure_logging(config(), "%(asctime)s %(levelname)s %(name)s: %(message)s")
    run(int(argv[0]), argv[1], int(argv[2]))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
