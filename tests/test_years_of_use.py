"""Data that lasts for years, on both stores: a detail window of one date, older completed
dates in a compact history, the oldest archived out of the DynamoDB record (its figures
kept), old items migrated inside the normal write, nothing counted lost, every answer the
same as from every date, and every write at one unit for ten years."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from msgspec.structs import replace

from skill.progress import practice
from skill.progress.earlier import EarlierDays, summarise
from skill.progress.records import (
    DETAIL_DAYS,
    MAX_FOLD_DAYS,
    Position,
    ProgressUpdate,
    UserProgress,
    pack_dates,
    plan_fold,
    routine_signature,
    unpack_dates,
)
from skill.progress.session_figures import milestones_if_completed, offers, session_figures
from skill.routine.model import load_routine
from skill.store.base import StoreUnavailable
from skill.store.dynamodb import DynamoDBProgressStore, build_update
from skill.summary.weekly_card import week_figures
from tests.store_fixtures import ROUTINE, CallCounter, admin_client, item_bytes
from tests.years_profile import LONG_USER, practice_days, profile, random_days, save_by_month

pytest.register_assert_rewrite("tests.store_fixtures")
pytest_plugins = ["tests.store_fixtures"]

USER = "amzn1.ask.account.YEARS"
FIRST = date(2015, 1, 5)  # ten years ending before today: stored dates are never in the future
ITEM_AIM_BYTES = 4096
WRITE_UNIT = 1024


def stored_item(store: DynamoDBProgressStore, user: str) -> dict[str, Any]:
    reply = admin_client(store.endpoint_url).get_item(
        TableName=store.table_name, Key={"userId": {"S": user}}, ConsistentRead=True
    )
    return dict(reply.get("Item", {}))


def stored_size(store: Any, user: str) -> int:
    """DynamoDB: the item's size. SQLite: the user's stored values, user id columns left out
    (the user id is repeated per row there, a cost of the layout, not of the history)."""
    if isinstance(store, DynamoDBProgressStore):
        return item_bytes(stored_item(store, user))
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


def answers(progress: UserProgress, today: date) -> dict[str, Any]:
    """Everything the skill says or shows from completed dates."""
    routine = load_routine()
    unannounced = UserProgress(
        completed_days=progress.completed_days, earlier=progress.earlier, settings={}
    )
    return {
        "summary": practice.practice_summary(progress, today),
        "best": practice.best_streak(progress, today),
        "milestones": practice.reached_milestones(progress, today),
        "new": practice.new_milestones(unannounced, today),
        "if_completed": milestones_if_completed(unannounced, today, routine),
        "offers": offers(unannounced, today, routine),
        # yesterday's per-exercise detail is the layout's, not a figure of completed dates
        "figures": replace(session_figures(progress, today), exercises_day_before=[]),
        "week": week_figures(progress, today),
    }


def test_answers_from_archived_figures_equal_answers_from_every_date() -> None:
    checked = 0
    for seed in range(60):
        days = random_days(seed, 700)
        if not days:
            continue
        whole = UserProgress(completed_days=frozenset(days))
        last = date.fromisoformat(days[-1])
        for keep in (60, 75, 200):  # archived: the dates more than `keep` days before the last
            cutoff = (last - timedelta(days=keep)).isoformat()
            earlier = summarise(d for d in days if d < cutoff)
            split = UserProgress(
                completed_days=frozenset(d for d in days if d >= cutoff), earlier=earlier
            )
            assert EarlierDays.unpack(earlier.pack() if earlier else "") == earlier
            assert UserProgress.from_dict(split.to_dict()) == split  # session attributes
            for ahead in (0, 1, 2, 5, 30):
                today = last + timedelta(days=ahead)
                assert answers(split, today) == answers(whole, today), (seed, keep, ahead)
                checked += 1
    assert checked > 500


def test_a_date_both_archived_and_recent_counts_once() -> None:
    earlier = summarise(["2026-01-01", "2026-01-02"])
    progress = UserProgress(completed_days={"2026-01-02", "2026-06-01"}, earlier=earlier)
    assert practice.total_days(progress, date(2026, 6, 1)) == 3


def full_session(store: Any, user: str, day: str, sizes: list[int]) -> UserProgress:
    """A real session's writes (the place before each exercise, each exercise as it
    finishes, then the routine done), recording the record's size after each."""
    store.load(user)
    stamp = 1_900_000_000_000 + date.fromisoformat(day).toordinal() * 86_400_000
    for i, exercise in enumerate(ROUTINE):
        update = ProgressUpdate(
            exercises_done={day: {exercise}},
            position=Position(exercise, "intro", stamp + i),
        )
        store.save(user, update, ROUTINE)
        sizes.append(stored_size(store, user))
    clear = ProgressUpdate(position=Position("toe_curls", "intro", stamp + 99), clear_position=True)
    state = store.save(user, clear, ROUTINE)
    sizes.append(stored_size(store, user))
    return state


def test_ten_years_of_practice_stay_small_and_exact(
    store: Any, counted: CallCounter | None
) -> None:
    days = practice_days(10)
    store.save(LONG_USER, profile(), ROUTINE)
    # A month of sessions per write keeps the suite fast; the benchmark writes day by day.
    save_by_month(store, LONG_USER, days, ROUTINE)
    # Then three real days: every write's record (before and after it) under one unit.
    last = date.fromisoformat(days[-1])
    sizes = [stored_size(store, LONG_USER)]
    for ahead in (1, 2, 3):
        day = (last + timedelta(days=ahead)).isoformat()
        days.append(day)
        full_session(store, LONG_USER, day, sizes)
    if isinstance(store, DynamoDBProgressStore):
        assert max(sizes[1:]) < WRITE_UNIT, sizes
        assert "hc" in stored_item(store, LONG_USER) and "ha" in stored_item(store, LONG_USER)
    if counted is not None:
        counted.reset()
    progress = store.load(LONG_USER)
    if counted is not None:
        assert dict(counted.calls) == {"GetItem": 1}  # under 4 KB: one read unit
    today = date.fromisoformat(days[-1])
    whole = UserProgress(
        completed_days=frozenset(days), exercises_by_date={days[-1]: frozenset(ROUTINE)}
    )
    assert answers(progress, today) == answers(whole, today)
    assert practice.total_days(progress, today) == len(days)
    assert progress.exercises_by_date == {days[-1]: frozenset(ROUTINE)}
    if isinstance(store, DynamoDBProgressStore):
        archived = store.archive(LONG_USER)
        assert progress.earlier is not None and len(archived) == progress.earlier.count
        assert archived | progress.completed_days == frozenset(days)  # nothing lost
    else:
        assert progress.completed_days == frozenset(days)


def test_deleting_the_account_deletes_the_archives(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    days = practice_days(1)
    person = f"{USER}#person#{'0' * 32}"
    for key in (USER, person):
        for start in range(0, len(days), 30):
            dynamodb_store.load(key)
            chunk = {d: frozenset(ROUTINE) for d in days[start : start + 30]}
            dynamodb_store.save(key, ProgressUpdate(exercises_done=chunk), ROUTINE)
        assert dynamodb_store.archive(key)
    dynamodb_store.delete_user(USER)
    for key in (USER, person):
        assert dynamodb_store.archive(key) == frozenset()
        assert dynamodb_store.load(key) == UserProgress()


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
        done_today = {today.isoformat(): {"tapping"}} if sessions > 1 else {}
        whole = UserProgress(completed_days=frozenset(days), exercises_by_date=done_today)
        assert answers(progress, today) == answers(whole, today)  # before, during, after
        store.save(USER, ProgressUpdate(exercises_done={today.isoformat(): {"tapping"}}), ROUTINE)
        if counted is not None:  # an archive move adds its two writes
            assert counted.calls["GetItem"] == 1 and counted.calls["UpdateItem"] in (1, 3)
    progress = store.load(USER)
    whole = UserProgress(
        completed_days=set(days), exercises_by_date={today.isoformat(): {"tapping"}}
    )
    assert answers(progress, today) == answers(whole, today)
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


def test_a_late_write_of_an_archived_date_is_counted_once_and_never_breaks_a_fold(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    days = practice_days(1)
    for start in range(0, len(days), 30):
        dynamodb_store.load(USER)
        chunk = {d: frozenset(ROUTINE) for d in days[start : start + 30]}
        dynamodb_store.save(USER, ProgressUpdate(exercises_done=chunk), ROUTINE)
    earlier = dynamodb_store.load(USER).earlier
    assert earlier is not None
    late = earlier.first  # a device far behind writes a date the archive already has
    dynamodb_store.save(USER, ProgressUpdate(exercises_done={late: frozenset(ROUTINE)}), ROUTINE)
    base = date.fromisoformat(days[-1])
    today = base + timedelta(days=200)
    for ahead in range(0, 200, 30):  # more practice: folds and archives go on
        day = (base + timedelta(days=ahead + 1)).isoformat()
        days.append(day)
        dynamodb_store.load(USER)
        dynamodb_store.save(USER, ProgressUpdate(exercises_done={day: frozenset(ROUTINE)}), ROUTINE)
    progress = dynamodb_store.load(USER)
    assert practice.total_days(progress, today) == len(days)
