"""The user's local date: the device's time zone from the Alexa Settings API, bounded.

"Days completed" roll over at the user's local midnight, so "today" is the request's
timestamp in the device's zone. Reading the zone must never cost the answer: any failure
falls back to the last known zone, else UTC, with one warning line.

Build the skill with the bounded client, since DefaultApiClient calls `requests` with no
timeout at all:   CustomSkillBuilder(api_client=BoundedApiClient())
"""

from __future__ import annotations

import functools
import json
import logging
import ssl
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse

from skill.conversation.clock import DEFAULT_ZONE, local_date

log = logging.getLogger(__name__)

__all__ = ["BoundedApiClient", "device_time_zone", "local_date", "valid_zone"]


# Seconds for the connection and for each read. The reply is a few bytes, so one
# read: about 1 s at worst.
API_TIMEOUT = 0.5
TOTAL_TIMEOUT = 1.0  # the whole lookup, DNS included


class BoundedApiClient(ApiClient):
    """The ASK SDK's ApiClient on the standard library, with a timeout on every call.

    Why not DefaultApiClient: it calls `requests` with no timeout at all, and
    importing `requests` adds about 25 ms to every cold start. Like it, this
    refuses plain-HTTP endpoints. `verify` is True (system CAs) or a CA bundle
    path (tests serve the Settings API with their own certificate).
    """

    def __init__(self, timeout: float = API_TIMEOUT, verify: bool | str = True) -> None:
        self.timeout = timeout
        self.verify = verify
        self._context: ssl.SSLContext | None = None

    def context(self) -> ssl.SSLContext:
        if self._context is None:
            cafile = self.verify if isinstance(self.verify, str) else None
            self._context = ssl.create_default_context(cafile=cafile)
        return self._context

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        import urllib.error
        import urllib.request

        if urlsplit(request.url or "").scheme != "https":
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        headers: dict[str, str] = {}
        for key, value in request.headers or []:
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        data = None
        if request.body:
            body = request.body
            data = (json.dumps(body) if not isinstance(body, str) else body).encode()
        outgoing = urllib.request.Request(
            request.url, data=data, headers=headers, method=request.method or "GET"
        )
        try:
            with urllib.request.urlopen(
                outgoing, timeout=self.timeout, context=self.context()
            ) as answer:
                status, raw, reply_headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:  # a status the caller interprets (403 ...)
            status, raw, reply_headers = error.code, error.read(), error.headers
        except Exception as error:
            raise ApiClientException(
                f"Error executing the request: {type(error).__name__}"
            ) from error
        return ApiClientResponse(
            headers=list(reply_headers.items()),
            status_code=status,
            body=raw.decode("utf-8", "replace"),
        )


def valid_zone(zone: Any) -> str:
    """The zone if it is a known IANA name, else ValueError."""
    if not isinstance(zone, str) or not zone or len(zone) > 64:
        raise ValueError("not a time zone name")
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError("unknown time zone") from exc
    return zone


@functools.lru_cache(maxsize=1)
def _calls() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="settings-api")


def device_time_zone(handler_input: HandlerInput, fallback: str | None = None) -> str:
    """The device's IANA time zone; on any failure `fallback` (if valid), else UTC.

    One Settings API call: call once per session and cache the result.
    """
    try:
        chosen = valid_zone(fallback)
    except ValueError:
        chosen = DEFAULT_ZONE
    try:
        device_id = handler_input.request_envelope.context.system.device.device_id
        factory = handler_input.service_client_factory
        if factory is None:
            raise RuntimeError("skill built without an api_client")
        service = factory.get_ups_service()
        # Socket timeouts don't cover the DNS lookup, which can hang for seconds: the
        # whole call gets a hard bound, and a late answer is simply dropped.
        pending = _calls().submit(service.get_system_time_zone, device_id)
        return valid_zone(pending.result(timeout=TOTAL_TIMEOUT))
    except Exception as exc:
        # Never the exception text: it can carry the device id in the URL.
        status = getattr(exc, "status_code", None)
        log.warning(
            "device time zone unavailable (%s%s); using %s",
            type(exc).__name__,
            f" {status}" if status else "",
            chosen,
        )
        return chosen
