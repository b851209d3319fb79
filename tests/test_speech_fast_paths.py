"""ssml.text() returns words unchanged when escaping would change nothing, and pause()
keeps the breaks it wrote: the same SSML as the full steps, for any text at all."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from skill.speech import ssml

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
