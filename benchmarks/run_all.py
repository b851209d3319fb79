"""`make bench`: run every benchmark once and keep what each printed, in one dated file.

    .venv/bin/python benchmarks/run_all.py [--only NAME ...] [--out FILE]

Runs benchmarks/*.py in name order (this script and the reference skill aside), each as
its own process, printing its output as it comes, and writes
benchmarks/results/YYYY-MM-DD.md (UTC date; a later run the same day replaces it): the
commit and whether the tree had uncommitted changes, the machine (CPUs, load average,
Python), then per benchmark the exact command, how long it took, its exit status and
its output verbatim. Nothing is summarised or rounded here: what a benchmark prints,
with its aims and met / NOT MET, is the record.

With BENCH_BASELINE=<an earlier tree of this repository> set, skill_latency also times
that tree's first answers in the same rounds (its "before" line), and the header names it.

README.md and docs/ quote figures only from the latest results file, each marked
<!--bench NAME-->figure<!--/bench--> where NAME is the benchmark that printed it;
tests/test_published_figures.py fails when a marked figure is not in that benchmark's
output in the latest file. Commit the results file with the docs that quote it.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
RESULTS = HERE / "results"
SKIP = {"run_all.py"}


def benchmarks(only: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name not in SKIP)
    if only:
        wanted = {name.removesuffix(".py") for name in only}
        found = [p for p in found if p.stem in wanted]
    return found


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def run(script: Path) -> tuple[str, int, float]:
    """Run one benchmark, echoing its output; returns (output, exit status, seconds)."""
    command = [sys.executable, str(script.relative_to(ROOT))]
    started = time.monotonic()
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines = []
    assert child.stdout is not None
    for line in child.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    status = child.wait()
    return "".join(lines), status, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=[], help="benchmark names to run")
    parser.add_argument("--out", type=Path, help="results file (default: dated, in results/)")
    args = parser.parse_args()
    now = datetime.now(UTC)
    out = args.out or RESULTS / f"{now:%Y-%m-%d}.md"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    header = [
        f"# Benchmark results, {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"- commit: {git('rev-parse', 'HEAD')}"
        + (" (with uncommitted changes)" if dirty and dirty != "unknown" else ""),
        f"- machine: {os.cpu_count()} CPUs, load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, {platform.platform()}",
        f"- Python {platform.python_version()}; command: `make bench` "
        "(each benchmark below as its own process)",
    ]
    baseline = os.environ.get("BENCH_BASELINE")
    if baseline:  # an earlier tree skill_latency times in the same rounds ("before")
        header.append(f"- BENCH_BASELINE: {baseline} (the earlier tree; its name says which)")
    header.append("")
    sections = []
    failed = []
    for script in benchmarks(args.only):
        name = script.relative_to(ROOT).as_posix()
        print(f"== {name}", flush=True)
        output, status, seconds = run(script)
        if status:
            failed.append(name)
        sections += [
            f"## {script.stem}",
            "",
            f"`{Path(sys.executable).name} {name}`, {seconds:.0f} s, exit status {status}",
            "",
            "```",
            output.rstrip("\n"),
            "```",
            "",
        ]
    RESULTS.mkdir(exist_ok=True)
    out.write_text("\n".join(header + sections), "utf-8")
    print(f"== wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if failed:
        print(f"== FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
