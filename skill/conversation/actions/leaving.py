"""Leaving and waiting: stop, pause, "I'm done", "let me fetch my towel", goodbye,
"give me a minute". Every way out keeps the place and says the way back."""

from __future__ import annotations

from skill.conversation.places import flush, keep_place, resumable
from skill.conversation.questions import end, reask
from skill.conversation.turn import Heard, Reply, Turn, action


def leave_with(turn: Turn, saved_key: str, unsaved_key: str) -> Reply:
    had_place = keep_place(turn, credit=True)
    if not had_place:
        flush(turn)
        kept = resumable(turn) is not None  # a place kept earlier today is still there
        return end(turn, [turn.say("moves.still_kept" if kept else "moves.bye")])
    key = saved_key if flush(turn) else unsaved_key
    turn.state.segment = None
    return end(turn, [turn.say(key)])


@action("keep_place")
def leave(turn: Turn, heard: Heard) -> Reply:
    return leave_with(turn, "moves.stop", "moves.stop_unsaved")


@action("keep_place")
def pause(turn: Turn, heard: Heard) -> Reply:
    return leave_with(turn, "moves.pause", "moves.stop_unsaved")


@action("keep_place")
def done_for_today(turn: Turn, heard: Heard) -> Reply:
    return leave_with(turn, "moves.done_for_today", "moves.done_for_today_unsaved")


@action("keep_place")
def fetch_and_return(turn: Turn, heard: Heard) -> Reply:
    return leave_with(turn, "moves.fetch", "moves.fetch_unsaved")


@action("goodbye")
def goodbye(turn: Turn, heard: Heard) -> Reply:
    return end(turn, [turn.say("moves.bye")])


@action("wait")
def take_your_time(turn: Turn, heard: Heard) -> Reply:
    return reask(turn, [turn.say("moves.take_your_time")])
