"""Builds the one skill object every host shares (Lambda, Flask, console, tests).

TEMPORARY SKELETON: the voice issue replaces the handlers. The public surface
stays: `handle(event, context) -> dict`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response


class _AnyRequest(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello.").ask("Say next.").response


@lru_cache(maxsize=1)
def get_skill() -> CustomSkill:
    builder = CustomSkillBuilder(api_client=DefaultApiClient())
    builder.add_request_handler(_AnyRequest())
    return builder.create()


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict)."""
    skill = get_skill()
    serializer = skill.serializer
    envelope = serializer.deserialize(payload=_dumps(event), obj_type="ask_sdk_model.RequestEnvelope")
    response = skill.invoke(request_envelope=envelope, context=context)
    return serializer.serialize(response)


def _dumps(event: dict[str, Any]) -> str:
    import json

    return json.dumps(event)
