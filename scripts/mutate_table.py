"""Mutation testing of the dialogue table: are its rows pinned by the tests?

In a temporary copy of the repository, each mutation changes the table as a
maintainer might by mistake, then the dialogue tests run against it:
- every cell (COMMON and every phase's override) swapped for another action;
- every phase row deleted, and every COMMON line deleted.
For each mutation the tests run in this process (pytest.main), only those that
can see it: the behaviour test of every (walk, intent) cell the mutation changes
(tests/test_table_behaviour.py), then the golden table (tests/test_table_golden.py).
A mutation is caught when any of them fails.

    python scripts/mutate_table.py [--behaviour-only] [--limit N]

The last line is `N of M table mutations caught`; the exit status is 1 when any
mutation survived. --behaviour-only leaves the golden table out (a figure for how
much the behaviour tests alone pin).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", ".git", "dist", "build", ".pytest_cache", ".ruff_cache", ".mypy_cache"}
SKIP |= {"__pycache__", "node_modules"}


@dataclass(frozen=True)
class Mutation:
    label: str
    common: Mapping[str, Any]
    phases: Mapping[str, Mapping[str, Any]]


def mutations(table: Any) -> list[Mutation]:
    actions = sorted(table.ACTIONS, key=lambda a: a.name)

    def other(action: Any) -> Any:
        at = actions.index(action)
        return actions[(at + 1) % len(actions)]  # the next action by name: never itself

    common, phases = dict(table.COMMON), {p: dict(r) for p, r in table.ROWS.items()}
    found = []
    for intent, action in common.items():
        swapped = {**common, intent: other(action)}
        found.append(Mutation(f"COMMON[{intent}] -> {other(action).name}", swapped, phases))
    for phase, row in phases.items():
        for intent, action in row.items():
            changed = {**phases, phase: {**row, intent: other(action)}}
            label = f"{phase}[{intent}] -> {other(action).name}"
            found.append(Mutation(label, common, changed))
    for phase in phases:
        rest = {p: r for p, r in phases.items() if p != phase}
        found.append(Mutation(f"delete row {phase}", common, rest))
    for intent in common:
        rest_common = {i: a for i, a in common.items() if i != intent}
        found.append(Mutation(f"delete COMMON[{intent}]", rest_common, phases))
    return found


def changed_cells(table: Any, state: Any, mutation: Mutation) -> set[tuple[str, str]]:
    """The (phase, intent) cells whose action the mutation changes (or whose row it drops)."""

    def action(common: Mapping[str, Any], rows: Mapping[str, Any], phase: str, intent: str) -> Any:
        row = rows.get(phase, {})
        return row.get(intent) or common.get(intent) or common.get(table.FALLBACK)

    cells = set()
    for phase in state.PHASES:
        for intent in table.COMMON:
            before = action(table.COMMON, table.ROWS, phase, intent)
            if action(mutation.common, mutation.phases, phase, intent) is not before:
                cells.add((phase, intent))
    return cells


@contextlib.contextmanager
def applied(mutation: Mutation) -> Iterator[None]:
    """The mutation in force in the loaded modules, as if table.py had been edited."""
    from skill.conversation import dialogue, table

    saved = {name: getattr(table, name) for name in ("COMMON", "ROWS", "INTENTS", "ACTIONS")}
    gate_rows = dialogue.ROWS
    common = MappingProxyType(dict(mutation.common))
    phases = MappingProxyType({p: MappingProxyType(dict(r)) for p, r in mutation.phases.items()})
    table.COMMON, table.ROWS, table.INTENTS = common, phases, frozenset(common)
    rows = (common, *phases.values())
    table.ACTIONS = frozenset(a for row in rows for a in row.values())
    dialogue.ROWS = phases
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(table, name, value)
        dialogue.ROWS = gate_rows


class Failures:
    """A pytest plugin that notes which tests failed."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.failed.append(report.nodeid)


def run_tests(args: list[str], basetemp: Path) -> list[str]:
    failures = Failures()
    quiet = ["-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=", "-W", "ignore"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import pytest

        pytest.main([*quiet, f"--basetemp={basetemp}", *args], plugins=[failures])
    return failures.failed


def in_copy(behaviour_only: bool, limit: int | None) -> int:
    sys.path.insert(0, os.getcwd())
    from skill.conversation import state, table
    from tests.dialogue_harness import REACHES

    if not Path(table.__file__).resolve().is_relative_to(Path.cwd().resolve()):
        print(f"the table was imported from {table.__file__}, not from the copy")
        return 2

    walks_of: dict[str, list[str]] = {}
    for walk, phase in REACHES.items():
        walks_of.setdefault(phase, []).append(walk)
    behaviour = "tests/test_table_behaviour.py::test_cell"
    golden = ["tests/test_table_golden.py"]
    found = mutations(table)[:limit]
    caught = by_behaviour = 0
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None, prefix="mutate-"))
    started = time.perf_counter()
    try:
        # Warm the imports and the matcher once, unmutated (and check the tests pass).
        if run_tests([*golden, f"{behaviour}[welcome-AMAZON.HelpIntent]"], scratch / "warm"):
            print("the tests fail before any mutation: fix them first")
            return 2
        for number, mutation in enumerate(found, 1):
            cells = changed_cells(table, state, mutation)
            ids = [
                f"{behaviour}[{walk}-{intent}]"
                for phase, intent in sorted(cells)
                for walk in walks_of.get(phase, [])
            ]
            with applied(mutation):
                seen = run_tests(ids, scratch / str(number)) if ids else []
                caught_here = bool(seen)
                if not seen and not behaviour_only:
                    seen = run_tests(golden, scratch / f"{number}g")
            shutil.rmtree(scratch / str(number), ignore_errors=True)
            by_behaviour += caught_here
            caught += bool(seen)
            if seen and not caught_here:
                print(f"caught by the golden table only: {mutation.label}")
            if not seen:
                print(f"SURVIVED: {mutation.label} ({len(cells)} cells changed)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(f"{by_behaviour} of {len(found)} caught by the behaviour tests alone; {seconds:.0f} s")
    print(f"{caught} of {len(found)} table mutations caught")
    return 0 if caught == len(found) else 1


def copy_repository(into: Path) -> Path:
    target = into / "repo"

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {name for name in names if name in SKIP or name.endswith(".sqlite3")}

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def main(argv: list[str] | None = None, run: Callable[..., Any] = subprocess.run) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--behaviour-only", action="store_true")
    parser.add_argument("--limit", type=int, default=None, help="only the first N mutations")
    parser.add_argument("--in-copy", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.in_copy:
        return in_copy(options.behaviour_only, options.limit)
    with tempfile.TemporaryDirectory(prefix="mutate-table-") as folder:
        copy = copy_repository(Path(folder))
        command = [sys.executable, str(copy / "scripts" / "mutate_table.py"), "--in-copy"]
        if options.behaviour_only:
            command.append("--behaviour-only")
        if options.limit is not None:
            command += ["--limit", str(options.limit)]
        env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
        return int(run(command, cwd=copy, env=env).returncode)


if __name__ == "__main__":
    sys.exit(main())
