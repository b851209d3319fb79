"""The first answer and every answer after it: cold starts, warm turns, and a new session
on a slow network. Every figure is printed with its aim and whether it is met.

Run: .venv/bin/python benchmarks/skill_latency.py
(the reference skill, benchmarks/reference_skill/, needs ask-sdk-dynamodb-persistence-adapter:
in the test extra, so `make bench` has it)

- Cold start: a fresh process imports the Lambda entry (its init phase) and answers one
  LaunchRequest. With the embedded store, and with DynamoDB (a local moto server, so
  botocore is imported and a client built, as on Lambda); the DynamoDB run also reads
  the device zone from a local Settings API over TLS, trusted through a CA bundle the
  size of the system's, as on Lambda. Baselines in the same run: a bare `import boto3`,
  and the canonical ASK SDK skill on the official DynamoDB persistence adapter
  (benchmarks/reference_skill/: reads the persistent attributes, writes nothing, calls no
  Alexa API; like for like with our launch without a zone lookup).
- The same first answer for a returning person with ten years of practice in the store
  (tests/years_profile.py, seeded as tests/test_years_of_use.py does), on both stores.
- SnapStart: a fresh process runs the init phase as for a snapshot, then the timer
  starts at the after-restore hooks and stops at the first answer (DynamoDB + lookup).
- Warm turns: whole routines (launch, every exercise to the end, each turn as Alexa
  sends it) in one process, on the embedded store and on DynamoDB (moto over HTTP behind
  a keep-alive front, as DynamoDB keeps connections); the median turn of all of them.
  On DynamoDB also the turns that call it apart from the others, with and without the
  wait on its answer (botocore's own hooks time each call): a routine calls it on its
  launch and its writing turns, fewer than half, so the median turn makes no call and
  is the same with or without the wait. It is still slower than the embedded store's:
  the quiet turns right after a call take ~0.3 ms more than the same turns there
  (measured: one GetItem between two embedded turns, outside the timing, does the same,
  as does any allocation-heavy work; no collection runs in those turns, and moto in a
  process of its own changes nothing), so botocore's work on the call leaves the next
  turn colder caches, and those turns are the median's.
- A new session on a slow network: a returning user's LaunchRequest in a warm container,
  with 40 ms added to every round trip to DynamoDB and to the Settings API by TCP relays
  (tests/delay_relay.py). The store read and the zone lookup overlap, so the launch should
  pay one added round trip, not two: aim under 1.3 x 40 ms plus the same launch's time
  with nothing added, measured in the same run.
Medians over several runs (21 rounds of cold starts), interleaved so machine noise hits all
alike, each round starting one child later than the last (no fixed order). BENCH_BASELINE=<dir>
(an earlier checkout of this repository, e.g. from `git archive`) adds that tree's
embedded and no-lookup DynamoDB first answers to the same rounds: before and after from
one run.

How a cold start is timed: from the parent starting the child to the child's answer (the
child prints the monotonic clock, which all processes here share). The interpreter's
teardown after the answer (30-100 ms, more the more modules are loaded) is printed apart:
a Lambda environment does not exit after answering. Every child loads byte code: the
skill's modules are compiled first, as pip compiles an installed package (boto3's and the
SDK's here were compiled by pip). Both are like for like with the baselines; without
them, earlier runs charged the skill for compiling its own source and for a teardown no
answer waits for.

What the first answer still pays, measured with `python -X importtime` and cProfile on
exactly these children (docs/deploy.md has the table): the ASK SDK's imports (~60 ms; it
imports all eleven Alexa service clients' models whether used or not, ~25 ms of it), the
skill's own modules (~1-3 ms each; records built in C: benchmarks/record_classes.py; plus
http.client, email and ssl for the zone lookup, ~15 ms), botocore's import and the client
(service model, endpoint rules and `endpoints.json` parsed from JSON, the first and last
trimmed at build time: skill/store/botocore_trim.py; session handlers),
and on a real lookup the CA bundle (~30 ms of OpenSSL parsing, on the lookup's thread).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
WARM_ROUNDS = int(os.environ.get("BENCH_WARM_ROUNDS", "40"))
MAX_TURNS = 60  # a routine that needs more did not end: the walk is broken
PEOPLE = itertools.count()  # a new person for every routine
ADDED = 0.040  # seconds added to each round trip in the slow-network figure
NO_API = "https://127.0.0.1:1"  # refused before any byte is sent (not an Alexa host)

AIM_COLD_DYNAMODB = 0.85  # x the canonical skill
AIM_COLD_EMBEDDED = 0.80  # x a bare import boto3
AIM_WARM_MS = 1.0
AIM_ROUND_TRIPS = 1.3  # x ADDED, on top of the launch's own time

# Each child prints the clock (CLOCK_MONOTONIC, shared by every process here) when its
# answer is ready: the parent's start to that moment is "fresh process to first answer".
# The interpreter's teardown after it is not part of the answer (a Lambda environment
# never exits after answering), and is measured apart.
COLD = """
import json, sys, time
sys.path.insert(0, {lambda_dir!r})
import lambda_function
event = json.loads({event!r})
answer = lambda_function.handler(event, None)
print(time.perf_counter())
assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
"""
BARE_BOTO3 = "import boto3, time; print(time.perf_counter())"

# A SnapStart cold start, the part that is ours: init ran before the snapshot, so time
# from the after-restore hooks to the first answer (Lambda's own restore is extra).
RESTORED = """
import json, sys, time
sys.path.insert(0, {lambda_dir!r})
import lambda_function, snapshot_restore_py
event = json.loads({event!r})
started = time.perf_counter()
for hook, args, kwargs in snapshot_restore_py.get_after_restore():
    hook(*args, **kwargs)
answer = lambda_function.handler(event, None)
print(time.perf_counter() - started)
"""


# The reference: the canonical ASK SDK skill on the official DynamoDB persistence adapter
# (benchmarks/reference_skill/), one LaunchRequest reading the persistent attributes.
CANONICAL = """
import json, sys, time
sys.path.insert(0, {reference_dir!r})
import lambda_function
answer = lambda_function.handler(json.loads({event!r}), None)
print(time.perf_counter())
assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
"""

AWS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def verdict(value: float, aim: float) -> str:
    return "met" if value <= aim else "NOT MET"


def canonical_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ask_sdk_dynamodb") is not None


def launch_event(api_endpoint: str = NO_API, user_id: str | None = None) -> str:
    from skill.alexa.envelopes import Conversation

    who = {"user_id": user_id} if user_id else {}
    return json.dumps(Conversation(api_endpoint=api_endpoint, **who).launch())


def answered(args: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds from starting a child to its answer (the clock it prints), and to its exit."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=cwd)
    ended = time.perf_counter()
    return float(done.stdout.strip().splitlines()[-1]) - started, ended - started


def compile_byte_code(root: Path = ROOT) -> None:
    """The skill's modules as byte code and its data prebuilt (skill/prebuilt.py: the
    routine, the locale words, botocore's data trimmed for the client), as the
    Lambda zip has them (pip compiles
    what it installs, boto3's and the SDK's included; a self-hosted server writes its own
    on first run), so every child here loads byte code and none compiles source. The
    Lambda zip ships no byte code: see docs/deploy.md for what that costs there."""
    import compileall

    if (root / "skill" / "prebuilt.py").is_file():  # the data as the Lambda zip has it
        subprocess.run([PYTHON, "-m", "skill.prebuilt"], cwd=root, check=True, capture_output=True)
    for folder in (root / "skill", root / "lambda"):
        compileall.compile_dir(folder, quiet=1)


def reported(args: list[str], env: dict[str, str]) -> float:
    """The seconds a child process prints as its last line."""
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def system_ca_bundle() -> bytes:
    """The CA bundle a default TLS context loads here (Lambda loads its own, similar)."""
    import ssl

    paths = ssl.get_default_verify_paths()
    for path in (paths.cafile, paths.openssl_cafile):
        if path and Path(path).is_file():
            return Path(path).read_bytes()
    import certifi

    return Path(certifi.where()).read_bytes()


def seed_years_of_use(store: Any, user: str) -> None:
    """Ten years of daily practice for `user`, as tests/test_years_of_use.py writes them
    (a month of days per write; the archive folds as it would over the years)."""
    from tests.store_fixtures import ROUTINE
    from tests.years_profile import practice_days, profile, save_by_month

    days = practice_days(10)
    last = datetime.fromisoformat(days[-1]).replace(tzinfo=UTC)
    store.save(user, profile(saved_at=int(last.timestamp() * 1000)), ROUTINE)
    save_by_month(store, user, days, ROUTINE)


def cold_starts() -> None:
    from tests.settings_api import SettingsApi
    from tests.store_fixtures import MotoServer, create_table

    folder = Path(tempfile.mkdtemp())
    settings_api = SettingsApi(folder)
    bundle = folder / "ca-bundle.pem"
    bundle.write_bytes(system_ca_bundle() + b"\n" + settings_api.cert.read_bytes())
    base_env = {**os.environ, "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "WARNING"}
    base_env.pop("PROGRESS_TABLE", None)
    base_env.pop("ALEXA_API_ALLOW_LOOPBACK", None)
    os.environ.update(AWS)
    server = MotoServer()
    table = create_table(server.endpoint)
    lambda_dir = str(ROOT / "lambda")
    embedded_code = COLD.format(lambda_dir=lambda_dir, event=launch_event())
    dynamo_code = COLD.format(lambda_dir=lambda_dir, event=launch_event(settings_api.endpoint))
    no_lookup_code = COLD.format(lambda_dir=lambda_dir, event=launch_event())
    # A returning person with ten years of practice in the store (tests/years_profile.py).
    from skill.store.dynamodb import DynamoDBProgressStore
    from skill.store.sqlite import SQLiteProgressStore
    from tests.years_profile import LONG_USER

    years_code = COLD.format(lambda_dir=lambda_dir, event=launch_event(user_id=LONG_USER))
    years_db = folder / "years.sqlite3"
    seed_years_of_use(SQLiteProgressStore(years_db), LONG_USER)
    seed_years_of_use(DynamoDBProgressStore(table, endpoint_url=server.endpoint), LONG_USER)
    restored_code = RESTORED.format(
        lambda_dir=lambda_dir, event=launch_event(settings_api.endpoint)
    )
    compile_byte_code()
    runs: dict[str, list[float]] = {
        "bare boto3": [],
        "embedded": [],
        "dynamodb": [],
        "dynamodb, no lookup": [],
        "restored": [],
        "embedded, 10 years": [],
        "dynamodb, no lookup, 10 years": [],
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
        runs["canonical"] = []
        canonical_code = CANONICAL.format(
            reference_dir=str(ROOT / "benchmarks" / "reference_skill"), event=launch_event()
        )
    exits: dict[str, list[float]] = {label: [] for label in ("bare boto3", "embedded", "canonical")}
    baseline = Path(os.environ["BENCH_BASELINE"]) if os.environ.get("BENCH_BASELINE") else None
    if baseline is not None:  # an earlier tree of the skill, timed in the same rounds
        compile_byte_code(baseline)
        runs["embedded, before"] = []
        runs["dynamodb, no lookup, before"] = []
        before_code = COLD.format(lambda_dir=str(baseline / "lambda"), event=launch_event())

    def timed(label: str, args: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        to_answer, to_exit = answered(args, env, cwd)
        runs[label].append(to_answer)
        if label in exits:
            exits[label].append(to_exit - to_answer)

    try:
        for index in range(RUNS):
            embedded = {**base_env, "PROGRESS_DB": str(folder / f"cold-{index}.sqlite3")}
            dynamo = {
                **base_env,
                **AWS,
                "PROGRESS_TABLE": table,
                "DYNAMODB_ENDPOINT": server.endpoint,
                "ALEXA_API_ALLOW_LOOPBACK": "1",  # the local Settings API
                "SSL_CERT_FILE": str(bundle),
            }
            # Loopback not allowed here: NO_API is then refused before any TLS context is
            # built or byte sent, so this run makes no lookup at all, as the canonical skill.
            no_lookup = {k: v for k, v in dynamo.items() if k != "ALEXA_API_ALLOW_LOOPBACK"}
            years = {**embedded, "PROGRESS_DB": str(folder / f"years-{index}.sqlite3")}
            shutil.copyfile(years_db, years["PROGRESS_DB"])
            snap = {**dynamo, "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"}
            children: list[tuple[str, list[str], dict[str, str], Path | None]] = [
                ("bare boto3", [PYTHON, "-c", BARE_BOTO3], base_env, None),
                ("embedded", [PYTHON, "-c", embedded_code], embedded, None),
                ("dynamodb", [PYTHON, "-c", dynamo_code], dynamo, None),
                ("dynamodb, no lookup", [PYTHON, "-c", no_lookup_code], no_lookup, None),
                ("embedded, 10 years", [PYTHON, "-c", years_code], years, None),
                ("dynamodb, no lookup, 10 years", [PYTHON, "-c", years_code], no_lookup, None),
                ("restored", [PYTHON, "-c", restored_code], snap, None),
            ]
            if canonical:
                reference = {**dynamo, "REFERENCE_TABLE": "canonical"}
                children.append(("canonical", [PYTHON, "-c", canonical_code], reference, None))
            if baseline is not None:
                before_db = {**embedded, "PROGRESS_DB": str(folder / f"before-{index}.sqlite3")}
                before_args = [PYTHON, "-c", before_code]
                children.append(("embedded, before", before_args, before_db, baseline))
                children.append(("dynamodb, no lookup, before", before_args, no_lookup, baseline))
            # Each round starts one child later, so no figure always runs first or after
            # the same neighbour (order effects spread over all alike).
            shift = index % len(children)
            for label, args, env, cwd in children[shift:] + children[:shift]:
                if label == "restored":  # it prints its own time: restore hook to answer
                    runs[label].append(reported(args, env))
                else:
                    timed(label, args, env, cwd)
    finally:
        server.stop()
        settings_api.close()
    median = {label: statistics.median(samples) for label, samples in runs.items()}
    boto3_ms = median["bare boto3"] * 1000
    print(f"cold start, fresh process to first answer (median of {RUNS}):")
    print(f"  bare `import boto3`            {boto3_ms:7.1f} ms  (baseline)")
    if canonical:
        print(
            f"  canonical adapter skill        {median['canonical'] * 1000:7.1f} ms  "
            f"({median['canonical'] / median['bare boto3']:.2f}x boto3)"
        )

    def embedded_line(label: str, title: str) -> None:
        ratio = median[label] / median["bare boto3"]
        print(
            f"  {title:<30} {median[label] * 1000:7.1f} ms  "
            f"{ratio:.2f}x boto3      aim <= {AIM_COLD_EMBEDDED:.2f}x  "
            f"{verdict(ratio, AIM_COLD_EMBEDDED)}"
        )

    embedded_line("embedded", "embedded store")
    for label, title in (
        ("dynamodb, no lookup", "DynamoDB, no zone lookup      "),
        ("dynamodb", "DynamoDB + TLS zone lookup    "),
    ):
        line = (
            f"  {title} {median[label] * 1000:7.1f} ms  "
            f"{median[label] / median['bare boto3']:.2f}x boto3"
        )
        if canonical:
            ratio = median[label] / median["canonical"]
            line += (
                f", {ratio:.2f}x canonical  aim <= {AIM_COLD_DYNAMODB:.2f}x canonical  "
                f"{verdict(ratio, AIM_COLD_DYNAMODB)}"
            )
        else:
            line += "  (aim vs canonical: not measured, adapter not installed)"
        print(line)
    embedded_line("embedded, 10 years", "embedded, 10 years of use")
    years_ms = median["dynamodb, no lookup, 10 years"] * 1000
    line = f"  DynamoDB, no lookup, 10 years  {years_ms:7.1f} ms"
    if canonical:
        ratio = median["dynamodb, no lookup, 10 years"] / median["canonical"]
        line += (
            f"  {ratio:.2f}x canonical  aim <= {AIM_COLD_DYNAMODB:.2f}x canonical  "
            f"{verdict(ratio, AIM_COLD_DYNAMODB)}"
        )
    print(line)
    if baseline is not None:
        before = median["embedded, before"] / median["bare boto3"]
        line = (
            f"  before ({baseline.name}, same rounds): embedded "
            f"{median['embedded, before'] * 1000:.1f} ms {before:.2f}x boto3"
        )
        if canonical:
            before = median["dynamodb, no lookup, before"] / median["canonical"]
            line += (
                f"; DynamoDB, no zone lookup {median['dynamodb, no lookup, before'] * 1000:.1f}"
                f" ms {before:.2f}x canonical"
            )
        print(line)
    print(
        f"  SnapStart restore hook to first answer (DynamoDB + TLS lookup): "
        f"{median['restored'] * 1000:.1f} ms  (Lambda's own restore time comes on top)"
    )
    print(
        "  (the canonical skill reads no time zone: the no-lookup line is like for like; the "
        "other is what a real first answer pays)"
    )
    teardown = ", ".join(
        f"{label} {statistics.median(samples) * 1000:.0f} ms"
        for label, samples in exits.items()
        if samples
    )
    print(f"  then the interpreter's exit, not part of any figure above: {teardown}")


class WireTime:
    """Seconds spent waiting on DynamoDB's answers (botocore's before-send to
    response-received, per attempt) and how many answers came, so a turn's own time
    can be told from the network's."""

    def __init__(self, client: Any = None) -> None:
        self.total = 0.0
        self.calls = 0
        self._sent = 0.0
        if client is not None:
            client.meta.events.register("before-send.dynamodb.*", self._on_send)
            client.meta.events.register("response-received.dynamodb.*", self._on_answer)

    def _on_send(self, **kwargs: Any) -> None:
        self._sent = time.perf_counter()

    def _on_answer(self, **kwargs: Any) -> None:
        self.total += time.perf_counter() - self._sent
        self.calls += 1


def whole_routines(
    skill: Any, rounds: int, wire: WireTime
) -> tuple[list[float], list[float], list[int]]:
    """Seconds per turn over `rounds` whole routines, each by a new person: the launch,
    "no" to the warm-up, "next" through every exercise, "no" to the reminder offer.
    Returns each turn's time, each turn's time less its wait on DynamoDB, and each
    turn's number of DynamoDB calls."""
    from skill.alexa.app import invoke
    from skill.alexa.envelopes import Conversation

    samples: list[float] = []
    own: list[float] = []
    calls: list[int] = []
    for _ in range(rounds):
        talk = Conversation(user_id=f"amzn1.ask.account.warm{next(PEOPLE)}", api_endpoint=NO_API)
        ended = False
        turn, phase = 0, ""
        while not ended:
            if turn == 0:
                event = talk.launch()
            else:
                declining = turn == 1 or phase == "offer_reminder"
                event = talk.intent("AMAZON.NoIntent" if declining else "AMAZON.NextIntent")
            waited, answers, started = wire.total, wire.calls, time.perf_counter()
            answer = invoke(skill, event)
            samples.append(time.perf_counter() - started)
            own.append(samples[-1] - (wire.total - waited))
            calls.append(wire.calls - answers)
            talk.receive(answer)
            phase = str((answer.get("sessionAttributes") or {}).get("phase"))
            ended = bool(answer["response"].get("shouldEndSession")) or turn > MAX_TURNS
            turn += 1
        assert turn <= MAX_TURNS, "the routine did not end"
    return samples, own, calls


def warm_turns() -> None:
    os.environ["DEFAULT_TIME_ZONE"] = "UTC"
    os.environ["LOG_LEVEL"] = "ERROR"  # not the expected zone warning once per session (NO_API)
    os.environ.update(AWS)
    from skill.alexa.app import build_skill
    from skill.store.dynamodb import DynamoDBProgressStore
    from skill.store.sqlite import SQLiteProgressStore
    from tests.keepalive_proxy import KeepAliveProxy
    from tests.store_fixtures import MotoServer, create_table

    server = MotoServer()
    front = KeepAliveProxy(server.endpoint)  # DynamoDB keeps connections alive; moto doesn't
    try:
        stores = {
            "embedded": SQLiteProgressStore(Path(tempfile.mkdtemp()) / "warm.sqlite3"),
            "DynamoDB": DynamoDBProgressStore(
                create_table(server.endpoint), endpoint_url=f"http://127.0.0.1:{front.port}"
            ),
        }
        skills = {label: build_skill(store=store) for label, store in stores.items()}
        # One expected warning per new person (no Settings API here), not in the output.
        logging.getLogger("skill").setLevel(logging.ERROR)
        wires = {"embedded": WireTime(), "DynamoDB": WireTime(stores["DynamoDB"].client)}
        samples: dict[str, list[float]] = {label: [] for label in skills}
        own: dict[str, list[float]] = {label: [] for label in skills}
        calls: dict[str, list[int]] = {label: [] for label in skills}
        for label, skill in skills.items():
            whole_routines(skill, 2, wires[label])  # warm: imports, routine, connections
        for _ in range(WARM_ROUNDS):  # interleaved, so noise hits both alike
            for label, skill in skills.items():
                turns, mine, made = whole_routines(skill, 1, wires[label])
                samples[label] += turns
                own[label] += mine
                calls[label] += made
    finally:
        front.close()
        server.stop()
    for label, turns in samples.items():
        median_ms = statistics.median(turns) * 1000
        p99 = sorted(turns)[int(len(turns) * 0.99) - 1] * 1000
        print(
            f"warm turn, whole routines ({label}, {WARM_ROUNDS} routines, {len(turns)} turns): "
            f"median {median_ms:.3f} ms, p99 {p99:.3f} ms  aim median < {AIM_WARM_MS:.0f} ms  "
            f"{verdict(median_ms, AIM_WARM_MS - 1e-9)}"
        )
        if label == "DynamoDB":
            print("  " + wait_split(turns, own[label], calls[label]))


def wait_split(turns: list[float], own: list[float], calls: list[int]) -> str:
    """The DynamoDB turns split by whether they called it. botocore's hooks time every
    call; the median turn makes none (a routine calls on its launch and its writing
    turns, fewer than half), so the median is the same with or without the wait."""
    calling = [i for i, made in enumerate(calls) if made]
    quiet = [turns[i] for i, made in enumerate(calls) if not made]
    median = statistics.median

    def ms(values: list[float]) -> str:
        return f"{median(values) * 1000:.3f} ms" if values else "-"

    return (
        f"turns that call DynamoDB: {len(calling)} of {len(turns)} ({sum(calls)} calls), "
        f"median {ms([turns[i] for i in calling])}, less the wait on moto's answer "
        f"{ms([own[i] for i in calling])} (botocore's work and the skill's); the other "
        f"turns: median {ms(quiet)}; all turns less the wait: median {ms(own)}"
    )


def slow_network_launch() -> None:
    from urllib.parse import urlparse

    from skill.alexa.api_client import AlexaApiClient
    from skill.alexa.app import build_skill, invoke
    from skill.alexa.envelopes import Conversation
    from skill.store.dynamodb import DynamoDBProgressStore
    from tests.delay_relay import DelayRelay
    from tests.keepalive_proxy import KeepAliveProxy
    from tests.settings_api import SettingsApi
    from tests.store_fixtures import CallCounter, MotoServer, create_table

    os.environ.update(AWS)
    os.environ["ALEXA_API_ALLOW_LOOPBACK"] = "1"
    server = MotoServer()
    front = KeepAliveProxy(server.endpoint)  # DynamoDB keeps connections alive; moto doesn't
    settings_api = SettingsApi(Path(tempfile.mkdtemp()))
    api_target = urlparse(settings_api.endpoint)
    store_relay = DelayRelay("127.0.0.1", front.port)
    api_relay = DelayRelay("127.0.0.1", api_target.port or 443)
    try:
        store = DynamoDBProgressStore(
            create_table(server.endpoint), endpoint_url=store_relay.endpoint()
        )
        skill = build_skill(store=store, api_client=AlexaApiClient(verify=str(settings_api.cert)))
        talk = Conversation(api_endpoint=api_relay.endpoint("https"))

        def session() -> tuple[float, dict[str, Any]]:
            talk.end()
            started = time.perf_counter()
            answer = invoke(skill, talk.launch())
            took = time.perf_counter() - started
            talk.receive(answer)
            return took, answer

        session()  # a first session: the user and zone are stored, connections opened
        talk.receive(invoke(skill, talk.intent("AMAZON.StopIntent")))
        counter = CallCounter.attach(store.client)
        seen_before = len(settings_api.seen)
        timings: dict[float, list[float]] = {0.0: [], ADDED: []}
        unread = 0  # launches that answered without the stored progress (read not in time)
        for _ in range(RUNS):
            for delay in timings:
                store_relay.delay = api_relay.delay = delay
                took, answer = session()
                unread += "Welcome back" not in json.dumps(answer)
                timings[delay].append(took)
        calls = dict(counter.calls)
        lookups = len(settings_api.seen) - seen_before
        new_connections = store_relay.connections + api_relay.connections
    finally:
        store_relay.close()
        api_relay.close()
        front.close()
        settings_api.close()
        server.stop()
    own = statistics.median(timings[0.0]) * 1000
    slow = statistics.median(timings[ADDED]) * 1000
    aim = own + AIM_ROUND_TRIPS * ADDED * 1000
    launches = 2 * RUNS
    print(
        f"new-session LaunchRequest, returning user, warm container ({RUNS} each):\n"
        f"  nothing added                  {own:7.1f} ms  (the launch's own time)\n"
        f"  +{ADDED * 1000:.0f} ms per round trip      {slow:7.1f} ms  "
        f"= own + {(slow - own) / (ADDED * 1000):.2f} round trips  "
        f"aim < {aim:.1f} ms (own + {AIM_ROUND_TRIPS} x {ADDED * 1000:.0f})  {verdict(slow, aim)}\n"
        f"  per launch: {calls.get('GetItem', 0) / launches:.0f} GetItem, "
        f"{calls.get('UpdateItem', 0) / launches:.0f} UpdateItem, "
        f"{lookups / launches:.0f} Settings API call; connections opened in "
        f"{launches + 1} launches: {new_connections} (kept alive); launches that answered "
        f"without the stored progress (read not in time): {unread}"
    )


if __name__ == "__main__":
    cold_starts()
    warm_turns()
    slow_network_launch()
