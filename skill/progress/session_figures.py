"""Progress figures for a session, from the stored UserProgress (via practice).

Computed once when the session reads the store, and again after each save, so
questions like "how many days?" never need another read.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from skill.progress import practice
from skill.progress.bounds import EARLIEST, latest_date
from skill.progress.records import UserProgress
from skill.routine.model import Routine


class SessionFigures(Struct):
    """Progress figures as of `today`, small enough for session attributes."""

    today: str = ""  # ISO local date these figures are for
    total: int = 0  # completed days
    streak: int = 0  # days in a row, ending today or yesterday
    week: int = 0  # completed days this week
    last_day: str | None = None
    best_streak: int = 0  # the most days in a row, ever
    exercises_today: list[str] = field(default_factory=list)  # exercise ids finished today
    # ...and the day before: a routine picked up after midnight counts for the day it began
    exercises_day_before: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Any) -> SessionFigures:
        if not isinstance(data, dict):
            return cls()
        return cls(
            today=str(data.get("today") or ""),
            total=_int(data.get("total")),
            streak=_int(data.get("streak")),
            week=_int(data.get("week")),
            last_day=data.get("last_day") if isinstance(data.get("last_day"), str) else None,
            best_streak=_int(data.get("best_streak")),
            exercises_today=_ids(data.get("exercises_today")),
            exercises_day_before=_ids(data.get("exercises_day_before")),
        )

    def plausible(self) -> bool:
        """Counts a person could have: no more days than since the skill could exist, a
        streak and this week's days within them; dates within bounds' window."""
        most = (date.fromisoformat(latest_date()) - EARLIEST).days
        if not (0 <= self.total <= most and 0 <= self.best_streak <= self.total):
            return False
        if not (0 <= self.streak <= self.total and 0 <= self.week <= min(self.total, 7)):
            return False
        return all(_date_or_empty(d) for d in (self.today, self.last_day or ""))


def _date_or_empty(value: str) -> bool:
    if not value:
        return True
    try:
        return date.fromisoformat(value) >= EARLIEST and value <= latest_date()
    except ValueError:
        return False


def session_figures(progress: UserProgress, today: date) -> SessionFigures:
    summary = practice.practice_summary(progress, today)
    return SessionFigures(
        today=today.isoformat(),
        total=summary.total_days,
        streak=summary.streak,
        week=summary.days_this_week,
        last_day=summary.last_day.isoformat() if summary.last_day else None,
        best_streak=practice.best_streak(progress, today),
        exercises_today=sorted(progress.exercises_by_date.get(today.isoformat(), frozenset())),
        exercises_day_before=sorted(
            progress.exercises_by_date.get((today - timedelta(days=1)).isoformat(), frozenset())
        ),
    )


def _ids(value: Any) -> list[str]:
    return [x for x in value or [] if isinstance(x, str)][:16]


def milestones_if_completed(progress: UserProgress, today: date, routine: Routine) -> list[str]:
    """The milestones that finishing today's routine would reach.

    Known at the start of the session, so the finishing turn can save them in
    the same single write that records the day.
    """
    day = today.isoformat()
    if day in progress.completed_days:
        return []
    finished = replace(progress, completed_days=progress.completed_days | {day})
    return list(practice.new_milestones(finished, today))


def offers(progress: UserProgress, today: date, routine: Routine) -> list[dict[str, Any]]:
    """Progression offers due (JSON-safe), most important first; one is made per session."""
    rules = practice.ProgressionRules.from_routine(routine.of_kind("raises").params)
    return [
        {"id": offer.id, "setting": offer.setting, "value": offer.value}
        for offer in practice.progression_offers(progress, today, rules)
    ]


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError, OverflowError):
        return 0
