"""The dialogue's actions for what people feel and what they lack: a symptom told apart
(symptoms.py) and answered as its class needs, the check-in after a stop, a thing an
exercise needs that isn't at hand, and "have I done my exercises today?".

A mixin of `Dialogue` (dialogue.py), like reminder_actions.py: the table (table.py)
names these actions like any other. No symptom is ever recorded: a stop saves only
the place (marked rested, so the next session checks in first).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Protocol

from skill.conversation import state as phases
from skill.conversation.symptoms import (
    FEET,
    PAIN_INTENT,
    SYMPTOM_INTENT,
    UNKNOWN,
    Sign,
    Step,
    Told,
    classify,
)
from skill.progress.records import Position, ProgressUpdate
from skill.routine.settings import Settings
from skill.speech.script import Item, Say

if TYPE_CHECKING:
    from skill.conversation.dialogue import Heard, Reply
    from skill.conversation.state import SessionState
    from skill.routine.model import Routine
    from skill.routine.session import Route
    from skill.speech.copy import Copy

STOPS = {Sign.PAIN: "pain_stop", Sign.FAINT: "faint_stop", Sign.EMERGENCY: "emergency_stop"}
BALLS = ("tennis_ball", "golf_ball")
# Offers whose exercise is the one at hand (state.offer), before the routine has a place.
OFFERING = (phases.OFFER_EXERCISE, phases.OFFER_RESUME, phases.OFFER_SKIPPED)


class Dialogue(Protocol):
    """What these actions use of the Dialogue they are mixed into (dialogue.py)."""

    state: SessionState
    copy: Copy
    routine: Routine
    notes: list[Item]
    now_ms: int

    @property
    def index(self) -> int | None: ...
    @property
    def route(self) -> Route: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def day(self) -> date: ...

    def say(self, key: str, **values: object) -> Say: ...
    def name(self, exercise_id: str) -> str: ...
    def join(self, words: Sequence[str]) -> str: ...
    def things(self, needs: Sequence[str]) -> str: ...
    def needs_of(self, exercise_id: str) -> tuple[str, ...]: ...
    def record(self, update: ProgressUpdate) -> None: ...
    def flush(self, spoken: bool = True) -> bool: ...
    def ask(self, items: Sequence[Item], reprompt: Sequence[Item]) -> Reply: ...
    def end(self, items: Sequence[Item]) -> Reply: ...
    def reask(self, lead: Sequence[Item] = ()) -> Reply: ...
    def keep_place(self, credit: bool, rested: bool = False) -> bool: ...
    def saved_place(self) -> Position | None: ...
    def opening_offer(self, items: list[Item]) -> Reply: ...
    def upcoming(self) -> str | None: ...
    def exercises_done_today(self) -> set[str]: ...
    def missing_today(self) -> list[str]: ...
    def change_settings(self, new: Settings) -> None: ...
    def skip(self, heard: Heard) -> Reply: ...
    def end_with_gaps(self, heard: Heard, lead: Sequence[Item] = ()) -> Reply: ...

    # this mixin's own, as seen from its other methods
    def emergency_number(self) -> str: ...
    def told(self, told: Told) -> Reply: ...
    def cramp_pause_for(self) -> Reply: ...
    def later_ball(self, exercise: str) -> str: ...
    def said_hash(self, reply: Reply) -> str: ...
    def stop_for(self, told: Told) -> Reply: ...
    def checked_in(self, ack_key: str) -> Reply: ...
    def feeling_usual(self, heard: Heard) -> Reply: ...
    def rest_today(self, heard: Heard) -> Reply: ...
    def exercise_at_hand(self) -> str | None: ...
    def without(self, thing: str | None, exercise: str, heard: Heard) -> Reply: ...


class CareActions:
    """Mixed into Dialogue; every method here is `self: Dialogue` (the protocol above)."""

    # ---------------------------------------------------------------- symptoms
    def symptom_told(self: Dialogue, heard: Heard) -> Reply:
        """ "My feet are numb", "I've got cramp in my foot": by the slot's class."""
        return self.told(classify(SYMPTOM_INTENT, heard.symptom))

    def told(self: Dialogue, told: Told) -> Reply:
        if told.step is Step.CARRY_ON:  # the condition itself: one line, and on we go
            reply = self.reask([self.say(told.key)])
            reply.action = "acknowledge_symptom"
            return reply
        if told.step is Step.PAUSE:
            return self.cramp_pause_for()
        return self.stop_for(told)

    def cramp_pause_for(self: Dialogue) -> Reply:
        self.state.phase = phases.CRAMP
        reply = self.reask([self.say("symptoms.cramp")])
        reply.action = "cramp_pause"
        return reply

    def cramp_passed(self: Dialogue, heard: Heard) -> Reply:
        """Back to the place's own question (or the offer to start), gently."""
        self.state.phase = phases.START
        return self.reask([self.say("symptoms.cramp_passed")])

    def pain_stop(self: Dialogue, heard: Heard) -> Reply:
        return self.stop_for(classify(PAIN_INTENT, place=heard.place))

    def faint_stop(self: Dialogue, heard: Heard) -> Reply:
        return self.stop_for(Told(Sign.FAINT))

    def emergency_stop(self: Dialogue, heard: Heard) -> Reply:
        return self.stop_for(Told(Sign.EMERGENCY))

    def stop_for(self: Dialogue, told: Told) -> Reply:
        """Stop at once, with the words for this class. The place is kept without
        counting the interrupted exercise and marked rested, so the next session asks
        how the person is before anything else (standing work included)."""
        index = self.index
        name = self.name(self.route.exercise_at(index)) if index is not None else None
        had_place = self.keep_place(credit=False, rested=True)
        number = self.emergency_number()
        words: list[Item] = [self.say("safety.stop_now")]
        if told.sign is Sign.EMERGENCY:
            words.append(self.say("safety.emergency", number=number))
        place = told.detail if told.sign is Sign.PAIN and told.detail != FEET else ""
        where = self.copy.say(f"symptoms.places.{place}") if place else ""
        words.append(self.say(told.key, number=number, place=where))
        saved = self.flush()
        if had_place and name:
            kept = "safety.place_kept" if saved else "safety.place_unsaved"
            words.append(self.say(kept, name=name))
        if told.sign is Sign.FAINT:
            words.append(self.say("safety.check_in_next"))
        words.append(self.say("safety.take_care"))
        self.state.phase, self.state.segment = phases.START, None
        reply = self.end(words)
        reply.action = STOPS.get(told.sign, "pain_stop")
        return reply

    def emergency_number(self: Dialogue) -> str:
        numbers = self.copy.raw("safety.emergency_numbers")
        return str(numbers.get(self.copy.locale) or numbers["default"])

    # ---------------------------------------------------------------- the check-in
    def checked_in(self: Dialogue, ack_key: str) -> Reply:
        """Well enough to go on: the rested mark goes, and the usual offer follows."""
        saved = self.saved_place()
        if saved is not None and saved.rested:
            unmarked = Position(saved.exercise, saved.segment_id, saved.saved_at)
            self.state.saved_position = unmarked.to_dict()
            self.record(ProgressUpdate(position=replace(unmarked, saved_at=self.now_ms)))
        return self.opening_offer([self.say(ack_key)])

    def feeling_better(self: Dialogue, heard: Heard) -> Reply:
        return self.checked_in("welcome.feeling_better")

    def feeling_usual(self: Dialogue, heard: Heard) -> Reply:
        """ "Same as usual", "numb as always": the condition, not a reason to rest."""
        return self.checked_in("welcome.feeling_usual")

    def feeling_unclear(self: Dialogue, heard: Heard) -> Reply:
        """A plain yes to "how are you feeling?" is not "I'm fine": ask, in other words."""
        return self.ask(
            [self.say("welcome.feeling_unclear")], [self.say("welcome.ask_feeling_reprompt")]
        )

    def check_in_symptom(self: Dialogue, heard: Heard) -> Reply:
        told = classify(SYMPTOM_INTENT, heard.symptom)
        if told.sign is Sign.BASELINE:
            reply = self.feeling_usual(heard)
            reply.action = "feeling_usual"
        elif told.sign is Sign.CRAMP:
            reply = self.cramp_pause_for()
        else:
            reply = self.rest_today(heard)
            reply.action = "rest_today"
        return reply

    def rest_today(self: Dialogue, heard: Heard) -> Reply:
        return self.end([self.say("safety.rest_today")])

    # ---------------------------------------------------------------- a missing thing
    def exercise_at_hand(self: Dialogue) -> str | None:
        offer = self.state.offer
        if self.index is None and self.state.phase in OFFERING and offer in self.routine.ids:
            return offer
        return self.upcoming()

    def missing_thing(self: Dialogue, heard: Heard) -> Reply:
        """ "I haven't got a golf ball": what to do without it, for the exercise at hand."""
        exercise = self.exercise_at_hand()
        if exercise is None:
            return self.reask([self.say("answers.need_nothing_more")])
        needs = [need for need in self.needs_of(exercise) if need != "bare_feet"]
        thing = heard.thing if heard.thing != UNKNOWN else None
        if thing == "ball":
            needed = [need for need in needs if need in BALLS]
            thing = needed[0] if needed else self.later_ball(exercise)
        return self.without(thing or (needs[0] if needs else None), exercise, heard)

    def later_ball(self: Dialogue, exercise: str) -> str:
        ids = self.routine.ids
        for later in ids[ids.index(exercise) :]:
            for need in self.needs_of(later):
                if need in BALLS:
                    return need
        return BALLS[0]

    def without(self: Dialogue, thing: str | None, exercise: str, heard: Heard) -> Reply:
        name = self.name(exercise)
        needs = [need for need in self.needs_of(exercise) if need != "bare_feet"]
        settings = self.settings
        if thing == "marbles" and settings.toe_curl_tool == "marbles":
            self.change_settings(replace(settings, toe_curl_tool="towel"))
            return self.reask([self.say("without.marbles")])
        if thing is None:
            return self.reask([self.say("without.nothing", name=name)])
        if thing not in needs:
            words = self.things((thing,))
            ids = self.routine.ids
            later = [i for i in ids[ids.index(exercise) + 1 :] if thing in self.needs_of(i)]
            if later:
                line = self.say("without.later", thing=words, name=name, later=self.name(later[0]))
            elif needs:
                line = self.say(
                    "without.not_now", thing=words, name=name, things=self.things(needs)
                )
            else:
                line = self.say("without.nothing", name=name)
            return self.reask([line])
        way = self.routine.without.get(thing, "skip")
        if way == "variant":
            return self.reask([self.say(f"without.{thing}")])
        if way == "towel":
            self.change_settings(replace(settings, toe_curl_tool="towel"))
            return self.reask([self.say("without.marbles")])
        if self.state.phase == phases.OFFER_SKIPPED:  # already the end: name what's left
            return self.end_with_gaps(heard)
        if self.index is None:
            return self.reask([self.say(f"without.{thing}", name=name)])
        self.notes.append(self.say(f"without.{thing}", name=name))
        reply = self.skip(heard)  # remembered: the end of the routine offers it again
        reply.action = reply.action or "skip"
        return reply

    # ---------------------------------------------------------------- never thrice
    def said_hash(self: Dialogue, reply: Reply) -> str:
        text = " ".join(item.text for item in reply.items if isinstance(item, Say))
        return f"{zlib.crc32(text.encode()):08x}"

    def not_thrice(self: Dialogue, reply: Reply) -> Reply:
        """The same open answer a third time running ("next" at a question that wants
        yes or no, "what?" again and again) gets other words first: what can be said."""
        if reply.reprompt is None:
            self.state.said, self.state.said_times = "", 0
            return reply
        said = self.said_hash(reply)
        times = self.state.said_times + 1 if said == self.state.said else 1
        if times >= 3:
            options = self.copy.raw("fallback.options")
            hint = str(options.get(self.state.phase) or options["default"])
            reply.items[:0] = [self.say("fallback.again"), Say(hint)]
            said, times = self.said_hash(reply), 1
        self.state.said, self.state.said_times = said, times
        return reply

    # ---------------------------------------------------------------- today
    def answer_today(self: Dialogue, heard: Heard) -> Reply:
        """ "Have I done my exercises today?" """
        missing = self.missing_today()
        done = [i for i in self.routine.ids if i in self.exercises_done_today()]
        if self.state.summary.last_day == self.day.isoformat() or not missing:
            return self.reask([self.say("today.all_done")])
        if not done:
            return self.reask([self.say("today.none")])
        names = self.join([self.name(i) for i in done])
        left = self.join([self.name(i) for i in missing])
        return self.reask([self.say("today.some", done=names, left=left)])

    def unknown_exercise(self: Dialogue, heard: Heard) -> Reply:
        """An exercise we don't have: never echoed, and the list of ours."""
        names = self.join([self.name(i) for i in self.routine.ids])
        listing = self.say("exercises.list", names=names)
        if self.index is None:
            self.state.phase = phases.CHOOSE
        reply = self.reask([self.say("fallback.unknown_exercise"), listing])
        reply.action = "unknown_exercise"
        return reply
