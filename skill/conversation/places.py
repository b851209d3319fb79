"""The place in the routine and the day's progress: what counts as done, where a later
session picks up, and saving it (one write a turn, through the turn's Saver)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from skill.conversation import state as phases
from skill.conversation.clock import local_date_of_ms, zone
from skill.conversation.turn import Turn
from skill.progress.records import Position, ProgressUpdate
from skill.progress.session_figures import session_figures
from skill.speech.narrate import READY

WARM_UP_PLACE = "warm_up"  # the saved place after the warm-up: the next launch starts the routine
# A stop this soon after a segment began (as a share of its length) interrupted it.
HEARD_IN_FULL = 0.9
# A place kept with "we'll carry on" is offered again the same day, or the next morning
# until this hour (local). Noon: the routine takes about twelve minutes, the reminder is
# usually set for the morning or the evening, and a place kept late at night ("there's
# someone at the door" at 23:53) is most often picked up at midnight or with breakfast;
# a place a whole day old would greet an afternoon session with yesterday's exercise.
# A routine picked up from yesterday's place counts for the day it began.
KEPT_UNTIL_HOUR = 12


def place_day(saved_at_ms: int, now_ms: int, zone_name: str | None) -> date | None:
    """The day a kept place belongs to, while it is still kept; None once it has lapsed."""
    if saved_at_ms <= 0:
        return None
    saved = local_date_of_ms(saved_at_ms, zone_name)
    now = datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(zone(zone_name))
    if saved == now.date():
        return saved
    if saved == now.date() - timedelta(days=1) and now.hour < KEPT_UNTIL_HOUR:
        return saved
    return None


def flush(turn: Turn, spoken: bool = True) -> bool:
    """Save now; `spoken` when the answer words the result itself."""
    turn.save_spoken = turn.save_spoken or spoken
    saved = turn.saver.flush()
    if saved and turn.saver.saved is not None:
        turn.state.summary = session_figures(turn.saver.saved, turn.day)
    return saved


def matters(turn: Turn) -> bool:
    unsaved = turn.saver.unsaved
    return bool(unsaved.exercises_done or unsaved.settings)


def exercises_done_today(turn: Turn) -> set[str]:
    summary, day = turn.state.summary, turn.day.isoformat()
    if summary.today in ("", day):
        done = set(summary.exercises_today)
    elif summary.today == (turn.day + timedelta(days=1)).isoformat():
        done = set(summary.exercises_day_before)  # a routine that began yesterday
    else:
        done = set()
    return done | set(turn.saver.unsaved.exercises_done.get(turn.day.isoformat(), ()))


def missing_today(turn: Turn) -> list[str]:
    """The routine's exercises not yet done today, in order."""
    done = exercises_done_today(turn)
    return [exercise for exercise in turn.routine.ids if exercise not in done]


def settle(turn: Turn) -> None:
    """The person moved on from a finished exercise: it counts as done."""
    if turn.state.completing:
        done = frozenset({turn.state.completing})
        turn.record(ProgressUpdate(exercises_done={turn.day.isoformat(): done}))
        turn.state.completing = None


def interrupted(turn: Turn, index: int) -> bool:
    """True when the request came before the segment could have been heard to its end."""
    segment = turn.segments[index]
    elapsed = (turn.now_ms - turn.state.narrated_at) / 1000
    return elapsed < segment.seconds * HEARD_IN_FULL


def position_at(turn: Turn, index: int) -> Position:
    route = turn.route
    return Position(route.exercise_at(index), route.segment_ids[index], turn.now_ms)


def position_after(turn: Turn, index: int) -> Position:
    """Where a later session picks up once the segment at `index` was done."""
    following = turn.route.next(index)
    return position_at(turn, index if following is None else following)


def resume_position(turn: Turn) -> Position | None:
    """Where to pick up if the session ended now: after work that was heard, or here."""
    index = turn.index
    if index is None:
        return None
    if turn.state.phase in (phases.ROUTINE, phases.OFFER_REDO):
        return position_after(turn, index)
    return position_at(turn, index)


def keep_place(turn: Turn, credit: bool, rested: bool = False) -> bool:
    """Leaving: count what was finished (unless interrupted) and save where to pick up.

    `rested` marks the place as a safety stop: the next session checks in first.
    True when there was a place to keep.
    """
    index = turn.index
    if index is None:
        if rested:  # stopped before starting: the next launch still asks how they are
            rest(turn, position_at(turn, 0).after_rest())
        return False
    segment = turn.segments[index]
    finished = segment.kind != READY and not interrupted(turn, index)
    if credit and finished and turn.state.phase != phases.GATE:
        settle(turn)
        position = position_after(turn, index)
    else:
        turn.state.completing = None  # an interrupted exercise is not counted
        position = position_at(turn, index)
    if rested:
        rest(turn, position.after_rest())
    else:
        turn.record(ProgressUpdate(position=position))
    return True


def rest(turn: Turn, position: Position) -> None:
    """The rest mark: saved, and kept in the session too, so whatever comes next in it
    (a stale session, a one-shot) checks in first."""
    turn.record(ProgressUpdate(position=position))
    turn.state.saved_position = position.to_dict()


def saved_place(turn: Turn) -> Position | None:
    try:
        return Position.from_dict(turn.state.saved_position)
    except (TypeError, ValueError, KeyError):
        return None


def resting(turn: Turn) -> bool:
    """The last session ended with a safety stop (or the store could not be read, so
    that cannot be ruled out), and the person has not said since that they feel all
    right."""
    saved = saved_place(turn)
    return turn.state.unsure or (saved is not None and saved.rested)


def resumable(turn: Turn) -> int | None:
    """The saved place, while it is kept (that day, or until noon the next: KEPT_UNTIL_HOUR)."""
    saved = saved_place(turn)
    if saved is None or saved.segment_id == WARM_UP_PLACE:
        return None
    if place_day(saved.saved_at, turn.now_ms, turn.state.time_zone) is None:
        return None
    return turn.route.locate(saved.segment_id, saved.exercise)


def began_on(turn: Turn) -> None:
    """Picking up a kept place: the routine counts for the day it began (maybe yesterday)."""
    saved = saved_place(turn)
    began = place_day(saved.saved_at, turn.now_ms, turn.state.time_zone) if saved else None
    if began is not None:
        turn.state.started_on = began.isoformat()


def warmed_up_today(turn: Turn) -> bool:
    saved = saved_place(turn)
    return (
        saved is not None
        and saved.segment_id == WARM_UP_PLACE
        and local_date_of_ms(saved.saved_at, turn.state.time_zone) == turn.today
    )


def upcoming(turn: Turn) -> str | None:
    """The exercise the person does next (the current one if it isn't finished)."""
    index, route = turn.index, turn.route
    if index is None:
        return turn.routine.ids[0]
    if turn.state.phase == phases.GATE or not turn.state.completing:
        return route.exercise_at(index)
    following = route.next_exercise(index)
    return None if following is None else route.exercise_at(following)


def current_exercise(turn: Turn) -> str | None:
    """The exercise at the place, else the one the person would start next."""
    index = turn.index
    return turn.route.exercise_at(index) if index is not None else upcoming(turn)
