"""Request envelopes for a shared home: a recognised speaker, the reminders permission
in the request, and Alexa's answer to an AskFor permission request.

Extends skill.alexa.envelopes.Conversation with what Alexa adds to the same format.
"""

from __future__ import annotations

from typing import Any

from skill.alexa.envelopes import Conversation
from skill.alexa.permissions import REMINDERS_SCOPE


class HouseholdConversation(Conversation):  # a msgspec Struct, as Conversation is
    person_id: str | None = None  # a recognised voice (context.System.person)
    reminders_granted: bool = False  # the reminders permission, as the request shows it

    def _context(self) -> dict[str, Any]:
        context = super()._context()
        system = context["System"]
        if self.person_id:
            system["person"] = {"personId": self.person_id, "accessToken": "person-token"}
        if self.reminders_granted:
            system["user"]["permissions"] = {
                "consentToken": "consent-token",
                "scopes": {REMINDERS_SCOPE: {"status": "GRANTED"}},
            }
        return context

    def time_intent(self, name: str, value: str | None) -> dict[str, Any]:
        """An intent with an AMAZON.TIME slot, as Alexa fills it ("09:00", "EV", ...)."""
        envelope = self.intent(name)
        slot: dict[str, Any] = {"name": "time", "confirmationStatus": "NONE"}
        if value is not None:
            slot |= {"value": value, "source": "USER"}
        envelope["request"]["intent"]["slots"] = {"time": slot}
        return envelope

    def permission_answer(self, status: str, token: str) -> dict[str, Any]:
        """Alexa's Connections.Response to our AskFor (Alexa ran the question itself)."""
        request = {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"status": status, "permissionScope": REMINDERS_SCOPE},
            "token": token,
        }
        return self._envelope(request)
