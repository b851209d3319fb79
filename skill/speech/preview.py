"""`python -m skill preview`: hear or read the routine without Alexa.

Prints the segments as a timing table (default), as JSON (`--json`), or speaks
them into one WAV file through espeak-ng (`--wav FILE`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from skill.cli import OneLineParser, int_within
from skill.routine.model import load_routine
from skill.routine.settings import (
    RAISE_POSITIONS,
    TEMPOS,
    TOE_CURL_ORDERS,
    TOE_CURL_TOOLS,
    Settings,
    raise_rep_bounds,
    toe_curl_rep_bounds,
)
from skill.speech.copy import DEFAULT_LOCALE, SUPPORTED_LOCALES, copy_for
from skill.speech.narrate import Segment, compile_routine


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m skill preview", description=__doc__)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the segments as JSON")
    output.add_argument("--wav", type=_wav_file, metavar="FILE", help="speak the routine into FILE")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, choices=SUPPORTED_LOCALES)
    parser.add_argument("--tempo", choices=TEMPOS, default="normal")
    parser.add_argument("--order", choices=TOE_CURL_ORDERS, default="alternating")
    parser.add_argument("--toe-curl-tool", choices=TOE_CURL_TOOLS, default="towel")
    parser.add_argument("--raise-position", choices=RAISE_POSITIONS, default="seated")
    low, high = toe_curl_rep_bounds()
    parser.add_argument(
        "--toe-curl-reps",
        type=_count_within(toe_curl_rep_bounds, "toe curls per foot"),
        metavar="N",
        help=f"toe curls per foot, {low} to {high}",
    )
    low, high = raise_rep_bounds()
    parser.add_argument(
        "--raise-reps",
        type=_count_within(raise_rep_bounds, "raises per foot"),
        metavar="N",
        help=f"heel and toe raises per foot, {low} to {high}",
    )
    parser.add_argument(
        "--only", type=_exercise_id, metavar="EXERCISE", help="just one exercise, by id"
    )
    return parser


def _count_within(bounds: Callable[[], tuple[int, int]], what: str) -> Callable[[str], int]:
    """An argparse type: a whole number inside the routine data's range, else a clear error."""

    def parse(text: str) -> int:
        low, high = bounds()
        return int_within(low, high, what)(text)

    return parse


def _wav_file(text: str) -> Path:
    """An argparse type: a file we can create, checked before minutes of speech synthesis."""
    path = Path(text).expanduser()
    if not text.strip() or path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is not a file name (e.g. routine.wav)")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"the folder {str(folder)!r} is not writable")
    return path


def _exercise_id(text: str) -> str:
    ids = load_routine().ids
    if text not in ids:
        raise argparse.ArgumentTypeError(f"{text!r} is not an exercise; one of: {', '.join(ids)}")
    return text


def _settings(args: argparse.Namespace) -> Settings:
    chosen = {
        "tempo": args.tempo,
        "toe_curl_order": args.order,
        "toe_curl_tool": args.toe_curl_tool,
        "raise_position": args.raise_position,
    }
    if args.toe_curl_reps is not None:
        chosen["toe_curl_reps"] = args.toe_curl_reps
    if args.raise_reps is not None:
        chosen["raise_reps"] = args.raise_reps
    return Settings.from_dict(Settings().to_dict() | chosen)


def format_table(segments: tuple[Segment, ...]) -> str:
    rows = [f"{'segment':<30} {'exercise':<20} {'seconds':>8} {'total':>7}"]
    running = 0.0
    for segment in segments:
        running += segment.seconds
        minutes, seconds = divmod(round(running), 60)
        rows.append(
            f"{segment.id:<30} {segment.exercise:<20} {segment.seconds:>8.1f} "
            f"{minutes:>4}:{seconds:02d}"
        )
    rows.append(f"{len(segments)} segments, {running / 60:.1f} minutes by the estimate")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    routine = load_routine()
    segments = compile_routine(routine, _settings(args), copy_for(args.locale))
    if args.only:
        segments = tuple(segment for segment in segments if segment.exercise == args.only)
    if args.json:
        json.dump([segment.to_json() for segment in segments], sys.stdout, indent=2)
        print()
    elif args.wav:
        from skill.speech.audio import AudioToolMissing, render_many

        try:
            voice = copy_for(args.locale).voice
            render_many([segment.items for segment in segments], args.wav, voice)
        except AudioToolMissing as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"error: could not write {args.wav}: {error}", file=sys.stderr)
            return 1
        print(f"wrote {args.wav} ({len(segments)} segments)")
    else:
        print(format_table(segments))
    return 0
