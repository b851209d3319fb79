"""The weekly summary card: this week day by day, days in all, days in a row now, the
best run. Adherence figures only, nothing else about the person.

Shown in the Alexa app when the person asks how they are doing, at most once a local
day, so a care partner who shares the household's Alexa app can see it too. Pure:
the figures come from what the session read at its start (WeekFigures) and the
session's current figures, so asking needs no extra read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from msgspec import Struct

from skill.progress import practice
from skill.progress.records import UserProgress
from skill.speech.copy import Copy


class CardText(Struct, frozen=True):
    title: str
    text: str


class WeekFigures(Struct, frozen=True):
    """What the card needs beyond the session figures, read once at session start."""

    done_this_week: tuple[str, ...] = ()  # ISO local dates completed since Monday
    best_streak: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"done_this_week": list(self.done_this_week), "best_streak": self.best_streak}

    @classmethod
    def from_dict(cls, data: Any) -> WeekFigures:
        if not isinstance(data, dict):
            return cls()
        listed = data.get("done_this_week")
        days = tuple(d for d in (listed if isinstance(listed, list) else [])[:7] if _iso(d))
        best = data.get("best_streak")
        if not isinstance(best, int) or isinstance(best, bool) or not 0 < best < 100_000:
            best = 0
        return cls(days, best)


def _iso(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def week_start(today: date) -> date:
    return today - timedelta(days=(today.weekday() - practice.WEEK_START) % 7)


def best_streak(days: Iterable[date]) -> int:
    """The longest run of consecutive completed days."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best, previous = max(best, run), day
    return best


def week_figures(progress: UserProgress, today: date) -> WeekFigures:
    days = practice.completed_dates(progress, today)
    start = week_start(today)
    return WeekFigures(
        tuple(d.isoformat() for d in days if d >= start), practice.best_streak(progress, today)
    )


def weekly_card(
    today: date,
    week: WeekFigures,
    total: int,
    streak: int,
    completed_today: bool,
    copy: Copy,
) -> CardText:
    """The card's words. `total`, `streak` and `completed_today` are the session's current
    figures (a routine finished this session counts)."""
    done = set(week.done_this_week) | ({today.isoformat()} if completed_today else set())
    names = copy.raw("card.weekdays")
    lines = []
    start = week_start(today)
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        name = names[day.weekday()]
        if day.isoformat() in done:
            lines.append(copy.say("card.day_done", day=name))
        elif day == today:
            lines.append(copy.say("card.day_today_open", day=name))
        else:
            lines.append(copy.say("card.day_not_done", day=name))
    days_so_far = (today - start).days + 1
    lines += [
        "",
        copy.say("card.week", week=len(done), days=days_so_far),
        copy.say("card.total", total=total),
        copy.say("card.streak", streak=streak),
        copy.say("card.best_streak", best=max(week.best_streak, streak)),
    ]
    return CardText(copy.say("card.title"), "\n".join(lines))
