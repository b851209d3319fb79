"""Render narration to a WAV file with espeak-ng (SSML mode) and sox.

Used by the preview and the listening tests: a stand-in voice, so a person can
hear the pacing and a test can measure it. Alexa plays chained `<break>` tags
back to back; espeak-ng does not sum them, so each run of silences is given to
it as one break of the summed length.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from skill.speech import ssml
from skill.speech.script import Item

# Silence between segments in a whole-routine preview: where the person says "next".
GAP_BETWEEN_SEGMENTS_SECONDS = 1.0


class AudioToolMissing(RuntimeError):
    """espeak-ng or sox is not installed."""


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise AudioToolMissing(
            f"{tool} is not installed; on Debian or Ubuntu: apt-get install -y espeak-ng sox"
        )
    return path


def espeak_document(items: Iterable[Item]) -> str:
    """SSML for espeak-ng: the same words, each run of silences as one break."""
    return ssml.merge_breaks(ssml.document(items))


def espeak_command(voice: str | None = None) -> list[str]:
    """espeak-ng reading SSML, in a voice of the locale's language ("es-419") if given."""
    return [require("espeak-ng"), "-m", *(["-v", voice] if voice else [])]


def render_items(items: Iterable[Item], path: Path, voice: str | None = None) -> Path:
    """One script spoken into one WAV file."""
    subprocess.run(
        [*espeak_command(voice), "-w", str(path), espeak_document(items)],
        check=True,
        capture_output=True,
    )
    return path


def render_many(scripts: Sequence[Sequence[Item]], path: Path, voice: str | None = None) -> Path:
    """Several scripts spoken one after another, a short gap between them, into one WAV."""
    sox = require("sox")
    with tempfile.TemporaryDirectory() as folder:
        pieces = []
        for index, items in enumerate(scripts):
            piece = render_items(items, Path(folder) / f"{index:03d}.wav", voice)
            padded = Path(folder) / f"{index:03d}-padded.wav"
            subprocess.run(
                [sox, str(piece), str(padded), "pad", "0", str(GAP_BETWEEN_SEGMENTS_SECONDS)],
                check=True,
                capture_output=True,
            )
            pieces.append(str(padded))
        subprocess.run([sox, *pieces, str(path)], check=True, capture_output=True)
    return path
