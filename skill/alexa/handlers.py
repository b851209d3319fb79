"""Thin request handlers: each reads the request, calls one Turn method, answers.

The session work (reading the store once, the time zone, saving once per turn,
turning a Reply into a response) lives in interceptors.py and respond().
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa import context
from skill.alexa.interceptors import TURN, respond
from skill.conversation.turn import Reply, Turn
from skill.speech import ssml
from skill.speech.copy import copy_for
from skill.speech.script import Say

log = logging.getLogger("skill")

TurnMethod = Callable[[Turn], Reply]
SlotMethod = Callable[[Turn, str | None, str | None], Reply]


class IntentHandler(AbstractRequestHandler):
    """Answers one intent with one Turn method."""

    def __init__(self, intent: str, method: TurnMethod) -> None:
        self.intent, self.method = intent, method

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def answer(self, turn: Turn, handler_input: HandlerInput) -> Reply:
        return self.method(turn)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn: Turn = handler_input.attributes_manager.request_attributes[TURN]
        return respond(handler_input, turn, self.answer(turn, handler_input))


class ExerciseSlotHandler(IntentHandler):
    """An intent with an EXERCISE slot: the method gets the resolved id and what was heard."""

    def __init__(self, intent: str, method: SlotMethod) -> None:
        super().__init__(intent, lambda turn: turn.fallback())
        self.slot_method = method

    def answer(self, turn: Turn, handler_input: HandlerInput) -> Reply:
        exercise_id, heard = context.resolved_id(handler_input, "exercise")
        return self.slot_method(turn, exercise_id, heard)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn: Turn = handler_input.attributes_manager.request_attributes[TURN]
        return respond(handler_input, turn, turn.launch())


class SessionEndedHandler(AbstractRequestHandler):
    """Saves the place quietly; Alexa allows no speech here."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn: Turn | None = handler_input.attributes_manager.request_attributes.get(TURN)
        if turn is not None:
            respond(handler_input, turn, turn.session_ended())
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: forget everything stored about them."""

    def __init__(self, delete_user: Callable[[str], None]) -> None:
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
        turn: Turn | None = handler_input.attributes_manager.request_attributes.get(TURN)
        if is_request_type("IntentRequest")(handler_input) and turn is not None:
            log.info("unknown intent %s", context.intent_name(handler_input))
            return respond(handler_input, turn, turn.fallback())
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
        if context.request_type(handler_input) == "SessionEndedRequest":
            return handler_input.response_builder.response
        copy = copy_for(context.locale(handler_input))
        sorry = [Say(copy.say("errors.general")), Say(copy.say("asks.routine"))]
        builder = handler_input.response_builder
        builder.speak(ssml.speak(ssml.fragment(sorry)))
        builder.ask(ssml.speak(ssml.fragment([Say(copy.say("asks.routine"))])))
        return builder.response


# intent name -> Turn method; the interaction model and this table must agree (tested).
INTENT_METHODS: dict[str, TurnMethod] = {
    "StartRoutineIntent": lambda turn: turn.start_routine(),
    "ProgressIntent": lambda turn: turn.progress(),
    "ListExercisesIntent": lambda turn: turn.list_exercises(),
    "SlowerIntent": lambda turn: turn.slower(),
    "FasterIntent": lambda turn: turn.faster(),
    "SkipIntent": lambda turn: turn.skip(),
    "WarmUpIntent": lambda turn: turn.warm_up(),
    "HarderIntent": lambda turn: turn.harder(),
    "AMAZON.NextIntent": lambda turn: turn.next(),
    "AMAZON.PreviousIntent": lambda turn: turn.previous(),
    "AMAZON.RepeatIntent": lambda turn: turn.repeat(),
    "AMAZON.StartOverIntent": lambda turn: turn.start_over(),
    "AMAZON.PauseIntent": lambda turn: turn.pause(),
    "AMAZON.ResumeIntent": lambda turn: turn.resume(),
    "AMAZON.YesIntent": lambda turn: turn.yes(),
    "AMAZON.NoIntent": lambda turn: turn.no(),
    "AMAZON.HelpIntent": lambda turn: turn.help(),
    "AMAZON.StopIntent": lambda turn: turn.stop(),
    "AMAZON.CancelIntent": lambda turn: turn.stop(),
    "AMAZON.NavigateHomeIntent": lambda turn: turn.stop(),
    "AMAZON.FallbackIntent": lambda turn: turn.fallback(),
}
SLOT_INTENT_METHODS: dict[str, SlotMethod] = {
    "StartExerciseIntent": lambda turn, exercise, heard: turn.start_exercise(exercise, heard),
    "HowToIntent": lambda turn, exercise, heard: turn.how_to(exercise, heard),
}


def handled_intents() -> frozenset[str]:
    return frozenset(INTENT_METHODS) | frozenset(SLOT_INTENT_METHODS)
