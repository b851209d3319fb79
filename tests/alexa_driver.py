"""Drive the real Lambda entry the way Alexa does, and check every response.

`Driver` sends real request envelopes (from skill.alexa.envelopes) to
`lambda/lambda_function.handler`, carries the session between turns, and
checks each response against Alexa's rules before a test sees it.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.alexa.envelopes import Conversation
from skill.speech import ssml

ROOT = Path(__file__).resolve().parents[1]
MAX_RESPONSE_BYTES = 24 * 1024


def lambda_handler() -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """`lambda_function.handler`, loaded from lambda/ (a keyword, so not importable)."""
    spec = importlib.util.spec_from_file_location(
        "lambda_function", ROOT / "lambda" / "lambda_function.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


@dataclass
class Answer:
    envelope: dict[str, Any]

    @property
    def body(self) -> dict[str, Any]:
        return self.envelope.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.body.get("outputSpeech") or {}).get("ssml", "")

    @property
    def text(self) -> str:
        return ssml.to_text(self.ssml)

    @property
    def reprompt(self) -> str:
        reprompt = (self.body.get("reprompt") or {}).get("outputSpeech") or {}
        return ssml.to_text(reprompt.get("ssml", ""))

    @property
    def ends(self) -> bool:
        return self.body.get("shouldEndSession") is not False

    @property
    def attributes(self) -> dict[str, Any]:
        return self.envelope.get("sessionAttributes") or {}


def check_response(request: dict[str, Any], envelope: dict[str, Any]) -> None:
    """Alexa's rules for one response (docs/platform.md)."""
    assert len(json.dumps(envelope).encode()) <= MAX_RESPONSE_BYTES
    body = envelope.get("response") or {}
    kind = request["request"]["type"]
    if kind == "SessionEndedRequest" or kind.startswith("AlexaSkillEvent."):
        assert "outputSpeech" not in body and "reprompt" not in body, body
        return
    speech = body.get("outputSpeech")
    assert speech and speech["type"] == "SSML", body
    assert ssml.problems(speech["ssml"]) == [], speech["ssml"]
    if body.get("shouldEndSession") is False:
        reprompt = (body.get("reprompt") or {}).get("outputSpeech")
        assert reprompt, "a response that keeps the session open needs a reprompt"
        assert ssml.problems(reprompt["ssml"]) == [], reprompt["ssml"]
        assert ssml.to_text(reprompt["ssml"]), "an empty reprompt"
    else:
        assert "reprompt" not in body, "no reprompt when the session ends"


class Driver:
    """One person talking to the skill through the Lambda entry."""

    def __init__(self, conversation: Conversation | None = None, handler: Any = None) -> None:
        self.talk = conversation or Conversation()
        self.handler = handler or lambda_handler()
        self.history: list[Answer] = []

    def send(self, request: dict[str, Any]) -> Answer:
        envelope = self.handler(request, None)
        check_response(request, envelope)
        if request["request"]["type"] not in ("SessionEndedRequest",) and "session" in request:
            self.talk.receive(envelope)
        answer = Answer(envelope)
        self.history.append(answer)
        return answer

    def launch(self) -> Answer:
        return self.send(self.talk.launch())

    def say(self, intent: str, **slots: tuple[str, str | None]) -> Answer:
        if not intent.startswith("AMAZON.") and not intent.endswith("Intent"):
            intent = f"AMAZON.{intent}Intent"
        return self.send(self.talk.intent(intent, slots or None))

    def end(self, reason: str = "EXCEEDED_MAX_REPROMPTS") -> Answer:
        return self.send(self.talk.session_ended(reason))

    def next_until_end(self, limit: int = 40) -> Answer:
        """Next until the session ends, or the routine's end offers a daily reminder."""
        answer = self.say("Next")
        for _ in range(limit):
            if answer.ends or answer.attributes.get("phase") == "offer_reminder":
                return answer
            answer = self.say("Next")
        raise AssertionError("the routine never ended")
