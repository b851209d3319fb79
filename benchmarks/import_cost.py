"""What a first answer's imports cost, by owner: `python -X importtime` on fresh processes
that import the Lambda entry and answer one LaunchRequest (embedded store; and DynamoDB,
a local moto server), as benchmarks/skill_latency.py's cold starts do.

    .venv/bin/python benchmarks/import_cost.py

Prints the median over RUNS processes of each group's own import time (-X importtime's
"self" column, summed), with its share of all imports. The ASK SDK's service clients
(ask_sdk_model.services: every Alexa API's client and models, imported by
ask_sdk_core.skill whatever a skill uses) are a group of their own: the one cost a skill
cannot cut without changing the SDK (docs/deploy.md describes the upstream change).
importtime adds its own overhead, so compare shares, not with skill_latency's times.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "7"))
LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \| (\s*)(\S+)")
GROUPS = (
    ("ask_sdk_model.services", "ASK SDK: the Alexa service clients (ask_sdk_model.services)"),
    ("ask_sdk", "ASK SDK: the rest (core, runtime, request and response models)"),
    ("dateutil", "python-dateutil (for the SDK's service clients)"),
    ("skill", "the skill's own modules"),
    ("lambda_function", "the Lambda entry's init: lifecycle.prepare (store client, routine)"),
    ("botocore", "botocore"),
    ("urllib3", "urllib3 (botocore's HTTP)"),
    ("importlib.metadata", "importlib.metadata"),
    ("tomllib", "tomllib"),
)
CHILD = """
import json, sys
sys.path.insert(0, {lambda_dir!r})
import lambda_function
lambda_function.handler(json.loads({event!r}), None)
"""


def group_of(module: str) -> str:
    for prefix, label in GROUPS:
        if module == prefix or module.startswith(prefix + ".") or module.startswith(prefix + "_"):
            return label
    return "Python's standard library and the rest"


def self_times(code: str, env: dict[str, str]) -> Counter[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    groups: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        if match:
            groups[group_of(match[3])] += int(match[1])
    return groups


def report(title: str, samples: list[Counter[str]]) -> None:
    labels = {label for sample in samples for label in sample}
    medians = {label: statistics.median(s[label] for s in samples) / 1000 for label in labels}
    total = sum(medians.values())
    print(f"{title} (median of {len(samples)} processes; all imports {total:.1f} ms self):")
    for label, ms in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"  {ms:7.1f} ms  {ms / total:5.1%}  {label}")


def main() -> None:
    from benchmarks.skill_latency import AWS, NO_API, compile_byte_code, launch_event
    from tests.store_fixtures import MotoServer, create_table

    compile_byte_code()
    code = CHILD.format(lambda_dir=str(ROOT / "lambda"), event=launch_event(NO_API))
    base = {**os.environ, "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "ERROR"}
    for key in ("PROGRESS_TABLE", "ALEXA_API_ALLOW_LOOPBACK", "AWS_LAMBDA_INITIALIZATION_TYPE"):
        base.pop(key, None)
    os.environ.update(AWS)
    server = MotoServer()
    folder = Path(tempfile.mkdtemp())
    embedded: list[Counter[str]] = []
    dynamodb: list[Counter[str]] = []
    try:
        table = create_table(server.endpoint)
        for index in range(RUNS):  # interleaved
            db = {**base, "PROGRESS_DB": str(folder / f"{index}.sqlite3")}
            embedded.append(self_times(code, db))
            ddb = {**base, **AWS, "PROGRESS_TABLE": table, "DYNAMODB_ENDPOINT": server.endpoint}
            dynamodb.append(self_times(code, ddb))
    finally:
        server.stop()
    report("first answer's imports, embedded store", embedded)
    report("first answer's imports, DynamoDB (no zone lookup)", dynamodb)
    loaded = sum(1 for s in embedded + dynamodb if s["importlib.metadata"] or s["tomllib"])
    print(
        f"processes that imported importlib.metadata or tomllib: {loaded} of "
        f"{len(embedded + dynamodb)} (aim 0: {'met' if loaded == 0 else 'NOT MET'})"
    )


if __name__ == "__main__":
    main()
