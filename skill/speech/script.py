"""A script is what one response says: sentences and silences, in order.

The narration compiler builds scripts; renderers turn one script into SSML
(`ssml.py`), plain text for the console, or a duration estimate. Keeping the
script as data is what lets one compiler feed Alexa, the console, the audio
preview and the timing report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from msgspec import Struct


class Say(Struct, frozen=True):
    """A whole sentence (or a few), as plain text. Escaped only when rendered.

    `seconds` overrides the words-per-second estimate for items whose length
    is known better, such as a single spoken count.
    """

    text: str
    seconds: float | None = None


class Pause(Struct, frozen=True):
    """Silence of an exact length, in seconds."""

    seconds: float


Item = Say | Pause


class Pace(Struct, frozen=True):
    """How fast the voice speaks, for duration estimates and count timing.

    Alexa speaks about 150 words a minute; a single spoken count ("three")
    takes about a third of a second. Both are per-locale numbers.
    """

    words_per_second: float = 2.5
    count_word_seconds: float = 0.32

    def say_seconds(self, text: str) -> float:
        words = len(text.split())
        return words / self.words_per_second


def merged(items: Iterable[Item]) -> Iterator[Item]:
    """Adjacent pauses joined into one, and empty sentences dropped."""
    pending = 0.0
    for item in items:
        if isinstance(item, Pause):
            pending += item.seconds
            continue
        if not item.text.strip():
            continue
        if pending > 0:
            yield Pause(round(pending, 3))
            pending = 0.0
        yield item
    if pending > 0:
        yield Pause(round(pending, 3))


def estimate_seconds(items: Iterable[Item], pace: Pace) -> float:
    """How long the script takes to play, speech estimated, silences exact."""
    total = 0.0
    for item in items:
        if isinstance(item, Pause) or item.seconds is not None:
            total += item.seconds or 0.0
        else:
            total += pace.say_seconds(item.text)
    return total


def format_seconds(seconds: float) -> str:
    text = f"{seconds:.2f}".rstrip("0").rstrip(".")
    return f"[{text} s]"


def render_text(items: Iterable[Item]) -> str:
    """Plain text, silences shown like `[3 s]`: for the console and the preview."""
    parts = []
    for item in merged(items):
        parts.append(format_seconds(item.seconds) if isinstance(item, Pause) else item.text)
    return " ".join(parts)
