"""The APL documents are valid by construction: every one passes the reference validator
(apl-suggester, pinned in .ci/apl/package.json, installed by .ci/run), broken ones are
caught, and the rules the validator does not know hold (text size, a drawing per
exercise, every button a word the dialogue knows)."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from skill.routine.model import load_routine
from skill.screens import documents
from skill.screens.touch import INTENT_FOR

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / ".ci" / "apl"
PINNED = json.loads((CHECKER / "package.json").read_text())["dependencies"]["apl-suggester"]
SMALLEST_TEXT_DP = 28  # readable at two metres on a hub


def require_validator() -> None:
    """Skip without node or the installed validator locally; in CI (CI=true) that fails."""
    message = ""
    if shutil.which("node") is None:
        message = "node is not installed"
    elif not (CHECKER / "node_modules" / "apl-suggester").is_dir():
        message = "the APL validator is not installed (npm ci --prefix .ci/apl)"
    if not message:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def validate(*paths: Path) -> dict[str, Any]:
    require_validator()
    run = subprocess.run(
        ["node", str(CHECKER / "validate.js"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    answer: dict[str, Any] = json.loads(run.stdout)
    assert (run.returncode == 1) == any(answer["results"].values())
    return answer


@lru_cache(maxsize=1)
def shipped() -> dict[str, Any]:
    return validate(*(documents.path_of(name) for name in documents.NAMES))


def raw(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(documents.path_of(name).read_text())
    return found


def test_every_document_passes_the_pinned_reference_validator() -> None:
    answer = shipped()
    assert answer["version"] == PINNED
    assert set(answer["results"]) == {str(documents.path_of(n)) for n in documents.NAMES}
    assert all(found == [] for found in answer["results"].values()), answer


def test_the_documents_folder_holds_only_the_known_documents() -> None:
    assert sorted(p.stem for p in documents.FOLDER.glob("*.json")) == sorted(documents.NAMES)


BREAKAGES = {
    "unknown component": lambda d: d["mainTemplate"]["item"]["items"].append({"type": "Txet"}),
    "wrong property type": lambda d: d["mainTemplate"]["item"]["items"].append(
        {"type": "Text", "text": "x", "color": 5}
    ),
    "unknown property": lambda d: d["mainTemplate"]["item"]["items"].append(
        {"type": "Text", "text": "x", "colour": "#FFFFFF"}
    ),
    "unknown command": lambda d: d["mainTemplate"]["item"].update(
        onMount=[{"type": "SendEvnt", "arguments": ["next"]}]
    ),
    "version APL never had": lambda d: d.update(version="2099.1"),
    "AVG circle (AVG draws paths)": lambda d: d["graphics"].update(
        ring={
            "type": "AVG",
            "version": "1.2",
            "width": 10,
            "height": 10,
            "items": [{"type": "circle"}],
        }
    ),
    "not APL at all": lambda d: d.update(type="HTML"),
}


def test_broken_documents_are_caught(tmp_path: Path) -> None:
    broken = []
    for number, (what, breakage) in enumerate(BREAKAGES.items()):
        document = copy.deepcopy(raw(documents.STEP))
        breakage(document)
        path = tmp_path / f"{number}.json"
        path.write_text(json.dumps(document))
        broken.append((what, path))
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text('{"type": "APL", ')
    broken.append(("not JSON", unreadable))
    results = validate(*(path for _, path in broken))["results"]
    missed = [what for what, path in broken if not results[str(path)]]
    assert missed == []


def dimensions(name: str) -> dict[str, list[str]]:
    """Every value of every dimension resource, by name (all viewport variants)."""
    found: dict[str, list[str]] = {}
    for block in raw(name).get("resources", []):
        for key, value in block.get("dimensions", {}).items():
            found.setdefault(key, []).append(value)
    return found


def text_sizes(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["fontSize"]] if "fontSize" in node else []
        return own + [size for value in node.values() for size in text_sizes(value)]
    if isinstance(node, list):
        return [size for value in node for size in text_sizes(value)]
    return []


@pytest.mark.parametrize("name", documents.NAMES)
def test_no_text_under_28_dp_on_any_viewport(name: str) -> None:
    sizes = dimensions(name)
    used = text_sizes(raw(name))
    assert used
    for size in used:
        values = sizes[size[1:]] if size.startswith("@") else [size]
        for value in values:
            match = re.fullmatch(r"(\d+)dp", value)
            assert match and int(match.group(1)) >= SMALLEST_TEXT_DP, (name, size, value)


def test_every_exercise_has_a_drawing_in_vector_graphics() -> None:
    graphics = raw(documents.STEP)["graphics"]
    assert set(load_routine().ids) <= set(graphics)
    for name, graphic in graphics.items():
        assert graphic["type"] == "AVG" and graphic["items"], name
        assert all(item["type"] == "path" for item in graphic["items"]), name


def send_events(node: Any) -> list[list[Any]]:
    if isinstance(node, dict):
        own = [node.get("arguments", [])] if node.get("type") == "SendEvent" else []
        return own + [args for value in node.values() for args in send_events(value)]
    if isinstance(node, list):
        return [args for value in node for args in send_events(value)]
    return []


def test_every_button_sends_a_word_the_dialogue_table_knows() -> None:
    step = raw(documents.STEP)
    buttons = step["layouts"]["Buttons"]["item"]["items"]
    assert sorted(button["say"] for button in buttons) == sorted(INTENT_FOR)
    assert send_events(step) == [["${say}"]]  # one button layout, one event each
    assert send_events(raw(documents.PROGRESS)) == []  # the week is to look at


def test_documents_are_small_enough_to_leave_room_for_the_words() -> None:
    sizes = {name: len(json.dumps(documents.document(name)).encode()) for name in documents.NAMES}
    assert sizes[documents.STEP] < 12_000 and sizes[documents.PROGRESS] < 6_000, sizes
    for name in documents.NAMES:
        assert "description" not in json.dumps(documents.document(name))


def test_the_drawings_in_the_docs_are_the_documents_drawings() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "drawings", ROOT / "scripts" / "screen_drawings.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT.read_text() == module.svg(raw(documents.STEP))
