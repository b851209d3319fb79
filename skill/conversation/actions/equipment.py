"""A thing an exercise needs that isn't at hand ("I haven't got a golf ball"): what to
do without it, in one line, for the exercise at hand. The routine data says the way
(routine.toml [without]): a variant that does the same job and goes on, back to the
towel for marbles, or a skip that the end of the routine offers again."""

from __future__ import annotations

from msgspec.structs import replace

from skill.conversation import state as phases
from skill.conversation.actions.moving import goodbye_with_gaps, skip
from skill.conversation.actions.settings import change_settings
from skill.conversation.places import upcoming
from skill.conversation.questions import reask
from skill.conversation.symptoms import UNKNOWN
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import needs_of, things

BALLS = ("tennis_ball", "golf_ball")
# Offers whose exercise is the one at hand (state.offer), before the routine has a place.
OFFERING = (phases.OFFER_EXERCISE, phases.OFFER_RESUME, phases.OFFER_SKIPPED)


def exercise_at_hand(turn: Turn) -> str | None:
    offer = turn.state.offer
    if turn.index is None and turn.state.phase in OFFERING and offer in turn.routine.ids:
        return offer
    return upcoming(turn)


def needed(turn: Turn, exercise: str) -> list[str]:
    return [need for need in needs_of(turn, exercise) if need != "bare_feet"]


def later_ball(turn: Turn, exercise: str) -> str:
    """ "A ball": the first ball the routine needs from here on."""
    ids = turn.routine.ids
    for later in ids[ids.index(exercise) :]:
        for need in needs_of(turn, later):
            if need in BALLS:
                return need
    return BALLS[0]


@action("equipment")
def missing_thing(turn: Turn, heard: Heard) -> Reply:
    """ "I haven't got a golf ball", "I've nothing to hold on to"."""
    exercise = exercise_at_hand(turn)
    if exercise is None:
        return reask(turn, [turn.say("answers.need_nothing_more")])
    needs = needed(turn, exercise)
    thing = heard.thing if heard.thing != UNKNOWN else None
    if thing == "ball":
        balls = [need for need in needs if need in BALLS]
        thing = balls[0] if balls else later_ball(turn, exercise)
    return without(turn, heard, exercise, thing or (needs[0] if needs else None))


def without(turn: Turn, heard: Heard, exercise: str, thing: str | None) -> Reply:
    name, needs, settings = turn.name(exercise), needed(turn, exercise), turn.settings
    if thing == "marbles" and settings.toe_curl_tool == "marbles":
        change_settings(turn, replace(settings, toe_curl_tool="towel"))
        return reask(turn, [turn.say("without.marbles")])
    if thing is None:
        return reask(turn, [turn.say("without.nothing", name=name)])
    if thing not in needs:
        words, ids = things(turn, (thing,)), turn.routine.ids
        later = [i for i in ids[ids.index(exercise) + 1 :] if thing in needs_of(turn, i)]
        if later:
            line = turn.say("without.later", thing=words, name=name, later=turn.name(later[0]))
        elif needs:
            line = turn.say("without.not_now", thing=words, name=name, things=things(turn, needs))
        else:
            line = turn.say("without.nothing", name=name)
        return reask(turn, [line])
    way = turn.routine.without.get(thing, "skip")
    if way == "variant":
        return reask(turn, [turn.say(f"without.{thing}")])
    if way == "towel":
        change_settings(turn, replace(settings, toe_curl_tool="towel"))
        return reask(turn, [turn.say("without.marbles")])
    if turn.state.phase == phases.OFFER_SKIPPED:  # already the end: name what's left
        return goodbye_with_gaps(turn, ())
    if turn.index is None:
        return reask(turn, [turn.say(f"without.{thing}", name=name)])
    turn.notes.append(turn.say(f"without.{thing}", name=name))
    reply = skip(turn, heard)  # remembered: the end of the routine offers it again
    reply.action, reply.kind = skip.name, skip.kind
    return reply
