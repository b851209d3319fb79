"""The screens' datasources are the voice's own script: for every step of every variant
of the routine, the timeline lasts as long as the voice, counts down exactly the
silences the SSML holds, and shows only the sentences the voice says."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from typing import Any

import pytest

from skill.routine.model import load_routine
from skill.routine.settings import RAISE_POSITIONS, TOE_CURL_ORDERS, TOE_CURL_TOOLS, Settings
from skill.screens import datasources, documents
from skill.speech.copy import copy_for
from skill.speech.narrate import compile_routine
from skill.speech.script import Pause, Say, estimate_seconds, merged

COPY = copy_for("en-US")
ROUTINE = load_routine()
VARIANTS = [
    Settings(toe_curl_tool=tool, raise_position=position, toe_curl_order=order, tempo=tempo)
    for tool, position, order, tempo in itertools.product(
        TOE_CURL_TOOLS, RAISE_POSITIONS, TOE_CURL_ORDERS, ("slowest", "normal", "fastest")
    )
]


def voice_holds(body: tuple[object, ...]) -> list[int]:
    """The silences of a second or more that follow a sentence, as the SSML has them."""
    holds, after_sentence = [], False
    for item in merged(body):  # type: ignore[arg-type]
        if isinstance(item, Pause) and after_sentence and item.seconds >= 1:
            holds.append(int(item.seconds))
        after_sentence = isinstance(item, Say) and item.seconds is None
    return holds


@pytest.mark.parametrize("settings", VARIANTS, ids=str)
def test_every_steps_timeline_is_the_voices_script(settings: Settings) -> None:
    for segment in compile_routine(ROUTINE, settings, COPY):
        spoken = datasources.timeline(segment.body, segment.prompt_text, "Title", COPY)
        lead_in = datasources.chunks(segment.prompt_text)[:-1]  # the prompt's last part stays
        voice_seconds = estimate_seconds([*segment.body, *map(Say, lead_in)], COPY.pace)
        voice_ms = voice_seconds * 1000
        assert sum(c.ms for c in spoken.cues) == pytest.approx(voice_ms, abs=len(spoken.cues))
        assert list(spoken.holds) == voice_holds(segment.body), segment.id
        sentences = [i.text for i in segment.body if isinstance(i, Say) and i.seconds is None]
        if sentences:  # the same words, in order, cut only between clauses
            assert " ".join(spoken.lines) == " ".join([*sentences, segment.prompt_text])
        assert all(len(line) <= datasources.LINE_CHARS for line in spoken.lines), segment.id
        assert all(0 <= c.line < len(spoken.lines) for c in spoken.cues)
        for start in spoken.holds:  # each countdown runs start, start-1, ... 1
            run = [str(n) for n in range(start, 0, -1)]
            counts = [c.count for c in spoken.cues]
            assert any(counts[i : i + start] == run for i in range(len(counts))), segment.id


def test_a_step_that_starts_counting_shows_its_title_until_a_sentence_comes() -> None:
    body = (Say("One.", 0.3), Pause(0.5), Say("Two.", 0.3), Pause(2.5), Say("Rest now."))
    spoken = datasources.timeline(body, "Say next.", "Tapping", COPY)
    assert spoken.lines == ("Tapping", "Rest now.", "Say next.")
    assert [(c.line, c.count, c.ms) for c in spoken.cues][:2] == [(0, "1", 800), (0, "2", 2800)]
    assert spoken.holds == ()  # a pause between counts is the count's spacing, not a hold


def test_long_sentences_are_shown_a_clause_at_a_time() -> None:
    text = (
        "Pressure isolation. This one is standing, so safety first: stand beside a kitchen "
        "counter or behind a sturdy chair, and keep one hand on it throughout."
    )
    parts = datasources.chunks(text)
    assert parts == [
        "Pressure isolation. This one is standing, so safety first:",
        "stand beside a kitchen counter or behind a sturdy chair,",
        "and keep one hand on it throughout.",
    ]
    assert datasources.chunks("Hold.") == ["Hold."]
    spoken = datasources.timeline((Say(text), Pause(3)), "", "X", COPY)
    assert [c.line for c in spoken.cues] == [0, 1, 2, 2, 2, 2]  # the hold under the last part
    assert sum(c.ms for c in spoken.cues[:3]) == pytest.approx(
        COPY.pace.say_seconds(text) * 1000, abs=3
    )


def test_a_hold_with_a_fraction_counts_whole_seconds_and_keeps_the_time() -> None:
    spoken = datasources.timeline((Say("Hold."), Pause(2.5)), "", "X", COPY)
    assert [(c.count, c.ms) for c in spoken.cues[1:]] == [("2", 1000), ("1", 1500)]
    assert spoken.holds == (2,)


def test_the_step_datasource_names_the_exercise_and_its_drawing() -> None:
    segments = compile_routine(ROUTINE, Settings(), COPY)
    drawings = documents.drawings(documents.STEP)
    for number, segment in enumerate(segments, start=1):
        source = datasources.step_source(segment, number, len(segments), COPY, drawings)["step"]
        assert source["drawing"] == segment.exercise
        assert source["exercise"].lower() == COPY.exercise_name(segment.exercise)
        assert source["position"] == f"Step {number} of {len(segments)}"
        json.dumps(source)  # plain JSON
    lone = datasources.step_source(segments[0], 1, 1, COPY, drawings=frozenset())
    assert lone["step"]["drawing"] == datasources.FALLBACK_DRAWING


def test_the_week_runs_monday_to_sunday_with_the_figures_given() -> None:
    wednesday = date(2026, 11, 4)
    week = datasources.ShownWeek(
        today=wednesday, done=frozenset({"2026-11-02", "2026-11-04"}), week=2, streak=1, total=9
    )
    source = datasources.progress_source(week, COPY)["progress"]
    assert [d["done"] for d in source["days"]] == [True, False, True, False, False, False, False]
    assert [d["today"] for d in source["days"]] == [False, False, True, False, False, False, False]
    assert source["days"][1]["said"] == "Tue: not done"
    assert [f["value"] for f in source["figures"]] == ["2", "1", "9"]


def test_every_locale_has_the_screens_words() -> None:
    from skill.alexa.intents import load_spec

    segment = compile_routine(ROUTINE, Settings(), COPY)[1]
    week = datasources.ShownWeek(date(2026, 11, 4), frozenset(), 0, 0, 0)
    for locale in load_spec().locales:
        copy = copy_for(locale)
        step = datasources.step_source(segment, 2, 16, copy, frozenset())["step"]
        assert all(step["buttons"].values()) and step["safety"]
        shown = datasources.progress_source(week, copy)["progress"]
        assert len(shown["days"]) == 7 and all(f["label"] for f in shown["figures"])


def bound_paths(name: str) -> set[tuple[str, ...]]:
    """Every data path a document's expressions read (`step.lines`, `day.done`, ...)."""
    text = documents.path_of(name).read_text()
    paths = set()
    for expression in re.findall(r"\$\{([^}]*)\}", text):
        for root, rest in re.findall(r"(?<![\w.@])([a-z]+)((?:\.[a-zA-Z]+)+)", expression):
            if root != "viewport":
                paths.add((root, *rest.strip(".").split(".")))
    return paths


def resolves(value: Any, keys: tuple[str, ...]) -> bool:
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


def test_every_path_a_document_reads_is_in_its_datasource() -> None:
    """The validator can't see the datasource: a misspelt `${step.exercize}` would show
    nothing on a device. Each path read must be in every datasource the skill builds."""
    segments = compile_routine(ROUTINE, Settings(), COPY)
    drawings = documents.drawings(documents.STEP)
    steps = [datasources.step_source(s, 1, 1, COPY, drawings) for s in segments]
    week = datasources.ShownWeek(date(2026, 11, 4), frozenset({"2026-11-02"}), 1, 1, 5)
    progress = datasources.progress_source(week, COPY)
    cases = {
        documents.STEP: [
            {
                "payload": [s],
                "step": [s["step"]],
                "labels": [s["step"]["buttons"]],
                "data": s["step"]["cues"],
            }
            for s in steps
        ],
        documents.PROGRESS: [
            {
                "payload": [progress],
                "week": [progress["progress"]],
                "day": progress["progress"]["days"],
                "figure": progress["progress"]["figures"],
                "data": progress["progress"]["figures"],
            }
        ],
    }
    for name, scopes in cases.items():
        paths = bound_paths(name)
        assert len(paths) >= 8, name
        for scope in scopes:
            for root, *keys in paths:
                assert root in scope, (name, root)
                assert all(resolves(v, tuple(keys)) for v in scope[root]), (name, root, keys)
