"""The endpoint over real HTTP: gunicorn as documented, verification on, a signed conversation.

The certificate chain is served by a loopback stand-in for S3 (ALEXA_TEST_CERT_MIRROR) and
trusted through ALEXA_CERT_ROOTS; everything else is the production configuration.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import suite_clock
from tests import web_certs as wc

pytestmark = pytest.mark.real_clock  # signed requests carry the real time


@pytest.fixture(scope="module")
def server(
    pki: wc.TestPKI, signer: wc.Signer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[wc.Gunicorn]:
    tmp = tmp_path_factory.mktemp("web")
    (tmp / "ca.pem").write_bytes(pki.root_pem)
    with wc.ChainServer({wc.CERT_PATH: signer.chain_pem}) as s3:
        env = {
            "ALEXA_SKILL_ID": wc.SKILL_ID,
            "ALEXA_CERT_ROOTS": str(tmp / "ca.pem"),
            "ALEXA_TEST_CERT_MIRROR": s3.base,
            "PROGRESS_DB": str(tmp / "progress.sqlite3"),
            "PROGRESS_TABLE": "",
        }
        app = "skill.web.app:create_app()"  # exactly as docs/self-hosting.md says
        with wc.Gunicorn(app, env, workers=2, log=tmp / "gunicorn.log") as gunicorn:
            yield gunicorn


def send(port: int, data: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/", body=data, headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def turn(port: int, signer: wc.Signer, event: dict[str, Any]) -> dict[str, Any]:
    data = wc.body(event)
    status, out = send(port, data, wc.signed_headers(signer, data))
    assert status == 200, out
    assert out["version"] == "1.0"
    assert isinstance(out["response"], dict)
    return out


def assert_speaks(out: dict[str, Any]) -> None:
    speech = out["response"]["outputSpeech"]
    assert speech["type"] == "SSML"
    assert speech["ssml"].startswith("<speak>")


def test_signed_conversation_through_gunicorn(server: wc.Gunicorn, signer: wc.Signer) -> None:
    out = turn(server.port, signer, wc.launch())
    assert_speaks(out)
    attributes = out.get("sessionAttributes") or {}
    out = turn(server.port, signer, wc.intent("AMAZON.HelpIntent", attributes))
    assert_speaks(out)
    assert out["response"].get("shouldEndSession") in (False, None)  # help keeps listening
    attributes = out.get("sessionAttributes") or attributes
    turn(server.port, signer, wc.session_ended(attributes))


def test_tampered_request_refused_through_gunicorn(server: wc.Gunicorn, signer: wc.Signer) -> None:
    data = wc.body(wc.launch())
    headers = wc.signed_headers(signer, data)
    status, out = send(server.port, data.replace(b"en-US", b"en-GB"), headers)
    assert (status, out) == (400, {"error": "bad request"})
    time.sleep(0.2)  # let the worker flush its log line
    log = server.log.read_text() if server.log else ""
    assert "refused Alexa request" in log and "signature does not match" in log
    assert "Traceback" not in log


def test_chunked_oversized_body_refused(server: wc.Gunicorn) -> None:
    # No Content-Length: the cap must hold while the body is read.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    chunks = (b"x" * 8192 for _ in range(12))  # 96 KiB
    conn.request("POST", "/", body=chunks, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    assert resp.status == 400
    assert json.loads(resp.read()) == {"error": "bad request"}
    conn.close()
    time.sleep(0.2)
    assert "body over 65536 bytes" in (server.log.read_text() if server.log else "")


def test_health_through_gunicorn(server: wc.Gunicorn) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/health")
    resp = conn.getresponse()
    assert (resp.status, json.loads(resp.read())) == (200, {"status": "ok"})
    conn.close()


# -- python -m skill serve ---------------------------------------------------------------------


def _serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    return (
        suite_clock.real_env(env)
        | {"PROGRESS_DB": str(tmp_path / "p.sqlite3"), "PROGRESS_TABLE": ""}
        | extra
    )


def test_serve_refuses_to_start_without_skill_id(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "skill", "serve", "--port", str(wc.free_port())],
        env=_serve_env(tmp_path),
        cwd=wc.REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "ALEXA_SKILL_ID is not set" in proc.stderr


def test_serve_no_verify_warns_loudly_and_answers(tmp_path: Path) -> None:
    port = wc.free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "skill", "serve", "--port", str(port), "--no-verify"],
            env=_serve_env(tmp_path),
            cwd=wc.REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wc.wait_for_health(port, proc=proc)
            data = wc.body(wc.launch(skill_id="amzn1.ask.skill.anything"))
            code, answer = send(port, data, {"Content-Type": "application/json"})
            assert code == 200 and answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log.read_text()
    assert "ALEXA REQUEST VERIFICATION IS OFF" in text
    assert text.count("!!") > 10  # a banner, not a whisper
