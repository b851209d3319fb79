"""Care partners in the dialogue: one action for each sharing utterance, named by the
table (skill/sharing/talk.py has what each says). A sharing question is a phase (state.py)
whose data waits in `state.care`; once answered, the phase asked before comes back.
News from relatives is said only at launch (`with_news`), so never during an exercise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from skill.conversation import state as phases
from skill.conversation.actions import answers
from skill.conversation.actions.reminders import set_reminder
from skill.conversation.questions import ask, reask
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.sharing import intents as talk
from skill.speech.script import Item, Say
from skill.store.base import StoreUnavailable

if TYPE_CHECKING:
    from skill.sharing.talk import Answer, CarePartners, Said

log = logging.getLogger("skill")

# What talk.py calls each sharing question, and the phase that asks it.
PHASE_OF = {
    talk.CONFIRM_SHARE: phases.CONFIRM_SHARE,
    talk.AWAIT_CODE: phases.AWAIT_CODE,
    talk.AWAIT_MESSAGE: phases.AWAIT_MESSAGE,
    talk.WHICH: phases.WHOSE,
    talk.CONFIRM_STOP: phases.CONFIRM_STOP,
}
ASKED_IN = {phase: asked for asked, phase in PHASE_OF.items()}
MAX_HOUR = 23  # a bare number up to this, said when no code was asked for, is an hour


def _said(heard: Heard) -> Said:
    from skill.sharing.talk import Said  # the conversation: only when it is answered

    return Said(name=heard.name, relation=heard.relation, code=heard.code, message=heard.message)


def _answer(turn: Turn, hear: Callable[[CarePartners], Answer]) -> Reply:
    """What the sharing conversation answers, as a reply: its question (a phase), or the
    question that was open before it."""
    from skill.sharing.talk import Answer

    state = turn.state
    asked = ASKED_IN.get(state.phase)
    back = state.care.get("back") if asked else state.phase
    source = turn.household.care()
    answer = Answer([turn.say("care.unavailable")])
    if source is not None:
        pending = {**state.care, "ask": asked} if asked else {}
        try:
            answer = hear(source.partners(turn.copy, turn.now_ms, pending))
        except StoreUnavailable as error:
            log.warning("sharing store unavailable: %s", type(error).__name__)
    waiting = (answer.pending or {}).get("ask")
    if answer.ask is not None and waiting in PHASE_OF:
        state.care = phases.care_data({**(answer.pending or {}), "back": back})
        return ask(turn, answer.items, answer.ask, PHASE_OF[waiting])
    state.care = {}
    return reask(turn, answer.items, back or phases.START)


@action("answer")
def offer_share(turn: Turn, heard: Heard) -> Reply:
    """ "Share my progress": what is shared, then "shall I give you a code?"."""
    return _answer(turn, lambda partners: partners.offer_share(_said(heard)))


@action("answer")
def give_code(turn: Turn, heard: Heard) -> Reply:
    return _answer(turn, lambda partners: partners.give_code())


@action("answer")
def follow(turn: Turn, heard: Heard) -> Reply:
    """ "Follow my mum": the code, asked for (or used, when it came along)."""
    said = _said(heard)
    if said.code:
        return _answer(turn, lambda partners: partners.use_code(said))
    return _answer(turn, lambda partners: partners.follow(said))


@action("answer")
def use_code(turn: Turn, heard: Heard) -> Reply:
    return _answer(turn, lambda partners: partners.use_code(_said(heard)))


@action("reminder")
def number_heard(turn: Turn, heard: Heard) -> Reply:
    """A bare number when no code was asked for is never a code attempt: an hour
    ("nine") is the reminder time AMAZON.TIME alone heard before codes existed."""
    code = heard.code or ""
    if code.isdigit() and len(code) <= 4 and int(code) <= MAX_HOUR:
        return set_reminder(turn, Heard(time=f"{int(code):02d}:00"))
    return answers.not_understood(turn, heard)


@action("answer")
def ask_about(turn: Turn, heard: Heard) -> Reply:
    """ "How is mum doing?": adherence only."""
    return _answer(turn, lambda partners: partners.ask_about(_said(heard)))


@action("answer")
def whose_chosen(turn: Turn, heard: Heard) -> Reply:
    """The answer to "whose exercises?" (or whom a message is for)."""
    return _answer(turn, lambda partners: partners.chosen(_said(heard)))


@action("answer")
def send_message(turn: Turn, heard: Heard) -> Reply:
    return _answer(turn, lambda partners: partners.message(_said(heard)))


@action("answer")
def who_follows(turn: Turn, heard: Heard) -> Reply:
    return _answer(turn, lambda partners: partners.who_follows(_said(heard)))


@action("answer")
def stop_sharing(turn: Turn, heard: Heard) -> Reply:
    return _answer(turn, lambda partners: partners.stop_sharing(_said(heard)))


@action("answer")
def stop_confirmed(turn: Turn, heard: Heard) -> Reply:
    return _answer(turn, lambda partners: partners.stop_confirmed())


@action("answer")
def keep_sharing_as_is(turn: Turn, heard: Heard) -> Reply:
    """No to a sharing question: nothing changes."""
    from skill.sharing.talk import Answer

    return _answer(turn, lambda partners: Answer([turn.say("care.nothing_changed")]))


def with_news(reply: Reply, news: list[Item], turn: Turn) -> Reply:
    """A launch's reply with the news after the not-medical-advice line when it is
    said, else after the greeting."""
    if not news:
        return reply
    line = turn.copy.say("safety.not_medical_advice")
    spoken = [isinstance(item, Say) and item.text == line for item in reply.items]
    at = spoken.index(True) + 1 if any(spoken) else min(1, len(reply.items))
    reply.items[at:at] = news
    return reply
