"""Reading an Alexa request: who, when, where, what was said. ASK SDK objects in,
plain values out, never an exception for a missing field."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.slot import Slot
from ask_sdk_model.slu.entityresolution.status_code import StatusCode

from skill.conversation.symptoms import UNKNOWN
from skill.conversation.turn import Heard
from skill.progress import owner
from skill.speech.copy import DEFAULT_LOCALE


def request_type(handler_input: HandlerInput) -> str:
    return getattr(handler_input.request_envelope.request, "object_type", None) or "Unknown"


def may_speak(handler_input: HandlerInput) -> bool:
    """Whether an answer to this request may say anything: not a SessionEndedRequest
    (Alexa allows no speech there) nor a skill event (no one is listening)."""
    kind = request_type(handler_input)
    return kind != "SessionEndedRequest" and not kind.startswith("AlexaSkillEvent.")


def intent_name(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    if isinstance(request, IntentRequest) and request.intent is not None:
        return request.intent.name
    return None


def request_id(handler_input: HandlerInput) -> str:
    return getattr(handler_input.request_envelope.request, "request_id", None) or "-"


def user_id(handler_input: HandlerInput) -> str | None:
    envelope = handler_input.request_envelope
    system = getattr(envelope.context, "system", None) if envelope.context else None
    user = getattr(system, "user", None) or getattr(envelope.session, "user", None)
    return getattr(user, "user_id", None)


def person_id(handler_input: HandlerInput) -> str | None:
    """The recognised speaker (voice profile, "personalize skills" on), or None.

    Never log it: like the user id, it identifies someone.
    """
    envelope = handler_input.request_envelope
    system = getattr(envelope.context, "system", None) if envelope.context else None
    person = getattr(system, "person", None)
    found = getattr(person, "person_id", None)
    return found if isinstance(found, str) and found else None


def owner_key(handler_input: HandlerInput) -> str | None:
    """Whose progress this request reads and writes: the recognised person within the
    account, else the account (skill.progress.owner explains the keys)."""
    user = user_id(handler_input)
    if not user:
        return None
    try:
        return owner.owner_key(user, person_id(handler_input))
    except ValueError:
        return None


def locale(handler_input: HandlerInput) -> str:
    return getattr(handler_input.request_envelope.request, "locale", None) or DEFAULT_LOCALE


def timestamp(handler_input: HandlerInput) -> Any:
    return getattr(handler_input.request_envelope.request, "timestamp", None)


def slot(handler_input: HandlerInput, name: str) -> Slot | None:
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None:
        return None
    return (request.intent.slots or {}).get(name)


def resolved_id(handler_input: HandlerInput, name: str) -> tuple[str | None, str | None]:
    """(value id from entity resolution, or None; what was heard, or None)."""
    found = slot(handler_input, name)
    if found is None:
        return None, None
    heard = found.value or None
    resolutions = getattr(found, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if status == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.id, heard
    return None, heard


def number(handler_input: HandlerInput, name: str) -> int | None:
    """A spoken number slot (AMAZON.NUMBER sends digits), or None."""
    found = slot(handler_input, name)
    value = getattr(found, "value", None)
    if isinstance(value, str) and value.isdigit() and len(value) <= 4:
        return int(value)
    return None


def heard(handler_input: HandlerInput) -> Heard:
    """The slots the dialogue reads, resolved to ids; what was heard is never kept."""
    exercise, _ = resolved_id(handler_input, "exercise")
    order, _ = resolved_id(handler_input, "order")
    time = getattr(slot(handler_input, "time"), "value", None)
    return Heard(
        exercise=exercise,
        number=number(handler_input, "count"),
        order=order,
        time=time if isinstance(time, str) and len(time) <= 16 else None,
        symptom=_class_id(handler_input, "symptom"),
        place=_class_id(handler_input, "place"),
        thing=_class_id(handler_input, "thing"),
    )


def _class_id(handler_input: HandlerInput, name: str) -> str | None:
    """A resolved value id; "unknown" when words were heard that match none; None when
    the sample had no such slot. What was heard is never kept."""
    resolved, heard_words = resolved_id(handler_input, name)
    if resolved is not None:
        return resolved if len(resolved) <= 32 else UNKNOWN
    return UNKNOWN if heard_words else None
