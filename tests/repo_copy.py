"""A copy of parts of this repository, for tests that change data the way a contributor
would (a new exercise, a new language) and then run the project's own commands on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_repo(destination: Path, names: Iterable[str]) -> Path:
    """`names` (top-level files and folders) copied into `destination`, without byte code."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination
