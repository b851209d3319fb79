"""Which screen goes with a reply: the step being spoken, or the week after a
progress answer; nothing for anything else (the last screen stays until it times out).

Reads the same Turn and Reply the voice answer came from, so the screen shows
what was just said.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
    RenderDocumentDirective,
)
from msgspec import Struct

from skill.conversation.turn import Reply, Turn
from skill.reminders.dialogue import NudgeSession
from skill.screens import datasources, documents
from skill.speech.script import Item

# One token for every screen of a session (and every session): touches from any of
# our screens come back with it.
TOKEN = "foot-routine"

# Answers whose figures the week screen shows.
PROGRESS_ACTIONS = frozenset(
    {
        "answer_progress",
        "answer_this_week",
        "answer_streak",
        "answer_total_days",
    }
)


class Screen(Struct, frozen=True):
    document: str
    datasource: dict[str, Any]

    def directive(self) -> RenderDocumentDirective:
        return RenderDocumentDirective(
            token=TOKEN,
            document=documents.document(self.document),
            datasources=self.datasource,
        )


def screen_for(turn: Turn, reply: Reply) -> Screen | None:
    if reply.silent:
        return None
    if reply.action in PROGRESS_ACTIONS:
        return Screen(documents.PROGRESS, week_source(turn))
    index = turn.index
    if index is None:
        return None
    segment = turn.segments[index]
    if not _contains(reply.items, segment.body):
        return None  # an answer mid-routine: the step's screen stays as it is
    count = len(turn.route.segment_ids)
    source = datasources.step_source(
        segment, index + 1, count, turn.copy, documents.drawings(documents.STEP)
    )
    return Screen(documents.STEP, source)


def week_source(turn: Turn) -> dict[str, Any]:
    """The week from the figures the answer spoke (the session's summary) and the days
    completed this week that the session read at its start."""
    summary, today = turn.state.summary, turn.today
    done = set(NudgeSession.from_dict(turn.state.nudges).week.done_this_week)
    if summary.last_day == today.isoformat():
        done.add(today.isoformat())
    figures = datasources.ShownWeek(
        today=today,
        done=frozenset(done),
        week=summary.week,
        streak=summary.streak,
        total=summary.total,
    )
    return datasources.progress_source(figures, turn.copy)


def _contains(items: Sequence[Item], part: Sequence[Item]) -> bool:
    """Whether `part` is said, in order and unbroken, within `items`."""
    size = len(part)
    if size == 0:
        return False
    return any(tuple(items[at : at + size]) == tuple(part) for at in range(len(items) - size + 1))
