"""Talk to the dialogue table directly, without the ASK SDK: the same state carried
between turns as session attributes, a real embedded store, a fixed clock.

`Harness.reach(phase)` walks a new person into one of the WALKS below by what
they would say; `Harness.hear(...)` says one more thing there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from skill.conversation import dialogue
from skill.conversation import table as t
from skill.conversation.clock import epoch_ms
from skill.conversation.opening import open_session
from skill.conversation.saving import Saver
from skill.conversation.state import SessionState
from skill.conversation.turn import Heard, Household, Reply, Turn
from skill.dev.utterances import Heard as Matched
from skill.dev.utterances import matcher
from skill.progress.records import ProgressUpdate, UserProgress
from skill.routine.model import load_routine
from skill.sharing import codes
from skill.sharing.store import SharingStore
from skill.sharing.talk import CareSource
from skill.speech.copy import copy_for
from skill.store.factory import sharing_store
from skill.store.sqlite import SQLiteProgressStore

ROUTINE = load_routine()
NOON = datetime(2026, 11, 30, 12, 0, 0)
Step = tuple[str, Heard]
START_TAPPING: Step = (t.START_EXERCISE, Heard(exercise="tapping"))
START_RAISES: Step = (t.START_EXERCISE, Heard(exercise="heel_toe_raises"))
CRAMP = Heard(symptom="cramp")  # "ooh, cramp in my foot"
LAST = ROUTINE.ids[-1]  # heel-toe raises: two counted parts, no gate
# Steps besides utterances: "launch" opens a session; "fail" makes the store refuse saves.
Walk = list[list[Step | str]]
TO_THE_LAST_PART: list[Step | str] = ["launch", START_RAISES, "fail"]

# How a person gets to each phase, from a new session ("launch" opens it). Every phase
# of the table is reached (tests/test_table_golden.py checks it); `SEEDS` gives a phase
# the history it needs first.
WALKS: dict[str, Walk] = {
    "start": [[]],  # a one-shot opens the session: nothing asked yet
    "welcome": [["launch"]],
    "gate": [["launch", (t.NO, Heard())]],
    "toe_curls": [["launch", (t.NO, Heard()), (t.NEXT, Heard())]],
    "tapping": [["launch", START_TAPPING]],
    "choose": [["launch", (t.LIST, Heard())]],
    "offer_exercise": [["launch", (t.HOW_TO, Heard(exercise="ball_roll"))]],
    "offer_start": [["launch", (t.HOW_TO, Heard(exercise="ball_roll")), (t.NO, Heard())]],
    "resume": [
        ["launch", (t.NO, Heard()), (t.NEXT, Heard()), (t.STOP, Heard())],
        ["launch"],
    ],
    "feeling": [
        ["launch", (t.NO, Heard()), (t.NEXT, Heard()), (t.SAFETY, Heard())],
        ["launch"],
    ],
    "skipped": [["launch", START_RAISES, (t.NEXT, Heard())]],
    "redo": [["launch", START_TAPPING, (t.SLOWER, Heard())]],
    "standing": [["launch", START_RAISES, (t.HARDER, Heard())]],
    "more_reps": [["launch"]],
    "again": [["launch"]],
    "reminder_offer": [["launch", START_RAISES, (t.NEXT, Heard())]],
    "reminder_time": [["launch", (t.SET_REMINDER, Heard())]],  # "remind me to do my feet"
    "reminder_confirm": [["launch", (t.SET_REMINDER, Heard(time="09:00"))]],  # am or pm?
    "finish_unsaved": [[*TO_THE_LAST_PART, (t.NEXT, Heard())]],
    "cramp": [["launch", (t.NO, Heard()), (t.NEXT, Heard()), (t.SYMPTOM, CRAMP)]],
    "standing_gate": [["launch", (t.START_EXERCISE, Heard(exercise="pressure_isolation"))]],
    # "Start from the top instead?" with no place in hand: no to carrying on.
    "start_over_fresh": [
        ["launch", (t.NO, Heard()), (t.NEXT, Heard()), (t.STOP, Heard())],
        ["launch", (t.NO, Heard())],
    ],
    # Care partners: the person shares, a relative follows, asks and sends word.
    "share": [["launch", (t.SHARE, Heard(name="Sarah"))]],
    "follow": [["launch", (t.FOLLOW, Heard(relation="mum"))]],
    "message": [["launch", (t.MESSAGE, Heard())]],  # following mum: "what shall I tell her?"
    "whose": [["launch", (t.ASK_ABOUT, Heard())]],  # following mum and dad
    "stop_sharing": [["launch", (t.STOP_SHARING, Heard())]],  # Sarah follows
    "start_over": [
        [
            "launch",
            (t.NO, Heard()),
            (t.NEXT, Heard()),
            (t.NEXT, Heard()),
            (t.NEXT, Heard()),
            (t.NEXT, Heard()),
            (t.NEXT, Heard()),
            (t.START_OVER, Heard()),
        ],
    ],
}
# The table's phase each walk ends in.
REACHES = {
    "start": "start",
    "welcome": "offer_warm_up",
    "gate": "gate",
    "toe_curls": "routine",
    "tapping": "routine",
    "choose": "choose",
    "offer_exercise": "offer_exercise",
    "offer_start": "offer_start",
    "resume": "offer_resume",
    "feeling": "ask_feeling",
    "skipped": "offer_skipped",
    "redo": "offer_redo",
    "standing": "offer_standing",
    "more_reps": "offer_more_reps",
    "again": "offer_again",
    "reminder_offer": "offer_reminder",
    "reminder_time": "ask_reminder_time",
    "reminder_confirm": "confirm_reminder_time",
    "finish_unsaved": "finish_unsaved",
    "start_over": "confirm_start_over",
    "cramp": "cramp",
    "standing_gate": "gate",
    "start_over_fresh": "confirm_start_over",
    "share": "confirm_share",
    "follow": "await_code",
    "message": "await_message",
    "whose": "whose",
    "stop_sharing": "confirm_stop",
}


def _done_today_but_last(harness: Harness) -> None:
    """Every exercise but the last done today (so finishing the last completes the day)."""
    day = harness.today.isoformat()
    harness.seed(ProgressUpdate(exercises_done={day: frozenset(ROUTINE.ids[:-1])}))


def _done_today(harness: Harness) -> None:
    day = harness.today.isoformat()
    harness.seed(ProgressUpdate(exercises_done={day: frozenset(ROUTINE.ids)}))


def _weeks_of_standing_raises(harness: Harness) -> None:
    """Three weeks of completed days, raises already standing: more raises are offered."""
    days = {
        (harness.today - timedelta(days=n)).isoformat(): frozenset(ROUTINE.ids)
        for n in range(1, 22)
    }
    harness.seed(ProgressUpdate(exercises_done=days, settings={"raise_position": "standing"}))


def _linked(harness: Harness, person: str, follower: str, label: str) -> None:
    """`follower` follows `person` (who calls them `label`... and is called it back)."""
    sharing = harness.sharing
    code = codes.new_code()
    sharing.offer_code(person, codes.digest(code), label, harness.now_ms)
    assert sharing.redeem(follower, codes.digest(code), label, harness.now_ms) is not None


def _follows_mum(harness: Harness) -> None:
    _linked(harness, f"{harness.user}.mum", harness.user, "mum")


def _follows_mum_and_dad(harness: Harness) -> None:
    _follows_mum(harness)
    _linked(harness, f"{harness.user}.dad", harness.user, "dad")


def _followed_by_sarah(harness: Harness) -> None:
    _linked(harness, harness.user, f"{harness.user}.sarah", "Sarah")


SEEDS: dict[str, Callable[[Harness], None]] = {
    "message": _follows_mum,
    "whose": _follows_mum_and_dad,
    "stop_sharing": _followed_by_sarah,
    "again": _done_today,
    "more_reps": _weeks_of_standing_raises,
    "reminder_offer": _done_today_but_last,
    "finish_unsaved": _done_today_but_last,
}


@dataclass
class Harness:
    folder: Path
    user: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    attributes: dict[str, Any] = field(default_factory=dict)
    clock: datetime = NOON
    failing: bool = False  # the store refuses every save (its reads still work)
    locale: str = "en-US"

    def __post_init__(self) -> None:
        self.store = SQLiteProgressStore(self.folder / f"{self.user[-8:]}.sqlite3")

    @property
    def sharing(self) -> SharingStore:
        found = sharing_store(self.store)
        assert found is not None
        return found

    @property
    def now_ms(self) -> int:
        return epoch_ms(self.clock.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def care(self) -> CareSource:
        return CareSource(self.sharing, self.store.load, self.user, lambda zone: self.today)

    def seed(self, update: ProgressUpdate) -> None:
        self.store.save(self.user, update, ROUTINE.ids)

    def save(self, update: ProgressUpdate) -> UserProgress:
        if self.failing:
            raise ConnectionError("the store is down")
        return self.store.save(self.user, update, ROUTINE.ids)

    @property
    def today(self) -> date:
        return self.clock.date()

    def turn(self) -> Turn:
        state = SessionState.from_attributes(self.attributes, self.today, ROUTINE.ids)
        if not state.loaded:
            state.time_zone = "UTC"
            open_session(state, self.store.load(self.user), self.today, ROUTINE)
        return Turn(
            state=state,
            routine=ROUTINE,
            copy=copy_for(self.locale),
            today=self.today,
            now_ms=self.now_ms,
            saver=Saver(
                self.save,
                pending=ProgressUpdate.from_dict(state.pending),
            ),
            household=Household(care=self.care),
        )

    def keep(self, turn: Turn, reply: Reply) -> Reply:
        self.attributes = turn.state.to_attributes() if reply.reprompt is not None else {}
        return reply

    def launch(self) -> Reply:
        self.attributes = {}
        turn = self.turn()
        return self.keep(turn, dialogue.launch(turn))

    def hear(self, intent: str, heard: Heard | None = None) -> Reply:
        turn = self.turn()
        return self.keep(turn, dialogue.hear(turn, intent, heard))

    def say(self, words: str) -> Reply:
        """Typed words through the interaction model's matcher, then the table."""
        matched = matcher(self.locale).match(words)
        return self.hear(matched.intent or t.FALLBACK, heard_from(matched))

    def reach(self, phase: str) -> Reply:
        if phase in SEEDS:
            SEEDS[phase](self)
        reply = Reply([])
        for session in WALKS[phase]:
            self.attributes = {}  # each walk is a new session
            for step in session:
                if step == "fail":
                    self.failing = True
                elif step == "launch":
                    reply = self.launch()
                else:
                    assert not isinstance(step, str)
                    reply = self.hear(*step)
        self.failing = False
        return reply

    @property
    def phase(self) -> str:
        return str(self.attributes.get("phase", ""))


def heard_from(matched: Matched) -> Heard:
    slots = matched.slots
    exercise = slots.get("exercise", ("", None))[1]
    order = slots.get("order", ("", None))[1]
    count = slots.get("count", ("", None))[1]
    found = {
        name: slots[name][1] or "unknown" for name in ("symptom", "place", "thing") if name in slots
    }
    return Heard(exercise=exercise, order=order, number=int(count) if count else None, **found)
