"""What people feel that is not a reason to stop: the sensations neuropathy brings every
day (one line, and the exercise goes on), and a cramp (a pause until it has passed).
Which is which is skill/conversation/symptoms.py; a symptom that is a reason to stop
goes to actions/safety.py. Nothing said here is stored."""

from __future__ import annotations

from skill.conversation import state as phases
from skill.conversation.actions.safety import (
    feeling_unclear,
    feeling_usual,
    rest_today,
    stop_for,
)
from skill.conversation.questions import reask
from skill.conversation.symptoms import SYMPTOM_INTENT, UNKNOWN, Sign, Step, classify
from skill.conversation.turn import Heard, Reply, Turn, action


@action("baseline")
def symptom_told(turn: Turn, heard: Heard) -> Reply:
    """ "My feet are numb", "I've got cramp in my foot": by the class the slot names."""
    told = classify(SYMPTOM_INTENT, heard.symptom)
    if told.step is Step.CARRY_ON:  # the condition itself: one line, and on we go
        reply = reask(turn, [turn.say(told.key)])
        reply.action = "acknowledge_symptom"
        return reply
    if told.step is Step.PAUSE:
        reply = cramp_pause(turn, heard)
        reply.action, reply.kind = cramp_pause.name, cramp_pause.kind
        return reply
    return stop_for(turn, told)  # a sensation we don't know: stop that exercise


@action("cramp")
def cramp_pause(turn: Turn, heard: Heard) -> Reply:
    """Pause with a gentle release; the place stays where it is."""
    return reask(turn, [turn.say("symptoms.cramp")], phases.CRAMP)


@action("carry_on")
def cramp_passed(turn: Turn, heard: Heard) -> Reply:
    """Back to the place's own question (or the offer to start), gently."""
    return reask(turn, [turn.say("symptoms.cramp_passed")], phases.START)


@action("carry_on")
def check_in_symptom(turn: Turn, heard: Heard) -> Reply:
    """A sensation as the answer to the check-in: its usual self goes on, gently; a
    cramp pauses; words we don't know are asked again; anything else rests today."""
    told = classify(SYMPTOM_INTENT, heard.symptom)
    act = rest_today
    if heard.symptom == UNKNOWN:  # words we don't know: ask again, in other words
        act = feeling_unclear
    elif told.sign is Sign.BASELINE:
        act = feeling_usual
    elif told.sign is Sign.CRAMP:
        act = cramp_pause
    reply = act(turn, heard)
    reply.action, reply.kind = act.name, act.kind
    return reply
