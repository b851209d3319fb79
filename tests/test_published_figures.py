"""Every figure README.md and docs/ quote comes from the latest benchmark results file.

A quoted figure is marked <!--bench NAME-->figure<!--/bench--> (invisible when rendered),
NAME the benchmark that printed it (benchmarks/NAME.py). `make bench` writes
benchmarks/results/YYYY-MM-DD.md (benchmarks/run_all.py); the marked text must appear,
spaces aside, in NAME's output there. The documents also name that file, so a reader
can see the whole run.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
MARK = re.compile(r"<!--bench ([a-z_]+)-->(.*?)<!--/bench-->", re.S)
DATED = re.compile(r"\d{4}-\d{2}-\d{2}\.md")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def latest() -> Path:
    files = sorted(p for p in RESULTS.glob("*.md") if DATED.fullmatch(p.name))
    assert files, "no results file: run `make bench`"
    return files[-1]


def outputs(results: Path) -> dict[str, str]:
    """Each benchmark's verbatim output in a results file, by name."""
    found: dict[str, str] = {}
    for section in results.read_text("utf-8").split("\n## ")[1:]:
        name, _, body = section.partition("\n")
        block = body.split("\n```\n", 1)[1].rsplit("\n```", 1)[0] if "```" in body else ""
        found[name.strip()] = block
    return found


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_every_marked_figure_is_in_the_latest_results() -> None:
    results = latest()
    printed = {name: squeeze(text) for name, text in outputs(results).items()}
    marked = 0
    for document in DOCUMENTS:
        for name, figure in MARK.findall(document.read_text("utf-8")):
            marked += 1
            where = f"{document.relative_to(ROOT)}: {figure!r} ({name})"
            assert name in printed, f"{where}: no such benchmark in {results.name}"
            assert squeeze(figure) in printed[name], f"{where}: not in {results.name}"
    assert marked >= 10, "the documents quote fewer figures than expected"


def test_documents_that_quote_figures_name_the_latest_results_file() -> None:
    name = f"benchmarks/results/{latest().name}"
    for document in DOCUMENTS:
        text = document.read_text("utf-8")
        if MARK.search(text):
            assert name in text, f"{document.relative_to(ROOT)} quotes figures: cite {name}"
            older = set(re.findall(r"benchmarks/results/(\d{4}-\d{2}-\d{2}\.md)", text))
            assert older <= {latest().name}, f"{document.relative_to(ROOT)} cites {older}"


def test_the_marker_convention_finds_what_it_should(tmp_path: Path) -> None:
    text = "a <!--bench skill_latency-->0.71x boto3<!--/bench--> and "
    text += "<!--bench x-->1\n2<!--/bench-->"
    assert MARK.findall(text) == [("skill_latency", "0.71x boto3"), ("x", "1\n2")]
    sample = tmp_path / "2026-01-01.md"
    sample.write_text(
        "# r\n\n## one\n\n`cmd`\n\n```\nfigure 1.5 ms\n```\n\n## two\n\n```\nb\n```\n"
    )
    assert outputs(sample) == {"one": "figure 1.5 ms", "two": "b"}
