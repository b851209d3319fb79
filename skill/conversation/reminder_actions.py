"""The dialogue's actions for keeping people at it: the daily reminder, the offer after
a completed day, the weekly card, and greeting a recognised person by name.

A mixin of `Dialogue` (dialogue.py): the table (table.py) names these actions like
any other. The reminder conversation itself is skill.reminders.dialogue (pure); this
file turns its answers into the dialogue's replies and phases. What only Alexa can
give (who is speaking, the reminders permission, the Reminders API) comes from the
host as a `Household`; what only a response can carry (the AskFor directive, a card)
goes back through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from skill.conversation import state as phases
from skill.reminders.daily import DailyReminder
from skill.reminders.dialogue import (
    CONFIRM,
    OFFER,
    TIME,
    Answer,
    NudgeSession,
    ReminderDialogue,
    ReminderPort,
)
from skill.reminders.results import Outcome, ReminderResult
from skill.reminders.spoken_time import LocalTime
from skill.speech.script import Item, Say
from skill.speech.ssml import NAME_SLOT, SayToPerson
from skill.summary.weekly_card import CardText

if TYPE_CHECKING:
    from skill.conversation.dialogue import Heard, Reply
    from skill.conversation.state import SessionState
    from skill.progress.records import ProgressUpdate
    from skill.speech.copy import Copy

# The reminder question each phase asks, both ways.
PHASE_OF = {
    OFFER: phases.OFFER_REMINDER,
    TIME: phases.ASK_REMINDER_TIME,
    CONFIRM: phases.CONFIRM_REMINDER_TIME,
}
ASKING_IN = {phase: asking for asking, phase in PHASE_OF.items()}


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


@dataclass
class Household:
    """What the host knows about who is speaking and what Alexa allows, for one request;
    and what the answer must carry besides words."""

    person_id: str | None = None  # a recognised speaker; never logged, never stored raw
    reminders_granted: bool = False
    reminders: Callable[[], ReminderPort] = _NoReminders
    timestamp: str | datetime | None = None
    # Filled by the actions, read by the host when it builds the response:
    ask_permission_for: LocalTime | None = None  # send the AskFor directive for this time
    consent_card: bool = False
    card: CardText | None = None


class Dialogue(Protocol):
    """What these actions use of the Dialogue they are mixed into (dialogue.py)."""

    state: SessionState
    copy: Copy
    today: date
    household: Household

    @property
    def day(self) -> date: ...

    @property
    def index(self) -> int | None: ...

    def say(self, key: str, **values: object) -> Say: ...
    def record(self, update: ProgressUpdate) -> None: ...
    def flush(self, spoken: bool = True) -> bool: ...
    def ask(self, items: Sequence[Item], reprompt: Sequence[Item]) -> Reply: ...
    def end(self, items: Sequence[Item]) -> Reply: ...
    def reask(self, lead: Sequence[Item] = ()) -> Reply: ...
    def question(self) -> tuple[list[Item], list[Item]]: ...
    def opening_offer(self, items: list[Item]) -> Reply: ...
    def keep_place(self, credit: bool, rested: bool = False) -> bool: ...
    def conclude(self, reply: Reply, action: str = "") -> Reply: ...
    def first_contact(self) -> None: ...
    def answer_progress(self, heard: Heard) -> Reply: ...
    def answer_this_week(self, heard: Heard) -> Reply: ...

    # this mixin's own, as seen from its other methods
    def nudges(self) -> ReminderDialogue: ...
    def from_answer(self, talk: ReminderDialogue, answer: Answer) -> Reply: ...
    def back_to_it(self, items: Sequence[Item]) -> Reply: ...
    def reminder_question(self) -> tuple[list[Item], list[Item]]: ...
    def in_reminder_phase(self, talk: ReminderDialogue) -> None: ...
    def with_card(self, reply: Reply) -> Reply: ...


class ReminderActions:
    """Mixed into Dialogue; every method here is `self: Dialogue` (the protocol above)."""

    # ---------------------------------------------------------------- plumbing
    def nudges(self: Dialogue) -> ReminderDialogue:
        household = self.household
        return ReminderDialogue(
            session=NudgeSession.from_dict(self.state.nudges),
            copy=self.copy,
            # Unknown: no zone at all, so Alexa uses the device's (never one we made up).
            time_zone=self.state.time_zone if self.state.zone_known else None,
            timestamp=household.timestamp,
            port=household.reminders,
            granted=household.reminders_granted,
        )

    def from_answer(self: Dialogue, talk: ReminderDialogue, answer: Answer) -> Reply:
        """A reminder answer as the dialogue's reply: its question, Alexa's permission
        question, or back to what the person was doing."""
        self.record(answer.update)
        session = talk.session
        household = self.household
        if answer.consent_card:
            household.consent_card = True
        if answer.card is not None:
            household.card = answer.card
        if answer.question is not None and session.asking is not None:
            self.state.phase = PHASE_OF[session.asking]
            self.state.nudges = session.to_dict()
            question, reprompt = answer.question
            return self.ask([*answer.items, *question], reprompt)
        session.close_question()
        self.state.nudges = session.to_dict()
        if answer.ask_permission is not None:
            # Alexa takes the conversation over to ask: keep the place, as a stop would.
            household.ask_permission_for = answer.ask_permission
            if self.state.phase in ASKING_IN:
                self.state.phase = phases.START
            self.keep_place(credit=True)
            self.flush(spoken=False)
            return self.end(answer.items)
        return self.back_to_it(answer.items)

    def back_to_it(self: Dialogue, items: Sequence[Item]) -> Reply:
        """After a reminder exchange: carry on with what the person was doing."""
        state = self.state
        if state.phase in ASKING_IN:
            state.phase = phases.START
        if self.index is None and state.summary.last_day == self.day.isoformat():
            return self.end([*items, self.say("moves.see_you")])  # done: never back to the top
        if self.index is None and state.phase == phases.START:
            return self.opening_offer(list(items))
        return self.reask(items)

    def reminder_question(self: Dialogue) -> tuple[list[Item], list[Item]]:
        """What a reminder phase asks (on a reprompt, "what?" or a fallback)."""
        talk = self.nudges()
        session = talk.session
        asking = ASKING_IN.get(self.state.phase)
        answer: Answer | None = None
        if asking == OFFER:
            answer = talk.offer()
        elif asking == CONFIRM and session.proposed:
            alternative = LocalTime.from_hhmm(session.alternative) if session.alternative else None
            answer = talk.confirm(LocalTime.from_hhmm(session.proposed), alternative)
        elif asking == TIME:
            answer = talk.ask_time()
        if answer is None or answer.question is None:
            self.state.phase = phases.START
            return self.question()
        self.state.nudges = talk.session.to_dict()
        return answer.question

    def in_reminder_phase(self: Dialogue, talk: ReminderDialogue) -> None:
        talk.session.asking = ASKING_IN.get(self.state.phase)

    # ---------------------------------------------------------------- actions
    def set_reminder(self: Dialogue, heard: Heard) -> Reply:
        """ "Remind me every day at nine", "change my reminder to eight", "at seven"."""
        talk = self.nudges()
        return self.from_answer(talk, talk.request(heard.time))

    def read_reminder(self: Dialogue, heard: Heard) -> Reply:
        talk = self.nudges()
        return self.from_answer(talk, talk.read())

    def cancel_reminder(self: Dialogue, heard: Heard) -> Reply:
        talk = self.nudges()
        return self.from_answer(talk, talk.cancel())

    def reminder_yes(self: Dialogue, heard: Heard) -> Reply:
        talk = self.nudges()
        self.in_reminder_phase(talk)
        return self.from_answer(talk, talk.yes())

    def reminder_no(self: Dialogue, heard: Heard) -> Reply:
        talk = self.nudges()
        self.in_reminder_phase(talk)
        return self.from_answer(talk, talk.no())

    def permission_answered(self: Dialogue, status: str, at: LocalTime | None) -> Reply:
        """Alexa's answer to the AskFor permission request (a request of its own)."""
        self.first_contact()
        talk = self.nudges()
        return self.conclude(self.from_answer(talk, talk.permission(status, at)), "permission")

    # ---------------------------------------------------------------- the weekly card
    def with_card(self: Dialogue, reply: Reply) -> Reply:
        """The progress answer, plus the week's card in the Alexa app (once a day)."""
        talk = self.nudges()
        summary = self.state.summary
        completed_today = summary.last_day == self.today.isoformat()
        answer = talk.summary_card(self.today, summary.total, summary.streak, completed_today)
        self.state.nudges = talk.session.to_dict()
        if answer.card is None:
            return reply
        self.record(answer.update)
        self.household.card = answer.card
        # After the figures, before the question that follows them.
        question = len(self.question()[0])
        at = max(len(reply.items) - question, 0)
        reply.items[at:at] = answer.items
        return reply

    def answer_progress_with_card(self: Dialogue, heard: Heard) -> Reply:
        return self.with_card(self.answer_progress(heard))

    def answer_this_week_with_card(self: Dialogue, heard: Heard) -> Reply:
        return self.with_card(self.answer_this_week(heard))

    # ---------------------------------------------------------------- the offer, greetings
    def day_done(self: Dialogue, items: Sequence[Item], closing: Sequence[Item]) -> Reply:
        """A completed day: the closing words, and (once) the offer of a daily reminder in
        place of the goodbye."""
        talk = self.nudges()
        if not closing or not talk.offer_due(self.state.summary.total):
            return self.end([*items, *closing])
        answer = talk.offer()
        self.state.phase = phases.OFFER_REMINDER
        self.state.nudges = talk.session.to_dict()
        assert answer.question is not None
        question, reprompt = answer.question
        return self.ask([*items, *closing[:-1], *question], reprompt)  # the offer, not "bye"

    def welcome_back(self: Dialogue) -> Say:
        """ "Welcome back", by first name for a recognised person (Alexa says the name)."""
        person = self.household.person_id
        if person:
            return SayToPerson(self.copy.say("people.back", name=NAME_SLOT), person_id=person)
        return self.say("welcome.back")

    def hello_person(self: Dialogue) -> list[Item]:
        """Before a recognised person's first welcome: hello, by first name."""
        person = self.household.person_id
        if not person:
            return []
        return [SayToPerson(self.copy.say("people.hello", name=NAME_SLOT), person_id=person)]
