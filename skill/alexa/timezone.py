"""The user's local date: the device's time zone from the Alexa Settings API, bounded.

"Days completed" roll over at the user's local midnight, so "today" is the request's
timestamp in the device's zone. Reading the zone must never cost the answer: any failure
falls back to the last known zone, else UTC, with one warning line.

Build the skill with the bounded client, since DefaultApiClient calls `requests` with no
timeout at all:   CustomSkillBuilder(api_client=BoundedApiClient())
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.handler_input import HandlerInput

log = logging.getLogger(__name__)

DEFAULT_ZONE = "UTC"
# (connect, read) seconds. The reply is a few bytes, so one read: about 1 s at worst.
API_TIMEOUT: tuple[float, float] = (0.5, 0.5)


class BoundedApiClient(DefaultApiClient):
    """DefaultApiClient with a timeout on every call (and optional TLS trust for tests)."""

    def __init__(self, timeout: tuple[float, float] = API_TIMEOUT, verify: bool | str = True):
        super().__init__()
        self.timeout = timeout
        self.verify = verify  # True (system CAs) or a CA bundle path

    def _resolve_method(self, request: Any) -> Any:
        # The parent picks requests.get/post/...; pass our bounds to whichever it is.
        method = super()._resolve_method(request)
        return functools.partial(method, timeout=self.timeout, verify=self.verify)


def valid_zone(zone: Any) -> str:
    """The zone if it is a known IANA name, else ValueError."""
    if not isinstance(zone, str) or not zone or len(zone) > 64:
        raise ValueError("not a time zone name")
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError("unknown time zone") from exc
    return zone


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
        return valid_zone(factory.get_ups_service().get_system_time_zone(device_id))
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


def local_date(timestamp: str | datetime, zone: str) -> date:
    """The local calendar date of a request timestamp (ISO 8601, e.g. "...T23:50:00Z").

    A timestamp without an offset is UTC (Alexa's are). An unknown zone means UTC.
    """
    moment = timestamp if isinstance(timestamp, datetime) else datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        tz = ZoneInfo(valid_zone(zone))
    except ValueError:
        tz = ZoneInfo(DEFAULT_ZONE)
    return moment.astimezone(tz).date()
