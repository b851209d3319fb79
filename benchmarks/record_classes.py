"""What building the skill's record classes costs a first answer (docs/deploy.md, "Record
classes: msgspec, not dataclasses").

Run: .venv/bin/python benchmarks/record_classes.py

- Per class: a fresh process builds 40 four-field frozen record classes, as dataclasses
  and as msgspec Structs, and prints the time per class (source already compiled, so only
  the class building is timed).
- On the first answer: a fresh process imports the Lambda entry and answers one
  LaunchRequest on the embedded store (as skill_latency.py's cold start) with dataclasses'
  class builder wrapped, counting the classes from skill/ it builds and the time they take
  (aim: none), and the skill's msgspec record classes loaded.
- BENCH_BASELINE=<dir> (an earlier checkout, e.g. `git worktree add /tmp/base main`) adds
  that tree's first answer to the same rounds: before and after from one run.
Medians over BENCH_RUNS rounds (default 7), interleaved so machine noise hits all alike.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
NO_API = "https://127.0.0.1:1"  # refused before any byte: no zone lookup
CLASSES = 40

PER_CLASS = r"""
import sys, time
from dataclasses import dataclass
import msgspec
kind, count = sys.argv[1], int(sys.argv[2])
head = "@dataclass(frozen=True)\nclass C{i}:" if kind == "dataclass" else (
    "class C{i}(msgspec.Struct, frozen=True):")
body = "".join(
    "\n    " + line for line in ("a: int", "b: str", "c: float | None = None", "d: tuple = ()")
) + "\n"
code = compile("\n".join(head.format(i=i) + body for i in range(count)), "<records>", "exec")
names = {"dataclass": dataclass, "msgspec": msgspec}
started = time.perf_counter()
exec(code, names)
print((time.perf_counter() - started) / count)
"""

FIRST_ANSWER = r"""
import dataclasses, json, sys, time
started = time.perf_counter()
built = []
build = dataclasses._process_class
def watched(cls, *args, **kwargs):
    began = time.perf_counter()
    made = build(cls, *args, **kwargs)
    built.append((cls.__module__, time.perf_counter() - began))
    return made
dataclasses._process_class = watched
sys.path.insert(0, sys.argv[1])
import lambda_function
answer = lambda_function.handler(json.loads(sys.stdin.read()), None)
took = time.perf_counter() - started
assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
ours = [seconds for module, seconds in built if module.startswith("skill.")]
structs = 0
if "msgspec" in sys.modules:
    import msgspec
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    structs = sum(1 for c in subclasses(msgspec.Struct) if c.__module__.startswith("skill."))
print(json.dumps({"seconds": took, "dataclasses": len(ours), "building": sum(ours),
                  "structs": structs}))
"""


def prepare(root: Path) -> None:
    """Byte code and prebuilt data, as the Lambda zip has them (as skill_latency.py does)."""
    if (root / "skill" / "prebuilt.py").is_file():
        subprocess.run([PYTHON, "-m", "skill.prebuilt"], cwd=root, check=True, capture_output=True)
    for folder in (root / "skill", root / "lambda"):
        compileall.compile_dir(folder, quiet=1)


def per_class(kind: str) -> float:
    done = subprocess.run(
        [PYTHON, "-c", PER_CLASS, kind, str(CLASSES)], check=True, capture_output=True, text=True
    )
    return float(done.stdout)


def first_answer(root: Path, event: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-c", FIRST_ANSWER, str(root / "lambda")],
        input=event,
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    from skill.alexa.envelopes import Conversation

    event = json.dumps(Conversation(api_endpoint=NO_API).launch())
    trees = {"": ROOT}
    if os.environ.get("BENCH_BASELINE"):
        trees["before"] = Path(os.environ["BENCH_BASELINE"])
    for root in trees.values():
        prepare(root)
    base = {**os.environ, "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "ERROR"}
    for key in ("PROGRESS_TABLE", "ALEXA_API_ALLOW_LOOPBACK", "AWS_LAMBDA_INITIALIZATION_TYPE"):
        base.pop(key, None)
    folder = Path(tempfile.mkdtemp())
    cost: dict[str, list[float]] = {"dataclass": [], "msgspec": []}
    answers: dict[str, list[dict[str, Any]]] = {label: [] for label in trees}
    for index in range(RUNS):
        for kind, samples in cost.items():
            samples.append(per_class(kind))
        for label, root in trees.items():
            env = {**base, "PROGRESS_DB": str(folder / f"{label or 'now'}-{index}.sqlite3")}
            answers[label].append(first_answer(root, event, env))

    def median(label: str, key: str) -> float:
        return statistics.median(float(run[key]) for run in answers[label])

    dataclass_ms, struct_ms = (statistics.median(cost[k]) * 1000 for k in ("dataclass", "msgspec"))
    print(f"building a record class (four fields, frozen; {CLASSES} a process, median of {RUNS}):")
    print(f"  dataclass       {dataclass_ms:6.3f} ms")
    print(f"  msgspec.Struct  {struct_ms:6.3f} ms  ({dataclass_ms / struct_ms:.0f}x less)")
    built = median("", "dataclasses")
    print(f"first answer, embedded store (Lambda entry + one LaunchRequest, median of {RUNS}):")
    print(
        f"  {median('', 'seconds') * 1000:.1f} ms; the skill's record classes: "
        f"{median('', 'structs'):.0f} msgspec Structs, {built:.0f} dataclasses built "
        f"({median('', 'building') * 1000:.1f} ms)  aim 0 dataclasses  "
        f"{'met' if built == 0 else 'NOT MET'}"
    )
    if "before" in trees:
        print(
            f"  before ({trees['before'].name}, same rounds): "
            f"{median('before', 'seconds') * 1000:.1f} ms; "
            f"{median('before', 'dataclasses'):.0f} dataclasses built from skill/, "
            f"{median('before', 'building') * 1000:.1f} ms building them"
        )


if __name__ == "__main__":
    main()
