"""What a date or time in this skill may be: the one window every clock value is held to.

The request's timestamp is the skill's clock (Alexa's own; tests move days with it), but
only within SANE_PAST_DAYS before to SANE_FUTURE_DAYS after this server's clock. Stored and
session values are held to the same outer limits: nothing before the skill could exist,
nothing more than a week ahead. A value outside is replaced by a fresh one with a WARNING
(the callers say what "fresh" is), so one odd clock can never change how later days are
stored, nor make a launch fail.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

log = logging.getLogger("skill")

SANE_PAST_DAYS = 365  # a request stamped earlier than this is not believed
SANE_FUTURE_DAYS = 7  # nor one stamped later than this
EARLIEST = date(2015, 1, 1)  # no Alexa skill ran before this: no stored date can be older


def server_now() -> datetime:
    """This server's clock: the one "now" in the skill (requests built without a stamp, and
    unreadable stamps, take it too). The test suite pins it (tests/suite_clock.py); nothing
    in production can."""
    return datetime.now(UTC)


def latest_date() -> str:
    """The latest ISO date any stored or session value may name."""
    return (server_now() + timedelta(days=SANE_FUTURE_DAYS + 1)).date().isoformat()


def sane_ms(millis: int) -> bool:
    """An epoch-milliseconds time from 1970 to a week from now (stores order positions by
    it; only a later one can stop later positions from being kept)."""
    latest = (server_now() + timedelta(days=SANE_FUTURE_DAYS)).timestamp() * 1000
    return 0 <= millis <= latest


def request_time(stamp: datetime, warn: bool = True) -> datetime:
    """The request's time if it is within the window around this server's clock, else now."""
    now = server_now()
    if now - timedelta(days=SANE_PAST_DAYS) <= stamp <= now + timedelta(days=SANE_FUTURE_DAYS):
        return stamp
    if warn:
        log.warning("request timestamp outside a year back to a week ahead; server clock used")
    return now
