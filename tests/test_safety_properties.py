"""The safety promises as properties: hypothesis generates walks of what people say,
from any phase, across sessions, days and store faults, through the real Lambda entry
(`lambda_function.handler`), and every answer is checked against them:

- a pain, dizziness, fall, chest or breathing phrase stops at once: the session ends,
  no hold or count follows, the place is kept and the interrupted exercise is not
  credited; falls, chest and breathing name the local emergency number;
- after a stop, whatever is said first in a later session (a launch, a one-shot, any
  intent) is answered with the check-in, never exercise; exercise comes back only
  after the person says they are all right, and standing work only through its gate;
- never the same words three times running in a session; every open session has a
  reprompt (checked on every response by tests.alexa_driver.check_response);
- nothing heard is echoed; nothing says it saved when the store failed.

Examples that once failed are kept below as plain tests. The number of walks run is
printed at the end of the test session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.alexa import app
from skill.alexa.envelopes import Conversation
from skill.progress.owner import owner_key
from skill.progress.records import ProgressUpdate, UserProgress
from skill.routine.model import load_routine
from skill.routine.settings import Settings
from skill.speech.copy import copy_for
from skill.speech.narrate import READY, compiled
from skill.store.base import StoreUnavailable
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Answer, check_response, lambda_handler
from tests.dialogue_harness import SEEDS, WALKS, Harness

ROUTINE = load_routine()
NO_API = "https://127.0.0.1:1"  # no device: the Settings API fails at once
START_TIME = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
CHECK_IN = "How are you feeling today?"
STOP_WORDS = "Let's stop there."
STOPS = ("SafetyIntent", "EmergencyIntent")  # the only words answered before the check-in
FINE = ("FeelingBetterIntent", "AMAZON.YesIntent", "AMAZON.NextIntent")
FINE += ("StartRoutineIntent", "AMAZON.ResumeIntent")
SAVED_CLAIMS = ("I've kept your place", "Saved.")
WALKS_RUN = [0]  # how many walks hypothesis ran (printed by tests/conftest.py)

Slots = dict[str, tuple[str, str | None]]
NAMES = {exercise: copy_for("en-US").exercise_name(exercise) for exercise in ROUTINE.ids}
# What people say that the model cannot resolve: it must never come back in the answer.
UNHEARD = ("the hokey cokey", "zumba with marjorie", "knitting my scarf")
EXERCISE_SLOTS: list[Slots] = [{"exercise": (NAMES[i], i)} for i in ROUTINE.ids]
EXERCISE_SLOTS += [{"exercise": (words, None)} for words in UNHEARD]
INTENTS: list[tuple[str, list[Slots]]] = [
    ("SafetyIntent", [{}]),
    ("EmergencyIntent", [{}]),
    ("AMAZON.NextIntent", [{}]),
    ("AMAZON.PreviousIntent", [{}]),
    ("AMAZON.RepeatIntent", [{}]),
    ("AMAZON.StartOverIntent", [{}]),
    ("AMAZON.PauseIntent", [{}]),
    ("AMAZON.ResumeIntent", [{}]),
    ("AMAZON.YesIntent", [{}]),
    ("AMAZON.NoIntent", [{}]),
    ("AMAZON.HelpIntent", [{}]),
    ("AMAZON.StopIntent", [{}]),
    ("AMAZON.CancelIntent", [{}]),
    ("AMAZON.FallbackIntent", [{}]),
    ("StartRoutineIntent", [{}]),
    ("StartExerciseIntent", EXERCISE_SLOTS),
    ("HowToIntent", EXERCISE_SLOTS),
    ("WaitIntent", [{}]),
    ("FetchIntent", [{}]),
    ("DoneForTodayIntent", [{}]),
    ("PardonIntent", [{}]),
    ("LostCountIntent", [{}]),
    ("FeelingBetterIntent", [{}]),
    ("ThanksIntent", [{}]),
    ("ProgressIntent", [{}]),
    ("ThisWeekIntent", [{}]),
    ("HowLongIntent", [{}]),
    ("WhatsNextIntent", [{}]),
    ("WhatDoINeedIntent", [{}]),
    ("ListExercisesIntent", [{}]),
    ("SlowerIntent", [{}]),
    ("FasterIntent", [{}]),
    ("SkipIntent", [{}]),
    ("WarmUpIntent", [{}]),
    ("HarderIntent", [{}]),
    ("EasierIntent", [{}]),
    ("SetRepsIntent", [{"count": ("6", None)}, {"count": ("40", None)}]),
    ("ToeCurlOrderIntent", [{"order": ("one foot at a time", "blocked")}]),
    ("SetReminderIntent", [{"time": ("nine", "09:00")}, {}]),
    ("ReadReminderIntent", [{}]),
]
SAFETY_WEIGHT = 3  # stops are drawn more often than other intents


@dataclass
class Store:
    """The skill's real embedded store, on a file of its own, that can be made to fail."""

    path: Path
    down: bool = False  # saves fail
    unreadable: bool = False  # reads fail

    def progress(self, user: str) -> UserProgress:
        return READ(SQLiteProgressStore(self.path), owner_key(user))


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None, prefix="walks-"))
    saved_env = {
        k: os.environ.get(k) for k in ("PROGRESS_DB", "PROGRESS_TABLE", "DEFAULT_TIME_ZONE")
    }
    os.environ["PROGRESS_DB"] = str(folder / "progress.sqlite3")
    os.environ.pop("PROGRESS_TABLE", None)
    os.environ["DEFAULT_TIME_ZONE"] = "UTC"
    found = Store(folder / "progress.sqlite3")
    original = SQLiteProgressStore.save

    def save(self: SQLiteProgressStore, *args: Any, **kwargs: Any) -> UserProgress:
        if found.down:
            raise StoreUnavailable("the store is down (a fault of the walk)")
        return original(self, *args, **kwargs)

    def load(self: SQLiteProgressStore, user_id: str) -> UserProgress:
        if found.unreadable:
            raise StoreUnavailable("the store cannot be read (a fault of the walk)")
        return READ(self, user_id)

    SQLiteProgressStore.save = save  # type: ignore[method-assign]
    SQLiteProgressStore.load = load  # type: ignore[method-assign]
    app.reset()
    try:
        yield found
    finally:
        SQLiteProgressStore.save = original  # type: ignore[method-assign]
        SQLiteProgressStore.load = READ  # type: ignore[method-assign]
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        app.reset()
        shutil.rmtree(folder, ignore_errors=True)


HANDLER = lambda_handler()
READ = SQLiteProgressStore.load  # the real read, for the checks themselves


@dataclass
class Walk:
    """One person's walk, and what the promises need to remember along it."""

    store: Store
    locale: str = "en-US"
    talk: Conversation = field(init=False)
    clock: datetime = START_TIME
    stopped: bool = False  # a stop happened and the person has not said they are fine
    said: list[str] = field(default_factory=list)  # this session's answers
    segments: list[str | None] = field(default_factory=list)  # this session's places
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        user = f"amzn1.ask.account.walk-{uuid.uuid4().hex}"
        self.talk = Conversation(user_id=user, locale=self.locale, api_endpoint=NO_API)
        self.talk.timestamp = self.stamp()

    def stamp(self) -> str:
        return self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def later(self, seconds: int) -> None:
        self.clock += timedelta(seconds=seconds)
        self.talk.timestamp = self.stamp()

    def progress(self) -> UserProgress:
        return self.store.progress(self.talk.user_id)

    def send(self, request: dict[str, Any]) -> Answer:
        envelope = HANDLER(request, None)
        check_response(request, envelope)  # Alexa's rules: a reprompt when open, and more
        if request["request"]["type"] != "SessionEndedRequest":
            self.talk.receive(envelope)
        return Answer(envelope)

    # ---------------------------------------------------------------- steps
    def launch(self) -> None:
        self.new_session()
        self.answer("LaunchRequest", {}, self.talk.launch(), first=True)

    def say(self, intent: str, slots: Slots, one_shot: bool = False) -> None:
        if one_shot:
            self.talk.end()
        first = not self.talk.in_session
        if first:
            self.new_session()
        self.answer(intent, slots, self.talk.intent(intent, slots or None), first=first)

    def end(self, reason: str) -> None:
        if self.talk.in_session:
            self.log.append(f"end {reason}")
            self.send(self.talk.session_ended(reason))

    def new_session(self) -> None:
        self.said, self.segments = [], []

    # ---------------------------------------------------------------- the promises
    def answer(self, intent: str, slots: Slots, request: dict[str, Any], first: bool) -> None:
        before = dict(self.talk.attributes)
        progress_before = self.progress()
        down = self.store.down
        answer = self.send(request)
        text, attributes = answer.text, answer.attributes
        self.log.append(f"{intent} {slots or ''} -> {text[:90]!r}")
        where = "\n  ".join(self.log[-12:])
        phase = attributes.get("phase") if not answer.ends else None

        if intent in STOPS:
            self.check_stop(intent, answer, before, progress_before, down, where)
        elif self.stopped:
            asked_how = before.get("phase") == "ask_feeling"
            if asked_how and intent in FINE and CHECK_IN not in text:
                self.stopped = False  # "I'm fine": exercise may come back (checked below)
            else:
                if first:
                    assert CHECK_IN in text, f"no check-in first after a stop:\n  {where}"
                assert phase not in ("gate", "routine"), f"exercise before the check-in:\n  {where}"

        self.check_standing_gate(attributes, answer.ends, where)
        self.said.append(text)
        assert not (len(self.said) >= 3 and self.said[-1] == self.said[-2] == self.said[-3]), (
            f"the same words three times running:\n  {where}"
        )
        for words, resolved in slots.values():
            if resolved is None and words in UNHEARD:
                assert words not in text.lower(), f"echoed {words!r}:\n  {where}"
        if down:
            for claim in SAVED_CLAIMS:
                assert claim not in text, f"said {claim!r} with the store down:\n  {where}"

    def check_stop(
        self,
        intent: str,
        answer: Answer,
        before: dict[str, Any],
        progress_before: UserProgress,
        down: bool,
        where: str,
    ) -> None:
        text = answer.text
        assert answer.ends and text.startswith(STOP_WORDS), f"no stop at once:\n  {where}"
        assert "Hold" not in text and "One," not in text, (
            f"a hold or count after a stop:\n  {where}"
        )
        if intent == "EmergencyIntent":
            number = copy_for(self.locale).emergency_number()  # the country's (languages.toml)
            assert f"call {number}" in text, f"no emergency number:\n  {where}"
        self.stopped = True
        exercise = before.get("exercise") if before.get("segment") else None
        if down:
            return
        after = self.progress()
        assert after.position is not None and after.position.rested, f"no rest mark:\n  {where}"
        if exercise:
            assert after.position.exercise == exercise, f"the place was not kept:\n  {where}"
            day = self.clock.date().isoformat()
            had = progress_before.exercises_by_date.get(day, frozenset())
            pending = ProgressUpdate.from_dict(before.get("pending") or {})
            due = had | pending.exercises_done.get(day, frozenset())
            if exercise not in due:
                now = after.exercises_by_date.get(day, frozenset())
                assert exercise not in now, f"the stopped exercise was credited:\n  {where}"

    def check_standing_gate(self, attributes: dict[str, Any], ends: bool, where: str) -> None:
        segment = None if ends else attributes.get("segment")
        if segment:
            chosen = Settings.from_dict(attributes.get("settings"))
            standing = {
                s.id: s.exercise
                for s in compiled(ROUTINE, chosen, self.locale)
                if s.standing and s.kind != READY
            }
            if segment in standing:
                previous = self.segments[-1] if self.segments else None
                exercise = standing[segment]
                assert previous is not None and previous.startswith(exercise), (
                    f"standing work without its gate:\n  {where}"
                )
        self.segments.append(segment)


# ---------------------------------------------------------------- the walks
def _intent_step() -> st.SearchStrategy[tuple[str, Slots]]:
    choices = []
    for intent, slot_choices in INTENTS:
        weight = SAFETY_WEIGHT if intent in STOPS else 1
        choices += [st.tuples(st.just(intent), st.sampled_from(slot_choices))] * weight
    return st.one_of(choices)


STEP = st.one_of(
    st.tuples(st.just("say"), _intent_step()),
    st.tuples(st.just("say"), _intent_step()),
    st.tuples(st.just("say"), _intent_step()),
    st.tuples(st.just("one_shot"), _intent_step()),
    st.tuples(st.just("launch"), st.none()),
    st.tuples(st.just("end"), st.sampled_from(["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS"])),
    st.tuples(st.just("later"), st.sampled_from([5, 40, 600, 86_400])),
    st.tuples(st.just("store"), st.booleans()),  # saves fail, or work again
    st.tuples(st.just("reads"), st.booleans()),  # reads fail, or work again
)
START_IN = st.sampled_from(sorted(WALKS))  # start from any phase
LOCALES = st.sampled_from(["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])


def start_in(walk: Walk, name: str) -> None:
    """Walk to one of the harness's phases the way the harness does, through the Lambda
    entry (with the history the phase needs seeded in the real store first)."""
    if name in SEEDS:
        seeding = Harness(walk.store.path.parent, user=owner_key(walk.talk.user_id))
        seeding.clock = walk.clock.replace(tzinfo=None)
        seeding.store = SQLiteProgressStore(walk.store.path)
        SEEDS[name](seeding)
    for session in WALKS[name]:
        walk.talk.end()
        for step in session:
            if step == "fail":
                walk.store.down = True
            elif step == "launch":
                walk.launch()
            else:
                intent, heard = step  # type: ignore[misc]
                walk.say(intent, slots_of(heard))


def slots_of(heard: Any) -> Slots:
    slots: Slots = {}
    if heard.exercise:
        slots["exercise"] = (NAMES.get(heard.exercise, heard.exercise), heard.exercise)
    if heard.number is not None:
        slots["count"] = (str(heard.number), None)
    if heard.order:
        slots["order"] = (heard.order, heard.order)
    if heard.time:
        slots["time"] = (heard.time, heard.time)
    return slots


def run_walk(store: Store, start: str, steps: list[tuple[str, Any]], locale: str = "en-US") -> Walk:
    store.down = store.unreadable = False
    walk = Walk(store, locale)
    try:
        start_in(walk, start)
        for kind, value in steps:
            if kind == "say":
                walk.say(*value)
            elif kind == "one_shot":
                walk.say(*value, one_shot=True)
            elif kind == "launch":
                walk.launch()
            elif kind == "end":
                walk.end(value)
            elif kind == "later":
                walk.end("EXCEEDED_MAX_REPROMPTS") if value > 600 else None
                walk.later(value)
            elif kind == "store":
                walk.store.down = value
            elif kind == "reads":
                walk.store.unreadable = value
    finally:
        store.down = store.unreadable = False
    return walk


@settings(
    max_examples=int(os.environ.get("WALKS", "150")),
    # The same walks every run, so the suite never flakes; WALKS_RANDOM=1 explores new
    # ones (keep any that breaks a promise in KEPT below).
    derandomize=os.environ.get("WALKS_RANDOM") != "1",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(start=START_IN, steps=st.lists(STEP, min_size=1, max_size=30), locale=LOCALES)
def test_walks_keep_the_safety_promises(
    store: Store, start: str, steps: list[tuple[str, Any]], locale: str
) -> None:
    WALKS_RUN[0] += 1
    run_walk(store, start, steps, locale)


# ---------------------------------------------------------------- examples kept
# Walks that once broke a promise, kept as plain tests.
SAY = "say"
KEPT: dict[str, tuple[str, list[tuple[str, Any]]]] = {
    # After "I feel dizzy", a new session opened by "ask my foot routine to resume".
    "a one-shot resume after a stop": (
        "tapping",
        [(SAY, ("SafetyIntent", {})), ("one_shot", ("AMAZON.ResumeIntent", {}))],
    ),
    # "... to start pressure isolation" straight after a stop: standing work, no check-in.
    "a one-shot standing exercise after a stop": (
        "gate",
        [
            (SAY, ("SafetyIntent", {})),
            ("one_shot", ("StartExerciseIntent", EXERCISE_SLOTS[4])),
        ],
    ),
    # At the check-in, naming an exercise started it.
    "an exercise named at the check-in": (
        "feeling",
        [(SAY, ("StartExerciseIntent", EXERCISE_SLOTS[4]))],
    ),
    # "Repeat" three times gave the same words three times.
    "repeat three times": (
        "toe_curls",
        [(SAY, ("AMAZON.RepeatIntent", {}))] * 3,
    ),
    # A new person's very first words were "my foot hurts": the first-contact note came
    # before "Let's stop there".
    "a stop as the first words ever": ("start", [("one_shot", ("SafetyIntent", {}))]),
    # The store could not be read when the next session opened: the stop was unknown.
    "a stop, then a session that cannot read the store": (
        "toe_curls",
        [(SAY, ("SafetyIntent", {})), ("reads", True), ("one_shot", ("AMAZON.NextIntent", {}))],
    ),
    # "Help" three times at the welcome.
    "help three times": ("welcome", [(SAY, ("AMAZON.HelpIntent", {}))] * 3),
}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_kept_walks(store: Store, name: str) -> None:
    start, steps = KEPT[name]
    run_walk(store, start, steps)
