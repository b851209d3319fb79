"""Guiding through the routine: narrating a segment, entering one by a jump (standing
work only through its ready gate), stepping away, and finishing the day."""

from __future__ import annotations

from collections.abc import Sequence

from skill.conversation import state as phases
from skill.conversation.nudging import nudges
from skill.conversation.places import flush, missing_today, position_at, settle
from skill.conversation.questions import ask, end, reask
from skill.conversation.turn import Reply, Turn
from skill.conversation.words import days
from skill.progress.records import Position, ProgressUpdate
from skill.speech.narrate import AWAY, READY, Segment
from skill.speech.script import Item


def narrate(turn: Turn, index: int, lead: Sequence[Item] = ()) -> Reply:
    segments, route, state = turn.segments, turn.route, turn.state
    segment = segments[index]
    state.segment, state.exercise = segment.id, segment.exercise
    state.narrated_at = turn.now_ms
    state.started_on = state.started_on or turn.today.isoformat()
    state.completing = segment.exercise if route.ends_exercise(index) else None
    if segment.kind == READY:
        prompt = [*segment.prompt, turn.say("asks.gate")]
        return ask(turn, [*lead, *segment.items], prompt, phases.GATE)
    if segment.kind == AWAY:
        return step_away(turn, index, lead)
    if index == route.last or (state.filling and route.ends_exercise(index)):
        settle(turn)
        return finish(turn, segment, lead)
    prompt = [*segment.prompt, turn.say("asks.routine")]
    return ask(turn, [*lead, *segment.items], prompt, phases.ROUTINE)


def enter(turn: Turn, index: int, lead: Sequence[Item] = ()) -> Reply:
    """Go to a segment by a jump (resume, go back, start an exercise): standing work
    is always entered through its ready gate, with the stand-and-hold cue."""
    segments = turn.segments
    segment = segments[index]
    current = turn.index
    same_standing = (
        current is not None
        and segments[current].exercise == segment.exercise
        and segments[current].standing
    )
    if segment.standing and segment.kind != READY and not same_standing:
        gate = turn.route.start_of(segment.exercise)
        if gate is not None and segments[gate].kind == READY:
            turn.state.after_gate = segment.id
            return narrate(turn, gate, lead)
    turn.state.after_gate = None
    return narrate(turn, index, lead)


def step_away(turn: Turn, index: int, lead: Sequence[Item]) -> Reply:
    """A step longer than the microphone stays open: end with the way back, place kept."""
    segment = turn.segments[index]
    settle(turn)  # guided to the end: it counts, as a timeout after a segment would
    following = turn.route.next(index)
    if following is None:
        return finish(turn, segment, lead)
    turn.record(ProgressUpdate(position=position_at(turn, following)))
    turn.state.segment, turn.state.exercise = None, None
    items = [*lead, *segment.items]
    if not flush(turn):
        items.append(turn.say("moves.place_unsaved"))
    return end(turn, items)


def finish(turn: Turn, segment: Segment, lead: Sequence[Item]) -> Reply:
    """The last part of the routine (or of a filled-in gap) was just narrated."""
    missing = missing_today(turn)
    items: list[Item] = [*lead, *segment.body]
    if missing:
        return offer_skipped(turn, missing[0], items)
    return complete_day(turn, segment, items)


def offer_skipped(turn: Turn, exercise_id: str, items: Sequence[Item]) -> Reply:
    state = turn.state
    state.offer, state.filling = exercise_id, True
    state.segment, state.exercise, state.completing = None, None, None
    return reask(turn, items, phases.OFFER_SKIPPED)


def offer_exercise(turn: Turn, exercise_id: str, lead: Sequence[Item]) -> Reply:
    turn.state.offer = exercise_id
    return reask(turn, lead, phases.OFFER_EXERCISE)


def complete_day(turn: Turn, segment: Segment, items: Sequence[Item]) -> Reply:
    # The clear is stamped with this request's time, so an older position saved
    # later by another device cannot bring the finished routine back.
    stamp = Position(segment.exercise, segment.id, turn.now_ms)
    turn.record(
        ProgressUpdate(
            position=stamp,
            clear_position=True,
            milestones=frozenset(turn.state.milestones_if_done),
        )
    )
    turn.state.segment, turn.state.exercise, turn.state.filling = None, None, False
    if not flush(turn):
        failed = turn.say("progress.finish_save_failed")
        return ask(turn, [*items, failed], [failed], phases.FINISH_UNSAVED)
    return day_done(turn, [*items, turn.say("prompts.finished")], closing_words(turn))


def closing_words(turn: Turn) -> list[Item]:
    summary = turn.state.summary
    words: list[Item] = [turn.say("progress.finished_counts", days=days(turn, summary.total))]
    if summary.streak >= 2:
        streak = turn.copy.number(summary.streak)
        words.append(turn.say("progress.finished_streak", streak=streak))
    words += [turn.say(f"milestones.{m}") for m in turn.state.milestones_if_done]
    words.append(turn.say("moves.see_you"))
    return words


def day_done(turn: Turn, items: Sequence[Item], closing: Sequence[Item]) -> Reply:
    """A completed day: the closing words, and (once) the offer of a daily reminder in
    place of the goodbye."""
    talk = nudges(turn)
    if not closing or not talk.offer_due(turn.state.summary.total):
        return end(turn, [*items, *closing])
    answer = talk.offer()
    turn.state.nudges = talk.session.to_dict()
    assert answer.question is not None
    question, reprompt = answer.question
    return ask(turn, [*items, *closing[:-1], *question], reprompt, phases.OFFER_REMINDER)
