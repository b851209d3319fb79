"""Years of daily use on DynamoDB: the record's bytes, read units per session start and
write units per update at 1, 3 and 10 years, before and after the archive, in one run.

    .venv/bin/python benchmarks/years_of_use.py [--years 10]

Against one server (DYNAMODB_ENDPOINT if set, else a moto server on 127.0.0.1), for a
person with everything a record holds after years (tests/years_profile.py: a user id as
long as Alexa's, settings, milestones, a reminder, a time zone, a place):
- after: the store as it is, day by day for the whole span (a session-start read, then the
  day's write, which folds and, every two months or so, archives);
- before: the record as the previous layout kept it (14 dates of per-exercise detail and
  every folded date in the record's packed history), built at each checkpoint from the
  same dates with the same expressions.
At each checkpoint a full session (six exercises, each with its place, then the routine
done: seven UpdateItems) runs on both records, and every write is billed as DynamoDB
bills it: one unit per started KB of the larger of the record before and after it.
Aims: every write one unit and one read unit per session start after 10 years; every
answer about practice the same as from all the dates. Not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.progress import practice
from skill.progress.records import (
    Position,
    ProgressUpdate,
    UserProgress,
    pack_dates,
    routine_signature,
)
from skill.store.dynamodb import DynamoDBProgressStore, build_update
from tests.store_fixtures import (
    ROUTINE,
    CallCounter,
    MotoServer,
    admin_client,
    create_table,
    item_bytes,
)
from tests.years_profile import LONG_USER, profile

BEFORE_DETAIL_DAYS = 14  # the previous layout's window of per-exercise detail
FIRST = date(2015, 1, 1)  # ten years ending before today: no stored date may be in the future
AIM_WRITE_UNITS = 1
AIM_READ_UNITS = 1


def read_units(size: int) -> int:  # a strongly consistent GetItem: one per 4 KB
    return max(1, math.ceil(size / 4096))


def write_units(size: int) -> int:  # an UpdateItem: one per KB of the larger image
    return max(1, math.ceil(size / 1024))


def session_updates(day: str) -> list[ProgressUpdate]:
    """A real session's writes: each exercise with its place, then the routine done."""
    stamp = 1_900_000_000_000 + date.fromisoformat(day).toordinal() * 86_400_000
    updates = [
        ProgressUpdate(exercises_done={day: {ex}}, position=Position(ex, "intro", stamp + i))
        for i, ex in enumerate(ROUTINE)
    ]
    clear = Position(ROUTINE[0], "intro", stamp + 99)
    return [*updates, ProgressUpdate(position=clear, clear_position=True)]


def billed(size_of: Callable[[], int], writes: list[Callable[[], None]]) -> tuple[int, int, int]:
    """(largest record seen, most units one write cost, units in all) over a session."""
    before = size_of()
    largest, units, total = before, 0, 0
    for write in writes:
        write()
        after = size_of()
        cost = write_units(max(before, after))
        largest, units, total = max(largest, after), max(units, cost), total + cost
        before = after
    return largest, units, total


def before_record(client: Any, table: str, user: str, days: list[str]) -> None:
    """The previous layout's steady record for `days` (last 14 in detail, older packed)."""
    signature = routine_signature(ROUTINE)
    newest = date.fromisoformat(days[-1])
    cutoff = (newest - timedelta(days=BEFORE_DETAIL_DAYS - 1)).isoformat()
    key = {"userId": {"S": user}}
    client.delete_item(TableName=table, Key=key)
    for update in (
        profile(),
        ProgressUpdate(exercises_done={d: frozenset(ROUTINE) for d in days if d >= cutoff}),
    ):
        client.update_item(TableName=table, Key=key, **build_update(update, signature, ROUTINE))
    client.update_item(
        TableName=table,
        Key=key,
        UpdateExpression="SET hc = :hc, hv = :hv",
        ExpressionAttributeValues={
            ":hc": {"S": pack_dates(d for d in days if d < cutoff)},
            ":hv": {"N": str(len(days))},
        },
    )


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
    ends = {int(365.25 * y): y for y in checkpoints}
    user, old = LONG_USER, LONG_USER + "#before"

    def size(who: str) -> Callable[[], int]:
        return lambda: item_bytes(
            client.get_item(TableName=table, Key={"userId": {"S": who}}).get("Item", {})
        )

    def old_write(update: ProgressUpdate) -> Callable[[], None]:
        def write() -> None:
            request = build_update(update, signature, ROUTINE)
            client.update_item(TableName=table, Key={"userId": {"S": old}}, **request)

        return write

    def new_write(update: ProgressUpdate) -> Callable[[], None]:
        def write() -> None:
            store.save(user, update, ROUTINE)

        return write

    print(
        f"endpoint {endpoint}; user id {len(user)} characters; {max(ends)} days of practice, "
        "one session a day"
    )
    store.save(user, profile(), ROUTINE)
    rows: list[dict[str, Any]] = []
    days: list[str] = []
    most_calls = 0
    started = time.perf_counter()
    for i in range(max(ends)):
        day = (FIRST + timedelta(days=i)).isoformat()
        if i + 1 not in ends:  # a day's practice, written as one update
            counter.reset()
            store.load(user)
            store.save(user, ProgressUpdate(exercises_done={day: frozenset(ROUTINE)}), ROUTINE)
            most_calls = max(most_calls, counter.total)
            days.append(day)
            continue
        before_record(client, table, old, days)  # then today's session on both records
        old_start = size(old)()
        old_big, old_units, old_total = billed(
            size(old), [old_write(u) for u in session_updates(day)]
        )
        store.load(user)
        new_start = size(user)()
        new_big, new_units, new_total = billed(
            size(user), [new_write(u) for u in session_updates(day)]
        )
        days.append(day)
        progress = store.load(user)
        whole = UserProgress(completed_days=frozenset(days))
        today = date.fromisoformat(day)
        exact = (
            practice.practice_summary(progress, today) == practice.practice_summary(whole, today)
            and practice.best_streak(progress, today) == practice.best_streak(whole, today)
            and practice.reached_milestones(progress, today)
            == practice.reached_milestones(whole, today)
            and store.archive(user) | progress.completed_days == frozenset(days)
        )
        rows.append(
            {
                "years": ends[i + 1],
                "before": (old_start, old_big, read_units(old_start), old_units, old_total),
                "after": (new_start, new_big, read_units(new_start), new_units, new_total),
                "exact": exact,
            }
        )
        print(f"  {ends[i + 1]:>2} years done ({time.perf_counter() - started:.0f} s)", flush=True)
    print()
    print(
        f"{'years':>5}  {'before: bytes':>13} {'largest':>7} {'reads':>5} {'writes':>6}"
        f" {'session':>7}  {'after: bytes':>12} {'largest':>7} {'reads':>5} {'writes':>6}"
        f" {'session':>7}  answers"
    )
    for row in rows:
        b, a = row["before"], row["after"]
        print(
            f"{row['years']:>5}  {b[0]:>13,} {b[1]:>7,} {b[2]:>5} {b[3]:>6} {b[4]:>7}"
            f"  {a[0]:>12,} {a[1]:>7,} {a[2]:>5} {a[3]:>6} {a[4]:>7}"
            f"  {'exact' if row['exact'] else 'WRONG'}"
        )
    last = rows[-1]
    a, b = last["after"], last["before"]
    print()
    print("(bytes at session start; largest record during the session; read units per")
    print(" session start; write units per update, the most any of the session's 7 cost;")
    print(" session: the write units of all 7)")
    print(
        f"after {last['years']} years: write units per update {a[3]} (was {b[3]}; aim "
        f"{AIM_WRITE_UNITS}: {'met' if a[3] <= AIM_WRITE_UNITS else 'NOT MET'}); read units "
        f"per session start {a[2]} (aim {AIM_READ_UNITS}: "
        f"{'met' if a[2] <= AIM_READ_UNITS else 'NOT MET'}); largest record {a[1]:,} B "
        f"(was {b[1]:,} B)"
    )
    every = all(row["exact"] for row in rows)
    print(
        f"answers (total, streaks, week, last day, milestones) and dates kept: "
        f"{'exact' if every else 'NOT MET'} at every checkpoint; at most {most_calls} calls on "
        "a day (GetItem, UpdateItem, and every ~2 months the archive's two writes)"
    )
    if server is not None:
        server.stop()


if __name__ == "__main__":
    main()
