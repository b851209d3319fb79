"""Any event at the Lambda entry gets words or, where Alexa allows no speech, an empty
valid response: never an exception, never SSML Alexa would refuse."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.app import MAX_RESPONSE_BYTES, within_limits
from skill.alexa.envelopes import Conversation
from skill.speech import ssml
from skill.speech.copy import SUPPORTED_LOCALES, copy_for, match_locale
from tests.alexa_driver import Driver, check_response, lambda_handler

NO_API = "https://127.0.0.1:1"
SORRY = "Sorry, I didn't catch that."


def talk(**options: Any) -> Conversation:
    return Conversation(user_id="amzn1.ask.account.hostile", api_endpoint=NO_API, **options)


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"x": value}
    return value


def answer(event: Any) -> dict[str, Any]:
    envelope = lambda_handler()(event, None)
    json.dumps(envelope)  # what the Lambda runtime does with it
    return envelope


def spoken(envelope: dict[str, Any]) -> str:
    return ssml.to_text(envelope["response"]["outputSpeech"]["ssml"])


# -- item 5: malformed envelopes ------------------------------------------------------------
def test_no_context_gets_words(skill_env: Path) -> None:
    event = talk().launch()
    del event["context"]
    out = answer(event)
    check_response(event, out)
    assert spoken(out)


@pytest.mark.parametrize("depth", [800, 5000])
def test_deeply_nested_session_attributes_get_words(skill_env: Path, depth: int) -> None:
    conversation = talk()
    conversation.launch()
    event = conversation.intent("AMAZON.HelpIntent")
    event["session"]["attributes"] = nested(depth)
    out = answer(event)
    check_response(event, out)
    assert spoken(out) and len(json.dumps(out)) < 2000  # the nesting is not sent back


@pytest.mark.parametrize(
    "mangle",
    [
        lambda e: e.update(request=None),
        lambda e: e.update(request=[]),
        lambda e: e["request"].update(type=7),
        lambda e: e["request"].update(timestamp="yesterday"),
        lambda e: e["context"].update(System=None),
        lambda e: e["context"]["System"].update(user="me"),
        lambda e: e.update(session="x"),
        lambda e: e["session"].update(attributes=["a", "list"]),
        lambda e: e["request"].update(intent={"name": None, "slots": {"exercise": 3}}),
    ],
)
def test_mangled_fields_get_an_answer(skill_env: Path, mangle: Any) -> None:
    event = talk().intent("AMAZON.HelpIntent")
    mangle(event)
    out = answer(event)
    assert out["version"] == "1.0" and isinstance(out["response"], dict)
    speech = out["response"].get("outputSpeech")
    if speech:
        assert ssml.problems(speech["ssml"]) == []


@pytest.mark.parametrize("event", [None, [], "launch", 42, {}])
def test_not_even_an_envelope(skill_env: Path, event: Any) -> None:
    assert answer(event) == {"version": "1.0", "response": {}}


def test_session_end_without_context_is_empty(skill_env: Path) -> None:
    event = talk().session_ended()
    del event["context"]
    assert answer(event)["response"] == {}


# -- item 6: request.locale is matched, never a path ------------------------------------------
@pytest.mark.parametrize(
    "locale", ["../../pyproject", "../locales/en", "x" * 300, "en-US\x00", "EN-us", "", "en"]
)
def test_odd_locales_speak_the_default_locale(skill_env: Path, locale: str) -> None:
    person = Driver(talk(locale=locale))
    hello = person.launch()
    assert "Welcome to your foot routine" in hello.text
    assert person.say("No").text.startswith("Toe curls.")


def test_locale_matching() -> None:
    from skill.alexa.intents import load_spec

    assert set(SUPPORTED_LOCALES) == {*load_spec("en").locales, *load_spec("es").locales}
    for locale in SUPPORTED_LOCALES:
        assert match_locale(locale) == locale == copy_for(locale).locale
    for odd in ("../../pyproject", "de-DE", None, 3, "en_GB", "es_MX", "../es-MX"):
        assert match_locale(odd) == "en-US"
    # Another region of a language the skill speaks: that language's first locale.
    assert match_locale("es-AR") == "es-US" == copy_for("es-AR").locale
    assert match_locale("en-NZ") == "en-US"
    assert copy_for("../../pyproject").locale == "en-US"


# -- item 7: one sanitiser for all text, and the final check against Alexa's limits ----------
def test_sanitiser_keeps_only_xml_legal_escaped_capped_text() -> None:
    hostile = 'tap\x00\x07\x1b\ud800\udfff\ufffe<b>&amp;"' + "word " * 4000
    cleaned = ssml.text(hostile)
    assert cleaned.startswith("tap&lt;b&gt;&amp;amp;&quot;word")
    assert len(cleaned) <= ssml.MAX_TEXT_CHARS
    assert ssml.problems(ssml.speak(cleaned)) == []
    assert ssml.text("caf\u00e9 \U0001f9b6\tok") == "caf\u00e9 \U0001f9b6\tok"  # legal stays
    # A cut never splits an entity.
    amps = ssml.text("&" * 1000)
    assert amps.endswith("&amp;") and ssml.problems(ssml.speak(amps)) == []


@pytest.mark.parametrize(
    "heard",
    ["x" * 9000, "toe\x00curls\x1f\ud800", "<speak>&</speak>" * 600, "\ufffe\uffff" * 100],
)
def test_hostile_slot_text_gives_valid_ssml(skill_env: Path, heard: str) -> None:
    person = Driver(talk())  # check_response: well-formed, under 8,000 characters, 24 KB
    person.launch()
    for intent in ("StartExerciseIntent", "HowToIntent"):
        reply = person.say(intent, exercise=(heard, None))
        assert reply.text


def test_forged_huge_session_attributes_never_make_an_oversized_response(
    skill_env: Path,
) -> None:
    conversation = talk()
    first = answer(conversation.launch())
    conversation.receive(first)
    event = conversation.intent("AMAZON.HelpIntent")
    event["session"]["attributes"] = {
        **event["session"]["attributes"],
        **{f"junk{i}": "z" * 1000 for i in range(30)},
    }
    out = answer(event)
    check_response(event, out)  # at most 24 KB
    assert spoken(out)


def test_within_limits_replaces_what_alexa_would_refuse() -> None:
    event = talk().intent("AMAZON.HelpIntent")
    fine = {
        "version": "1.0",
        "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Hello.</speak>"}},
    }
    assert within_limits(event, copy.deepcopy(fine)) == fine
    long_ssml = copy.deepcopy(fine)
    long_ssml["response"]["outputSpeech"]["ssml"] = "<speak>" + "a " * 4000 + "</speak>"
    big = copy.deepcopy(fine)
    big["sessionAttributes"] = {"blob": "b" * MAX_RESPONSE_BYTES}
    long_reprompt = copy.deepcopy(fine)
    long_reprompt["response"]["reprompt"] = long_ssml["response"]
    for bad in (long_ssml, big, long_reprompt):
        out = within_limits(event, bad)
        check_response(event, out)
        assert spoken(out) == SORRY + " You can say start, help, or stop."
    ended = talk().session_ended()
    assert within_limits(ended, big) == {"version": "1.0", "response": {}}
