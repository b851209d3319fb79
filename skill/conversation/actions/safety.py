"""Safety: stop at once on pain, dizziness, a fall, chest pain or breathlessness; the
check-in that comes first in any session after such a stop, and its two answers."""

from __future__ import annotations

from dataclasses import replace

from skill.conversation import state as phases
from skill.conversation.actions.opening import opening_offer
from skill.conversation.places import flush, keep_place, saved_place
from skill.conversation.questions import end, reask
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import emergency_number
from skill.progress.records import Position, ProgressUpdate
from skill.speech.script import Item


def stop_now(turn: Turn, emergency: bool) -> Reply:
    """Stop at once: rest, no pushing through pain, a professional if it persists.
    The place is kept without counting the interrupted exercise; no symptom is kept."""
    index = turn.index
    name = turn.name(turn.route.exercise_at(index)) if index is not None else None
    had_place = keep_place(turn, credit=False, rested=True)
    words: list[Item] = [turn.say("safety.stop_now")]
    if emergency:
        words.append(turn.say("safety.emergency", number=emergency_number(turn)))
    words.append(turn.say("safety.rest"))
    saved = flush(turn)
    if had_place and name:
        kept = "safety.place_kept" if saved else "safety.place_unsaved"
        words.append(turn.say(kept, name=name))
    words.append(turn.say("safety.take_care"))
    turn.state.segment = None
    # "Let's stop there" comes first, before any note (even the first-contact one).
    return Reply([words[0], *turn.notes, *words[1:]], None, phase=phases.START)


@action("safety")
def safety_stop(turn: Turn, heard: Heard) -> Reply:
    return stop_now(turn, emergency=False)


@action("emergency")
def emergency_stop(turn: Turn, heard: Heard) -> Reply:
    return stop_now(turn, emergency=True)


@action("check_in")
def check_in(turn: Turn, heard: Heard) -> Reply:
    """After a safety stop, whatever was said first: how are your feet?"""
    return reask(turn, (), phases.ASK_FEELING)


@action("carry_on")
def feeling_better(turn: Turn, heard: Heard) -> Reply:
    saved = saved_place(turn)
    turn.state.unsure = False
    if saved is not None and saved.rested:
        unmarked = Position(saved.exercise, saved.segment_id, saved.saved_at)
        turn.state.saved_position = unmarked.to_dict()
        turn.record(ProgressUpdate(position=replace(unmarked, saved_at=turn.now_ms)))
    return opening_offer(turn, [turn.say("welcome.feeling_better")])


@action("keep_place")
def rest_today(turn: Turn, heard: Heard) -> Reply:
    return end(turn, [turn.say("safety.rest_today")])
