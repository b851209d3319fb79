"""The Alexa ApiClient: Alexa's API hosts only, loopback only when allowed, kept alive.

The bearer token goes wherever the request's `apiEndpoint` says, so the refusal is
checked on the wire: a listener on loopback records every byte it receives, and a
refused endpoint must leave it with no connection at all.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest

from skill.alexa.api_client import ALLOW_LOOPBACK, AlexaApiClient, allowed_origin
from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.store.sqlite import SQLiteProgressStore
from tests.settings_api import SettingsApi

TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.BEARER-SECRET"
ZONE_PATH = "/v2/devices/amzn1.ask.device.X/settings/System.timeZone"


class Listener:
    """A plain TCP listener on loopback recording every connection and byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.3)
                data = b""
                with contextlib.suppress(OSError):
                    data = conn.recv(65536)
                self.received.append(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def request(url: str) -> ApiClientRequest:
    return ApiClientRequest(
        headers=[("Authorization", f"Bearer {TOKEN}")], method="GET", url=url, body=None
    )


# -- which endpoints ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "https://api.amazonalexa.com/v2/x",
        "https://api.eu.amazonalexa.com/v2/x",
        "https://api.fe.amazonalexa.com:443/v2/x",
        "HTTPS://API.AMAZONALEXA.COM/v2/x",
    ],
)
def test_alexa_api_hosts_over_https_are_accepted(url: str) -> None:
    origin = allowed_origin(url, allow_loopback=False)
    assert origin.scheme == "https" and origin.port == 443
    assert origin.host.endswith("amazonalexa.com")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.amazonalexa.com/v2/x",  # plain http, even to Alexa
        "https://api.amazonalexa.com:8443/v2/x",
        "https://api.amazonalexa.com.evil.example/v2/x",
        "https://evil.example/api.amazonalexa.com/v2/x",
        "https://api.amazonalexa.com@evil.example/v2/x",
        "https://evil.example#@api.amazonalexa.com",
        "https://user:pw@api.amazonalexa.com/v2/x",  # no credentials in the URL
        "https://api.amazonalexa.com./v2/x",
        "https://amazonalexa.com/v2/x",
        "https://api.amazonalexa.com:notaport/v2/x",
        "ftp://api.amazonalexa.com/v2/x",
        "https://127.0.0.1:8443/v2/x",  # loopback: refused by default
        "http://localhost:8080/v2/x",
        "",
        None,
    ],
)
def test_anything_else_is_refused_by_default(url: str | None) -> None:
    with pytest.raises(ApiClientException):
        allowed_origin(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/x", "https://127.0.0.1:8443/x", "http://localhost:9/x"],
)
def test_loopback_is_accepted_only_when_allowed(url: str) -> None:
    assert allowed_origin(url, allow_loopback=True).host in ("127.0.0.1", "localhost")


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.2/x",  # another loopback address: not on the list
        "https://[::1]/x",
        "https://10.0.0.1/x",
        "https://127.0.0.1@evil.example/x",
        "file:///etc/passwd",
    ],
)
def test_allowing_loopback_allows_nothing_else(url: str) -> None:
    with pytest.raises(ApiClientException):
        allowed_origin(url, allow_loopback=True)


def test_the_default_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_LOOPBACK, raising=False)
    with pytest.raises(ApiClientException):
        AlexaApiClient().invoke(request("http://127.0.0.1:9/x"))
    monkeypatch.setenv(ALLOW_LOOPBACK, "true")  # only exactly "1" allows it
    with pytest.raises(ApiClientException):
        AlexaApiClient().invoke(request("http://127.0.0.1:9/x"))


# -- on the wire: the token never leaves for a refused endpoint --------------------------
def launch(endpoint: str, store_path: Path) -> dict[str, Any]:
    skill = build_skill(store=SQLiteProgressStore(store_path))
    talk = Conversation(api_endpoint=endpoint, api_token=TOKEN, timestamp="2026-11-25T10:00:00Z")
    return invoke(skill, talk.launch())


def test_by_default_no_byte_reaches_a_loopback_endpoint(
    listener: Listener, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ALLOW_LOOPBACK, raising=False)
    port = listener.port
    forms = [
        f"http://127.0.0.1:{port}",
        f"https://127.0.0.1:{port}",
        f"http://localhost:{port}",
        f"https://api.amazonalexa.com@127.0.0.1:{port}",
        f"http://127.0.0.1:{port}#.api.amazonalexa.com",
    ]
    for form in forms:
        answer = launch(form, tmp_path / "progress.sqlite3")
        assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")  # still answers
    # Allowed, the same listener does get the request and the token: the check above
    # would have seen them.
    monkeypatch.setenv(ALLOW_LOOPBACK, "1")
    launch(f"http://127.0.0.1:{port}", tmp_path / "progress.sqlite3")
    listener.close()
    assert len(listener.received) == 1
    assert TOKEN.encode() in listener.received[0]


def test_the_lookup_falls_back_to_the_default_zone_when_refused(
    settings_api: SettingsApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOW_LOOPBACK, raising=False)
    client = AlexaApiClient(verify=str(settings_api.cert))
    with pytest.raises(ApiClientException):
        client.invoke(request(settings_api.endpoint + ZONE_PATH))
    assert settings_api.connections == 0 and settings_api.seen == []


# -- kept alive --------------------------------------------------------------------------
def zone(client: AlexaApiClient, endpoint: str) -> Any:
    answer = client.invoke(request(endpoint + ZONE_PATH))
    assert answer.status_code == 200
    return json.loads(answer.body)


def test_connections_are_kept_alive_and_bounded(settings_api: SettingsApi) -> None:
    client = AlexaApiClient(verify=str(settings_api.cert), allow_loopback=True)
    for _ in range(5):
        assert zone(client, settings_api.endpoint) == "America/Los_Angeles"
    assert settings_api.connections == 1 and client.pool.opened == 1
    assert client.pool.idle_count() == 1
    # Concurrent calls open more connections; only IDLE_PER_HOST of them are kept.
    threads = [
        threading.Thread(target=zone, args=(client, settings_api.endpoint)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert client.pool.idle_count() <= client.pool.per_origin


def test_a_connection_the_server_closed_is_replaced(settings_api: SettingsApi) -> None:
    settings_api.idle_timeout = 0.2  # the server closes idle connections quickly
    client = AlexaApiClient(verify=str(settings_api.cert), allow_loopback=True)
    zone(client, settings_api.endpoint)
    time.sleep(0.6)  # longer than the server keeps it: the kept connection is dead now
    assert zone(client, settings_api.endpoint) == "America/Los_Angeles"
    assert client.pool.opened == 2 and settings_api.connections == 2


def test_close_drops_kept_connections(settings_api: SettingsApi) -> None:
    client = AlexaApiClient(verify=str(settings_api.cert), allow_loopback=True)
    zone(client, settings_api.endpoint)
    client.close()
    assert client.pool.idle_count() == 0
    zone(client, settings_api.endpoint)
    assert client.pool.opened == 2 and settings_api.connections == 2
