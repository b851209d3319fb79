"""Totals, streaks, weeks, milestones and progression offers from completed local dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.conversation.clock import local_date
from skill.progress import practice
from skill.progress.practice import (
    Offer,
    ProgressionRules,
    add_months,
    current_streak,
    days_this_week,
    last_completed,
    new_milestones,
    practice_summary,
    progression_offers,
    reached_milestones,
    total_days,
)
from skill.progress.records import ProgressUpdate, UserProgress
from skill.routine.model import load_routine

ROUTINE = load_routine().ids
TODAY = date(2026, 3, 11)  # a Wednesday


def progress(*days: date | str, **kw: object) -> UserProgress:
    return UserProgress(completed_days=frozenset(str(d) for d in days), **kw)  # type: ignore[arg-type]


def run(end: date, length: int) -> list[date]:
    return [end - timedelta(days=i) for i in range(length)]


def test_nothing_yet() -> None:
    empty = UserProgress()
    s = practice_summary(empty, TODAY)
    assert (s.total_days, s.streak, s.days_this_week, s.last_day, s.completed_today) == (
        0,
        0,
        0,
        None,
        False,
    )
    assert new_milestones(empty, TODAY) == ()
    assert progression_offers(empty, TODAY) == ()


def test_totals_and_last_day_ignore_future_dates() -> None:
    p = progress("2026-03-01", "2026-03-05", "2026-03-12")  # the 12th is after today
    assert total_days(p, TODAY) == 2
    assert last_completed(p, TODAY) == date(2026, 3, 5)


def test_streak_ending_today() -> None:
    assert current_streak(progress(*run(TODAY, 4)), TODAY) == 4


def test_streak_ending_yesterday_is_still_alive() -> None:
    p = progress(*run(TODAY - timedelta(days=1), 3))
    assert current_streak(p, TODAY) == 3
    assert not practice_summary(p, TODAY).completed_today


def test_a_gap_breaks_the_streak() -> None:
    p = progress(*run(TODAY - timedelta(days=2), 5))  # nothing yesterday or today
    assert current_streak(p, TODAY) == 0
    gap = progress(TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=3))
    assert current_streak(gap, TODAY) == 2
    assert total_days(gap, TODAY) == 3


def test_days_this_week_start_on_monday() -> None:
    monday = date(2026, 3, 9)
    p = progress(monday - timedelta(days=1), monday, TODAY)  # Sunday is last week
    assert days_this_week(p, TODAY) == 2
    assert days_this_week(p, monday) == 1
    assert days_this_week(progress(monday - timedelta(days=1)), monday) == 0


def test_milestones_once_each() -> None:
    p = progress(TODAY)
    assert new_milestones(p, TODAY) == ("first_day",)
    announced = p.apply(ProgressUpdate(milestones=frozenset({"first_day"})), ROUTINE)
    assert new_milestones(announced, TODAY) == ()
    three = progress(*run(TODAY, 3), milestones=frozenset({"first_day"}))
    assert new_milestones(three, TODAY) == ("three_days",)
    assert reached_milestones(progress(*run(TODAY, 100)), TODAY) == (
        "first_day",
        "three_days",
        "one_week",
        "three_weeks",
        "thirty_days",
        "hundred_days",
    )


def test_milestones_count_total_days_not_streaks() -> None:
    every_other_day = [TODAY - timedelta(days=2 * i) for i in range(7)]
    assert "one_week" in reached_milestones(progress(*every_other_day), TODAY)


def test_ten_months_of_practice() -> None:
    first = date(2025, 5, 11)
    three_a_week = [first + timedelta(days=i) for i in range(0, 304, 2)]  # 152 days
    assert three_a_week[-1] == date(2026, 3, 9)
    p = progress(*three_a_week)
    assert add_months(first, 10) == TODAY
    assert "ten_months" in reached_milestones(p, TODAY)
    assert "ten_months" not in reached_milestones(p, TODAY - timedelta(days=1))  # too soon
    lapsed = TODAY + timedelta(days=30)  # no practice for a month: not "practising"
    assert "ten_months" not in reached_milestones(p, lapsed)
    few = progress(*three_a_week[::3])  # ~52 days in ten months
    assert "ten_months" not in reached_milestones(few, TODAY)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2025, 5, 31), 9) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_standing_raises_offered_after_three_weeks_and_once() -> None:
    seated = {"raise_position": "seated", "raise_reps": 10}
    p20 = progress(*run(TODAY, 20), settings=seated)
    assert all(o.setting != "raise_position" for o in progression_offers(p20, TODAY))
    p21 = progress(*run(TODAY, 21), settings=seated)
    offers = progression_offers(p21, TODAY)
    assert offers[0] == Offer("offer_standing_raises_1", "raise_position", "standing")
    asked = progress(*run(TODAY, 21), settings=seated, milestones={o.id for o in offers})
    assert progression_offers(asked, TODAY) == ()
    standing = progress(*run(TODAY, 21), settings={**seated, "raise_position": "standing"})
    assert all(o.setting != "raise_position" for o in progression_offers(standing, TODAY))


def test_raise_reps_grow_two_per_week_up_to_the_maximum() -> None:
    def offer(days: int, reps: int) -> Offer | None:
        p = progress(*run(TODAY, days), settings={"raise_position": "standing", "raise_reps": reps})
        offers = progression_offers(p, TODAY)
        return offers[0] if offers else None

    assert offer(6, 10) is None
    assert offer(7, 10) == Offer("offer_raise_reps_12", "raise_reps", 12)
    assert offer(7, 12) is None  # already at the earned level
    assert offer(35, 12) == Offer("offer_raise_reps_20", "raise_reps", 14)  # one step at a time
    assert offer(200, 28) == Offer("offer_raise_reps_30", "raise_reps", 30)
    assert offer(400, 30) is None  # the maximum


def test_rules_come_from_the_routine_data() -> None:
    rules = ProgressionRules.from_routine(load_routine().exercise("heel_toe_raises").params)
    assert (rules.standing_after_days, rules.base_raise_reps, rules.max_raise_reps) == (21, 10, 30)


def test_finishing_at_2350_local_counts_for_that_local_day() -> None:
    zone = "America/Los_Angeles"
    finished = local_date("2026-03-11T06:50:00Z", zone)  # 23:50 on the 10th, PDT
    assert finished == date(2026, 3, 10)
    p = UserProgress().apply(
        ProgressUpdate(exercises_done={finished.isoformat(): frozenset(ROUTINE)}), ROUTINE
    )
    assert p.completed_days == {"2026-03-10"}
    # The next morning the streak is alive and nothing is done "today" yet.
    morning = local_date("2026-03-11T15:00:00Z", zone)
    assert (current_streak(p, morning), practice_summary(p, morning).completed_today) == (1, False)


def test_streak_across_a_daylight_saving_change() -> None:
    # New York leaves daylight time at 02:00 on 2026-11-01. The same 23:30 local routine
    # is 03:30Z before the change and 04:30Z after; each lands on its own local date.
    zone = "America/New_York"
    stamps = [
        "2026-10-30T03:30:00Z",  # Oct 29 23:30 EDT
        "2026-10-31T03:30:00Z",  # Oct 30
        "2026-11-01T03:30:00Z",  # Oct 31
        "2026-11-02T04:30:00Z",  # Nov 1 23:30 EST
        "2026-11-03T04:30:00Z",  # Nov 2
    ]
    p = UserProgress()
    for stamp in stamps:
        day = local_date(stamp, zone).isoformat()
        p = p.apply(ProgressUpdate(exercises_done={day: frozenset(ROUTINE)}), ROUTINE)
    assert sorted(p.completed_days) == [
        "2026-10-29",
        "2026-10-30",
        "2026-10-31",
        "2026-11-01",
        "2026-11-02",
    ]
    today = local_date("2026-11-03T04:30:00Z", zone)
    assert current_streak(p, today) == 5
    # A fixed -04:00 offset (daylight time kept after the change) would put the Nov 1
    # routine on Nov 2 and break the streak; UTC would put every one a day late.
    fixed_edt = [local_date(s.replace("Z", "+00:00"), "Etc/GMT+4") for s in stamps]
    assert date(2026, 11, 1) not in fixed_edt
    assert all(local_date(s, "UTC") != local_date(s, zone) for s in stamps)


@settings(max_examples=60, deadline=None)
@given(
    # Recorded dates are never later than a week ahead (records.py drops those).
    st.frozensets(st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 11, 30)), max_size=60),
    st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
)
def test_completed_dates_parsed_once_per_record_answer_as_parsing_each_time(
    days: frozenset[date], today: date
) -> None:
    """practice.completed_dates keeps each record's dates parsed (a session start asks about
    ten times): the same answer as parsing and filtering them afresh, for any record."""
    progress = UserProgress(completed_days=frozenset(d.isoformat() for d in days))
    expected = sorted(d for d in days if d <= today)
    assert practice.completed_dates(progress, today) == expected
    assert practice.completed_dates(progress, today) == expected  # from the parsed record
