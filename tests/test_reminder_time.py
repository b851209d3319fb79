"""The reminder's time: read from AMAZON.TIME values, confirmed when ambiguous, said back."""

from __future__ import annotations

import pytest

from skill.reminders.daily import DailyReminder, time_of_rule
from skill.reminders.spoken_time import HeardTime, LocalTime, heard_time, say_time
from skill.speech.copy import copy_for

COPY = copy_for("en-US")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21:00", HeardTime(LocalTime(21, 0))),  # said with pm or evening: as said
        ("19:30", HeardTime(LocalTime(19, 30))),
        ("00:00", HeardTime(LocalTime(0, 0))),
        ("09:00", HeardTime(LocalTime(9, 0), True, LocalTime(21, 0))),  # "nine": morning?
        ("07:15", HeardTime(LocalTime(7, 15), True, LocalTime(19, 15))),
        ("03:00", HeardTime(LocalTime(15, 0), True, LocalTime(3, 0))),  # "three": afternoon?
        ("12:00", HeardTime(LocalTime(12, 0), True, LocalTime(0, 0))),  # noon?
        ("MO", HeardTime(LocalTime(9, 0), True)),
        ("AF", HeardTime(LocalTime(14, 0), True)),
        ("EV", HeardTime(LocalTime(18, 0), True)),
        ("NI", HeardTime(LocalTime(20, 0), True)),
        ("ev", HeardTime(LocalTime(18, 0), True)),
    ],
)
def test_slot_values(value: str, expected: HeardTime) -> None:
    assert heard_time(value) == expected


@pytest.mark.parametrize("value", [None, "", "?", "25:00", "9", "T09:00", "2026-11-30", "XX"])
def test_no_usable_time(value: str | None) -> None:
    assert heard_time(value) is None


@pytest.mark.parametrize(
    ("hhmm", "words"),
    [
        ("09:00", "nine in the morning"),
        ("21:00", "nine at night"),
        ("18:30", "half past six in the evening"),
        ("14:05", "two oh five in the afternoon"),
        ("07:45", "seven forty-five in the morning"),
        ("20:40", "eight forty in the evening"),
        ("12:00", "twelve noon"),
        ("00:00", "midnight"),
        ("12:15", "twelve fifteen in the afternoon"),
        ("00:30", "half past twelve at night"),
    ],
)
def test_times_are_said_plainly(hhmm: str, words: str) -> None:
    assert say_time(LocalTime.from_hhmm(hhmm), COPY) == words


def test_the_daily_rule_and_its_time() -> None:
    reminder = DailyReminder.for_person(LocalTime(20, 30), "Europe/London", COPY)
    assert reminder.recurrence_rule == "FREQ=DAILY;BYHOUR=20;BYMINUTE=30;BYSECOND=0;INTERVAL=1;"
    assert time_of_rule(reminder.recurrence_rule) == LocalTime(20, 30)
    assert time_of_rule("FREQ=DAILY;INTERVAL=1;") is None
    assert reminder.text == "Time for your foot routine. Just say: Alexa, start my foot routine."
    # 23:50 UTC on the 30th is 23:50 in London: half past eight is tomorrow.
    assert reminder.first_time("2026-11-30T23:50:00Z").isoformat() == "2026-12-01T20:30:00"
    assert reminder.first_time("2026-11-30T10:00:00Z").isoformat() == "2026-11-30T20:30:00"
