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

# What a segment asks of the person, which the dialogue answers differently:
READY = "ready"  # a gate before timed work: "say ready when the towel is under your feet"
WORK = "work"  # guided work; the microphone opens after it for "next"
AWAY = "away"  # longer than the microphone stays open: the session ends with the way back


@dataclass(frozen=True)
class Segment:
    id: str
    exercise: str
    body: tuple[Item, ...]
    prompt: tuple[Item, ...]
    seconds: float
    kind: str = WORK
    counted: bool = False  # counts aloud at the user's tempo (slower/faster re-pace it)
    standing: bool = False  # done standing: entered only through its exercise's ready gate

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
    kind: str = WORK
    counted: bool = False

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

    def gate(self, key: str, **values: object) -> _Part:
        """The ready gate before timed work: what to set up, then "say ready when ..."."""
        part = _Part("ready", kind=READY)
        part.say(self.copy.say(f"{key}.intro", **values))
        part.prompt.append(Say(self.copy.say(f"{key}.ready", **values)))
        return part

    def count(self, part: _Part, how_many: int, interval: float) -> None:
        """Count aloud, one number starting every `interval` seconds."""
        part.counted = True
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
    plan = "toe_curls.plan_blocked" if blocked else "toe_curls.plan_alternating"
    parts[0].say(copy.say(plan, reps=copy.number(reps)))
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
    parts[-1].say(copy.say("toe_curls.done"))
    for part, next_side in zip(parts, sides[1:], strict=False):
        part.prompt.append(Say(copy.say("prompts.next_side", side=copy.side(next_side))))
    return [ctx.gate("toe_curls"), *parts]


def _marbles(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, marbles = ctx.copy, exercise.params["marbles"]
    count, bowls = copy.number(int(marbles["marbles"])), copy.number(int(marbles["bowls"]))
    gate = ctx.gate("toe_curls.marbles", count=count, bowls=bowls)
    gate.suffix = "marbles.ready"
    parts = [gate]
    sides: tuple[str, ...] = exercise.params["sides"]
    for index, side in enumerate(sides):
        # Untimed, and longer than the microphone stays open: the session ends with
        # the way back, and the next launch carries on from the following step.
        part = _Part(f"marbles.{side}", kind=AWAY if marbles["untimed"] else WORK)
        key = "side_first" if index == 0 else "side"
        part.say(copy.say(f"toe_curls.marbles.{key}", side=copy.side(side), count=count))
        if index + 1 < len(sides):
            following = copy.say("toe_curls.marbles.next_side", side=copy.side(sides[index + 1]))
        else:
            following = copy.say("toe_curls.marbles.next_exercise")
        part.prompt.append(Say(copy.say("prompts.away_marbles", count=count, then=following)))
        parts.append(part)
    return parts


def _ball_roll(exercise: Exercise, ctx: _Context) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    sides: tuple[str, ...] = params["sides"]
    parts = [ctx.gate("ball_roll", side=copy.side(sides[0]))]
    for index, side in enumerate(sides):
        part = _Part(side)
        if index > 0:
            part.say(copy.say("ball_roll.intro_side", side=copy.side(side)))
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
    sides: tuple[str, ...] = params["sides"]
    gate = ctx.gate("toe_spreading", side=copy.side(sides[0]))
    part = _Part("")
    for side in sides:
        part.say(copy.say("toe_spreading.side", side=copy.side(side), passes=copy.number(passes)))
        for number in range(1, passes + 1):
            part.say(copy.say("toe_spreading.pass", number=copy.number(number)))
            part.pause(seconds)
    part.say(copy.say("toe_spreading.done"))
    return [gate, part]


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
    parts = [ctx.gate("pressure_isolation")]
    sides: tuple[str, ...] = params["sides"]
    for index, side in enumerate(sides):
        part = _Part(side)
        if index == 0:
            part.say(copy.say("pressure_isolation.posture"))
        if side == "both":
            part.say(copy.say("pressure_isolation.both"))
        else:
            key = "side_first" if index == 0 else "side"
            part.say(copy.say(f"pressure_isolation.{key}", side=copy.side(side)))
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
        parts.append(ctx.gate("heel_toe_raises.standing"))
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


def _standing(exercise: Exercise, settings: Settings) -> bool:
    if exercise.kind == "raises":
        return settings.raise_position == "standing"
    return exercise.standing


def _segments(routine: Routine, settings: Settings, copy: Copy) -> Iterator[Segment]:
    ctx = _Context(routine, settings, copy)
    exercises = routine.exercises
    for index, exercise in enumerate(exercises):
        parts = BUILDERS[exercise.kind](exercise, ctx)
        # Every exercise's first part says it once: only as far as is comfortable.
        parts[0].body.insert(1, Say(copy.say("safety.comfortable")))
        standing = _standing(exercise, settings)
        for part_index, part in enumerate(parts):
            prompt = list(part.prompt)
            if part.kind != WORK:
                pass  # a gate or a step away says its own way on
            elif part_index == len(parts) - 1:
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
                kind=part.kind,
                counted=part.counted,
                standing=standing,
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
    seconds = estimate_seconds(body + prompt, copy.pace)
    return Segment("warm_up", "warm_up", body, prompt, seconds, kind=AWAY)


def total_seconds(segments: tuple[Segment, ...]) -> float:
    return sum(segment.seconds for segment in segments)


@lru_cache(maxsize=64)
def compiled(routine: Routine, settings: Settings, locale: str) -> tuple[Segment, ...]:
    """The routine compiled once per (settings, locale) per process: turns reuse it."""
    return compile_routine(routine, settings, copy_for(locale))
