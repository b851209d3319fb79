"""The weekly summary card's words: pure, from the session's figures."""

from __future__ import annotations

from datetime import date

from skill.progress.records import UserProgress
from skill.speech.copy import copy_for
from skill.summary.weekly_card import WeekFigures, best_streak, week_figures, weekly_card

COPY = copy_for("en-US")
THURSDAY = date(2026, 11, 26)


def progress(*days: str) -> UserProgress:
    return UserProgress(completed_days=frozenset(days))


def test_week_figures_from_the_record() -> None:
    record = progress("2026-11-10", "2026-11-11", "2026-11-12", "2026-11-23", "2026-11-25")
    figures = week_figures(record, THURSDAY)
    assert figures == WeekFigures(("2026-11-23", "2026-11-25"), 3)
    assert WeekFigures.from_dict(figures.to_dict()) == figures
    assert WeekFigures.from_dict("junk") == WeekFigures()


def test_best_streak() -> None:
    assert best_streak([]) == 0
    assert best_streak([date(2026, 1, 1)]) == 1
    days = [date(2026, 1, d) for d in (1, 2, 3, 5, 6)]
    assert best_streak(days) == 3


def test_the_card_lists_the_week_day_by_day() -> None:
    week = WeekFigures(("2026-11-23", "2026-11-25"), 3)
    card = weekly_card(THURSDAY, week, total=5, streak=1, completed_today=False, copy=COPY)
    assert card.title == "My Foot Routine: your week"
    assert card.text.splitlines() == [
        "Monday: done",
        "Tuesday: not done",
        "Wednesday: done",
        "Thursday: not yet",
        "",
        "This week: 2 of 4 days",
        "Days completed in all: 5",
        "Days in a row now: 1",
        "Best run of days in a row: 3",
    ]


def test_a_day_finished_this_session_counts() -> None:
    week = WeekFigures(("2026-11-23", "2026-11-24", "2026-11-25"), 3)
    card = weekly_card(THURSDAY, week, total=6, streak=4, completed_today=True, copy=COPY)
    assert "Thursday: done" in card.text
    assert "This week: 4 of 4 days" in card.text and "Best run of days in a row: 4" in card.text


def test_only_adherence_on_the_card() -> None:
    card = weekly_card(THURSDAY, WeekFigures(), 0, 0, False, COPY)
    words = card.text.lower()
    for health in ("pain", "symptom", "numb", "hurt", "feel"):
        assert health not in words
