"""Every spoken key the code uses exists in every locale; the words stay safe."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from skill.routine.model import load_routine
from skill.routine.settings import RAISE_POSITIONS, TOE_CURL_ORDERS, TOE_CURL_TOOLS, Settings
from skill.speech.copy import SUPPORTED_LOCALES, copy_for
from skill.speech.narrate import compile_routine

SKILL = Path(__file__).resolve().parents[1] / "skill"
# A whole key in the code: copy.say("prompts.next_side"). An exercise's own words
# (words.say("done"), under the exercise's id) are checked by compiling every variant.
LITERAL_KEY = re.compile(r"""(?<!words\.)\bsay\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for source in SKILL.rglob("*.py"):
        keys |= set(LITERAL_KEY.findall(source.read_text()))
    return keys


def test_the_code_uses_many_keys() -> None:
    assert len(used_keys()) > 60


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_used_key_and_every_exercise_has_words(locale: str) -> None:
    copy = copy_for(locale)
    missing = sorted(key for key in used_keys() if not copy.has(key))
    assert missing == []
    for exercise in load_routine().ids:
        assert copy.has(f"exercise_names.{exercise}")
        assert copy.has(f"how_to.{exercise}")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_exercise_has_its_words_in_every_variant(locale: str) -> None:
    """Compiling reads every word of every exercise's section; a missing one raises."""
    copy = copy_for(locale)
    for tool, position, order in itertools.product(
        TOE_CURL_TOOLS, RAISE_POSITIONS, TOE_CURL_ORDERS
    ):
        settings = Settings(toe_curl_tool=tool, raise_position=position, toe_curl_order=order)
        assert compile_routine(load_routine(), settings, copy)


def test_milestone_ids_all_have_words() -> None:
    from skill.progress.practice import DAY_MILESTONES, TEN_MONTHS_ID

    copy = copy_for("en-US")
    for milestone in [*(m for m, _ in DAY_MILESTONES), TEN_MONTHS_ID]:
        assert copy.has(f"milestones.{milestone}"), milestone


def test_placeholders_are_filled_not_spoken() -> None:
    copy = copy_for("en-US")
    for key in copy.sentence_keys():
        template = copy.raw(key)
        if isinstance(template, str) and "{" in template:
            names = set(re.findall(r"\{(\w+)\}", template))
            filled = copy.say(key, **{name.lower(): "x" for name in names})
            assert "{" not in filled, key
