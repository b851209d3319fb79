"""Every count, name and duration the skill says, and the README and the store listing
(skill-package/skill.json) repeat, comes from the routine data: one source."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from skill.routine.model import load_routine
from skill.routine.settings import Settings
from skill.speech.copy import copy_for
from skill.speech.narrate import compiled, total_seconds
from tests.alexa_driver import Driver

ROOT = Path(__file__).resolve().parents[1]
ROUTINE = load_routine()
COPY = copy_for("en-US")


def minutes_words() -> str:
    """How long the routine is, as the skill says it (Dialogue.minutes)."""
    seconds = total_seconds(compiled(ROUTINE, Settings(), "en-US"))
    count = max(1, math.ceil(seconds / 60 - 0.25))
    return COPY.say("time.minutes", count=COPY.number(count))


def count_words() -> str:
    return f"{COPY.number(len(ROUTINE.ids))} exercises"


def listing_descriptions() -> list[str]:
    # The English listing as published (generated from the manifest source and the routine
    # data); the Spanish locales' listings are in Spanish (tests/test_skill_package.py).
    skill = json.loads((ROOT / "skill-package" / "skill.json").read_text())
    locales = skill["manifest"]["publishingInformation"]["locales"]
    return [body["description"] for code, body in locales.items() if code.startswith("en-")]


def test_the_routine_has_the_count_the_words_use() -> None:
    assert count_words() == "six exercises"  # a reader's check; the tests below use the data
    assert ROUTINE.spoken_count == len(ROUTINE.ids)


@pytest.mark.parametrize("text", ["README", *range(5)])
def test_readme_and_listing_say_the_routine_data(text: str | int) -> None:
    if text == "README":
        words = (ROOT / "README.md").read_text()
    else:
        descriptions = listing_descriptions()
        assert len(descriptions) == 5
        words = descriptions[int(text)]
    flat = re.sub(r"\s+", " ", words)
    assert f"about {minutes_words()}" in flat
    if text == "README":
        assert count_words() in flat
    assert not re.search(r"\bten[- ]minute|\bfive exercises", flat)
    for exercise in ROUTINE.ids:
        name = COPY.exercise_name(exercise).removeprefix("the ")
        assert name in flat, name


def test_the_welcome_says_the_routine_data(skill_env: Path) -> None:
    hello = Driver().launch()
    assert f"About {minutes_words()}, {count_words()}" in hello.text
    listing = Driver().say("ListExercisesIntent")
    names = [COPY.exercise_name(exercise) for exercise in ROUTINE.ids]
    assert len(names) == len(ROUTINE.ids) and all(name in listing.text for name in names)
