"""Answers to the skill's offers: a progression (standing raises, more raises), an
exercise offered by name, "no thanks", and saving a finished day again."""

from __future__ import annotations

from msgspec.structs import replace

from skill.conversation import state as phases
from skill.conversation.actions.opening import progression_offer
from skill.conversation.actions.settings import change_settings
from skill.conversation.narration import closing_words, day_done
from skill.conversation.places import flush
from skill.conversation.questions import reask
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.routine.settings import raise_rep_bounds
from skill.speech.script import Item


def after_progression(turn: Turn, items: list[Item]) -> Reply:
    """After answering a progression offer: back to the place, another offer, or warm-up."""
    if turn.index is not None:
        return reask(turn, items, phases.START)
    return reask(turn, items, progression_offer(turn) or phases.OFFER_WARM_UP)


@action("settings")
def accept_standing(turn: Turn, heard: Heard) -> Reply:
    change_settings(turn, replace(turn.settings, raise_position="standing"))
    return after_progression(turn, [turn.say("offers.standing_yes")])


@action("settings")
def accept_more_reps(turn: Turn, heard: Heard) -> Reply:
    offer = turn.state.offer or ""
    if not offer.isdigit():
        return after_progression(turn, [])
    reps = min(int(offer), raise_rep_bounds()[1])
    change_settings(turn, replace(turn.settings, raise_reps=reps))
    yes = turn.say("offers.more_reps_yes", reps=turn.copy.number(reps))
    return after_progression(turn, [yes])


@action("say_again")
def decline_progression(turn: Turn, heard: Heard) -> Reply:
    return after_progression(turn, [turn.say("moves.no_thanks")])


@action("say_again")
def decline_offer(turn: Turn, heard: Heard) -> Reply:
    # Back to the place's own question, or to "start your routine?" without one.
    phase = phases.START if turn.index is not None else phases.OFFER_START
    return reask(turn, [turn.say("moves.no_thanks")], phase)


@action("carry_on")
def retry_finish(turn: Turn, heard: Heard) -> Reply:
    if not flush(turn):
        return reask(turn)
    return day_done(turn, [turn.say("progress.finish_saved_late")], closing_words(turn))
