"""The actions of the dialogue: what the skill does and says for one utterance.

Which action answers which utterance in which phase is the table in table.py;
this file is the actions themselves. Every action answers with something the
person can say next, or ends the session with the place kept and the way back
said. Progress changes are gathered and saved once per turn (saving.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from skill.conversation import state as phases
from skill.conversation.clock import local_date_of_ms
from skill.conversation.reminder_actions import ASKING_IN, Household, ReminderActions
from skill.conversation.saving import Saver
from skill.conversation.state import WELCOMED, SessionState
from skill.conversation.table import KINDS, action_for
from skill.progress.records import Position, ProgressUpdate
from skill.progress.session_figures import session_figures
from skill.routine.model import Routine
from skill.routine.session import Route
from skill.routine.settings import RAISES, TOE_CURLS, Settings, raise_rep_bounds, rep_bounds
from skill.speech.copy import Copy
from skill.speech.narrate import (
    AWAY,
    READY,
    Segment,
    compiled,
    spoken_numbers,
    total_seconds,
    warm_up,
)
from skill.speech.script import Item, Say

WARM_UP_PLACE = "warm_up"  # the saved place after the warm-up: the next launch starts the routine
# A stop this soon after a segment began (as a share of its length) interrupted it.
HEARD_IN_FULL = 0.9


@lru_cache(maxsize=64)
def _route(routine: Routine, settings: Settings, locale: str) -> Route:
    """The order of a compiled routine, built once per (settings, locale) like the segments."""
    return Route.of(compiled(routine, settings, locale))


@dataclass
class Reply:
    items: list[Item]
    reprompt: list[Item] | None = None  # None: the session ends
    silent: bool = False  # only SessionEndedRequest answers with nothing at all
    action: str = ""  # the table's action that made it

    @property
    def kind(self) -> str:
        return KINDS.get(self.action, "")


@dataclass(frozen=True)
class Heard:
    """What an utterance carried besides its intent (resolved slot values)."""

    exercise: str | None = None  # a routine exercise id, only when it resolved
    number: int | None = None
    order: str | None = None  # a toe-curl order id
    time: str | None = None  # an AMAZON.TIME value as Alexa sends it ("09:00", "EV")


@dataclass
class Dialogue(ReminderActions):
    state: SessionState
    routine: Routine
    copy: Copy
    today: date
    now_ms: int
    saver: Saver
    carry: Callable[[ProgressUpdate], None] = lambda update: None  # unsaved at session end
    notes: list[Item] = field(default_factory=list)  # said before the answer
    save_spoken: bool = False  # the answer already says whether it saved: no second apology
    household: Household = field(default_factory=Household)  # who speaks; reminders (host)

    # ================================================================ entry points
    def hear(self, intent: str, heard: Heard | None = None) -> Reply:
        """One utterance in the current phase, answered by the table's action."""
        action = action_for(self.state.phase, intent)
        self.first_contact()
        if action != "not_understood":
            self.state.misheard = 0
        reply: Reply = getattr(self, action)(heard or Heard())
        reply.action = reply.action or action
        return self.conclude(reply)

    def launch(self) -> Reply:
        state, items = self.state, []
        if state.first_use:
            items += [*self.hello_person(), self.welcome_first()]
            items.append(self.say("safety.not_medical_advice"))
            items.append(self.say("welcome.have_at_hand", things=self.things_for_all()))
            self.record(ProgressUpdate(milestones=frozenset({WELCOMED})))
            state.first_use = False
        else:
            items.append(self.welcome_back())
        saved = self.saved_place()
        if saved is not None and saved.rested:
            state.phase = phases.ASK_FEELING
            return self.conclude(self.reask(items), "launch")
        return self.conclude(self.opening_offer(items), "launch")

    def session_ended(self) -> Reply:
        """The microphone closed or the person left: keep the place, quietly."""
        self.keep_place(credit=True)
        return self.conclude(Reply([], None, silent=True), "session_ended")

    def conclude(self, reply: Reply, action: str = "") -> Reply:
        """Save what this turn changed (one write), and say so if that failed."""
        reply.action = reply.action or action
        changes = self.saver.changes
        if not changes.is_empty() and not self.saver.attempted and changes.position is None:
            # Ride along with a write that happens anyway: where to resume, the zone.
            position = self.resume_position()
            extra = ProgressUpdate(
                position=None if changes.clear_position else position,
                time_zone=self.state.time_zone,
            )
            self.record(extra)
        saved = self.flush(spoken=False)
        if not saved and reply.reprompt is not None and self.matters() and not self.save_spoken:
            reply.items.append(self.say("progress.save_failed"))
        self.state.pending = self.saver.unsaved.to_dict() if not saved else {}
        if reply.reprompt is None and not saved:
            self.carry(self.saver.unsaved)
        return reply

    # ================================================================ helpers
    @property
    def settings(self) -> Settings:
        return Settings.from_dict(self.state.settings)

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

    def minutes(self, seconds: float) -> str:
        count = max(1, math.ceil(seconds / 60 - 0.25))
        if count == 1:
            return self.copy.say("time.one_minute")
        return self.copy.say("time.minutes", count=self.copy.number(count))

    def days(self, count: int) -> str:
        if count == 1:
            return self.copy.say("progress.days.one")
        return self.copy.say("progress.days.many", count=self.copy.number(count))

    def join(self, words: Sequence[str]) -> str:
        return self.copy.join(words)

    def record(self, update: ProgressUpdate) -> None:
        self.saver.record(update)

    def flush(self, spoken: bool = True) -> bool:
        """Save now; `spoken` when the answer words the result itself."""
        self.save_spoken = self.save_spoken or spoken
        saved = self.saver.flush()
        if saved and self.saver.saved is not None:
            self.state.summary = session_figures(self.saver.saved, self.day)
        return saved

    def matters(self) -> bool:
        unsaved = self.saver.unsaved
        return bool(unsaved.exercises_done or unsaved.settings)

    def ask(self, items: Sequence[Item], reprompt: Sequence[Item]) -> Reply:
        return Reply([*self.notes, *items], list(reprompt))

    def end(self, items: Sequence[Item]) -> Reply:
        return Reply([*self.notes, *items], None)

    def first_contact(self) -> None:
        """The not-medical-advice line comes before anything else, one-shots included."""
        if self.state.first_use:
            self.notes.insert(0, self.say("safety.not_medical_advice"))
            self.record(ProgressUpdate(milestones=frozenset({WELCOMED})))
            self.state.first_use = False

    def exercises_done_today(self) -> set[str]:
        done = (
            set(self.state.summary.exercises_today)
            if self.state.summary.today in ("", self.day.isoformat())
            else set()
        )
        return done | set(self.saver.unsaved.exercises_done.get(self.day.isoformat(), ()))

    def missing_today(self) -> list[str]:
        """The routine's exercises not yet done today, in order."""
        done = self.exercises_done_today()
        return [exercise for exercise in self.routine.ids if exercise not in done]

    def settle(self) -> None:
        """The person moved on from a finished exercise: it counts as done."""
        if self.state.completing:
            done = frozenset({self.state.completing})
            self.record(ProgressUpdate(exercises_done={self.day.isoformat(): done}))
            self.state.completing = None

    def interrupted(self, index: int) -> bool:
        """True when the request came before the segment could have been heard to its end."""
        segment = self.segments[index]
        elapsed = (self.now_ms - self.state.narrated_at) / 1000
        return elapsed < segment.seconds * HEARD_IN_FULL

    def position_at(self, index: int) -> Position:
        return Position(self.route.exercise_at(index), self.route.segment_ids[index], self.now_ms)

    def position_after(self, index: int) -> Position:
        """Where a later session picks up once the segment at `index` was done."""
        following = self.route.next(index)
        return self.position_at(index if following is None else following)

    def resume_position(self) -> Position | None:
        """Where to pick up if the session ended now: after work that was heard, or here."""
        index = self.index
        if index is None:
            return None
        if self.state.phase in (phases.ROUTINE, phases.OFFER_REDO):
            return self.position_after(index)
        return self.position_at(index)

    def keep_place(self, credit: bool, rested: bool = False) -> bool:
        """Leaving: count what was finished (unless interrupted) and save where to pick up.

        True when there was a place to keep.
        """
        index = self.index
        if index is None:
            if rested:  # stopped before starting: the next launch still asks how they are
                self.record(ProgressUpdate(position=self.position_at(0).after_rest()))
            return False
        segment = self.segments[index]
        finished = segment.kind != READY and not self.interrupted(index)
        if credit and finished and self.state.phase != phases.GATE:
            self.settle()
            position = self.position_after(index)
        else:
            self.state.completing = None  # an interrupted exercise is not counted
            position = self.position_at(index)
        self.record(ProgressUpdate(position=position.after_rest() if rested else position))
        return True

    def saved_place(self) -> Position | None:
        try:
            return Position.from_dict(self.state.saved_position)
        except (TypeError, ValueError, KeyError):
            return None

    def resumable(self) -> int | None:
        """The saved place, if it was saved today (places are kept for the day)."""
        saved = self.saved_place()
        if saved is None or saved.saved_at <= 0 or saved.segment_id == WARM_UP_PLACE:
            return None
        if local_date_of_ms(saved.saved_at, self.state.time_zone) != self.today:
            return None
        return self.route.locate(saved.segment_id, saved.exercise)

    def warmed_up_today(self) -> bool:
        saved = self.saved_place()
        return (
            saved is not None
            and saved.segment_id == WARM_UP_PLACE
            and local_date_of_ms(saved.saved_at, self.state.time_zone) == self.today
        )

    def kind_of(self, exercise_id: str | None) -> str:
        return self.routine.exercise(exercise_id).kind if exercise_id else ""

    def needs_of(self, exercise_id: str) -> tuple[str, ...]:
        params, kind = self.routine.exercise(exercise_id).params, self.kind_of(exercise_id)
        if kind == TOE_CURLS and self.settings.toe_curl_tool == "marbles":
            return tuple(params["marbles"].get("needs", ()))
        if kind == RAISES and self.settings.raise_position == "standing":
            return tuple(params["progression"].get("needs", ()))
        return tuple(params.get("needs", ()))

    def things(self, needs: Sequence[str]) -> str:
        marbles = self.routine.of_kind(TOE_CURLS).params["marbles"]
        return self.join(
            [
                self.copy.say(
                    f"needs.{need}",
                    count=self.copy.number(int(marbles["marbles"])),
                    bowls=self.copy.number(int(marbles["bowls"])),
                )
                for need in dict.fromkeys(needs)
            ]
        )

    def things_for_all(self) -> str:
        needs = [n for i in self.routine.ids for n in self.needs_of(i) if n != "bare_feet"]
        return self.things(needs)

    def welcome_first(self) -> Say:
        minutes = self.minutes(total_seconds(self.segments))
        count = self.copy.number(self.routine.spoken_count)
        return self.say("welcome.first", minutes=minutes, count=count)

    # ================================================================ narration
    def narrate(self, index: int, lead: Sequence[Item] = ()) -> Reply:
        segments, route, state = self.segments, self.route, self.state
        segment = segments[index]
        state.segment, state.exercise = segment.id, segment.exercise
        state.narrated_at = self.now_ms
        state.started_on = state.started_on or self.today.isoformat()
        state.completing = segment.exercise if route.ends_exercise(index) else None
        if segment.kind == READY:
            state.phase = phases.GATE
            return self.ask([*lead, *segment.items], [*segment.prompt, self.say("asks.gate")])
        if segment.kind == AWAY:
            return self.step_away(index, lead)
        if index == route.last or (state.filling and route.ends_exercise(index)):
            self.settle()
            return self.finish(segment, lead)
        state.phase = phases.ROUTINE
        return self.ask([*lead, *segment.items], [*segment.prompt, self.say("asks.routine")])

    def enter(self, index: int, lead: Sequence[Item] = ()) -> Reply:
        """Go to a segment by a jump (resume, go back, start an exercise): standing work
        is always entered through its ready gate, with the stand-and-hold cue."""
        segment = self.segments[index]
        current = self.index
        same_standing = (
            current is not None
            and self.segments[current].exercise == segment.exercise
            and self.segments[current].standing
        )
        if segment.standing and segment.kind != READY and not same_standing:
            gate = self.route.start_of(segment.exercise)
            if gate is not None and self.segments[gate].kind == READY:
                self.state.after_gate = segment.id
                return self.narrate(gate, lead)
        self.state.after_gate = None
        return self.narrate(index, lead)

    def step_away(self, index: int, lead: Sequence[Item]) -> Reply:
        """A step longer than the microphone stays open: end with the way back, place kept."""
        segment = self.segments[index]
        self.settle()  # guided to the end: it counts, as a timeout after a segment would
        following = self.route.next(index)
        if following is None:
            return self.finish(segment, lead)
        self.record(ProgressUpdate(position=self.position_at(following)))
        self.state.segment, self.state.exercise = None, None
        items = [*lead, *segment.items]
        if not self.flush():
            items.append(self.say("moves.place_unsaved"))
        return self.end(items)

    def finish(self, segment: Segment, lead: Sequence[Item]) -> Reply:
        """The last part of the routine (or of a filled-in gap) was just narrated."""
        missing = self.missing_today()
        items: list[Item] = [*lead, *segment.body]
        if missing:
            return self.offer_skipped(missing[0], items)
        return self.complete_day(segment, items)

    def offer_skipped(self, exercise_id: str, items: list[Item]) -> Reply:
        state = self.state
        state.phase, state.offer, state.filling = phases.OFFER_SKIPPED, exercise_id, True
        state.segment, state.exercise, state.completing = None, None, None
        return self.reask(items)

    def complete_day(self, segment: Segment, items: list[Item]) -> Reply:
        # The clear is stamped with this request's time, so an older position saved
        # later by another device cannot bring the finished routine back.
        stamp = Position(segment.exercise, segment.id, self.now_ms)
        self.record(
            ProgressUpdate(
                position=stamp,
                clear_position=True,
                milestones=frozenset(self.state.milestones_if_done),
            )
        )
        self.state.segment, self.state.exercise, self.state.filling = None, None, False
        if not self.flush():
            self.state.phase = phases.FINISH_UNSAVED
            return self.ask(
                [*items, self.say("progress.finish_save_failed")],
                [self.say("progress.finish_save_failed")],
            )
        return self.day_done([*items, self.say("prompts.finished")], self.closing_words())

    def closing_words(self) -> list[Item]:
        summary = self.state.summary
        words: list[Item] = [self.say("progress.finished_counts", days=self.days(summary.total))]
        if summary.streak >= 2:
            streak = self.copy.number(summary.streak)
            words.append(self.say("progress.finished_streak", streak=streak))
        words += [self.say(f"milestones.{m}") for m in self.state.milestones_if_done]
        words.append(self.say("moves.see_you"))
        return words

    # ================================================================ questions
    def question(self) -> tuple[list[Item], list[Item]]:
        """What the current phase asks: said again on a reprompt, "what?" or a fallback."""
        state, copy = self.state, self.copy
        index = self.index
        if state.phase in ASKING_IN:
            return self.reminder_question()
        if state.phase in (phases.ROUTINE, phases.GATE) and index is not None:
            segment = self.segments[index]
            more = "asks.gate" if state.phase == phases.GATE else "asks.routine"
            return list(segment.prompt), [*segment.prompt, self.say(more)]
        offer = state.offer or ""
        named = self.name(offer) if offer in self.routine.ids else ""
        asks: dict[str, tuple[str, str, dict[str, object]]] = {
            phases.OFFER_WARM_UP: (
                "welcome.offer_warm_up",
                "welcome.offer_warm_up_reprompt",
                {"name": self.name(self.routine.ids[0])},
            ),
            phases.OFFER_RESUME: (
                "welcome.offer_resume",
                "welcome.offer_resume_reprompt",
                {"name": named},
            ),
            phases.ASK_FEELING: ("welcome.ask_feeling", "welcome.ask_feeling_reprompt", {}),
            phases.OFFER_AGAIN: ("welcome.offer_again", "welcome.offer_again_reprompt", {}),
            phases.OFFER_EXERCISE: (
                "asks.exercise_offer",
                "asks.exercise_offer_reprompt",
                {"name": named},
            ),
            phases.OFFER_SKIPPED: (
                "asks.skipped_offer",
                "asks.skipped_offer_reprompt",
                {"name": named, "minutes": self.minutes(self.exercise_seconds(offer))},
            ),
            phases.OFFER_STANDING: ("offers.standing", "offers.standing_reprompt", {}),
            phases.OFFER_MORE_REPS: (
                "offers.more_reps",
                "offers.more_reps_reprompt",
                {"reps": copy.number(int(offer)) if offer.isdigit() else ""},
            ),
            phases.OFFER_REDO: ("asks.redo", "asks.redo_reprompt", {}),
            phases.CONFIRM_START_OVER: (
                "asks.start_over"
                if len(self.exercises_done_today()) > 1
                else "asks.start_from_top",
                "asks.start_over_reprompt",
                {"count": copy.number(len(self.exercises_done_today()))},
            ),
            phases.CHOOSE: ("asks.which", "asks.which_reprompt", {}),
            phases.FINISH_UNSAVED: (
                "progress.finish_save_failed",
                "progress.finish_save_failed",
                {},
            ),
        }
        if state.phase in asks:
            key, again, values = asks[state.phase]
            return [self.say(key, **values)], [self.say(again, **values)]
        if index is not None:  # an answered question mid-routine: back to the place
            state.phase = phases.GATE if self.segments[index].kind == READY else phases.ROUTINE
            return self.question()
        state.phase = phases.OFFER_START
        return [self.say("asks.start")], [self.say("asks.start_reprompt")]

    def reask(self, lead: Sequence[Item] = ()) -> Reply:
        """Say `lead`, then ask again whatever the current phase asks."""
        ask, again = self.question()
        return self.ask([*lead, *ask], again)

    def exercise_seconds(self, exercise_id: str) -> float:
        return sum(s.seconds for s in self.segments if s.exercise == exercise_id)

    def upcoming(self) -> str | None:
        """The exercise the person does next (the current one if it isn't finished)."""
        index = self.index
        if index is None:
            return self.routine.ids[0]
        if self.state.phase == phases.GATE or not self.state.completing:
            return self.route.exercise_at(index)
        following = self.route.next_exercise(index)
        return None if following is None else self.route.exercise_at(following)

    # ================================================================ opening
    def opening_offer(self, items: list[Item]) -> Reply:
        """After the greeting: carry on, start after the warm-up, or offer something."""
        state = self.state
        if self.warmed_up_today():
            items.append(self.say("welcome.feet_warm"))
            return self.narrate(self.route.first, items)
        resume = self.resumable()
        if resume is not None:
            state.phase, state.offer = phases.OFFER_RESUME, self.route.exercise_at(resume)
            return self.reask(items)
        if self.today.isoformat() == state.summary.last_day:
            state.phase = phases.OFFER_AGAIN
            return self.reask([*items, self.say("welcome.done_today")])
        if self.progression_offer():
            return self.reask(items)
        state.phase = phases.OFFER_WARM_UP
        return self.reask(items)

    def progression_offer(self) -> bool:
        """At most one progression offer a session (remembered as made, accepted or not)."""
        state = self.state
        offers, state.offers = state.offers, []
        for offer in offers:
            setting, value = offer.get("setting"), offer.get("value")
            if setting == "raise_position" and self.settings.raise_position == "seated":
                state.phase, state.offer = phases.OFFER_STANDING, "standing"
            elif setting == "raise_reps" and isinstance(value, int):
                if value <= self.settings.raise_reps:
                    continue
                state.phase, state.offer = phases.OFFER_MORE_REPS, str(value)
            else:
                continue
            self.record(ProgressUpdate(milestones=frozenset({str(offer["id"])})))
            return True
        return False

    # ================================================================ actions: safety
    def safety_stop(self, heard: Heard, emergency: bool = False) -> Reply:
        """Stop at once: rest, no pushing through pain, a professional if it persists.
        The place is kept without counting the interrupted exercise; no symptom is kept."""
        index = self.index
        name = self.name(self.route.exercise_at(index)) if index is not None else None
        had_place = self.keep_place(credit=False, rested=True)
        words: list[Item] = [self.say("safety.stop_now")]
        if emergency:
            words.append(self.say("safety.emergency", number=self.emergency_number()))
        words.append(self.say("safety.rest"))
        saved = self.flush()
        if had_place and name:
            words.append(self.say("safety.place_kept" if saved else "safety.place_unsaved",
                                  name=name))  # fmt: skip
        words.append(self.say("safety.take_care"))
        self.state.phase, self.state.segment = phases.START, None
        return self.end(words)

    def emergency_stop(self, heard: Heard) -> Reply:
        return self.safety_stop(heard, emergency=True)

    def emergency_number(self) -> str:
        return self.copy.emergency_number()

    def feeling_better(self, heard: Heard) -> Reply:
        saved = self.saved_place()
        if saved is not None and saved.rested:
            unmarked = Position(saved.exercise, saved.segment_id, saved.saved_at)
            self.state.saved_position = unmarked.to_dict()
            self.record(ProgressUpdate(position=replace(unmarked, saved_at=self.now_ms)))
        return self.opening_offer([self.say("welcome.feeling_better")])

    def rest_today(self, heard: Heard) -> Reply:
        return self.end([self.say("safety.rest_today")])

    # ================================================================ actions: leaving
    def leave_with(self, saved_key: str, unsaved_key: str, credit: bool = True) -> Reply:
        had_place = self.keep_place(credit=credit)
        if not had_place:
            self.flush()
            kept = self.resumable() is not None  # a place kept earlier today is still there
            return self.end([self.say("moves.still_kept" if kept else "moves.bye")])
        key = saved_key if self.flush() else unsaved_key
        self.state.segment = None
        return self.end([self.say(key)])

    def leave(self, heard: Heard) -> Reply:
        return self.leave_with("moves.stop", "moves.stop_unsaved")

    def pause(self, heard: Heard) -> Reply:
        return self.leave_with("moves.pause", "moves.stop_unsaved")

    def done_for_today(self, heard: Heard) -> Reply:
        return self.leave_with("moves.done_for_today", "moves.done_for_today_unsaved")

    def fetch_and_return(self, heard: Heard) -> Reply:
        return self.leave_with("moves.fetch", "moves.fetch_unsaved")

    def goodbye(self, heard: Heard) -> Reply:
        return self.end([self.say("moves.bye")])

    def take_your_time(self, heard: Heard) -> Reply:
        return self.reask([self.say("moves.take_your_time")])

    # ================================================================ actions: not understood
    def help(self, heard: Heard) -> Reply:
        index = self.index
        if index is not None and self.state.phase in (phases.ROUTINE, phases.GATE):
            words = [self.say("help.routine", name=self.name(self.route.exercise_at(index)))]
        else:
            words = [self.say("help.general")]
        return self.reask([*words, self.say("safety.help_note")])

    def say_again(self, heard: Heard) -> Reply:
        return self.reask()

    def not_asked(self, heard: Heard) -> Reply:
        return self.reask()

    def you_are_welcome(self, heard: Heard) -> Reply:
        return self.reask([self.say("moves.you_are_welcome")])

    def not_understood(self, heard: Heard) -> Reply:
        """Keep the place, say what can be said now, and vary the words."""
        state = self.state
        sorry = self.copy.raw("fallback.sorry")
        opening = Say(str(sorry[state.misheard % len(sorry)]))
        state.misheard += 1
        ask, again = self.question()
        options = self.copy.raw("fallback.options")
        hint = options.get(state.phase) or options["default"]
        reply = self.ask([opening, Say(str(hint)), *ask], again)
        reply.action = "not_understood"  # also when an action found nothing it could use
        return reply

    # ================================================================ actions: moving
    def carry_on(self, heard: Heard) -> Reply:
        """Start, next, resume or "let's go": carry on from the place, never start over."""
        if self.index is not None:
            return self.past_gate(heard) if self.state.phase == phases.GATE else self.advance(heard)
        resume = self.resumable()
        if resume is not None:
            self.state.offer = self.route.exercise_at(resume)
            return self.resume_offered(heard)
        if self.state.filling and self.state.offer in self.routine.ids:
            return self.fill_in_skipped(heard)
        return self.begin(heard)

    def begin(self, heard: Heard) -> Reply:
        return self.enter(self.route.first)

    def advance(self, heard: Heard) -> Reply:
        index = self.index
        if index is None:
            return self.carry_on(heard)
        if self.segments[index].kind == READY:
            return self.past_gate(heard)
        self.settle()
        following = self.route.next(index)
        if following is None:
            return self.reask()
        return self.narrate(following)

    def past_gate(self, heard: Heard) -> Reply:
        index = self.index
        if index is None:
            return self.carry_on(heard)
        target = self.route.locate(self.state.after_gate, None)
        self.state.after_gate = None
        following = target if target is not None and target > index else self.route.next(index)
        return self.narrate(following if following is not None else index)

    def redo(self, heard: Heard, lead: Sequence[Item] = ()) -> Reply:
        index = self.index
        if index is None:
            return self.reask()
        self.state.completing = None
        return self.enter(index, lead)

    def recount(self, heard: Heard) -> Reply:
        index = self.index
        if index is None or not self.segments[index].counted:
            return self.reask()
        return self.redo(heard, [self.say("moves.recount")])

    def keep_going(self, heard: Heard) -> Reply:
        index = self.index
        self.state.phase = phases.ROUTINE if index is not None else phases.START
        return self.reask([self.say("moves.no_thanks")])

    def go_back(self, heard: Heard) -> Reply:
        index = self.index
        if index is None:
            return self.reask()
        earlier = self.route.previous(index)
        if earlier is None:
            return self.narrate(index, [self.say("moves.first_already")])
        self.state.completing = None
        return self.enter(earlier)

    def skip(self, heard: Heard) -> Reply:
        """Skip the exercise at hand: at the prompt after a finished exercise, the one
        just announced; at a ready gate or in the middle of one, the rest of it."""
        index = self.index
        if index is None:
            return self.carry_on(heard)
        route = self.route
        if self.state.completing and self.state.phase != phases.GATE:
            self.settle()
            upcoming = route.next(index)
            if upcoming is None:
                return self.reask()
            index = upcoming
        skipped = route.exercise_at(index)
        self.state.completing = None
        lead: list[Item] = [self.say("moves.skip", name=self.name(skipped))]
        following = route.next_exercise(index)
        if following is None or self.state.filling:
            return self.after_skip(skipped, lead)
        return self.narrate(following, lead)

    def after_skip(self, skipped: str, lead: list[Item]) -> Reply:
        """Skipped the last exercise (or a filled-in one): finish, offering what else is
        missing (not the one just skipped)."""
        offered = [i for i in self.missing_today() if i != skipped]
        if offered:
            return self.offer_skipped(offered[0], lead)
        return self.end_with_gaps(Heard(), lead)

    def start_over(self, heard: Heard) -> Reply:
        if len(self.exercises_done_today()) > 1:
            self.state.phase = phases.CONFIRM_START_OVER
            return self.reask()
        return self.start_from_top(heard)

    def offer_start_over(self, heard: Heard) -> Reply:
        self.state.phase = phases.CONFIRM_START_OVER
        return self.reask([self.say("moves.no_thanks")])

    def start_from_top(self, heard: Heard) -> Reply:
        self.state.filling = False
        self.state.segment, self.state.completing = None, None
        return self.enter(self.route.first, [self.say("moves.start_over")])

    def start_exercise(self, heard: Heard) -> Reply:
        if heard.exercise is None or heard.exercise not in self.routine.ids:
            return self.not_understood(heard)  # an unknown name is never echoed back
        if heard.exercise != self.state.completing:
            self.settle()
        start = self.route.start_of(heard.exercise)
        return self.enter(start if start is not None else self.route.first)

    def start_offered_exercise(self, heard: Heard) -> Reply:
        return self.start_exercise(Heard(exercise=self.state.offer))

    def resume_offered(self, heard: Heard) -> Reply:
        saved = self.resumable()
        offered = self.state.offer
        index = saved if saved is not None else self.route.start_of(offered or "")
        if index is None:
            return self.begin(heard)
        exercise = self.route.exercise_at(index)
        lead = [self.say("moves.carry_on", name=self.name(exercise))]
        if index != self.route.start_of(exercise) and not self.segments[index].standing:
            lead.append(self.say("safety.comfortable"))  # a first part or a gate says it anyway
        return self.enter(index, lead)

    def decline_offer(self, heard: Heard) -> Reply:
        # Back to the place's own question, or to "start your routine?" without one.
        self.state.phase = phases.START if self.index is not None else phases.OFFER_START
        return self.reask([self.say("moves.no_thanks")])

    def fill_in_skipped(self, heard: Heard) -> Reply:
        self.state.filling = True
        start = self.route.start_of(self.state.offer or "")
        if start is None:
            return self.end_with_gaps(heard)
        return self.enter(start)

    def end_with_gaps(self, heard: Heard, lead: Sequence[Item] = ()) -> Reply:
        missing = self.missing_today()
        self.state.filling, self.state.segment = False, None
        self.record(ProgressUpdate(clear_position=True))
        words = [*lead, self.say("progress.not_complete", names=self.join(
            [self.name(i) for i in missing]))]  # fmt: skip
        return self.end([*words, self.say("moves.bye")])

    def retry_finish(self, heard: Heard) -> Reply:
        if not self.flush():
            return self.reask()
        return self.day_done([self.say("progress.finish_saved_late")], self.closing_words())

    def warm_up(self, heard: Heard) -> Reply:
        """Longer than the microphone: describe it, end, and start the routine next launch."""
        segment = warm_up(self.routine, self.copy)
        if self.index is None:
            place = Position(WARM_UP_PLACE, WARM_UP_PLACE, self.now_ms)
            self.record(ProgressUpdate(position=place))
        else:
            self.keep_place(credit=True)
            self.state.segment = None
        self.flush()
        return self.end(list(segment.items))

    # ================================================================ actions: settings
    def change_settings(self, new: Settings) -> None:
        changed = {k: v for k, v in new.to_dict().items() if self.state.settings.get(k) != v}
        self.state.settings = new.to_dict()
        if changed:
            self.record(ProgressUpdate(settings=changed))

    def slower(self, heard: Heard) -> Reply:
        return self.change_pace(self.settings.slower(), "slower")

    def faster(self, heard: Heard) -> Reply:
        return self.change_pace(self.settings.faster(), "faster")

    def change_pace(self, new: Settings, way: str) -> Reply:
        """A new pace for counting; it never moves the routine on by itself."""
        if new == self.settings:
            return self.reask([self.say(f"moves.{way}_limit")])
        self.change_settings(new)
        ack = self.say(f"moves.{way}")
        index = self.index
        if index is not None and self.segments[index].counted:
            self.state.phase = phases.OFFER_REDO  # offer to redo the count, never move on
        return self.reask([ack])

    def current_exercise(self) -> str | None:
        """The exercise at the place, else the one the person would start next."""
        index = self.index
        return self.route.exercise_at(index) if index is not None else self.upcoming()

    def easier(self, heard: Heard) -> Reply:
        settings, exercise, index = self.settings, self.current_exercise(), self.index
        kind = self.kind_of(exercise)
        if settings.toe_curl_tool == "marbles" and kind in ("", TOE_CURLS):
            self.change_settings(replace(settings, toe_curl_tool="towel"))
            toe_curls = self.routine.of_kind(TOE_CURLS).id
            return self.offer_exercise(toe_curls, [self.say("moves.towel_again")])
        if kind == RAISES and exercise and settings.raise_position == "standing":
            self.change_settings(replace(settings, raise_position="seated"))
            return self.offer_exercise(exercise, [self.say("moves.raises_seated")])
        bounds, current = rep_bounds(kind), settings.reps(kind)
        if bounds is not None and current is not None and current > bounds[0]:
            # One fewer toe curl (there are only two choices); raises drop by a step.
            fewer = max(bounds[0], current - (1 if kind == TOE_CURLS else 2))
            self.change_settings(settings.with_reps(kind, fewer))
            return self.reask([self.say("moves.fewer", reps=self.copy.number(fewer))])
        if index is not None and self.segments[index].counted and settings.slower() != settings:
            return self.slower(heard)
        return self.reask([self.say("moves.gently")])

    def offer_exercise(self, exercise_id: str, lead: list[Item]) -> Reply:
        self.state.phase, self.state.offer = phases.OFFER_EXERCISE, exercise_id
        return self.reask(lead)

    def harder(self, heard: Heard) -> Reply:
        settings, index = self.settings, self.index
        exercise = self.route.exercise_at(index) if index is not None else None
        kind = self.kind_of(exercise)
        if kind in ("", TOE_CURLS):
            if settings.toe_curl_tool == "marbles":
                return self.reask([self.say("moves.marbles_already")])
            self.change_settings(replace(settings, toe_curl_tool="marbles"))
            return self.reask([self.say("moves.marbles_on", things=self.things(("marbles",)))])
        if kind == RAISES and settings.raise_position == "seated":
            self.state.phase = phases.OFFER_STANDING
            return self.reask()
        return self.reask([self.say("moves.harder_other")])

    def set_reps(self, heard: Heard) -> Reply:
        exercise = self.current_exercise()
        kind = self.kind_of(exercise)
        bounds = rep_bounds(kind)
        if bounds is None or exercise is None:
            return self.reask([self.say("moves.reps_where")])
        (low, high), name = bounds, self.name(exercise)
        if heard.number is None or not low <= heard.number <= high:
            span = {"low": self.copy.number(low), "high": self.copy.number(high), "name": name}
            return self.reask([self.say("moves.reps_range", **span)])
        self.change_settings(self.settings.with_reps(kind, heard.number))
        return self.reask([self.say("moves.reps_set", reps=self.copy.number(heard.number),
                                    name=name)])  # fmt: skip

    def set_toe_curl_order(self, heard: Heard) -> Reply:
        if heard.order not in ("alternating", "blocked"):
            return self.not_understood(heard)
        self.change_settings(replace(self.settings, toe_curl_order=heard.order))
        return self.reask([self.say(f"moves.order_{heard.order}")])

    def accept_standing(self, heard: Heard) -> Reply:
        self.change_settings(replace(self.settings, raise_position="standing"))
        return self.after_progression([self.say("offers.standing_yes")])

    def accept_more_reps(self, heard: Heard) -> Reply:
        offer = self.state.offer or ""
        if not offer.isdigit():
            return self.after_progression([])
        reps = min(int(offer), raise_rep_bounds()[1])
        self.change_settings(replace(self.settings, raise_reps=reps))
        return self.after_progression([self.say("offers.more_reps_yes",
                                                reps=self.copy.number(reps))])  # fmt: skip

    def decline_progression(self, heard: Heard) -> Reply:
        return self.after_progression([self.say("moves.no_thanks")])

    def after_progression(self, items: list[Item]) -> Reply:
        """After answering a progression offer: back to the place, another offer, or warm-up."""
        if self.index is not None:
            return self.reask(items)
        if self.progression_offer():
            return self.reask(items)
        self.state.phase = phases.OFFER_WARM_UP
        return self.reask(items)

    # ================================================================ actions: answers
    def answer_progress(self, heard: Heard) -> Reply:
        summary = self.state.summary
        if summary.total == 0:
            return self.reask([self.say("progress.none")])
        words = [self.say("progress.total", days=self.days(summary.total))]
        if summary.streak >= 2:
            words.append(self.say("progress.streak", streak=self.copy.number(summary.streak)))
        words.append(self.week_words())
        return self.reask(words)

    def answer_total_days(self, heard: Heard) -> Reply:
        summary = self.state.summary
        if summary.total == 0:
            return self.reask([self.say("progress.none")])
        return self.reask([self.say("progress.total", days=self.days(summary.total))])

    def week_words(self) -> Say:
        week = self.state.summary.week
        if week == 0:
            return self.say("progress.week_none")
        return self.say("progress.week", week=self.days(week))

    def answer_this_week(self, heard: Heard) -> Reply:
        return self.reask([self.week_words()])

    def answer_yesterday(self, heard: Heard) -> Reply:
        summary = self.state.summary
        yesterday = (self.today - timedelta(days=1)).isoformat()
        if summary.last_day == yesterday or (
            summary.last_day == self.today.isoformat() and summary.streak >= 2
        ):
            return self.reask([self.say("progress.yesterday_yes")])
        return self.reask([self.say("progress.yesterday_no"), self.last_day_words()])

    def last_day_words(self) -> Say:
        summary = self.state.summary
        if not summary.last_day:
            return self.say("progress.last_never")
        gap = (self.today - date.fromisoformat(summary.last_day)).days
        if gap <= 0:
            return self.say("progress.last_today")
        if gap == 1:
            return self.say("progress.last_yesterday")
        return self.say("progress.last_days_ago", count=self.copy.number(gap))

    def answer_streak(self, heard: Heard) -> Reply:
        streak = self.state.summary.streak
        if streak == 0:
            return self.reask([self.say("progress.streak_none")])
        return self.reask([self.say("progress.streak_now", days=self.days(streak))])

    def answer_best_streak(self, heard: Heard) -> Reply:
        best = self.state.summary.best_streak
        if best == 0:
            return self.reask([self.say("progress.none")])
        return self.reask([self.say("progress.best_streak", days=self.days(best))])

    def answer_how_long(self, heard: Heard) -> Reply:
        index, segments = self.index, self.segments
        if index is None:
            whole = self.minutes(total_seconds(segments))
            return self.reask([self.say("answers.whole_routine", minutes=whole)])
        start = index if segments[index].kind == READY else index + 1
        left = sum(s.seconds for s in segments[start:])
        if left <= 0:
            return self.reask([self.say("answers.nearly_done")])
        return self.reask([self.say("answers.time_left", minutes=self.minutes(left))])

    def answer_whats_next(self, heard: Heard) -> Reply:
        upcoming = self.upcoming()
        if upcoming is None:
            return self.reask([self.say("answers.last_one")])
        index = self.index
        here = index is not None and upcoming == self.route.exercise_at(index)
        if here and self.state.phase != phases.GATE:
            return self.reask([self.say("answers.more_of", name=self.name(upcoming))])
        return self.reask([self.say("answers.next_is", name=self.name(upcoming))])

    def answer_what_to_have(self, heard: Heard) -> Reply:
        index, upcoming = self.index, self.upcoming()
        if index is None:
            return self.reask([self.say("answers.need_all", things=self.things_for_all())])
        if upcoming is None:
            return self.reask([self.say("answers.need_nothing_more")])
        needs = [n for n in self.needs_of(upcoming) if n != "bare_feet"]
        name = self.name(upcoming)
        if not needs:
            return self.reask([self.say("answers.need_chair", name=name)])
        return self.reask([self.say("answers.need", name=name, things=self.things(needs))])

    def how_to(self, heard: Heard) -> Reply:
        if heard.exercise is None or heard.exercise not in self.routine.ids:
            return self.not_understood(heard)
        numbers = spoken_numbers(self.routine.exercise(heard.exercise), self.copy)
        description = self.say(f"how_to.{heard.exercise}", **numbers)
        if self.index is not None:
            return self.reask([description])
        return self.offer_exercise(heard.exercise, [description])

    def list_exercises(self, heard: Heard) -> Reply:
        listing = self.say(
            "exercises.list", names=self.join([self.name(i) for i in self.routine.ids])
        )
        if self.index is not None:  # mid-routine the place stays; the list is an answer
            return self.reask([listing])
        self.state.phase = phases.CHOOSE
        return self.reask([listing])
