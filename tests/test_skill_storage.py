"""The skill over DynamoDB (a DynamoDB-compatible server over real HTTP): reads and
writes per turn, a storage fault mid-session, and local midnight."""

from __future__ import annotations

from typing import Any

from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.alexa.timezone import BoundedApiClient
from skill.routine.model import load_routine
from skill.store.dynamodb import DynamoDBProgressStore
from tests.alexa_driver import Driver
from tests.settings_api import SettingsApi
from tests.store_fixtures import CallCounter
from tests.tcp_proxy import TcpRelay

pytest_plugins = ["tests.store_fixtures"]

NO_API = "https://127.0.0.1:1"
USER = "amzn1.ask.account.storage-user"


def driver_for(store: Any, **talk: Any) -> Driver:
    skill = build_skill(store=store)
    talk.setdefault("api_endpoint", NO_API)
    return Driver(
        Conversation(user_id=USER, **talk), handler=lambda event, ctx: invoke(skill, event, ctx)
    )


def test_one_read_per_session_and_at_most_one_write_per_turn(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    counter = CallCounter.attach(dynamodb_store.client)
    person = driver_for(dynamodb_store)
    turns: list[tuple[str, dict[str, int]]] = []

    def turn(label: str, send: Any) -> None:
        counter.reset()
        send()
        turns.append((label, dict(counter.calls)))

    turn("launch", person.launch)
    turn("no", lambda: person.say("No"))  # toe curls: the ready gate
    turn("help", lambda: person.say("Help"))
    turn("repeat", lambda: person.say("Repeat"))
    turn("progress", lambda: person.say("ProgressIntent"))
    turn("ready", lambda: person.say("Next"))  # toe curls themselves
    turn("next", lambda: person.say("Next"))  # the ball roll's gate: toe curls now count
    turn("next again", lambda: person.say("Next"))  # ball roll right: nothing new
    turn("slower", lambda: person.say("SlowerIntent"))
    turn("stop", lambda: person.say("Stop"))
    calls = dict(turns)
    assert turns[0] == ("launch", {"GetItem": 1, "UpdateItem": 1})  # read once; welcomed
    for label in ("no", "help", "repeat", "progress", "ready", "next again"):
        assert calls[label] == {}, label  # nothing changed: no read, no write
    assert calls["next"] == {"UpdateItem": 1}
    assert calls["slower"] == {"UpdateItem": 1}
    assert calls["stop"] == {"UpdateItem": 1}
    assert all(c.get("GetItem", 0) == 0 for _, c in turns[1:])
    stored = dynamodb_store.load(USER)
    assert stored.settings["tempo"] == "slower"
    # "slower" never moves on; a stop straight after the ball roll began keeps it to redo
    assert stored.position is not None and stored.position.segment == "ball_roll.right"


def test_a_whole_routine_costs_one_read_and_one_write_per_exercise(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    counter = CallCounter.attach(dynamodb_store.client)
    person = driver_for(dynamodb_store)
    person.launch()
    person.say("No")
    last = person.next_until_end()
    assert "That's one day now." in last.text
    # launch (welcomed) + one write per finished exercise (the last with the day)
    assert counter.calls == {"GetItem": 1, "UpdateItem": 1 + len(load_routine().ids)}
    assert dynamodb_store.load(USER).completed_days


def test_storage_fault_mid_session_loses_nothing(relay: tuple[TcpRelay, str]) -> None:
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    person = driver_for(store)
    person.launch()
    person.say("No")  # toe curls: ready gate
    person.say("Next")  # toe curls
    proxy.cut()  # the database goes away mid-session
    roll = person.say("Next")  # toe curls finished: the write fails
    assert roll.text.startswith("The ball roll.")
    assert "I couldn't save that just now" in roll.text and not roll.ends
    person.say("Next")  # ball roll right
    person.say("Next")  # ball roll left
    spreading = person.say("Next")  # ball roll finished too: still failing, still answering
    assert spreading.text.startswith("Toe spreading.") and "couldn't save" in spreading.text
    proxy.restore()
    work = person.say("Next")  # the next turn that can write saves everything kept
    assert "couldn't save" not in work.text
    stored = store.load(USER)
    done = next(iter(stored.exercises_by_date.values()))
    assert {"toe_curls", "ball_roll"} <= done
    proxy.cut()
    for _ in range(8):  # tapping, pressure isolation, heel raises
        assert not person.say("Next").ends
    finish = person.say("Next")  # the last segment: the day can't be saved yet
    assert "couldn't save today's routine just yet" in finish.text and not finish.ends
    assert finish.text.count("couldn't save") == 1  # one apology, not two
    proxy.restore()
    saved = person.say("Next")
    assert saved.text.startswith("Saved. Thank you for waiting.")
    assert "That's one day now." in saved.text
    assert saved.text.endswith("Would you like me to remind you every day?")  # the first day
    assert store.load(USER).completed_days


def test_a_routine_finished_at_2350_local_counts_for_that_local_day(
    dynamodb_store: DynamoDBProgressStore, settings_api: SettingsApi
) -> None:
    settings_api.zone = "America/Los_Angeles"
    # Not a test of the lookup's 1 s bound: generous bounds keep it true on a loaded machine.
    skill = build_skill(
        store=dynamodb_store,
        api_client=BoundedApiClient(timeout=10, verify=str(settings_api.cert)),
        zone_bound=20,
    )
    talk = Conversation(
        user_id=USER,
        api_endpoint=settings_api.endpoint,
        timestamp="2026-11-25T07:50:00Z",  # 23:50 on the 24th in Los Angeles
    )
    person = Driver(talk, handler=lambda event, ctx: invoke(skill, event, ctx))
    person.launch()
    person.say("No")
    person.next_until_end()
    stored = dynamodb_store.load(USER)
    assert stored.completed_days == {"2026-11-24"}
    assert stored.time_zone == "America/Los_Angeles"
    talk.timestamp = "2026-11-25T08:10:00Z"  # 00:10 on the 25th there: yesterday now
    asked = person.send(talk.intent("YesterdayIntent"))
    assert asked.text.startswith("Yes, you did the full routine yesterday.")


def test_skill_disabled_deletes_the_users_item(dynamodb_store: DynamoDBProgressStore) -> None:
    person = driver_for(dynamodb_store)
    person.launch()
    person.say("No")
    person.say("Next")
    person.say("Stop")
    assert dynamodb_store.load(USER).position is not None
    person.send(person.talk.skill_disabled())
    client = dynamodb_store.client
    item = client.get_item(TableName=dynamodb_store.table_name, Key={"userId": {"S": USER}})
    assert "Item" not in item


def test_skill_disabled_while_the_store_is_down_answers_without_speech(
    relay: tuple[TcpRelay, str],
) -> None:
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    person = driver_for(store)
    person.launch()
    proxy.cut()
    gone = person.send(person.talk.skill_disabled())  # the driver checks: no speech at all
    assert "outputSpeech" not in gone.body
