"""What the user hears about their practice, computed from UserProgress. Pure: no I/O.

Every function takes `today`, the user's LOCAL date (see skill.conversation.clock.local_date),
and ignores completed days after it (a device clock ahead of ours must not count).
The numbers below are the project's choices, kept here in one place.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from msgspec import Struct

from skill.progress.earlier import EarlierDays
from skill.progress.records import UserProgress
from skill.routine.model import load_routine

# Milestones by total completed days (not days in a row: a missed day never takes one away).
DAY_MILESTONES: tuple[tuple[str, int], ...] = (
    ("first_day", 1),
    ("three_days", 3),
    ("one_week", 7),
    ("three_weeks", 21),
    ("thirty_days", 30),
    ("hundred_days", 100),
)
# "Ten months of practice" (results take months): project's definition is at least
# TEN_MONTHS calendar months since the first completed day, at least TEN_MONTHS_MIN_DAYS
# days completed in all (about three a week), and a completed day within the last
# TEN_MONTHS_RECENT_DAYS days (still practising).
TEN_MONTHS_ID = "ten_months"
TEN_MONTHS = 10
TEN_MONTHS_MIN_DAYS = 120
TEN_MONTHS_RECENT_DAYS = 14

# Weeks start on Monday (ISO 8601) for "days this week".
WEEK_START = 0  # date.weekday() of the first day of the week


class Summary(Struct, frozen=True):
    """Answers to "how many days have I completed?"."""

    total_days: int
    streak: int
    days_this_week: int
    last_day: date | None
    completed_today: bool


def completed_dates(progress: UserProgress, today: date) -> list[date]:
    """Completed local dates up to today, oldest first: those in the record, not those
    archived (progress.earlier; every function below counts those through their figures)."""
    days = _parsed(progress.completed_days)
    return list(days[: bisect_right(days, today)])


@lru_cache(maxsize=16)
def _parsed(completed: frozenset[str]) -> tuple[date, ...]:
    """The record's dates parsed and sorted once per record: a session start asks for them
    about ten times, and an embedded store keeps every date (ten years: ~3,300)."""
    return tuple(sorted(date.fromisoformat(d) for d in completed))


def _earlier(progress: UserProgress, today: date) -> EarlierDays | None:
    earlier = progress.earlier
    return earlier if earlier is not None and earlier.last_date <= today else None


def total_days(progress: UserProgress, today: date) -> int:
    earlier = _earlier(progress, today)
    return len(completed_dates(progress, today)) + (earlier.count if earlier else 0)


def current_streak(progress: UserProgress, today: date) -> int:
    """Completed days in a row, ending today, or ending yesterday when today is not done yet.

    Ending yesterday still counts: the streak is alive until today is over.
    """
    days = set(completed_dates(progress, today))
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    earlier = _earlier(progress, today)
    if earlier is not None and day == earlier.last_date:  # the run goes on into the archive
        streak += earlier.last_run
    return streak


def best_streak(progress: UserProgress, today: date) -> int:
    """The most completed days in a row, ever (up to today)."""
    earlier = _earlier(progress, today)
    best = earlier.best_run if earlier else 0
    run = earlier.last_run if earlier else 0
    previous = earlier.last_date if earlier else None
    for day in completed_dates(progress, today):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best, previous = max(best, run), day
    return best


def days_this_week(progress: UserProgress, today: date) -> int:
    """Completed days from this week's Monday up to today (never archived: too recent)."""
    start = today - timedelta(days=(today.weekday() - WEEK_START) % 7)
    return sum(1 for d in completed_dates(progress, today) if d >= start)


def first_completed(progress: UserProgress, today: date) -> date | None:
    earlier = _earlier(progress, today)
    if earlier is not None:
        return date.fromisoformat(earlier.first)
    days = completed_dates(progress, today)
    return days[0] if days else None


def last_completed(progress: UserProgress, today: date) -> date | None:
    days = completed_dates(progress, today)
    if days:
        return days[-1]
    earlier = _earlier(progress, today)
    return earlier.last_date if earlier else None


def practice_summary(progress: UserProgress, today: date) -> Summary:
    last = last_completed(progress, today)
    return Summary(
        total_days=total_days(progress, today),
        streak=current_streak(progress, today),
        days_this_week=days_this_week(progress, today),
        last_day=last,
        completed_today=last == today,
    )


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's end (Jan 31 -> Feb 28)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    next_year, next_month = divmod(month, 12)  # the first of the month after, less a day
    month_end = (date(year + next_year, next_month + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, month_end))


def reached_milestones(progress: UserProgress, today: date) -> tuple[str, ...]:
    """Every milestone the data has reached by today, in order."""
    total = total_days(progress, today)
    first, last = first_completed(progress, today), last_completed(progress, today)
    reached = [mid for mid, threshold in DAY_MILESTONES if total >= threshold]
    if (
        first is not None
        and last is not None
        and today >= add_months(first, TEN_MONTHS)
        and total >= TEN_MONTHS_MIN_DAYS
        and (today - last).days < TEN_MONTHS_RECENT_DAYS
    ):
        reached.append(TEN_MONTHS_ID)
    return tuple(reached)


def new_milestones(progress: UserProgress, today: date) -> tuple[str, ...]:
    """Milestones reached and not yet announced, in order (normally zero or one).

    The caller announces them (the last is the biggest) and saves their ids in
    ProgressUpdate.milestones so each is announced once.
    """
    return tuple(m for m in reached_milestones(progress, today) if m not in progress.milestones)


# -- progression: offered, never forced --------------------------------------------------
class ProgressionRules(Struct, frozen=True):
    """When raises may get harder; every number is in skill/routine/routine.toml."""

    standing_after_days: int  # "after a few weeks" of completed days
    base_raise_reps: int  # seated starting reps per foot
    max_raise_reps: int  # reached gradually, over months
    raise_reps_step: int  # reps added per step
    days_per_step: int  # completed days earning one step

    @classmethod
    def from_routine(cls, raises_params: Mapping[str, Any]) -> ProgressionRules:
        """From a raises exercise's params in the routine data."""
        progression = raises_params["progression"]
        return cls(
            standing_after_days=int(progression["standing_after_days"]),
            base_raise_reps=int(raises_params["reps_per_foot"]["min"]),
            max_raise_reps=int(progression["max_reps_per_foot"]),
            raise_reps_step=int(progression["reps_step"]),
            days_per_step=int(progression["days_per_step"]),
        )

    @classmethod
    def packaged(cls) -> ProgressionRules:
        """The rules of the packaged routine's raises."""
        return cls.from_routine(load_routine().of_kind("raises").params)


class Offer(Struct, frozen=True):
    """A suggestion to change one setting. If the user accepts, save settings[setting] = value.

    Save `id` in ProgressUpdate.milestones when the offer is made (accepted or not), so
    it is not asked again; ids change as practice grows, so a declined offer returns
    later (standing: every `standing_after_days` more days; reps: each new step).
    """

    id: str
    setting: str
    value: Any


def progression_offers(
    progress: UserProgress, today: date, rules: ProgressionRules | None = None
) -> tuple[Offer, ...]:
    """Offers due now, most important first. Make at most one per session (the first)."""
    rules = rules or ProgressionRules.packaged()
    total = total_days(progress, today)
    settings = progress.settings
    offers: list[Offer] = []
    if settings.get("raise_position", "seated") == "seated" and total >= rules.standing_after_days:
        offers.append(
            Offer(
                f"offer_standing_raises_{total // rules.standing_after_days}",
                "raise_position",
                "standing",
            )
        )
    current = _int(settings.get("raise_reps"), rules.base_raise_reps)
    earned = min(
        rules.max_raise_reps,
        rules.base_raise_reps + rules.raise_reps_step * (total // rules.days_per_step),
    )
    if current + rules.raise_reps_step <= earned:
        offers.append(
            Offer(f"offer_raise_reps_{earned}", "raise_reps", current + rules.raise_reps_step)
        )
    return tuple(o for o in offers if o.id not in progress.milestones)


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
