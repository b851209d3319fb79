"""The reminder conversation (skill.reminders.dialogue, pure) as seen from a turn: the
phases it asks in, and the question each asks. Reading a question changes nothing."""

from __future__ import annotations

from skill.conversation import state as phases
from skill.conversation.turn import Turn
from skill.reminders.dialogue import CONFIRM, OFFER, TIME, Answer, NudgeSession, ReminderDialogue
from skill.reminders.spoken_time import LocalTime
from skill.speech.script import Item

# The reminder question each phase asks, both ways.
PHASE_OF = {
    OFFER: phases.OFFER_REMINDER,
    TIME: phases.ASK_REMINDER_TIME,
    CONFIRM: phases.CONFIRM_REMINDER_TIME,
}
ASKING_IN = {phase: asking for asking, phase in PHASE_OF.items()}


def nudges(turn: Turn) -> ReminderDialogue:
    household = turn.household
    return ReminderDialogue(
        session=NudgeSession.from_dict(turn.state.nudges),
        copy=turn.copy,
        # Unknown: no zone at all, so Alexa uses the device's (never one we made up).
        time_zone=turn.state.time_zone if turn.state.zone_known else None,
        timestamp=household.timestamp,
        port=household.reminders,
        granted=household.reminders_granted,
    )


def reminder_question(turn: Turn, phase: str) -> tuple[list[Item], list[Item]] | None:
    """What a reminder phase asks, or None when there is nothing left to ask there."""
    talk = nudges(turn)  # a copy of the session's: asking again stores nothing
    session = talk.session
    asking = ASKING_IN.get(phase)
    answer: Answer | None = None
    if asking == OFFER:
        answer = talk.offer()
    elif asking == CONFIRM and session.proposed:
        alternative = LocalTime.from_hhmm(session.alternative) if session.alternative else None
        answer = talk.confirm(LocalTime.from_hhmm(session.proposed), alternative)
    elif asking == TIME:
        answer = talk.ask_time()
    return None if answer is None else answer.question
