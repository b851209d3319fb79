"""The skill's serializer reads every request to the same ASK SDK objects the SDK's own
reads from the request's JSON text, and writes every answer to the same JSON values:
over whole conversations (a speaker and a screen, a recognised speaker, the reminders
permission), every kind of request the skill gets, odd and hostile shapes, and any
change hypothesis makes to a request. (tests/conftest.py checks every request and
answer of the suite the same way.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.alexa.app import build_skill
from skill.alexa.model_io import JsonAttributes, Reader
from skill.alexa.reminders import build_request
from skill.alexa.serializer import EnvelopeSerializer
from skill.reminders.daily import DailyReminder
from skill.reminders.spoken_time import LocalTime
from skill.speech.copy import copy_for
from skill.store.sqlite import SQLiteProgressStore
from tests.household import HouseholdConversation
from tests.screen_devices import SCREENS
from tests.sdk_reference import reads_as_the_sdk, same

NO_API = "https://127.0.0.1:1"


def walk(tmp_path: Path, talk: HouseholdConversation) -> list[tuple[dict[str, Any], Any]]:
    """A whole routine, yes to the reminder, then the permission answer and a goodbye:
    every request sent, with the response envelope the skill made for it."""
    skill = build_skill(store=SQLiteProgressStore(tmp_path / "walk.sqlite3"), zone_bound=2.0)
    serializer = skill.serializer
    assert isinstance(serializer, EnvelopeSerializer)
    turns: list[tuple[dict[str, Any], Any]] = []

    def send(event: dict[str, Any]) -> dict[str, Any]:
        response = skill.invoke(request_envelope=serializer.read_envelope(event), context=None)
        turns.append((event, response))
        answer: dict[str, Any] = serializer.serialize(response)
        talk.receive(answer)
        return answer

    send(talk.launch())
    phase = ""
    for turn in range(60):
        if phase == "offer_reminder":
            send(talk.intent("AMAZON.YesIntent"))  # "What time?"
            send(talk.time_intent("SetReminderIntent", "09:00"))  # "nine in the morning. Right?"
            send(talk.intent("AMAZON.YesIntent"))  # the permission asked for, or set
            break
        heard = "AMAZON.NoIntent" if turn == 0 else "AMAZON.NextIntent"
        answer = send(talk.intent(heard))
        phase = str((answer.get("sessionAttributes") or {}).get("phase"))
    send(talk.permission_answer("ACCEPTED", "reminders"))
    send(talk.intent("AMAZON.HelpIntent"))
    send(talk.touch(["next"]))
    send(talk.intent("StartExerciseIntent", {"exercise": ("the ball one", "ball_roll")}))
    send(talk.intent("StartExerciseIntent", {"exercise": ("the thing", None)}))
    send(talk.intent("AMAZON.StopIntent"))
    send(talk.session_ended("ERROR"))
    send(talk.skill_disabled())
    return turns


PEOPLE = {
    "a speaker": {},
    "a screen": {"viewport": SCREENS["hub_landscape_large"]},
    "a round screen, a recognised voice": {
        "viewport": SCREENS["hub_round_small"],
        "person_id": "amzn1.ask.person.anna",
    },
    "a television, the permission granted": {
        "viewport": SCREENS["tv_landscape_xlarge"],
        "reminders_granted": True,
    },
}


def sdk_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the events read by the SDK's own path (the plans declined them)."""
    declined: list[str] = []
    plans = Reader.read

    def counted(self: Reader, payload: Any, type_name: str) -> Any:
        try:
            return plans(self, payload, type_name)
        except Exception as error:
            declined.append(repr(error))
            raise

    monkeypatch.setattr(Reader, "read", counted)
    return declined


@pytest.mark.parametrize("who", list(PEOPLE))
def test_every_request_of_whole_conversations_reads_as_the_sdk_reads_it(
    tmp_path: Path, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk = HouseholdConversation(api_endpoint=NO_API, **PEOPLE[who])
    turns = walk(tmp_path, talk)
    assert len(turns) > 20
    declined = sdk_reads(monkeypatch)
    for event, _ in turns:
        reads_as_the_sdk(event)
    assert declined == []  # every one read by the plans, none left to the SDK


@pytest.mark.parametrize("who", list(PEOPLE))
def test_every_answer_writes_as_the_sdk_writes_it(tmp_path: Path, who: str) -> None:
    talk = HouseholdConversation(api_endpoint=NO_API, **PEOPLE[who])
    turns = walk(tmp_path, talk)
    kinds = set()
    for _, response in turns:
        ours = EnvelopeSerializer().serialize(response)
        same(ours, DefaultSerializer().serialize(response), "answer")
        body = ours.get("response") or {}
        kinds |= set(body) | {d["type"] for d in body.get("directives", [])}
    assert {"outputSpeech", "reprompt", "directives"} <= kinds
    if not PEOPLE[who].get("reminders_granted"):  # else no AskFor: the reminder is set
        assert "Connections.SendRequest" in kinds
    if "viewport" in PEOPLE[who]:
        assert "Alexa.Presentation.APL.RenderDocument" in kinds


def base_event() -> dict[str, Any]:
    talk = HouseholdConversation(
        api_endpoint=NO_API, viewport=SCREENS["hub_landscape_small"], person_id="amzn1.ask.p"
    )
    talk.launch()
    talk.receive(
        {
            "response": {"shouldEndSession": False},
            "sessionAttributes": {"phase": "routine", "said": ["0123456789ab"], "v": 2},
        }
    )
    return talk.intent("StartExerciseIntent", {"exercise": ("the ball one", "ball_roll")})


def at(event: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


ODD = {
    "unknown keys kept as attributes": (("request", "futureField"), {"a": [1, 2.5, None]}),
    "a key naming an attribute": (("request", "request_id"), "shadow"),
    "a number for text": (("request", "locale"), 5),
    "true for text": (("request", "requestId"), True),
    "text for a flag": (("session", "new"), "yes"),
    "a float for a whole number": (("context", "Viewport", "pixelWidth"), 960.0),
    "a number for a float": (("context", "Viewport", "dpi"), 160),
    "text for a number": (("context", "Viewport", "pixelHeight"), "480"),
    "words for a number": (("context", "Viewport", "pixelHeight"), "tall"),
    "text for an object": (("context", "System"), "system"),
    "a list for an object": (("request", "intent"), ["name"]),
    "an object for a list": (("context", "Viewport", "touch"), {"SINGLE": 1}),
    "text for a list": (("context", "Viewport", "touch"), "SINGLE"),
    "a list for text": (("request", "locale"), ["en-US"]),
    "an object for text": (("request", "locale"), {"en": "US"}),
    "an unknown enum value": (("request", "dialogState"), "HALF_DONE"),
    "a list for an enum": (("request", "dialogState"), ["COMPLETED"]),
    "an unknown request type": (("request", "type"), "Alexa.Future.Request"),
    "no request type": (("request", "type"), None),
    "a number for a timestamp": (("request", "timestamp"), 1796226106),
    "an odd timestamp": (("request", "timestamp"), "May 1st 2026, 10am"),
    "no timestamp at all": (("request", "timestamp"), "not a time"),
    "a tuple": (("session", "attributes", "said"), ("0123456789ab",)),
    "a tuple for a list field": (("context", "Viewport", "touch"), ("SINGLE",)),
    "a number key": (("session", "attributes"), {1: "one"}),
    "a number key in a model": (("request",), {"type": "LaunchRequest", 7: "x"}),
    "an object JSON cannot hold": (("session", "attributes", "phase"), object()),
    "a set": (("request", "locale"), {"en-US"}),
    "attributes that are text": (("session", "attributes"), "phase=routine"),
    "no attributes": (("session", "attributes"), None),
    "null everywhere": (("context",), None),
}


# Read by the plans as the SDK reads them; the other odd cases go to the SDK's own path.
PLANS_READ = {
    "unknown keys kept as attributes",
    "a key naming an attribute",
    "a number for text",
    "true for text",
    "text for a flag",
    "a float for a whole number",
    "a number for a float",
    "text for a number",
    "an odd timestamp",
    "no attributes",
    "null everywhere",
}


@pytest.mark.parametrize("case", list(ODD))
def test_odd_requests_read_or_fail_as_the_sdks_own(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, value = ODD[case]
    event = at(base_event(), path, value)
    declined = sdk_reads(monkeypatch)
    reads_as_the_sdk(event)
    assert len(declined) == (0 if case in PLANS_READ else 1)


def test_the_plainest_events_read_as_the_sdks_own() -> None:
    for event in ({}, {"request": {}}, {"version": None}, {"request": {"type": "LaunchRequest"}}):
        reads_as_the_sdk(event)


def test_nesting_too_deep_for_json_fails_as_before() -> None:
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"x": deep}
    event = at(base_event(), ("session", "attributes"), deep)
    reads_as_the_sdk(event)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
JSONISH = st.recursive(
    SCALARS | st.sampled_from(["LaunchRequest", "IntentRequest", "COMPLETED", "2026-05-01"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(st.integers(), inner, min_size=1, max_size=1)
    ),
    max_leaves=6,
)
EVERY_PATH = paths(base_event())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EVERY_PATH), JSONISH)
def test_any_change_to_a_request_reads_or_fails_as_the_sdks_own(
    path: tuple[Any, ...], value: Any
) -> None:
    event = copy.deepcopy(base_event())  # (the screen's description is shared)
    node: Any = event
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    reads_as_the_sdk(event)


def test_the_session_attributes_copy_as_a_deep_copy_would() -> None:
    envelope = EnvelopeSerializer().read_envelope(base_event())
    assert isinstance(envelope, RequestEnvelope) and envelope.session is not None
    attributes = envelope.session.attributes
    assert type(attributes) is JsonAttributes
    copied = copy.deepcopy(attributes)
    assert type(copied) is dict and copied == copy.deepcopy(dict(attributes))
    copied["said"].append("changed")
    assert attributes["said"] == ["0123456789ab"]


def test_the_event_is_not_shared_with_what_was_read() -> None:
    event = base_event()
    envelope = EnvelopeSerializer().read_envelope(event)
    assert envelope.session is not None
    envelope.session.attributes["said"].append("changed")
    assert event["session"]["attributes"]["said"] == ["0123456789ab"]


@pytest.mark.parametrize("zone", ["America/Los_Angeles", None])
@pytest.mark.parametrize("locale", ["en-GB", "es-MX"])
def test_a_reminder_request_writes_as_the_sdk_writes_it(zone: str | None, locale: str) -> None:
    """The service clients write their request bodies with the skill's serializer too."""
    reminder = DailyReminder.for_person(LocalTime(21, 30), zone, copy_for(locale))
    body = build_request(reminder, "2026-11-30T14:10:00Z")
    written = EnvelopeSerializer().serialize(body)
    same(written, DefaultSerializer().serialize(body), "reminder")
    assert written["trigger"]["scheduledTime"].endswith("T21:30:00")  # a datetime, as text
