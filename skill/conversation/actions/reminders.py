"""The daily reminder: set, change, read and cancel it, and answer its questions.

The reminder conversation itself is skill.reminders.dialogue (pure); these actions
turn its answers into replies and phases. What only a response can carry (Alexa's
permission request, the consent card) travels on the Reply.
"""

from __future__ import annotations

from collections.abc import Sequence

from skill.conversation import state as phases
from skill.conversation.actions.opening import opening_offer
from skill.conversation.nudging import ASKING_IN, PHASE_OF, nudges
from skill.conversation.places import flush, keep_place
from skill.conversation.questions import ask, end, reask
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.reminders.dialogue import Answer, ReminderDialogue
from skill.reminders.spoken_time import LocalTime
from skill.speech.script import Item


def from_answer(turn: Turn, talk: ReminderDialogue, answer: Answer) -> Reply:
    """A reminder answer as a reply: its question, Alexa's permission question, or back
    to what the person was doing."""
    turn.record(answer.update)
    session, state = talk.session, turn.state
    if answer.question is not None and session.asking is not None:
        state.nudges = session.to_dict()
        question, reprompt = answer.question
        reply = ask(turn, [*answer.items, *question], reprompt, PHASE_OF[session.asking])
    else:
        session.close_question()
        state.nudges = session.to_dict()
        if answer.ask_permission is not None:
            # Alexa takes the conversation over to ask: keep the place, as a stop would.
            keep_place(turn, credit=True)
            flush(turn, spoken=False)
            phase = phases.START if state.phase in ASKING_IN else None
            reply = end(turn, answer.items, phase)
            reply.ask_permission_for = answer.ask_permission
        else:
            reply = back_to_it(turn, answer.items)
    reply.consent_card = answer.consent_card
    reply.card = answer.card
    return reply


def back_to_it(turn: Turn, items: Sequence[Item]) -> Reply:
    """After a reminder exchange: carry on with what the person was doing."""
    state = turn.state
    phase = phases.START if state.phase in ASKING_IN else state.phase
    if turn.index is None and state.summary.last_day == turn.day.isoformat():
        return end(turn, [*items, turn.say("moves.see_you")], phase)  # done: never the top
    if turn.index is None and phase == phases.START:
        return opening_offer(turn, list(items))
    return reask(turn, items, phase)


def talk_in_phase(turn: Turn) -> ReminderDialogue:
    """The reminder conversation, answering the question the phase asked."""
    talk = nudges(turn)
    talk.session.asking = ASKING_IN.get(turn.state.phase)
    return talk


@action("reminder")
def set_reminder(turn: Turn, heard: Heard) -> Reply:
    """ "Remind me every day at nine", "change my reminder to eight", "at seven"."""
    talk = nudges(turn)
    return from_answer(turn, talk, talk.request(heard.time))


@action("reminder")
def read_reminder(turn: Turn, heard: Heard) -> Reply:
    talk = nudges(turn)
    return from_answer(turn, talk, talk.read())


@action("reminder")
def cancel_reminder(turn: Turn, heard: Heard) -> Reply:
    talk = nudges(turn)
    return from_answer(turn, talk, talk.cancel())


@action("reminder")
def reminder_yes(turn: Turn, heard: Heard) -> Reply:
    talk = talk_in_phase(turn)
    return from_answer(turn, talk, talk.yes())


@action("reminder")
def reminder_no(turn: Turn, heard: Heard) -> Reply:
    talk = talk_in_phase(turn)
    return from_answer(turn, talk, talk.no())


def permission_answer(turn: Turn, status: str, at: LocalTime | None) -> Reply:
    """Alexa's answer to the AskFor permission request (a request of its own)."""
    talk = nudges(turn)
    return from_answer(turn, talk, talk.permission(status, at))
