"""The daily reminder Alexa keeps for the person: what it says and when.

A SCHEDULED_ABSOLUTE trigger whose scheduledTime is local wall-clock time (no
offset) in the device's time zone, repeating every day by an RFC 5545 rule
("FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"), with the words of the
request's locale and a push notification in the Alexa app. Pure: the adapter in
skill.alexa.reminders turns it into the service client's request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from skill.conversation.clock import parse_timestamp, zone
from skill.reminders.spoken_time import LocalTime
from skill.speech.copy import Copy

TRIGGER_TYPE = "SCHEDULED_ABSOLUTE"
PUSH_NOTIFICATION = "ENABLED"


class DailyReminder(Struct, frozen=True):
    at: LocalTime
    time_zone: str | None  # None: not known, so the request names none (the device's is used)
    locale: str
    text: str  # what Alexa says when it goes off

    @classmethod
    def for_person(cls, at: LocalTime, time_zone: str | None, copy: Copy) -> DailyReminder:
        return cls(at, time_zone, copy.locale, copy.say("reminders.spoken"))

    @property
    def recurrence_rule(self) -> str:
        return f"FREQ=DAILY;BYHOUR={self.at.hour};BYMINUTE={self.at.minute};BYSECOND=0;INTERVAL=1;"

    def local_now(self, timestamp: str | datetime | None) -> datetime:
        """The request's time on the device's wall clock, without an offset."""
        return parse_timestamp(timestamp).astimezone(zone(self.time_zone)).replace(tzinfo=None)

    def first_time(self, timestamp: str | datetime | None) -> datetime:
        """The next local time the reminder goes off: today if still ahead, else tomorrow.
        Without a zone, "today" can't be told: it starts tomorrow (by UTC's date), at
        the right hour of the device's own zone, which Alexa applies."""
        now = self.local_now(timestamp)
        today = now.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return today if today > now and self.time_zone else today + timedelta(days=1)


def time_of_rule(rule: str) -> LocalTime | None:
    """The time of day a daily recurrence rule names, or None."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    try:
        return LocalTime(int(parts["BYHOUR"]), int(parts.get("BYMINUTE", "0")))
    except (KeyError, ValueError):
        return None
