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

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.services.api_client import ApiClient

from skill.alexa import care_handlers, handlers, reminder_handlers, screens
from skill.alexa.api_client import AlexaApiClient
from skill.alexa.apology import UNREADABLE, apology_response
from skill.alexa.interceptors import PrepareTurn, RequestLog, RequestLogStart
from skill.alexa.serializer import EnvelopeSerializer
from skill.alexa.timezone import lookup_device_zone
from skill.config import config, configure_logging
from skill.routine.model import load_routine
from skill.speech import ssml
from skill.store.base import ProgressStore, StoreUnavailable, UnopenedStore
from skill.store.erasure import ERASE_FAILED, erase
from skill.store.factory import make_store

log = logging.getLogger("skill")


def build_skill(
    store: ProgressStore | Callable[[], ProgressStore] | None = None,
    api_client: ApiClient | None = None,
    zone_bound: float | None = None,
) -> CustomSkill:
    """A skill answering through `store` (default: chosen from the environment, lazily).
    `zone_bound`: seconds the session start waits for the device's zone (default
    timezone.TOTAL_TIMEOUT; tests that are not about that bound give a generous one)."""
    provide = _store_provider(store)
    builder = CustomSkillBuilder(api_client=api_client or AlexaApiClient())
    builder.add_global_request_interceptor(RequestLogStart())
    builder.add_global_request_interceptor(
        PrepareTurn(
            provide,
            load_routine(),
            lookup_device_zone,
            config().default_time_zone,
            zone_bound=zone_bound,
        )
    )
    builder.add_global_response_interceptor(screens.AddScreen())
    builder.add_global_response_interceptor(RequestLog())
    builder.add_request_handler(handlers.SkillDisabledHandler(lambda user: _forget(provide, user)))
    builder.add_request_handler(handlers.SessionEndedHandler())
    builder.add_request_handler(care_handlers.CareLaunchHandler(provide))
    builder.add_request_handler(handlers.LaunchHandler())
    builder.add_request_handler(reminder_handlers.PermissionAnswerHandler())
    builder.add_request_handler(handlers.DialogueHandler())
    builder.add_request_handler(screens.TouchHandler())
    builder.add_request_handler(handlers.UnknownRequestHandler())  # must stay last
    builder.add_exception_handler(handlers.ErrorHandler())
    skill = builder.create()
    skill.serializer = EnvelopeSerializer()
    return skill


def _forget(provide: Callable[[], ProgressStore], user: str) -> None:
    """SkillDisabled: care-partner links first (they are found from the account's
    records), then the progress (erasure.erase: retried, else ERASE_FAILED and a tombstone).
    A fault on the links never keeps the progress from being erased."""
    try:
        care_handlers.forget_links(provide, user)
    except StoreUnavailable as error:
        log.error("%s: care-partner links not erased (%s)", ERASE_FAILED, error)
    erase(provide(), user)


def _store_provider(
    store: ProgressStore | Callable[[], ProgressStore] | None,
) -> Callable[[], ProgressStore]:
    if store is None:
        return _default_store
    if callable(store) and not hasattr(store, "load"):
        return store
    return lambda: store  # type: ignore[return-value]


def _default_store() -> ProgressStore:
    """The configured store; one that cannot be opened answers every call with
    StoreUnavailable (spoken as "can't reach your saved progress"), and the next
    turn tries to open it again."""
    try:
        return _opened_store()
    except StoreUnavailable as error:
        log.warning("progress store cannot be opened: %s", error)
        return UnopenedStore(str(error))


@lru_cache(maxsize=1)
def _opened_store() -> ProgressStore:
    """Built on first use, not at import: importing the skill needs no AWS or disk.
    Cached only once it opened (lru_cache keeps no exceptions)."""
    return make_store(config())


@lru_cache(maxsize=1)
def get_skill() -> CustomSkill:
    configure_logging(config())
    return build_skill()


def reset() -> None:
    """Forget the cached configuration, store and skill (tests change the environment)."""
    config.cache_clear()
    _opened_store.cache_clear()
    get_skill.cache_clear()


def invoke(skill: CustomSkill, event: Any, context: Any = None) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict).

    Never raises: whatever the event (no context, absurd nesting, a bug of ours), the
    answer is spoken words or, where Alexa allows no speech, an empty response.
    """
    if not isinstance(event, dict):
        return unreadable_request(event, TypeError("event is not an object"))
    serializer = skill.serializer
    try:
        if isinstance(serializer, EnvelopeSerializer):  # what build_skill gives every skill
            envelope = serializer.read_envelope(event)
        else:
            envelope = serializer.deserialize(
                payload=json.dumps(event), obj_type="ask_sdk_model.RequestEnvelope"
            )
        if envelope.request is None or envelope.context is None:
            raise ValueError("no request or no context")
        answer = serializer.serialize(skill.invoke(request_envelope=envelope, context=context))
        if not isinstance(answer, dict):
            raise TypeError("the SDK's answer is not an object")
    except Exception as error:  # RecursionError included; SDK faults, our own bugs
        return unreadable_request(event, error)
    return within_limits(event, answer)


def unreadable_request(event: Any, error: Exception) -> dict[str, Any]:
    """A request the skill cannot answer normally (unparseable, or it failed outside the
    handlers).

    Inside a voice session: a short spoken recovery with the session kept as it
    was (when it is small enough to send back). Outside one (events, callbacks): an
    empty answer, as Alexa expects.
    """
    request = event.get("request") if isinstance(event, dict) else None
    request = request if isinstance(request, dict) else {}
    log.warning(
        "unreadable request %.100s of type %.60s: %s",
        _plain(request.get("requestId")),
        _plain(request.get("type")),
        type(error).__name__,
    )
    session = event.get("session") if isinstance(event, dict) else None
    if not isinstance(session, dict) or not _speaks(request.get("type")):
        return empty_response()
    attributes = session.get("attributes")
    if not isinstance(attributes, dict) or _depth_over(attributes, MAX_ATTRIBUTE_DEPTH):
        attributes = {}  # nothing of ours nests that deep: not worth sending back
    answer = spoken_fallback(request.get("locale"), attributes)
    if _too_big(answer):
        answer = spoken_fallback(request.get("locale"), {})
    return answer


def within_limits(event: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as it is when Alexa would accept it; otherwise a short fallback.

    Alexa refuses SSML of 8,000 characters or more and responses over 24 KB, and the
    user then hears a generic error: a short sentence of ours is kinder.
    """
    body = _object(answer.get("response"))
    speeches = [body.get("outputSpeech"), _object(body.get("reprompt")).get("outputSpeech")]
    too_long = any(
        isinstance(s, dict) and len(str(s.get("ssml", ""))) >= ssml.MAX_SSML_CHARS for s in speeches
    )
    if not too_long and not _too_big(answer):
        return answer
    request = _object(event.get("request"))
    log.warning(
        "response over Alexa's limits for request %.100s, sent a short fallback",
        _plain(request.get("requestId")),
    )
    if not _speaks(request.get("type")):
        return empty_response()
    return spoken_fallback(request.get("locale"), {})


MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's cap on a whole response envelope
MAX_ATTRIBUTE_DEPTH = 16  # our session attributes nest three or four levels


def empty_response() -> dict[str, Any]:
    return {"version": "1.0", "response": {}}


def spoken_fallback(locale: Any, attributes: dict[str, Any]) -> dict[str, Any]:
    """ "Sorry, I didn't catch that", the session kept open with `attributes`."""
    return apology_response(locale, attributes, UNREADABLE)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _too_big(answer: dict[str, Any]) -> bool:
    try:  # json.dumps escapes all but ASCII (ensure_ascii): its length is its bytes
        return len(json.dumps(answer)) > MAX_RESPONSE_BYTES
    except (TypeError, ValueError, RecursionError):
        return True


def _depth_over(value: Any, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` (walked without recursion)."""
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = (
            [
                child
                for node in level
                for child in (node.values() if isinstance(node, dict) else node)
                if isinstance(child, (dict, list))
            ]
            if level
            else []
        )
        if not level:
            return False
    return True


def _speaks(kind: Any) -> bool:
    """Alexa allows speech in answer to every request type but these."""
    kind = kind if isinstance(kind, str) else ""
    return kind != "SessionEndedRequest" and not kind.startswith("AlexaSkillEvent.")


def _plain(value: Any) -> str:
    """A request field for a log line: printable characters only, or "-"."""
    return "".join(c for c in value if c.isprintable()) if isinstance(value, str) else "-"


def handle(event: Any, context: Any = None) -> dict[str, Any]:
    """The shared entry for every host: Lambda's handler, the web endpoint, the console."""
    try:
        skill = get_skill()
    except Exception as error:  # a broken deployment still answers in words
        log.exception("the skill could not be built")
        return unreadable_request(event, error)
    return invoke(skill, event, context)
