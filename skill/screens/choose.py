"""Which screen goes with a reply: the step being spoken, or the week after a
progress answer; nothing for anything else (the last screen stays until it times out).

Reads the same Dialogue and Reply the voice answer came from, so the screen shows
what was just said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
    RenderDocumentDirective,
)

from skill.conversation.dialogue import Dialogue, Reply
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
        "answer_progress_with_card",
        "answer_this_week",
        "answer_this_week_with_card",
        "answer_streak",
        "answer_total_days",
    }
)


@dataclass(frozen=True)
class Screen:
    document: str
    datasource: dict[str, Any]

    def directive(self) -> RenderDocumentDirective:
        return RenderDocumentDirective(
            token=TOKEN,
            document=documents.document(self.document),
            datasources=self.datasource,
        )


def screen_for(dialogue: Dialogue, reply: Reply) -> Screen | None:
    if reply.silent:
        return None
    if reply.action in PROGRESS_ACTIONS:
        return Screen(documents.PROGRESS, week_source(dialogue))
    index = dialogue.index
    if index is None:
        return None
    segment = dialogue.segments[index]
    if not _contains(reply.items, segment.body):
        return None  # an answer mid-routine: the step's screen stays as it is
    count = len(dialogue.route.segment_ids)
    source = datasources.step_source(
        segment, index + 1, count, dialogue.copy, documents.drawings(documents.STEP)
    )
    return Screen(documents.STEP, source)


def week_source(dialogue: Dialogue) -> dict[str, Any]:
    """The week from the figures the answer spoke (the session's summary) and the days
    completed this week that the session read at its start."""
    summary, today = dialogue.state.summary, dialogue.today
    done = set(NudgeSession.from_dict(dialogue.state.nudges).week.done_this_week)
    if summary.last_day == today.isoformat():
        done.add(today.isoformat())
    figures = datasources.ShownWeek(
        today=today,
        done=frozenset(done),
        week=summary.week,
        streak=summary.streak,
        total=summary.total,
    )
    return datasources.progress_source(figures, dialogue.copy)


def _contains(items: Sequence[Item], part: Sequence[Item]) -> bool:
    """Whether `part` is said, in order and unbroken, within `items`."""
    size = len(part)
    if size == 0:
        return False
    return any(tuple(items[at : at + size]) == tuple(part) for at in range(len(items) - size + 1))
