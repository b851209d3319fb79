"""Measure rendered speech: where the voice is, where the silences are.

Audio is decoded with sox into 8 kHz mono 16-bit samples; a 10 ms frame is
"voiced" when its peak passes a threshold. Short dips inside a word (the "x"
in "six") are bridged so that a word is one burst.
"""

from __future__ import annotations

import array
import itertools
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

RATE = 8000
FRAME_SECONDS = 0.01
THRESHOLD = 300  # peak amplitude out of 32767: well above espeak's silence (0)
BRIDGE_SECONDS = 0.12  # a gap shorter than this is inside a word


@dataclass(frozen=True)
class Burst:
    start: float
    end: float


def require_audio_tools() -> None:
    """Skip without espeak-ng/sox locally; in CI (CI=true) that is a failure."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install -y espeak-ng sox)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def bursts(path: Path) -> list[Burst]:
    raw = subprocess.run(
        ["sox", str(path), "-t", "raw", "-r", str(RATE), "-b", "16", "-c", "1",
         "-e", "signed-integer", "-"],
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    samples = array.array("h", raw)
    size = int(RATE * FRAME_SECONDS)
    voiced = [
        max(abs(value) for value in samples[index : index + size]) > THRESHOLD
        for index in range(0, len(samples) - size + 1, size)
    ]
    found: list[Burst] = []
    start = None
    for index, on in enumerate([*voiced, False]):
        if on and start is None:
            start = index
        elif not on and start is not None:
            burst = Burst(start * FRAME_SECONDS, index * FRAME_SECONDS)
            if found and burst.start - found[-1].end < BRIDGE_SECONDS:
                burst = Burst(found.pop().start, burst.end)
            found.append(burst)
            start = None
    return found


def silences(path: Path, at_least: float) -> list[float]:
    """Lengths of the silences between voiced bursts that last `at_least` seconds."""
    found = bursts(path)
    gaps = [after.start - before.end for before, after in itertools.pairwise(found)]
    return [gap for gap in gaps if gap >= at_least]


def median_onset_interval(path: Path, below: float) -> float:
    """Median time from one burst's start to the next, over intervals under `below`."""
    starts = [burst.start for burst in bursts(path)]
    intervals = [b - a for a, b in itertools.pairwise(starts) if b - a < below]
    return statistics.median(intervals)
