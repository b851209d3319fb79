"""Odd clocks and forged values, through the real Lambda handler and real stores.

The request's timestamp is the skill's clock only within a year back to a week ahead of
the server's; outside it the server's clock is used and a WARNING logged, so one request
stamped 2099 cannot change how later days are stored. Stored and session values out of
range are replaced by fresh ones with a WARNING, never a crash or a wild number.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.progress.records import Position, ProgressUpdate
from skill.store.dynamodb import DynamoDBProgressStore
from tests.alexa_driver import Driver
from tests.store_fixtures import admin_client

pytestmark = pytest.mark.real_clock  # the window itself, against the real clock

pytest_plugins = ["tests.store_fixtures"]

NO_API = "https://127.0.0.1:1"
USER = "amzn1.ask.account.ODD-CLOCKS"
SORRY = "Sorry"


def person(store: Any, timestamp: str | None = None) -> Driver:
    skill = build_skill(store=store)
    talk = Conversation(user_id=USER, api_endpoint=NO_API, timestamp=timestamp)
    return Driver(talk, handler=lambda event, ctx: invoke(skill, event, ctx))


def whole_routine(someone: Driver) -> None:
    someone.launch()
    someone.say("No")  # no reminder talk first: straight to the routine
    someone.next_until_end()


def test_one_request_stamped_2099_changes_nothing_later(
    store: Any, caplog: pytest.LogCaptureFixture
) -> None:
    odd = person(store, "2099-06-01T10:00:00Z")
    with caplog.at_level(logging.WARNING, logger="skill"):
        odd.launch()
        odd.say("No")
        odd.say("Next")
        odd.say("Next")
        odd.say("Stop")
    assert "request timestamp outside a year back to a week ahead" in caplog.text
    stored = store.load(USER)
    assert all(day < "2099" for day in stored.exercises_by_date)
    later = person(store)  # Alexa's clock, as it should be
    whole_routine(later)
    today = datetime.now(UTC).date().isoformat()
    assert today in store.load(USER).completed_days
    asked = person(store)
    asked.launch()
    answer = asked.say("ProgressIntent").text
    assert "haven't finished a full routine" not in answer and SORRY not in answer


def test_a_forged_session_position_time_is_dropped(
    store: Any, caplog: pytest.LogCaptureFixture
) -> None:
    someone = person(store)
    someone.launch()
    someone.say("No")
    forged = ProgressUpdate(position=Position("toe_curls", "toe_curls.intro", 10**15))
    someone.talk.attributes["pending"] = forged.to_dict()
    someone.talk.attributes["saved_position"] = forged.to_dict()["position"]
    with caplog.at_level(logging.WARNING, logger="skill"):
        someone.say("Next")
        someone.say("Stop")
    assert "position's time is out of range" in caplog.text
    for _ in range(2):  # every later launch is a normal one
        again = person(store)
        assert SORRY not in again.launch().text
    stored = store.load(USER).position
    assert stored is None or stored.saved_at < 10**13


def test_a_stored_position_from_the_far_future_is_a_fresh_start(
    dynamodb_store: DynamoDBProgressStore, caplog: pytest.LogCaptureFixture
) -> None:
    client = admin_client(dynamodb_store.endpoint_url or "")  # the store never puts whole items
    client.put_item(
        TableName=dynamodb_store.table_name,
        Item={
            "userId": {"S": USER},
            "sv": {"N": "1"},
            "pe": {"S": "ball_roll"},
            "ps": {"S": "ball_roll.intro"},
            "pa": {"N": "1000000000000000"},
            "d#2099-01-01": {"SS": ["toe_curls", "@x"]},
        },
    )
    with caplog.at_level(logging.WARNING, logger="skill"):
        answer = person(dynamodb_store).launch()
    assert SORRY not in answer.text
    assert "out of range" in caplog.text and "beyond next week" in caplog.text


def test_a_forged_summary_is_read_again_from_the_store(
    store: Any, caplog: pytest.LogCaptureFixture
) -> None:
    whole_routine(person(store))
    someone = person(store)
    someone.launch()
    someone.talk.attributes["summary"]["total"] = 99999
    someone.talk.attributes["summary"]["streak"] = 99999
    with caplog.at_level(logging.WARNING, logger="skill"):
        answer = someone.say("ProgressIntent").text
    assert "99999" not in answer and "99,999" not in answer and SORRY not in answer
    assert "figures out of range" in caplog.text
    assert "1 day" in answer or "one day" in answer.lower() or "once" in answer, answer
