"""What sharing keeps, and its rules as pure functions.

One owner key (an account, or a recognised person in it: skill.progress.owner) has one
sharing record: the people following it, the people it follows, what waits to be said
at its next launch, and, on an account's record, the times of wrong codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from msgspec import Struct

# -- lock-out: five wrong codes from one account within an hour lock it for an hour -----
MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW_MS = 60 * 60 * 1000
LOCK_MS = 60 * 60 * 1000
KEEP_WRONG_CODES_MS = WRONG_CODE_WINDOW_MS + LOCK_MS  # older ones can no longer matter

# -- sizes: every stored value is bounded ------------------------------------------------
MAX_MESSAGE_CHARS = 120  # about 20 words: a few seconds of speech
MAX_LABEL_CHARS = 40
MAX_WAITING_MESSAGES = 5  # per person; a sixth is refused until they have heard these
MAX_LINKS = 10  # followers of one person, and people one follower follows


class Link(Struct, frozen=True):
    """One side of a link: `key` is the other owner, `name` what this side calls them."""

    key: str
    name: str = ""
    since_ms: int = 0


class Message(Struct, frozen=True):
    sender: str  # the follower's owner key
    text: str
    at_ms: int


class Sharing(Struct, frozen=True):
    """One owner's sharing record, as read."""

    followers: tuple[Link, ...] = ()  # who follows this owner (names this owner gave)
    following: tuple[Link, ...] = ()  # whom this owner follows (names this owner gave)
    new_followers: tuple[str, ...] = ()  # follower keys not yet announced
    messages: tuple[Message, ...] = ()  # waiting for this owner's next launch
    ended: tuple[str, ...] = ()  # names of people who stopped sharing with this owner
    wrong_codes: tuple[int, ...] = ()  # times (ms) of wrong codes (account records only)
    code: str | None = None  # digest of this owner's outstanding code

    def follower(self, key: str) -> Link | None:
        return next((link for link in self.followers if link.key == key), None)

    def followed(self, key: str) -> Link | None:
        return next((link for link in self.following if link.key == key), None)

    @property
    def has_news(self) -> bool:
        return bool(self.new_followers or self.messages or self.ended)


def locked_until(wrong_codes: Iterable[int], now_ms: int) -> int | None:
    """When the account may try codes again, or None when it may now.

    Locked for LOCK_MS from the wrong code that made MAX_WRONG_CODES within
    WRONG_CODE_WINDOW_MS.
    """
    times = sorted(wrong_codes)
    until = None
    for first, last in zip(times, times[MAX_WRONG_CODES - 1 :], strict=False):
        if last - first < WRONG_CODE_WINDOW_MS and last + LOCK_MS > now_ms:
            until = max(until or 0, last + LOCK_MS)
    return until


def recent_wrong_codes(wrong_codes: Iterable[int], now_ms: int) -> tuple[int, ...]:
    """The wrong-code times that can still count (kept; the rest are dropped on write)."""
    return tuple(sorted(t for t in wrong_codes if now_ms - t < KEEP_WRONG_CODES_MS))


_KEEP = re.compile(r"[^\w ,.!?'’-]+")
_SPACES = re.compile(r"\s+")


def clean_text(value: object, limit: int) -> str | None:
    """Heard words, kept short and plain: letters, digits, spaces and light punctuation,
    cut at a word to `limit` characters. None when nothing is left. SSML escaping
    happens when spoken (skill.speech.ssml), like every spoken value."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", _KEEP.sub(" ", value.replace("_", " "))).strip()
    text = "".join(ch for ch in text if ch.isprintable())
    if len(text) > limit:
        cut = text[: limit + 1]
        space = cut.rfind(" ")
        text = (cut[:space] if space > limit // 2 else text[:limit]).rstrip(" ,")
    return text or None


def clean_message(value: object) -> str | None:
    return clean_text(value, MAX_MESSAGE_CHARS)


def clean_name(value: object) -> str | None:
    return clean_text(value, MAX_LABEL_CHARS)
