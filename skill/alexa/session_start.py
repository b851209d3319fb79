"""Session start in one round trip: the store read and the time-zone lookup at once.

A new session needs the user's progress (one store read) and the device's time zone
(one Settings API call). Neither needs the other's answer: the zone only names
"today", and the zone stored with the progress is a fine guess if the lookup fails.
So the lookup runs on a worker thread while this thread reads the store, and the
session starts after max(read, lookup) rather than their sum.

Each keeps its own bound: the store read the deadline its caller gives it, the
lookup TOTAL_TIMEOUT from the moment it starts, DNS included. Neither failure blocks
the other: a store fault still gets the device's zone, a lookup fault still gets the
progress, and its stored zone.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from ask_sdk_core.handler_input import HandlerInput
from msgspec import Struct

from skill.alexa.timezone import TOTAL_TIMEOUT, valid_zone
from skill.conversation.clock import DEFAULT_ZONE
from skill.progress.records import UserProgress

log = logging.getLogger("skill")

# The device's IANA zone, or None when it can't be read. May block: bounded here.
ZoneLookup = Callable[[HandlerInput], str | None]

# Lookups in flight at once. A lookup stuck in DNS holds its worker until the
# resolver gives up; later lookups then wait in the queue and time out, falling back.
LOOKUP_WORKERS = 4


class SessionStart(Struct, frozen=True):
    progress: UserProgress | None  # None when the store could not be read in time
    time_zone: str  # the device's zone, else the stored one, else the default
    zone_known: bool = True  # False: neither the device nor the store said (the default)


@functools.lru_cache(maxsize=1)
def _lookups() -> ThreadPoolExecutor:
    # Built on first use, never at import or init: no thread exists in a snapshot.
    return ThreadPoolExecutor(max_workers=LOOKUP_WORKERS, thread_name_prefix="zone-lookup")


def start_session(
    read: Callable[[str], UserProgress],
    user: str | None,
    handler_input: HandlerInput,
    zone_lookup: ZoneLookup,
    default_zone: str = DEFAULT_ZONE,
    zone_bound: float = TOTAL_TIMEOUT,
) -> SessionStart:
    """The progress and the zone for a new session, read concurrently.

    `read` is the store's bounded load (it raises on a fault or when out of time).
    """
    started = time.monotonic()
    pending = _lookups().submit(zone_lookup, handler_input)
    progress: UserProgress | None = UserProgress()
    if user:
        try:
            progress = read(user)
        except Exception as error:  # a store fault of any kind: carry on without history
            log.warning("progress not loaded: %s", type(error).__name__)
            progress = None
    stored = progress.time_zone if progress else None
    stored = _first_valid(stored) if stored else None
    found = _within(pending, started + zone_bound)
    zone = found or stored or _first_valid(default_zone)
    return SessionStart(progress=progress, time_zone=zone, zone_known=bool(found or stored))


def _within(pending: Future[str | None], deadline: float) -> str | None:
    try:
        found = pending.result(timeout=max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        log.warning("device time zone lookup timed out; using the stored or default zone")
        return None
    except Exception as error:  # the lookup's own failures are already logged as None
        log.warning("device time zone lookup failed (%s)", type(error).__name__)
        return None
    try:
        return valid_zone(found) if found is not None else None
    except ValueError:
        return None


def _first_valid(*zones: str | None) -> str:
    for zone in zones:
        try:
            return valid_zone(zone)
        except ValueError:
            continue
    return DEFAULT_ZONE
