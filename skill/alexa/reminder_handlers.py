"""The Alexa side of the reminder and the weekly card: the handler for Alexa's answer
to our permission request, and the response interceptor that adds what the actions
asked for (the AskFor directive, a card). household.py gives the Dialogue the rest.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.alexa import permissions
from skill.alexa.interceptors import dialogue_of, respond

_dialogue = dialogue_of


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's Connections.Response to our AskFor: accepted, denied or not answered."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_request_type("Connections.Response")(handler_input)
            and permissions.permission_answer(handler_input) is not None
            and _dialogue(handler_input) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        dialogue = _dialogue(handler_input)
        found = permissions.permission_answer(handler_input)
        assert dialogue is not None and found is not None  # can_handle checked both
        reply = dialogue.permission_answered(found.status, found.at)
        return respond(handler_input, reply, dialogue)


class AddDirectivesAndCards(AbstractResponseInterceptor):
    """What the actions asked the response to carry besides words: the AskFor
    directive, the permissions card, or the weekly summary card (one card at most)."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        dialogue = _dialogue(handler_input)
        if dialogue is None or response is None:
            return
        household = dialogue.household
        if household.ask_permission_for is not None:
            directive = permissions.ask_for_reminders(household.ask_permission_for)
            response.directives = [*(response.directives or []), directive]
        if household.consent_card:
            response.card = permissions.consent_card()
        elif household.card is not None:
            from ask_sdk_model.ui.simple_card import SimpleCard

            response.card = SimpleCard(title=household.card.title, content=household.card.text)
