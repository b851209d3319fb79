"""Spoken words, loaded from the locale files (skill/locales/*.toml).

`en.toml` holds every key; a regional file such as `en-GB.toml` holds only what
differs and is laid over it. Placeholders are filled with plain values; a
placeholder written with a capital (`{Side}`) gets the value capitalised, for
the start of a sentence. Escaping for SSML happens later, once, in ssml.py.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.speech.script import Pace

DEFAULT_LOCALE = "en-US"
# The locales the skill is published in (the interaction model's list; a test keeps them
# equal). A request's locale is only ever compared with these, never used as a file name.
SUPPORTED_LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")


class Copy:
    """The words of one locale."""

    def __init__(self, locale: str, table: Mapping[str, Any]) -> None:
        self.locale = locale
        self._table = table
        pace = table.get("pace", {})
        self.pace = Pace(
            words_per_second=float(pace.get("words_per_second", Pace.words_per_second)),
            count_word_seconds=float(pace.get("count_word_seconds", Pace.count_word_seconds)),
        )

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
        filled = {name: str(value) for name, value in values.items()}
        filled |= {
            name.capitalize(): value[:1].upper() + value[1:] for name, value in filled.items()
        }
        return string.Formatter().vformat(template, (), filled)

    def number(self, value: int) -> str:
        """A whole number as a word ("eight"), or digits past the list."""
        words = self.raw("numbers.words")
        return words[value] if 0 <= value < len(words) else str(value)

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


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = _merge(merged[name], value)
        else:
            merged[name] = value
    return merged


LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"


def _read_locale_file(name: str) -> dict[str, Any] | None:
    # plain files, as in routine.model (no importlib.resources), prebuilt (skill/prebuilt.py)
    from skill.prebuilt import load_toml

    return load_toml(LOCALES_DIR / f"{name}.toml")


def match_locale(locale: object) -> str:
    """The supported locale a request names, or DEFAULT_LOCALE for anything else."""
    return locale if isinstance(locale, str) and locale in SUPPORTED_LOCALES else DEFAULT_LOCALE


def supported(locale: object) -> bool:
    """True when the skill speaks this locale (otherwise it answers in DEFAULT_LOCALE)."""
    return isinstance(locale, str) and locale in SUPPORTED_LOCALES


@lru_cache(maxsize=16)
def copy_for(locale: str = DEFAULT_LOCALE) -> Copy:
    """The words for a locale such as "en-GB"; any other value gets en-US."""
    matched = match_locale(locale)
    if matched != locale:
        return copy_for(matched)
    base = _read_locale_file(locale.split("-")[0]) or {}
    regional = _read_locale_file(locale) or {}
    return Copy(locale, _merge(base, regional))
