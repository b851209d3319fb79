"""Moving through the routine: carry on, next, back, redo, skip, start over, start an
exercise by name, the warm-up, and filling in skipped exercises at the end.

Start, "let's go" and resume carry on from the place; only "start over" goes back to
the top. Standing work is entered through its ready gate (narration.enter).
"""

from __future__ import annotations

from collections.abc import Sequence

from skill.conversation import state as phases
from skill.conversation.actions.answers import unknown_exercise
from skill.conversation.narration import enter, narrate, offer_skipped
from skill.conversation.places import (
    WARM_UP_PLACE,
    began_on,
    exercises_done_today,
    flush,
    keep_place,
    missing_today,
    resumable,
    settle,
)
from skill.conversation.questions import end, reask
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import join
from skill.progress.records import Position, ProgressUpdate
from skill.speech.narrate import READY
from skill.speech.narrate import warm_up as warm_up_segment
from skill.speech.script import Item


@action("carry_on")
def carry_on(turn: Turn, heard: Heard) -> Reply:
    """Start, next, resume or "let's go": carry on from the place, never start over."""
    if turn.index is not None:
        return past_gate(turn, heard) if turn.state.phase == phases.GATE else advance(turn, heard)
    resume = resumable(turn)
    if resume is not None:
        turn.state.offer = turn.route.exercise_at(resume)
        return resume_offered(turn, heard)
    if turn.state.filling and turn.state.offer in turn.routine.ids:
        return fill_in_skipped(turn, heard)
    return begin(turn, heard)


@action("carry_on")
def begin(turn: Turn, heard: Heard) -> Reply:
    return enter(turn, turn.route.first)


@action("carry_on")
def advance(turn: Turn, heard: Heard) -> Reply:
    index = turn.index
    if index is None:
        return carry_on(turn, heard)
    if turn.segments[index].kind == READY:
        return past_gate(turn, heard)
    settle(turn)
    following = turn.route.next(index)
    if following is None:
        return reask(turn)
    return narrate(turn, following)


@action("carry_on")
def past_gate(turn: Turn, heard: Heard) -> Reply:
    index = turn.index
    if index is None:
        return carry_on(turn, heard)
    target = turn.route.locate(turn.state.after_gate, None)
    turn.state.after_gate = None
    following = target if target is not None and target > index else turn.route.next(index)
    return narrate(turn, following if following is not None else index)


@action("carry_on")
def resume_offered(turn: Turn, heard: Heard) -> Reply:
    saved = resumable(turn)
    route = turn.route
    index = saved if saved is not None else route.start_of(turn.state.offer or "")
    if index is None:
        return begin(turn, heard)
    if saved is not None:
        began_on(turn)  # after midnight, it counts for the day it began
    exercise = route.exercise_at(index)
    if index == route.start_of(exercise):  # its intro names it: never "Toe curls. Toe curls."
        lead = [turn.say("moves.carry_on_here")]
    else:
        lead = [turn.say("moves.carry_on", name=turn.name(exercise))]
        if not turn.segments[index].standing:
            lead.append(turn.say("safety.comfortable"))  # a gate says it anyway
    return enter(turn, index, lead)


@action("carry_on")
def fill_in_skipped(turn: Turn, heard: Heard) -> Reply:
    turn.state.filling = True
    start = turn.route.start_of(turn.state.offer or "")
    if start is None:
        return end_with_gaps(turn, heard)
    return enter(turn, start)


@action("goodbye")
def end_with_gaps(turn: Turn, heard: Heard) -> Reply:
    return goodbye_with_gaps(turn, ())


def goodbye_with_gaps(turn: Turn, lead: Sequence[Item]) -> Reply:
    missing = missing_today(turn)
    turn.state.filling, turn.state.segment = False, None
    turn.record(ProgressUpdate(clear_position=True))
    names = join(turn, [turn.name(i) for i in missing])
    return end(turn, [*lead, turn.say("progress.not_complete", names=names), turn.say("moves.bye")])


def redo_with(turn: Turn, lead: Sequence[Item]) -> Reply:
    index = turn.index
    if index is None:
        return reask(turn)
    turn.state.completing = None
    return enter(turn, index, lead)


@action("redo")
def redo(turn: Turn, heard: Heard) -> Reply:
    return redo_with(turn, ())


@action("redo")
def recount(turn: Turn, heard: Heard) -> Reply:
    index = turn.index
    if index is None or not turn.segments[index].counted:
        return reask(turn)
    return redo_with(turn, [turn.say("moves.recount")])


@action("say_again")
def keep_going(turn: Turn, heard: Heard) -> Reply:
    """No to redoing a count: carry on from the place's prompt."""
    phase = phases.ROUTINE if turn.index is not None else phases.START
    return reask(turn, [turn.say("moves.no_thanks")], phase)


@action("go_back")
def go_back(turn: Turn, heard: Heard) -> Reply:
    index = turn.index
    if index is None:
        return reask(turn)
    earlier = turn.route.previous(index)
    if earlier is None:
        return narrate(turn, index, [turn.say("moves.first_already")])
    turn.state.completing = None
    return enter(turn, earlier)


@action("skip")
def skip(turn: Turn, heard: Heard) -> Reply:
    """Skip the exercise at hand: at the prompt after a finished exercise, the one
    just announced; at a ready gate or in the middle of one, the rest of it."""
    index = turn.index
    if index is None:
        return carry_on(turn, heard)
    route, state = turn.route, turn.state
    if state.completing and state.phase != phases.GATE:
        settle(turn)
        coming = route.next(index)
        if coming is None:
            return reask(turn)
        index = coming
    skipped = route.exercise_at(index)
    state.completing = None
    lead: list[Item] = [turn.say("moves.skip", name=turn.name(skipped))]
    following = route.next_exercise(index)
    if following is None or state.filling:
        return after_skip(turn, skipped, lead)
    return narrate(turn, following, lead)


def after_skip(turn: Turn, skipped: str, lead: list[Item]) -> Reply:
    """Skipped the last exercise (or a filled-in one): finish, offering what else is
    missing (not the one just skipped)."""
    offered = [i for i in missing_today(turn) if i != skipped]
    if offered:
        return offer_skipped(turn, offered[0], lead)
    return goodbye_with_gaps(turn, lead)


@action("start_over")
def start_over(turn: Turn, heard: Heard) -> Reply:
    if len(exercises_done_today(turn)) > 1:
        return reask(turn, (), phases.CONFIRM_START_OVER)
    return start_from_top(turn, heard)


@action("start_over")
def offer_start_over(turn: Turn, heard: Heard) -> Reply:
    return reask(turn, [turn.say("moves.no_thanks")], phases.CONFIRM_START_OVER)


@action("start_over")
def start_from_top(turn: Turn, heard: Heard) -> Reply:
    turn.state.filling = False
    turn.state.segment, turn.state.completing = None, None
    return enter(turn, turn.route.first, [turn.say("moves.start_over")])


@action("choose_exercise")
def start_exercise(turn: Turn, heard: Heard) -> Reply:
    if heard.exercise is None or heard.exercise not in turn.routine.ids:
        return unknown_exercise(turn, heard)  # never echoed back: the list of ours
    if heard.exercise != turn.state.completing:
        settle(turn)
    start = turn.route.start_of(heard.exercise)
    return enter(turn, start if start is not None else turn.route.first)


@action("carry_on")
def start_offered_exercise(turn: Turn, heard: Heard) -> Reply:
    return start_exercise(turn, Heard(exercise=turn.state.offer))


@action("warm_up")
def warm_up(turn: Turn, heard: Heard) -> Reply:
    """Longer than the microphone: describe it, end, and start the routine next launch."""
    segment = warm_up_segment(turn.routine, turn.copy)
    if turn.index is None:
        place = Position(WARM_UP_PLACE, WARM_UP_PLACE, turn.now_ms)
        turn.record(ProgressUpdate(position=place))
    else:
        keep_place(turn, credit=True)
        turn.state.segment = None
    flush(turn)
    return end(turn, list(segment.items))
