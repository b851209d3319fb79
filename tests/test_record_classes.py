"""The skill's record classes are msgspec Structs, built in C, not dataclasses: the
dataclasses module writes and exec()s source for each class's methods, about 0.8 ms a class,
and the first answer defines some fifty (docs/deploy.md, "what the first answer pays for").

A fresh interpreter imports the Lambda entry with dataclasses' class builder watched and
answers a real LaunchRequest, as Lambda runs it without SnapStart.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

import pytest

from skill import prebuilt
from skill.alexa.envelopes import Conversation
from tests import fresh_process
from tests.store_fixtures import create_table

pytest_plugins = ["tests.store_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
NO_API = "https://127.0.0.1:1"  # refused before any byte: no zone lookup

FIRST_ANSWER = r"""
import dataclasses, json, sys
made = []
build = dataclasses._process_class
def watched(cls, *args, **kwargs):
    made.append(f"{cls.__module__}.{cls.__qualname__}")
    return build(cls, *args, **kwargs)
dataclasses._process_class = watched
sys.path.insert(0, sys.argv[1])
import lambda_function
answer = lambda_function.handler(json.loads(sys.stdin.read()), None)
import msgspec
def structs(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from structs(sub)
ours = sorted(f"{c.__module__}.{c.__qualname__}" for c in structs(msgspec.Struct)
              if c.__module__.startswith("skill."))
print(json.dumps({"answer": answer, "dataclasses": made, "structs": ours}))
"""

# Records every first answer builds and uses: they must be there, as Structs.
USED = {
    "skill.progress.records.UserProgress",
    "skill.progress.records.ProgressUpdate",
    "skill.conversation.state.SessionState",
    "skill.conversation.turn.Turn",
    "skill.conversation.turn.Reply",
    "skill.routine.model.Routine",
    "skill.routine.settings.Settings",
    "skill.speech.narrate.Segment",
    "skill.speech.script.Say",
}


@pytest.fixture(scope="module", autouse=True)
def built_data() -> None:
    """The prebuilt data, as the Lambda zip has it (skill/prebuilt.py)."""
    prebuilt.main()


def first_answer(env: dict[str, str], event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = fresh_process.first_answer(FIRST_ANSWER, env, event)
    assert result["answer"]["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    return result


def clean_env(**extra: str) -> dict[str, str]:
    drop = ("PROGRESS_TABLE", "PROGRESS_DB", "ALEXA_API_ALLOW_LOOPBACK")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.pop("AWS_LAMBDA_INITIALIZATION_TYPE", None)
    return {**env, "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "ERROR", **extra}


def skill_dataclasses(result: dict[str, Any]) -> list[str]:
    return [name for name in result["dataclasses"] if name.startswith("skill.")]


def test_the_first_answer_on_the_embedded_store_builds_no_dataclass(tmp_path: Path) -> None:
    talk = Conversation(user_id="amzn1.ask.account.records-embedded", api_endpoint=NO_API)
    result = first_answer(clean_env(PROGRESS_DB=str(tmp_path / "p.sqlite3")), talk.launch())
    assert skill_dataclasses(result) == []
    assert set(result["structs"]) >= USED, USED - set(result["structs"])


def test_the_first_answer_on_dynamodb_builds_no_dataclass(
    dynamodb_endpoint: str, tmp_path: Path
) -> None:
    table = create_table(dynamodb_endpoint)
    talk = Conversation(user_id="amzn1.ask.account.records-dynamodb", api_endpoint=NO_API)
    env = clean_env(
        PROGRESS_TABLE=table,
        DYNAMODB_ENDPOINT=dynamodb_endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    result = first_answer(env, talk.launch())
    assert skill_dataclasses(result) == []
    assert set(result["structs"]) >= USED, USED - set(result["structs"])


def test_no_module_of_the_skill_declares_a_dataclass() -> None:
    """Off the first answer too (reminders, sharing, the web verifier, the console's tools):
    one kind of record class throughout."""
    found = []
    for path in sorted((ROOT / "skill").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if "dataclasses" in names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
