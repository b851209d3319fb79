"""One contract for every ProgressStore backend: SQLite and DynamoDB over real HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from skill.config import Config
from skill.progress.records import Position, ProgressUpdate, UserProgress
from skill.store.base import StoreUnavailable
from skill.store.dynamodb import DynamoDBProgressStore
from skill.store.factory import make_store
from skill.store.sqlite import SQLiteProgressStore

pytest.register_assert_rewrite("tests.store_fixtures")
pytest_plugins = ["tests.store_fixtures"]  # the fixtures (conftest.py is shared)

from tests.store_fixtures import ROOT, ROUTINE, CallCounter, MotoServer, create_table  # noqa: E402

USER = "amzn1.ask.account.TEST-USER"
DAY = "2026-03-10"
FIRST_HALF, SECOND_HALF = ROUTINE[:3], ROUTINE[3:]


def done(day: str, *ids: str) -> ProgressUpdate:
    return ProgressUpdate(exercises_done={day: frozenset(ids)})


# -- the contract (both backends) -------------------------------------------------------
def test_new_user_is_empty(store: Any) -> None:
    assert store.load(USER) == UserProgress()


def test_roundtrip_every_field(store: Any) -> None:
    update = ProgressUpdate(
        exercises_done={DAY: frozenset(ROUTINE), "2026-03-11": frozenset({"tapping"})},
        position=Position("tapping", "round.hands", 1_773_000_000_000),
        settings={"tempo": "slower", "raise_reps": 12, "raise_position": "seated"},
        milestones=frozenset({"first_day"}),
        time_zone="Europe/London",
    )
    saved = store.save(USER, update, ROUTINE)
    loaded = store.load(USER)
    assert saved == loaded
    # Detail is kept for the newest date (an older one may be folded already; records.py)
    assert loaded.exercises_by_date["2026-03-11"] == {"tapping"}
    assert loaded.exercises_by_date.get(DAY, frozenset(ROUTINE)) == frozenset(ROUTINE)
    assert loaded.completed_days == {DAY}
    assert loaded.position == update.position
    assert loaded.settings == {"tempo": "slower", "raise_reps": 12, "raise_position": "seated"}
    assert loaded.milestones == {"first_day"}
    assert loaded.time_zone == "Europe/London"
    assert loaded.schema_version == 1
    # JSON-safe for session attributes, and back.
    assert UserProgress.from_dict(json.loads(json.dumps(loaded.to_dict()))) == loaded


def test_numbers_come_back_as_int_not_decimal(store: Any) -> None:
    store.save(
        USER,
        ProgressUpdate(settings={"toe_curl_reps": 5}, position=Position("ball_roll", "a", 7)),
        ROUTINE,
    )
    loaded = store.load(USER)
    assert type(loaded.settings["toe_curl_reps"]) is int
    assert type(loaded.position.saved_at) is int
    assert type(loaded.schema_version) is int
    json.dumps(loaded.to_dict())  # would fail on Decimal


def test_same_update_twice_counts_once(store: Any) -> None:
    update = ProgressUpdate(
        exercises_done={DAY: frozenset(FIRST_HALF)},
        position=Position("tapping", "start", 100),
        milestones=frozenset({"first_day"}),
    )
    first = store.save(USER, update, ROUTINE)
    second = store.save(USER, update, ROUTINE)
    assert first == second == store.load(USER)


def test_position_only_if_newer(store: Any, second_device: Any) -> None:
    store.save(USER, ProgressUpdate(position=Position("tapping", "b", 200)), ROUTINE)
    # An older position from another device loses, but its exercises are kept.
    stale = ProgressUpdate(
        exercises_done={DAY: frozenset({"toe_curls"})}, position=Position("toe_curls", "a", 100)
    )
    state = second_device.save(USER, stale, ROUTINE)
    assert state.position == Position("tapping", "b", 200)
    assert state.exercises_by_date[DAY] == {"toe_curls"}
    newer = store.save(USER, ProgressUpdate(position=Position("ball_roll", "c", 300)), ROUTINE)
    assert newer.position == Position("ball_roll", "c", 300)


def test_clear_position_cannot_be_undone_by_an_older_position(store: Any) -> None:
    store.save(USER, ProgressUpdate(position=Position("tapping", "b", 200)), ROUTINE)
    finished = ProgressUpdate(
        exercises_done={DAY: frozenset(ROUTINE)},
        clear_position=True,
        position=Position("heel_toe_raises", "end", 300),
    )
    assert store.save(USER, finished, ROUTINE).position is None
    late = ProgressUpdate(position=Position("tapping", "c", 250))
    assert store.save(USER, late, ROUTINE).position is None
    assert store.save(USER, ProgressUpdate(clear_position=True), ROUTINE).position is None
    again = store.save(USER, ProgressUpdate(position=Position("toe_curls", "a", 400)), ROUTINE)
    assert again.position == Position("toe_curls", "a", 400)


def test_completed_day_from_one_session_turn_by_turn(store: Any) -> None:
    for i, exercise in enumerate(ROUTINE):
        state = store.save(USER, done(DAY, exercise), ROUTINE)
        assert (DAY in state.completed_days) == (i == len(ROUTINE) - 1)
    assert store.load(USER).completed_days == {DAY}


def test_completed_day_from_two_partial_sessions_on_two_devices(
    store: Any, second_device: Any
) -> None:
    a = store.save(USER, done(DAY, *FIRST_HALF), ROUTINE)
    b = second_device.save(USER, done(DAY, *SECOND_HALF), ROUTINE)
    assert DAY not in a.completed_days
    assert b.completed_days == {DAY}
    assert store.load(USER).completed_days == {DAY}


def test_incomplete_days_are_not_completed(store: Any) -> None:
    store.save(USER, done(DAY, *ROUTINE[:-1]), ROUTINE)
    state = store.save(USER, done("2026-03-11", "heel_toe_raises"), ROUTINE)
    assert state.completed_days == frozenset()


def test_a_later_routine_change_never_uncompletes_a_past_day(store: Any) -> None:
    store.save(USER, done(DAY, *ROUTINE), ROUTINE)
    longer = (*ROUTINE, "ankle_circles")
    state = store.save(USER, done("2026-03-11", *ROUTINE), longer)
    assert state.completed_days == {DAY}  # the new day lacks ankle_circles
    state = store.save(USER, done("2026-03-11", "ankle_circles"), longer)
    assert state.completed_days == {DAY, "2026-03-11"}


def test_settings_merge_key_by_key(store: Any) -> None:
    store.save(USER, ProgressUpdate(settings={"tempo": "slower", "raise_reps": 10}), ROUTINE)
    state = store.save(USER, ProgressUpdate(settings={"raise_reps": 12}), ROUTINE)
    assert state.settings == {"tempo": "slower", "raise_reps": 12}


def test_milestones_accumulate(store: Any) -> None:
    store.save(USER, ProgressUpdate(milestones=frozenset({"first_day"})), ROUTINE)
    state = store.save(USER, ProgressUpdate(milestones=frozenset({"three_days"})), ROUTINE)
    assert state.milestones == {"first_day", "three_days"}


def test_time_zone_is_remembered_and_none_keeps_it(store: Any) -> None:
    store.save(USER, ProgressUpdate(time_zone="America/New_York"), ROUTINE)
    state = store.save(USER, done(DAY, "tapping"), ROUTINE)
    assert state.time_zone == "America/New_York"


def test_delete_user_forgets_only_that_user(store: Any) -> None:
    other = "amzn1.ask.account.OTHER"
    store.save(USER, done(DAY, *ROUTINE), ROUTINE)
    store.save(other, done(DAY, "tapping"), ROUTINE)
    store.delete_user(USER)
    assert store.load(USER) == UserProgress()
    assert store.load(other).exercises_by_date == {DAY: {"tapping"}}
    store.delete_user(USER)  # deleting twice is fine (events can be redelivered)


def test_empty_update_writes_nothing(store: Any) -> None:
    state = store.save(USER, ProgressUpdate(), ROUTINE)
    assert state == UserProgress()


def test_twenty_concurrent_writers_lose_nothing(store: Any) -> None:
    days = [f"2026-04-{d:02d}" for d in range(1, 5)]
    jobs = [(days[i % 4], ROUTINE[i % 6], 1000 + i) for i in range(20)]
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def writer(day: str, exercise: str, at: int) -> None:
        try:
            start.wait()
            update = ProgressUpdate(
                exercises_done={day: frozenset({exercise})},
                position=Position(exercise, f"seg{at}", at),
            )
            store.save(USER, update, ROUTINE)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    state = store.load(USER)
    expected: dict[str, set[str]] = {}
    for day, exercise, _ in jobs:
        expected.setdefault(day, set()).add(exercise)
    # Detail is kept for the newest date (older ones may be folded already; records.py)
    assert state.exercises_by_date[days[-1]] == expected[days[-1]]
    assert all(state.exercises_by_date[d] <= expected[d] for d in state.exercises_by_date)
    assert state.position is not None and state.position.saved_at == 1019  # newest wins
    # Days 1 and 2 got all six of ROUTINE across writers (i % 4 and i % 6 interleave).
    assert state.completed_days == {d for d, ids in expected.items() if ids >= set(ROUTINE)}


def test_bad_input_is_refused_before_any_write(store: Any) -> None:
    with pytest.raises(ValueError):
        done("10/03/2026", "tapping")
    with pytest.raises(ValueError):
        ProgressUpdate(settings={"raise_reps": 12.5})
    with pytest.raises(ValueError):
        store.save(USER, done(DAY, "tapping"), [])
    assert store.load(USER) == UserProgress()


# -- DynamoDB specifics -----------------------------------------------------------------
def test_dynamodb_calls_per_operation(dynamodb_store: DynamoDBProgressStore) -> None:
    counter = CallCounter.attach(dynamodb_store.client)
    dynamodb_store.load(USER)
    assert dict(counter.calls) == {"GetItem": 1}
    counter.reset()
    dynamodb_store.save(USER, done(DAY, "tapping"), ROUTINE)
    assert dict(counter.calls) == {"UpdateItem": 1}
    counter.reset()
    pos = ProgressUpdate(position=Position("tapping", "b", 200), settings={"tempo": "faster"})
    dynamodb_store.save(USER, pos, ROUTINE)
    dynamodb_store.save(USER, pos, ROUTINE)  # idempotent repeat: equal time passes
    assert dict(counter.calls) == {"UpdateItem": 2}
    counter.reset()
    # The one 2-call case: a stale position (another device saved a newer one).
    stale = ProgressUpdate(
        exercises_done={DAY: frozenset({"ball_roll"})}, position=Position("ball_roll", "a", 100)
    )
    assert dynamodb_store.save(USER, stale, ROUTINE).exercises_by_date[DAY] == {
        "tapping",
        "ball_roll",
    }
    assert dict(counter.calls) == {"UpdateItem": 2}
    counter.reset()
    dynamodb_store.save(USER, ProgressUpdate(), ROUTINE)  # nothing changed: read only
    dynamodb_store.delete_user(USER)  # reads the account's registry of people, then deletes
    assert dict(counter.calls) == {"GetItem": 2, "DeleteItem": 1}
    assert "PutItem" not in counter.calls
    counter.detach()


def test_stopped_server_raises_store_unavailable_quickly(aws_env: None) -> None:
    server = MotoServer()
    store = DynamoDBProgressStore(create_table(server.endpoint), endpoint_url=server.endpoint)
    store.save(USER, done(DAY, "tapping"), ROUTINE)
    server.stop()
    counter = CallCounter.attach(store.client)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.save(USER, done(DAY, "ball_roll"), ROUTINE)
    with pytest.raises(StoreUnavailable):
        store.load(USER)
    assert time.monotonic() - started < 3.0
    assert counter.attempts >= 2  # standard mode retried before giving up


def test_unresponsive_server_times_out_within_bound(aws_env: None) -> None:
    # A listener that never accepts: TCP connects, no reply ever comes (read timeout).
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(50)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        store = DynamoDBProgressStore("progress", endpoint_url=endpoint)
        counter = CallCounter.attach(store.client)
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.load(USER)
        elapsed = time.monotonic() - started
    assert counter.attempts == 3  # 3 attempts in all, each cut at the 1 s read timeout
    assert 2.5 < elapsed < 4.0


def test_importing_the_store_costs_nothing() -> None:
    code = (
        "import sys, skill.store, skill.store.dynamodb as d;"
        "s = d.DynamoDBProgressStore('t');"
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'eager'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=30)


# -- SQLite specifics and the factory ---------------------------------------------------
def test_sqlite_fault_is_store_unavailable(tmp_path: Path) -> None:
    store = SQLiteProgressStore(tmp_path)  # a directory, not a database file
    with pytest.raises(StoreUnavailable):
        store.load(USER)


def test_factory_picks_the_backend(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "dir" / "progress.sqlite3"
    embedded = make_store(Config.from_env({"PROGRESS_DB": str(db)}))
    assert isinstance(embedded, SQLiteProgressStore) and db.parent.is_dir()
    remote = make_store(
        Config.from_env({"PROGRESS_TABLE": "t", "DYNAMODB_ENDPOINT": "http://127.0.0.1:1"})
    )
    assert isinstance(remote, DynamoDBProgressStore)
    assert (remote.table_name, remote.endpoint_url) == ("t", "http://127.0.0.1:1")
