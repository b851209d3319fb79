"""The real `python -m skill serve` as a subprocess on a free loopback port, verifying
requests signed by the test CA (certificate chain from a loopback stand-in for S3).

Shared by the web tests that attack the server over TCP, and by benchmarks/web_throughput.py.
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests import suite_clock
from tests import web_certs as wc


def verified_env(pki: wc.TestPKI, s3: wc.ChainServer, folder: Path) -> dict[str, str]:
    (folder / "ca.pem").write_bytes(pki.root_pem)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALEXA_", "TRUSTED_"))}
    return suite_clock.real_env(env) | {  # signed requests carry the real time
        "ALEXA_SKILL_ID": wc.SKILL_ID,
        "ALEXA_CERT_ROOTS": str(folder / "ca.pem"),
        "ALEXA_TEST_CERT_MIRROR": s3.base,
        "PROGRESS_DB": str(folder / "progress.sqlite3"),
        "PROGRESS_TABLE": "",
    }


def _file_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return apply


class Serve:
    """`python -m skill serve --port <free>` (or another command given in full), in its
    own process group, output to `log`; waits for /health."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        args: tuple[str, ...] = (),
        *,
        command: list[str] | None = None,
        file_limit: int | None = None,
    ) -> None:
        self.port = wc.free_port()
        self.cmd = command or [sys.executable, "-m", "skill", "serve", "--port", str(self.port)]
        self.cmd = [part.replace("{port}", str(self.port)) for part in self.cmd] + list(args)
        self.env, self.log, self.file_limit = env, log, file_limit
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Serve:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.cmd,
                env=self.env,
                cwd=wc.REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, as under systemd
                preexec_fn=_file_limit(self.file_limit) if self.file_limit else None,
            )
        try:
            wc.wait_for_health(self.port, 20, self.proc)
        except RuntimeError as error:
            self.__exit__()
            raise RuntimeError(f"{error}: {self.output()}") from None
        return self

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM to the whole process group (what systemd and `timeout` send)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.stop()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def signed_launch(port: int, signer: wc.Signer, timeout: float = 5) -> float:
    """One signed LaunchRequest on a fresh connection; seconds until the whole answer."""
    data = wc.body(wc.launch())
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/", body=data, headers=wc.signed_headers(signer, data))
        reply = conn.getresponse()
        out: Any = json.loads(reply.read())
    finally:
        conn.close()
    assert reply.status == 200 and out["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    return time.perf_counter() - started


def raw_exchange(port: int, data: bytes, timeout: float = 5) -> bytes:
    """Send bytes as they are; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        chunks = []
        try:
            sock.sendall(data)
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:  # answered and closed before reading all we sent
            pass
    return b"".join(chunks)


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(int(len(ordered) * 0.99) - 1, 0)] if ordered else float("inf")
