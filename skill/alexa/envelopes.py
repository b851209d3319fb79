"""Alexa request envelopes in the real format, built fresh for each call.

Used by the local console and the tests to talk to the skill exactly as Alexa
does (a session id and attributes carried between turns, a user and a device,
an API endpoint and token for the Settings API), and by the Lambda init
(lifecycle.py) to warm the request models before a snapshot.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from msgspec import Struct, field

from skill.progress import bounds
from skill.speech.copy import DEFAULT_LOCALE

_counter = itertools.count(1)
DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def _now() -> str:
    return bounds.server_now().strftime("%Y-%m-%dT%H:%M:%SZ")


class Conversation(Struct):
    """One person talking to the skill: the session Alexa would keep for them."""

    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    device_id: str = field(default_factory=lambda: f"amzn1.ask.device.{uuid.uuid4().hex}")
    locale: str = DEFAULT_LOCALE
    skill_id: str = DEFAULT_SKILL_ID
    api_endpoint: str = "https://api.amazonalexa.com"
    api_token: str = "console-token"
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    timestamp: str | None = None  # fixed request time (ISO, Z); None: now
    viewport: dict[str, Any] | None = None  # a screen's Viewport (APL device); None: voice only
    apl_version: str = "2024.2"  # the screen device's APL runtime

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def _session(self) -> dict[str, Any]:
        new = self.session_id is None
        if new:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self.attributes = {}
        session: dict[str, Any] = {
            "new": new,
            "sessionId": self.session_id,
            "application": {"applicationId": self.skill_id},
            "user": {"userId": self.user_id},
        }
        if not new:
            session["attributes"] = dict(self.attributes)
        return session

    def _context(self) -> dict[str, Any]:
        interfaces: dict[str, Any] = {}
        context: dict[str, Any] = {
            "System": {
                "application": {"applicationId": self.skill_id},
                "user": {"userId": self.user_id},
                "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
                "apiEndpoint": self.api_endpoint,
                "apiAccessToken": self.api_token,
            }
        }
        if self.viewport is not None:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": self.apl_version}}
            context["Viewport"] = dict(self.viewport)
            context["Viewports"] = [_apl_viewport(self.viewport)]
        return context

    def _envelope(self, request: dict[str, Any], with_session: bool = True) -> dict[str, Any]:
        request = {
            "requestId": f"amzn1.echo-api.request.{next(_counter)}-{uuid.uuid4().hex[:8]}",
            "timestamp": self.timestamp or _now(),
            "locale": self.locale,
            **request,
        }
        envelope: dict[str, Any] = {
            "version": "1.0",
            "context": self._context(),
            "request": request,
        }
        if with_session:
            envelope["session"] = self._session()
        return envelope

    def launch(self) -> dict[str, Any]:
        self.end()
        return self._envelope({"type": "LaunchRequest"})

    def intent(
        self, name: str, slots: dict[str, tuple[str, str | None]] | None = None
    ) -> dict[str, Any]:
        """An IntentRequest; slots map a name to (what was heard, resolved id or None)."""
        intent: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
        if slots:
            intent["slots"] = {
                slot_name: _slot(slot_name, heard, resolved)
                for slot_name, (heard, resolved) in slots.items()
            }
        return self._envelope(
            {"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent}
        )

    def touch(self, arguments: list[Any], token: str = "") -> dict[str, Any]:
        """A touch on a screen: the SendEvent's arguments, as Alexa sends them."""
        request = {
            "type": "Alexa.Presentation.APL.UserEvent",
            "token": token,
            "arguments": arguments,
            "source": {"type": "TouchWrapper", "handler": "Press", "id": "", "value": False},
            "components": {},
        }
        return self._envelope(request)

    def session_ended(self, reason: str = "USER_INITIATED") -> dict[str, Any]:
        envelope = self._envelope({"type": "SessionEndedRequest", "reason": reason})
        self.end()
        return envelope

    def skill_disabled(self) -> dict[str, Any]:
        request = {
            "type": "AlexaSkillEvent.SkillDisabled",
            "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
        }
        envelope = self._envelope(request, with_session=False)
        return envelope

    def receive(self, response: dict[str, Any]) -> None:
        """Carry the session on as Alexa does: keep attributes, or end the session."""
        body = response.get("response") or {}
        if body.get("shouldEndSession") is not False:
            self.end()
            return
        self.attributes = dict(response.get("sessionAttributes") or {})

    def end(self) -> None:
        self.session_id = None
        self.attributes = {}


def _apl_viewport(viewport: dict[str, Any]) -> dict[str, Any]:
    """The context's Viewports entry Alexa sends beside a Viewport."""
    return {
        "type": "APL",
        "id": "main",
        "shape": viewport.get("shape"),
        "dpi": viewport.get("dpi"),
        "presentationType": "STANDARD",
        "canRotate": False,
        "configuration": {
            "current": {
                "mode": viewport.get("mode"),
                "video": viewport.get("video", {"codecs": []}),
                "size": {
                    "type": "DISCRETE",
                    "pixelWidth": viewport.get("pixelWidth"),
                    "pixelHeight": viewport.get("pixelHeight"),
                },
            }
        },
    }


def _slot(name: str, heard: str, resolved: str | None) -> dict[str, Any]:
    if name in ("count", "time", "code", "name", "message"):
        # Amazon's own types (NUMBER, TIME, FirstName, SearchQuery): the value as sent
        return {"name": name, "value": resolved or heard, "confirmationStatus": "NONE"}
    slot_type = "EXERCISE" if name == "exercise" else name.upper()
    authority = f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.{slot_type}"
    resolution: dict[str, Any]
    if resolved is None:
        resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
    else:
        resolution = {
            "authority": authority,
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": heard, "id": resolved}}],
        }
    return {
        "name": name,
        "value": heard,
        "confirmationStatus": "NONE",
        "source": "USER",
        "resolutions": {"resolutionsPerAuthority": [resolution]},
    }
