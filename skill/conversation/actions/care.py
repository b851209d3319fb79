"""Care partners in the dialogue (skill/sharing/talk.py has the conversation itself).

A sharing utterance runs as an *answer* through `dialogue.run`: after a safety stop the
check-in still comes first, the turn saves once, and the answer ends with the sharing
question it asks or, once done, the phase's own question. News from relatives is said
only at launch, so never during an exercise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.conversation.questions import ask, reask
from skill.conversation.turn import Action, Heard, Reply, Turn
from skill.sharing.talk import Answer
from skill.speech.script import Item, Say


def answering(hear: Callable[[Turn], Answer], kept: dict[str, Any]) -> Action:
    """The answer action for one sharing utterance; the question it leaves open (if
    any) is put in `kept`, for the session."""

    def care(turn: Turn, heard: Heard) -> Reply:
        answer = hear(turn)
        kept.update(answer.pending or {})
        if answer.ask is not None:
            return ask(turn, answer.items, answer.ask)
        return reask(turn, answer.items)

    return Action(care, "answer")


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
