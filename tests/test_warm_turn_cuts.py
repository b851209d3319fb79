"""Cuts to a warm turn's work that must not change an answer: ssml.text() returns words
unchanged when escaping would change nothing, pause() keeps the breaks it wrote, and
fragment() renders a script in one pass (the same SSML as the full steps, for any text
and any script); the answer's size is checked on one
encoding's length, the same count of bytes as before. (Reading and writing the ASK SDK's
objects: tests/test_model_io.py.)"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from skill.alexa import app
from skill.speech import ssml
from skill.speech.script import Item, Pause, Say, merged

# What reaches SSML: routine sentences, and anything a slot or a bug could bring.
SENTENCES = st.sampled_from(
    [
        "Big toe.",
        "Stand tall, feet together, eyes ahead. Hold the back of a chair.",
        'Say "next" when you\'re ready.',
        "Tom & Jerry <3",
        "Señora María, ¿lista?",
        "x" * ssml.MAX_TEXT_CHARS,
        "x " * ssml.MAX_TEXT_CHARS,
        "tab\there, a bell\x07, a NUL\x00",
    ]
)


@given(SENTENCES | st.text() | st.text(alphabet=st.characters(max_codepoint=127)))
def test_text_is_what_the_full_steps_give(value: str) -> None:
    assert ssml.text(value) == ssml._escaped(value)


def test_words_that_need_nothing_are_the_same_words() -> None:
    words = "Slowly now. Press down one spot at a time."
    assert ssml.text(words) is words
    assert ssml.text('Say "ready" & wait') == "Say &quot;ready&quot; &amp; wait"


@given(st.floats(min_value=0, max_value=120, allow_nan=False) | st.integers(0, 120))
def test_a_pause_is_the_same_breaks_every_time(seconds: float) -> None:
    assert ssml.pause(seconds) == ssml.pause.__wrapped__(seconds) == ssml.pause(seconds)


@given(
    st.text(max_size=400) | st.sampled_from(["ñandú ", "🦶 ", "\u2028", '"\\', "a"]),
    st.integers(min_value=-3, max_value=3),
)
def test_the_size_check_counts_the_bytes_alexa_gets(words: str, over: int) -> None:
    """Right at Alexa's limit, with words JSON escapes to several bytes each."""
    answer: dict[str, object] = {
        "version": "1.0",
        "response": {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{words * 30}</speak>"}},
        "sessionAttributes": {"blob": ""},
    }
    filler = app.MAX_RESPONSE_BYTES - len(json.dumps(answer).encode()) + over
    answer["sessionAttributes"] = {"blob": "b" * max(filler, 0)}
    encoded = json.dumps(answer).encode()
    assert app._too_big(answer) == (len(encoded) > app.MAX_RESPONSE_BYTES)
    if filler >= 0:
        assert app._too_big(answer) == (over > 0)


def rendered_by_steps(items: list[Item]) -> str:
    """A script's SSML as fragment() wrote it before its one pass: merged, then each item."""
    parts = []
    for item in merged(items):
        if isinstance(item, Pause):
            parts.append(ssml.pause(item.seconds))
        elif isinstance(item, (ssml.SayToPerson, ssml.SayDigits)):
            parts.append(item.ssml())
        else:
            parts.append(ssml.text(item.text))
    return " ".join(parts)


WORDS = st.sampled_from(["Big toe.", "", "  ", "Say next & wait.", "Señora"]) | st.text(max_size=8)
ITEMS = st.lists(
    st.one_of(
        st.builds(Say, WORDS),
        st.builds(Pause, st.sampled_from([0.0, 0.25, 1.0, 3.0, 10.0, 12.5, 0.0004])),
        st.builds(ssml.SayToPerson, st.sampled_from(["Well done, {name}.", " "]), person_id=WORDS),
        st.builds(ssml.SayDigits, WORDS, digits=st.text("0123456789x", max_size=6)),
    ),
    max_size=12,
)


@given(ITEMS)
def test_a_script_renders_as_merged_then_item_by_item(items: list[Item]) -> None:
    assert ssml.fragment(items) == rendered_by_steps(items)
