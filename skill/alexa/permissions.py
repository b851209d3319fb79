"""Asking for the reminders permission by voice, and reading the answer.

Alexa asks the person itself when the skill answers with a `Connections.SendRequest`
directive named `AskFor`; the skill hears back in a `Connections.Response` request
(`payload.status`: ACCEPTED, DENIED or NOT_ANSWERED) carrying the directive's token
unchanged. That answer may arrive in a new session, so the token carries what to do
next: "reminder@HH:MM", the reminder the person asked for.

When the permission is refused, the Alexa app gets an `AskForPermissionsConsent`
card, the usual way back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput
from msgspec import Struct

if TYPE_CHECKING:  # imported where used: most requests only ask reminders_granted()
    from ask_sdk_model.interfaces.connections.send_request_directive import (
        SendRequestDirective,
    )
    from ask_sdk_model.ui.ask_for_permissions_consent_card import AskForPermissionsConsentCard

    from skill.reminders.spoken_time import LocalTime

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
ASK_FOR = "AskFor"
ACCEPTED, DENIED, NOT_ANSWERED = "ACCEPTED", "DENIED", "NOT_ANSWERED"
_TOKEN_PREFIX = "reminder@"


def reminders_granted(handler_input: HandlerInput) -> bool:
    """Whether the request says the person granted reminders (scope status, else the
    presence of a consent token, which older requests carry instead)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    permissions = getattr(getattr(system, "user", None), "permissions", None)
    if permissions is None:
        return False
    scope = (getattr(permissions, "scopes", None) or {}).get(REMINDERS_SCOPE)
    status = getattr(getattr(scope, "status", None), "value", None)
    if status is not None:
        return bool(status == "GRANTED")
    return bool(getattr(permissions, "consent_token", None))


def ask_for_reminders(at: LocalTime) -> SendRequestDirective:
    """The AskFor directive; its token brings the chosen time back with the answer."""
    from ask_sdk_model.interfaces.connections.send_request_directive import (
        SendRequestDirective,
    )

    return SendRequestDirective(
        name=ASK_FOR,
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=_TOKEN_PREFIX + at.hhmm,
    )


def consent_card() -> AskForPermissionsConsentCard:
    from ask_sdk_model.ui.ask_for_permissions_consent_card import AskForPermissionsConsentCard

    return AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE])


class PermissionAnswer(Struct, frozen=True):
    status: str  # ACCEPTED, DENIED or NOT_ANSWERED (anything unknown counts as not answered)
    at: LocalTime | None  # the reminder time the question was asked for


def permission_answer(handler_input: HandlerInput) -> PermissionAnswer | None:
    """The person's answer to our AskFor, or None when the request is something else."""
    from ask_sdk_model.interfaces.connections.connections_response import ConnectionsResponse

    from skill.reminders.spoken_time import LocalTime

    request = handler_input.request_envelope.request
    if not isinstance(request, ConnectionsResponse) or request.name != ASK_FOR:
        return None
    payload = request.payload if isinstance(request.payload, dict) else {}
    status = str(payload.get("status") or NOT_ANSWERED).upper()
    if status not in (ACCEPTED, DENIED):
        status = NOT_ANSWERED
    token = request.token or ""
    at = None
    if token.startswith(_TOKEN_PREFIX):
        try:
            at = LocalTime.from_hhmm(token[len(_TOKEN_PREFIX) :])
        except ValueError:
            at = None
    return PermissionAnswer(status, at)
