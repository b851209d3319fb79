"""Listening tests: render narration with espeak-ng and measure the audio, in English and in
Spanish (espeak-ng's Latin American and Spanish voices): holds and counts measure the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.routine.model import load_routine
from skill.routine.settings import Settings
from skill.speech.audio import render_items, render_many
from skill.speech.copy import Copy, copy_for
from skill.speech.narrate import compile_routine
from tests.audio_measure import median_onset_interval, require_audio_tools, silences

ROUTINE = load_routine()
LOCALES = ("en-US", "es-MX", "es-ES")


@pytest.fixture(autouse=True)
def _audio_tools() -> None:
    require_audio_tools()


@pytest.fixture(params=LOCALES)
def words(request: pytest.FixtureRequest) -> Copy:
    return copy_for(request.param)


def _segment(segment_id: str, settings: Settings, words: Copy):
    segments = compile_routine(ROUTINE, settings, words)
    return next(segment for segment in segments if segment.id == segment_id)


@pytest.mark.parametrize("order", ["alternating", "blocked"])
def test_every_toe_curl_hold_is_three_seconds_of_silence(
    tmp_path: Path, order: str, words: Copy
) -> None:
    settings = Settings(toe_curl_order=order)
    hold = float(ROUTINE.exercise("toe_curls").params["hold_seconds"])
    segments = [s for s in compile_routine(ROUTINE, settings, words) if s.exercise == "toe_curls"]
    holds: list[float] = []
    for segment in segments:
        wav = render_items(segment.items, tmp_path / f"{segment.id}.wav", words.voice)
        holds += silences(wav, 1.5)
    # grip and spread, each rep, each foot
    assert len(holds) == 2 * settings.toe_curl_reps * 2
    for measured in holds:
        assert measured == pytest.approx(hold, abs=0.3)


@pytest.mark.parametrize("tempo", ["slower", "normal", "faster"])
def test_tap_counts_follow_the_tempo(tmp_path: Path, tempo: str, words: Copy) -> None:
    interval = ROUTINE.tempo[tempo]
    segment = _segment("tapping.feet", Settings(tempo=tempo), words)
    wav = render_items(segment.items, tmp_path / "tapping.wav", words.voice)
    measured = median_onset_interval(wav, below=1.5 * interval)
    assert measured == pytest.approx(interval, rel=0.15)


def test_ball_roll_plays_thirty_seconds_of_chained_breaks_as_one_silence(
    tmp_path: Path, words: Copy
) -> None:
    segment = _segment("ball_roll.right", Settings(), words)
    assert '<break time="10s"/>' in segment.ssml  # Alexa gets chains of breaks ...
    wav = render_items(segment.items, tmp_path / "roll.wav", words.voice)
    long_silences = silences(wav, 5.0)
    # ... and the listener hears each half of each 30 s phase as one silence.
    assert long_silences == pytest.approx([15.0] * 4, abs=0.3)


def test_a_whole_exercise_renders_into_one_file(tmp_path: Path, words: Copy) -> None:
    segments = [s for s in compile_routine(ROUTINE, Settings(), words) if s.exercise == "tapping"]
    wav = render_many([s.items for s in segments], tmp_path / "tapping.wav", words.voice)
    assert wav.stat().st_size > 100_000


def test_the_preview_speaks_spanish_with_a_spanish_voice(tmp_path: Path) -> None:
    from skill.speech.preview import main

    assert copy_for("es-MX").voice == "es-419" and copy_for("es-ES").voice == "es"
    wav = tmp_path / "golpecitos.wav"
    assert main(["--locale", "es-MX", "--only", "tapping", "--wav", str(wav)]) == 0
    assert wav.stat().st_size > 100_000
