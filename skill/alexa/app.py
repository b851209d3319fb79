"""Builds the one skill object every host shares (Lambda, Flask, console, tests).

Handlers are registered most specific first: the ASK SDK asks each handler's
`can_handle` in order and the first to answer True wins, so the catch-all
UnknownRequestHandler must stay last.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa import handlers
from skill.alexa.api_client import AlexaApiClient
from skill.alexa.interceptors import PrepareTurn, RequestLog, RequestLogStart
from skill.alexa.timezone import lookup_device_zone
from skill.config import config
from skill.routine.model import load_routine
from skill.speech import ssml
from skill.speech.copy import copy_for
from skill.speech.script import Say
from skill.store.base import ProgressStore
from skill.store.factory import make_store

log = logging.getLogger("skill")


def build_skill(
    store: ProgressStore | Callable[[], ProgressStore] | None = None,
    api_client: AlexaApiClient | None = None,
) -> CustomSkill:
    """A skill answering through `store` (default: chosen from the environment, lazily)."""
    provide = _store_provider(store)
    builder = CustomSkillBuilder(api_client=api_client or AlexaApiClient())
    builder.add_global_request_interceptor(RequestLogStart())
    builder.add_global_request_interceptor(
        PrepareTurn(provide, load_routine(), lookup_device_zone, config().default_time_zone)
    )
    builder.add_global_response_interceptor(RequestLog())
    builder.add_request_handler(
        handlers.SkillDisabledHandler(lambda user: provide().delete_user(user))
    )
    builder.add_request_handler(handlers.SessionEndedHandler())
    builder.add_request_handler(handlers.LaunchHandler())
    builder.add_request_handler(handlers.DialogueHandler())
    builder.add_request_handler(handlers.UnknownRequestHandler())  # must stay last
    builder.add_exception_handler(handlers.ErrorHandler())
    return builder.create()


def _store_provider(
    store: ProgressStore | Callable[[], ProgressStore] | None,
) -> Callable[[], ProgressStore]:
    if store is None:
        return _default_store
    if callable(store) and not hasattr(store, "load"):
        return store
    return lambda: store  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _default_store() -> ProgressStore:
    """Built on first use, not at import: importing the skill needs no AWS or disk."""
    return make_store(config())


@lru_cache(maxsize=1)
def get_skill() -> CustomSkill:
    logging.basicConfig(level=config().log_level, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("skill").setLevel(config().log_level)
    return build_skill()


def reset() -> None:
    """Forget the cached configuration, store and skill (tests change the environment)."""
    config.cache_clear()
    _default_store.cache_clear()
    get_skill.cache_clear()


def invoke(skill: CustomSkill, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict)."""
    serializer = skill.serializer
    try:
        envelope = serializer.deserialize(
            payload=json.dumps(event), obj_type="ask_sdk_model.RequestEnvelope"
        )
    except (SerializationException, TypeError, ValueError) as error:
        return unreadable_request(event, error)
    response = skill.invoke(request_envelope=envelope, context=context)
    return serializer.serialize(response)


def unreadable_request(event: Any, error: Exception) -> dict[str, Any]:
    """A request the SDK cannot even parse (an unknown type, a missing field).

    Inside a voice session: a short spoken recovery with the session kept as it
    was. Outside one (events, callbacks): an empty answer, as Alexa expects.
    """
    request = event.get("request") if isinstance(event, dict) else None
    request = request if isinstance(request, dict) else {}
    log.warning(
        "unreadable request %s of type %s: %s",
        request.get("requestId", "-"),
        request.get("type", "-"),
        type(error).__name__,
    )
    session = event.get("session") if isinstance(event, dict) else None
    if not isinstance(session, dict):
        return {"version": "1.0", "response": {}}
    copy = copy_for(str(request.get("locale") or "en-US"))
    again = [Say(str(copy.raw("fallback.sorry")[0])), Say(copy.say("fallback.options.default"))]
    attributes = session.get("attributes")
    return {
        "version": "1.0",
        "sessionAttributes": attributes if isinstance(attributes, dict) else {},
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": ssml.speak(ssml.fragment(again))},
            "reprompt": {
                "outputSpeech": {"type": "SSML", "ssml": ssml.speak(ssml.fragment(again))}
            },
            "shouldEndSession": False,
        },
    }


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """The shared entry for every host: Lambda's handler, the web endpoint, the console."""
    return invoke(get_skill(), event, context)
