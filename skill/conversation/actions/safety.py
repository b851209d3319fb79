"""Safety: stop at once on pain, faintness, a fall, chest pain or breathlessness, each
with its own words (skill/conversation/symptoms.py tells them apart); the check-in that
comes first in any session after such a stop, and its answers in all their forms."""

from __future__ import annotations

from msgspec.structs import replace

from skill.conversation import state as phases
from skill.conversation.actions.opening import opening_offer
from skill.conversation.places import flush, keep_place, saved_place
from skill.conversation.questions import ask, end, reask
from skill.conversation.symptoms import FEET, PAIN_INTENT, Sign, Told, classify
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import emergency_number
from skill.progress.records import Position, ProgressUpdate
from skill.speech.script import Item

STOPS = {Sign.PAIN: "pain_stop", Sign.FAINT: "faint_stop", Sign.EMERGENCY: "emergency_stop"}


def stop_for(turn: Turn, told: Told) -> Reply:
    """Stop at once, with the words for this class. The place is kept without counting
    the interrupted exercise and marked rested, so the next session asks how the person
    is before anything else (standing work included). No symptom is kept."""
    index = turn.index
    name = turn.name(turn.route.exercise_at(index)) if index is not None else None
    had_place = keep_place(turn, credit=False, rested=True)
    number = emergency_number(turn)
    words: list[Item] = [turn.say("safety.stop_now")]
    if told.sign is Sign.EMERGENCY:
        words.append(turn.say("safety.emergency", number=number))
    place = told.detail if told.sign is Sign.PAIN and told.detail != FEET else ""
    where = turn.copy.say(f"symptoms.places.{place}") if place else ""
    words.append(turn.say(told.key, number=number, place=where))
    saved = flush(turn)
    if had_place and name:
        kept = "safety.place_kept" if saved else "safety.place_unsaved"
        words.append(turn.say(kept, name=name))
    if told.sign is Sign.FAINT:
        words.append(turn.say("safety.check_in_next"))
    words.append(turn.say("safety.take_care"))
    turn.state.segment = None
    # "Let's stop there" comes first, before any note (even the first-contact one).
    reply = Reply([words[0], *turn.notes, *words[1:]], None, phase=phases.START)
    reply.action = STOPS.get(told.sign, "pain_stop")
    reply.kind = told.sign.value
    return reply


@action("pain")
def pain_stop(turn: Turn, heard: Heard) -> Reply:
    """ "My knee hurts", "ooh that's sore": stop that exercise, rest where it hurts."""
    return stop_for(turn, classify(PAIN_INTENT, place=heard.place))


@action("faint")
def faint_stop(turn: Turn, heard: Heard) -> Reply:
    """Dizzy, faint, wobbly, unwell: stop and sit."""
    return stop_for(turn, Told(Sign.FAINT))


@action("emergency")
def emergency_stop(turn: Turn, heard: Heard) -> Reply:
    """A fall, the chest, the breath: stop and name the local emergency number."""
    return stop_for(turn, Told(Sign.EMERGENCY))


@action("check_in")
def check_in(turn: Turn, heard: Heard) -> Reply:
    """After a safety stop, whatever was said first: how are you feeling?"""
    return reask(turn, (), phases.ASK_FEELING)


def checked_in(turn: Turn, ack_key: str) -> Reply:
    """Well enough to go on: the rest mark goes, and the usual offer follows."""
    saved = saved_place(turn)
    turn.state.unsure = False
    if saved is not None and saved.rested:
        unmarked = Position(saved.exercise, saved.segment_id, saved.saved_at)
        turn.state.saved_position = unmarked.to_dict()
        turn.record(ProgressUpdate(position=replace(unmarked, saved_at=turn.now_ms)))
    return opening_offer(turn, [turn.say(ack_key)])


@action("carry_on")
def feeling_better(turn: Turn, heard: Heard) -> Reply:
    return checked_in(turn, "welcome.feeling_better")


@action("carry_on")
def feeling_usual(turn: Turn, heard: Heard) -> Reply:
    """ "Same as usual", "numb as always": the condition, not a reason to rest."""
    return checked_in(turn, "welcome.feeling_usual")


@action("say_again")
def feeling_unclear(turn: Turn, heard: Heard) -> Reply:
    """A plain yes to "how are you feeling?" is not "I'm fine": ask, in other words."""
    return ask(
        turn,
        [turn.say("welcome.feeling_unclear")],
        [turn.say("welcome.ask_feeling_reprompt")],
        phases.ASK_FEELING,
    )


@action("keep_place")
def rest_today(turn: Turn, heard: Heard) -> Reply:
    return end(turn, [turn.say("safety.rest_today")])
