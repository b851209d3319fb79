"""Writes that cannot go back in time, and deletes that nothing undoes (both stores).

A write that lands late (botocore's retry of a request the client gave up on, or a save
still running in the background after its turn's deadline) must never overwrite a newer
choice, and never recreate a user deleted in between. The DynamoDB cases run through a
TCP relay that delays requests on their way to moto, so botocore's own retries land late.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from msgspec.structs import replace

from skill.progress.owner import owner_key
from skill.progress.records import Position, ProgressUpdate, UserProgress
from skill.store.base import StoreUnavailable, write_stamp
from skill.store.dynamodb import DynamoDBProgressStore
from tests.delay_relay import DelayRelay

pytest.register_assert_rewrite("tests.store_fixtures")
pytest_plugins = ["tests.store_fixtures"]

from tests.store_fixtures import ROUTINE, admin_client, create_table  # noqa: E402

USER = "amzn1.ask.account.LATE"
ANNA = "amzn1.ask.person.ANNA"
DAY = "2026-11-30"


def tempo(value: str, *done: str) -> ProgressUpdate:
    return ProgressUpdate(settings={"tempo": value}, exercises_done={DAY: frozenset(done)})


def test_an_older_stamped_write_keeps_its_exercises_but_not_its_choices(store: Any) -> None:
    store.save(USER, tempo("slower", "ball_roll"), ROUTINE, 100)
    store.save(USER, tempo("faster", "toe_curls"), ROUTINE, 300)
    late = store.save(USER, tempo("slowest", "tapping"), ROUTINE, 200)  # lands last
    assert late.settings["tempo"] == "faster"
    assert late.exercises_by_date[DAY] == {"ball_roll", "toe_curls", "tapping"}
    assert store.load(USER).settings["tempo"] == "faster"
    again = store.save(USER, tempo("slowest"), ROUTINE, 400)  # a newer turn still can
    assert again.settings["tempo"] == "slowest"


def test_a_late_write_still_moves_a_position_that_is_newer(store: Any) -> None:
    store.save(USER, tempo("faster", "toe_curls"), ROUTINE, 300)
    moved = replace(tempo("slower"), position=Position("ball_roll", "ball_roll.left", 5000))
    state = store.save(USER, moved, ROUTINE, 200)  # stale choices, a place not stored before
    assert state.settings["tempo"] == "faster"
    assert state.position == Position("ball_roll", "ball_roll.left", 5000)


def test_a_write_after_the_delete_recreates_nothing(store: Any) -> None:
    anna = owner_key(USER, ANNA)
    store.save(USER, tempo("slower", "ball_roll"), ROUTINE, 100)
    store.save(anna, tempo("faster", "toe_curls"), ROUTINE, 100)
    store.delete_user(USER)
    for key in (USER, anna):  # a save still running when the skill was disabled
        with pytest.raises(StoreUnavailable):
            store.save(key, tempo("slowest", "tapping"), ROUTINE, 200)
        assert store.load(key) == UserProgress()


@pytest.fixture
def slow_table(dynamodb_endpoint: str) -> Iterator[tuple[str, DelayRelay]]:
    """A fresh table, and a relay to it that can hold requests on their way."""
    name = create_table(dynamodb_endpoint)
    target = urlparse(dynamodb_endpoint)
    relay = DelayRelay(target.hostname or "127.0.0.1", target.port or 80)
    yield name, relay
    relay.close()
    admin_client(dynamodb_endpoint).delete_table(TableName=name)


def _slow_save(
    store: DynamoDBProgressStore, relay: DelayRelay, key: str, stamp: int | None
) -> threading.Thread:
    """A save whose requests each reach the table 1.5 s after they leave (the client
    waits 1 s for an answer), so all three of botocore's attempts land late."""
    relay.delay = 1.5
    relay.requests_seen.clear()

    def run() -> None:
        # The client gives up (1 s read timeout, 3 attempts); its requests go on.
        with contextlib.suppress(StoreUnavailable):
            store.save(key, tempo("slower", "ball_roll"), ROUTINE, stamp)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_botocore_retries_landing_late_do_not_bring_back_an_older_choice(
    dynamodb_endpoint: str, slow_table: tuple[str, DelayRelay]
) -> None:
    name, relay = slow_table
    fast = DynamoDBProgressStore(name, endpoint_url=dynamodb_endpoint)
    slow = DynamoDBProgressStore(name, endpoint_url=relay.endpoint())
    for stamped, expected in ((True, "faster"), (False, "slower")):
        key = f"{USER}.{stamped}"
        relay.delay = 0.0
        fast.save(key, tempo("normal"), ROUTINE, write_stamp())
        slow.load(key)
        thread = _slow_save(slow, relay, key, write_stamp() if stamped else None)
        relay.requests_seen.wait(2)
        fast.save(key, tempo("faster", "toe_curls"), ROUTINE, write_stamp())  # said and saved
        thread.join(10)
        assert relay.connections >= 3  # every one of botocore's attempts reached the table
        threading.Event().wait(3.5)  # the last attempt lands
        state = fast.load(key)
        # Stamped, the late "slower" loses; unstamped (as before), it overwrote "faster".
        assert state.settings["tempo"] == expected, stamped
        assert state.exercises_by_date[DAY] >= {"toe_curls"}
        relay.connections = 0


def test_a_slow_person_write_landing_after_the_delete_recreates_nothing(
    dynamodb_endpoint: str, slow_table: tuple[str, DelayRelay]
) -> None:
    name, relay = slow_table
    home = DynamoDBProgressStore(name, endpoint_url=dynamodb_endpoint)
    slow = DynamoDBProgressStore(name, endpoint_url=relay.endpoint())
    anna = owner_key(USER, ANNA)
    home.save(USER, tempo("normal", "toe_curls"), ROUTINE, write_stamp())
    slow.save(anna, tempo("normal", "toe_curls"), ROUTINE, write_stamp())  # registered
    thread = _slow_save(slow, relay, anna, write_stamp())
    relay.requests_seen.wait(2)
    home.delete_user(USER)  # SkillDisabled, on another container, while Anna's write is out
    thread.join(10)
    threading.Event().wait(3.5)  # every late attempt has landed
    client = admin_client(dynamodb_endpoint)
    for key in (USER, anna):
        assert "Item" not in client.get_item(TableName=name, Key={"userId": {"S": key}})
