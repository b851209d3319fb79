"""Alexa request verification: every rule, through the Flask app, with a locally generated CA.

Most tests inject the certificate download (the process edge); the download
itself is tested against real loopback servers at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from skill.config import config
from skill.web import verify as v
from skill.web.app import ConfigError, _mirror_fetch, create_app, verifier_from_env
from tests import web_certs as wc

pytestmark = pytest.mark.real_clock  # signed requests carry the real time


@pytest.fixture(autouse=True)
def _progress_db(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The real skill handler answers valid requests; keep its embedded store in a temp file.
    monkeypatch.setenv("PROGRESS_DB", str(tmp_path / "progress.sqlite3"))
    config.cache_clear()
    yield
    config.cache_clear()


class Edge:
    """The certificate download, faked at the process edge: URL -> PEM, and a call log."""

    def __init__(self, chains: dict[str, bytes]) -> None:
        self.chains = chains
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if url not in self.chains:
            raise v.VerificationError("certificate download answered HTTP 404")
        return self.chains[url]


def make_client(
    pki: wc.TestPKI,
    chain: bytes,
    handler: Callable[..., dict[str, Any]] | None = None,
    clock: v.Clock | None = None,
) -> tuple[Any, Edge]:
    edge = Edge({wc.CERT_URL: chain})
    verifier = v.AlexaVerifier(
        skill_id=wc.SKILL_ID, roots=[pki.root], fetch=edge, clock=clock or v._utcnow
    )
    return create_app(verifier, handler=handler).test_client(), edge


def post(client: Any, data: bytes, headers: dict[str, str]) -> Any:
    return client.post("/", data=data, headers=headers)


def signed_post(
    client: Any, signer: wc.Signer, event: dict[str, Any], url: str = wc.CERT_URL
) -> Any:
    data = wc.body(event)
    return post(client, data, wc.signed_headers(signer, data, url))


def assert_refused(resp: Any) -> None:
    assert resp.status_code == 400
    assert resp.get_json() == {"error": "bad request"}


# -- the happy path ----------------------------------------------------------------------------


def test_valid_launch_is_answered_by_the_skill(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, edge = make_client(pki, signer.chain_pem)
    resp = signed_post(client, signer, wc.launch())
    assert resp.status_code == 200
    out = resp.get_json()
    assert out["version"] == "1.0"
    assert out["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert edge.calls == ["https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"]


def test_certificate_is_downloaded_once_and_cached(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, edge = make_client(pki, signer.chain_pem)
    for _ in range(3):
        assert signed_post(client, signer, wc.launch()).status_code == 200
    assert len(edge.calls) == 1


def test_cached_certificate_stops_working_when_it_expires(pki: wc.TestPKI) -> None:
    signer = pki.signer(valid_days=(-1, 2))
    now = [dt.datetime.now(dt.UTC)]
    client, edge = make_client(pki, signer.chain_pem, clock=lambda: now[0])
    assert signed_post(client, signer, wc.launch()).status_code == 200
    now[0] += dt.timedelta(days=3)  # past the leaf's not_valid_after
    event = wc.launch(age_seconds=-3 * 86400)  # a timestamp that is "now" for the moved clock
    assert_refused(signed_post(client, signer, event))
    assert len(edge.calls) == 2  # the expired entry was dropped and the chain re-checked


def test_health() -> None:
    client = create_app(verify=False, handler=lambda e, c: {}).test_client()
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_leaf_signed_directly_by_the_root_is_accepted(pki: wc.TestPKI) -> None:
    signer = pki.signer(with_intermediate=False)
    client, _ = make_client(pki, signer.chain_pem)
    assert signed_post(client, signer, wc.launch()).status_code == 200


def test_leaf_without_server_auth_eku_is_accepted(pki: wc.TestPKI) -> None:
    # Amazon requires only SAN + trusted chain; the EKU relaxation is deliberate (verify.py).
    signer = pki.signer(eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    client, _ = make_client(pki, signer.chain_pem)
    assert signed_post(client, signer, wc.launch()).status_code == 200


def test_skill_id_from_session_when_context_lacks_it(pki: wc.TestPKI, signer: wc.Signer) -> None:
    event = wc.launch()
    del event["context"]["System"]["application"]
    client, _ = make_client(pki, signer.chain_pem)
    assert signed_post(client, signer, event).status_code == 200


def test_skill_event_half_an_hour_old_is_accepted(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    resp = signed_post(client, signer, wc.skill_disabled(age_seconds=30 * 60))
    assert resp.status_code == 200


def test_request_a_little_old_is_accepted(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    assert signed_post(client, signer, wc.launch(age_seconds=100)).status_code == 200


# -- the certificate URL -----------------------------------------------------------------------

GOOD_URLS = [
    # Amazon's documented examples of valid URLs
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://S3.AmazonAWS.com/echo.api/echo-api-cert.pem",
]
BAD_URLS = {
    "scheme": "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "host": "https://notamazon.com/echo.api/echo-api-cert.pem",
    "host suffix": "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    "path case": "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "path": "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "traversal": "https://s3.amazonaws.com/echo.api/../x",
    "encoded traversal": "https://s3.amazonaws.com/echo.api/%2e%2e/x",
    "port": "https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem",
    "bad port": "https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem",
    "userinfo": "https://evil@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "directory": "https://s3.amazonaws.com/echo.api/",
    "empty": "not a url",
}


@pytest.mark.parametrize("url", GOOD_URLS)
def test_valid_cert_urls_are_normalised(url: str) -> None:
    assert v.canonical_cert_url(url) == "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


@pytest.mark.parametrize("url", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_bad_cert_url_is_refused_before_any_download(
    pki: wc.TestPKI, signer: wc.Signer, url: str
) -> None:
    client, edge = make_client(pki, signer.chain_pem)
    assert_refused(signed_post(client, signer, wc.launch(), url=url))
    assert edge.calls == []


# -- the certificate chain ---------------------------------------------------------------------


def test_expired_certificate(pki: wc.TestPKI) -> None:
    signer = pki.signer(valid_days=(-30, -1))
    client, _ = make_client(pki, signer.chain_pem)
    assert_refused(signed_post(client, signer, wc.launch()))


def test_not_yet_valid_certificate(pki: wc.TestPKI) -> None:
    signer = pki.signer(valid_days=(1, 30))
    client, _ = make_client(pki, signer.chain_pem)
    assert_refused(signed_post(client, signer, wc.launch()))


def test_wrong_san(pki: wc.TestPKI) -> None:
    signer = pki.signer(san="echo-api.amazon.com.evil.example")
    client, _ = make_client(pki, signer.chain_pem)
    assert_refused(signed_post(client, signer, wc.launch()))


def test_untrusted_chain(pki: wc.TestPKI) -> None:
    other = wc.TestPKI.create("Untrusted Root CA", key_offset=3).signer()
    client, _ = make_client(pki, other.chain_pem)
    assert_refused(signed_post(client, other, wc.launch()))


def test_chain_missing_its_intermediate(pki: wc.TestPKI, signer: wc.Signer) -> None:
    leaf_only = x509.load_pem_x509_certificates(signer.chain_pem)[0]
    client, _ = make_client(pki, wc.pem(leaf_only))
    assert_refused(signed_post(client, signer, wc.launch()))


def test_download_is_not_pem(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, b"<html>AccessDenied</html>")
    assert_refused(signed_post(client, signer, wc.launch()))


# -- the signature -----------------------------------------------------------------------------


def test_tampered_body(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    data = wc.body(wc.launch())
    headers = wc.signed_headers(signer, data)
    assert_refused(post(client, data.replace(b"LaunchRequest", b"LaunchRequesT"), headers))


def test_signed_by_another_key(pki: wc.TestPKI, signer: wc.Signer) -> None:
    other = wc.TestPKI.create("Other", key_offset=3).signer()
    client, _ = make_client(pki, signer.chain_pem)
    data = wc.body(wc.launch())
    assert_refused(post(client, data, wc.signed_headers(other, data)))


def test_signature_not_base64(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    data = wc.body(wc.launch())
    headers = wc.signed_headers(signer, data) | {"Signature-256": "!!not base64!!"}
    assert_refused(post(client, data, headers))


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_missing_header(pki: wc.TestPKI, signer: wc.Signer, missing: str) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    data = wc.body(wc.launch())
    headers = wc.signed_headers(signer, data)
    del headers[missing]
    assert_refused(post(client, data, headers))


# -- the envelope ------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [200, -200], ids=["old", "future"])
def test_timestamp_outside_150_seconds(pki: wc.TestPKI, signer: wc.Signer, age: int) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    assert_refused(signed_post(client, signer, wc.launch(age_seconds=age)))


def test_skill_event_two_hours_old(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    assert_refused(signed_post(client, signer, wc.skill_disabled(age_seconds=2 * 3600)))


def test_wrong_skill_id(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    event = wc.launch(skill_id="amzn1.ask.skill.someone-else")
    assert_refused(signed_post(client, signer, event))


@pytest.mark.parametrize("data", [b"not json", b"\xff\xfe", b"[1, 2]", b'{"version": "1.0"}'])
def test_signed_but_not_an_alexa_envelope(pki: wc.TestPKI, signer: wc.Signer, data: bytes) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    assert_refused(post(client, data, wc.signed_headers(signer, data)))


def test_oversized_body(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, edge = make_client(pki, signer.chain_pem)
    event = wc.launch()
    event["padding"] = "x" * (70 * 1024)
    assert_refused(signed_post(client, signer, event))
    assert edge.calls == []


def test_non_json_without_verification() -> None:
    client = create_app(verify=False, handler=lambda e, c: {}).test_client()
    assert_refused(client.post("/", data=b"hello"))


# -- logging and faults ------------------------------------------------------------------------


def test_refusal_is_one_warning_line_and_no_trace(
    pki: wc.TestPKI, signer: wc.Signer, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = make_client(pki, signer.chain_pem)
    with caplog.at_level(logging.DEBUG, logger="skill.web"):
        resp = signed_post(client, signer, wc.launch(skill_id="amzn1.ask.skill.other"))
    assert_refused(resp)
    records = [r for r in caplog.records if r.name.startswith("skill.web")]
    assert [r.levelno for r in records] == [logging.WARNING]
    assert "application id" in records[0].getMessage()
    assert records[0].exc_info is None and "\n" not in records[0].getMessage()
    assert b"Traceback" not in resp.data


def _broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise RuntimeError("store exploded")


def test_handler_fault_speaks_an_apology(
    pki: wc.TestPKI, signer: wc.Signer, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = make_client(pki, signer.chain_pem, handler=_broken)
    event = wc.launch()
    with caplog.at_level(logging.ERROR, logger="skill.web"):
        resp = signed_post(client, signer, event)
    assert resp.status_code == 200
    out = resp.get_json()
    assert out["response"]["outputSpeech"]["ssml"] == (
        "<speak>Sorry, something went wrong on my side. You can say next, repeat, or stop.</speak>"
    )
    assert out["response"]["shouldEndSession"] is False  # the person can just say it again
    assert b"store exploded" not in resp.data
    assert event["request"]["requestId"] in caplog.text


def test_handler_fault_on_session_end_stays_silent(pki: wc.TestPKI, signer: wc.Signer) -> None:
    client, _ = make_client(pki, signer.chain_pem, handler=_broken)
    resp = signed_post(client, signer, wc.session_ended())
    assert resp.status_code == 200
    assert resp.get_json() == {"version": "1.0", "response": {}}


def test_unknown_route_and_method_answer_json() -> None:
    client = create_app(verify=False, handler=lambda e, c: {}).test_client()
    assert client.get("/nope").status_code == 404
    resp = client.get("/")
    assert resp.status_code == 405 and resp.is_json


# -- configuration -----------------------------------------------------------------------------


def test_no_skill_id_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    with pytest.raises(ConfigError, match="ALEXA_SKILL_ID"):
        create_app()


def test_verifier_from_env_reads_roots_and_mirror(pki: wc.TestPKI, tmp_path: Any) -> None:
    roots = tmp_path / "ca.pem"
    roots.write_bytes(pki.root_pem)
    env = {
        "ALEXA_SKILL_ID": wc.SKILL_ID,
        "ALEXA_CERT_ROOTS": str(roots),
        "ALEXA_TEST_CERT_MIRROR": "http://127.0.0.1:9",
    }
    verifier = verifier_from_env(env)
    assert verifier.skill_id == wc.SKILL_ID
    assert verifier.roots == [pki.root]


@pytest.mark.parametrize("mirror", ["http://example.com:80", "https://127.0.0.1:1", "ftp://::1"])
def test_test_mirror_is_loopback_http_only(mirror: str) -> None:
    with pytest.raises(ConfigError):
        _mirror_fetch(mirror)


def test_default_roots_are_certifi() -> None:
    assert len(v.load_roots(None)) > 50


# -- the download over real sockets ------------------------------------------------------------


@pytest.fixture
def chain_server(signer: wc.Signer) -> Iterator[tuple[str, dict[str, bytes]]]:
    with wc.ChainServer({wc.CERT_PATH: signer.chain_pem}) as server:
        yield server.base, server.files


def mirrored_client(pki: wc.TestPKI, base: str) -> Any:
    verifier = v.AlexaVerifier(skill_id=wc.SKILL_ID, roots=[pki.root], fetch=_mirror_fetch(base))
    return create_app(verifier).test_client()


def test_chain_downloaded_over_http(
    pki: wc.TestPKI, signer: wc.Signer, chain_server: tuple[str, dict[str, bytes]]
) -> None:
    client = mirrored_client(pki, chain_server[0])
    assert signed_post(client, signer, wc.launch()).status_code == 200


def test_chain_download_404(
    pki: wc.TestPKI, signer: wc.Signer, chain_server: tuple[str, dict[str, bytes]]
) -> None:
    client = mirrored_client(pki, chain_server[0])
    url = "https://s3.amazonaws.com/echo.api/missing.pem"
    assert_refused(signed_post(client, signer, wc.launch(), url=url))


def test_chain_download_over_size_cap(
    pki: wc.TestPKI, signer: wc.Signer, chain_server: tuple[str, dict[str, bytes]]
) -> None:
    base, files = chain_server
    files["/echo.api/huge.pem"] = signer.chain_pem * 40  # ~80 KB, over the 64 KiB cap
    client = mirrored_client(pki, base)
    url = "https://s3.amazonaws.com/echo.api/huge.pem"
    assert_refused(signed_post(client, signer, wc.launch(), url=url))


def test_unreachable_cert_url_is_answered_within_the_timeout(
    pki: wc.TestPKI, signer: wc.Signer
) -> None:
    # A socket that accepts connections (the kernel's backlog) and never answers.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        client = mirrored_client(pki, f"http://127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        resp = signed_post(client, signer, wc.launch())
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert_refused(resp)
    assert v.FETCH_TIMEOUT_S - 0.5 < elapsed < v.FETCH_TIMEOUT_S + 1.5


def test_refused_port_is_answered_quickly(pki: wc.TestPKI, signer: wc.Signer) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    client = mirrored_client(pki, f"http://127.0.0.1:{port}")
    started = time.monotonic()
    assert_refused(signed_post(client, signer, wc.launch()))
    assert time.monotonic() - started < 1.0


def test_json_helpers_round_trip() -> None:
    event = wc.launch()
    assert v.parse_json(json.dumps(event).encode()) == event
    assert v.application_id(event) == wc.SKILL_ID


@pytest.mark.parametrize(
    "stamp",
    [
        "{iso}",  # Alexa's usual form, e.g. 2026-01-01T12:00:00Z
        "{iso_ms}",  # with milliseconds
        "{iso_offset}",  # with an explicit offset
        "{epoch_ms}",  # some events carry epoch milliseconds
    ],
)
def test_timestamp_forms(stamp: str) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    forms = {
        "iso": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso_ms": now.strftime("%Y-%m-%dT%H:%M:%S.123Z"),
        "iso_offset": now.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat(),
        "epoch_ms": int(now.timestamp() * 1000),
    }
    key = stamp.strip("{}")
    event = {"request": {"type": "LaunchRequest", "timestamp": forms[key]}}
    v.check_timestamp(event, now + dt.timedelta(seconds=100))
    with pytest.raises(v.VerificationError):
        v.check_timestamp(event, now + dt.timedelta(seconds=200))


@pytest.mark.parametrize("stamp", [None, "", "yesterday", True, [1]])
def test_malformed_timestamp(stamp: Any) -> None:
    with pytest.raises(v.VerificationError, match="timestamp"):
        v.check_timestamp({"request": {"timestamp": stamp}}, dt.datetime.now(dt.UTC))
