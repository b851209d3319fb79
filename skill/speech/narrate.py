"""The narration compiler: routine + settings + locale -> ordered segments.

A segment is what one Alexa response says: a natural unit (one exercise, or one
side or round of it) that ends with a prompt such as "Say next when you're
ready". Pure: the same inputs always give the same segments.

Timing is exact where it matters: holds and rolls are silences of the data's
length; counts are spaced so that one count starts every `tempo` seconds (the
locale says how long a spoken count takes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from skill.routine.model import Exercise, Routine
from skill.routine.settings import Settings
from skill.speech import ssml
from skill.speech.copy import Copy, copy_for
from skill.speech.script import Item, Pause, Say, estimate_seconds, render_text


@dataclass(frozen=True)
class Segment:
    id: str
    exercise: str
    body: tuple[Item, ...]
    prompt: tuple[Item, ...]
    seconds: float

    @property
    def items(self) -> tuple[Item, ...]:
        return self.body + self.prompt

    @cached_property
    def fragment(self) -> str:
        """The SSML without `<speak>`, so a handler can put a line before it."""
        return ssml.fragment(self.items)

    @cached_property
    def ssml(self) -> str:
        return ssml.speak(self.fragment)

    @cached_property
    def text(self) -> str:
        return render_text(self.items)

    @cached_property
    def prompt_text(self) -> str:
        return render_text(self.prompt)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "exercise": self.exercise,
            "ssml": self.ssml,
            "text": self.text,
            "seconds": round(self.seconds, 2),
        }


@dataclass
class _Part:
    """One segment in the making: its id suffix, body, and (optional) own prompt."""

    suffix: str
    body: list[Item] = field(default_factory=list)
    prompt: list[Item] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.body.append(Say(text))

    def pause(self, seconds: float) -> None:
        self.body.append(Pause(seconds))


@dataclass(frozen=True)
class _Context:
    routine: Routine
    settings: Settings
    copy: Copy

    @property
    def tempo(self) -> float:
        return self.routine.tempo.get(self.settings.tempo, self.routine.tempo["normal"])

    def count(self, part: _Part, how_many: int, interval: float) -> None:
        """Count aloud, one number starting every `interval` seconds."""
        word_seconds = self.copy.pace.count_word_seconds
        gap = max(interval - word_seconds, 0.1)
        for number in range(1, how_many + 1):
            part.body.append(Say(self.copy.number(number).capitalize() + ".", word_seconds))
            part.pause(gap)


Builder = Callable[[Exercise, _Context], list[_Part]]


def _toe_curls(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    if ctx.settings.toe_curl_tool == "marbles":
        return _marbles(exercise, ctx)
    reps, hold = ctx.settings.toe_curl_reps, float(params["hold_seconds"])
    sides: tuple[str, ...] = params["sides"]
    blocked = ctx.settings.toe_curl_order == "blocked"
    if blocked:
        parts = [_Part(side) for side in sides]
        order = [(part, side) for part, side in zip(parts, sides, strict=True) for _ in range(reps)]
    else:
        parts = [_Part("")]
        order = [(parts[0], side) for _ in range(reps) for side in sides]
    first = parts[0]
    first.say(copy.say("toe_curls.intro"))
    plan = "toe_curls.plan_blocked" if blocked else "toe_curls.plan_alternating"
    first.say(copy.say(plan, reps=copy.number(reps)))
    seen: set[str] = set()
    for part, side in order:
        detailed = side not in seen
        seen.add(side)
        part.say(
            copy.say("toe_curls.grip_first" if detailed else "toe_curls.grip", side=copy.side(side))
        )
        part.pause(hold)
        part.say(copy.say("toe_curls.spread_first" if detailed else "toe_curls.spread"))
        part.pause(hold)
        if detailed:  # once per foot; after that the next cue implies it
            part.say(copy.say("toe_curls.relax"))
    parts[-1].say(copy.say("toe_curls.done"))
    for part, next_side in zip(parts, sides[1:], strict=False):
        part.prompt.append(Say(copy.say("prompts.next_side", side=copy.side(next_side))))
    return parts


def _marbles(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy = ctx.copy
    count = copy.number(int(exercise.params["marbles"]["marbles"]))
    parts = []
    for index, side in enumerate(exercise.params["sides"]):
        part = _Part(f"marbles.{side}")
        if index == 0:
            part.say(copy.say("toe_curls.marbles.intro", count=count))
            part.say(copy.say("toe_curls.marbles.side_first", side=copy.side(side), count=count))
        else:
            part.say(copy.say("toe_curls.marbles.side", side=copy.side(side), count=count))
        # Untimed: the person moves the marbles at their own pace, then says next.
        part.prompt.append(Say(copy.say("prompts.marbles_done", count=count)))
        parts.append(part)
    return parts


def _ball_roll(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    sides: tuple[str, ...] = params["sides"]
    parts = []
    for index, side in enumerate(sides):
        part = _Part(side)
        intro = "ball_roll.intro" if index == 0 else "ball_roll.intro_side"
        part.say(copy.say(intro, side=copy.side(side)))
        for phase in params["phases"]:
            seconds = float(phase["seconds"])
            part.say(copy.say(f"ball_roll.{phase['key']}", seconds=copy.number(int(seconds))))
            if params["halfway_check"]:
                part.pause(seconds / 2)
                part.say(copy.say("ball_roll.halfway"))
                part.pause(seconds / 2)
            else:
                part.pause(seconds)
        part.say(copy.say("ball_roll.stop"))
        if index + 1 < len(sides):
            part.prompt.append(Say(copy.say("prompts.next_side", side=copy.side(sides[index + 1]))))
        parts.append(part)
    parts[-1].say(copy.say("ball_roll.done"))
    return parts


def _toe_spreading(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    passes, seconds = int(params["passes_per_foot"]), float(params["pass_seconds"])
    part = _Part("")
    part.say(copy.say("toe_spreading.intro"))
    for side in params["sides"]:
        part.say(copy.say("toe_spreading.side", side=copy.side(side), passes=copy.number(passes)))
        for number in range(1, passes + 1):
            part.say(copy.say("toe_spreading.pass", number=copy.number(number)))
            part.pause(seconds)
    part.say(copy.say("toe_spreading.done"))
    return [part]


def _tapping(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    rounds: tuple[str, ...] = params["rounds"]
    parts = []
    for index, round_name in enumerate(rounds):
        part = _Part(round_name)
        if index == 0:
            part.say(copy.say("tapping.intro"))
        part.say(copy.say(f"tapping.round_{round_name}"))
        for block in params["blocks"]:
            taps, times = int(block["taps"]), int(block["times"])
            if times == 1:
                part.say(copy.say("tapping.block_single", taps=copy.number(taps)))
            else:
                part.say(
                    copy.say(
                        "tapping.block_repeated", taps=copy.number(taps), times=copy.number(times)
                    )
                )
            for _ in range(times):
                for side in params["sides"]:
                    part.say(copy.say("tapping.side_label", side=copy.side(side)))
                    ctx.count(part, taps, ctx.tempo)
        if index + 1 < len(rounds):
            part.say(copy.say("tapping.round_done"))
            next_round = copy.say(f"tapping.round_names.{rounds[index + 1]}")
            part.prompt.append(Say(copy.say("prompts.next_tapping_round", round=next_round)))
        parts.append(part)
    parts[-1].say(copy.say("tapping.done"))
    return parts


def _pressure(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    hold = float(params["hold_seconds"])
    setup = _Part("setup")
    setup.say(copy.say("pressure_isolation.intro"))
    setup.say(copy.say("safety.hold_on"))
    setup.prompt.append(Say(copy.say("prompts.holding_on")))
    parts = [setup]
    sides: tuple[str, ...] = params["sides"]
    for index, side in enumerate(sides):
        part = _Part(side)
        if index == 0:
            part.say(copy.say("pressure_isolation.posture"))
        if side == "both":
            part.say(copy.say("pressure_isolation.both"))
        else:
            part.say(copy.say("pressure_isolation.side", side=copy.side(side)))
        for point in params["points"]:
            part.say(copy.say(f"pressure_isolation.points.{point}"))
            part.pause(hold)
        part.say(copy.say("pressure_isolation.points.release"))
        if index + 1 < len(sides):
            following = sides[index + 1]
            prompt = (
                copy.say("prompts.next_both")
                if following == "both"
                else copy.say("prompts.next_side", side=copy.side(following))
            )
            part.prompt.append(Say(prompt))
        parts.append(part)
    parts[-1].say(copy.say("pressure_isolation.done"))
    parts[-1].say(copy.say("safety.sit_down"))
    return parts


def _raises(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    reps = ctx.settings.raise_reps
    # Raises follow the user's tempo too: slower taps mean slower raises.
    rep_seconds = float(params["rep_seconds"]) * ctx.tempo / ctx.routine.tempo["normal"]
    standing = ctx.settings.raise_position == "standing"
    parts = []
    if standing:
        setup = _Part("setup")
        setup.say(copy.say("heel_toe_raises.intro_standing"))
        setup.say(copy.say("safety.hold_on"))
        setup.prompt.append(Say(copy.say("prompts.holding_on")))
        parts.append(setup)
    movements: tuple[str, ...] = params["movements"]
    for index, movement in enumerate(movements):
        part = _Part(movement)
        if index == 0 and not standing:
            part.say(copy.say("heel_toe_raises.intro_seated"))
        for side_index, side in enumerate(params["sides"]):
            key = movement if side_index == 0 else f"{movement}_side"
            part.say(
                copy.say(f"heel_toe_raises.{key}", side=copy.side(side), reps=copy.number(reps))
            )
            ctx.count(part, reps, rep_seconds)
        if index + 1 < len(movements):
            name = copy.say(f"heel_toe_raises.{movements[index + 1]}_name")
            part.prompt.append(Say(copy.say("prompts.next_exercise", name=name)))
        parts.append(part)
    parts[-1].say(copy.say("heel_toe_raises.done"))
    if standing:
        parts[-1].say(copy.say("safety.sit_down"))
    return parts


BUILDERS: dict[str, Builder] = {
    "grip_and_spread": _toe_curls,
    "timed_roll": _ball_roll,
    "passes": _toe_spreading,
    "tapping": _tapping,
    "pressure_points": _pressure,
    "raises": _raises,
}


def _segments(routine: Routine, settings: Settings, copy: Copy) -> Iterator[Segment]:
    ctx = _Context(routine, settings, copy)
    exercises = routine.exercises
    for index, exercise in enumerate(exercises):
        parts = BUILDERS[exercise.kind](exercise, ctx)
        for part_index, part in enumerate(parts):
            prompt = list(part.prompt)
            if part_index == len(parts) - 1:
                # The last part of an exercise points to the next exercise, or ends the routine.
                if index + 1 < len(exercises):
                    name = copy.exercise_name(exercises[index + 1].id)
                    prompt = [Say(copy.say("prompts.next_exercise", name=name))]
                else:
                    prompt = [Say(copy.say("prompts.finished"))]
            elif not prompt:
                prompt = [Say(copy.say("prompts.next_part"))]
            segment_id = f"{exercise.id}.{part.suffix}" if part.suffix else exercise.id
            body = tuple(part.body)
            yield Segment(
                id=segment_id,
                exercise=exercise.id,
                body=body,
                prompt=tuple(prompt),
                seconds=estimate_seconds(body + tuple(prompt), copy.pace),
            )


def compile_routine(routine: Routine, settings: Settings, copy: Copy) -> tuple[Segment, ...]:
    """Every segment of the routine, in order, for these settings and words."""
    return tuple(_segments(routine, settings, copy))


def warm_up(routine: Routine, copy: Copy) -> Segment:
    """The optional warm-up offered before starting; not part of the timed routine."""
    first = copy.exercise_name(routine.exercises[0].id)
    body = (
        Say(copy.say("warm_up.intro")),
        Say(copy.say("warm_up.how", minutes=copy.number(routine.warm_up_minutes))),
        Say(copy.say("warm_up.check")),
    )
    prompt = (Say(copy.say("prompts.after_warm_up", name=first)),)
    return Segment("warm_up", "warm_up", body, prompt, estimate_seconds(body + prompt, copy.pace))


def total_seconds(segments: tuple[Segment, ...]) -> float:
    return sum(segment.seconds for segment in segments)


@lru_cache(maxsize=64)
def compiled(routine: Routine, settings: Settings, locale: str) -> tuple[Segment, ...]:
    """The routine compiled once per (settings, locale) per process: turns reuse it."""
    return compile_routine(routine, settings, copy_for(locale))
