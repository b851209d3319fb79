"""Device time zone through the real ASK SDK client against a local Settings API (HTTPS)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any

import pytest
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response

from skill.alexa.timezone import BoundedApiClient, device_time_zone
from skill.conversation.clock import local_date
from tests.settings_api import SettingsApi

DEVICE = "amzn1.ask.device.AEXAMPLEDEVICE"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-TOKEN"
USER = "amzn1.ask.account.SECRETUSER"


# -- a real skill answering a real launch request ----------------------------------------
def launch_request(api_endpoint: str, timestamp: str = "2026-06-11T06:50:00Z") -> dict[str, Any]:
    app = {"applicationId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"}
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.0000",
            "application": app,
            "attributes": {},
            "user": {"userId": USER},
        },
        "context": {
            "System": {
                "application": app,
                "user": {"userId": USER},
                "device": {"deviceId": DEVICE, "supportedInterfaces": {}},
                "apiEndpoint": api_endpoint,
                "apiAccessToken": TOKEN,
            }
        },
        "request": {
            "type": "LaunchRequest",
            "requestId": "amzn1.echo-api.request.0000",
            "timestamp": timestamp,
            "locale": "en-US",
            "shouldLinkResultBeReturned": False,
        },
    }


class _ZoneHandler(AbstractRequestHandler):
    def __init__(self, fallback: str | None) -> None:
        self.fallback = fallback
        self.seen: list[tuple[str, dt.date]] = []

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        zone = device_time_zone(handler_input, self.fallback)
        today = local_date(handler_input.request_envelope.request.timestamp, zone)
        self.seen.append((zone, today))
        return handler_input.response_builder.speak(zone).response


def ask(
    api: SettingsApi | None, endpoint: str, fallback: str | None = None, api_client: bool = True
) -> tuple[str, dt.date]:
    handler = _ZoneHandler(fallback)
    client = BoundedApiClient(verify=str(api.cert) if api else True) if api_client else None
    builder = CustomSkillBuilder(api_client=client)
    builder.add_request_handler(handler)
    skill = builder.create()
    envelope = skill.serializer.deserialize(
        payload=json.dumps(launch_request(endpoint)), obj_type="ask_sdk_model.RequestEnvelope"
    )
    skill.invoke(request_envelope=envelope, context=None)
    return handler.seen[0]


# -- tests -------------------------------------------------------------------------------
def test_reads_the_device_zone_and_the_local_date(settings_api: SettingsApi) -> None:
    zone, today = ask(settings_api, settings_api.endpoint, fallback="Europe/London")
    assert zone == "America/Los_Angeles"
    # 06:50 UTC on the 11th is 23:50 on the 10th in Los Angeles.
    assert today == dt.date(2026, 6, 10)
    path, auth = settings_api.seen[0]
    assert path == f"/v2/devices/{DEVICE}/settings/System.timeZone"
    assert auth == f"Bearer {TOKEN}"


@pytest.mark.parametrize("mode", ["forbidden", "bad"])
def test_refusal_or_nonsense_falls_back_quietly(
    settings_api: SettingsApi, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings_api.mode = mode
    with caplog.at_level(logging.WARNING, logger="skill.alexa.timezone"):
        assert ask(settings_api, settings_api.endpoint, fallback="Europe/London")[0] == (
            "Europe/London"
        )
    (record,) = [r for r in caplog.records if r.name == "skill.alexa.timezone"]
    line = record.getMessage()
    for secret in (USER, TOKEN, DEVICE, "SECRET"):
        assert secret not in line


def test_slow_api_is_cut_at_one_second(settings_api: SettingsApi) -> None:
    settings_api.mode = "slow"
    started = time.monotonic()
    zone, _ = ask(settings_api, settings_api.endpoint, fallback=None)
    assert zone == "UTC"
    assert time.monotonic() - started < 1.5


def test_connection_refused_uses_fallback(settings_api: SettingsApi) -> None:
    settings_api.close()  # nothing listens there any more
    started = time.monotonic()
    assert ask(settings_api, settings_api.endpoint, "Asia/Tokyo")[0] == "Asia/Tokyo"
    assert time.monotonic() - started < 1.5


def test_untrusted_certificate_is_refused(settings_api: SettingsApi) -> None:
    # The system trust store does not know our test CA: TLS verification stays on.
    assert ask(None, settings_api.endpoint, "Asia/Tokyo")[0] == "Asia/Tokyo"


def test_plain_http_is_refused(settings_api: SettingsApi, monkeypatch: pytest.MonkeyPatch) -> None:
    # Outside tests and local development (ALEXA_API_ALLOW_LOOPBACK unset) only https to
    # Alexa's own hosts is allowed: see tests/test_api_client.py.
    monkeypatch.delenv("ALEXA_API_ALLOW_LOOPBACK")
    http = settings_api.endpoint.replace("https://", "http://")
    assert ask(settings_api, http, None)[0] == "UTC"
    assert settings_api.seen == [] and settings_api.connections == 0


def test_skill_without_api_client_and_bad_fallback_gives_utc(settings_api: SettingsApi) -> None:
    zone, _ = ask(settings_api, settings_api.endpoint, "Not/AZone", api_client=False)
    assert zone == "UTC"


def test_local_date_rolls_over_at_local_midnight() -> None:
    assert local_date("2026-06-11T06:50:00Z", "America/Los_Angeles") == dt.date(2026, 6, 10)
    assert local_date("2026-06-11T07:00:00Z", "America/Los_Angeles") == dt.date(2026, 6, 11)
    assert local_date("2026-06-10T15:10:00Z", "Asia/Tokyo") == dt.date(2026, 6, 11)
    assert local_date("2026-06-11T06:50:00", "UTC") == dt.date(2026, 6, 11)  # naive is UTC
    assert local_date("2026-06-11T06:50:00Z", "Not/AZone") == dt.date(2026, 6, 11)
