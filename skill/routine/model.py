"""The routine data file, loaded into frozen objects. Pure: no I/O beyond reading
the packaged TOML once.

Each exercise keeps its kind-specific numbers in `params` (read-only). Which keys
each kind needs is declared with that kind, in the narration compiler
(skill/speech/narrate.py, `check_routine`); this module checks the shape that
every exercise shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from msgspec import Struct, field

WITHOUT_WAYS = frozenset({"variant", "skip", "towel"})


class RoutineError(ValueError):
    """The routine data is incomplete or inconsistent."""


class Exercise(Struct, frozen=True):
    id: str
    kind: str
    position: str  # "seated" or "standing"
    params: Mapping[str, Any]

    @property
    def standing(self) -> bool:
        return self.position == "standing"


class Routine(Struct, frozen=True, eq=False):  # compared and hashed by identity: one per process
    exercises: tuple[Exercise, ...]
    tempo: Mapping[str, float]  # tempo name -> seconds from count to count
    target_minutes: tuple[float, float]
    warm_up_minutes: int
    spoken_count: int  # how many exercises the welcome names (every one, unless the data says)
    # A `needs` id -> what to do without it: "variant", "skip" or "towel" (routine.toml).
    without: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(exercise.id for exercise in self.exercises)

    def of_kind(self, kind: str) -> Exercise:
        """The first exercise of a kind: the one whose numbers that kind's settings follow."""
        for exercise in self.exercises:
            if exercise.kind == kind:
                return exercise
        raise KeyError(kind)

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def parse_routine(data: Mapping[str, Any]) -> Routine:
    """Build a Routine from the parsed TOML, checking what the compiler relies on."""
    try:
        order = data["routine"]["order"]
        table = data["exercises"]
        tempo = {name: float(seconds) for name, seconds in data["tempo"].items()}
        target = data["routine"]["target_minutes"]
        warm_up_minutes = int(data["warm_up"]["suggested_minutes"])
        spoken_count = int(data["routine"].get("spoken_count", len(data["routine"]["order"])))
        without = {str(need): str(way) for need, way in data.get("without", {}).items()}
    except (KeyError, TypeError, ValueError) as error:
        raise RoutineError(f"routine data is missing {error}") from error
    if set(order) != set(table):
        raise RoutineError("routine.order must list every exercise exactly once")
    if set(without.values()) - WITHOUT_WAYS:
        raise RoutineError(f"without: each way is one of {sorted(WITHOUT_WAYS)}")
    if "normal" not in tempo:
        raise RoutineError("tempo must define 'normal'")
    exercises = []
    for exercise_id in order:
        raw = dict(table[exercise_id])
        kind = raw.pop("kind", None)
        if not isinstance(kind, str) or not kind:
            raise RoutineError(f"{exercise_id}: no kind")
        position = raw.pop("position", "seated")
        exercises.append(Exercise(exercise_id, kind, position, _freeze(raw)))
    return Routine(
        exercises=tuple(exercises),
        tempo=MappingProxyType(tempo),
        target_minutes=(float(target["min"]), float(target["max"])),
        warm_up_minutes=warm_up_minutes,
        spoken_count=spoken_count,
        without=MappingProxyType(without),
    )


ROUTINE_FILE = Path(__file__).with_name("routine.toml")


def read_routine_data() -> dict[str, Any]:
    """The raw routine.toml, as parsed TOML (tests check numbers against it)."""
    # A plain file beside this module (not importlib.resources: its import costs ~5 ms of
    # every cold start, and the package is always unpacked files, on Lambda too), read
    # through its prebuilt form (skill/prebuilt.py).
    from skill.prebuilt import load_toml

    data = load_toml(ROUTINE_FILE)
    if data is None:
        raise FileNotFoundError(ROUTINE_FILE)
    return data


@lru_cache(maxsize=1)
def load_routine() -> Routine:
    """The packaged routine, parsed once per process."""
    return parse_routine(read_routine_data())
