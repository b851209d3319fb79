"""What one turn of the dialogue works with and gives back.

- `Heard`: what an utterance carried besides its intent (resolved slot values).
- `Turn`: the small context every action takes: the session state, the routine and
  the person's settings, the clock, the saver and the words (copy), plus what the
  host knows about who is speaking (`Household`).
- `Reply`: what the action answers: the words, the reprompt (None ends the session),
  the phase it moves to, and what the response carries besides words (a card, the
  reminders permission request).
- `Action`: a plain function `(turn, heard) -> Reply` with its kind, declared with
  `@action(kind)` where the function is written; the table (table.py) names them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from skill.conversation.saving import Saver
from skill.conversation.state import SessionState
from skill.progress.records import ProgressUpdate
from skill.reminders.daily import DailyReminder
from skill.reminders.dialogue import ReminderPort
from skill.reminders.results import Outcome, ReminderResult
from skill.reminders.spoken_time import LocalTime
from skill.routine.model import Routine
from skill.routine.session import Route
from skill.routine.settings import Settings
from skill.speech.copy import Copy
from skill.speech.narrate import Segment, compiled
from skill.speech.script import Item, Say
from skill.summary.weekly_card import CardText

if TYPE_CHECKING:
    from skill.sharing.talk import CareSource  # imported where sharing is answered


class Heard(Struct, frozen=True):
    """What an utterance carried besides its intent (resolved slot values)."""

    exercise: str | None = None  # a routine exercise id, only when it resolved
    number: int | None = None
    order: str | None = None  # a toe-curl order id
    time: str | None = None  # an AMAZON.TIME value as Alexa sends it ("09:00", "EV")
    symptom: str | None = None  # a SYMPTOM id (its class first), or "unknown" if unresolved
    place: str | None = None  # a PLACE id: where it hurts
    thing: str | None = None  # a THING id: what isn't at hand
    # Care partners: a first name, a relation, a code, a message, as Alexa heard them
    # (cleaned where they are used; never logged).
    name: str | None = None
    relation: str | None = None
    code: str | None = None
    message: str | None = None


class Reply(Struct):
    """An answer. `phase` is what the answer asks next (None: unchanged); the dispatcher
    keeps it in the session. A card and the permission request go back to the host."""

    items: list[Item]
    reprompt: list[Item] | None = None  # None: the session ends
    silent: bool = False  # only SessionEndedRequest answers with nothing at all
    phase: str | None = None
    action: str = ""  # the name of the table's action that made it
    kind: str = ""  # that action's kind (answer, move, safety...)
    card: CardText | None = None  # the weekly summary card
    consent_card: bool = False  # the card asking for the reminders permission
    ask_permission_for: LocalTime | None = None  # send Alexa's AskFor for this time


class _NoReminders:
    """A host without Alexa's Reminders API (the console, a skill built without one)."""

    def put(
        self, alert_token: str | None, reminder: DailyReminder, timestamp: str | datetime | None
    ) -> ReminderResult:
        return ReminderResult(Outcome.UNAVAILABLE)

    def get(self, alert_token: str) -> ReminderResult:
        return ReminderResult(Outcome.UNAVAILABLE)

    def delete(self, alert_token: str) -> ReminderResult:
        return ReminderResult(Outcome.UNAVAILABLE)


class Household(Struct, frozen=True):
    """What the host knows about who is speaking and what Alexa allows, for one request."""

    person_id: str | None = None  # a recognised speaker; never logged, never stored raw
    reminders_granted: bool = False
    reminders: Callable[[], ReminderPort] = _NoReminders
    timestamp: str | datetime | None = None
    # The sharing store and who is speaking (None: no sharing here, or no one to share as).
    care: Callable[[], CareSource | None] = lambda: None


@lru_cache(maxsize=64)
def _route(routine: Routine, settings: Settings, locale: str) -> Route:
    """The order of a compiled routine, built once per (settings, locale) like the segments."""
    return Route.of(compiled(routine, settings, locale))


class Turn(Struct, dict=True):  # dict: for _parsed, a cache that is not a field
    """One request's context. Actions read it and change the session state it holds;
    the phase they move to travels on their Reply."""

    state: SessionState
    routine: Routine
    copy: Copy
    today: date
    now_ms: int
    saver: Saver
    carry: Callable[[ProgressUpdate], None] = lambda update: None  # unsaved at session end
    notes: list[Item] = field(default_factory=list)  # said before the answer
    save_spoken: bool = False  # the answer already says whether it saved: no second apology
    household: Household = field(default_factory=Household)

    def __post_init__(self) -> None:
        # the settings' cache: not a field (never passed in, shown or compared)
        self._parsed: tuple[dict[str, Any], Settings] | None = None

    @property
    def settings(self) -> Settings:
        """The person's settings, parsed once for each settings dict the state holds (a
        change of settings puts a new dict there)."""
        raw = self.state.settings
        if self._parsed is None or self._parsed[0] is not raw:
            self._parsed = (raw, Settings.from_dict(raw))
        return self._parsed[1]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return compiled(self.routine, self.settings, self.copy.locale)

    @property
    def route(self) -> Route:
        return _route(self.routine, self.settings, self.copy.locale)

    @property
    def index(self) -> int | None:
        """The place: the segment last narrated, or None before the routine starts."""
        return self.route.locate(self.state.segment, self.state.exercise)

    @property
    def day(self) -> date:
        """The day exercises count for: the day this routine started (it may cross midnight)."""
        started = self.state.started_on
        if started:
            begun = date.fromisoformat(started)
            if timedelta(0) <= self.today - begun <= timedelta(days=1):
                return begun
        return self.today

    def say(self, key: str, **values: object) -> Say:
        return Say(self.copy.say(key, **values))

    def name(self, exercise_id: str) -> str:
        return self.copy.exercise_name(exercise_id)

    def record(self, update: ProgressUpdate) -> None:
        self.saver.record(update)


Run = Callable[[Turn, Heard], Reply]


class Action(Struct, frozen=True):
    """An action of the table: a plain function and what it does, in a word."""

    run: Run
    kind: str

    @property
    def name(self) -> str:
        return self.run.__name__

    def __call__(self, turn: Turn, heard: Heard) -> Reply:
        return self.run(turn, heard)


def action(kind: str) -> Callable[[Run], Action]:
    """`@action("answer")` over `def name(turn, heard) -> Reply` makes it a table action."""

    def declare(run: Run) -> Action:
        return Action(run, kind)

    return declare
