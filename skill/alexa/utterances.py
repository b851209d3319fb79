"""Typed words -> what Alexa would send: a launch, or an intent with resolved slots.

Matching uses the interaction model's own samples and slot values (from the
intents spec), plus the common phrases Amazon's built-in intents already
understand, so the console hears what a device would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from skill.alexa.intents import EXERCISE_SLOT_TYPE, Spec, load_spec

# What Amazon's built-in intents understand without our samples (a common subset).
BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.NextIntent": ("next", "next one", "continue", "go ahead", "move on"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "last one", "previous one"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say it again", "pardon"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again"),
    "AMAZON.PauseIntent": ("pause", "wait"),
    "AMAZON.ResumeIntent": ("resume", "unpause"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "sure", "okay", "ok", "yes please", "let's do it"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "not now"),
    "AMAZON.HelpIntent": ("help", "help me"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "goodbye", "bye", "shut up"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
}


@dataclass(frozen=True)
class Heard:
    kind: str  # "launch", "intent"
    intent: str | None = None
    slots: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    one_shot: bool = False  # "ask my foot routine ...": a new session straight to the intent


FILLERS = re.compile(r"^(?:(?:um+|uh+|er+|hm+|erm|oh|well|so|okay alexa|alexa) )+")


def normalise(text: str) -> str:
    """Lower case, letters, apostrophes and single spaces; leading fillers dropped."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return FILLERS.sub("", text + " ").strip() if FILLERS.match(text + " ") else text


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    slots: tuple[str, ...]


class Matcher:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        invocation = re.escape(spec.invocation)
        self.launch = re.compile(rf"(?:alexa )?(?:start|open|launch|begin|run) {invocation}")
        self.one_shot = re.compile(
            rf"(?:alexa )?(?:ask|tell) {invocation} (?:to |if |whether )?(.+)"
        )
        self.plain: list[_Pattern] = []
        self.slotted: list[_Pattern] = []
        for intent in spec.intents:
            phrases = [*intent.samples, *BUILT_IN_PHRASES.get(intent.name, ())]
            for phrase in phrases:
                pattern = self._compile(intent.name, phrase)
                (self.slotted if pattern.slots else self.plain).append(pattern)
        self.values = {
            normalise(name): exercise_id
            for exercise_id, names in spec.exercise_values.items()
            for name in names
        }

    @staticmethod
    def _compile(intent: str, sample: str) -> _Pattern:
        slots = tuple(re.findall(r"\{(\w+)\}", sample))
        pieces = []
        for part in re.split(r"(\{\w+\})", sample):
            if part.startswith("{"):
                pieces.append(f"(?P<{part[1:-1]}>.+?)")
            elif normalise(part):
                pieces.append(re.escape(normalise(part)))
        return _Pattern(intent, re.compile(" ".join(pieces)), slots)

    def resolve(self, heard: str) -> str | None:
        words = normalise(heard)
        return self.values.get(words) or self.values.get(re.sub(r"^the ", "", words))

    def match(self, text: str) -> Heard:
        words = normalise(text)
        if self.launch.fullmatch(words):
            return Heard("launch")
        one_shot = self.one_shot.fullmatch(words)
        if one_shot:
            heard = self.match_intent(one_shot.group(1))
            return Heard("intent", heard.intent, heard.slots, one_shot=True)
        return self.match_intent(words)

    def match_intent(self, words: str) -> Heard:
        for pattern in self.plain:
            if pattern.regex.fullmatch(words):
                return Heard("intent", pattern.intent)
        unresolved: Heard | None = None
        for pattern in self.slotted:
            found = pattern.regex.fullmatch(words)
            if not found:
                continue
            slots = {
                name: (found.group(name), self.resolve(found.group(name))) for name in pattern.slots
            }
            if all(resolved for _, resolved in slots.values()):
                return Heard("intent", pattern.intent, slots)
            # A bare "{exercise}" sample would swallow every unknown phrase: not that one.
            if unresolved is None and pattern.regex.pattern != f"(?P<{pattern.slots[0]}>.+?)":
                unresolved = Heard("intent", pattern.intent, slots)
        return unresolved or Heard("intent", "AMAZON.FallbackIntent")


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    return Matcher(load_spec())


__all__ = ["BUILT_IN_PHRASES", "EXERCISE_SLOT_TYPE", "Heard", "Matcher", "matcher", "normalise"]
