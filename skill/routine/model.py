"""The routine data file, loaded into frozen objects. Pure: no I/O beyond reading
the packaged TOML once.

Each exercise keeps its kind-specific numbers in `params` (read-only); the
narration compiler knows, per kind, which keys it needs, and `load_routine`
checks they are all there so a bad edit fails at load, not mid-session.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

# Keys each kind of exercise must define (beyond kind/position).
REQUIRED_PARAMS: dict[str, tuple[str, ...]] = {
    "grip_and_spread": ("sides", "hold_seconds", "reps_per_foot", "orders", "marbles"),
    "timed_roll": ("sides", "phases", "halfway_check"),
    "passes": ("sides", "passes_per_foot", "pass_seconds"),
    "tapping": ("rounds", "sides", "blocks"),
    "pressure_points": ("sides", "hold_seconds", "points"),
    "raises": ("sides", "movements", "reps_per_foot", "rep_seconds", "progression"),
}


class RoutineError(ValueError):
    """The routine data is incomplete or inconsistent."""


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str
    position: str  # "seated" or "standing"
    params: Mapping[str, Any]

    @property
    def standing(self) -> bool:
        return self.position == "standing"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process
class Routine:
    exercises: tuple[Exercise, ...]
    tempo: Mapping[str, float]  # tempo name -> seconds from count to count
    target_minutes: tuple[float, float]
    warm_up_minutes: int

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(exercise.id for exercise in self.exercises)

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
    except (KeyError, TypeError, ValueError) as error:
        raise RoutineError(f"routine data is missing {error}") from error
    if set(order) != set(table):
        raise RoutineError("routine.order must list every exercise exactly once")
    if "normal" not in tempo:
        raise RoutineError("tempo must define 'normal'")
    exercises = []
    for exercise_id in order:
        raw = dict(table[exercise_id])
        kind = raw.pop("kind", None)
        if kind not in REQUIRED_PARAMS:
            raise RoutineError(f"{exercise_id}: unknown kind {kind!r}")
        missing = [key for key in REQUIRED_PARAMS[kind] if key not in raw]
        if missing:
            raise RoutineError(f"{exercise_id}: missing {', '.join(missing)}")
        position = raw.pop("position", "seated")
        exercises.append(Exercise(exercise_id, kind, position, _freeze(raw)))
    return Routine(
        exercises=tuple(exercises),
        tempo=MappingProxyType(tempo),
        target_minutes=(float(target["min"]), float(target["max"])),
        warm_up_minutes=warm_up_minutes,
    )


def read_routine_data() -> dict[str, Any]:
    """The raw routine.toml, as parsed TOML (tests check numbers against it)."""
    text = resources.files("skill.routine").joinpath("routine.toml").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def load_routine() -> Routine:
    """The packaged routine, parsed once per process."""
    return parse_routine(read_routine_data())
