"""What a language's grammar does to the words the catalogues give: number forms, lists,
the hour of a clock time, numbers past the catalogue's list.

Every word comes from the catalogue (en.toml, or a language's .po); this module only
chooses among forms where the grammar needs a choice no library makes for us:

- numbers with gender or before a noun: Spanish "uno" when counting, "un minuto",
  "una vez", "veintiún días". A template asks for a form with a format spec:
  `{count:m}` before a masculine noun, `{count:f}` a feminine one (docs/localisation.md).
  Babel has no spelled-out numbers (CLDR's rule-based number formats are not in it), so the
  words are the catalogue's `numbers.words`; only the ending changes here.
- lists: "a, b and c" with the catalogue's own word for "and" (`exercises.and`); Spanish
  writes "e" for "y" before a word starting with the sound "i" ("tapping e inclinaciones").
  CLDR's list patterns (Babel's format_list) have no such rule, and loading Babel costs a
  cold start far more than this join.
- the hour of a clock time: Spanish says "la una", "las nueve" (feminine, with the article).

A language without a class here gets `Grammar`: the words as the catalogue has them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


class Spoken(str):
    """A number as words, carrying its value, so a template can ask for another form."""

    value: int

    def __new__(cls, text: str, value: int) -> Spoken:
        spoken = super().__new__(cls, text)
        spoken.value = value
        return spoken


class Grammar:
    """A language whose words need no choosing: English, and any new language at first."""

    def form(self, number: Spoken, spec: str) -> str:
        """The number's form a template asks for (`{count:f}`); English has one form."""
        return str(number)

    def join(self, words: Sequence[str], conjunction: str) -> str:
        words = list(words)
        if len(words) <= 1:
            return "".join(words)
        return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"

    def hour(self, number: Spoken) -> str:
        """An hour of the clock, as it starts a time ("nine")."""
        return str(number)


_ONE = re.compile(r"uno$")
# "e" for "y" before the sound "i": i-, hi- (not hie-, hia-: "y hielo").
_I_SOUND = re.compile(r"^(?:i|í|hi(?![aeé]))", re.IGNORECASE)


class Spanish(Grammar):
    def form(self, number: Spoken, spec: str) -> str:
        """`m`: "un", "veintiún", "treinta y un" before a masculine noun; `f`: "una",
        "veintiuna". Any other number has one form."""
        text = str(number)
        if number.value % 10 != 1 or number.value % 100 == 11:
            return text
        if spec == "f":
            return _ONE.sub("una", text)
        if spec == "m":
            return "veintiún" if text == "veintiuno" else _ONE.sub("un", text)
        return text

    def join(self, words: Sequence[str], conjunction: str) -> str:
        words = list(words)
        if len(words) > 1 and conjunction == "y" and _I_SOUND.match(words[-1]):
            conjunction = "e"
        return super().join(words, conjunction)

    def hour(self, number: Spoken) -> str:
        return "la una" if number.value == 1 else f"las {number}"


GRAMMARS: dict[str, type[Grammar]] = {"es": Spanish}


def grammar_for(language: str) -> Grammar:
    return GRAMMARS.get(language, Grammar)()
