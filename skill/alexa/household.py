"""For one request: who is speaking, whether reminders are allowed, and Alexa's
Reminders API through the request's own endpoint and token (a Turn's Household)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa import context, permissions
from skill.conversation.turn import Household

if TYPE_CHECKING:
    from skill.alexa.reminders import ReminderService


def household_of(handler_input: HandlerInput) -> Household:
    return Household(
        person_id=context.person_id(handler_input),
        reminders_granted=permissions.reminders_granted(handler_input),
        reminders=lambda: reminder_service(handler_input),
        timestamp=context.timestamp(handler_input),
    )


def reminder_service(handler_input: HandlerInput) -> ReminderService:
    """The Reminders API client, imported on first use: it brings ask-sdk-model's
    reminder management models (~5 ms), which only a reminder conversation needs."""
    from skill.alexa.reminders import ReminderService

    return ReminderService.of(handler_input)
