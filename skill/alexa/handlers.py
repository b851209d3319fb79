"""Thin request handlers: each reads the request, asks the dialogue, answers.

The session work (reading the store once, the time zone, saving once per turn,
turning a Reply into a response) lives in interceptors.py and respond().
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.alexa import context
from skill.alexa.apology import apology_words
from skill.alexa.interceptors import respond, turn_for, turn_of
from skill.conversation import dialogue, table
from skill.speech import ssml

log = logging.getLogger("skill")


class DialogueHandler(AbstractRequestHandler):
    """Every intent of the dialogue table: the table says what it does in each phase."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (context.intent_name(handler_input) or "") in table.INTENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_for(handler_input)
        intent = context.intent_name(handler_input) or table.FALLBACK
        reply = dialogue.hear(turn, intent, context.heard(handler_input))
        return respond(handler_input, reply, turn)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_for(handler_input)
        return respond(handler_input, dialogue.launch(turn), turn)


class SessionEndedHandler(AbstractRequestHandler):
    """Saves the place quietly; Alexa allows no speech here."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        if turn is not None:
            respond(handler_input, dialogue.session_ended(turn), turn)
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: forget everything stored about them (erasure.erase:
    retried, else logged and left for later; never an error Alexa would not resend)."""

    def __init__(self, delete_user: Callable[[str], object]) -> None:
        self.delete_user = delete_user

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        user = context.user_id(handler_input)
        if user:
            self.delete_user(user)
        return handler_input.response_builder.response


class UnknownRequestHandler(AbstractRequestHandler):
    """Last in line: an intent we don't know gets fallback words; other request
    types (events, display callbacks) get an empty answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        if is_request_type("IntentRequest")(handler_input) and turn is not None:
            log.info("unknown intent %s", context.intent_name(handler_input))
            return respond(handler_input, dialogue.hear(turn, table.FALLBACK), turn)
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Anything that goes wrong becomes a short apology with the session open."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error(
            "request %s (%s %s) failed: %r",
            context.request_id(handler_input),
            context.request_type(handler_input),
            context.intent_name(handler_input) or "",
            exception,
            exc_info=exception,
        )
        if not context.may_speak(handler_input):
            return handler_input.response_builder.response
        sorry = apology_words(context.locale(handler_input))
        builder = handler_input.response_builder
        builder.speak(ssml.document(sorry))
        builder.ask(ssml.document(sorry[-1:]))
        return builder.response


def handled_intents() -> frozenset[str]:
    """Every intent some handler answers: the dialogue table's and care partners'."""
    from skill.sharing import talk

    return table.INTENTS | talk.INTENTS
