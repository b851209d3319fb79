"""The only code that writes SSML tags.

Alexa's limits (docs/platform.md): a `<break>` is at most 10 s, so longer silences
are chains of breaks; `outputSpeech` SSML must stay under 8,000 characters;
only Alexa's own tags are allowed; text must be XML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from skill.speech.script import Item, Pause, Say, format_seconds

MAX_BREAK_SECONDS = 10.0
MAX_SSML_CHARS = 8000
# One piece of text, escaped. Our longest sentence is a few hundred characters; the cap
# keeps any text that reaches SSML (a slot, a setting, a bug) well inside MAX_SSML_CHARS.
MAX_TEXT_CHARS = 2000
ALEXA_TAGS = frozenset(
    {
        "speak", "break", "p", "s", "prosody", "emphasis", "say-as", "sub", "phoneme", "w",
        "lang", "voice", "audio", "amazon:effect", "amazon:emotion", "amazon:domain", "mark",
        "alexa:name",
    }
)  # fmt: skip
_AMAZON_NS = "https://amazon.com/ssml"
_ALEXA_NS = "https://alexa.amazon.com/ssml"  # any URI: only for parsing in problems()
NAME_SLOT = "{name}"


class SayToPerson(Say, frozen=True):
    """A sentence with the recognised person's first name where `{name}` stands.

    Alexa speaks the name (`<alexa:name type="first" personId="..."/>`); the skill
    never sees it. `text` keeps the `{name}` slot: fill other placeholders with
    copy.say(key, name=NAME_SLOT, ...).
    """

    person_id: str = ""

    def ssml(self) -> str:
        tag = f'<alexa:name type="first" personId="{text(self.person_id)}"/>'
        return tag.join(text(part) for part in self.text.split(NAME_SLOT))


class SayDigits(Say, frozen=True):
    """A number read slowly, digit by digit, with a pause between digits (a one-time code).

    `text` is what the console shows; `digits` is what Alexa reads.
    """

    digits: str = ""
    gap_seconds: float = 0.4

    def ssml(self) -> str:
        gap = pause(self.gap_seconds)
        digits = gap.join(
            f'<say-as interpret-as="digits">{text(d)}</say-as>' for d in self.digits if d.isdigit()
        )
        return f'<prosody rate="slow">{digits}</prosody>'  # slowly, for writing down


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"))
# Everything XML 1.0 forbids in a document: C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF. A small class for the common ASCII case:
# the full class over every plane costs several milliseconds to compile at import.
_ASCII_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What text() would change in ASCII text: the above, and what it escapes.
_ASCII_TO_CHANGE = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f&<>"]')


def _xml_legal(value: str) -> str:
    if not value.isascii():
        value = "".join(ch for ch in value if _legal_code_point(ord(ch)))
    return _ASCII_NOT_XML.sub("", value)


def _legal_code_point(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def text(value: str) -> str:
    """The one way words enter SSML: XML-legal characters only, escaped (`&`, `<`, `>`,
    quotes), and at most MAX_TEXT_CHARS long (cut at a word, never inside an entity)."""
    if (
        type(value) is str
        and len(value) <= MAX_TEXT_CHARS
        and value.isascii()
        and _ASCII_TO_CHANGE.search(value) is None
    ):
        return value  # nothing to change (most sentences): ~3x faster than _escaped()
    return _escaped(value)


def _escaped(value: str) -> str:
    """text() step by step (text() skips the steps when none would change anything)."""
    value = _xml_legal(str(value))
    for raw, entity in _ESCAPES:  # "&" first, so entities are not escaped twice
        value = value.replace(raw, entity)
    if len(value) <= MAX_TEXT_CHARS:
        return value
    cut = value[:MAX_TEXT_CHARS]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]  # an entity would be split
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_TEXT_CHARS // 2 else cut).rstrip()


def unescape(value: str) -> str:
    for raw, entity in reversed(_ESCAPES):
        value = value.replace(entity, raw)
    return value.replace("&apos;", "'")


@lru_cache(maxsize=256)  # the routine's few lengths of silence, on every turn
def pause(seconds: float) -> str:
    """Exactly `seconds` of silence as chained breaks, each at most 10 s."""
    millis = round(seconds * 1000)
    tags = []
    while millis > 0:
        chunk = min(millis, int(MAX_BREAK_SECONDS * 1000))
        tags.append(f'<break time="{_format_ms(chunk)}"/>')
        millis -= chunk
    return "".join(tags)


def _format_ms(millis: int) -> str:
    return f"{millis // 1000}s" if millis % 1000 == 0 else f"{millis}ms"


def fragment(items: Iterable[Item]) -> str:
    """A script as an SSML fragment, without the `<speak>` wrapper: each item of
    `script.merged(items)` rendered, in one pass (no merged Pause is built)."""
    parts = []
    pending = 0.0  # silence not yet written: adjacent pauses become one
    for item in items:
        if isinstance(item, Pause):
            pending += item.seconds
            continue
        if not item.text.strip():
            continue
        if pending > 0:
            parts.append(pause(round(pending, 3)))
            pending = 0.0
        if isinstance(item, (SayToPerson, SayDigits)):
            parts.append(item.ssml())
        else:
            parts.append(text(item.text))
    if pending > 0:
        parts.append(pause(round(pending, 3)))
    return " ".join(parts)


def document(items: Iterable[Item]) -> str:
    """A script as a whole `<speak>` document: what an Alexa response says."""
    return speak(fragment(items))


def speak(*fragments: str) -> str:
    """Fragments joined into one `<speak>` document."""
    body = " ".join(part for part in fragments if part)
    return f"<speak>{body}</speak>"


def problems(ssml: str) -> list[str]:
    """What is wrong with an SSML document for Alexa; empty when it is fine."""
    from xml.etree import ElementTree  # only tests and tools check; keep it off cold starts

    found = []
    if len(ssml) >= MAX_SSML_CHARS:
        found.append(f"{len(ssml)} characters (limit {MAX_SSML_CHARS})")
    # Alexa accepts the amazon: prefix without a declaration; XML parsers don't.
    declared = ssml.replace(
        "<speak>", f'<speak xmlns:amazon="{_AMAZON_NS}" xmlns:alexa="{_ALEXA_NS}">', 1
    )
    try:
        root = ElementTree.fromstring(declared)
    except ElementTree.ParseError as error:
        return [*found, f"not well-formed XML: {error}"]
    if root.tag != "speak":
        found.append("root element is not <speak>")
    for element in root.iter():
        tag = element.tag.replace("{" + _AMAZON_NS + "}", "amazon:")
        tag = tag.replace("{" + _ALEXA_NS + "}", "alexa:")
        if tag not in ALEXA_TAGS:
            found.append(f"tag <{tag}> is not an Alexa SSML tag")
        if tag == "break":
            seconds = break_seconds(element.get("time", ""))
            if seconds is None or seconds > MAX_BREAK_SECONDS:
                found.append(f'break time="{element.get("time")}" is not 0-10 s')
    return found


def break_seconds(value: str) -> float | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value.strip())
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


_BREAKS = re.compile(r'(?:\s*<break time="([^"]+)"\s*/>)+')


def to_text(document: str) -> str:
    """An SSML document as console text: tags dropped, each run of breaks as `[N s]`."""

    def silence(match: re.Match[str]) -> str:
        total = sum(break_seconds(t) or 0.0 for t in re.findall(r'time="([^"]+)"', match.group(0)))
        return " " + format_seconds(total)

    text = _BREAKS.sub(silence, document)
    text = re.sub(r"<alexa:name [^>]*/>", "[first name]", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def merge_breaks(document: str) -> str:
    """Each run of chained breaks as one break of the summed length (for espeak-ng,
    which plays only one of several chained breaks; Alexa plays them all)."""

    def one(match: re.Match[str]) -> str:
        total = sum(break_seconds(t) or 0.0 for t in re.findall(r'time="([^"]+)"', match.group(0)))
        return f' <break time="{round(total * 1000)}ms"/>'

    return _BREAKS.sub(one, document)
