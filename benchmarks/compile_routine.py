"""How long compiling the whole routine takes, and how big the largest segment is.

Run: .venv/bin/python benchmarks/compile_routine.py
Prints medians over many runs (this machine is shared and noisy), for the
default settings and the largest settings (slow tempo, 30 raises, standing).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.routine import model
from skill.routine.settings import Settings
from skill.speech import copy as copy_module
from skill.speech.narrate import compile_routine, total_seconds

RUNS = 300


def compile_and_render(settings: Settings) -> tuple:
    segments = compile_routine(model.load_routine(), settings, copy_module.copy_for("en-US"))
    for segment in segments:
        segment.ssml, segment.text  # noqa: B018 - rendering is part of the cost
    return segments


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    model.load_routine.cache_clear()
    copy_module.copy_for.cache_clear()
    cold = timed(compile_and_render, Settings())
    print(f"first compile (reads routine.toml and en.toml): {cold * 1000:.2f} ms")
    for label, settings in [
        ("default", Settings()),
        ("largest", Settings(tempo="slower", raise_reps=30, raise_position="standing")),
    ]:
        samples = sorted(timed(compile_and_render, settings) for _ in range(RUNS))
        segments = compile_and_render(settings)
        largest = max(segments, key=lambda segment: len(segment.ssml))
        p99 = samples[int(len(samples) * 0.99) - 1]
        print(
            f"{label:>8}: compile+render median {statistics.median(samples) * 1000:.2f} ms, "
            f"p99 {p99 * 1000:.2f} ms over {RUNS} runs; {len(segments)} segments, "
            f"{total_seconds(segments) / 60:.1f} min; largest segment {largest.id} "
            f"{len(largest.ssml)} SSML chars (limit 8000)"
        )


if __name__ == "__main__":
    main()
