"""Moving through the compiled routine: next, previous, skip, jump to an exercise.

Pure functions over the ordered segment ids and their exercise ids, so the
rules live in one place whatever host asks.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct


class Route(Struct, frozen=True):
    """The order of one compiled routine: segment ids and the exercise of each."""

    segment_ids: tuple[str, ...]
    exercise_ids: tuple[str, ...]

    @classmethod
    def of(cls, segments: Sequence[object]) -> Route:
        return cls(
            tuple(segment.id for segment in segments),  # type: ignore[attr-defined]
            tuple(segment.exercise for segment in segments),  # type: ignore[attr-defined]
        )

    @property
    def first(self) -> int:
        return 0

    @property
    def last(self) -> int:
        return len(self.segment_ids) - 1

    def index(self, segment_id: str | None) -> int | None:
        """Where a saved segment id is; None when it is unknown (routine or settings changed)."""
        if segment_id in self.segment_ids:
            return self.segment_ids.index(segment_id)
        return None

    def locate(self, segment_id: str | None, exercise_id: str | None) -> int | None:
        """A saved position, falling back to the start of its exercise when the
        segment no longer exists (for example after switching to marbles)."""
        found = self.index(segment_id)
        if found is None and exercise_id is not None:
            return self.start_of(exercise_id)
        return found

    def start_of(self, exercise_id: str) -> int | None:
        if exercise_id in self.exercise_ids:
            return self.exercise_ids.index(exercise_id)
        return None

    def next(self, index: int) -> int | None:
        return index + 1 if index < self.last else None

    def previous(self, index: int) -> int | None:
        return index - 1 if index > 0 else None

    def next_exercise(self, index: int) -> int | None:
        """The first segment of the exercise after the one at `index`."""
        current = self.exercise_ids[index]
        for later in range(index + 1, len(self.exercise_ids)):
            if self.exercise_ids[later] != current:
                return later
        return None

    def ends_exercise(self, index: int) -> bool:
        """True when the segment at `index` is the last one of its exercise."""
        return index == self.last or self.exercise_ids[index + 1] != self.exercise_ids[index]

    def exercise_at(self, index: int) -> str:
        return self.exercise_ids[index]
