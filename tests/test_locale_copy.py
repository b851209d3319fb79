"""Every spoken key the code uses exists in every locale; the words stay safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.alexa.intents import load_spec
from skill.routine.model import load_routine
from skill.speech.copy import copy_for

SKILL = Path(__file__).resolve().parents[1] / "skill"
LITERAL_KEY = re.compile(r"""\bsay\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for source in SKILL.rglob("*.py"):
        keys |= set(LITERAL_KEY.findall(source.read_text()))
    return keys


def test_the_code_uses_many_keys() -> None:
    assert len(used_keys()) > 60


@pytest.mark.parametrize("locale", load_spec().locales)
def test_every_used_key_and_every_exercise_has_words(locale: str) -> None:
    copy = copy_for(locale)
    missing = sorted(key for key in used_keys() if not copy.has(key))
    assert missing == []
    for exercise in load_routine().ids:
        assert copy.has(f"exercise_names.{exercise}")
        assert copy.has(f"how_to.{exercise}")


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
