"""What is remembered about one person's practice: the records every store keeps.

Adherence only: dates, exercise ids, position, settings, milestones, time zone.

How completed days are derived (same in every backend):
each write records, for every date it touches, the exercise ids finished that date (a set
union, so concurrent writers commute) and the routine's required ids at the time (as a
short signature). A date is complete when its exercises cover any routine recorded for it.
Deriving on read keeps a write to ONE atomic call even when two devices each finish half
the routine on the same date, and recording the required ids per date means a later change
to the routine never un-completes a past day.

Years of practice stay small: per-exercise detail is kept for the newest date only (what
today's resume reads; a turn after midnight writes the new date, and an unsaved update
rides along with the next write, so an older date never gains exercises afterwards);
older dates are folded into a compact history of completed dates, one bit per day (see
pack_dates). Stores fold inside their normal write, so reads and writes per turn do not
change. A store may also archive folded dates older than a few months out of the record
(skill/progress/earlier.py): UserProgress.completed_days then holds the dates after the
archive, and UserProgress.earlier the archived dates' figures; skill/progress/practice.py
answers from both exactly as from every date.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from msgspec import Struct, field
from msgspec.structs import force_setattr

from skill.progress.bounds import latest_date, sane_ms
from skill.progress.earlier import EarlierDays
from skill.progress.nudges import Nudges, NudgeUpdate

log = logging.getLogger("skill")

SCHEMA_VERSION = 1

_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")  # exercise, segment, milestone and setting ids


def check_date(value: str) -> str:
    """An ISO local date, exactly YYYY-MM-DD (it becomes part of a stored key)."""
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"not an ISO date: {value!r}")
    date.fromisoformat(value)
    return value


def check_id(value: str, what: str = "id") -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(f"bad {what}: {value!r}")
    return value


def check_setting(key: str, value: Any) -> Any:
    check_id(key, "setting key")
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # stores keep integers; 12.0 from JSON is 12
    raise ValueError(f"setting {key!r} must be str, int or bool, not {type(value).__name__}")


def required_ids(required: Iterable[str]) -> list[str]:
    """The required exercise ids, checked, sorted and without repeats."""
    ids = sorted({check_id(r, "exercise id") for r in required})
    if not ids:
        raise ValueError("required_exercises is empty")
    return ids


def routine_signature(required: Iterable[str]) -> str:
    """A short, stable name for a set of required exercise ids."""
    import hashlib  # here: only the DynamoDB store signs its writes (no embedded first answer)

    return hashlib.sha256(",".join(required_ids(required)).encode()).hexdigest()[:10]


def derive_completed(
    exercises_by_date: Mapping[str, frozenset[str]],
    routines_by_date: Mapping[str, Iterable[frozenset[str]]],
) -> frozenset[str]:
    """Dates whose finished exercises cover any routine recorded for that date."""
    return frozenset(
        day
        for day, rules in routines_by_date.items()
        if any(rule and rule <= exercises_by_date.get(day, frozenset()) for rule in rules)
    )


# -- the compact history of completed dates --------------------------------------------------
DETAIL_DAYS = 1  # dates with per-exercise detail, counting back from the newest one
MAX_FOLD_DAYS = 60  # detail dates folded by one write (keeps the expression small and quick)


def pack_dates(dates: Iterable[str]) -> str:
    """Dates as "<first>:<bitmap>", bit i (least significant first) meaning first + i days,
    the bitmap base64. Ten years of daily practice take about 620 characters."""
    ordinals = sorted({date.fromisoformat(check_date(d)).toordinal() for d in dates})
    if not ordinals:
        return ""
    first, bits = ordinals[0], 0
    for ordinal in ordinals:
        bits |= 1 << (ordinal - first)
    raw = bits.to_bytes(((ordinals[-1] - first) >> 3) + 1, "little")
    return f"{date.fromordinal(first).isoformat()}:{base64.b64encode(raw).decode('ascii')}"


def unpack_dates(packed: str) -> frozenset[str]:
    """The dates pack_dates() packed; "" is none."""
    if not packed:
        return frozenset()
    first_text, _, encoded = packed.partition(":")
    first = date.fromisoformat(check_date(first_text)).toordinal()
    bits = int.from_bytes(base64.b64decode(encoded, validate=True), "little")
    days = []
    while bits:
        lowest = bits & -bits
        days.append(date.fromordinal(first + lowest.bit_length() - 1).isoformat())
        bits ^= lowest
    return frozenset(days)


class Fold(Struct, frozen=True):
    """Detail dates leaving the window, and the packed history that absorbs them."""

    days: tuple[str, ...]  # detail dates to drop, oldest first
    history: str  # pack_dates() of every folded completed date, these included


def plan_fold(
    detail_days: Collection[str],
    completed: Collection[str],
    history: Collection[str],
    limit: int | None = MAX_FOLD_DAYS,
) -> Fold | None:
    """What to fold now: detail dates more than DETAIL_DAYS before the newest detail date
    (at most `limit` of them, oldest first); None when nothing is due.

    `completed` are the completed dates among `detail_days`; `history` the dates folded
    before. Incomplete old dates leave no trace: only completed days are ever counted.
    """
    if not detail_days:
        return None
    newest = date.fromisoformat(max(detail_days))
    cutoff = (newest - timedelta(days=DETAIL_DAYS - 1)).isoformat()
    old = sorted(d for d in detail_days if d < cutoff)[:limit]
    if not old:
        return None
    folded = set(history) | {d for d in old if d in completed}
    return Fold(days=tuple(old), history=pack_dates(folded))


class Position(Struct, frozen=True):
    """Where the user is in the routine."""

    exercise: str  # exercise id
    segment: str  # segment id within the narration
    saved_at: int  # epoch milliseconds (request timestamp); newer wins

    def __post_init__(self) -> None:
        if not isinstance(self.exercise, str) or not self.exercise:
            raise ValueError("position.exercise is empty")
        if not isinstance(self.segment, str):
            raise ValueError("position.segment must be a string")
        if isinstance(self.saved_at, bool) or not isinstance(self.saved_at, int):
            raise ValueError("position.saved_at must be int epoch milliseconds")

    # A place kept by a safety stop carries REST_MARK after its segment id, so the next
    # launch asks how the person is before offering to carry on. It records that they
    # stopped to rest, never why.
    REST_MARK = "~rest"

    @property
    def rested(self) -> bool:
        return self.segment.endswith(self.REST_MARK)

    @property
    def segment_id(self) -> str:
        return self.segment.removesuffix(self.REST_MARK)

    def after_rest(self) -> Position:
        return Position(self.exercise, self.segment_id + self.REST_MARK, self.saved_at)

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "segment": self.segment, "saved_at": self.saved_at}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Position | None:
        """From session attributes; a time outside bounds' window is no position."""
        if not data:
            return None
        position = cls(str(data["exercise"]), str(data["segment"]), int(data["saved_at"]))
        if not sane_ms(position.saved_at):
            log.warning("a session position's time is out of range; dropped")
            return None
        return position


def _freeze_days(data: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for day, ids in data.items():
        if isinstance(ids, str):
            raise ValueError(f"exercise ids for {day} must be a collection, not a string")
        frozen = frozenset(check_id(i, "exercise id") for i in ids)
        if frozen:
            out[check_date(day)] = frozen
    return out


class UserProgress(Struct, frozen=True):
    """Everything remembered about one user (adherence only)."""

    exercises_by_date: Mapping[str, frozenset[str]] = field(default_factory=dict)
    completed_days: frozenset[str] = frozenset()
    position: Position | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    milestones: frozenset[str] = frozenset()
    time_zone: str | None = None
    schema_version: int = SCHEMA_VERSION
    nudges: Nudges = field(default_factory=Nudges)  # reminder, offer declined, card (nudges.py)
    earlier: EarlierDays | None = None  # archived dates' figures (earlier.py), older than all

    def __post_init__(self) -> None:
        days = _freeze_days(self.exercises_by_date)
        completed = frozenset(self.completed_days)
        if self.earlier is not None:  # a date both archived and recent counts once
            completed = frozenset(d for d in completed if d > self.earlier.last)
        latest = latest_date()  # a stored date past it came from an odd clock: not believed
        if (days and max(days) > latest) or (completed and max(completed) > latest):
            log.warning("stored dates beyond next week dropped")
            days = {d: ids for d, ids in days.items() if d <= latest}
            completed = frozenset(d for d in completed if d <= latest)
        if self.position is not None and not sane_ms(self.position.saved_at):
            log.warning("a stored position's time is out of range; dropped")
            force_setattr(self, "position", None)
        force_setattr(self, "exercises_by_date", days)
        force_setattr(self, "completed_days", completed)
        force_setattr(self, "settings", dict(self.settings))
        force_setattr(self, "milestones", frozenset(self.milestones))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (sorted lists), for session attributes."""
        return {
            "exercises_by_date": {
                d: sorted(ids) for d, ids in sorted(self.exercises_by_date.items())
            },
            "completed_days": sorted(self.completed_days),
            "position": self.position.to_dict() if self.position else None,
            "settings": dict(self.settings),
            "milestones": sorted(self.milestones),
            "time_zone": self.time_zone,
            "schema_version": self.schema_version,
            "nudges": self.nudges.to_dict(),
            "earlier": self.earlier.pack() if self.earlier else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserProgress:
        return cls(
            exercises_by_date=data.get("exercises_by_date") or {},
            completed_days=frozenset(data.get("completed_days") or ()),
            position=Position.from_dict(data.get("position")),
            settings=data.get("settings") or {},
            milestones=frozenset(data.get("milestones") or ()),
            time_zone=data.get("time_zone"),
            schema_version=int(data.get("schema_version", SCHEMA_VERSION)),
            nudges=Nudges.from_dict(data.get("nudges")),
            earlier=EarlierDays.unpack(data.get("earlier")),
        )

    def apply(self, update: ProgressUpdate, required_exercises: Sequence[str]) -> UserProgress:
        """The state after `update`, computed locally with the stores' rules.

        For showing the user an unsaved update (e.g. while the store is unavailable).
        """
        days = {d: set(ids) for d, ids in self.exercises_by_date.items()}
        for day, ids in update.exercises_done.items():
            days.setdefault(day, set()).update(ids)
        rule = frozenset(required_exercises)
        newly = {d for d in update.exercises_done if rule <= days[d]}
        position = self.position
        if update.position_applies(position.saved_at if position else None):
            position = None if update.clear_position else update.position
        return UserProgress(
            exercises_by_date={d: frozenset(ids) for d, ids in days.items()},
            completed_days=self.completed_days | newly,
            position=position,
            settings={**self.settings, **update.settings},
            milestones=self.milestones | update.milestones,
            time_zone=update.time_zone or self.time_zone,
            schema_version=SCHEMA_VERSION,
            nudges=self.nudges.apply(update.nudges),
            earlier=self.earlier,
        )


class ProgressUpdate(Struct, frozen=True):
    """What one turn changed. An empty update means no write at all.

    clear_position forgets the position (routine finished). If `position` is given with it,
    its saved_at stamps the clear, so an older position arriving later from another device
    cannot bring the finished routine's position back.
    """

    exercises_done: Mapping[str, frozenset[str]] = field(default_factory=dict)
    position: Position | None = None
    clear_position: bool = False
    settings: Mapping[str, Any] = field(default_factory=dict)
    milestones: frozenset[str] = frozenset()
    time_zone: str | None = None
    nudges: NudgeUpdate = field(default_factory=NudgeUpdate)  # nudges.py

    def __post_init__(self) -> None:
        force_setattr(self, "exercises_done", _freeze_days(self.exercises_done))
        force_setattr(self, "settings", {k: check_setting(k, v) for k, v in self.settings.items()})
        if isinstance(self.milestones, str):
            raise ValueError("milestones must be a collection of ids")
        force_setattr(
            self, "milestones", frozenset(check_id(m, "milestone") for m in self.milestones)
        )
        if self.time_zone is not None and (not self.time_zone or len(self.time_zone) > 64):
            raise ValueError(f"bad time zone: {self.time_zone!r}")

    def is_empty(self) -> bool:
        return not (
            self.exercises_done
            or self.position
            or self.clear_position
            or self.settings
            or self.milestones
            or self.time_zone
            or not self.nudges.is_empty()
        )

    def position_applies(self, stored_saved_at: int | None) -> bool:
        """Whether this update's position change wins over a stored position's time."""
        if self.clear_position and self.position is None:
            return True  # an unstamped clear always applies
        if self.position is None:
            return False
        return stored_saved_at is None or stored_saved_at <= self.position.saved_at

    def without_position(self) -> ProgressUpdate:
        return ProgressUpdate(
            exercises_done=self.exercises_done,
            settings=self.settings,
            milestones=self.milestones,
            time_zone=self.time_zone,
            nudges=self.nudges,
        )

    def without_choices(self) -> ProgressUpdate:
        """Only what merges with any stored state (exercises, milestones, the stamped
        position): without the settings, time zone and nudges, where the last write wins.
        What a store still writes when a newer write has made these choices stale."""
        return ProgressUpdate(
            exercises_done=self.exercises_done,
            position=self.position,
            clear_position=self.clear_position,
            milestones=self.milestones,
        )

    def has_choices(self) -> bool:
        return bool(self.settings or self.time_zone or not self.nudges.is_empty())

    def merge(self, other: ProgressUpdate) -> ProgressUpdate:
        """This update followed by a later one (`other`): one update that does both.

        Exercises and milestones unite; the later settings and time zone win; for the
        position, the later update's intent wins unless its position is older.
        """
        days = {d: set(ids) for d, ids in self.exercises_done.items()}
        for day, ids in other.exercises_done.items():
            days.setdefault(day, set()).update(ids)
        position, clear = self.position, self.clear_position
        if other.position is not None or other.clear_position:
            older = (
                other.position is not None
                and self.position is not None
                and other.position.saved_at < self.position.saved_at
            )
            if not older:
                position, clear = other.position, other.clear_position
        return ProgressUpdate(
            exercises_done={d: frozenset(ids) for d, ids in days.items()},
            position=position,
            clear_position=clear,
            settings={**self.settings, **other.settings},
            milestones=self.milestones | other.milestones,
            time_zone=other.time_zone or self.time_zone,
            nudges=self.nudges.merge(other.nudges),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe, so an unsaved update can wait in session attributes."""
        return {
            "exercises_done": {d: sorted(ids) for d, ids in sorted(self.exercises_done.items())},
            "position": self.position.to_dict() if self.position else None,
            "clear_position": self.clear_position,
            "settings": dict(self.settings),
            "milestones": sorted(self.milestones),
            "time_zone": self.time_zone,
            "nudges": self.nudges.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ProgressUpdate:
        data = data or {}
        return cls(
            exercises_done=data.get("exercises_done") or {},
            position=Position.from_dict(data.get("position")),
            clear_position=bool(data.get("clear_position")),
            settings=data.get("settings") or {},
            milestones=frozenset(data.get("milestones") or ()),
            time_zone=data.get("time_zone"),
            nudges=NudgeUpdate.from_dict(data.get("nudges")),
        )
