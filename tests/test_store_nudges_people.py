"""The store contract, continued: nudges (reminder token, declined offer, summary card)
and one record per recognised person, on SQLite and on DynamoDB over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from skill.progress.nudges import Nudges, NudgeUpdate
from skill.progress.owner import account_of, owner_key
from skill.progress.records import ProgressUpdate, UserProgress
from skill.store.dynamodb import DynamoDBProgressStore
from tests.store_fixtures import CallCounter

pytest.register_assert_rewrite("tests.store_fixtures")
pytest_plugins = ["tests.store_fixtures"]

from tests.store_fixtures import ROUTINE  # noqa: E402

ACCOUNT = "amzn1.ask.account.HOUSEHOLD"
ANNA = "amzn1.ask.person.ANNA-VOICE-PROFILE"
BEN = "amzn1.ask.person.BEN-VOICE-PROFILE"
DAY = "2026-03-10"


def nudge(**change: Any) -> ProgressUpdate:
    return ProgressUpdate(nudges=NudgeUpdate(**change))


def done(day: str, *ids: str) -> ProgressUpdate:
    return ProgressUpdate(exercises_done={day: frozenset(ids)})


# -- nudges ------------------------------------------------------------------------------
def test_reminder_roundtrip_and_readable_from_another_device(
    store: Any, second_device: Any
) -> None:
    saved = store.save(ACCOUNT, nudge(reminder_token="alert-1", reminder_time="09:00"), ROUTINE)
    assert saved.nudges == Nudges(reminder_token="alert-1", reminder_time="09:00")
    assert second_device.load(ACCOUNT).nudges.reminder_token == "alert-1"
    # Changing the time keeps one token (the same reminder, updated).
    second_device.save(ACCOUNT, nudge(reminder_token="alert-1", reminder_time="20:30"), ROUTINE)
    assert store.load(ACCOUNT).nudges.reminder_time == "20:30"
    loaded = store.load(ACCOUNT)
    assert UserProgress.from_dict(json.loads(json.dumps(loaded.to_dict()))) == loaded


def test_forgetting_the_reminder_keeps_everything_else(store: Any) -> None:
    store.save(ACCOUNT, done(DAY, *ROUTINE), ROUTINE)
    store.save(
        ACCOUNT,
        nudge(reminder_token="alert-1", reminder_time="09:00", summary_card_on=DAY),
        ROUTINE,
    )
    state = store.save(ACCOUNT, nudge(forget_reminder=True), ROUTINE)
    assert state.nudges == Nudges(summary_card_on=DAY)
    assert state.completed_days == {DAY}


def test_declined_offer_and_card_day_are_remembered(store: Any) -> None:
    store.save(ACCOUNT, nudge(reminder_offer_declined=True), ROUTINE)
    state = store.save(ACCOUNT, nudge(summary_card_on="2026-03-11"), ROUTINE)
    assert state.nudges.reminder_offer_declined is True
    assert state.nudges.summary_card_on == "2026-03-11"
    again = store.save(ACCOUNT, nudge(summary_card_on="2026-03-12"), ROUTINE)
    assert again.nudges.summary_card_on == "2026-03-12" and again.nudges.reminder_offer_declined


def test_nudge_updates_merge_in_order() -> None:
    first = NudgeUpdate(reminder_token="a", reminder_time="09:00")
    assert first.merge(NudgeUpdate(forget_reminder=True)).reminder_token is None
    changed = NudgeUpdate(forget_reminder=True).merge(first)
    assert (changed.reminder_token, changed.reminder_time) == ("a", "09:00")
    with pytest.raises(ValueError):
        NudgeUpdate(reminder_token="a")  # a token without its time
    with pytest.raises(ValueError):
        NudgeUpdate(reminder_token="a", reminder_time="9 am")
    with pytest.raises(ValueError):
        NudgeUpdate(summary_card_on="yesterday")


# -- people ------------------------------------------------------------------------------
def test_two_people_and_an_unrecognised_voice_keep_their_own_days(store: Any) -> None:
    anna, ben = owner_key(ACCOUNT, ANNA), owner_key(ACCOUNT, BEN)
    store.save(anna, done(DAY, *ROUTINE), ROUTINE)
    store.save(anna, nudge(reminder_token="alert-anna", reminder_time="09:00"), ROUTINE)
    store.save(ben, done("2026-03-11", "tapping"), ROUTINE)
    store.save(ACCOUNT, ProgressUpdate(settings={"tempo": "slower"}), ROUTINE)
    assert store.load(anna).completed_days == {DAY}
    assert store.load(anna).nudges.reminder_token == "alert-anna"
    assert store.load(ben).completed_days == frozenset()
    assert store.load(ben).exercises_by_date == {"2026-03-11": {"tapping"}}
    assert store.load(ben).nudges == Nudges()
    account = store.load(ACCOUNT)
    assert account.exercises_by_date == {} and account.settings == {"tempo": "slower"}
    assert store.load(anna).settings == {}


def test_deleting_the_account_deletes_every_person_under_it(store: Any) -> None:
    anna, ben = owner_key(ACCOUNT, ANNA), owner_key(ACCOUNT, BEN)
    neighbour = "amzn1.ask.account.NEIGHBOUR"
    neighbour_anna = owner_key(neighbour, ANNA)  # the same voice id under another account
    for key in (anna, ben, ACCOUNT, neighbour_anna):
        store.save(key, done(DAY, "tapping"), ROUTINE)
    store.delete_user(ACCOUNT)
    for key in (anna, ben, ACCOUNT):
        assert store.load(key) == UserProgress(), key
    assert store.load(neighbour_anna).exercises_by_date == {DAY: {"tapping"}}
    store.delete_user(ACCOUNT)  # redelivered event: fine


def test_a_person_only_account_is_deleted_too(store: Any) -> None:
    """Nobody ever used the account without being recognised: no account record at all."""
    anna = owner_key(ACCOUNT, ANNA)
    store.save(anna, nudge(reminder_token="alert-anna", reminder_time="21:00"), ROUTINE)
    store.delete_user(ACCOUNT)
    assert store.load(anna) == UserProgress()


def test_owner_keys() -> None:
    anna = owner_key(ACCOUNT, ANNA)
    assert anna != owner_key(ACCOUNT, BEN) and anna == owner_key(ACCOUNT, ANNA)
    assert ANNA not in anna and account_of(anna) == ACCOUNT
    assert owner_key(ACCOUNT) == owner_key(ACCOUNT, None) == ACCOUNT == account_of(ACCOUNT)
    assert len(anna) == len(ACCOUNT) + len("#person#") + 32
    with pytest.raises(ValueError):
        owner_key(anna, BEN)  # a person key is not an account


def test_dynamodb_person_calls_and_delete_is_get_plus_deletes(
    dynamodb_store: DynamoDBProgressStore,
) -> None:
    counter = CallCounter.attach(dynamodb_store.client)
    anna, ben = owner_key(ACCOUNT, ANNA), owner_key(ACCOUNT, BEN)
    dynamodb_store.save(anna, done(DAY, "tapping"), ROUTINE)
    # registration (the account lists the person, its item is made), then the write
    assert dict(counter.calls) == {"TransactWriteItems": 1, "UpdateItem": 1}
    counter.reset()
    dynamodb_store.save(anna, done(DAY, "ball_roll"), ROUTINE)
    assert dict(counter.calls) == {"UpdateItem": 1}  # registered once per process
    dynamodb_store.save(ben, done(DAY, "ball_roll"), ROUTINE)
    counter.reset()
    dynamodb_store.delete_user(ACCOUNT)
    assert dict(counter.calls) == {"GetItem": 1, "DeleteItem": 3}
    assert "Scan" not in counter.calls and "Query" not in counter.calls
    counter.detach()


def test_a_forged_session_cannot_move_the_card_day_out_of_today() -> None:
    from datetime import date

    from skill.conversation.state import bounded_update

    forged = ProgressUpdate(
        nudges=NudgeUpdate(
            summary_card_on="2030-01-01", reminder_token="alert-1", reminder_time="09:00"
        )
    ).to_dict()
    kept = ProgressUpdate.from_dict(bounded_update(forged, date(2026, 11, 30), frozenset()))
    assert kept.nudges.summary_card_on is None
    assert kept.nudges.reminder_token == "alert-1"  # an unsaved reminder waits for the store
    today = ProgressUpdate(nudges=NudgeUpdate(summary_card_on="2026-11-30")).to_dict()
    assert bounded_update(today, date(2026, 11, 30), frozenset())["nudges"]["summary_card_on"]
