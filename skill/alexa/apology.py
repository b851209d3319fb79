"""The one spoken apology: the answer when a request can't be served the usual way.

Used when the ASK SDK cannot even read a request (app.invoke), when a handler fails
(handlers.ErrorHandler, through apology_words) and when the skill itself fails (the web
endpoint, around the whole skill). Words come from the request's locale;
the session is kept as the request carried it, so the person can simply say it again.
Requests that must not speak (session end, skill events, anything without a session)
get an empty response, as Alexa expects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skill.speech import ssml
from skill.speech.copy import DEFAULT_LOCALE, Copy, copy_for
from skill.speech.script import Say

# Locale keys, in the order spoken; the last one is also the reprompt. A key whose
# words are a list (varied wording) gives its first sentence.
SKILL_FAILED = ("errors.general", "asks.routine")
UNREADABLE = ("fallback.sorry", "fallback.options.default")

EMPTY_RESPONSE: dict[str, Any] = {"version": "1.0", "response": {}}


def apology_words(locale: str, keys: Sequence[str] = SKILL_FAILED) -> list[Say]:
    copy = copy_for(locale)
    return [Say(_first(copy.raw(key)) if _varied(copy, key) else copy.say(key)) for key in keys]


def _varied(copy: Copy, key: str) -> bool:
    return isinstance(copy.raw(key), list | tuple)


def _first(sentences: Sequence[Any]) -> str:
    return str(sentences[0])


def apology(event: Any, keys: Sequence[str] = SKILL_FAILED) -> dict[str, Any]:
    """A response envelope (a dict) for `event`, whatever shape the event has."""
    request = event.get("request") if isinstance(event, dict) else None
    request = request if isinstance(request, dict) else {}
    session = event.get("session") if isinstance(event, dict) else None
    kind = str(request.get("type") or "")
    if not isinstance(session, dict) or kind == "SessionEndedRequest":
        return dict(EMPTY_RESPONSE)
    if kind.startswith("AlexaSkillEvent."):
        return dict(EMPTY_RESPONSE)
    attributes = session.get("attributes")
    return apology_response(
        request.get("locale"), attributes if isinstance(attributes, dict) else {}, keys
    )


def apology_response(
    locale: Any, attributes: dict[str, Any], keys: Sequence[str] = SKILL_FAILED
) -> dict[str, Any]:
    """The spoken apology as a response envelope, the session kept open with `attributes`."""
    words = apology_words(locale if isinstance(locale, str) and locale else DEFAULT_LOCALE, keys)
    return {
        "version": "1.0",
        "sessionAttributes": attributes,
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": ssml.document(words)},
            "reprompt": {"outputSpeech": {"type": "SSML", "ssml": ssml.document(words[-1:])}},
            "shouldEndSession": False,
        },
    }
