"""Care partners at the edge: the news at launch, and the links forgotten on
SkillDisabled. The sharing utterances are the dialogue table's (actions/care.py), their
words skill/sharing/talk.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.alexa import context
from skill.alexa.interceptors import LOADED, respond, turn_for
from skill.conversation import dialogue
from skill.progress import owner as owners
from skill.progress.records import UserProgress
from skill.sharing.store import SharingStore
from skill.speech.script import Item
from skill.store.base import ProgressStore, StoreUnavailable
from skill.store.factory import sharing_store

# The conversation (skill/sharing/talk.py, skill/conversation/actions/care.py) is imported
# where a sharing utterance or care news is answered: a first answer has neither.

log = logging.getLogger("skill")

Provide = Callable[[], ProgressStore]


def _sharing(provide: Provide) -> tuple[ProgressStore, SharingStore | None]:
    store = provide()
    return store, sharing_store(store)


class CareLaunchHandler(AbstractRequestHandler):
    """A launch with news waiting (the flag read with the progress): the usual welcome,
    then the news, after the not-medical-advice line where it is said. Never mid-exercise:
    news is only ever said here."""

    def __init__(self, provide: Provide) -> None:
        self.provide = provide

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_request_type("LaunchRequest")(handler_input):
            return False
        progress = handler_input.attributes_manager.request_attributes.get(LOADED)
        return isinstance(progress, UserProgress) and progress.nudges.care_news

    def handle(self, handler_input: HandlerInput) -> Response:
        from skill.conversation.actions import care
        from skill.sharing import talk

        turn = turn_for(handler_input)
        me = context.owner_key(handler_input)
        news: list[Item] = []
        _, sharing = _sharing(self.provide)
        if me is not None and sharing is not None:
            try:
                news = talk.news_items(sharing, me, turn.copy)
            except StoreUnavailable as error:
                log.warning("care news not read: %s", error)
        reply = dialogue.launch(turn)
        return respond(handler_input, care.with_news(reply, news, turn), turn)


def forget_links(provide: Provide, user: str) -> None:
    """SkillDisabled: the account's links either way, codes and messages (before its
    progress is deleted)."""
    _, sharing = _sharing(provide)
    if sharing is not None:
        sharing.forget_account(owners.account_of(user))
