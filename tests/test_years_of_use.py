"""Data that lasts for years, on both stores: a bounded detail window, older completed dates
in a compact history, old items migrated inside the normal write, nothing counted lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from skill.progress import practice
from skill.progress.records import (
    DETAIL_DAYS,
    MAX_FOLD_DAYS,
    ProgressUpdate,
    UserProgress,
    pack_dates,
    plan_fold,
    routine_signature,
    unpack_dates,
)
from skill.store.base import StoreUnavailable
from skill.store.dynamodb import DynamoDBProgressStore, build_update
from tests.store_fixtures import ROUTINE, CallCounter, admin_client, item_bytes

pytest.register_assert_rewrite("tests.store_fixtures")
pytest_plugins = ["tests.store_fixtures"]

USER = "amzn1.ask.account.YEARS"
FIRST = date(2015, 1, 5)  # ten years ending before today: stored dates are never in the future
ITEM_AIM_BYTES = 4096


def practice_days(years: int) -> list[str]:
    """Daily use with real gaps: every 9th day missed and a three-week break each year."""
    days = []
    for i in range(int(365.25 * years)):
        day = FIRST + timedelta(days=i)
        if i % 9 == 8 or 100 <= i % 365 < 121:
            continue
        days.append(day.isoformat())
    return days


def stored_size(store: Any, user: str) -> int:
    """DynamoDB: the item's size. SQLite: the user's stored values, user id columns left out
    (the user id is repeated per row there, a cost of the layout, not of the history)."""
    if isinstance(store, DynamoDBProgressStore):
        item = admin_client(store.endpoint_url).get_item(
            TableName=store.table_name, Key={"userId": {"S": user}}, ConsistentRead=True
        )["Item"]
        return item_bytes(item)
    conn = sqlite3.connect(store.path)
    try:
        total = 0
        for table in (
            "users", "exercises", "day_routines", "settings", "milestones", "completed_history"
        ):  # fmt: skip
            for row in conn.execute(f"SELECT * FROM {table} WHERE user_id = ?", (user,)):
                total += sum(len(str(v)) for v in row[1:] if v is not None)
        return total
    finally:
        conn.close()


def test_pack_dates_round_trip() -> None:
    days = practice_days(10)
    packed = pack_dates(days)
    assert unpack_dates(packed) == frozenset(days)
    assert len(packed) < 700
    assert pack_dates([]) == "" and unpack_dates("") == frozenset()
    assert unpack_dates(pack_dates(["2026-02-28", "2026-03-01"])) == {"2026-02-28", "2026-03-01"}


def test_fold_plan_keeps_the_window_and_only_completed_days() -> None:
    detail = [(FIRST + timedelta(days=i)).isoformat() for i in range(30)]
    completed = set(detail[::2])
    fold = plan_fold(detail, completed, {"2025-12-01"})
    assert fold is not None
    assert fold.days == tuple(detail[: 30 - DETAIL_DAYS])
    assert unpack_dates(fold.history) == {"2025-12-01"} | (completed & set(fold.days))
    assert plan_fold(detail[-DETAIL_DAYS:], completed, set()) is None
    many = [(FIRST + timedelta(days=i)).isoformat() for i in range(1000)]
    limited = plan_fold(many, set(many), set())
    assert limited is not None and len(limited.days) == MAX_FOLD_DAYS


def test_best_streak() -> None:
    days = ["2026-01-01", "2026-01-02", "2026-01-04", "2026-01-05", "2026-01-06", "2026-02-01"]
    progress = UserProgress(completed_days=frozenset(days))
    assert practice.best_streak(progress, date(2026, 3, 1)) == 3
    assert practice.best_streak(progress, date(2026, 1, 4)) == 2  # later days don't count yet


def expected_best(days: list[str]) -> int:
    best = run = 0
    previous = None
    for day in map(date.fromisoformat, days):
        run = run + 1 if previous and (day - previous).days == 1 else 1
        best, previous = max(best, run), day
    return best


@pytest.fixture
def counted(store: Any) -> Iterator[CallCounter | None]:
    counter = CallCounter.attach(store.client) if isinstance(store, DynamoDBProgressStore) else None
    yield counter
    if counter:
        counter.detach()


def test_ten_years_of_practice_stay_small_and_exact(
    store: Any, counted: CallCounter | None
) -> None:
    days = practice_days(10)
    week: list[str] = []
    # A month of sessions per write keeps the suite fast; the benchmark writes day by day.
    for day in days:
        week.append(day)
        if len(week) == 30 or day == days[-1]:
            store.load(USER)  # a session start: plans the fold the write carries
            update = ProgressUpdate(
                exercises_done={d: frozenset(ROUTINE) for d in week},
                milestones=frozenset({f"week_{len(days)}"}) if day == days[-1] else frozenset(),
            )
            store.save(USER, update, ROUTINE)
            week = []
    # The next morning's session: the first write of a day folds what left the window.
    next_day = (date.fromisoformat(days[-1]) + timedelta(days=1)).isoformat()
    store.load(USER)
    store.save(USER, ProgressUpdate(exercises_done={next_day: {"toe_curls"}}), ROUTINE)
    size = stored_size(store, USER)
    assert size < ITEM_AIM_BYTES, size
    if counted is not None:
        counted.reset()
    progress = store.load(USER)
    if counted is not None:
        assert dict(counted.calls) == {"GetItem": 1}  # and under 4 KB: one read unit
    today = date.fromisoformat(days[-1])
    assert progress.completed_days == frozenset(days)
    assert practice.total_days(progress, today) == len(days)
    assert practice.best_streak(progress, today) == expected_best(days)
    assert len(progress.exercises_by_date) <= DETAIL_DAYS
    assert progress.exercises_by_date[days[-1]] == frozenset(ROUTINE)
    assert f"week_{len(days)}" in progress.milestones
    assert set(practice.reached_milestones(progress, today)) >= {"hundred_days", "ten_months"}


def old_format(store: Any, days: list[str], partial: str) -> None:
    """Writes `days` (and one partial day) as the code before the compact history did."""
    signature = routine_signature(ROUTINE)
    if isinstance(store, DynamoDBProgressStore):
        client = admin_client(store.endpoint_url)
        for chunk in range(0, len(days), 50):
            update = ProgressUpdate(
                exercises_done={d: frozenset(ROUTINE) for d in days[chunk : chunk + 50]}
            )
            client.update_item(
                TableName=store.table_name,
                Key={"userId": {"S": USER}},
                **build_update(update, signature, ROUTINE),
            )
        client.update_item(
            TableName=store.table_name,
            Key={"userId": {"S": USER}},
            **build_update(
                ProgressUpdate(exercises_done={partial: frozenset(ROUTINE[:2])}), signature, ROUTINE
            ),
        )
        return
    store.load(USER)  # creates the tables
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("INSERT INTO users (user_id, schema_version) VALUES (?, 1)", (USER,))
        rule = ",".join(sorted(ROUTINE))
        for day in days:
            conn.executemany(
                "INSERT INTO exercises VALUES (?, ?, ?)", [(USER, day, ex) for ex in ROUTINE]
            )
            conn.execute("INSERT INTO day_routines VALUES (?, ?, ?)", (USER, day, rule))
        conn.executemany(
            "INSERT INTO exercises VALUES (?, ?, ?)", [(USER, partial, ex) for ex in ROUTINE[:2]]
        )
        conn.execute("INSERT INTO day_routines VALUES (?, ?, ?)", (USER, partial, rule))
    conn.close()


def test_old_items_migrate_inside_normal_writes(store: Any, counted: CallCounter | None) -> None:
    days = practice_days(1)
    partial = (FIRST - timedelta(days=3)).isoformat()  # never completed: never counted
    old_format(store, days, partial)
    before = stored_size(store, USER)
    assert before > 15_000
    today = date.fromisoformat(days[-1]) + timedelta(days=1)
    sessions = 0
    while stored_size(store, USER) >= ITEM_AIM_BYTES:
        sessions += 1
        assert sessions <= 6, "migration does not converge"
        if counted is not None:
            counted.reset()
        progress = store.load(USER)
        assert progress.completed_days == frozenset(days)  # exact before, during, after
        store.save(USER, ProgressUpdate(exercises_done={today.isoformat(): {"tapping"}}), ROUTINE)
        if counted is not None:
            assert dict(counted.calls) == {"GetItem": 1, "UpdateItem": 1}
    progress = store.load(USER)
    assert progress.completed_days == frozenset(days)
    assert practice.best_streak(progress, today) == expected_best(days)
    assert progress.exercises_by_date[today.isoformat()] == {"tapping"}


def test_a_stale_fold_from_another_device_never_loses_days(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    other = DynamoDBProgressStore(
        dynamodb_store.table_name, endpoint_url=dynamodb_store.endpoint_url
    )
    days = [(FIRST + timedelta(days=i)).isoformat() for i in range(40)]
    dynamodb_store.save(
        USER, ProgressUpdate(exercises_done={d: frozenset(ROUTINE) for d in days[:30]}), ROUTINE
    )
    dynamodb_store.load(USER)
    other.load(USER)  # both devices plan the same fold from the same item
    dynamodb_store.save(
        USER, ProgressUpdate(exercises_done={days[30]: frozenset(ROUTINE)}), ROUTINE
    )
    counter = CallCounter.attach(other.client)
    # The other device folds from an older item: refused by the version, written without it.
    state = other.save(USER, ProgressUpdate(exercises_done={days[31]: frozenset(ROUTINE)}), ROUTINE)
    assert dict(counter.calls) == {"UpdateItem": 2}
    assert state.completed_days == frozenset(days[:32])
    counter.detach()
    assert dynamodb_store.load(USER).completed_days == frozenset(days[:32])


def test_a_fold_planned_before_a_delete_never_revives_the_history(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    other = DynamoDBProgressStore(
        dynamodb_store.table_name, endpoint_url=dynamodb_store.endpoint_url
    )
    days = [(FIRST + timedelta(days=i)).isoformat() for i in range(30)]
    everything = ProgressUpdate(exercises_done={d: frozenset(ROUTINE) for d in days})
    dynamodb_store.save(USER, everything, ROUTINE)
    dynamodb_store.load(USER)  # plans a fold of the oldest days
    other.delete_user(USER)  # the skill is disabled, through another instance
    later = (FIRST + timedelta(days=40)).isoformat()
    # A write after the delete (a late retry) is refused: nothing comes back, not even it.
    with pytest.raises(StoreUnavailable):
        dynamodb_store.save(USER, ProgressUpdate(exercises_done={later: {"tapping"}}), ROUTINE)
    assert other.load(USER) == UserProgress()
