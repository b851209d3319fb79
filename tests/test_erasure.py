"""SkillDisabled erases the user, or says it didn't and completes it later (both stores).

Alexa sends SkillDisabled once. Through the real Lambda handler: a store that is down
for the whole retry budget gets one ERROR line an alarm can match (no user id), and the
erase completes after the store is back; a tombstone left by one container is completed
by the next SkillDisabled anywhere; and a SQLite delete leaves no byte of the user id in
the database file or its write-ahead log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.progress.owner import owner_key
from skill.progress.records import UserProgress
from skill.store.dynamodb import DynamoDBProgressStore
from skill.store.erasure import ERASE_FAILED
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Driver
from tests.household import HouseholdConversation
from tests.tcp_proxy import TcpRelay

pytest_plugins = ["tests.store_fixtures"]

NO_API = "https://127.0.0.1:1"
GONE = "amzn1.ask.account.ERASE-ME-0123456789"
OTHER = "amzn1.ask.account.STAYS-9876543210"
ANNA = "amzn1.ask.person.ANNA-ERASE-0001"


def driver(store: Any, user: str, person: str | None = None) -> Driver:
    skill = build_skill(store=store)
    talk = (
        HouseholdConversation(user_id=user, person_id=person, api_endpoint=NO_API)
        if person
        else Conversation(user_id=user, api_endpoint=NO_API)
    )
    return Driver(talk, handler=lambda event, ctx: invoke(skill, event, ctx))


def practise(store: Any, user: str, person: str | None = None) -> Driver:
    """A short session that stores a place, a setting and an exercise."""
    someone = driver(store, user, person)
    someone.launch()
    someone.say("No")
    someone.say("Next")
    someone.say("SlowerIntent")
    someone.say("Next")
    someone.say("Stop")
    return someone


def second_instance(store: Any) -> Any:
    """The same table or file, opened by another container or worker."""
    if isinstance(store, SQLiteProgressStore):
        return SQLiteProgressStore(store.path)
    return DynamoDBProgressStore(store.table_name, endpoint_url=store.endpoint_url)


def test_skill_disabled_while_the_store_is_down_says_so_and_completes_later(
    relay: tuple[TcpRelay, str], caplog: pytest.LogCaptureFixture
) -> None:
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    gone = practise(store, GONE)
    proxy.cut()
    with caplog.at_level(logging.INFO, logger="skill"):
        answer = gone.send(gone.talk.skill_disabled())
    assert "outputSpeech" not in answer.body
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert failures and all(m.startswith(f"{ERASE_FAILED}: ") for m in failures), failures
    assert sum("user data not erased" in m for m in failures) == 1
    assert GONE not in caplog.text
    proxy.restore()
    assert store.load(GONE).position is not None  # not erased yet
    practise(store, OTHER)  # anyone's next successful write completes it
    assert store.load(GONE) == UserProgress()
    assert store.load(OTHER).position is not None


def test_a_tombstone_left_by_one_container_is_completed_by_the_next_skill_disabled(
    store: Any,
) -> None:
    practise(store, GONE)
    practise(store, GONE, ANNA)
    practise(store, OTHER)
    assert store.load(owner_key(GONE, ANNA)).position is not None
    assert store.erase_later(GONE)  # its deletes failed; the tombstone was written
    elsewhere = second_instance(store)
    leaving = driver(elsewhere, OTHER)
    leaving.send(leaving.talk.skill_disabled())
    for key in (GONE, owner_key(GONE, ANNA), OTHER):
        assert elsewhere.load(key) == UserProgress(), key
    assert elsewhere.tombstones() == []


def test_a_sqlite_delete_leaves_no_byte_of_the_user_id(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    store = SQLiteProgressStore(path)
    for _ in range(3):
        practise(store, GONE)
        practise(store, GONE, ANNA)
    practise(store, OTHER)

    def files() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(path.name))

    assert files().count(GONE.encode()) > 1  # the id is there, in the file or the log
    leaving = driver(store, GONE)
    leaving.send(leaving.talk.skill_disabled())
    left = files()
    assert GONE.encode() not in left
    assert OTHER.encode() in left  # the file still holds everyone else
    store.close()
    assert GONE.encode() not in files()
