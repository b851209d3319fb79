"""The user's local date: the device's time zone from the Alexa Settings API.

"Days completed" roll over at the user's local midnight, so "today" is the request's
timestamp in the device's zone. Reading the zone must never cost the answer: any failure
falls back to the last known zone, else the default, with one warning line. The skill
reads it at session start, concurrently with the store (skill/alexa/session_start.py).

The HTTP client is skill/alexa/api_client.py (Alexa's hosts only, bounded, kept alive):
    CustomSkillBuilder(api_client=AlexaApiClient())
"""

from __future__ import annotations

import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.api_client import AlexaApiClient, BoundedApiClient
from skill.conversation.clock import DEFAULT_ZONE, local_date

log = logging.getLogger(__name__)

__all__ = [
    "AlexaApiClient",
    "BoundedApiClient",
    "device_time_zone",
    "local_date",
    "lookup_device_zone",
    "valid_zone",
]

TOTAL_TIMEOUT = 1.0  # the whole lookup, DNS included


def valid_zone(zone: Any) -> str:
    """The zone if it is a known IANA name, else ValueError."""
    if not isinstance(zone, str) or not zone or len(zone) > 64:
        raise ValueError("not a time zone name")
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError("unknown time zone") from exc
    return zone


def lookup_device_zone(handler_input: HandlerInput) -> str | None:
    """The device's IANA zone from the Settings API, or None (one warning line).

    One call, bounded per connect and read by the ApiClient, not as a whole: callers
    run it on a worker thread with an overall bound (DNS can hang for seconds).
    """
    try:
        context = handler_input.request_envelope.context
        system = context.system if context is not None else None
        device = system.device if system is not None else None
        device_id = device.device_id if device is not None else None
        if not device_id:
            raise ValueError("no device id in the request")
        factory = handler_input.service_client_factory
        if factory is None:
            raise RuntimeError("skill built without an api_client")
        return valid_zone(factory.get_ups_service().get_system_time_zone(device_id))
    except Exception as exc:
        # Never the exception text: it can carry the device id in the URL.
        status = getattr(exc, "status_code", None)
        log.warning(
            "device time zone unavailable (%s%s); using the stored or default zone",
            type(exc).__name__,
            f" {status}" if status else "",
        )
        return None


@functools.lru_cache(maxsize=1)
def _calls() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="settings-api")


def device_time_zone(handler_input: HandlerInput, fallback: str | None = None) -> str:
    """The device's zone within TOTAL_TIMEOUT; on any failure `fallback` (if valid), else UTC.

    For callers with nothing else to do meanwhile; the skill's session start overlaps
    the lookup with the store read instead (skill/alexa/session_start.py).
    """
    try:
        chosen = valid_zone(fallback)
    except ValueError:
        chosen = DEFAULT_ZONE
    pending = _calls().submit(lookup_device_zone, handler_input)
    try:
        found = pending.result(timeout=TOTAL_TIMEOUT)
    except TimeoutError:
        log.warning("device time zone lookup timed out; using %s", chosen)
        return chosen
    return found or chosen
