"""Per-user settings that shape the narration. Stored as a plain dict.

Parsing is forgiving: a stored value that is unknown or out of range falls back
to the default, so a stale or hand-edited record never breaks a session.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from msgspec import Struct, field
from msgspec.structs import asdict, replace

from skill.routine.model import load_routine

# Settings belong to a kind of exercise, and follow the numbers of its first exercise:
# toe_curl_* the grip-and-spread kind, raise_* the raises kind.
TOE_CURLS = "grip_and_spread"
RAISES = "raises"
TOE_CURL_TOOLS = ("towel", "marbles")  # the marbles variant is in the data, under the exercise
RAISE_POSITIONS = ("seated", "standing")  # standing is the data's progression


def tempos() -> tuple[str, ...]:
    """Tempo names from the routine data, slowest (longest interval) first."""
    tempo = load_routine().tempo
    return tuple(sorted(tempo, key=lambda name: -tempo[name]))


TEMPOS = tempos()
TOE_CURL_ORDERS: tuple[str, ...] = tuple(load_routine().of_kind(TOE_CURLS).params["orders"])


@lru_cache(maxsize=1)  # parsing settings happens several times a turn
def toe_curl_rep_bounds() -> tuple[int, int]:
    """Allowed toe curls per foot, from the routine data."""
    reps = load_routine().of_kind(TOE_CURLS).params["reps_per_foot"]
    return int(reps["min"]), int(reps["max"])


@lru_cache(maxsize=1)
def raise_rep_bounds() -> tuple[int, int]:
    """Allowed raises per foot: the seated minimum up to the long-term maximum."""
    params = load_routine().of_kind(RAISES).params
    return int(params["reps_per_foot"]["min"]), int(params["progression"]["max_reps_per_foot"])


@lru_cache(maxsize=4)
def _default_reps(kind: str) -> int:
    return int(load_routine().of_kind(kind).params["reps_per_foot"]["default"])


class Settings(Struct, frozen=True):
    tempo: str = "normal"
    toe_curl_order: str = "alternating"
    toe_curl_tool: str = "towel"
    raise_position: str = "seated"
    toe_curl_reps: int = field(default_factory=lambda: _default_reps(TOE_CURLS))
    raise_reps: int = field(default_factory=lambda: _default_reps(RAISES))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # flat, as it is stored

    @classmethod
    def from_dict(cls, data: Any) -> Settings:
        if not isinstance(data, dict):
            return cls()
        default = cls()
        return cls(
            tempo=_choice(data.get("tempo"), TEMPOS, default.tempo),
            toe_curl_order=_choice(
                data.get("toe_curl_order"), TOE_CURL_ORDERS, default.toe_curl_order
            ),
            toe_curl_tool=_choice(data.get("toe_curl_tool"), TOE_CURL_TOOLS, default.toe_curl_tool),
            raise_position=_choice(
                data.get("raise_position"), RAISE_POSITIONS, default.raise_position
            ),
            toe_curl_reps=_within(
                data.get("toe_curl_reps"), toe_curl_rep_bounds(), default.toe_curl_reps
            ),
            raise_reps=_within(data.get("raise_reps"), raise_rep_bounds(), default.raise_reps),
        )

    def reps(self, kind: str) -> int | None:
        """How many per foot for a kind of exercise that counts reps, else None."""
        return {TOE_CURLS: self.toe_curl_reps, RAISES: self.raise_reps}.get(kind)

    def with_reps(self, kind: str, reps: int) -> Settings:
        if kind == TOE_CURLS:
            return replace(self, toe_curl_reps=reps)
        if kind == RAISES:
            return replace(self, raise_reps=reps)
        return self

    def slower(self) -> Settings:
        return replace(self, tempo=TEMPOS[max(TEMPOS.index(self.tempo) - 1, 0)])

    def faster(self) -> Settings:
        return replace(self, tempo=TEMPOS[min(TEMPOS.index(self.tempo) + 1, len(TEMPOS) - 1)])


def rep_bounds(kind: str) -> tuple[int, int] | None:
    """Allowed reps per foot for a kind of exercise that counts reps, else None."""
    if kind == TOE_CURLS:
        return toe_curl_rep_bounds()
    if kind == RAISES:
        return raise_rep_bounds()
    return None


def _choice(value: Any, allowed: tuple[str, ...], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def _within(value: Any, bounds: tuple[int, int], default: int) -> int:
    # Stores may hand back Decimal or str; accept anything int() takes cleanly.
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if isinstance(value, float) and not value.is_integer():
        return default
    return min(max(number, bounds[0]), bounds[1])
