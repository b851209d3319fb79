"""The Alexa side of the screens: a touch answered like the word it stands for, and
the screen added to a response for devices that can show it (skill/screens/)."""

from __future__ import annotations

import json
import logging

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.interfaces.alexa.presentation.apl.user_event import UserEvent
from ask_sdk_model.response import Response

from skill.alexa.interceptors import replied, respond, turn_of
from skill.conversation import dialogue
from skill.screens import device, documents
from skill.screens.choose import screen_for
from skill.screens.touch import intent_for

log = logging.getLogger("skill")

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's cap on a whole response envelope
HEADROOM = 1024  # the envelope around the response: version, session attributes' keys


class TouchHandler(AbstractRequestHandler):
    """A button on a screen: the same dialogue, saving and words as saying it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(USER_EVENT)(handler_input) and turn_of(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        assert turn is not None  # can_handle checked it
        request = handler_input.request_envelope.request
        arguments = request.arguments if isinstance(request, UserEvent) else None
        reply = dialogue.hear(turn, intent_for(arguments))
        return respond(handler_input, reply, turn)


class AddScreen(AbstractResponseInterceptor):
    """The screen for the reply, when the device shows APL and the answer stays within
    Alexa's size limit with it (the words matter more than the screen)."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn, reply = turn_of(handler_input), replied(handler_input)
        if turn is None or reply is None or response is None:
            return
        envelope = handler_input.request_envelope
        try:
            screen = screen_for(turn, reply)
            if screen is None or not device.shows(envelope, documents.version(screen.document)):
                return
            directive = screen.directive()
        except Exception as error:  # a screen we cannot build never costs the spoken answer
            log.error("screen left out: %r", error)
            return
        serializer = DefaultSerializer()
        size = len(json.dumps(serializer.serialize(directive)).encode())
        size += len(json.dumps(serializer.serialize(response)).encode())
        size += len(json.dumps(handler_input.attributes_manager.session_attributes).encode())
        if size > MAX_RESPONSE_BYTES - HEADROOM:
            log.warning("screen %s left out: the answer would be %d bytes", screen.document, size)
            return
        response.directives = [*(response.directives or []), directive]
