"""The first answer loads nothing it does not use, and what it no longer loads at start
still works when asked for (each cut checked for unchanged behaviour).

A fresh interpreter imports the Lambda entry and answers a real LaunchRequest, as Lambda
runs it without SnapStart; the test then reads which modules it loaded.
"""

from __future__ import annotations

import calendar
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill import prebuilt
from skill.alexa.envelopes import Conversation
from skill.progress.practice import add_months
from skill.speech.copy import copy_for
from tests import fresh_process
from tests.screen_devices import SCREENS
from tests.store_fixtures import create_table

pytest_plugins = ["tests.store_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
NO_API = "https://127.0.0.1:1"  # refused before any byte (loopback is not allowed here)

FIRST_ANSWER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
answer = lambda_function.handler(json.loads(sys.stdin.read()), None)
watched = json.loads(sys.argv[2])
print(json.dumps({"answer": answer, "loaded": [m for m in watched if m in sys.modules]}))
"""

# Not needed by a first answer that makes no reminder, permission, card or API call.
NOT_AT_START = [
    "tomllib",  # the data is prebuilt (skill/prebuilt.py)
    "importlib.metadata",  # urllib3's http2 package (skill/store/urllib3_http2.py)
    "http.client",  # the Alexa API client, on its first call
    "ssl",
    "skill.alexa.reminders",  # the Reminders API client, on first use
    "ask_sdk_model.interfaces.connections.send_request_directive",  # the AskFor directive
    "skill.alexa.envelopes",  # sample requests, only warmed in a SnapStart init
    "skill.dev",
    "skill.screens.choose",  # a speaker's answer builds no screen (loaded for a screen device)
    "ask_sdk_model.interfaces.alexa.presentation.apl",  # APL models: a touch loads them
    "skill.sharing.talk",  # the care-partner conversation, on a sharing utterance or news
    "skill.sharing.records",
    "dateutil.parser",  # timestamps read with fromisoformat (skill/alexa/serializer.py)
    "hashlib",  # sha256 only where a first answer never goes (DynamoDB writes, voices, carry-over)
]


@pytest.fixture(scope="module", autouse=True)
def built_data() -> None:
    """The prebuilt data, as the Lambda zip has it (skill/prebuilt.py)."""
    prebuilt.main()


def first_answer(env: dict[str, str], event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = fresh_process.first_answer(
        FIRST_ANSWER, env, event, json.dumps(NOT_AT_START)
    )
    return result


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PROGRESS_TABLE", "PROGRESS_DB")}
    env.pop("ALEXA_API_ALLOW_LOOPBACK", None)
    env.pop("AWS_LAMBDA_INITIALIZATION_TYPE", None)
    return {**env, "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "ERROR", **extra}


def spoken(result: dict[str, Any]) -> str:
    return str(result["answer"]["response"]["outputSpeech"]["ssml"])


NOT_MEDICAL_ADVICE = copy_for("en-US").say("safety.not_medical_advice")[:40]


def test_the_first_answer_on_the_embedded_store_loads_only_what_it_uses(tmp_path: Path) -> None:
    talk = Conversation(user_id="amzn1.ask.account.coldpath", api_endpoint=NO_API)
    result = first_answer(clean_env(PROGRESS_DB=str(tmp_path / "p.sqlite3")), talk.launch())
    assert NOT_MEDICAL_ADVICE in spoken(result)  # the first-contact line
    assert result["loaded"] == []


def test_a_screen_devices_first_answer_still_shows_the_screen(tmp_path: Path) -> None:
    talk = Conversation(
        user_id="amzn1.ask.account.coldscreen",
        api_endpoint=NO_API,
        viewport=next(iter(SCREENS.values())),
    )
    env = clean_env(PROGRESS_DB=str(tmp_path / "p.sqlite3"))
    first = first_answer(env, talk.launch())
    assert NOT_MEDICAL_ADVICE in spoken(first)
    talk.receive(first["answer"])
    step = first_answer(env, talk.intent("AMAZON.NoIntent"))  # no warm-up: the first step
    shown = [
        d
        for d in step["answer"]["response"].get("directives", [])
        if d["type"] == "Alexa.Presentation.APL.RenderDocument"
    ]
    assert len(shown) == 1 and shown[0]["datasources"]
    assert "skill.screens.choose" in step["loaded"]
    # A touch on the screen's "next" in a fresh process answers as the word does.
    talk.receive(step["answer"])
    touched = first_answer(env, talk.touch(["next"], token="foot-routine"))
    said = first_answer(env, talk.intent("AMAZON.NextIntent"))
    assert spoken(touched) == spoken(said) and "<speak>" in spoken(touched)
    assert "ask_sdk_model.interfaces.alexa.presentation.apl" in touched["loaded"]


def test_a_sharing_utterance_in_a_fresh_process_still_answers(tmp_path: Path) -> None:
    talk = Conversation(user_id="amzn1.ask.account.coldcare", api_endpoint=NO_API)
    env = clean_env(PROGRESS_DB=str(tmp_path / "p.sqlite3"))
    talk.receive(first_answer(env, talk.launch())["answer"])
    asked = first_answer(env, talk.intent("FollowIntent", {"relation": ("my mum", "mother")}))
    assert "six numbers" in spoken(asked)
    assert "skill.sharing.talk" in asked["loaded"]


def test_the_first_answer_on_dynamodb_loads_no_package_metadata(
    dynamodb_endpoint: str, tmp_path: Path
) -> None:
    table = create_table(dynamodb_endpoint)
    env = clean_env(PROGRESS_TABLE=table, DYNAMODB_ENDPOINT=dynamodb_endpoint)
    talk = Conversation(user_id="amzn1.ask.account.coldddb", api_endpoint=NO_API)
    first = first_answer(env, talk.launch())
    assert NOT_MEDICAL_ADVICE in spoken(first)
    assert "importlib.metadata" not in first["loaded"]
    # The record was written and is read back by a second fresh process: the store works.
    talk.end()
    again = first_answer(env, talk.launch())
    assert NOT_MEDICAL_ADVICE not in spoken(again)


LAZY_HTTP2 = r"""
import sys
from skill.store import urllib3_http2
assert urllib3_http2.register()
import urllib3.connection, urllib3.connectionpool
urllib3_http2.bind()
assert "importlib.metadata" not in sys.modules
import urllib3
from urllib3.http2 import probe
assert probe.acquire_and_get is not None
inject = urllib3.http2.inject_into_urllib3  # the real __init__, loaded on first use
assert callable(inject) and inject.__module__ == "urllib3.http2"
assert "importlib.metadata" in sys.modules
print("ok")
"""


def test_urllib3_http2_still_offers_its_functions_when_asked() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAZY_HTTP2], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_month_arithmetic_without_calendar_is_unchanged() -> None:
    def with_calendar(day: date, months: int) -> date:
        years, month0 = divmod(day.month - 1 + months, 12)
        year, month = day.year + years, month0 + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    day = date(2023, 1, 1)
    while day < date(2029, 1, 1):
        for months in (0, 1, 2, 10, 11, 12, 13, 25):
            assert add_months(day, months) == with_calendar(day, months), (day, months)
        day += timedelta(days=1)


INIT_COLLECTIONS = r"""
import gc, json, sys
sys.path.insert(0, sys.argv[1])
ran = []
gc.callbacks.append(lambda phase, info: ran.append(phase) if phase == "start" else None)
import lambda_function
print(json.dumps({"during_init": len(ran), "enabled": gc.isenabled(),
                  "frozen": gc.get_freeze_count()}))
"""


def test_the_lambda_init_collects_no_garbage_then_freezes_what_it_built(tmp_path: Path) -> None:
    """The collector is paused while init builds what lives as long as the process, and
    is back on, with that frozen, before the first request (lambda/lambda_function.py)."""
    done = subprocess.run(
        [sys.executable, "-c", INIT_COLLECTIONS, str(ROOT / "lambda")],
        cwd=ROOT,
        env=clean_env(PROGRESS_DB=str(tmp_path / "p.sqlite3")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["during_init"] <= 1  # at most one, before the entry's first line runs
    assert seen["enabled"] is True
    assert seen["frozen"] > 10_000  # modules, classes and the skill: tens of thousands
