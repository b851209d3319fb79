"""`python -m skill serve` against slow clients, over loopback: the real server command.

50 clients send their headers at one byte a second and 50 more their bodies; each is
dropped about 10 s after it connected and reconnects at once (as an attacker would),
while signed Alexa requests keep being answered with a p99 under one second.
Bounded: about 20 s in all.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import web_certs as wc

SLOW_CLIENTS = 50  # of each kind: slow headers, slow bodies
MEASURE_S = 16.0  # every slow client is dropped and reconnects within this
DEADLINE_S = 10.0  # the front's request deadline (skill.web.front.REQUEST_DEADLINE_S)
AIM_P99_S = 1.0


@pytest.fixture
def serve(pki: wc.TestPKI, signer: wc.Signer, tmp_path: Path) -> Iterator[int]:
    (tmp_path / "ca.pem").write_bytes(pki.root_pem)
    port = wc.free_port()
    with wc.ChainServer({wc.CERT_PATH: signer.chain_pem}) as s3:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")} | {
            "ALEXA_SKILL_ID": wc.SKILL_ID,
            "ALEXA_CERT_ROOTS": str(tmp_path / "ca.pem"),
            "ALEXA_TEST_CERT_MIRROR": s3.base,
            "PROGRESS_DB": str(tmp_path / "progress.sqlite3"),
            "PROGRESS_TABLE": "",
        }
        with (tmp_path / "serve.log").open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "skill", "serve", "--port", str(port)],
                env=env,
                cwd=wc.REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_until_up(port)
                yield port
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)


def wait_until_up(port: int, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("serve did not come up")


class SlowClients:
    """Many sockets trickling one byte a second; each reconnects when dropped."""

    HEAD = b"POST / HTTP/1.1\r\nHost: skill\r\nContent-Type: application/json\r\n" + (
        b"X-Padding: " + b"p" * 200 + b"\r\n"
    )

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.lifetimes: list[float] = []  # seconds from connect to drop
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def open(self, kind: str) -> dict[str, Any]:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.setblocking(False)
        if kind == "body":  # whole headers at once, then the body at a byte a second
            sock.send(self.HEAD + b"Content-Length: 5000\r\n\r\n")
            rest = b"{" + b" " * 4999
        else:
            rest = self.HEAD * 20
        return {"sock": sock, "kind": kind, "opened": time.monotonic(), "rest": rest}

    def run(self) -> None:
        clients = [self.open(k) for k in ("head", "body") for _ in range(self.count)]
        next_byte = time.monotonic()
        while not self.stop.is_set():
            readable, _, _ = select.select([c["sock"] for c in clients], [], [], 0.2)
            now = time.monotonic()
            dropped = set(readable)  # an answer (408) or a closed connection
            if now >= next_byte:
                next_byte = now + 1.0
                for client in clients:
                    try:
                        client["sock"].send(client["rest"][:1])
                        client["rest"] = client["rest"][1:]
                    except OSError:
                        dropped.add(client["sock"])
            for i, client in enumerate(clients):
                if client["sock"] in dropped:
                    self.lifetimes.append(now - client["opened"])
                    client["sock"].close()
                    clients[i] = self.open(client["kind"])
        for client in clients:
            client["sock"].close()


def signed_launch(port: int, signer: wc.Signer) -> float:
    data = wc.body(wc.launch())
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/", body=data, headers=wc.signed_headers(signer, data))
        reply = conn.getresponse()
        out = json.loads(reply.read())
    finally:
        conn.close()
    assert reply.status == 200 and out["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    return time.perf_counter() - started


def test_slow_clients_cannot_freeze_serve(serve: int, signer: wc.Signer) -> None:
    signed_launch(serve, signer)  # the certificate is fetched and cached once
    slow = SlowClients(serve, SLOW_CLIENTS)
    slow.thread.start()
    latencies: list[float] = []
    errors: list[str] = []
    try:
        time.sleep(1.0)  # every slow client is connected and trickling
        end = time.monotonic() + MEASURE_S
        while time.monotonic() < end:
            try:
                latencies.append(signed_launch(serve, signer))
            except (OSError, AssertionError, ValueError) as exc:
                errors.append(type(exc).__name__)
            time.sleep(0.02)
    finally:
        slow.stop.set()
        slow.thread.join(10)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else float("inf")
    p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)] if latencies else float("inf")
    print(
        f"\nsigned requests under {2 * SLOW_CLIENTS} slow clients: {len(latencies)} answered, "
        f"{len(errors)} failed, p50 {p50 * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms (aim < {AIM_P99_S * 1000:.0f} ms); "
        f"slow clients dropped after {min(slow.lifetimes, default=0):.1f}-"
        f"{max(slow.lifetimes, default=0):.1f} s"
    )
    assert errors == [] and len(latencies) > 50
    assert p99 < AIM_P99_S
    # Every first-round slow client was dropped at the deadline, and no sooner.
    assert len(slow.lifetimes) >= 2 * SLOW_CLIENTS
    assert all(DEADLINE_S - 0.5 < life < DEADLINE_S + 3.0 for life in slow.lifetimes)


def raw_exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_the_front_refuses_what_it_cannot_bound(serve: int) -> None:
    post = b"POST / HTTP/1.1\r\nHost: skill\r\n"
    chunked = raw_exchange(
        serve, post + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    assert chunked.startswith(b"HTTP/1.1 400 ")
    too_long = raw_exchange(serve, post + b"Content-Length: 70000\r\n\r\n{}")
    assert too_long.startswith(b"HTTP/1.1 400 ")
    big_head = raw_exchange(serve, post + b"X-Big: " + b"b" * 20000 + b"\r\n\r\n")
    assert big_head.startswith(b"HTTP/1.1 400 ")
    bad_line = raw_exchange(serve, b"HELLO\r\n\r\n")
    assert bad_line.startswith(b"HTTP/1.1 400 ")
    health = raw_exchange(serve, b"GET /health HTTP/1.1\r\nHost: skill\r\n\r\n")
    assert health.startswith(b"HTTP/1.1 200 ") and health.endswith(b'{"status": "ok"}')
    assert b"connection: close" in health.lower()
    unsigned = raw_exchange(serve, post + b"Content-Length: 2\r\n\r\n{}")
    assert unsigned.startswith(b"HTTP/1.1 400 ")  # reached the app, which verifies
