"""A new exercise of an existing kind is data and words only.

On a copy of the project: one exercise added to routine.toml, its words to en.toml and
(through `make catalogues`, then a translator) to es.po, its EXERCISE synonyms to each
language's intents spec, then `make model`'s command. No Python changes. The
copy's own generic tests pass, the routine narrates the new exercise with its own words,
the model resolves its names, and the console can start it by name.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repo_copy import copy_repo

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("skill", "tests", "interaction_model", "pyproject.toml", "Makefile", "template.yaml")
# The copy's tests that hold for any routine. tests/test_routine_data.py is left out: it
# pins the article's routine and its numbers (docs/routine.md), which a new exercise changes.
GENERIC_TESTS = (
    "tests/test_narration.py",
    "tests/test_locale_copy.py",
    "tests/test_interaction_model.py",
    "tests/test_localisation.py",
)

EXERCISE = """
[exercises.foot_roller]
kind = "timed_roll"
position = "seated"
needs = ["bare_feet", "foot_roller"]
sides = ["right", "left"]
phases = [{ key = "heel_to_toe", seconds = 20 }]
halfway_check = false
"""
WORDS = """
[foot_roller]
intro = "The foot roller. Bare feet, sitting tall, with a wooden foot roller on the floor."
ready = "Say ready when the roller is under your {side} foot."
intro_side = "Roller under your {side} foot."
heel_to_toe = "Roll it slowly from heel to toe and back, {seconds} seconds. Go."
halfway = "Halfway."
stop = "And rest."
done = "Foot roller done."
"""
SYNONYMS = 'foot_roller = ["foot roller", "the roller", "wooden roller"]\n'
SPANISH_SYNONYMS = 'foot_roller = ["rodillo", "el rodillo de madera", "rodillo para los pies"]\n'
SPANISH = {
    "exercise_names.foot_roller": "el rodillo",
    "how_to.foot_roller": "El rodillo: con el pie descalzo, haga rodar un rodillo de madera del "
    "talón a los dedos y de vuelta, y luego cambie de pie.",
    "foot_roller.intro": "El rodillo. Pies descalzos, espalda recta, y un rodillo de madera en "
    "el suelo.",
    "foot_roller.ready": "Diga listo cuando tenga el rodillo bajo el pie {side}.",
    "foot_roller.intro_side": "El rodillo bajo el pie {side}.",
    "foot_roller.heel_to_toe": "Hágalo rodar despacio del talón a los dedos y de vuelta, "
    "{seconds:m} segundos. Adelante.",
    "foot_roller.halfway": "Vamos por la mitad.",
    "foot_roller.stop": "Y descanse.",
    "foot_roller.done": "Terminado el rodillo.",
}


def translate(path: Path, words: dict[str, str]) -> None:
    """What a translator does in Poedit: fill the new entries of a catalogue."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and not message.string and str(message.context) in words:
            message.string = words[str(message.context)]
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


def insert_after(text: str, line: str, addition: str) -> str:
    assert line in text, line
    return text.replace(line, line + addition, 1)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = copy_repo(tmp_path_factory.mktemp("project"), COPIED)

    routine = copy / "skill" / "routine" / "routine.toml"
    text = routine.read_text()
    text = text.replace('"toe_spreading", "tapping"', '"toe_spreading", "foot_roller", "tapping"')
    # Two more minutes of routine: the target range is data too.
    text = text.replace(
        "target_minutes = { min = 8, max = 12 }", "target_minutes = { min = 8, max = 14 }"
    )
    routine.write_text(text + EXERCISE)

    words = copy / "skill" / "locales" / "en.toml"
    text = words.read_text()
    text = insert_after(text, "[exercise_names]\n", 'foot_roller = "the foot roller"\n')
    text = insert_after(
        text,
        "[how_to]\n",
        'foot_roller = "The foot roller: with a bare foot, roll a wooden roller from heel to toe '
        'and back, then change feet."\n',
    )
    words.write_text(text + WORDS)

    intents = copy / "skill" / "alexa" / "intents" / "en.toml"
    intents.write_text(insert_after(intents.read_text(), "[exercise_values]\n", SYNONYMS))
    spanish = copy / "skill" / "alexa" / "intents" / "es.toml"
    spanish.write_text(insert_after(spanish.read_text(), "[exercise_values]\n", SPANISH_SYNONYMS))
    run(copy, "-m", "skill", "catalogues", "--update", check=False)  # the new keys, to do
    translate(copy / "skill" / "locales" / "es.po", SPANISH)

    make = (copy / "Makefile").read_text()
    model_recipe = re.search(r"^model:.*\n((?:\t.*\n)+)", make, re.MULTILINE)
    assert model_recipe and "$(PY) -m skill model" in model_recipe.group(1)
    run(copy, "-m", "skill", "model")  # what `make model` runs, in the copy's venv-less form
    return copy


def run(folder: Path, *args: str, stdin: str = "", check: bool = True) -> str:
    environment = {**os.environ, "PROGRESS_DB": str(folder / "progress.sqlite3")}
    environment |= {"DEFAULT_TIME_ZONE": "UTC", "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("PROGRESS_TABLE", None)
    done = subprocess.run(
        [sys.executable, *args],
        cwd=folder,  # the copy's `skill` package comes first on the path
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert done.returncode == 0 or not check, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_only_data_and_words_changed(project: Path) -> None:
    changed = subprocess.run(
        ["diff", "-rq", "-x", "__pycache__", str(ROOT / "skill"), str(project / "skill")],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert sorted(Path(line.split()[1]).name for line in changed) == [
        "en.toml",  # the words
        "en.toml",  # the English intents spec
        "es-ES.json",  # compiled catalogues, generated
        "es-MX.json",
        "es-US.json",
        "es.po",
        "es.toml",
        "routine.toml",
    ]
    imported = run(project, "-c", "import skill; print(skill.__file__)")
    assert imported.strip() == str(project / "skill" / "__init__.py")


def test_the_copys_own_tests_pass(project: Path) -> None:
    out = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", *GENERIC_TESTS)
    assert " passed" in out and "failed" not in out


def test_the_routine_narrates_it_with_its_own_words(project: Path) -> None:
    segments = json.loads(run(project, "-m", "skill", "preview", "--json"))
    mine = [segment for segment in segments if segment["exercise"] == "foot_roller"]
    assert [segment["id"] for segment in mine] == [
        "foot_roller.ready",
        "foot_roller.right",
        "foot_roller.left",
    ]
    assert "Say ready when the roller is under your right foot." in mine[0]["text"]
    assert "Roll it slowly from heel to toe and back, twenty seconds." in mine[1]["text"]
    assert '<break time="10s"/><break time="10s"/>' in mine[1]["ssml"]
    assert "Say next for the left foot." in mine[1]["text"]
    assert "Foot roller done." in mine[2]["text"] and "Say next for tapping" in mine[2]["text"]
    before = next(s for s in segments if s["id"] == "toe_spreading")
    assert "Say next for the foot roller" in before["text"]


def test_the_model_knows_its_names_in_every_locale(project: Path) -> None:
    for locale in ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "es-US", "es-MX", "es-ES"):
        model = json.loads((project / "interaction_model" / f"{locale}.json").read_text())
        values = model["interactionModel"]["languageModel"]["types"][0]["values"]
        roller = next(value for value in values if value["id"] == "foot_roller")
        assert roller["name"] == (
            {"value": "foot roller", "synonyms": ["the roller", "wooden roller"]}
            if locale.startswith("en")
            else {"value": "rodillo", "synonyms": ["el rodillo de madera", "rodillo para los pies"]}
        )


def test_the_console_starts_it_by_name(project: Path) -> None:
    out = run(
        project, "-m", "skill", "chat", stdin="start my foot routine\nstart the foot roller\n"
    )
    assert "The foot roller. Bare feet, sitting tall" in out
    how = run(project, "-m", "skill", "chat", stdin="how do I do the foot roller\n")
    assert "roll a wooden roller from heel to toe" in how
    spanish = run(
        project, "-m", "skill", "chat", "--locale", "es-MX", stdin="cómo se hace el rodillo\n"
    )
    assert "haga rodar un rodillo de madera" in spanish
