"""Typed words -> what Alexa would send: a launch, or an intent with resolved slots.

Matching uses the interaction model's own samples and slot values (from the
intents spec), plus the common phrases Amazon's built-in intents already
understand, so the console hears what a device would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from skill.alexa.intents import Spec, load_spec

# What Amazon's built-in intents understand without our samples (a common subset).
BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.NextIntent": ("next", "next one", "continue", "go ahead", "move on"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "last one", "previous one"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again"),
    "AMAZON.PauseIntent": ("pause",),
    "AMAZON.ResumeIntent": ("resume", "unpause"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "sure", "okay", "ok", "yes please", "let's do it"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "not now"),
    "AMAZON.HelpIntent": ("help", "help me"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "goodbye", "bye", "shut up"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
}


_HALVES = {"in the morning": 0, "a m": 0, "am": 0, "in the afternoon": 12,
           "in the evening": 12, "at night": 12, "p m": 12, "pm": 12}  # fmt: skip
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_MINUTES = {"o'clock": 0, "oclock": 0, "thirty": 30, "fifteen": 15, "forty five": 45}


def spoken_time(words: str) -> str | None:
    """What Alexa's AMAZON.TIME sends for a spoken time: "HH:MM" ("nine" and "nine in
    the morning" are both 09:00, "nine in the evening" 21:00), or MO/AF/EV/NI for a
    part of the day; None when the words are not a time."""
    words = re.sub(r"^(?:at|about|around) ", "", words).strip()
    if words in _PARTS or words.removeprefix("in the ") in _PARTS:
        return _PARTS.get(words) or _PARTS[words.removeprefix("in the ")]
    if words in ("noon", "midday", "twelve noon"):
        return "12:00"
    offset: int | None = None  # None: no half of the day said (Alexa keeps the hour)
    for half, hours in _HALVES.items():
        if words.endswith(" " + half):
            words, offset = words[: -len(half) - 1], hours
            break
    minute = 0
    for lead, value in (("half past ", 30), ("quarter past ", 15), ("quarter to ", -15)):
        if words.startswith(lead):
            words, minute = words[len(lead) :], value
            break
    hour_word, _, rest = words.partition(" ")
    hour = NUMBER_WORDS.get(hour_word)
    if hour is None or not 1 <= hour <= 12:
        return None
    if rest:
        if rest not in _MINUTES or minute:
            return None
        minute = _MINUTES[rest]
    if minute < 0:
        hour, minute = hour - 1 or 12, 45
    if offset is not None:
        hour = hour % 12 + offset
    return f"{hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class Heard:
    kind: str  # "launch", "intent"
    intent: str | None = None
    slots: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    one_shot: bool = False  # "ask my foot routine ...": a new session straight to the intent


FILLERS = re.compile(r"^(?:(?:um+|uh+|er+|hm+|erm|oh|well|so|okay alexa|alexa) )+")
# Said around a request without changing it. Alexa's language model shrugs these off;
# the console tries the words without them when the whole line matches nothing.
SOFT_START = re.compile(
    r"^(?:(?:oh dear|oh|ah|ooh|well|right|okay|ok|now|look|sorry|excuse me|hmm|yes|yeah|no|"
    r"alexa|love|dear|um+|er+|erm) )+"
)
SOFT_END = re.compile(
    r"(?: (?:please|thanks|thank you|love|dear|now|then|a bit|alexa|today|for today|"
    r"for now|at the moment|actually|really|you know|to be honest|still))+$"
)
# "knee's", "foot's" said for "knee is" (not "it's", "that's", "let's": samples have those).
IS_CONTRACTED = re.compile(r"\b(?!(?:it|that|there|what|let|he|she|who|where)'s)(\w+)'s\b")
# Said around a slot's value ("ever so cold", "numb again"): the console looks past them.
SLOT_FILLERS = re.compile(r"^(?:(?:ever so|really|very|so|a bit|all|still|quite|a little) )+")
SLOT_TAIL = re.compile(r"(?: (?:again|you know|this morning|today|love|dear|a bit|up|now))+$")
# Safety words matter most when misheard: Alexa generalises from the many SafetyIntent
# samples; the console approximates that for these words only.
EMERGENCY_WORDS = re.compile(
    r"\b(?:fell|fallen|fall over|chest|breath|breathe|breathing|ambulance|emergency|"
    r"floor|can't get up|heart attack|stroke|tumble|bleeding|slipped|breathless|"
    r"had a (?:bit of a |little )?fall)\b"
)
FAINT_WORDS = re.compile(
    r"\b(?:dizzy|faint|light headed|unsteady|wobbly|balance|sick|unwell|woozy|giddy|"
    r"pass out|passing out|going round|spinning|shaky|hypo|funny turn|blacking out)\b"
)
PAIN_WORDS = re.compile(
    r"\b(?:hurts?|hurting|pain|painful|sore|ouch|ow|twisted|swollen|swelling|aching|aches)\b"
)
# The sensations neuropathy brings every day, and cramp: SymptomIntent, by class.
SYMPTOM_WORDS = (
    (re.compile(r"\b(?:cramp\w*|charley horse|spasms?)\b"), "cramp"),
    (re.compile(r"\bnumb\w*"), "baseline_numb"),
    (re.compile(r"\b(?:tingl\w*|pins and needles)"), "baseline_tingling"),
)
_COUNTS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: value for value, word in enumerate(_COUNTS.split(" "))} | {
    "thirty": 30,
    "twenty five": 25,
    "a dozen": 12,
    "a couple": 2,
    "a few": 3,
}


# Typed words are often spelled out where speech (and Alexa's transcript) contracts them.
CONTRACTIONS = {
    "i am": "i'm",
    "i have": "i've",
    "i will": "i'll",
    "i would": "i'd",
    "let us": "let's",
    "it is": "it's",
    "that is": "that's",
    "do not": "don't",
    "can not": "can't",
    "cannot": "can't",
    "they are": "they're",
    "you are": "you're",
}
# ...and typed without their apostrophe.
CONTRACTIONS |= {
    "lets": "let's",
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "cant": "can't",
    "thats": "that's",
    "whats": "what's",
    "didnt": "didn't",
    "theyre": "they're",
    "youre": "you're",
    "ill": "i'll",
}
_CONTRACTABLE = re.compile(r"\b(" + "|".join(CONTRACTIONS) + r")\b")


def normalise(text: str) -> str:
    """Lower case, letters, apostrophes and single spaces, common words contracted as
    speech has them; leading fillers dropped. Samples pass through it too."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _CONTRACTABLE.sub(lambda found: CONTRACTIONS[found.group(1)], text)
    return FILLERS.sub("", text + " ").strip() if FILLERS.match(text + " ") else text


_DIGIT_WORDS = {"oh": "0", "o": "0", "zero": "0", "nought": "0"} | {
    word: str(value) for word, value in NUMBER_WORDS.items() if 0 <= value <= 9
}


def spoken_digits(words: str) -> str | None:
    """Digits typed, or said one at a time ("one two three ..."), as AMAZON.NUMBER sends."""
    if words.replace(" ", "").isdigit():
        return words.replace(" ", "")
    digits = [_DIGIT_WORDS.get(word) for word in words.split()]
    return "".join(d for d in digits if d) if digits and all(digits) else None


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
        self.slot_types = {
            name: kind for intent in spec.intents for name, kind in intent.slots.items()
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

    def resolve(self, heard: str, slot: str = "exercise") -> str | None:
        """The value id a slot's words resolve to (a number's digits), or None."""
        words = normalise(heard)
        kind = self.slot_types.get(slot, "")
        if kind == "AMAZON.TIME":
            return spoken_time(words)
        if kind == "AMAZON.NUMBER":
            number = NUMBER_WORDS.get(words)
            return str(number) if number is not None else spoken_digits(words)
        if kind in ("AMAZON.SearchQuery", "AMAZON.FirstName"):
            return heard.strip() or None  # free words, as Alexa would send them
        values = {
            normalise(name): value_id
            for value_id, names in self.spec.slot_values(kind).items()
            for name in names
        }
        bare = SLOT_FILLERS.sub("", words)
        for trimmed in (words, bare, SLOT_TAIL.sub("", words), SLOT_TAIL.sub("", bare)):
            found = (
                values.get(trimmed)
                or values.get(re.sub(r"^the ", "", trimmed))
                or values.get(f"the {trimmed}")
            )
            if found:
                return found
        return None

    def match(self, text: str) -> Heard:
        words = normalise(text)
        if self.launch.fullmatch(words):
            return Heard("launch")
        one_shot = self.one_shot.fullmatch(words)
        if one_shot:
            heard = self.understand(one_shot.group(1))
            return Heard("intent", heard.intent, heard.slots, one_shot=True)
        return self.understand(words)

    def understand(self, words: str) -> Heard:
        """The whole line; else without soft words around it; else the safety net. A match
        whose slot resolves nothing is kept only when nothing better is found."""
        without_start = SOFT_START.sub("", words + " ").strip()
        unresolved: Heard | None = None
        for softened in (
            words,
            without_start,
            SOFT_END.sub("", words),
            SOFT_END.sub("", without_start),
            IS_CONTRACTED.sub(r"\1 is", words),  # "my knee's killing me"
        ):
            if not softened or (softened == words and unresolved is not None):
                continue
            heard = self.match_intent(softened)
            if heard.intent == "AMAZON.FallbackIntent":
                continue
            if all(value is not None for _, value in heard.slots.values()):
                return heard
            unresolved = unresolved or heard
        net = self.safety_net(words)
        return net or unresolved or Heard("intent", "AMAZON.FallbackIntent")

    def safety_net(self, words: str) -> Heard | None:
        """Safety words matter most when misheard (Alexa generalises from the samples)."""
        if EMERGENCY_WORDS.search(words):
            return Heard("intent", "EmergencyIntent")
        if FAINT_WORDS.search(words):
            return Heard("intent", "SafetyIntent")
        if PAIN_WORDS.search(words):
            return Heard("intent", "PainIntent")
        for pattern, symptom in SYMPTOM_WORDS:
            found = pattern.search(words)
            if found:
                return Heard("intent", "SymptomIntent", {"symptom": (found.group(0), symptom)})
        return None

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
                name: (found.group(name), self.resolve(found.group(name), name))
                for name in pattern.slots
            }
            if all(resolved for _, resolved in slots.values()):
                return Heard("intent", pattern.intent, slots)
            # Amazon's typed slots (a time, a number) only ever hold their kind of value.
            if any(
                self.slot_types.get(name, "").startswith("AMAZON.") and not resolved
                for name, (_, resolved) in slots.items()
            ):
                continue
            # A bare "{exercise}" sample would swallow every unknown phrase: not that one.
            if unresolved is None and pattern.regex.pattern != f"(?P<{pattern.slots[0]}>.+?)":
                unresolved = Heard("intent", pattern.intent, slots)
        return unresolved or Heard("intent", "AMAZON.FallbackIntent")


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    return Matcher(load_spec())


__all__ = ["BUILT_IN_PHRASES", "Heard", "Matcher", "matcher", "normalise"]
