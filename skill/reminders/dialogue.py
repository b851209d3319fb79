"""The reminder conversation, and the weekly card, as answers the dialogue can speak.

Independent of the conversation engine: each method returns an `Answer` (words, an
open reminder question or none, the permission request, cards, what to save), and
the conversation decides how to carry on around it. Alexa is reached only through
the `ReminderPort` given (skill.alexa.reminders.ReminderService in the skill).

What the session carries for this lives in `NudgeSession` (one session attribute):
what the store said at session start, the open question, and whether the offer was
made this session (at most one a session; never again once declined, unless asked).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from msgspec import Struct, field

from skill.progress.nudges import Nudges, NudgeUpdate
from skill.progress.records import ProgressUpdate, UserProgress
from skill.reminders.daily import DailyReminder
from skill.reminders.results import Outcome, ReminderResult
from skill.reminders.spoken_time import LocalTime, heard_time, say_time
from skill.speech.copy import Copy
from skill.speech.script import Item, Say
from skill.summary.weekly_card import CardText, WeekFigures, week_figures, weekly_card

# The reminder question left open, if any.
OFFER = "offer"  # "Would you like me to remind you every day?"
TIME = "time"  # "What time would you like your reminder?"
CONFIRM = "confirm"  # "Every day at nine in the morning. Is that right?"
_ASKING = (OFFER, TIME, CONFIRM)


class ReminderPort(Protocol):
    def put(
        self, alert_token: str | None, reminder: DailyReminder, timestamp: str | datetime | None
    ) -> ReminderResult: ...

    def get(self, alert_token: str) -> ReminderResult: ...

    def delete(self, alert_token: str) -> ReminderResult: ...


class NudgeSession(Struct):
    stored: Nudges = field(default_factory=Nudges)
    week: WeekFigures = field(default_factory=WeekFigures)
    asking: str | None = None
    proposed: str | None = None  # HH:MM being confirmed
    alternative: str | None = None  # HH:MM a "no" to the confirmation means
    offered: bool = False  # the daily-reminder offer was made this session

    @classmethod
    def at_load(cls, progress: UserProgress, today: date) -> NudgeSession:
        return cls(stored=progress.nudges, week=week_figures(progress, today))

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored.to_dict(),
            "week": self.week.to_dict(),
            "asking": self.asking,
            "proposed": self.proposed,
            "alternative": self.alternative,
            "offered": self.offered,
        }

    @classmethod
    def from_dict(cls, data: Any) -> NudgeSession:
        """Never raises: anything unreadable is a fresh session part."""
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(
                stored=Nudges.from_dict(data.get("stored")),
                week=WeekFigures.from_dict(data.get("week")),
                asking=data.get("asking") if data.get("asking") in _ASKING else None,
                proposed=_hhmm(data.get("proposed")),
                alternative=_hhmm(data.get("alternative")),
                offered=data.get("offered") is True,
            )
        except (TypeError, ValueError):
            return cls()

    def close_question(self) -> None:
        self.asking = self.proposed = self.alternative = None


def _hhmm(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return LocalTime.from_hhmm(value).hhmm
    except ValueError:
        return None


class Answer(Struct):
    items: list[Item]
    # A reminder question left open: (question, reprompt). None: the topic is done and
    # the conversation carries on with its own question (or ends).
    question: tuple[list[Item], list[Item]] | None = None
    ask_permission: LocalTime | None = None  # answer with the AskFor directive for this time
    consent_card: bool = False  # the permissions card in the Alexa app
    card: CardText | None = None  # the weekly summary card
    update: ProgressUpdate = field(default_factory=ProgressUpdate)


class ReminderDialogue:
    def __init__(
        self,
        session: NudgeSession,
        copy: Copy,
        time_zone: str | None,
        timestamp: str | datetime | None,
        port: Callable[[], ReminderPort],
        granted: bool,
    ) -> None:
        self.session, self.copy, self.time_zone = session, copy, time_zone
        self.timestamp, self.port, self.granted = timestamp, port, granted

    def say(self, key: str, **values: object) -> Say:
        return Say(self.copy.say(key, **values))

    def words(self, at: LocalTime) -> str:
        return say_time(at, self.copy)

    # -- asking for a reminder -----------------------------------------------------------
    def request(self, slot_value: str | None) -> Answer:
        """ "Remind me every day at nine", "change my reminder to eight", or a bare time
        answering "what time?"."""
        heard = heard_time(slot_value)
        if heard is None:
            # Words that aren't a time ("after breakfast"), or none where one was asked:
            # say so, with an example time.
            missed = bool(slot_value) or self.session.asking == TIME
            lead: list[Item] = [self.say("reminders.not_a_time")] if missed else []
            return self.ask_time(lead)
        if heard.confirm:
            return self.confirm(heard.time, heard.alternative)
        return self.set_at(heard.time)

    def ask_time(self, lead: list[Item] | None = None) -> Answer:
        self.session.close_question()
        self.session.asking = TIME
        question: list[Item] = [self.say("reminders.ask_time")]
        return Answer(lead or [], (question, [self.say("reminders.ask_time_reprompt")]))

    def confirm(self, at: LocalTime, alternative: LocalTime | None) -> Answer:
        session = self.session
        session.asking, session.proposed = CONFIRM, at.hhmm
        session.alternative = alternative.hhmm if alternative else None
        words = self.words(at)
        return Answer(
            [],
            (
                [self.say("reminders.confirm", time=words)],
                [self.say("reminders.confirm_reprompt", time=words)],
            ),
        )

    def yes(self) -> Answer:
        """Yes to the open reminder question."""
        session = self.session
        if session.asking == CONFIRM and session.proposed:
            return self.set_at(LocalTime.from_hhmm(session.proposed))
        return self.ask_time()  # yes to the offer, or a yes that names no time

    def no(self) -> Answer:
        """No to the open reminder question."""
        session = self.session
        if session.asking == CONFIRM and session.alternative:
            return self.confirm(LocalTime.from_hhmm(session.alternative), None)
        if session.asking == CONFIRM:
            return self.ask_time()
        declined = session.asking == OFFER
        session.close_question()
        update = ProgressUpdate()
        if declined:
            update = ProgressUpdate(nudges=NudgeUpdate(reminder_offer_declined=True))
            self.remember(update.nudges)
        return Answer([self.say("reminders.declined")], update=update)

    def set_at(self, at: LocalTime) -> Answer:
        """Create or move the person's reminder, or ask Alexa for the permission first."""
        self.session.close_question()
        if not self.granted:
            return Answer([self.say("reminders.permission_ask")], ask_permission=at)
        reminder = DailyReminder.for_person(at, self.time_zone, self.copy)
        had = self.session.stored.reminder_token
        result = self.port().put(had, reminder, self.timestamp)
        if result.outcome is Outcome.NO_PERMISSION:
            return Answer([self.say("reminders.permission_ask")], ask_permission=at)
        if not result.ok or not result.alert_token:
            return Answer([self.failure(result.outcome)])
        change = NudgeUpdate(reminder_token=result.alert_token, reminder_time=at.hhmm)
        self.remember(change)
        key = "reminders.changed" if had and not result.created else "reminders.set"
        return Answer([self.say(key, time=self.words(at))], update=ProgressUpdate(nudges=change))

    def failure(self, outcome: Outcome) -> Say:
        if outcome is Outcome.NOT_ALLOWED:
            return self.say("reminders.not_allowed")
        if outcome is Outcome.THROTTLED:
            return self.say("reminders.busy")
        return self.say("reminders.unavailable")

    # -- the answer to Alexa's permission question --------------------------------------
    def permission(self, status: str, at: LocalTime | None) -> Answer:
        if status == "ACCEPTED" and at is not None:
            self.granted = True
            return self.set_at(at)
        if status == "ACCEPTED":
            return self.ask_time()
        if status == "DENIED":
            # A no to Alexa's question is a no to the reminder: no more offers, unless asked.
            change = NudgeUpdate(reminder_offer_declined=True)
            self.remember(change)
            words: list[Item] = [self.say("reminders.permission_denied")]
            return Answer(words, consent_card=True, update=ProgressUpdate(nudges=change))
        return Answer([self.say("reminders.permission_unanswered")], consent_card=True)

    # -- reading and cancelling ----------------------------------------------------------
    def read(self) -> Answer:
        self.session.close_question()
        stored = self.session.stored
        if not stored.reminder_token or not stored.reminder_time:
            return Answer([self.say("reminders.none")])
        result = self.port().get(stored.reminder_token)
        if result.outcome is Outcome.NOT_FOUND:
            return self.forget([self.say("reminders.gone")])
        # The stored time is ours to tell even when Alexa is busy; the service's own
        # time wins when it could be read.
        at = result.at or LocalTime.from_hhmm(stored.reminder_time)
        return Answer([self.say("reminders.read", time=self.words(at))])

    def cancel(self) -> Answer:
        self.session.close_question()
        token = self.session.stored.reminder_token
        if not token:
            return Answer([self.say("reminders.cancel_none")])
        result = self.port().delete(token)
        if result.ok:
            return self.forget([self.say("reminders.cancelled")])
        if result.outcome is Outcome.NO_PERMISSION:
            return Answer([self.say("reminders.cancel_no_permission")])
        return Answer([self.failure(result.outcome)])

    def forget(self, items: list[Item]) -> Answer:
        change = NudgeUpdate(forget_reminder=True)
        self.remember(change)
        return Answer(items, update=ProgressUpdate(nudges=change))

    def remember(self, change: NudgeUpdate) -> None:
        self.session.stored = self.session.stored.apply(change)

    # -- the offer after the first completed day -----------------------------------------
    def offer_due(self, total_days: int) -> bool:
        """Offer once someone has a completed day, has no reminder, never declined, and
        was not offered this session."""
        session, stored = self.session, self.session.stored
        return (
            total_days >= 1
            and not session.offered
            and not stored.reminder_token
            and not stored.reminder_offer_declined
        )

    def offer(self) -> Answer:
        self.session.close_question()
        self.session.asking, self.session.offered = OFFER, True
        return Answer([], ([self.say("reminders.offer")], [self.say("reminders.offer_reprompt")]))

    # -- the weekly summary card ----------------------------------------------------------
    def summary_card(self, today: date, total: int, streak: int, completed_today: bool) -> Answer:
        """The card, unless one was already sent today or there is no day to show yet
        (then nothing at all)."""
        if total == 0 or self.session.stored.summary_card_on == today.isoformat():
            return Answer([])
        card = weekly_card(today, self.session.week, total, streak, completed_today, self.copy)
        change = NudgeUpdate(summary_card_on=today.isoformat())
        self.remember(change)
        return Answer([self.say("card.sent")], card=card, update=ProgressUpdate(nudges=change))
