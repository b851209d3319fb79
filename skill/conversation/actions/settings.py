"""Settings: slower, faster, easier, harder, how many, the toe-curl order. A change is
saved with the turn; it never moves the routine on by itself."""

from __future__ import annotations

from msgspec.structs import replace

from skill.conversation import state as phases
from skill.conversation.actions.answers import not_understood
from skill.conversation.narration import offer_exercise
from skill.conversation.places import current_exercise
from skill.conversation.questions import reask
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import kind_of, things
from skill.progress.records import ProgressUpdate
from skill.routine.settings import RAISES, TOE_CURLS, Settings, rep_bounds


def change_settings(turn: Turn, new: Settings) -> None:
    state = turn.state
    changed = {k: v for k, v in new.to_dict().items() if state.settings.get(k) != v}
    state.settings = new.to_dict()
    if changed:
        turn.record(ProgressUpdate(settings=changed))


def change_pace(turn: Turn, new: Settings, way: str) -> Reply:
    """A new pace for counting; it never moves the routine on by itself."""
    if new == turn.settings:  # no new pace: no offer to redo "at the new pace"
        phase = phases.START if turn.state.phase == phases.OFFER_REDO else None
        return reask(turn, [turn.say(f"moves.{way}_limit")], phase)
    change_settings(turn, new)
    ack = turn.say(f"moves.{way}")
    index = turn.index
    if index is not None and turn.segments[index].counted:
        return reask(turn, [ack], phases.OFFER_REDO)  # offer to redo the count, never move on
    return reask(turn, [ack])


@action("pace")
def slower(turn: Turn, heard: Heard) -> Reply:
    return change_pace(turn, turn.settings.slower(), "slower")


@action("pace")
def faster(turn: Turn, heard: Heard) -> Reply:
    return change_pace(turn, turn.settings.faster(), "faster")


@action("settings")
def easier(turn: Turn, heard: Heard) -> Reply:
    settings, exercise, index = turn.settings, current_exercise(turn), turn.index
    kind = kind_of(turn, exercise)
    if settings.toe_curl_tool == "marbles" and kind in ("", TOE_CURLS):
        change_settings(turn, replace(settings, toe_curl_tool="towel"))
        toe_curls = turn.routine.of_kind(TOE_CURLS).id
        return offer_exercise(turn, toe_curls, [turn.say("moves.towel_again")])
    if kind == RAISES and exercise and settings.raise_position == "standing":
        change_settings(turn, replace(settings, raise_position="seated"))
        return offer_exercise(turn, exercise, [turn.say("moves.raises_seated")])
    bounds, current = rep_bounds(kind), settings.reps(kind)
    if bounds is not None and current is not None and current > bounds[0]:
        # One fewer toe curl (there are only two choices); raises drop by a step.
        fewer = max(bounds[0], current - (1 if kind == TOE_CURLS else 2))
        change_settings(turn, settings.with_reps(kind, fewer))
        return reask(turn, [turn.say("moves.fewer", reps=turn.copy.number(fewer))])
    if index is not None and turn.segments[index].counted and settings.slower() != settings:
        return slower(turn, heard)
    return reask(turn, [turn.say("moves.gently")])


@action("settings")
def harder(turn: Turn, heard: Heard) -> Reply:
    settings, index = turn.settings, turn.index
    exercise = turn.route.exercise_at(index) if index is not None else None
    kind = kind_of(turn, exercise)
    if kind in ("", TOE_CURLS):
        if settings.toe_curl_tool == "marbles":
            return reask(turn, [turn.say("moves.marbles_already")])
        change_settings(turn, replace(settings, toe_curl_tool="marbles"))
        return reask(turn, [turn.say("moves.marbles_on", things=things(turn, ("marbles",)))])
    if kind == RAISES and settings.raise_position == "seated":
        return reask(turn, (), phases.OFFER_STANDING)
    return reask(turn, [turn.say("moves.harder_other")])


@action("settings")
def set_reps(turn: Turn, heard: Heard) -> Reply:
    exercise = current_exercise(turn)
    kind = kind_of(turn, exercise)
    bounds = rep_bounds(kind)
    if bounds is None or exercise is None:
        return reask(turn, [turn.say("moves.reps_where")])
    (low, high), name, number = bounds, turn.name(exercise), turn.copy.number
    if heard.number is None or not low <= heard.number <= high:
        span = {"low": number(low), "high": number(high), "name": name}
        return reask(turn, [turn.say("moves.reps_range", **span)])
    change_settings(turn, turn.settings.with_reps(kind, heard.number))
    return reask(turn, [turn.say("moves.reps_set", reps=number(heard.number), name=name)])


@action("settings")
def set_toe_curl_order(turn: Turn, heard: Heard) -> Reply:
    if heard.order not in ("alternating", "blocked"):
        return not_understood(turn, heard)
    change_settings(turn, replace(turn.settings, toe_curl_order=heard.order))
    return reask(turn, [turn.say(f"moves.order_{heard.order}")])
