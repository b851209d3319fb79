"""Words built from the routine and the person's settings: durations, day counts,
lists, what to have at hand. Every number and name comes from the routine data."""

from __future__ import annotations

import math
from collections.abc import Sequence

from skill.conversation.turn import Turn
from skill.routine.settings import RAISES, TOE_CURLS
from skill.speech.narrate import total_seconds
from skill.speech.script import Item, Say
from skill.speech.ssml import NAME_SLOT, SayToPerson


def minutes(turn: Turn, seconds: float) -> str:
    count = max(1, math.ceil(seconds / 60 - 0.25))
    if count == 1:
        return turn.copy.say("time.one_minute")
    return turn.copy.say("time.minutes", count=turn.copy.number(count))


def days(turn: Turn, count: int) -> str:
    if count == 1:
        return turn.copy.say("progress.days.one")
    return turn.copy.say("progress.days.many", count=turn.copy.number(count))


def join(turn: Turn, words: Sequence[str]) -> str:
    return turn.copy.join(words)


def kind_of(turn: Turn, exercise_id: str | None) -> str:
    return turn.routine.exercise(exercise_id).kind if exercise_id else ""


def needs_of(turn: Turn, exercise_id: str) -> tuple[str, ...]:
    params, kind = turn.routine.exercise(exercise_id).params, kind_of(turn, exercise_id)
    settings = turn.settings
    if kind == TOE_CURLS and settings.toe_curl_tool == "marbles":
        return tuple(params["marbles"].get("needs", ()))
    if kind == RAISES and settings.raise_position == "standing":
        return tuple(params["progression"].get("needs", ()))
    return tuple(params.get("needs", ()))


def things(turn: Turn, needs: Sequence[str]) -> str:
    marbles = turn.routine.of_kind(TOE_CURLS).params["marbles"]
    if {"tennis_ball", "golf_ball"} <= set(needs):  # both exercises: one of each, said once
        needs = [n if n != "tennis_ball" else "balls" for n in needs if n != "golf_ball"]
    return join(
        turn,
        [
            turn.copy.say(
                f"needs.{need}",
                count=turn.copy.number(int(marbles["marbles"])),
                bowls=turn.copy.number(int(marbles["bowls"])),
            )
            for need in dict.fromkeys(needs)
        ],
    )


def things_for_all(turn: Turn) -> str:
    needs = [n for i in turn.routine.ids for n in needs_of(turn, i) if n != "bare_feet"]
    return things(turn, needs)


def exercise_seconds(turn: Turn, exercise_id: str) -> float:
    return sum(s.seconds for s in turn.segments if s.exercise == exercise_id)


def welcome_first(turn: Turn) -> Say:
    whole = minutes(turn, total_seconds(turn.segments))
    count = turn.copy.number(turn.routine.spoken_count)
    return turn.say("welcome.first", minutes=whole, count=count)


def welcome_back(turn: Turn) -> Say:
    """ "Welcome back", by first name for a recognised person (Alexa says the name)."""
    person = turn.household.person_id
    if person:
        return SayToPerson(turn.copy.say("people.back", name=NAME_SLOT), person_id=person)
    return turn.say("welcome.back")


def hello_person(turn: Turn) -> list[Item]:
    """Before a recognised person's first welcome: hello, by first name."""
    person = turn.household.person_id
    if not person:
        return []
    return [SayToPerson(turn.copy.say("people.hello", name=NAME_SLOT), person_id=person)]


def emergency_number(turn: Turn) -> str:
    return turn.copy.emergency_number()
