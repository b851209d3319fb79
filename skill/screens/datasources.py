"""The datasources of the screens: pure functions of what the voice says.

One source: the step screen's lines are the sentences of the segment being spoken,
its countdowns the silences of that same segment (the routine data's hold seconds),
its count the spoken counts; the week's figures are the numbers the progress answer
speaks. Nothing here is worded apart from the voice except the screen's own labels
(the locale's [screen] section).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Any

from msgspec import Struct

from skill.speech.copy import Copy
from skill.speech.narrate import Segment
from skill.speech.script import Item, Pause, Say, merged
from skill.summary.weekly_card import week_start

FALLBACK_DRAWING = "foot"
HOLD_FROM_S = 1.0  # a silence this long after a sentence is a hold, counted down
# The most characters shown at once: about three lines inside the Echo Spot's circle,
# two on a landscape hub. Longer sentences are shown a clause at a time.
LINE_CHARS = 60


class Cue(Struct, frozen=True):
    """What the step screen shows for `ms` milliseconds: a line and a count (or none)."""

    ms: int
    line: int
    count: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"ms": self.ms, "line": self.line, "count": self.count}


class Timeline(Struct, frozen=True):
    lines: tuple[str, ...]
    cues: tuple[Cue, ...]
    holds: tuple[int, ...]  # each countdown, as the whole seconds it starts from


def timeline(body: Sequence[Item], prompt: str, title: str, copy: Copy) -> Timeline:
    """The segment's script as cues timed like the voice: each sentence (a clause at a
    time when long) for as long as it takes to say, each hold counted down second by
    second, each spoken count shown as its number; the segment's closing prompt last."""
    lines: list[str] = []
    cues: list[Cue] = []
    holds: list[int] = []
    counted = 0

    def line() -> int:
        if not lines:
            lines.append(title)
        return len(lines) - 1

    for item in merged(body):
        if isinstance(item, Say) and item.seconds is None:
            counted = 0
            for part in chunks(item.text):
                lines.append(part)
                cues.append(Cue(_ms(copy.pace.say_seconds(part)), line()))
        elif isinstance(item, Say):
            counted += 1
            cues.append(Cue(_ms(item.seconds or 0.0), line(), str(counted)))
        elif isinstance(item, Pause):
            last = cues[-1] if cues else None
            if last is not None and not last.count and item.seconds >= HOLD_FROM_S:
                whole = int(item.seconds)
                holds.append(whole)
                rest = _ms(item.seconds - whole)
                for left in range(whole, 0, -1):
                    cues.append(Cue(1000 + (rest if left == 1 else 0), line(), str(left)))
            elif last is not None:
                cues[-1] = Cue(last.ms + _ms(item.seconds), last.line, last.count)
            else:
                cues.append(Cue(_ms(item.seconds), line()))
    if prompt.strip():
        *lead_in, final = chunks(prompt)
        for part in lead_in:
            lines.append(part)
            cues.append(Cue(_ms(copy.pace.say_seconds(part)), len(lines) - 1))
        lines.append(final)
        cues.append(Cue(0, len(lines) - 1))  # stays up: what to say next
    line()
    return Timeline(tuple(lines), tuple(cues), tuple(holds))


def chunks(text: str, limit: int = LINE_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters where it can be: whole sentences
    together while they fit, a long sentence cut after its commas, colons or
    semicolons. Joined with spaces, the pieces are `text` again."""
    pieces = [
        clause
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip())
        for clause in (
            [sentence] if len(sentence) <= limit else re.split(r"(?<=[,;:])\s+", sentence)
        )
        if clause
    ]
    packed: list[str] = []
    for piece in pieces:
        if packed and len(packed[-1]) + 1 + len(piece) <= limit:
            packed[-1] = f"{packed[-1]} {piece}"
        else:
            packed.append(piece)
    return packed


def step_source(
    segment: Segment,
    number: int,
    of: int,
    copy: Copy,
    drawings: Collection[str],
) -> dict[str, Any]:
    """The step screen's datasource for `segment`, step `number` of `of`."""
    name = copy.exercise_name(segment.exercise)
    title = name[:1].upper() + name[1:]  # a heading: the name as spoken, capitalised
    spoken = timeline(segment.body, segment.prompt_text, title, copy)
    return {
        "step": {
            "exercise": title,
            "position": copy.say("screen.step_of", n=number, m=of),
            "drawing": segment.exercise if segment.exercise in drawings else FALLBACK_DRAWING,
            "lines": list(spoken.lines),
            "cues": [cue.to_json() for cue in spoken.cues],
            "safety": copy.say("screen.safety"),
            "buttons": {key: copy.say(f"screen.{key}") for key in ("pause", "next", "stop")},
        }
    }


class ShownWeek(Struct, frozen=True):
    """The figures the progress answers speak, and the days behind them."""

    today: date
    done: frozenset[str]  # ISO local dates completed this week
    week: int
    streak: int
    total: int


def progress_source(figures: ShownWeek, copy: Copy) -> dict[str, Any]:
    """The week screen's datasource: Monday to Sunday, done ones marked, and the figures."""
    names, letters = copy.raw("screen.weekdays"), copy.raw("screen.weekday_letters")
    start = week_start(figures.today)
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        done = day.isoformat() in figures.done
        name = names[day.weekday()]
        days.append(
            {
                "name": name,
                "letter": letters[day.weekday()],
                "done": done,
                "today": day == figures.today,
                "said": copy.say("screen.day_done" if done else "screen.day_open", day=name),
            }
        )
    shown = (
        ("week_label", figures.week),
        ("streak_label", figures.streak),
        ("total_label", figures.total),
    )
    return {
        "progress": {
            "title": copy.say("screen.week_title"),
            "days": days,
            "figures": [{"label": copy.say(f"screen.{k}"), "value": str(v)} for k, v in shown],
        }
    }


def _ms(seconds: float) -> int:
    return max(round(seconds * 1000), 0)
