"""A TCP relay on loopback that adds network latency, counts connections, and can hold
an answer until something else has happened: a real network between the skill and a
local server, for the concurrency tests and the latency benchmark.

Latency model: each chunk the client sends reaches the server `delay` seconds later
(one round trip's worth, charged on the way out), and the first chunk of a new
connection one `delay` more (the TCP handshake). Chunks keep their order and overlap
in flight, as on a real link. Answers travel back at once, unless `hold_answers`
says to wait.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections.abc import Callable


class DelayRelay:
    def __init__(self, target_host: str, target_port: int, delay: float = 0.0) -> None:
        self.target = (target_host, target_port)
        self.delay = delay
        self.connections = 0  # connections accepted
        self.requests_seen = threading.Event()  # the client sent its first bytes
        # Called (on the relay's thread) before the first answer chunk of each
        # connection is passed back; it may block, and should bound itself.
        self.hold_answers: Callable[[], None] | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(32)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def endpoint(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Stop listening (connection refused from now on) and cut every connection."""
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in flight
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.close()
            self._open.clear()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=2)
                upstream.settimeout(None)
                for conn in (client, upstream):  # the delay is ours alone, not Nagle's
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                self._open.update({client, upstream})
            threading.Thread(target=self._outbound, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._inbound, args=(upstream, client), daemon=True).start()

    def _outbound(self, client: socket.socket, upstream: socket.socket) -> None:
        """Client to server, each chunk `delay` late (the first one twice that)."""
        chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
        threading.Thread(target=self._deliver, args=(chunks, upstream), daemon=True).start()
        extra = self.delay  # the TCP handshake of a new connection
        try:
            while data := client.recv(65536):
                self.requests_seen.set()
                chunks.put((time.monotonic() + self.delay + extra, data))
                extra = 0.0
        except OSError:
            pass
        chunks.put((0.0, b""))

    def _deliver(self, chunks: queue.Queue[tuple[float, bytes]], sink: socket.socket) -> None:
        try:
            while True:
                due, data = chunks.get()
                if not data:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def _inbound(self, upstream: socket.socket, client: socket.socket) -> None:
        first = True
        try:
            while data := upstream.recv(65536):
                if first and self.hold_answers is not None:
                    self.hold_answers()
                first = False
                client.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (upstream, client):
                with contextlib.suppress(OSError):
                    conn.close()
