"""Care partners at the edge: the sharing intents, the news at launch, and the links
forgotten on SkillDisabled. The conversation itself is skill/sharing/talk.py.

Registered before the dialogue's own handlers (app.py): the sharing intents, and a yes,
no, number or name that answers a sharing question, come here; everything else goes on
to the dialogue, and drops the open sharing question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.alexa import context
from skill.alexa.intents import load_spec
from skill.alexa.interceptors import LOADED, respond, turn_for
from skill.conversation import dialogue
from skill.conversation.actions import care
from skill.conversation.actions.opening import first_contact
from skill.conversation.clock import local_date
from skill.conversation.table import FALLBACK, SET_REMINDER
from skill.conversation.turn import Heard, Turn
from skill.progress import owner as owners
from skill.progress.records import UserProgress
from skill.sharing import talk
from skill.sharing.store import SharingStore
from skill.speech.copy import LANGUAGES
from skill.speech.script import Item, Say
from skill.store.base import ProgressStore, StoreUnavailable
from skill.store.factory import sharing_store

log = logging.getLogger("skill")

Provide = Callable[[], ProgressStore]


def _sharing(provide: Provide) -> tuple[ProgressStore, SharingStore | None]:
    store = provide()
    return store, sharing_store(store)


def _pending(handler_input: HandlerInput) -> dict[str, Any]:
    found = (handler_input.attributes_manager.session_attributes or {}).get(talk.ATTRIBUTE)
    return found if isinstance(found, dict) and isinstance(found.get("ask"), str) else {}


def said(handler_input: HandlerInput) -> talk.Said:
    """A first name, a relation, a code, a message: as Alexa heard them."""

    def heard(slot: str) -> str | None:
        value = getattr(context.slot(handler_input, slot), "value", None)
        return value if isinstance(value, str) and value.strip() else None

    return talk.Said(
        name=heard("name"), relation=heard("relation"), code=heard("code"), message=heard("message")
    )


class CareHandler(AbstractRequestHandler):
    def __init__(self, provide: Provide) -> None:
        self.provide = provide

    def can_handle(self, handler_input: HandlerInput) -> bool:
        intent = context.intent_name(handler_input) or ""
        if intent in talk.ANSWERS:
            return bool(_pending(handler_input)) or intent in talk.INTENTS
        return intent in talk.INTENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_for(handler_input)
        intent = context.intent_name(handler_input) or ""
        pending = _pending(handler_input)
        if intent == talk.CODE and pending.get("ask") != talk.AWAIT_CODE:
            # A number when no code was asked for is never a code attempt. An hour
            # ("nine") is what AMAZON.TIME alone would have heard before codes existed.
            hour = context.number(handler_input, "code")
            if hour is not None and hour <= 23:
                time = Heard(time=f"{hour:02d}:00")
                return respond(handler_input, dialogue.hear(turn, SET_REMINDER, time), turn)
            return respond(handler_input, dialogue.hear(turn, FALLBACK), turn)
        kept: dict[str, Any] = {}

        def hear(turn: Turn) -> talk.Answer:
            return self.answer(handler_input, turn, intent, pending)

        first_contact(turn)
        reply = dialogue.run(turn, care.answering(hear, kept), Heard())
        response = respond(handler_input, reply, turn)
        attributes = handler_input.attributes_manager.session_attributes
        if kept and isinstance(attributes, dict):
            attributes[talk.ATTRIBUTE] = kept
        return response

    def answer(
        self, handler_input: HandlerInput, turn: Turn, intent: str, pending: dict[str, Any]
    ) -> talk.Answer:
        unavailable = talk.Answer([Say(turn.copy.say("care.unavailable"))])
        me = context.owner_key(handler_input)
        store, sharing = _sharing(self.provide)
        if me is None or sharing is None:
            return unavailable
        partners = talk.CarePartners(
            store=sharing,
            progress_of=store.load,
            me=me,
            copy=turn.copy,
            now_ms=turn.now_ms,
            local_date=_local_dates(handler_input, turn),
            pending=pending,
            who_is=who_is,
        )
        try:
            return partners.hear(intent, said(handler_input))
        except StoreUnavailable as error:
            log.warning("sharing store unavailable: %s", error)
            return unavailable


@lru_cache(maxsize=1)
def _relations() -> dict[str, str]:
    """Every RELATION name in every language's model -> its value id ("mom", "mamá" ->
    "mother")."""
    specs = [load_spec(language) for language in LANGUAGES]
    return {
        name.lower(): value_id
        for spec in specs
        for value_id, names in spec.relation_values.items()
        for name in names
    }


def who_is(words: str) -> str:
    """One form for every way of naming the same relative; a first name as itself."""
    plain = " ".join(words.lower().split())
    for prefix in ("my ", "your ", "mi ", "su ", "tu "):
        plain = plain.removeprefix(prefix)
    return _relations().get(plain, plain)


def _local_dates(handler_input: HandlerInput, turn: Turn) -> Callable[[str | None], Any]:
    stamp = context.timestamp(handler_input)

    def today_in(zone: str | None) -> Any:
        try:
            return local_date(stamp, zone or turn.state.time_zone)
        except ValueError:
            return turn.today

    return today_in


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
