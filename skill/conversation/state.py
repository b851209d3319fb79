"""What a session carries between turns (Alexa's session attributes).

The live place in the routine and what the last answer asked (the phase), plus a
small cache of what the store said at the start of the session, so the store is
read once per session.

Session attributes come back from the outside world, so they are parsed into a
small, bounded state and never trusted: unknown phases, ids and settings are
dropped, an unsaved update may only touch today (and yesterday, for a routine
that crossed midnight) and the routine's own exercises, milestones come only
from the known list, and an oversized blob starts a fresh state (and a fresh
read). Parsing never raises.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from msgspec import Struct, field
from msgspec.structs import asdict, replace

from skill.progress.practice import DAY_MILESTONES, TEN_MONTHS_ID
from skill.progress.records import Position, ProgressUpdate
from skill.progress.session_figures import SessionFigures
from skill.reminders.dialogue import NudgeSession
from skill.routine.settings import Settings

STATE_VERSION = 2
MAX_ATTRIBUTES_BYTES = 8 * 1024  # ours are about 1 KB; anything bigger is not ours
WELCOMED = "welcomed"  # a milestone id: the not-medical-advice line was given

# Phases: what the last answer asked, so the next utterance knows what it answers.
START = "start"  # nothing asked yet (a one-shot request opened the session)
OFFER_WARM_UP = "offer_warm_up"  # "Would you like to warm your feet first?"
OFFER_RESUME = "offer_resume"  # "Shall we carry on where you left off, with ...?"
ASK_FEELING = "ask_feeling"  # after a safety stop: "How are you feeling today?"
OFFER_AGAIN = "offer_again"  # done today: "go through it again?"
OFFER_START = "offer_start"  # "Would you like to start your routine?"
OFFER_EXERCISE = "offer_exercise"  # "Would you like to do <exercise> now?"
OFFER_SKIPPED = "offer_skipped"  # "Still to do today: <exercises>. Shall we do <one> now?"
OFFER_STANDING = "offer_standing"  # progression: standing raises
OFFER_MORE_REPS = "offer_more_reps"  # progression: more raises
OFFER_REDO = "offer_redo"  # after a pace change: "Shall we do that again, slower?"
CONFIRM_START_OVER = "confirm_start_over"  # "Start again from the top?"
CHOOSE = "choose"  # "Which one would you like?"
GATE = "gate"  # a ready gate: "Say ready when the towel is under your feet."
ROUTINE = "routine"  # guided work was narrated: "Say next for ..."
FINISH_UNSAVED = "finish_unsaved"  # the routine is done, the day not saved yet
OFFER_REMINDER = "offer_reminder"  # "Would you like me to remind you every day?"
ASK_REMINDER_TIME = "ask_reminder_time"  # "What time would you like your reminder?"
CONFIRM_REMINDER_TIME = "confirm_reminder_time"  # "Every day at nine in the morning. Right?"
CRAMP = "cramp"  # a cramp: "Say ready when it has passed."
# Care partners (skill/sharing): what a sharing question asked; `care` holds its data.
CONFIRM_SHARE = "confirm_share"  # "Shall I give you a code for them?"
AWAIT_CODE = "await_code"  # "What's the code? Say the six numbers."
AWAIT_MESSAGE = "await_message"  # "What would you like me to tell mum?"
WHOSE = "whose"  # following several: "Whose exercises: mum and Joan?"
CONFIRM_STOP = "confirm_stop"  # "Stop sharing your progress with Sarah?"
CARE_PHASES = frozenset({CONFIRM_SHARE, AWAIT_CODE, AWAIT_MESSAGE, WHOSE, CONFIRM_STOP})
PHASES = frozenset(
    {
        START, OFFER_WARM_UP, OFFER_RESUME, ASK_FEELING, OFFER_AGAIN, OFFER_START,
        OFFER_EXERCISE, OFFER_SKIPPED, OFFER_STANDING, OFFER_MORE_REPS, OFFER_REDO,
        CONFIRM_START_OVER, CHOOSE, GATE, ROUTINE, FINISH_UNSAVED,
        OFFER_REMINDER, ASK_REMINDER_TIME, CONFIRM_REMINDER_TIME, CRAMP, *CARE_PHASES,
    }
)  # fmt: skip

_ID = re.compile(r"[a-z][a-z0-9_.]{0,63}")  # exercise and segment ids
_DIGEST = re.compile(r"[0-9a-f]{8}")  # dialogue._digest: CRC-32 in hex
_OFFER_MILESTONE = re.compile(r"offer_(standing_raises|raise_reps)_[0-9]{1,3}")
KNOWN_MILESTONES = frozenset({WELCOMED, TEN_MONTHS_ID, *(m for m, _ in DAY_MILESTONES)})

log = logging.getLogger("skill")


def known_milestone(milestone: str) -> bool:
    return milestone in KNOWN_MILESTONES or bool(_OFFER_MILESTONE.fullmatch(milestone))


class SessionState(Struct):
    phase: str = START
    segment: str | None = None  # the place: the segment last narrated
    exercise: str | None = None  # its exercise, to recover when the segment id is stale
    narrated_at: int = 0  # request time (epoch ms) the place was narrated
    offer: str | None = None  # the exercise or number an offer is about
    after_gate: str | None = None  # where a standing ready gate leads (re-entering mid-exercise)
    # An exercise whose last part was just narrated: it counts as done once the
    # person moves on (next, or a stop or timeout after it was heard), not if
    # they skip, redo or stop it part way.
    completing: str | None = None
    started_on: str | None = None  # the local date this session's routine counts for
    filling: bool = False  # doing skipped exercises after the end of the routine
    misheard: int = 0  # fallbacks in a row, so the words vary
    said: list[str] = field(default_factory=list)  # digests of the last two answers
    # The store could not be read: whether the last session ended in a safety stop is
    # unknown, so the check-in comes first (cleared by "I'm fine").
    unsure: bool = False
    loaded: bool = False  # the store was read this session
    first_use: bool = False  # never welcomed: the not-medical-advice line is owed
    settings: dict[str, Any] = field(default_factory=dict)
    milestones_if_done: list[str] = field(default_factory=list)  # due if today completes
    offers: list[dict[str, Any]] = field(default_factory=list)  # progression offers due
    time_zone: str | None = None
    zone_known: bool = False  # the device (or the store) said it: not a default we chose
    summary: SessionFigures = field(default_factory=SessionFigures)
    pending: dict[str, Any] = field(default_factory=dict)  # an unsaved ProgressUpdate
    saved_position: dict[str, Any] | None = None  # the stored position at load
    nudges: dict[str, Any] = field(default_factory=dict)  # skill.reminders.dialogue.NudgeSession
    care: dict[str, Any] = field(default_factory=dict)  # a sharing question's data: care_data

    def to_attributes(self) -> dict[str, Any]:
        # A shallow copy is enough: the attributes are serialised as soon as the turn ends.
        # (msgspec's asdict copies one level, as this wants; dataclasses.asdict's deep copy
        # cost about 0.4 ms of every turn.)
        data = asdict(self)
        data["summary"] = asdict(self.summary)
        data["v"] = STATE_VERSION
        return data

    @classmethod
    def from_attributes(
        cls, data: Any, today: date | None = None, known_ids: Iterable[str] = ()
    ) -> SessionState:
        """A bounded state from untrusted attributes; anything unreadable starts afresh."""
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return cls()
        try:
            if len(json.dumps(data, default=str)) > MAX_ATTRIBUTES_BYTES:
                return cls()
            known = frozenset(known_ids)
            summary = SessionFigures.from_dict(data.get("summary"))
            loaded = data.get("loaded") is True
            if not summary.plausible():  # forged or stale: read the store again instead
                log.warning("session progress figures out of range; the store is read again")
                summary, loaded = SessionFigures(), False
            return cls(
                phase=data["phase"] if data.get("phase") in PHASES else START,
                segment=_id(data.get("segment")),
                exercise=_id(data.get("exercise")),
                narrated_at=_int(data.get("narrated_at")),
                offer=_id(data.get("offer")) or _digits(data.get("offer")),
                after_gate=_id(data.get("after_gate")),
                completing=_known(data.get("completing"), known),
                started_on=_iso_date(data.get("started_on")),
                filling=data.get("filling") is True,
                misheard=min(_int(data.get("misheard")), 99),
                said=[d for d in _list(data.get("said")) if _digest(d)][-2:],
                unsure=data.get("unsure") is True,
                loaded=loaded,
                first_use=data.get("first_use") is True,
                settings=Settings.from_dict(data.get("settings")).to_dict(),
                milestones_if_done=[
                    m for m in _list(data.get("milestones_if_done")) if _milestone(m)
                ][:16],
                offers=_offers(data.get("offers")),
                time_zone=_zone(data.get("time_zone")),
                zone_known=data.get("zone_known") is True,
                summary=summary,
                pending=bounded_update(data.get("pending"), today, known),
                saved_position=_position(data.get("saved_position")),
                nudges=NudgeSession.from_dict(data.get("nudges")).to_dict(),
                care=care_data(data.get("care")),
            )
        except (TypeError, ValueError, KeyError, RecursionError):
            return cls()


def bounded_update(value: Any, today: date | None, known_ids: frozenset[str]) -> dict[str, Any]:
    """An unsaved update carried between turns, cut to what one session can change."""
    if not value or not isinstance(value, dict):
        return {}
    try:
        update = ProgressUpdate.from_dict(value)
    except (TypeError, ValueError, KeyError, AttributeError):
        return {}
    days = {today.isoformat(), (today - timedelta(days=1)).isoformat()} if today else set()
    done = {
        day: frozenset(i for i in ids if i in known_ids)
        for day, ids in update.exercises_done.items()
        if day in days
    }
    defaults = Settings().to_dict()
    settings = Settings.from_dict({**defaults, **update.settings}).to_dict()
    changed = {k: v for k, v in settings.items() if k in update.settings}
    bounded = replace(
        update,
        exercises_done={day: ids for day, ids in done.items() if ids},
        settings=changed,
        milestones=frozenset(m for m in update.milestones if known_milestone(m)),
        nudges=update.nudges.within(days),
    )
    return bounded.to_dict() if not bounded.is_empty() else {}


_REF = re.compile(r"[0-9a-f]{16}")  # skill.sharing.talk.ref: a linked owner, never the key
_CARE_THEN = frozenset({"FollowerAskIntent", "SendMessageIntent"})


def care_data(value: Any) -> dict[str, Any]:
    """A sharing question's data, cut to what it may hold: names and a message cleaned as
    every spoken value, digests of linked owners, the phase to go back to."""
    if not isinstance(value, dict) or not value:
        return {}
    # Cleaned as every spoken value; imported only when a sharing question is open.
    from skill.sharing.records import MAX_LINKS, clean_message, clean_name

    kept: dict[str, Any] = {
        "name": clean_name(value.get("name")),
        "message": clean_message(value.get("message")),
        "to": value.get("to") if _ref(value.get("to")) else None,
        "who": value.get("who") if value.get("who") == "" or _ref(value.get("who")) else None,
        "then": value.get("then") if value.get("then") in _CARE_THEN else None,
        "back": value.get("back") if value.get("back") in PHASES - CARE_PHASES else None,
        "names": [n for n in map(clean_name, _list(value.get("names"))[:MAX_LINKS]) if n],
        "count": min(_int(value.get("count")), MAX_LINKS),
    }
    return {key: v for key, v in kept.items() if v}


def _ref(value: Any) -> bool:
    return isinstance(value, str) and _REF.fullmatch(value) is not None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _id(value: Any) -> str | None:
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _digest(value: Any) -> bool:
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None


def _digits(value: Any) -> str | None:
    return value if isinstance(value, str) and value.isdigit() and len(value) <= 3 else None


def _known(value: Any, known: frozenset[str]) -> str | None:
    return value if isinstance(value, str) and value in known else None


def _milestone(value: Any) -> bool:
    return isinstance(value, str) and known_milestone(value)


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _zone(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def _offers(value: Any) -> list[dict[str, Any]]:
    offers = []
    for offer in _list(value)[:4]:
        if isinstance(offer, dict) and _milestone(offer.get("id")):
            offers.append({k: offer.get(k) for k in ("id", "setting", "value")})
    return offers


def _position(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    try:
        position = Position.from_dict(value)
    except (TypeError, ValueError, KeyError):
        return None
    if position is None or not _ID.fullmatch(position.exercise):
        return None
    return position.to_dict()


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    try:
        return max(int(value), 0)
    except (TypeError, ValueError, OverflowError):
        return 0
