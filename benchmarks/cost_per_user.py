"""Monthly AWS cost of the skill for 100, 10,000 and 1,000,000 daily users, derived from
what one person's daily session measurably costs: requests, DynamoDB calls at the item
sizes reached after months of use, compute time, log bytes.

Run: .venv/bin/python benchmarks/cost_per_user.py   (prints the table in docs/deploy.md)

Measured here (moto over HTTP, the real skill, real request envelopes): per session, the
requests, GetItem/UpdateItem calls, the item's size before and after (DynamoDB's own
size rules), each request's in-process time and log bytes. History is written straight
to the store (one day per UpdateItem, as the skill writes it), then a full real session
is run on top at each age.

Assumed (stated in the output): Lambda CPU at 512 MB, in-region call latencies, Lambda's
own log lines, how often a session starts on a restored environment, one session per
user per day, 30-day months, no free tier.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# us-east-1 list prices, USD, as AWS publishes them (Lambda: arm64 first tier, request
# price; SnapStart for Python; DynamoDB Standard on-demand after the November 2024 cut;
# CloudWatch Logs Standard ingestion). Recorded 2026-11-30; this machine cannot reach
# aws.amazon.com, so confirm on the live pages before budgeting.
PRICES_DATE = "2026-11-30"
PRICE = {
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second_arm64": 0.0000133334,
    "snapstart_cache_gb_second": 0.0000015046,
    "snapstart_restore_gb": 0.0001397998,
    "dynamodb_read_unit": 0.125 / 1e6,  # on-demand read request unit
    "dynamodb_write_unit": 0.625 / 1e6,  # on-demand write request unit
    "dynamodb_storage_gb_month": 0.25,
    "dynamodb_pitr_gb_month": 0.20,
    "logs_ingest_gb": 0.50,
}
MEMORY_GB = 512 / 1024  # template.yaml MemorySize
# Lambda gives a full vCPU at 1,769 MB, so 512 MB runs CPU work ~3.5x slower than one
# core; assumed: this machine's core ~ one Graviton vCPU.
CPU_SLOWDOWN = 1769 / 512
DYNAMODB_CALL_MS = 6.0  # in-region, kept-alive connection (assumed)
SETTINGS_API_MS = 40.0  # the Alexa Settings API from the same region (assumed)
LAMBDA_LOG_BYTES = 330  # START, END and REPORT lines per invocation (Lambda's format)
RESTORES_PER_SESSION = {100: 1.0, 10_000: 0.1, 1_000_000: 0.01}  # assumed
DAYS_PER_MONTH = 30
AGES_MONTHS = (1, 12, 36)
USER = "amzn1.ask.account." + "A" * 207  # as long as an Alexa user id (tests/years_profile.py)
MAX_REQUESTS = 60  # a session that reaches it did not end: the walk is broken


@dataclass
class Session:
    requests: int = 0
    gets: int = 0
    updates: int = 0
    item_before: int = 0
    item_after: int = 0
    compute_ms: list[float] = field(default_factory=list)  # per request, DynamoDB time excluded
    calls: list[int] = field(default_factory=list)  # DynamoDB calls per request
    log_bytes: int = 0

    @property
    def read_units(self) -> int:  # strongly consistent: 4 KB units
        return self.gets * max(1, math.ceil(self.item_before / 4096))

    @property
    def write_units(self) -> int:  # UpdateItem: the larger of before and after, 1 KB units
        return self.updates * max(1, math.ceil(max(self.item_before, self.item_after) / 1024))

    @property
    def billed_ms(self) -> float:
        """Billed duration: compute at Lambda's CPU share plus the calls' waits, per request
        rounded up to 1 ms. The launch's read overlaps the Settings API call."""
        total = 0.0
        for index, (compute, calls) in enumerate(zip(self.compute_ms, self.calls, strict=True)):
            wait = calls * DYNAMODB_CALL_MS
            if index == 0:
                wait += max(SETTINGS_API_MS, DYNAMODB_CALL_MS) - DYNAMODB_CALL_MS
            total += math.ceil(compute * CPU_SLOWDOWN + wait)
        return total


def asks_yes_no(answer: dict[str, Any]) -> bool:
    """The answer ends on a yes/no question of the nudges (the daily reminder offer after
    the routine): the person declines, once; the store remembers it."""
    nudges = answer.get("sessionAttributes", {}).get("nudges") or {}
    return bool(nudges.get("asking"))


def main() -> None:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(key, value)
    from skill.alexa.app import build_skill, invoke
    from skill.alexa.envelopes import Conversation
    from skill.progress.records import ProgressUpdate
    from skill.routine.model import load_routine
    from skill.store.dynamodb import DynamoDBProgressStore
    from tests.store_fixtures import (
        CallCounter,
        MotoServer,
        admin_client,
        create_table,
        item_bytes,
    )

    server = MotoServer()
    table = create_table(server.endpoint)
    store = DynamoDBProgressStore(table, endpoint_url=server.endpoint)
    admin = admin_client(server.endpoint)
    counter = CallCounter.attach(store.client)
    in_calls = [0.0]  # seconds spent inside DynamoDB calls (the local server's time too)
    call_started: list[float] = []

    def before_call(**kwargs: Any) -> None:
        call_started.append(time.perf_counter())

    def after_call(**kwargs: Any) -> None:
        in_calls[0] += time.perf_counter() - call_started.pop()

    store.client.meta.events.register("before-call.dynamodb.*", before_call)
    store.client.meta.events.register("after-call.dynamodb.*", after_call)
    skill = build_skill(store=store)
    ids = load_routine().ids
    log_stream = io.StringIO()
    handler = logging.StreamHandler(log_stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("skill")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False

    def stored_size(user: str) -> int:
        reply = admin.get_item(TableName=table, Key={"userId": {"S": user}})
        return item_bytes(reply.get("Item") or {})  # DynamoDB's size rule, as the tests

    # What Lambda's init does before any request (lambda/lambda_function.py): not per session.
    warm = Conversation(user_id="amzn1.ask.account.WARMUP", api_endpoint="https://127.0.0.1:1")
    talk_back = invoke(skill, warm.launch())
    warm.receive(talk_back)
    invoke(skill, warm.intent("AMAZON.NoIntent"))
    # Today is the real date: the skill believes a request's clock only near the server's
    # (skill/progress/bounds.py), so each age is its own user whose history ends yesterday.
    today = dt.datetime.now(dt.UTC).date()
    sessions: dict[int, Session] = {}
    try:
        for months in AGES_MONTHS:
            user = f"{USER}.{months}"
            days = months * DAYS_PER_MONTH
            for back in range(days - 1, 0, -1):  # the history before today's session
                day = (today - dt.timedelta(days=back)).isoformat()
                store.save(user, ProgressUpdate(exercises_done={day: frozenset(ids)}), ids)
            talk = Conversation(
                user_id=user,
                api_endpoint="https://127.0.0.1:1",  # refused: the zone call is priced apart
                timestamp=f"{today.isoformat()}T09:00:00Z",
            )
            session = Session(item_before=stored_size(user))
            counter.reset()
            log_stream.seek(0)
            log_stream.truncate()
            answer: dict[str, Any] = {}
            for index in range(MAX_REQUESTS):  # each built after the last answer, as Alexa does
                if index == 0:
                    event = talk.launch()
                elif index == 1 or asks_yes_no(answer):  # skip the warm-up; decline offers
                    event = talk.intent("AMAZON.NoIntent")
                else:
                    event = talk.intent("AMAZON.NextIntent")
                calls_before, in_calls[0] = counter.total, 0.0
                started = time.perf_counter()
                answer = invoke(skill, event)
                took = time.perf_counter() - started - in_calls[0]
                session.compute_ms.append(took * 1000)
                session.calls.append(counter.total - calls_before)
                talk.receive(answer)
                session.requests += 1
                if answer["response"].get("shouldEndSession") is not False and index >= 1:
                    break
            else:
                raise SystemExit(f"the session did not end in {MAX_REQUESTS} requests")
            session.gets = counter.calls.get("GetItem", 0)
            session.updates = counter.calls.get("UpdateItem", 0)
            session.item_after = stored_size(user)
            session.log_bytes = len(log_stream.getvalue().encode()) + (
                LAMBDA_LOG_BYTES * session.requests
            )
            sessions[months] = session
    finally:
        server.stop()
    report(sessions)


def monthly_cost(users: int, session: Session) -> dict[str, float]:
    sessions = users * DAYS_PER_MONTH
    seconds_in_month = DAYS_PER_MONTH * 86400
    gb_item = session.item_after / 1e9
    return {
        "Lambda requests": sessions * session.requests * PRICE["lambda_request"],
        "Lambda duration": sessions
        * session.billed_ms
        / 1000
        * MEMORY_GB
        * PRICE["lambda_gb_second_arm64"],
        "SnapStart": MEMORY_GB * seconds_in_month * PRICE["snapstart_cache_gb_second"]
        + sessions * RESTORES_PER_SESSION[users] * MEMORY_GB * PRICE["snapstart_restore_gb"],
        "DynamoDB reads": sessions * session.read_units * PRICE["dynamodb_read_unit"],
        "DynamoDB writes": sessions * session.write_units * PRICE["dynamodb_write_unit"],
        "DynamoDB storage+PITR": users
        * gb_item
        * (PRICE["dynamodb_storage_gb_month"] + PRICE["dynamodb_pitr_gb_month"]),
        "Logs": sessions * session.log_bytes / 1e9 * PRICE["logs_ingest_gb"],
    }


def report(sessions: dict[int, Session]) -> None:
    print("Measured per daily session (one full routine):")
    print(
        "| after | requests | GetItem | UpdateItem | item bytes | read units | write units "
        "| compute ms per request (median) | billed ms per session (est.) | log bytes |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for months, s in sessions.items():
        print(
            f"| {months} mo | {s.requests} | {s.gets} | {s.updates} | {s.item_after:,} "
            f"| {s.read_units} | {s.write_units} | {statistics.median(s.compute_ms):.1f} "
            f"| {s.billed_ms:.0f} | {s.log_bytes:,} |"
        )
    print()
    for months, session in sessions.items():
        print(f"Monthly cost, USD, every user {months} month(s) into daily use:")
        users_list = list(RESTORES_PER_SESSION)
        rows = {u: monthly_cost(u, session) for u in users_list}
        header = " | ".join(f"{u:,} daily users" for u in users_list)
        print(f"| | {header} |")
        print("| --- |" + " --- |" * len(users_list))
        for line in rows[users_list[0]]:
            cells = " | ".join(f"{rows[u][line]:,.2f}" for u in users_list)
            print(f"| {line} | {cells} |")
        totals = " | ".join(f"**{sum(rows[u].values()):,.2f}**" for u in users_list)
        print(f"| **total** | {totals} |")
        per_user = " | ".join(f"{sum(rows[u].values()) / u:.4f}" for u in users_list)
        print(f"| per user | {per_user} |")
        print()
    print(
        f"Prices: us-east-1 list prices recorded {PRICES_DATE}: "
        + ", ".join(f"{k} {v:.10g}" for k, v in PRICE.items())
    )
    print(
        f"Assumed: {MEMORY_GB * 1024:.0f} MB arm64, CPU x{CPU_SLOWDOWN:.2f} slower than this "
        f"machine's core, DynamoDB call {DYNAMODB_CALL_MS:.0f} ms, Settings API "
        f"{SETTINGS_API_MS:.0f} ms (overlapping the read), {LAMBDA_LOG_BYTES} B of Lambda log "
        f"lines per request, restores per session {RESTORES_PER_SESSION}, one session per "
        f"user per day, {DAYS_PER_MONTH}-day months, no free tier, one published version."
    )


if __name__ == "__main__":
    main()
