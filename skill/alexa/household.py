"""For one request: who is speaking, whether reminders are allowed, and Alexa's
Reminders API through the request's own endpoint and token (a Turn's Household)."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa import context, permissions
from skill.alexa.reminders import ReminderService
from skill.conversation.turn import Household


def household_of(handler_input: HandlerInput) -> Household:
    return Household(
        person_id=context.person_id(handler_input),
        reminders_granted=permissions.reminders_granted(handler_input),
        reminders=lambda: ReminderService.of(handler_input),
        timestamp=context.timestamp(handler_input),
    )
