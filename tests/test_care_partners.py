"""Care partners through the real Lambda entry, on both stores: a person shares by code,
relatives on their own accounts follow, ask, and leave messages; the person stays in
control; wrong codes lock an account out; SkillDisabled forgets the links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from skill.progress.owner import owner_key
from skill.progress.records import ProgressUpdate
from skill.routine.model import load_routine
from skill.sharing import codes
from skill.sharing.records import clean_message, locked_until
from skill.store.dynamodb import DynamoDBProgressStore
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Answer, Driver
from tests.household import HouseholdConversation
from tests.store_fixtures import admin_client, create_table

pytest_plugins = ["tests.store_fixtures"]

NO_API = "https://127.0.0.1:1"
ROUTINE = load_routine().ids
MUM_ACCOUNT = "amzn1.ask.account.mums-kitchen-echo"
MUM = "amzn1.ask.person.mum-voice-profile"
SARAH_ACCOUNT = "amzn1.ask.account.sarahs-flat"
TOM_ACCOUNT = "amzn1.ask.account.toms-house"
NOON = "2026-11-30T12:00:00Z"  # a Monday


@pytest.fixture(params=["sqlite", "dynamodb"])
def home_store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """The skill's own store from the environment, and a second handle on the same data."""
    from skill.alexa import app

    monkeypatch.setenv("DEFAULT_TIME_ZONE", "UTC")
    if request.param == "sqlite":
        path = tmp_path / "progress.sqlite3"
        monkeypatch.setenv("PROGRESS_DB", str(path))
        monkeypatch.delenv("PROGRESS_TABLE", raising=False)
        app.reset()
        store: Any = SQLiteProgressStore(path)
        yield store
        store.close()
    else:
        endpoint = request.getfixturevalue("dynamodb_endpoint")
        table = create_table(endpoint)
        monkeypatch.setenv("PROGRESS_TABLE", table)
        monkeypatch.setenv("DYNAMODB_ENDPOINT", endpoint)
        app.reset()
        yield DynamoDBProgressStore(table, endpoint_url=endpoint)
        admin_client(endpoint).delete_table(TableName=table)
    app.reset()


def talker(account: str, person: str | None = None, at: str = NOON) -> Driver:
    return Driver(
        HouseholdConversation(user_id=account, person_id=person, api_endpoint=NO_API, timestamp=at)
    )


def code_in(answer: Answer) -> str:
    """The code as Alexa reads it: digit by digit, said twice."""
    digits = re.findall(r'<say-as interpret-as="digits">(\d)</say-as>', answer.ssml)
    assert len(digits) == 2 * codes.DIGITS, answer.ssml
    first, second = "".join(digits[: codes.DIGITS]), "".join(digits[codes.DIGITS :])
    assert first == second
    return first


def mum_has_practised(store: Any) -> None:
    """Mum's own record: Saturday and Sunday done, and today (Monday)."""
    days = {day: frozenset(ROUTINE) for day in ("2026-11-28", "2026-11-29", "2026-11-30")}
    store.save(
        owner_key(MUM_ACCOUNT, MUM),
        ProgressUpdate(exercises_done=days, milestones=frozenset({"welcomed"})),
        ROUTINE,
    )


def share(mum: Driver, **slots: tuple[str, str | None]) -> str:
    mum.launch()
    offer = mum.say("ShareProgressIntent", **slots)
    assert "never how you felt" in offer.text and not offer.ends
    return code_in(mum.say("Yes"))


def follow(relative: Driver, code: str, relation: str = "mum") -> Answer:
    relative.launch()
    asked = relative.say("FollowIntent", relation=(relation, "mother"))
    assert "six numbers" in asked.text and not asked.ends
    return relative.say("CodeIntent", code=(code, None))


def test_share_follow_ask_encourage_hear_once_and_stop(home_store: Any) -> None:
    mum_has_practised(home_store)
    mum = talker(MUM_ACCOUNT, MUM)
    code = share(mum, relation=("daughter", "daughter"), name=("Sarah", None))

    sarah = talker(SARAH_ACCOUNT)
    linked = follow(sarah, code)
    assert "following mum's exercises" in linked.text

    # Adherence only, for the recognised person who shared (not the account).
    news = sarah.say("FollowerAskIntent", relation=("mum", "mother"))
    assert "Mum has done today's exercises." in news.text
    assert "This week, one day." in news.text  # the week starts on Monday: today
    assert "three days in a row" in news.text
    sent = sarah.say("SendMessageIntent", message=("well done mum <you're a star>", None))
    assert "well done mum" in sent.text

    # Mum hears who started following and the message at her next launch, once.
    mum.end()
    back = mum.launch()
    assert "Sarah is now following your progress." in back.text
    assert "Sarah says: well done mum you're a star" in back.text
    assert "&lt;" not in back.ssml and "<you" not in back.ssml
    mum.end()
    again = mum.launch()
    assert "Sarah" not in again.text

    who = mum.say("WhoFollowsIntent")
    assert "Sarah can ask me about your exercises" in who.text
    asked = mum.say("StopSharingIntent")
    assert "Stop sharing your progress with Sarah?" in asked.text
    assert "can't see your progress" in mum.say("Yes").text

    sarah.end()
    told = sarah.launch()
    assert "Mum has stopped sharing their exercises with you." in told.text
    nothing = sarah.say("FollowerAskIntent")
    assert "not following anyone" in nothing.text and "today" not in nothing.text


def test_a_relative_follows_two_people_and_a_stranger_learns_nothing(home_store: Any) -> None:
    mum_has_practised(home_store)
    mum = talker(MUM_ACCOUNT, MUM)
    dad = talker(TOM_ACCOUNT)  # dad's own account: he has not practised at all
    sarah = talker(SARAH_ACCOUNT)
    stranger = talker("amzn1.ask.account.a-stranger")

    follow(sarah, share(mum, relation=("daughter", "daughter")))
    mum.end()
    assert "Your daughter is now following your progress." in mum.launch().text
    sarah.end()
    dad_code = share(dad)
    assert "following dad's exercises" in follow(sarah, dad_code, "dad").text

    which = sarah.say("FollowerAskIntent")
    assert "Whose exercises: mum and dad?" in which.text
    about_dad = sarah.say("ForWhomIntent", relation=("dad", "father"))
    assert "Dad hasn't done today's exercises yet." in about_dad.text
    assert "hasn't finished a day's exercises yet" in about_dad.text
    about_mum = sarah.say("FollowerAskIntent", relation=("mom", "mother"))  # as she said it
    assert "Mum has done today's exercises." in about_mum.text

    asked = sarah.say("SendMessageIntent", relation=("dad", "father"))
    assert "What would you like me to tell dad?" in asked.text and not asked.ends
    assert "What would you like me to tell dad?" in sarah.say("Yes").text  # asked again
    kept = sarah.say("SendMessageIntent", message=("you can do it", None))
    assert "I'll read it to dad" in kept.text
    whom = sarah.say("SendMessageIntent", message=("see you sunday", None))  # "tell mum ..."
    assert "Who is the message for: mum and dad?" in whom.text
    assert "I'll read it to mum" in sarah.say("ForWhomIntent", relation=("mum", "mother")).text
    dad.end()
    assert "says: you can do it" in dad.launch().text
    mum.end()
    to_mum = mum.launch().text
    assert "you can do it" not in to_mum and "says: see you sunday" in to_mum

    sarah.end()
    sarah.launch()
    unknown = sarah.say("FollowerAskIntent", name=("Gertrude", None))
    assert "only tell you about the people you follow: mum and dad" in unknown.text
    assert "Gertrude" not in unknown.text and "today's exercises" not in unknown.text

    stranger.launch()
    for intent in ("FollowerAskIntent", "WhoFollowsIntent"):
        heard = stranger.say(intent, relation=("mum", "mother"))
        assert "today's exercises" not in heard.text and "Sarah" not in heard.text
    refused = stranger.say("SendMessageIntent", message=("hello", None))
    assert "not following anyone" in refused.text


def test_five_wrong_codes_lock_the_account_for_an_hour_even_with_the_right_code(
    home_store: Any,
) -> None:
    mum = talker(MUM_ACCOUNT, MUM)
    code = share(mum)
    wrong = "111111" if code != "111111" else "222222"
    guesser = talker(TOM_ACCOUNT)
    guesser.launch()
    for _ in range(6):  # numbers said when no code was asked for are not code attempts
        assert "didn't work" not in guesser.say("CodeIntent", code=(wrong, None)).text
    follow(guesser, wrong)
    for _ in range(3):
        answer = guesser.say("CodeIntent", code=(wrong, None))
        assert "didn't work" in answer.text and not answer.ends
    fifth = guesser.say("CodeIntent", code=(wrong, None))
    assert "for an hour" in fifth.text
    # A new session, another device of the same account, the right code: still locked.
    later = talker(TOM_ACCOUNT, at="2026-11-30T12:59:00Z")
    later.launch()
    assert "not taking codes" in later.say("FollowIntent", relation=("mum", "mother")).text
    in_one_go = later.say("FollowIntent", relation=("mum", "mother"), code=(code, None))
    assert "not taking codes" in in_one_go.text
    # Another person of the same account, recognised by voice: the account is locked.
    spouse = talker(TOM_ACCOUNT, "amzn1.ask.person.toms-wife", at="2026-11-30T12:59:30Z")
    assert "not taking codes" in spouse.say("FollowIntent", code=(code, None)).text
    # An hour after the fifth wrong code, the right code works (it was never used).
    after = talker(TOM_ACCOUNT, at="2026-11-30T13:01:00Z")
    assert "following mum's exercises" in follow(after, code).text
    # And a code works once only.
    other = talker(SARAH_ACCOUNT, at="2026-11-30T13:02:00Z")
    assert "didn't work" in follow(other, code).text


def test_a_code_expires_a_day_after_it_was_given_by_the_request_clock(home_store: Any) -> None:
    code = share(talker(MUM_ACCOUNT, MUM))
    late = talker(SARAH_ACCOUNT, at="2026-12-01T12:00:01Z")
    assert "didn't work" in follow(late, code).text
    # The same account's own code never links it to itself.
    fresh = share(talker(MUM_ACCOUNT))
    assert "didn't work" in follow(talker(MUM_ACCOUNT, MUM), fresh).text


def test_skill_disabled_on_either_side_removes_links_and_messages(home_store: Any) -> None:
    mum_has_practised(home_store)
    mum = talker(MUM_ACCOUNT, MUM)
    sarah, tom = talker(SARAH_ACCOUNT), talker(TOM_ACCOUNT)
    follow(sarah, share(mum, name=("Sarah", None)))
    mum.end()
    follow(tom, share(mum, name=("Tom", None)))
    sarah.say("SendMessageIntent", message=("keep it up", None))
    tom.say("SendMessageIntent", message=("proud of you", None))

    sarah.send(sarah.talk.skill_disabled())  # Sarah's account goes
    mum.end()
    heard = mum.launch()
    assert "keep it up" not in heard.text and "Tom says: proud of you" in heard.text
    assert "Sarah" not in mum.say("WhoFollowsIntent").text

    mum.send(mum.talk.skill_disabled())  # the person's account goes
    tom.end()
    told = tom.launch()
    assert "Mum has stopped sharing" in told.text
    assert "not following anyone" in tom.say("FollowerAskIntent").text


def test_lock_out_figures_and_message_cleaning() -> None:
    hour = 60 * 60 * 1000
    four = [0, 10, 20, 30]
    assert locked_until(four, 40) is None
    assert locked_until([*four, 40], 41) == 40 + hour
    assert locked_until([*four, 40], 40 + hour) is None
    assert locked_until([0, hour, 2 * hour, 3 * hour, 4 * hour], 4 * hour + 1) is None
    assert clean_message("  well   done\n<b>mum</b> &amp; ") == "well done b mum b amp"
    assert clean_message("x " * 200) is not None and len(clean_message("x " * 200) or "") <= 120
    assert clean_message("<<<>>>") is None


# ---------------------------------------------------------------------------- DynamoDB items


def counted(store: DynamoDBProgressStore) -> tuple[Driver, Any]:
    """A talker factory on a skill over `store`, and a counter of its DynamoDB calls."""
    from skill.alexa.app import build_skill, invoke
    from tests.store_fixtures import CallCounter

    skill = build_skill(store=store)
    counter = CallCounter.attach(store.client)

    def talker_on(account: str, person: str | None = None, at: str = NOON) -> Driver:
        talk = HouseholdConversation(
            user_id=account, person_id=person, api_endpoint=NO_API, timestamp=at
        )
        return Driver(talk, handler=lambda event, ctx: invoke(skill, event, ctx))

    return talker_on, counter  # type: ignore[return-value]


def test_session_start_stays_one_read_and_only_granted_calls_are_made(
    dynamodb_store: DynamoDBProgressStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEFAULT_TIME_ZONE", "UTC")
    mum_has_practised(dynamodb_store)
    talker_on, counter = counted(dynamodb_store)
    mum = talker_on(MUM_ACCOUNT, MUM)

    counter.reset()
    mum.launch()  # nobody follows her
    assert counter.calls == {"GetItem": 1}

    code = share(mum, name=("Sarah", None))
    sarah = talker_on(SARAH_ACCOUNT)
    follow(sarah, code)
    sarah.say("FollowerAskIntent")
    sarah.say("SendMessageIntent", message=("lovely work", None))
    mum.end()
    assert "Sarah says: lovely work" in mum.launch().text
    mum.end()
    counter.reset()
    mum.launch()  # followed, nothing new: still one read
    assert counter.calls == {"GetItem": 1}
    mum.say("WhoFollowsIntent")
    mum.say("StopSharingIntent")
    mum.say("Yes")
    mum.send(mum.talk.skill_disabled())
    used = set(counter.calls)
    # What template.yaml grants: a transaction's Updates and Delete are authorised by
    # UpdateItem and DeleteItem.
    assert used <= {"GetItem", "UpdateItem", "DeleteItem", "TransactWriteItems"}, used
    counter.detach()


def test_codes_are_stored_hashed_with_a_ttl_the_template_sweeps(
    dynamodb_store: DynamoDBProgressStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cfnlint.decode import decode

    from skill.store.sharing_dynamodb import CODE, TTL
    from tests.store_fixtures import TEMPLATE

    monkeypatch.setenv("DEFAULT_TIME_ZONE", "UTC")
    talker_on, counter = counted(dynamodb_store)
    counter.detach()
    code = share(talker_on(MUM_ACCOUNT, MUM))
    client = admin_client(dynamodb_store.endpoint_url or "")
    item = client.get_item(
        TableName=dynamodb_store.table_name, Key={"userId": {"S": CODE + codes.digest(code)}}
    )["Item"]
    assert int(item[TTL]["N"]) == int(item["x"]["N"]) // 1000 + 1
    given = datetime.fromisoformat(NOON).timestamp()
    assert int(item["x"]["N"]) == (given + 24 * 60 * 60) * 1000  # by the request clock
    everything = client.scan(TableName=dynamodb_store.table_name)["Items"]  # a test may scan
    assert code not in repr(everything)  # only the digest is kept
    template, _ = decode(str(TEMPLATE))
    assert template is not None
    ttl = template["Resources"]["ProgressTable"]["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": TTL, "Enabled": True}


# ---------------------------------------------------------------------------- the stores


def sharing_of(store: Any) -> Any:
    from skill.store.factory import sharing_store

    found = sharing_store(store)
    assert found is not None
    return found


def test_a_code_is_used_once(store: Any) -> None:
    sharing = sharing_of(store)
    digest = codes.digest("482915")
    assert sharing.offer_code(MUM_ACCOUNT, digest, "", 1_000)
    relatives = [f"amzn1.ask.account.relative-{n}" for n in range(3)]
    got = [sharing.redeem(who, digest, "mum", 2_000 + n) for n, who in enumerate(relatives)]
    assert got == [MUM_ACCOUNT, None, None]
    assert [link.key for link in sharing.sharing(MUM_ACCOUNT).followers] == relatives[:1]


def test_a_code_is_used_once_by_four_relatives_at_the_same_moment(
    sqlite_store: SQLiteProgressStore,
) -> None:
    """On SQLite, where the database isolates the writes. (On DynamoDB a code is used in
    one conditional transaction, which DynamoDB isolates; moto's in-memory transactions
    are not isolated across threads, so that is not tested here.)"""
    from concurrent.futures import ThreadPoolExecutor

    sharing = sharing_of(sqlite_store)
    digest = codes.digest("482915")
    assert sharing.offer_code(MUM_ACCOUNT, digest, "", 1_000)
    relatives = [f"amzn1.ask.account.relative-{n}" for n in range(4)]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda who: sharing.redeem(who, digest, "mum", 2_000), relatives))
    assert got.count(MUM_ACCOUNT) == 1 and got.count(None) == 3
    assert len(sharing.sharing(MUM_ACCOUNT).followers) == 1


def test_sqlite_sweeps_expired_codes_and_stale_wrong_codes_on_write(
    sqlite_store: SQLiteProgressStore,
) -> None:
    sharing = sharing_of(sqlite_store)
    day = codes.LIFETIME_MS
    assert sharing.offer_code(MUM_ACCOUNT, codes.digest("111111"), "", 0)
    sharing.wrong_code(TOM_ACCOUNT, 0)
    conn = sqlite_store._conn()

    def rows(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    assert rows("care_codes") == 1 and rows("care_wrong_codes") == 1
    assert sharing.offer_code(SARAH_ACCOUNT, codes.digest("222222"), "", day + 1)
    assert rows("care_codes") == 1  # the expired one is gone, the new one kept
    assert rows("care_wrong_codes") == 0
    assert sharing.redeem(TOM_ACCOUNT, codes.digest("111111"), "", day + 2) is None


def test_after_a_safety_stop_the_check_in_comes_before_sharing(home_store: Any) -> None:
    mum = talker(MUM_ACCOUNT, MUM)
    mum.launch()
    mum.say("StartExerciseIntent", exercise=("toe curls", "toe_curls"))
    mum.say("Next")
    assert mum.say("SafetyIntent").ends
    later = talker(MUM_ACCOUNT, MUM).say("ShareProgressIntent")  # a one-shot, next day
    assert "How are you feeling today?" in later.text
    assert "code" not in later.text and later.attributes.get("care") is None


def test_a_forged_sharing_question_is_never_spoken_back(home_store: Any) -> None:
    sarah = talker(SARAH_ACCOUNT)
    sarah.launch()
    for forged in (
        {"ask": "message", "to": "x" * 5000, "message": "<audio src='x'/> say this " * 50},
        {"ask": "which", "then": "SendMessageIntent", "message": ["not", "text"]},
        {"ask": "code", "name": {"nested": True}},
        {"ask": 7},  # not a sharing question: the yes goes to the routine's own question
    ):
        sarah.talk.attributes["care"] = forged
        answer = sarah.say("Yes")
        assert "say this" not in answer.text and "audio" not in answer.ssml
        assert "nested" not in answer.text
    sarah.launch()
    sarah.talk.attributes["care"] = {"ask": "code"}
    assert "didn't work" in sarah.say("CodeIntent", code=("999999", None)).text


def test_a_bare_hour_outside_the_code_question_is_still_a_time(home_store: Any) -> None:
    """ "Nine", said when no code was asked for, is heard as the time it always was."""
    as_number, as_time = talker(TOM_ACCOUNT), talker(SARAH_ACCOUNT)
    as_number.launch()
    as_time.launch()
    heard = as_number.say("CodeIntent", code=("9", None))
    expected = as_time.say("SetReminderIntent", time=("nine", "09:00"))
    assert heard.text == expected.text and "nine" in heard.text
