"""A person with years of practice, for tests/test_years_of_use.py and the benchmarks.

The record's size is what a write is billed by (1 KB units), so it is measured with
everything a real record carries after years: a user id as long as Alexa's (assumed 225
characters: "amzn1.ask.account." and 207 more; a shorter id only makes the record smaller),
settings changed, milestones and offers recorded, a reminder, a time zone, a place kept.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from skill.progress.nudges import NudgeUpdate
from skill.progress.records import Position, ProgressUpdate

LONG_USER = "amzn1.ask.account." + "A" * 207
FIRST = date(2015, 1, 5)  # ten years ending before today: stored dates are never in the future


def practice_days(years: int, first: date = FIRST) -> list[str]:
    """Daily use with real gaps: every 9th day missed and a three-week break each year."""
    days = []
    for i in range(int(365.25 * years)):
        day = first + timedelta(days=i)
        if i % 9 == 8 or 100 <= i % 365 < 121:
            continue
        days.append(day.isoformat())
    return days


def random_days(seed: int, span: int, first: date = FIRST) -> list[str]:
    """Irregular practice: each day done with a probability that changes every few weeks."""
    rng = random.Random(seed)
    days, chance = [], 0.7
    for i in range(span):
        if i % 20 == 0:
            chance = rng.choice((0.0, 0.3, 0.7, 0.95, 1.0))
        if rng.random() < chance:
            days.append((first + timedelta(days=i)).isoformat())
    return days


def profile(saved_at: int = 1_900_000_000_000) -> ProgressUpdate:
    """Everything but dates that a record holds after years of use."""
    return ProgressUpdate(
        position=Position("heel_toe_raises", "rep_right_12", saved_at),
        settings={
            "tempo": "slow",
            "raise_position": "standing",
            "raise_reps": 12,
            "toe_curl_tool": "marbles",
        },
        milestones=frozenset(
            {
                "welcomed",
                "first_day",
                "three_days",
                "one_week",
                "three_weeks",
                "thirty_days",
                "hundred_days",
                "ten_months",
                "offer_standing_raises_1",
                "offer_raise_reps_12",
            }
        ),
        time_zone="America/Los_Angeles",
        nudges=NudgeUpdate(
            reminder_token="8e1c6f6a-3b9d-4e0e-9a3f-2f6d1c7b5a40",
            reminder_time="09:30",
            summary_card_on="2035-12-28",
        ),
    )


def save_by_month(store: Any, user: str, days: list[str], routine: Sequence[str]) -> None:
    """`days` of whole routines saved a month (30 days) per write, each after a session
    start's read (which plans the fold the write carries), so the record folds and
    archives as it would over the years, in far fewer writes than day by day."""
    for start in range(0, len(days), 30):
        store.load(user)
        month = days[start : start + 30]
        store.save(
            user, ProgressUpdate(exercises_done={d: frozenset(routine) for d in month}), routine
        )
