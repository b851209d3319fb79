"""Reading the time a person asked for (an AMAZON.TIME slot value) and saying it back.

AMAZON.TIME gives "HH:MM" (24-hour) or a part of the day: "MO" morning, "AF"
afternoon, "EV" evening, "NI" night. A bare "nine" arrives as "09:00" just as
"nine in the morning" does, so the slot alone cannot tell them apart: any hour from
one to twelve could be either half of the day and is confirmed before use, with the
more likely half for a daily routine first ("nine in the morning?"; "three in the
afternoon?"). A part of the day proposes a usual hour and is confirmed the same way.
Hours 13-23 and 0 can only mean one thing and are taken as said.
"""

from __future__ import annotations

import re

from msgspec import Struct

from skill.speech.copy import Copy

_HHMM = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?")
# The usual time proposed for a part of the day; the person can say another.
PART_OF_DAY = {"MO": (9, 0), "AF": (14, 0), "EV": (18, 0), "NI": (20, 0)}
# Hours 1-12 said without a half of the day: which half to propose first.
FIRST_MORNING_HOUR = 6  # 6-11 -> morning first; 1-5 -> afternoon first; 12 -> noon


class LocalTime(Struct, frozen=True):
    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"not a time of day: {self.hour}:{self.minute}")

    @property
    def hhmm(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    @classmethod
    def from_hhmm(cls, value: str) -> LocalTime:
        match = _HHMM.fullmatch(value.strip())
        if not match:
            raise ValueError(f"not HH:MM: {value!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def other_half(self) -> LocalTime:
        return LocalTime((self.hour + 12) % 24, self.minute)


class HeardTime(Struct, frozen=True):
    """A time understood from the slot: use it, or confirm it first."""

    time: LocalTime
    confirm: bool = False
    alternative: LocalTime | None = None  # what a "no" to the confirmation means


def heard_time(value: str | None) -> HeardTime | None:
    """The time in an AMAZON.TIME value, or None when there is none to use."""
    if not value:
        return None
    value = value.strip().upper()
    if value in PART_OF_DAY:
        return HeardTime(LocalTime(*PART_OF_DAY[value]), confirm=True)
    try:
        said = LocalTime.from_hhmm(value)
    except ValueError:
        return None
    if said.hour == 0 or said.hour > 12:
        return HeardTime(said)
    if said.hour == 12:
        return HeardTime(said, confirm=True, alternative=said.other_half())
    if said.hour >= FIRST_MORNING_HOUR:
        return HeardTime(said, confirm=True, alternative=said.other_half())
    return HeardTime(said.other_half(), confirm=True, alternative=said)


def part_of_day(time: LocalTime) -> str:
    if time.hour == 12 and time.minute == 0:
        return "noon"
    if time.hour == 0 and time.minute == 0:
        return "midnight"
    if 5 <= time.hour <= 11:
        return "morning"
    if 12 <= time.hour <= 16:
        return "afternoon"
    if 17 <= time.hour <= 20:
        return "evening"
    return "night"


def say_time(time: LocalTime, copy: Copy) -> str:
    """The time as words: "nine in the morning", "half past eight in the evening"."""
    part = part_of_day(time)
    if part in ("noon", "midnight"):
        return copy.say(f"reminders.time.{part}")
    hour = copy.hour(time.hour % 12 or 12)
    if time.minute == 0:
        clock = hour
    elif time.minute == 30:
        clock = copy.say("reminders.time.half_past", hour=hour)
    else:
        clock = copy.say("reminders.time.minutes", hour=hour, minutes=_minutes(time.minute, copy))
    return copy.say(f"reminders.time.{part}", clock=clock)


def _minutes(minute: int, copy: Copy) -> str:
    if minute < 10:
        return copy.say("reminders.time.oh", number=copy.number(minute))
    return copy.minute_number(minute)
