"""Opening a session: the welcome, then carry on, start after the warm-up, or an offer;
after a safety stop, the check-in first."""

from __future__ import annotations

from skill.conversation import state as phases
from skill.conversation.narration import narrate
from skill.conversation.places import resumable, warmed_up_today
from skill.conversation.questions import reask
from skill.conversation.state import WELCOMED
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import hello_person, things_for_all, welcome_back, welcome_first
from skill.progress.records import ProgressUpdate
from skill.speech.script import Item


def greeting(turn: Turn) -> list[Item]:
    """The first welcome (with the not-medical-advice line), or welcome back."""
    state = turn.state
    if not state.first_use:
        return [welcome_back(turn)]
    items = [*hello_person(turn), welcome_first(turn)]
    items.append(turn.say("safety.not_medical_advice"))
    items.append(turn.say("welcome.have_at_hand", things=things_for_all(turn)))
    turn.record(ProgressUpdate(milestones=frozenset({WELCOMED})))
    state.first_use = False
    return items


@action("opening")
def welcome(turn: Turn, heard: Heard) -> Reply:
    """What a launch offers after the greeting (dialogue.launch says the greeting)."""
    return opening_offer(turn, [])


def first_contact(turn: Turn) -> None:
    """The not-medical-advice line comes before anything else, one-shots included."""
    if turn.state.first_use:
        turn.notes.insert(0, turn.say("safety.not_medical_advice"))
        turn.record(ProgressUpdate(milestones=frozenset({WELCOMED})))
        turn.state.first_use = False


def opening_offer(turn: Turn, items: list[Item]) -> Reply:
    """After the greeting: carry on, start after the warm-up, or offer something."""
    state = turn.state
    if warmed_up_today(turn):
        items.append(turn.say("welcome.feet_warm"))
        return narrate(turn, turn.route.first, items)
    resume = resumable(turn)
    if resume is not None:
        state.offer = turn.route.exercise_at(resume)
        return reask(turn, items, phases.OFFER_RESUME)
    if turn.day.isoformat() == state.summary.last_day:
        return reask(turn, [*items, turn.say("welcome.done_today")], phases.OFFER_AGAIN)
    offered = progression_offer(turn)
    return reask(turn, items, offered or phases.OFFER_WARM_UP)


def progression_offer(turn: Turn) -> str | None:
    """At most one progression offer a session (remembered as made, accepted or not):
    the phase that offers it, or None."""
    state, settings = turn.state, turn.settings
    offers, state.offers = state.offers, []
    for offer in offers:
        setting, value = offer.get("setting"), offer.get("value")
        if setting == "raise_position" and settings.raise_position == "seated":
            state.offer, phase = "standing", phases.OFFER_STANDING
        elif setting == "raise_reps" and isinstance(value, int):
            if value <= settings.raise_reps:
                continue
            state.offer, phase = str(value), phases.OFFER_MORE_REPS
        else:
            continue
        turn.record(ProgressUpdate(milestones=frozenset({str(offer["id"])})))
        return phase
    return None
