"""Saying only what is true about saving, through the real handler and DynamoDB (moto over
HTTP, behind a TCP relay that can be cut as a real fault).

A write that fails at once is retried inside the turn, so a blip is saved and said to be
saved; what stays unsaved is kept in the session attributes and goes out with the next
turn; and at the end nothing promises a retry that no durable thing will make.
"""

from __future__ import annotations

import threading
from typing import Any

from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.store.dynamodb import DynamoDBProgressStore
from tests.alexa_driver import Driver
from tests.tcp_proxy import TcpRelay

pytest_plugins = ["tests.store_fixtures"]

NO_API = "https://127.0.0.1:1"
USER = "amzn1.ask.account.HONEST-SAVING"
PROMISES = ("try again next time", "I'll try again", "next time you start")


def person(store: Any) -> Driver:
    skill = build_skill(store=store)
    talk = Conversation(user_id=USER, api_endpoint=NO_API)
    return Driver(talk, handler=lambda event, ctx: invoke(skill, event, ctx))


def test_a_blip_inside_the_turn_is_retried_and_saved(relay: tuple[TcpRelay, str]) -> None:
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    someone = person(store)
    someone.launch()
    someone.say("No")
    someone.say("Next")  # toe curls
    proxy.cut()
    threading.Timer(0.3, proxy.restore).start()  # back within the turn's retry window
    roll = someone.say("Next")  # toe curls finished: the first try is refused
    assert "couldn't save" not in roll.text
    assert "toe_curls" in next(iter(store.load(USER).exercises_by_date.values()))


def toe_curls_finished_while_down(relay: tuple[TcpRelay, str]) -> tuple[Any, Driver, Any]:
    """A person who finishes toe curls just after the store went down: the store, the
    person, and that turn's reply (the exercise unsaved, kept in the session)."""
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    someone = person(store)
    someone.launch()
    someone.say("No")
    someone.say("Next")
    proxy.cut()
    return store, someone, someone.say("Next")


def test_stopping_while_the_store_is_down_promises_nothing_it_cannot_keep(
    relay: tuple[TcpRelay, str],
) -> None:
    store, someone, kept = toe_curls_finished_while_down(relay)
    assert "couldn't save" in kept.text and not kept.ends
    assert kept.attributes["pending"]["exercises_done"]
    bye = someone.say("Stop")
    assert bye.ends and "couldn't save your place" in bye.text
    assert not any(promise in bye.text for promise in PROMISES), bye.text
    done = person(store)
    done.launch()  # (the store is still down: the welcome says so)
    assert not any(promise in done.history[-1].text for promise in PROMISES)


def test_what_the_session_kept_goes_out_with_the_next_turn(relay: tuple[TcpRelay, str]) -> None:
    proxy, _ = relay
    store, someone, _ = toe_curls_finished_while_down(relay)
    proxy.restore()
    someone.say("Next")  # any next write carries it
    assert "toe_curls" in next(iter(store.load(USER).exercises_by_date.values()))
