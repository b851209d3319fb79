"""Talk to the dialogue table directly, without the ASK SDK: the same state carried
between turns as session attributes, a real embedded store, a fixed clock.

`Harness.reach(phase)` walks a new person into one of the PHASES below by what
they would say; `Harness.hear(...)` says one more thing there.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from skill.conversation import table as t
from skill.conversation.clock import epoch_ms
from skill.conversation.dialogue import Dialogue, Heard, Reply
from skill.conversation.opening import open_session
from skill.conversation.saving import Saver
from skill.conversation.state import SessionState
from skill.dev.utterances import Heard as Matched
from skill.dev.utterances import matcher
from skill.progress.records import ProgressUpdate
from skill.routine.model import load_routine
from skill.speech.copy import copy_for
from skill.store.sqlite import SQLiteProgressStore

ROUTINE = load_routine()
NOON = datetime(2026, 11, 30, 12, 0, 0)
Step = tuple[str, Heard]
START_TAPPING: Step = (t.START_EXERCISE, Heard(exercise="tapping"))

# How a person gets to each phase, from a new session ("launch" opens it).
PHASES: dict[str, list[list[Step | str]]] = {
    "welcome": [["launch"]],
    "gate": [["launch", (t.NO, Heard())]],
    "toe_curls": [["launch", (t.NO, Heard()), (t.NEXT, Heard())]],
    "tapping": [["launch", START_TAPPING]],
    "choose": [["launch", (t.LIST, Heard())]],
    "offer_exercise": [["launch", (t.HOW_TO, Heard(exercise="ball_roll"))]],
    "resume": [
        ["launch", (t.NO, Heard()), (t.NEXT, Heard()), (t.STOP, Heard())],
        ["launch"],
    ],
    "feeling": [
        ["launch", (t.NO, Heard()), (t.NEXT, Heard()), (t.SAFETY, Heard())],
        ["launch"],
    ],
    "skipped": [
        ["launch", (t.START_EXERCISE, Heard(exercise="heel_toe_raises")), (t.NEXT, Heard())]
    ],
    "redo": [["launch", START_TAPPING, (t.SLOWER, Heard())]],
    "reminder_time": [["launch", (t.SET_REMINDER, Heard())]],  # "remind me to do my feet"
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


@dataclass
class Harness:
    folder: Path
    user: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    attributes: dict[str, Any] = field(default_factory=dict)
    clock: datetime = NOON
    locale: str = "en-US"

    def __post_init__(self) -> None:
        self.store = SQLiteProgressStore(self.folder / f"{self.user[-8:]}.sqlite3")

    @property
    def today(self) -> date:
        return self.clock.date()

    def dialogue(self) -> Dialogue:
        state = SessionState.from_attributes(self.attributes, self.today, ROUTINE.ids)
        if not state.loaded:
            state.time_zone = "UTC"
            open_session(state, self.store.load(self.user), self.today, ROUTINE)
        ids = ROUTINE.ids
        return Dialogue(
            state=state,
            routine=ROUTINE,
            copy=copy_for(self.locale),
            today=self.today,
            now_ms=epoch_ms(self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")),
            saver=Saver(
                lambda update: self.store.save(self.user, update, ids),
                pending=ProgressUpdate.from_dict(state.pending),
            ),
        )

    def keep(self, dialogue: Dialogue, reply: Reply) -> Reply:
        self.attributes = dialogue.state.to_attributes() if reply.reprompt is not None else {}
        return reply

    def launch(self) -> Reply:
        self.attributes = {}
        dialogue = self.dialogue()
        return self.keep(dialogue, dialogue.launch())

    def hear(self, intent: str, heard: Heard | None = None) -> Reply:
        dialogue = self.dialogue()
        return self.keep(dialogue, dialogue.hear(intent, heard))

    def say(self, words: str) -> Reply:
        """Typed words through the interaction model's matcher, then the table."""
        matched = matcher(self.locale).match(words)
        return self.hear(matched.intent or t.FALLBACK, heard_from(matched))

    def reach(self, phase: str) -> Reply:
        reply = Reply([])
        for session in PHASES[phase]:
            for step in session:
                reply = self.launch() if step == "launch" else self.hear(*step)
        return reply

    @property
    def phase(self) -> str:
        return str(self.attributes.get("phase", ""))


def heard_from(matched: Matched) -> Heard:
    slots = matched.slots
    exercise = slots.get("exercise", ("", None))[1]
    order = slots.get("order", ("", None))[1]
    count = slots.get("count", ("", None))[1]
    return Heard(exercise=exercise, order=order, number=int(count) if count else None)
