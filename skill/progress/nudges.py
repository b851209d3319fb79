"""What the skill keeps to help someone keep going: the daily reminder, whether they
turned the reminder offer down, and the day the last weekly summary card was sent.

Adherence only. The reminder's alert token is Alexa's handle to a reminder the
person asked for; keeping it with their progress lets any of their devices read,
change or delete that one reminder instead of creating another.

Kept apart from the practice history (records.py) so each store writes these in a
block of its own: `Nudges` is what is stored, `NudgeUpdate` what one turn changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

_LOCAL_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
MAX_TOKEN_CHARS = 512  # Alexa's alert tokens are far shorter; a bound for the stored key


def check_local_time(value: str) -> str:
    """A local wall-clock time, exactly HH:MM (24-hour)."""
    if not isinstance(value, str) or not _LOCAL_TIME.fullmatch(value):
        raise ValueError(f"not a local HH:MM time: {value!r}")
    return value


def check_alert_token(value: str) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_TOKEN_CHARS
        or not value.isprintable()
    ):
        raise ValueError("bad alert token")
    return value


def _check_day(value: str) -> str:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"not an ISO date: {value!r}")
    date.fromisoformat(value)
    return value


def _checked(check: Any, value: Any) -> str | None:
    try:
        return str(check(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


class Nudges(Struct, frozen=True):
    """Stored: the reminder (token and local time, both or neither), the declined
    offer, the last summary card's local date."""

    reminder_token: str | None = None
    reminder_time: str | None = None  # HH:MM, local to the device's zone
    reminder_offer_declined: bool = False
    summary_card_on: str | None = None  # ISO local date
    # Care partners (skill/sharing): something waits to be said at the next launch (a new
    # follower, a message, a link that ended). Read with the progress, so a person with
    # nothing waiting costs no other read.
    care_news: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "reminder_token": self.reminder_token,
            "reminder_time": self.reminder_time,
            "reminder_offer_declined": self.reminder_offer_declined,
            "summary_card_on": self.summary_card_on,
            "care_news": self.care_news,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Nudges:
        """Forgiving: a value that does not check out is dropped (session attributes come
        back from outside)."""
        data = data if isinstance(data, Mapping) else {}
        token = _checked(check_alert_token, data.get("reminder_token"))
        at = _checked(check_local_time, data.get("reminder_time"))
        return cls(
            reminder_token=token if token and at else None,
            reminder_time=at if token and at else None,
            reminder_offer_declined=data.get("reminder_offer_declined") is True,
            summary_card_on=_checked(_check_day, data.get("summary_card_on")),
            care_news=data.get("care_news") is True,
        )

    def apply(self, change: NudgeUpdate) -> Nudges:
        token, at = self.reminder_token, self.reminder_time
        if change.forget_reminder:
            token, at = None, None
        if change.reminder_token is not None:
            token, at = change.reminder_token, change.reminder_time
        return Nudges(
            reminder_token=token,
            reminder_time=at,
            reminder_offer_declined=self.reminder_offer_declined or change.reminder_offer_declined,
            summary_card_on=change.summary_card_on or self.summary_card_on,
            care_news=self.care_news,
        )


class NudgeUpdate(Struct, frozen=True):
    """What one turn changed. A new reminder sets token and time together;
    `forget_reminder` drops both (cancelled, or gone on Alexa's side)."""

    reminder_token: str | None = None
    reminder_time: str | None = None
    forget_reminder: bool = False
    reminder_offer_declined: bool = False
    summary_card_on: str | None = None

    def __post_init__(self) -> None:
        if (self.reminder_token is None) != (self.reminder_time is None):
            raise ValueError("a reminder needs both its alert token and its time")
        if self.reminder_token is not None:
            check_alert_token(self.reminder_token)
            check_local_time(self.reminder_time or "")
        if self.summary_card_on is not None:
            _check_day(self.summary_card_on)

    def within(self, days: set[str]) -> NudgeUpdate:
        """Cut to what one session can change: a card day only for these local days."""
        if self.summary_card_on is None or self.summary_card_on in days:
            return self
        return replace(self, summary_card_on=None)

    def is_empty(self) -> bool:
        return not (
            self.reminder_token
            or self.forget_reminder
            or self.reminder_offer_declined
            or self.summary_card_on
        )

    def merge(self, later: NudgeUpdate) -> NudgeUpdate:
        """This change followed by `later`: the later reminder change wins."""
        token, at, forget = self.reminder_token, self.reminder_time, self.forget_reminder
        if later.reminder_token is not None:
            token, at, forget = later.reminder_token, later.reminder_time, later.forget_reminder
        elif later.forget_reminder:
            token, at, forget = None, None, True
        return NudgeUpdate(
            reminder_token=token,
            reminder_time=at,
            forget_reminder=forget,
            reminder_offer_declined=self.reminder_offer_declined or later.reminder_offer_declined,
            summary_card_on=later.summary_card_on or self.summary_card_on,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "reminder_token": self.reminder_token,
            "reminder_time": self.reminder_time,
            "forget_reminder": self.forget_reminder,
            "reminder_offer_declined": self.reminder_offer_declined,
            "summary_card_on": self.summary_card_on,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> NudgeUpdate:
        data = data or {}
        return cls(
            reminder_token=data.get("reminder_token") or None,
            reminder_time=data.get("reminder_time") or None,
            forget_reminder=bool(data.get("forget_reminder")),
            reminder_offer_declined=bool(data.get("reminder_offer_declined")),
            summary_card_on=data.get("summary_card_on") or None,
        )
