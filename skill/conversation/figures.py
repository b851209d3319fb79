"""Progress figures for a session, from the stored UserProgress (via skill.progress).

Computed once when the session reads the store, and again after each save, so
questions like "how many days?" never need another read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from skill import progress as figures_of
from skill.conversation.state import SessionFigures
from skill.routine.model import Routine
from skill.store.base import UserProgress


def summarize(progress: UserProgress, today: date) -> SessionFigures:
    summary = figures_of.summarize(progress, today)
    return SessionFigures(
        today=today.isoformat(),
        total=summary.total_days,
        streak=summary.streak,
        week=summary.days_this_week,
        last_day=summary.last_day.isoformat() if summary.last_day else None,
        done_today=sorted(progress.exercises_by_date.get(today.isoformat(), frozenset())),
    )


def milestones_if_completed(progress: UserProgress, today: date, routine: Routine) -> list[str]:
    """The milestones that finishing today's routine would reach.

    Known at the start of the session, so the finishing turn can save them in
    the same single write that records the day.
    """
    day = today.isoformat()
    if day in progress.completed_days:
        return []
    finished = replace(progress, completed_days=progress.completed_days | {day})
    return list(figures_of.new_milestones(finished, today))


def offers(progress: UserProgress, today: date, routine: Routine) -> list[dict[str, Any]]:
    """Progression offers due (JSON-safe), most important first; one is made per session."""
    rules = figures_of.ProgressionRules.from_routine(routine.exercise("heel_toe_raises").params)
    return [
        {"id": offer.id, "setting": offer.setting, "value": offer.value}
        for offer in figures_of.progression_offers(progress, today, rules)
    ]
