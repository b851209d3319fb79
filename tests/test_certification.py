"""What Alexa certification tries on every skill, as one table of checks run in every
locale, through `lambda_function.handler` with real request JSON.

Every phase of the dialogue is reached the way tests/dialogue_harness.py reaches it (its
walks, kept by the dialogue's own tests to reach every phase), replayed here as Alexa
requests: its utterances as intents with slots, its seeded history written to the skill's
own store, its failing store as a store that cannot be opened. The walks are intents, so
they hold in any language; the locales are the intents spec's list.

Times are measured as a check (under Alexa's 8 s), not as a benchmark: benchmarks/ has the
figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest

from skill.alexa import app
from skill.alexa.envelopes import Conversation
from skill.alexa.intents import load_spec
from skill.conversation import state as phases
from skill.conversation import table as t
from skill.conversation.clock import epoch_ms
from skill.conversation.turn import Heard
from skill.dev.utterances import matcher
from skill.progress.records import ProgressUpdate
from skill.speech.copy import SUPPORTED_LOCALES, copy_for
from skill.store.sharing_sqlite import SQLiteSharingStore
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Answer, Driver, lambda_handler
from tests.dialogue_harness import NOON, REACHES, ROUTINE, SEEDS, WALKS

ROOT = Path(__file__).resolve().parents[1]
LOCALES = SUPPORTED_LOCALES
NO_API = "https://127.0.0.1:1"  # no device: the Settings API fails at once
ALEXA_WAIT_SECONDS = 8.0
MAX_SSML_CHARS = 8000
DOWN = "/proc/foot-routine/progress.sqlite3"  # a folder nobody can create: the store is down
SPEC = load_spec()
TODAY = NOON.date()  # the harness's day: seeds and requests share it


class TimedDriver(Driver):
    """A Driver that holds every answer to Alexa's limits: time and SSML length."""

    def send(self, request: dict[str, Any]) -> Answer:
        started = time.perf_counter()
        answer = super().send(request)
        took = time.perf_counter() - started
        assert took < ALEXA_WAIT_SECONDS, (request["request"].get("intent"), took)
        body = answer.body
        for speech in (body.get("outputSpeech"), (body.get("reprompt") or {}).get("outputSpeech")):
            if speech:
                assert len(speech["ssml"]) <= MAX_SSML_CHARS, len(speech["ssml"])
        return answer


HANDLER: list[Callable[[dict[str, Any], Any], dict[str, Any]]] = []


def slots_of(heard: Heard) -> dict[str, tuple[str, str | None]]:
    """The harness's resolved slots as Alexa sends them: the words heard, the value id."""
    slots: dict[str, tuple[str, str | None]] = {}
    if heard.exercise:
        slots["exercise"] = (SPEC.exercise_values[heard.exercise][0], heard.exercise)
    if heard.order:
        slots["order"] = (SPEC.order_values[heard.order][0], heard.order)
    if heard.number is not None:
        slots["count"] = (str(heard.number), str(heard.number))
    if heard.time:
        slots["time"] = (heard.time, heard.time)
    for name in ("symptom", "place", "thing"):  # SYMPTOM, PLACE, THING: their first name
        value = getattr(heard, name)
        if value:
            slots[name] = (SPEC.slot_values(name.upper())[value][0], value)
    for name in ("name", "relation", "code", "message"):  # as heard: no value id
        value = getattr(heard, name)
        if value:
            slots[name] = (value, None)
    return slots


@dataclass
class Seeder:
    """What a harness seed needs: the person and the day, written to the skill's store."""

    user: str
    today: date = TODAY

    now_ms: int = epoch_ms(NOON.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def seed(self, update: ProgressUpdate) -> None:
        store = SQLiteProgressStore(Path(os.environ["PROGRESS_DB"]))
        store.save(self.user, update, ROUTINE.ids)

    @property
    def sharing(self) -> SQLiteSharingStore:
        return SQLiteSharingStore(SQLiteProgressStore(Path(os.environ["PROGRESS_DB"])))


def walk(locale: str, name: str) -> tuple[TimedDriver, Answer | None]:
    """A new person (on the harness's day) walked into the harness's phase `name`."""
    if not HANDLER:
        HANDLER.append(lambda_handler())
    talk = Conversation(
        user_id=f"amzn1.ask.account.{uuid.uuid4().hex}",
        locale=locale,
        api_endpoint=NO_API,
        timestamp=NOON.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    driver = TimedDriver(talk, HANDLER[0])
    if name in SEEDS:
        SEEDS[name](cast(Any, Seeder(talk.user_id)))
    answer = None
    working = os.environ["PROGRESS_DB"]
    try:
        for session in WALKS[name]:
            talk.end()  # each of the harness's sessions is a new one
            for step in session:
                if step == "fail":
                    os.environ["PROGRESS_DB"] = DOWN
                    app.reset()
                elif step == "launch":
                    answer = driver.launch()
                else:
                    assert not isinstance(step, str)
                    intent, heard = step
                    answer = driver.send(talk.intent(intent, slots_of(heard) or None))
    finally:
        if os.environ["PROGRESS_DB"] != working:
            os.environ["PROGRESS_DB"] = working
            app.reset()
    return driver, answer


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One embedded store for the module; every walk is a new person in it."""
    saved = {k: os.environ.get(k) for k in ("PROGRESS_DB", "PROGRESS_TABLE", "DEFAULT_TIME_ZONE")}
    os.environ["PROGRESS_DB"] = str(tmp_path_factory.mktemp("cert") / "progress.sqlite3")
    os.environ.pop("PROGRESS_TABLE", None)
    os.environ["DEFAULT_TIME_ZONE"] = "UTC"
    app.reset()
    HANDLER.clear()
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    app.reset()
    HANDLER.clear()


def test_every_phase_is_reached_through_the_lambda_entry(store: None) -> None:
    """Each walk lands where the harness says, through Alexa's requests (a walk of no
    steps leaves no session: what follows is a one-shot, which opens in START)."""
    assert set(REACHES.values()) == set(phases.PHASES)
    for name in WALKS:
        _, answer = walk("en-US", name)
        landed = answer.attributes.get("phase") if answer and not answer.ends else phases.START
        assert landed == REACHES[name], name


# ---------------------------------------------------------------------------- the checks


def launch_answers_and_keeps_the_session_open(locale: str) -> None:
    _, answer = walk(locale, "welcome")
    assert answer and answer.text and answer.reprompt and not answer.ends


def in_every_phase(locale: str, intent: str) -> Iterator[tuple[str, Answer]]:
    """`intent` said in every phase, and its answer."""
    for name in WALKS:
        driver, _ = walk(locale, name)
        yield REACHES[name], driver.say(intent)


def help_has_a_reprompt_in_every_phase(locale: str) -> None:
    for phase, answer in in_every_phase(locale, "Help"):
        assert answer.text and answer.reprompt and not answer.ends, phase


def stop_ends_the_session_from_every_phase(locale: str) -> None:
    for phase, answer in in_every_phase(locale, "Stop"):
        assert answer.ends, phase


def cancel_ends_the_session_from_every_phase(locale: str) -> None:
    for phase, answer in in_every_phase(locale, "Cancel"):
        assert answer.ends, phase


def session_ended_gets_no_speech(locale: str) -> None:
    for name in WALKS:
        for reason in ("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"):
            driver, _ = walk(locale, name)
            if not driver.talk.in_session:
                continue  # no session to end
            ended = driver.end(reason)
            assert "outputSpeech" not in ended.body and "reprompt" not in ended.body, name


def fallback_gets_a_reprompt(locale: str) -> None:
    for phase, answer in in_every_phase(locale, "Fallback"):
        assert answer.text and answer.reprompt and not answer.ends, phase


def navigate_home_does_not_error(locale: str) -> None:
    apology = copy_for(locale).say("errors.general")
    for phase, answer in in_every_phase(locale, "NavigateHome"):
        assert answer.text and apology not in answer.text, phase


def example_phrases_resolve_and_are_answered(locale: str) -> None:
    manifest = json.loads((ROOT / "skill-package" / "skill.json").read_text())["manifest"]
    phrases = manifest["publishingInformation"]["locales"][locale]["examplePhrases"]
    fallback_driver, _ = walk(locale, "start")
    fallback = fallback_driver.send(fallback_driver.talk.intent(t.FALLBACK)).text
    for phrase in phrases:
        heard = matcher(locale).match(phrase)
        driver, _ = walk(locale, "start")
        if heard.kind == "launch":
            answer = driver.launch()
        else:
            assert heard.intent and heard.intent != t.FALLBACK, phrase
            answer = driver.send(driver.talk.intent(heard.intent, heard.slots or None))
        assert answer.text and answer.text != fallback, phrase


def a_cold_start_answers_inside_alexas_wait(locale: str) -> None:
    """A fresh interpreter imports the Lambda entry and answers a launch."""
    request = Conversation(locale=locale, api_endpoint=NO_API).launch()
    code = (
        "import json, sys, time; started = time.perf_counter(); "
        f"sys.path[:0] = [{str(ROOT / 'lambda')!r}, {str(ROOT)!r}]; "
        "import lambda_function; "
        "answer = lambda_function.handler(json.loads(sys.stdin.read()), None); "
        "print(json.dumps({'seconds': time.perf_counter() - started, 'answer': answer}))"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(request), capture_output=True,
        text=True, timeout=60, check=False, env={**os.environ},
    )  # fmt: skip
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["answer"]["response"]["outputSpeech"]["ssml"]
    assert result["seconds"] < ALEXA_WAIT_SECONDS and wall < ALEXA_WAIT_SECONDS * 2, (
        result["seconds"],
        wall,
    )


CHECKS: dict[str, Callable[[str], None]] = {
    check.__name__: check
    for check in (
        launch_answers_and_keeps_the_session_open,
        help_has_a_reprompt_in_every_phase,
        stop_ends_the_session_from_every_phase,
        cancel_ends_the_session_from_every_phase,
        session_ended_gets_no_speech,
        fallback_gets_a_reprompt,
        navigate_home_does_not_error,
        example_phrases_resolve_and_are_answered,
        a_cold_start_answers_inside_alexas_wait,
    )
}


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("locale", LOCALES)
def test_certification(locale: str, check: str, store: None) -> None:
    CHECKS[check](locale)
