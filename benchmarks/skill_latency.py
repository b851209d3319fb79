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


# The canonical shape: the official DynamoDB persistence adapter, its boto3 resource
# built at import time, one LaunchRequest that reads and saves persistent attributes.
CANONICAL = """
import json, os, boto3
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
resource = boto3.resource("dynamodb", endpoint_url=os.environ["DYNAMODB_ENDPOINT"])
adapter = DynamoDbAdapter(
    table_name=os.environ["CANONICAL_TABLE"], partition_key_name="id", dynamodb_resource=resource
)
class Launch(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)
    def handle(self, handler_input):
        saved = handler_input.attributes_manager.persistent_attributes
        saved["visits"] = int(saved.get("visits", 0)) + 1
        handler_input.attributes_manager.save_persistent_attributes()
        return handler_input.response_builder.speak("Welcome back.").ask("Say next.").response
builder = CustomSkillBuilder(persistence_adapter=adapter, api_client=DefaultApiClient())
builder.add_request_handler(Launch())
builder.lambda_handler()(json.loads({event!r}), None)
"""


def canonical_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ask_sdk_dynamodb") is not None


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
    canonical = canonical_available()
    if canonical:
        import boto3

        admin = boto3.client("dynamodb", endpoint_url=server.endpoint)
        admin.create_table(
            TableName="canonical",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        runs["canonical adapter"] = []
        canonical_code = CANONICAL.format(event=launch_event())
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
            if canonical:
                reference = {**dynamo, "CANONICAL_TABLE": "canonical"}
                runs["canonical adapter"].append(wall([PYTHON, "-c", canonical_code], reference))
    finally:
        server.stop()
    if not canonical:
        print(
            "(canonical adapter skill not measured: "
            "pip install ask-sdk-dynamodb-persistence-adapter)"
        )
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
