"""The narration compiler: routine + settings + locale -> ordered segments.

A segment is what one Alexa response says: a natural unit (one exercise, or one
side or round of it) that ends with a prompt such as "Say next when you're
ready". Pure: the same inputs always give the same segments.

Timing is exact where it matters: holds and rolls are silences of the data's
length; counts are spaced so that one count starts every `tempo` seconds (the
locale says how long a spoken count takes).

Each kind of exercise is one unit here (`@kind`): the parameters its data must
give and the builder that guides it. A builder takes every number from the
exercise's data and every word from the exercise's own section of the locale
file, so a new exercise of an existing kind is data and words only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property, lru_cache
from typing import Any

from msgspec import Struct, field

from skill.routine.model import Exercise, Routine, RoutineError
from skill.routine.settings import Settings
from skill.speech import ssml
from skill.speech.copy import Copy, copy_for
from skill.speech.script import Item, Pause, Say, estimate_seconds, render_text

# What a segment asks of the person, which the dialogue answers differently:
READY = "ready"  # a gate before timed work: "say ready when the towel is under your feet"
WORK = "work"  # guided work; the microphone opens after it for "next"
AWAY = "away"  # longer than the microphone stays open: the session ends with the way back


class Segment(Struct, frozen=True, dict=True):  # dict: for the cached properties
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


class _Part(Struct):
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


class _Words:
    """The words of one exercise: its own section of the locale file, by its id.

    A second exercise of the same kind has its own section and needs no code.
    """

    def __init__(self, copy: Copy, section: str) -> None:
        self.copy, self.section = copy, section

    def say(self, key: str, **values: object) -> str:
        return self.copy.say(f"{self.section}.{key}", **values)

    def within(self, key: str) -> _Words:
        """A sub-section, such as the marbles variant of toe curls."""
        return _Words(self.copy, f"{self.section}.{key}")


class _Context(Struct, frozen=True):
    routine: Routine
    settings: Settings
    copy: Copy

    @property
    def tempo(self) -> float:
        return self.routine.tempo.get(self.settings.tempo, self.routine.tempo["normal"])

    def gate(self, words: _Words, needs: object, **values: object) -> list[_Part]:
        """The ready gate before work that needs something (the data's `needs`): what to
        set up, then "say ready when ...". Nothing is needed, no gate."""
        if not needs:
            return []
        part = _Part("ready", kind=READY)
        part.say(words.say("intro", **values))
        part.prompt.append(Say(words.say("ready", **values)))
        return [part]

    def count(self, part: _Part, how_many: int, interval: float) -> None:
        """Count aloud, one number starting every `interval` seconds."""
        part.counted = True
        word_seconds = self.copy.pace.count_word_seconds
        gap = max(interval - word_seconds, 0.1)
        for number in range(1, how_many + 1):
            part.body.append(Say(self.copy.number(number).capitalize() + ".", word_seconds))
            part.pause(gap)

    def next_exercise_name(self, exercise: Exercise) -> str | None:
        index = self.routine.ids.index(exercise.id)
        if index + 1 < len(self.routine.ids):
            return self.copy.exercise_name(self.routine.ids[index + 1])
        return None


Builder = Callable[[Exercise, _Context, _Words], list[_Part]]


class Kind(Struct, frozen=True):
    """One kind of exercise, in one place: the parameters its data must give, and how
    the narration guides it. An exercise's words come from its own id's section."""

    name: str
    params: tuple[str, ...]
    build: Builder

    def check(self, exercise: Exercise) -> None:
        missing = [key for key in self.params if key not in exercise.params]
        if missing:
            raise RoutineError(f"{exercise.id}: missing {', '.join(missing)}")


KINDS: dict[str, Kind] = {}


def kind(name: str, params: tuple[str, ...]) -> Callable[[Builder], Builder]:
    """Register a builder as the way to guide every exercise of kind `name`."""

    def register(build: Builder) -> Builder:
        KINDS[name] = Kind(name, params, build)
        return build

    return register


def check_routine(routine: Routine) -> None:
    """Every exercise has a known kind and the parameters that kind needs."""
    for exercise in routine.exercises:
        if exercise.kind not in KINDS:
            raise RoutineError(f"{exercise.id}: unknown kind {exercise.kind!r}")
        KINDS[exercise.kind].check(exercise)


@kind("grip_and_spread", params=("sides", "hold_seconds", "reps_per_foot", "orders", "marbles"))
def _grip_and_spread(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    if ctx.settings.toe_curl_tool == "marbles":
        return _marbles(exercise, ctx, words.within("marbles"))
    reps, hold = ctx.settings.toe_curl_reps, float(params["hold_seconds"])
    sides: tuple[str, ...] = params["sides"]
    blocked = ctx.settings.toe_curl_order == "blocked"
    if blocked:
        parts = [_Part(side) for side in sides]
        order = [(part, side) for part, side in zip(parts, sides, strict=True) for _ in range(reps)]
    else:
        parts = [_Part("")]
        order = [(parts[0], side) for _ in range(reps) for side in sides]
    plan = "plan_blocked" if blocked else "plan_alternating"
    parts[0].say(words.say(plan, reps=copy.number(reps)))
    seen: set[str] = set()
    for part, side in order:
        detailed = side not in seen
        seen.add(side)
        part.say(words.say("grip_first" if detailed else "grip", side=copy.side(side)))
        part.pause(hold)
        part.say(words.say("spread_first" if detailed else "spread"))
        part.pause(hold)
    parts[-1].say(words.say("done"))
    for part, next_side in zip(parts, sides[1:], strict=False):
        part.prompt.append(Say(copy.say("prompts.next_side", side=copy.side(next_side))))
    return [*ctx.gate(words, params.get("needs")), *parts]


def _marbles(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, marbles = ctx.copy, exercise.params["marbles"]
    count, bowls = copy.number(int(marbles["marbles"])), copy.number(int(marbles["bowls"]))
    parts = ctx.gate(words, marbles.get("needs"), count=count, bowls=bowls)
    for gate in parts:
        gate.suffix = "marbles.ready"
    sides: tuple[str, ...] = exercise.params["sides"]
    after = ctx.next_exercise_name(exercise)
    for index, side in enumerate(sides):
        # Untimed, and longer than the microphone stays open: the session ends with
        # the way back, and the next launch carries on from the following step.
        part = _Part(f"marbles.{side}", kind=AWAY if marbles["untimed"] else WORK)
        key = "side_first" if index == 0 else "side"
        part.say(words.say(key, side=copy.side(side), count=count))
        if index + 1 < len(sides):
            following = words.say("next_side", side=copy.side(sides[index + 1]))
        elif after is not None:
            following = words.say("next_exercise", name=after)
        else:
            following = words.say("last")
        part.prompt.append(Say(copy.say("prompts.away_marbles", count=count, then=following)))
        parts.append(part)
    return parts


@kind("timed_roll", params=("sides", "phases", "halfway_check"))
def _timed_roll(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    sides: tuple[str, ...] = params["sides"]
    parts = ctx.gate(words, params.get("needs"), side=copy.side(sides[0]))
    for index, side in enumerate(sides):
        part = _Part(side)
        if index > 0:
            part.say(words.say("intro_side", side=copy.side(side)))
        for phase in params["phases"]:
            seconds = float(phase["seconds"])
            part.say(words.say(phase["key"], seconds=copy.number(int(seconds))))
            if params["halfway_check"]:
                part.pause(seconds / 2)
                part.say(words.say("halfway"))
                part.pause(seconds / 2)
            else:
                part.pause(seconds)
        part.say(words.say("stop"))
        if index + 1 < len(sides):
            part.prompt.append(Say(copy.say("prompts.next_side", side=copy.side(sides[index + 1]))))
        parts.append(part)
    parts[-1].say(words.say("done"))
    return parts


@kind("passes", params=("sides", "passes_per_foot", "pass_seconds"))
def _passes(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    passes, seconds = int(params["passes_per_foot"]), float(params["pass_seconds"])
    sides: tuple[str, ...] = params["sides"]
    gate = ctx.gate(words, params.get("needs"), side=copy.side(sides[0]))
    part = _Part("")
    for side in sides:
        part.say(words.say("side", side=copy.side(side), passes=copy.number(passes)))
        for number in range(1, passes + 1):
            part.say(words.say("pass", number=copy.number(number)))
            part.pause(seconds)
    part.say(words.say("done"))
    return [*gate, part]


@kind("tapping", params=("rounds", "sides", "blocks"))
def _tapping(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    rounds: tuple[str, ...] = params["rounds"]
    parts = ctx.gate(words, params.get("needs"))
    for index, round_name in enumerate(rounds):
        part = _Part(round_name)
        if index == 0 and not parts:
            part.say(words.say("intro"))
        part.say(words.say(f"round_{round_name}"))
        for block in params["blocks"]:
            taps, times = int(block["taps"]), int(block["times"])
            if times == 1:
                part.say(words.say("block_single", taps=copy.number(taps)))
            else:
                part.say(
                    words.say("block_repeated", taps=copy.number(taps), times=copy.number(times))
                )
            for _ in range(times):
                for side in params["sides"]:
                    part.say(words.say("side_label", side=copy.side(side)))
                    ctx.count(part, taps, ctx.tempo)
        if index + 1 < len(rounds):
            part.say(words.say("round_done"))
            next_round = words.say(f"round_names.{rounds[index + 1]}")
            part.prompt.append(Say(copy.say("prompts.next_tapping_round", round=next_round)))
        parts.append(part)
    parts[-1].say(words.say("done"))
    return parts


@kind("pressure_points", params=("sides", "hold_seconds", "points"))
def _pressure_points(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    hold = float(params["hold_seconds"])
    parts = ctx.gate(words, params.get("needs"))
    sides: tuple[str, ...] = params["sides"]
    for index, side in enumerate(sides):
        part = _Part(side)
        if index == 0:
            part.say(words.say("posture"))
        if side == "both":
            part.say(words.say("both"))
        else:
            key = "side_first" if index == 0 else "side"
            part.say(words.say(key, side=copy.side(side)))
        for point in params["points"]:
            part.say(words.say(f"points.{point}"))
            part.pause(hold)
        part.say(words.say("points.release"))
        if index + 1 < len(sides):
            following = sides[index + 1]
            prompt = (
                copy.say("prompts.next_both")
                if following == "both"
                else copy.say("prompts.next_side", side=copy.side(following))
            )
            part.prompt.append(Say(prompt))
        parts.append(part)
    parts[-1].say(words.say("done"))
    return parts


@kind("raises", params=("sides", "movements", "reps_per_foot", "rep_seconds", "progression"))
def _raises(exercise: Exercise, ctx: _Context, words: _Words) -> list[_Part]:
    copy, params = ctx.copy, exercise.params
    reps = ctx.settings.raise_reps
    # Raises follow the user's tempo too: slower taps mean slower raises.
    rep_seconds = float(params["rep_seconds"]) * ctx.tempo / ctx.routine.tempo["normal"]
    standing = ctx.settings.raise_position == "standing"
    parts = []
    if standing:
        parts = ctx.gate(words.within("standing"), params["progression"].get("needs"))
    movements: tuple[str, ...] = params["movements"]
    for index, movement in enumerate(movements):
        part = _Part(movement)
        if index == 0 and not standing:
            part.say(words.say("intro_seated"))
        for side_index, side in enumerate(params["sides"]):
            key = movement if side_index == 0 else f"{movement}_side"
            part.say(words.say(key, side=copy.side(side), reps=copy.number(reps)))
            ctx.count(part, reps, rep_seconds)
        if index + 1 < len(movements):
            name = words.say(f"{movements[index + 1]}_name")
            part.prompt.append(Say(copy.say("prompts.next_exercise", name=name)))
        parts.append(part)
    parts[-1].say(words.say("done"))
    return parts


def _standing(exercise: Exercise, settings: Settings) -> bool:
    if exercise.kind == "raises":
        return settings.raise_position == "standing"
    return exercise.standing


def _segments(routine: Routine, settings: Settings, copy: Copy) -> Iterator[Segment]:
    check_routine(routine)
    ctx = _Context(routine, settings, copy)
    exercises = routine.exercises
    for index, exercise in enumerate(exercises):
        parts = KINDS[exercise.kind].build(exercise, ctx, _Words(copy, exercise.id))
        # Every exercise's first part says it once: only as far as is comfortable.
        parts[0].body.insert(1, Say(copy.say("safety.comfortable")))
        standing = _standing(exercise, settings)
        if standing:  # standing work ends by sitting back down
            parts[-1].say(copy.say("safety.sit_down"))
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


def spoken_numbers(exercise: Exercise, copy: Copy) -> dict[str, str]:
    """The exercise's numbers as words, for sentences that state them ("hold for
    {hold_seconds} seconds"), so no sentence repeats a number the data owns:
    whole-number parameters by name, `<name>_min`/`_max` of ranges, the first
    phase's `phase_seconds`, and `block_1`, `block_2`, ... for tapping blocks."""
    words: dict[str, str] = {}
    for key, value in exercise.params.items():
        if isinstance(value, int) and not isinstance(value, bool):
            words[key] = copy.number(value)
        elif isinstance(value, float) and value.is_integer():
            words[key] = copy.number(int(value))
        elif isinstance(value, Mapping) and "min" in value:
            words[f"{key}_min"] = copy.number(int(value["min"]))
            words[f"{key}_max"] = copy.number(int(value["max"]))
    phases = exercise.params.get("phases")
    if phases:
        words["phase_seconds"] = copy.number(int(phases[0]["seconds"]))
    for number, block in enumerate(exercise.params.get("blocks", ()), start=1):
        words[f"block_{number}"] = copy.number(int(block["taps"]))
    return words
