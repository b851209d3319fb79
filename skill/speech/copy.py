"""Spoken words, loaded from the catalogues in skill/locales/ (docs/localisation.md).

English is the source: `en.toml` holds every key, whole sentences keyed by moment. Another
language's words are its gettext catalogue (`es.po`: msgctxt the key, msgid the English,
msgstr the translation), a region's differences a catalogue of their own (`es-MX.po`),
compiled by `python -m skill model` into `compiled/<locale>.json`, which is all the runtime
reads (no Babel at run time). Which languages and locales exist, their speaking pace and
each country's emergency number are data: `languages.toml`.

Placeholders are filled with plain values; a placeholder written with a capital (`{Side}`)
gets the value capitalised, for the start of a sentence; a number may be asked for in a
grammatical form (`{count:f}`, skill/speech/grammar.py). Escaping for SSML happens later,
once, in ssml.py.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from msgspec import Struct

from skill.speech.grammar import Grammar, Spoken, grammar_for
from skill.speech.script import Pace

SOURCE_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
COMPILED_DIR = LOCALES_DIR / "compiled"


class Language(Struct, frozen=True):
    code: str
    locales: tuple[str, ...]
    pace: Pace
    voices: Mapping[str, str]


class Country(Struct, frozen=True):
    emergency: str
    spoken: Mapping[str, str]  # language -> the number's usual words, where not digit by digit


def _read_toml(name: str) -> dict[str, Any]:
    # plain files, as in routine.model (no importlib.resources), prebuilt (skill/prebuilt.py)
    from skill.prebuilt import load_toml

    data = load_toml(LOCALES_DIR / f"{name}.toml")
    if data is None:
        raise FileNotFoundError(LOCALES_DIR / f"{name}.toml")
    return data


def _read_data() -> tuple[dict[str, Language], dict[str, Country]]:
    data = _read_toml("languages")
    languages = {
        code: Language(
            code,
            tuple(body["locales"]),
            Pace(float(body["words_per_second"]), float(body["count_word_seconds"])),
            dict(body.get("voices", {})),
        )
        for code, body in data["languages"].items()
    }
    countries = {
        code: Country(str(body["emergency"]), dict(body.get("spoken", {})))
        for code, body in data["countries"].items()
    }
    return languages, countries


LANGUAGES, COUNTRIES = _read_data()
DEFAULT_LOCALE = LANGUAGES[SOURCE_LANGUAGE].locales[0]
# The locales the skill is published in: every language's, from languages.toml (the
# interaction models are generated for exactly these). A request's locale is only ever
# compared with these, never used as a file name.
SUPPORTED_LOCALES = tuple(locale for lang in LANGUAGES.values() for locale in lang.locales)


class _Capital:
    def __init__(self, value: object) -> None:
        self.value = value


class _Filler(string.Formatter):
    """Fills `{name}`, `{Name}` (capitalised) and `{count:f}` (a grammatical form)."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs:
            lowered = key[:1].lower() + key[1:]
            if lowered != key and lowered in kwargs:
                return _Capital(kwargs[lowered])
        return kwargs[str(key)]

    def format_field(self, value: Any, format_spec: str) -> str:
        capital = isinstance(value, _Capital)
        if isinstance(value, _Capital):
            value = value.value
        text = self.grammar.form(value, format_spec) if isinstance(value, Spoken) else str(value)
        return text[:1].upper() + text[1:] if capital else text


class Copy:
    """The words of one locale."""

    def __init__(
        self,
        locale: str,
        table: Mapping[str, Any],
        untranslated: frozenset[str] = frozenset(),
    ) -> None:
        self.locale = locale
        self.language = LANGUAGES[locale.split("-")[0]]
        self.pace = self.language.pace
        self.voice = self.language.voices.get(locale)  # espeak-ng's, for previews
        self.grammar = grammar_for(self.language.code)
        self.untranslated = untranslated  # keys still in English (a test fails on any)
        self._table = table
        self._filler = _Filler(self.grammar)

    def raw(self, key: str) -> Any:
        node: Any = self._table
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"locale {self.locale} has no copy for {key!r}")
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        try:
            self.raw(key)
        except KeyError:
            return False
        return True

    def say(self, key: str, **values: Any) -> str:
        """The sentence for `key`, placeholders filled."""
        template = self.raw(key)
        if not isinstance(template, str):
            raise KeyError(f"copy {key!r} is not a sentence")
        return self._filler.vformat(template, (), values)

    def number(self, value: int) -> Spoken:
        """A whole number as a word ("eight"), or digits past the list."""
        words = self.raw("numbers.words")
        return Spoken(words[value] if 0 <= value < len(words) else str(value), value)

    def minute_number(self, value: int) -> str:
        """A number up to 99 as words, as minutes are said: "forty-five", "cuarenta y cinco"."""
        words = self.raw("numbers.words")
        if value < len(words) or value > 99:
            return self.number(value)
        tens = self.raw("numbers.tens")[value // 10 - 2]
        if value % 10 == 0:
            return str(tens)
        return self.say("numbers.tens_and_units", tens=tens, units=self.number(value % 10))

    def hour(self, value: int) -> str:
        """An hour of the clock as it starts a time: "nine", "las nueve", "la una"."""
        return self.grammar.hour(self.number(value))

    def join(self, words: Sequence[str]) -> str:
        """ "a, b and c" in this language."""
        return self.grammar.join(words, self.say("exercises.and"))

    def emergency_number(self) -> str:
        """The emergency number of the locale's country, as it is said there."""
        country = COUNTRIES.get(self.locale.partition("-")[2])
        if country is None:
            return self.say("safety.emergency_default")
        known = country.spoken.get(self.language.code)
        return known or " ".join(self.number(int(digit)) for digit in country.emergency)

    def side(self, side: str) -> str:
        return self.say(f"sides.{side}")

    def exercise_name(self, exercise_id: str) -> str:
        return self.say(f"exercise_names.{exercise_id}")

    def sentence_keys(self) -> set[str]:
        """Every sentence key, dotted (for contract tests)."""
        return set(_keys(self._table))


def _keys(table: Mapping[str, Any], prefix: str = "") -> list[str]:
    found = []
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            found += _keys(value, key + ".")
        else:
            found.append(key)
    return found


def translated(
    table: Mapping[str, Any], words: Mapping[str, str], missing: set[str], prefix: str = ""
) -> dict[str, Any]:
    """The source table with every string replaced by its translation (a list's items are
    keyed `key.0`, `key.1`...); a string with none stays English and is noted in `missing`."""
    out: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            out[name] = translated(value, words, missing, key + ".")
        elif isinstance(value, list):
            items = []
            for index, item in enumerate(value):
                item_key = f"{key}.{index}"
                if isinstance(item, str) and item and item_key not in words:
                    missing.add(item_key)
                items.append(words.get(item_key, item))
            out[name] = items
        elif isinstance(value, str):
            if value and key not in words:
                missing.add(key)
            out[name] = words.get(key, value)
        else:
            out[name] = value
    return out


@lru_cache(maxsize=1)
def source_table() -> dict[str, Any]:
    """en.toml: every key, in English."""
    return _read_toml(SOURCE_LANGUAGE)


def compiled_words(locale: str) -> dict[str, str]:
    """A locale's translations (its language's, its region's laid over), by key."""
    path = COMPILED_DIR / f"{locale}.json"  # plain files, as in routine.model
    if not path.is_file():
        return {}
    words = json.loads(path.read_text("utf-8"))
    return {str(key): str(text) for key, text in words.items()}


def match_locale(locale: object) -> str:
    """The supported locale a request names; another region of a language the skill speaks
    gets that language's first locale; anything else DEFAULT_LOCALE."""
    if not isinstance(locale, str):
        return DEFAULT_LOCALE
    if locale in SUPPORTED_LOCALES:
        return locale
    language = LANGUAGES.get(locale.split("-")[0].lower())
    return language.locales[0] if language else DEFAULT_LOCALE


def supported(locale: object) -> bool:
    """True when the skill speaks this locale's language (otherwise it answers in English)."""
    return isinstance(locale, str) and locale.split("-")[0].lower() in LANGUAGES


@lru_cache(maxsize=16)
def copy_for(locale: str = DEFAULT_LOCALE) -> Copy:
    """The words for a locale such as "es-MX"; any other value gets match_locale's."""
    matched = match_locale(locale)
    if matched != locale:
        return copy_for(matched)
    missing: set[str] = set()
    words = compiled_words(locale)
    if locale.split("-")[0] == SOURCE_LANGUAGE:
        table = source_table() if not words else translated(source_table(), words, set())
    else:
        table = translated(source_table(), words, missing)
    return Copy(locale, table, frozenset(missing))
