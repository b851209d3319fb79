"""One routine per person in a shared home, through the real Lambda entry, on both
stores: two recognised people and an unrecognised voice on one Alexa account."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from skill.progress.owner import owner_key
from skill.progress.records import ProgressUpdate, UserProgress
from skill.routine.model import load_routine
from skill.speech import ssml
from skill.speech.script import Say
from tests.alexa_driver import Driver
from tests.household import HouseholdConversation

pytest_plugins = ["tests.store_fixtures"]


ACCOUNT = "amzn1.ask.account.shared-home"
ANNA = "amzn1.ask.person.anna-voice-profile-0001"
BEN = "amzn1.ask.person.ben-voice-profile-0002"
NO_API = "https://127.0.0.1:1"
ROUTINE = load_routine().ids
DAY = "2026-11-30"


def voice(person: str | None) -> Driver:
    return Driver(
        HouseholdConversation(
            user_id=ACCOUNT,
            person_id=person,
            api_endpoint=NO_API,
            timestamp=f"{DAY}T10:00:00Z",
        )
    )


def test_two_people_and_an_unrecognised_voice_keep_their_own_routines(
    home_store: Any, caplog: pytest.LogCaptureFixture
) -> None:
    anna_key, ben_key = owner_key(ACCOUNT, ANNA), owner_key(ACCOUNT, BEN)
    yesterday = ProgressUpdate(
        exercises_done={"2026-11-29": frozenset(ROUTINE)},
        milestones=frozenset({"welcomed", "first_day"}),
    )
    home_store.save(anna_key, yesterday, ROUTINE)
    with caplog.at_level(logging.DEBUG):
        anna = voice(ANNA)
        hello = anna.launch()
        # Anna has used it before; Alexa says her first name, the skill never sees it.
        assert hello.text.startswith("Welcome back, [first name].")
        assert f'<alexa:name type="first" personId="{ANNA}"/>' in hello.ssml
        anna.say("No")  # no warm-up: toe curls
        anna.say("Next")
        anna.say("SlowerIntent")  # Anna's own pace
        anna.say("Stop")
        ben = voice(BEN)
        first = ben.launch()
        assert first.text.startswith("Hello, [first name]. Welcome to your foot routine")
        assert f'personId="{BEN}"' in first.ssml and ANNA not in first.ssml
        assert ben.say("ProgressIntent").text.startswith("You haven't finished a full routine")
        ben.say("Stop")
        guest = voice(None)
        welcome = guest.launch()
        assert welcome.text.startswith("Welcome to your foot routine")
        assert "alexa:name" not in welcome.ssml  # an unrecognised voice: no name
        assert guest.say("ProgressIntent").text.startswith("You haven't finished a full routine")
        guest.say("Stop")
        anna_again = voice(ANNA)
        back = anna_again.launch()
        assert "Shall we carry on where you left off" in back.text  # her place, not Ben's
        assert anna_again.say("ProgressIntent").text.startswith(
            "You've done the full routine on one day."
        )
    anna_record: UserProgress = home_store.load(anna_key)
    assert anna_record.position is not None and anna_record.settings.get("tempo")
    assert anna_record.completed_days == {"2026-11-29"}
    for other in (ben_key, ACCOUNT):
        record = home_store.load(other)
        assert record.position is None and "tempo" not in record.settings
        assert record.completed_days == frozenset() and record.exercises_by_date == {}
    # The skill's own lines (library debug logging is the host's choice, off by default).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("skill"))
    assert "LaunchRequest" in logged
    for secret in (ANNA, BEN, ACCOUNT, anna_key, ben_key):
        assert secret not in logged


def test_skill_disabled_deletes_the_account_and_everyone_under_it(home_store: Any) -> None:
    for person in (ANNA, BEN, None):
        talk = voice(person)
        talk.launch()
        talk.say("No")
        talk.say("Next")
        talk.say("Stop")
    keys = [owner_key(ACCOUNT, ANNA), owner_key(ACCOUNT, BEN), ACCOUNT]
    assert all(home_store.load(key).position is not None for key in keys)
    event = voice(None)
    event.send(event.talk.skill_disabled())
    for key in keys:
        assert home_store.load(key) == UserProgress(), key


def test_a_recognised_person_is_named_by_alexa_not_by_us() -> None:
    greeting = ssml.SayToPerson("Welcome back, {name}. Good to hear you.", person_id=ANNA)
    document = ssml.speak(ssml.fragment([greeting, Say("Ready?")]))
    assert f'<alexa:name type="first" personId="{ANNA}"/>' in document
    assert ssml.problems(document) == []
    assert ssml.to_text(document) == "Welcome back, [first name]. Good to hear you. Ready?"
    odd = ssml.fragment([ssml.SayToPerson("Hi {name} & co", person_id='x"><evil')])
    assert "&amp; co" in odd and 'personId="x&quot;&gt;&lt;evil"' in odd
