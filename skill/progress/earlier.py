"""Completed dates archived out of the record a session reads, kept there as five figures.

A person's record is read at every session start and rewritten by every turn, and a write
costs one unit per started kilobyte of the record. Ten years of completed dates take ~460
bytes even as a bitmap, so a store may move dates older than a few months into a separate
archive (read only when a question needs the dates themselves) and keep in the record just
what every answer about practice needs from them: how many, the first and the last, the
longest run and the run that ends on the last one. Given the recent dates as well, these
answer total days, streaks (current and best), the last day and the milestones exactly as
the whole list would (skill/progress/practice.py; tests/test_years_of_use.py checks it).

All archived dates are older than every date still in the record, so a run can only
continue from `last` into the record's dates, never the other way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta

from msgspec import Struct

# A store archives once the record's folded dates span more than ARCHIVE_AFTER_DAYS, moving
# those older than KEEP_DAYS before the newest date: one archive write every two months
# or so, and the record keeps at most ~17 bytes of dates.
KEEP_DAYS = 60
ARCHIVE_AFTER_DAYS = 120


class EarlierDays(Struct, frozen=True):
    """The figures of the archived completed dates."""

    count: int
    first: str  # ISO date
    last: str  # ISO date
    best_run: int  # the most days in a row among them
    last_run: int  # days in a row ending on `last`

    def pack(self) -> str:
        return f"{self.count}:{self.first}:{self.last}:{self.best_run}:{self.last_run}"

    @classmethod
    def unpack(cls, text: str | None) -> EarlierDays | None:
        """The figures pack() wrote; None for "" or None."""
        if not text:
            return None
        count, first, last, best, run = text.split(":")
        date.fromisoformat(first), date.fromisoformat(last)  # validates
        return cls(int(count), first, last, int(best), int(run))

    @property
    def last_date(self) -> date:
        return date.fromisoformat(self.last)


def summarise(days: Iterable[str], before: EarlierDays | None = None) -> EarlierDays | None:
    """The figures of `before`'s dates followed by `days` (each later than before.last)."""
    ordered = sorted(set(days))
    if not ordered:
        return before
    count = before.count if before else 0
    best = before.best_run if before else 0
    run = before.last_run if before else 0
    previous = before.last_date if before else None
    for text in ordered:
        day = date.fromisoformat(text)
        if previous is not None and day <= previous:
            raise ValueError(f"{text} is not after the archived dates")
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best, previous, count = max(best, run), day, count + 1
    return EarlierDays(count, before.first if before else ordered[0], ordered[-1], best, run)


def plan_archive(history: Collection[str], newest: str) -> frozenset[str]:
    """The folded dates to archive now (empty when none are due): once the oldest is more
    than ARCHIVE_AFTER_DAYS before `newest`, every date older than KEEP_DAYS before it."""
    if not history:
        return frozenset()
    newest_day = date.fromisoformat(newest)
    if date.fromisoformat(min(history)) >= newest_day - timedelta(days=ARCHIVE_AFTER_DAYS):
        return frozenset()
    cutoff = (newest_day - timedelta(days=KEEP_DAYS)).isoformat()
    return frozenset(d for d in history if d < cutoff)
