"""`python -m skill model`: write (or `--check`) interaction_model/<locale>.json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from skill.alexa.intents import build_model, load_spec


def render() -> str:
    """One model file's text: every locale's file is the same."""
    return json.dumps(build_model(), indent=2, ensure_ascii=False) + "\n"


def stale_files(folder: Path) -> list[Path]:
    """Model files that are missing or differ from what the spec generates."""
    stale = []
    text = render()
    for locale in load_spec().locales:
        path = folder / f"{locale}.json"
        if not path.exists() or path.read_text("utf-8") != text:
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill model", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("interaction_model"))
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.out)
        for path in stale:
            print(f"stale: {path} (run: python -m skill model)", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    text = render()
    for locale in load_spec().locales:
        path = args.out / f"{locale}.json"
        path.write_text(text, "utf-8")
        print(f"wrote {path}")
    return 0
