"""Typed words -> what Alexa would send: a launch, or an intent with resolved slots.

Matching uses the interaction model's own samples and slot values (from the intents spec
of the locale's language), plus what Amazon's built-in intents and slot types already
understand in that language (skill/dev/phrases/<language>.toml), so the console hears what
a device would. Accents are optional, as people type: samples and typed words are
compared without them.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from skill.alexa.intents import Spec, load_spec
from skill.speech.copy import LANGUAGES, SOURCE_LANGUAGE, copy_for

PHRASES_DIR = Path(__file__).resolve().parent / "phrases"


def _alternatives(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def plain(text: str) -> str:
    """Lower case without accents: "Sí, mañana" -> "si, manana"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(data: Mapping[str, Any], key: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternatives(data.get(key, [])) or '(?!)'})\b")


def _optional(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("(?:)", "(?!)"))


class TimeWords(Struct, frozen=True):
    leads: tuple[str, ...]
    part_leads: tuple[str, ...]
    parts: Mapping[str, str]
    noon: tuple[str, ...]
    halves: Mapping[str, int]
    before_hour: Mapping[str, int]
    after_hour: Mapping[str, int]


class Phrases:
    """What Alexa understands in one language beyond our samples, and how people type it."""

    def __init__(self, language: str, data: Mapping[str, Any]) -> None:
        self.language = language
        self.banner = str(data.get("banner", ""))  # the console's first words, in the language
        self.contractions: dict[str, str] = dict(data.get("contractions", {}))
        self._contractable = (
            re.compile(r"\b(" + "|".join(map(re.escape, self.contractions)) + r")\b")
            if self.contractions
            else None
        )
        self.built_in: dict[str, tuple[str, ...]] = {
            name: tuple(phrases) for name, phrases in data.get("built_in", {}).items()
        }
        self.fillers = re.compile(rf"^(?:(?:{_alternatives(data.get('fillers', ['um+']))}) )+")
        self.soft_start = re.compile(rf"^(?:(?:{_alternatives(data.get('soft_start', []))}) )+")
        self.soft_end = re.compile(rf"(?: (?:{_alternatives(data.get('soft_end', []))}))+$")
        self.emergency = _words(data, "emergency_words")
        self.faint = _words(data, "faint_words")
        self.pain = _words(data, "pain_words")
        # The sensations neuropathy brings every day, and cramp: SymptomIntent, by class.
        self.symptoms = tuple(
            (re.compile(rf"\b(?:{_alternatives(list(words))})"), symptom)
            for symptom, words in data.get("symptom_words", {}).items()
        )
        # "knee's" said for "knee is" (not the words kept contracted: samples have those).
        kept = _alternatives(data.get("is_contracted_kept", [])) or "(?!)"
        self.is_contracted = (
            re.compile(rf"\b(?!(?:{kept})'s)(\w+)'s\b") if data.get("is_contracted") else None
        )
        # Said around a slot's value ("ever so cold", "numb again"): looked past.
        self.slot_fillers = _optional(rf"^(?:(?:{_alternatives(data.get('slot_fillers', []))}) )+")
        self.slot_tail = _optional(rf"(?: (?:{_alternatives(data.get('slot_tail', []))}))+$")
        self.launch_verbs = tuple(data.get("launch_verbs", ["open"]))
        self.one_shot_verbs = tuple(data.get("one_shot_verbs", ["ask"]))
        self.one_shot_joins = tuple(data.get("one_shot_joins", []))
        self.articles = tuple(data.get("articles", []))
        words = copy_for(LANGUAGES[language].locales[0]).raw("numbers.words")
        self.numbers = {self.normalise(word): value for value, word in enumerate(words)}
        self.numbers |= {self.normalise(w): int(v) for w, v in data.get("numbers", {}).items()}
        self.digit_words = {self.normalise(w): str(v) for w, v in data.get("digits", {}).items()}
        self.digit_words |= {word: str(value) for word, value in self.numbers.items() if value <= 9}
        time = data.get("time", {})
        self.time = TimeWords(
            leads=tuple(time.get("leads", [])),
            part_leads=tuple(time.get("part_leads", [])),
            parts=dict(time.get("parts", {})),
            noon=tuple(time.get("noon", [])),
            halves=dict(time.get("halves", {})),
            before_hour=dict(time.get("before_hour", {})),
            after_hour=dict(time.get("after_hour", {})),
        )

    def normalise(self, text: str) -> str:
        """Lower case, no accents, letters, apostrophes and single spaces, common words
        contracted as speech has them; leading fillers dropped. Samples pass through it too."""
        text = re.sub(r"[^a-z' ]+", " ", plain(text))
        text = re.sub(r"\s+", " ", text).strip()
        if self._contractable is not None:
            contractions = self.contractions
            text = self._contractable.sub(lambda found: contractions[found.group(1)], text)
        return self.fillers.sub("", text + " ").strip() if self.fillers.match(text + " ") else text

    def spoken_digits(self, words: str) -> str | None:
        """Digits typed, or said one at a time ("one two three ...", "uno dos tres"), as
        AMAZON.NUMBER sends them."""
        if words.replace(" ", "").isdigit():
            return words.replace(" ", "")
        digits = [self.digit_words.get(word) for word in words.split()]
        return "".join(d for d in digits if d) if digits and all(digits) else None

    def spoken_time(self, words: str) -> str | None:
        """What Alexa's AMAZON.TIME sends for a spoken time: "HH:MM" ("nine" and "nine in
        the morning" are both 09:00, "nine in the evening" 21:00), or MO/AF/EV/NI for a part
        of the day; None when the words are not a time."""
        said = self.time
        for lead in sorted(said.leads, key=len, reverse=True):
            if words.startswith(lead + " "):
                words = words[len(lead) + 1 :]
                break
        words = words.strip()
        for lead in ("", *said.part_leads):
            part = words.removeprefix(lead + " ") if lead else words
            if part in said.parts:
                return said.parts[part]
        if words in said.noon:
            return "12:00"
        offset: int | None = None  # None: no half of the day said (Alexa keeps the hour)
        for half, hours in said.halves.items():
            if words.endswith(" " + half):
                words, offset = words[: -len(half) - 1], hours
                break
        minute: int | None = None
        for lead, value in said.before_hour.items():
            if words.startswith(lead + " "):
                words, minute = words[len(lead) + 1 :], value
                break
        hour_word, _, rest = words.partition(" ")
        hour = self.numbers.get(hour_word)
        if hour is None or not 1 <= hour <= 12:
            return None
        if rest:
            if rest not in said.after_hour or minute is not None:
                return None
            minute = said.after_hour[rest]
        minute = minute or 0
        if minute < 0:
            hour, minute = hour - 1 or 12, 60 + minute
        if offset is not None:
            hour = hour % 12 + offset
        return f"{hour:02d}:{minute:02d}"


@lru_cache(maxsize=8)
def phrases(language: str = SOURCE_LANGUAGE) -> Phrases:
    path = PHRASES_DIR / f"{language}.toml"
    data = tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}
    return Phrases(language, data)


def normalise(text: str) -> str:
    """English normalisation (the console's default language)."""
    return phrases().normalise(text)


def spoken_time(words: str) -> str | None:
    """An English spoken time as AMAZON.TIME sends it (see Phrases.spoken_time)."""
    return phrases().spoken_time(words)


class Heard(Struct, frozen=True):
    kind: str  # "launch", "intent"
    intent: str | None = None
    slots: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    one_shot: bool = False  # "ask my foot routine ...": a new session straight to the intent


class _Pattern(Struct, frozen=True):
    intent: str
    regex: re.Pattern[str]
    slots: tuple[str, ...]


class Matcher:
    def __init__(self, spec: Spec, said: Phrases | None = None) -> None:
        self.spec = spec
        self.said = said or phrases(spec.language)
        invocation = re.escape(self.said.normalise(spec.invocation))
        verbs = _alternatives([self.said.normalise(v) for v in self.said.launch_verbs])
        self.launch = re.compile(rf"(?:alexa )?(?:{verbs}) {invocation}")
        asks = _alternatives([self.said.normalise(v) for v in self.said.one_shot_verbs])
        self.one_shot = re.compile(rf"(?:alexa )?(?:{asks}) {invocation} (.+)")
        joins = "|".join(re.escape(join) for join in self.said.one_shot_joins) or "(?!)"
        self.join = re.compile(rf"^(?:{joins}) ")
        self.plain: list[_Pattern] = []
        self.slotted: list[_Pattern] = []
        for intent in spec.intents:
            samples = [*intent.samples, *self.said.built_in.get(intent.name, ())]
            for sample in samples:
                pattern = self._compile(intent.name, sample)
                (self.slotted if pattern.slots else self.plain).append(pattern)
        self.slot_types = {
            name: kind for intent in spec.intents for name, kind in intent.slots.items()
        }
        self.values = {
            kind: {
                self.said.normalise(name): value_id
                for value_id, names in spec.slot_values(kind).items()
                for name in names
            }
            for kind in set(self.slot_types.values())
        }

    def _compile(self, intent: str, sample: str) -> _Pattern:
        slots = tuple(re.findall(r"\{(\w+)\}", sample))
        pieces = []
        for part in re.split(r"(\{\w+\})", sample):
            if part.startswith("{"):
                pieces.append(f"(?P<{part[1:-1]}>.+?)")
            elif self.said.normalise(part):
                pieces.append(re.escape(self.said.normalise(part)))
        return _Pattern(intent, re.compile(" ".join(pieces)), slots)

    def resolve(self, heard: str, slot: str = "exercise") -> str | None:
        """The value id a slot's words resolve to (a number's digits), or None."""
        words = self.said.normalise(heard)
        kind = self.slot_types.get(slot, "")
        if kind == "AMAZON.TIME":
            return self.said.spoken_time(words)
        if kind == "AMAZON.NUMBER":
            number = self.said.numbers.get(words)
            return str(number) if number is not None else self.said.spoken_digits(words)
        if kind in ("AMAZON.SearchQuery", "AMAZON.FirstName"):
            return heard.strip() or None  # free words, as Alexa would send them
        values = self.values.get(kind, {})
        said = self.said
        bare = said.slot_fillers.sub("", words)
        for trimmed in (words, bare, said.slot_tail.sub("", words), said.slot_tail.sub("", bare)):
            found = values.get(trimmed)
            for article in said.articles:
                found = found or values.get(trimmed.removeprefix(article + " "))
                found = found or values.get(f"{article} {trimmed}")
            if found:
                return found
        return None

    def match(self, text: str) -> Heard:
        words = self.said.normalise(text)
        if self.launch.fullmatch(words):
            return Heard("launch")
        one_shot = self.one_shot.fullmatch(words)
        if one_shot:  # "ask ... to list the exercises"; "pregunta a ... qué ejercicios hay"
            rest = one_shot.group(1)  # without the joining word first, as Alexa parses it
            heard = self.understand(self.join.sub("", rest)) if self.join.match(rest) else None
            if heard is None or heard.intent == "AMAZON.FallbackIntent":
                heard = self.understand(rest)
            return Heard("intent", heard.intent, heard.slots, one_shot=True)
        return self.understand(words)

    def understand(self, words: str) -> Heard:
        """The whole line; else without soft words around it; else the safety net. A match
        whose slot resolves nothing is kept only when nothing better is found."""
        said = self.said
        without_start = said.soft_start.sub("", words + " ").strip()
        tries = [words, without_start, said.soft_end.sub("", words),
                 said.soft_end.sub("", without_start)]  # fmt: skip
        if said.is_contracted is not None:
            tries.append(said.is_contracted.sub(r"\1 is", words))  # "my knee's killing me"
        unresolved: Heard | None = None
        for softened in tries:
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
        said = self.said
        if said.emergency.search(words):
            return Heard("intent", "EmergencyIntent")
        if said.faint.search(words):
            return Heard("intent", "SafetyIntent")
        if said.pain.search(words):
            return Heard("intent", "PainIntent")
        for pattern, symptom in said.symptoms:
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


@lru_cache(maxsize=8)
def matcher(language: str = SOURCE_LANGUAGE) -> Matcher:
    """The matcher of a language ("en", "es") or of a locale's ("es-MX")."""
    return Matcher(load_spec(language.split("-")[0]))


def spoken_digits(words: str) -> str | None:
    """English digits said one at a time, as AMAZON.NUMBER sends them (Phrases.spoken_digits)."""
    return phrases().spoken_digits(words)


__all__ = [
    "Heard", "Matcher", "matcher", "normalise", "phrases", "plain", "spoken_digits", "spoken_time",
]  # fmt: skip
