"""The Alexa side of the reminder: the handler for Alexa's answer to our permission
request. What the answer carries (the AskFor directive, a card) travels on the Reply
and respond() adds it; household.py gives the Turn the rest.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.alexa import permissions
from skill.alexa.interceptors import respond, turn_of
from skill.conversation import dialogue


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's Connections.Response to our AskFor: accepted, denied or not answered."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_request_type("Connections.Response")(handler_input)
            and permissions.permission_answer(handler_input) is not None
            and turn_of(handler_input) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        found = permissions.permission_answer(handler_input)
        assert turn is not None and found is not None  # can_handle checked both
        reply = dialogue.permission_answered(turn, found.status, found.at)
        return respond(handler_input, reply, turn)
