"""`python -m skill model`: write (or `--check`) interaction_model/<locale>.json for every
locale of every language, and compile the translation catalogues (skill/locales/*.po) into
what the runtime reads (skill/locales/compiled/<locale>.json)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from skill.alexa.intents import build_model, load_spec
from skill.speech.copy import COMPILED_DIR, LANGUAGES


def render(language: str = "en") -> str:
    """One model file's text: every locale of a language gets the same."""
    return json.dumps(build_model(load_spec(language)), indent=2, ensure_ascii=False) + "\n"


def expected(folder: Path) -> dict[Path, str]:
    """Every generated file and its text: the models, then the compiled catalogues."""
    from skill.dev.catalogues import compiled_texts  # Babel: a build tool, not the runtime

    files = {
        folder / f"{locale}.json": render(code)
        for code, language in LANGUAGES.items()
        for locale in language.locales
    }
    return files | {COMPILED_DIR / name: text for name, text in compiled_texts().items()}


def stale_files(folder: Path) -> list[Path]:
    """Generated files that are missing or differ from what the sources give."""
    stale = [path for path, text in expected(folder).items() if _text(path) != text]
    known = {path.name for path in expected(folder) if path.parent == COMPILED_DIR}
    stale += [path for path in COMPILED_DIR.glob("*.json") if path.name not in known]
    return stale


def _text(path: Path) -> str | None:
    return path.read_text("utf-8") if path.exists() else None


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
    COMPILED_DIR.mkdir(parents=True, exist_ok=True)
    files = expected(args.out)
    for path in COMPILED_DIR.glob("*.json"):
        if path not in files:
            path.unlink()
    for path, text in files.items():
        path.write_text(text, "utf-8")
        print(f"wrote {path}")
    return 0
