"""Cold start and warm per-turn latency of the skill, against a bare boto3 import.

Run: .venv/bin/python benchmarks/skill_latency.py
- baseline: a fresh `python -c "import boto3"` process (wall time).
- cold start: a fresh process that imports the Lambda entry and answers one
  LaunchRequest; with the embedded store, and with DynamoDB (a local
  moto server, so boto3 is imported and a client built, as on Lambda).
- warm turns: 1,000 turns in one process through the same entry (embedded store).
Medians over several runs, interleaved so machine noise hits all alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
RUNS = 15
TURNS = 1000
NO_API = "https://127.0.0.1:1"

COLD = """
import json, sys
sys.path.insert(0, {lambda_dir!r})
import lambda_function
event = json.loads({event!r})
answer = lambda_function.handler(event, None)
assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
"""


def launch_event() -> str:
    from skill.alexa.requests import Conversation

    return json.dumps(Conversation(api_endpoint=NO_API).launch())


def wall(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def cold_starts() -> None:
    from tests.store_fixtures import MotoServer, create_table

    folder = tempfile.mkdtemp()
    base_env = {**os.environ, "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "WARNING"}
    base_env.pop("PROGRESS_TABLE", None)
    aws = {
        "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }  # fmt: skip
    os.environ.update(aws)
    server = MotoServer()
    table = create_table(server.endpoint)
    code = COLD.format(lambda_dir=str(ROOT / "lambda"), event=launch_event())
    runs: dict[str, list[float]] = {
        "bare import boto3": [],
        "cold, embedded": [],
        "cold, dynamodb": [],
    }
    try:
        for index in range(RUNS):
            embedded = {**base_env, "PROGRESS_DB": f"{folder}/cold-{index}.sqlite3"}
            dynamo = {
                **base_env,
                **aws,
                "PROGRESS_TABLE": table,
                "DYNAMODB_ENDPOINT": server.endpoint,
            }
            runs["bare import boto3"].append(wall([PYTHON, "-c", "import boto3"], base_env))
            runs["cold, embedded"].append(wall([PYTHON, "-c", code], embedded))
            runs["cold, dynamodb"].append(wall([PYTHON, "-c", code], dynamo))
    finally:
        server.stop()
    baseline = statistics.median(runs["bare import boto3"])
    for label, samples in runs.items():
        median = statistics.median(samples)
        print(f"{label:>18}: median {median * 1000:7.1f} ms  ({median / baseline:.2f}x bare boto3)")


def warm_turns() -> None:
    os.environ["PROGRESS_DB"] = str(Path(tempfile.mkdtemp()) / "warm.sqlite3")
    os.environ["DEFAULT_TIME_ZONE"] = "UTC"
    os.environ["LOG_LEVEL"] = "WARNING"
    from skill.alexa import app
    from skill.alexa.requests import Conversation

    app.reset()
    talk = Conversation(api_endpoint=NO_API)
    plan = ["AMAZON.NoIntent"] + [
        "AMAZON.NextIntent",
        "AMAZON.HelpIntent",
        "AMAZON.RepeatIntent",
    ] * 4
    samples: list[float] = []
    while len(samples) < TURNS:
        app.handle(talk.launch())  # a new session each round: one read, then turns
        for intent in plan:
            event = talk.intent(intent)
            started = time.perf_counter()
            answer = app.handle(event, None)
            samples.append(time.perf_counter() - started)
            talk.receive(answer)
    samples.sort()
    p99 = samples[int(len(samples) * 0.99) - 1]
    print(
        f"{'warm turn':>18}: median {statistics.median(samples) * 1000:7.3f} ms, "
        f"p99 {p99 * 1000:.3f} ms over {len(samples)} turns (embedded store)"
    )


if __name__ == "__main__":
    cold_starts()
    warm_turns()
