"""What a session carries between turns (Alexa's session attributes).

Only the live position and phase, plus a small cache of what the store said at
the start of the session, so the store is read once per session. Parsing is
defensive: malformed or stale attributes give a fresh state (and a fresh
read), never an exception.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from skill.progress.records import ProgressUpdate
from skill.progress.session_figures import SessionFigures

STATE_VERSION = 1

# Phases: what the last answer asked, so yes/no/next/help know what they answer.
START = "start"  # nothing asked yet
OFFER_WARM_UP = "offer_warm_up"  # "Would you like to warm your feet first?"
OFFER_RESUME = "offer_resume"  # "Shall we carry on with ...?"
OFFER_AGAIN = "offer_again"  # done today: "go through it again?"
OFFER_START = "offer_start"  # "Would you like to start your routine?"
OFFER_EXERCISE = "offer_exercise"  # "Would you like to do <exercise> now?"
OFFER_STANDING = "offer_standing"  # progression: standing raises
OFFER_MORE_REPS = "offer_more_reps"  # progression: more raises
CHOOSE = "choose"  # "Which one would you like?"
WARM_UP = "warm_up"  # the warm-up was just described
ROUTINE = "routine"  # a segment was just narrated
FINISH_UNSAVED = "finish_unsaved"  # routine done, the day not saved yet
PHASES = frozenset(
    {
        START, OFFER_WARM_UP, OFFER_RESUME, OFFER_AGAIN, OFFER_START, OFFER_EXERCISE,
        OFFER_STANDING, OFFER_MORE_REPS, CHOOSE, WARM_UP, ROUTINE, FINISH_UNSAVED,
    }
)  # fmt: skip


@dataclass
class SessionState:
    phase: str = START
    segment: str | None = None  # id of the segment last narrated (or about to be resumed)
    exercise: str | None = None  # its exercise, to recover when the segment id is stale
    offer: str | None = None  # the exercise or number an offer is about
    # An exercise whose last part was just narrated: it counts as done once the
    # person moves on (next, stop, a timeout), not if they skip or redo it.
    completing: str | None = None
    loaded: bool = False  # the store was read this session
    first_use: bool = False  # never welcomed before: say the not-medical-advice line
    settings: dict[str, Any] = field(default_factory=dict)
    milestones_if_done: list[str] = field(default_factory=list)  # due if today completes
    offers: list[dict[str, Any]] = field(default_factory=list)  # progression offers due
    time_zone: str | None = None
    summary: SessionFigures = field(default_factory=SessionFigures)
    pending: dict[str, Any] = field(default_factory=dict)  # an unsaved ProgressUpdate
    saved_position: dict[str, Any] | None = None  # the stored position at load

    def to_attributes(self) -> dict[str, Any]:
        data = asdict(self)
        data["v"] = STATE_VERSION
        return data

    @classmethod
    def from_attributes(cls, data: Any) -> SessionState:
        """Never raises: anything unreadable starts a fresh state (and a fresh read)."""
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return cls()
        try:
            state = cls(
                phase=data["phase"] if data.get("phase") in PHASES else START,
                segment=_str(data.get("segment")),
                exercise=_str(data.get("exercise")),
                offer=_str(data.get("offer")),
                completing=_str(data.get("completing")),
                loaded=data.get("loaded") is True,
                first_use=data.get("first_use") is True,
                settings=dict(data.get("settings") or {}),
                milestones_if_done=[str(x) for x in data.get("milestones_if_done") or []],
                offers=[x for x in data.get("offers") or [] if isinstance(x, dict)],
                time_zone=_str(data.get("time_zone")),
                summary=SessionFigures.from_dict(data.get("summary")),
                pending=_valid_update(data.get("pending")),
                saved_position=data.get("saved_position")
                if isinstance(data.get("saved_position"), dict)
                else None,
            )
        except (TypeError, ValueError, KeyError):
            return cls()
        return state


def _valid_update(value: Any) -> dict[str, Any]:
    """An unsaved update carried between turns, or {} when it does not parse."""
    if not value:
        return {}
    try:
        return ProgressUpdate.from_dict(value).to_dict()
    except (TypeError, ValueError, KeyError, AttributeError):
        return {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
