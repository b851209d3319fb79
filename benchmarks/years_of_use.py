"""Years of daily use on DynamoDB: item size and read units per session start, before and
after the compact history, measured in the same run.

    .venv/bin/python benchmarks/years_of_use.py [--years 10]

Two users practise every day for the same years against the same server (DYNAMODB_ENDPOINT
if set, else a moto server on 127.0.0.1):
- before: the item as the store wrote it before the compact history (every date's d#
  attribute kept forever; build_update without a fold is that format exactly). Written a
  month per UpdateItem: ADD commutes, so the item is the one daily writes make, and a
  local server slows down badly on ever-growing items;
- after: the store as it is, day by day: a session-start read, then the day's write
  (which folds).
At 1, 3 and 10 years it prints the item's size (DynamoDB's rule: names plus values) and
the read units a strongly consistent GetItem costs (one per 4 KB). Aims: under 4 KB and one
read unit after 10 years; total days exact. Not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.progress.records import ProgressUpdate, routine_signature
from skill.store.dynamodb import DynamoDBProgressStore, build_update
from tests.store_fixtures import (
    ROUTINE,
    CallCounter,
    MotoServer,
    admin_client,
    create_table,
    item_bytes,
)

AIM_BYTES = 4096
AIM_READ_UNITS = 1
ITEM_LIMIT = 400 * 1024  # DynamoDB refuses bigger items
FIRST = date(2015, 1, 1)  # ten years ending before today: no stored date may be in the future


def read_units(size: int) -> int:
    return max(1, math.ceil(size / 4096))


def measure(client: Any, table: str, user: str) -> int:
    item = client.get_item(TableName=table, Key={"userId": {"S": user}}, ConsistentRead=True)
    return item_bytes(item.get("Item", {}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(key, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = None if os.environ.get("DYNAMODB_ENDPOINT") else MotoServer()
    endpoint = os.environ.get("DYNAMODB_ENDPOINT") or server.endpoint  # type: ignore[union-attr]
    table = create_table(endpoint)
    client = admin_client(endpoint)
    store = DynamoDBProgressStore(table, endpoint_url=endpoint)
    counter = CallCounter.attach(store.client)
    signature = routine_signature(ROUTINE)
    checkpoints = sorted({y for y in (1, 3, 10) if y <= args.years} | {args.years})
    days = int(365.25 * args.years)
    before_refused: int | None = None
    rows: list[tuple[int, int, int, int]] = []
    ends = {int(365.25 * y) for y in checkpoints}
    month: list[str] = []
    calls_per_day_after = 0
    started = time.perf_counter()
    print(f"endpoint {endpoint}; {days} days of daily practice, one session a day")
    for i in range(days):
        day = (FIRST + timedelta(days=i)).isoformat()
        update = ProgressUpdate(exercises_done={day: frozenset(ROUTINE)})
        month.append(day)
        if before_refused is None and (len(month) == 30 or i + 1 in ends):
            try:  # the format before the change: one more d# attribute every day
                client.update_item(
                    TableName=table,
                    Key={"userId": {"S": "before"}},
                    **build_update(
                        ProgressUpdate(exercises_done={d: frozenset(ROUTINE) for d in month}),
                        signature,
                        ROUTINE,
                    ),
                )
            except client.exceptions.ClientError as exc:
                before_refused = i + 1 - len(month)
                code = exc.response["Error"]["Code"]
                print(f"  before: the write of days {before_refused + 1}-{i + 1} refused: {code}")
            month = []
        counter.reset()
        store.load("after")  # a session start
        store.save("after", update, ROUTINE)
        calls_per_day_after = max(calls_per_day_after, counter.total)
        if (i + 1) in ends:
            years = round((i + 1) / 365.25)
            before, after = measure(client, table, "before"), measure(client, table, "after")
            rows.append((years, before, after, i + 1))
            print(f"  {years:>2} years done ({time.perf_counter() - started:.0f} s)", flush=True)
    total = len(store.load("after").completed_days)
    print()
    print(
        f"{'years':>5}  {'before: bytes':>14} {'reads':>5}  {'after: bytes':>13} {'reads':>5}"
        "  ratio"
    )
    for years, before, after, _ in rows:
        print(
            f"{years:>5}  {before:>14,} {read_units(before):>5}  {after:>13,} "
            f"{read_units(after):>5}  {before / after:5.1f}x"
        )
    years, _, after, day_count = rows[-1]
    print()
    print(
        f"after {years} years: item {after:,} B (aim < {AIM_BYTES:,} B: "
        f"{'met' if after < AIM_BYTES else 'MISSED'}), {read_units(after)} read unit(s) per "
        f"session start (aim {AIM_READ_UNITS}: "
        f"{'met' if read_units(after) <= AIM_READ_UNITS else 'MISSED'})"
    )
    print(
        f"total days remembered {total:,} of {day_count:,} "
        f"({'exact' if total == day_count else 'WRONG'}); at most {calls_per_day_after} calls "
        f"per session (one GetItem, one UpdateItem)"
    )
    if before_refused is not None:
        print(f"before: the item stopped growing after day {before_refused} (write refused)")
    if server is not None:
        server.stop()


if __name__ == "__main__":
    main()
