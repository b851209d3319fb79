"""A new language is data alone: docs/localisation.md's steps, on a copy of the project.

Italian as a toy: its entry in languages.toml (locale, pace, espeak-ng voice) and its
country's emergency number, a catalogue started by `python -m skill catalogues --update`
and "translated" here by marking each English sentence (a toy, so a leak would show), its
intents spec (the English one with its own invocation name), then `make model`'s command.
No Python changes. The copy's own localisation and model tests pass with the new language
in them, its model is generated, and the skill answers an it-IT request in its words.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.repo_copy import copy_repo
from tests.test_new_exercise import ROOT, run

COPIED = ("skill", "tests", "interaction_model", "lambda", "pyproject.toml")
LANGUAGE = """
[languages.it]
locales = ["it-IT"]
words_per_second = 2.8
count_word_seconds = 0.34
voices = { it-IT = "it" }
"""
COUNTRY = '\n[countries.IT]\nemergency = "112"\n'
TOY = "«"  # every toy sentence starts with it: English words after it are the toy's own


def fill(path: Path) -> None:
    """Translate every empty entry of a fresh catalogue as the toy language does, with a
    translator's tool (Babel's reader and writer, as Poedit would)."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and not message.string:
            counted = str(message.context).startswith("numbers.")  # counts as they are
            message.string = str(message.id) if counted else TOY + str(message.id)
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = copy_repo(tmp_path_factory.mktemp("project"), COPIED)
    languages = copy / "skill" / "locales" / "languages.toml"
    text = languages.read_text()
    text = text.replace("\n# By country", LANGUAGE + "\n# By country", 1)
    languages.write_text(text + COUNTRY)
    run(copy, "-m", "skill", "catalogues", "--update", check=False)  # starts it.po, 337 to do
    fill(copy / "skill" / "locales" / "it.po")
    english = (copy / "skill" / "alexa" / "intents" / "en.toml").read_text()
    italian = english.replace('invocation = "my foot routine"', 'invocation = "i miei piedi"')
    (copy / "skill" / "alexa" / "intents" / "it.toml").write_text(italian)
    run(copy, "-m", "skill", "model")
    return copy


def test_only_data_changed(project: Path) -> None:
    changed = subprocess.run(
        ["diff", "-rq", "-x", "__pycache__", str(ROOT / "skill"), str(project / "skill")],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    names = sorted(
        line.split(": ")[-1] if line.startswith("Only in") else Path(line.split()[1]).name
        for line in changed
    )
    assert names == [
        "it-IT.json",  # compiled/, generated
        "it.po",
        "it.toml",
        "languages.toml",
    ]


def test_the_catalogue_is_complete_and_the_model_generated(project: Path) -> None:
    assert "0 to do" in run(project, "-m", "skill", "catalogues")
    model = json.loads((project / "interaction_model" / "it-IT.json").read_text())
    assert model["interactionModel"]["languageModel"]["invocationName"] == "i miei piedi"


def test_the_copys_own_tests_pass_with_the_new_language(project: Path) -> None:
    out = run(
        project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_interaction_model.py",
        "tests/test_localisation.py",
    )  # fmt: skip
    assert (
        " passed" in out
        and "failed" not in out
        and "it-IT"
        in run(project, "-m", "pytest", "--collect-only", "-q", "tests/test_localisation.py")
    )


def test_the_skill_answers_in_the_new_language(project: Path) -> None:
    script = (
        "from skill.alexa.envelopes import Conversation\n"
        "from tests.alexa_driver import Driver\n"
        "talk = Driver(Conversation(locale='it-IT', api_endpoint='https://127.0.0.1:1'))\n"
        "print(talk.launch().text)\n"
        "print(talk.say('EmergencyIntent').text)\n"
    )
    out = run(project, "-c", script)
    assert out.startswith(TOY + "Welcome to your foot routine.")
    assert TOY + "If you've fallen" in out and "call one one two now" in out
