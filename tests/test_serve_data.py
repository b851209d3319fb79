"""The data points end to end, through the real `python -m skill serve` over TCP with signed
requests and its embedded SQLite store: a session's progress is stored, SkillDisabled
erases it, and no byte of the user id is left in the database file or its log.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest

from tests import web_certs as wc
from tests.serve_process import Serve, verified_env

pytestmark = pytest.mark.real_clock  # signed requests carry the real time

USER = b"amzn1.ask.account.TESTUSER5"  # web_certs.envelope's user


def post(port: int, signer: wc.Signer, event: dict[str, Any]) -> dict[str, Any]:
    data = wc.body(event)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/", body=data, headers=wc.signed_headers(signer, data))
        reply = conn.getresponse()
        assert reply.status == 200
        answer: dict[str, Any] = json.loads(reply.read())
    finally:
        conn.close()
    return answer


def test_skill_disabled_through_serve_leaves_no_byte_of_the_user(
    pki: wc.TestPKI, signer: wc.Signer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with wc.ChainServer({wc.CERT_PATH: signer.chain_pem}) as s3:
        env = verified_env(pki, s3, tmp_path) | {"PROGRESS_DB": str(data / "progress.sqlite3")}
        with Serve(env, tmp_path / "serve.log") as server:
            answer = post(server.port, signer, wc.launch())
            for name in ("AMAZON.NoIntent", "AMAZON.NextIntent", "AMAZON.NextIntent"):
                attributes = answer.get("sessionAttributes") or {}
                answer = post(server.port, signer, wc.intent(name, attributes))
            attributes = answer.get("sessionAttributes") or {}
            post(server.port, signer, wc.intent("AMAZON.StopIntent", attributes))

            def stored() -> bytes:
                return b"".join(p.read_bytes() for p in data.iterdir())

            assert USER in stored()
            gone = post(server.port, signer, wc.skill_disabled())
            assert "outputSpeech" not in gone["response"]
            assert USER not in stored()
            assert server.stop() == 0
        assert USER not in stored()
    log = server.output()
    assert "ERASE_FAILED" not in log and "Traceback" not in log
    assert USER.decode() not in log
