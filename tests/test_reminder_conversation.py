"""The daily reminder and the weekly card, talked through the real Lambda entry.

Alexa's API endpoint is a local server over HTTPS (tests/reminders_api.py: the
Reminders API and the Settings API's time zone), reached through each request's
apiEndpoint with ALEXA_API_ALLOW_LOOPBACK=1, and trusted through SSL_CERT_FILE
like any CA bundle. Progress goes to the embedded store the skill uses by default.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.permissions import REMINDERS_SCOPE
from skill.routine.model import load_routine
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Answer, Driver
from tests.household import HouseholdConversation
from tests.reminders_api import RemindersApi

API_TOKEN = "api-token-for-this-session"
USER = "amzn1.ask.account.reminder-user"
MORNING = "2026-11-30T13:00:00Z"  # 08:00 in New York, the device's zone


@pytest.fixture
def api(skill_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RemindersApi]:
    from skill.alexa import app

    server = RemindersApi(tmp_path)
    monkeypatch.setenv("ALEXA_API_ALLOW_LOOPBACK", "1")
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))  # the skill trusts the local API
    app.reset()
    yield server
    server.close()


def talk(api: RemindersApi, granted: bool = False, **more: Any) -> Driver:
    more.setdefault("user_id", USER)
    more.setdefault("timestamp", MORNING)
    conversation = HouseholdConversation(
        api_endpoint=api.endpoint, api_token=API_TOKEN, reminders_granted=granted, **more
    )
    if granted:
        api.grant(API_TOKEN)
    return Driver(conversation)


def household(person: Driver) -> HouseholdConversation:
    assert isinstance(person.talk, HouseholdConversation)
    return person.talk


def set_time(person: Driver, value: str | None) -> Answer:
    return person.send(household(person).time_intent("SetReminderIntent", value))


def stored(skill_env: Path, key: str = USER) -> Any:
    store = SQLiteProgressStore(skill_env)
    try:
        return store.load(key)
    finally:
        store.close()


def directives(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.body.get("directives") or [])


# -- asking for the permission by voice ------------------------------------------------
def ask_without_permission(api: RemindersApi) -> tuple[Driver, Answer]:
    person = talk(api)
    person.launch()
    asked = set_time(person, "21:00")  # "remind me every day at nine p.m.": no doubt
    return person, asked


def test_no_permission_sends_the_askfor_directive(api: RemindersApi, skill_env: Path) -> None:
    _, asked = ask_without_permission(api)
    assert asked.text == "To do that, I need your permission to set reminders."
    assert asked.ends and "reprompt" not in asked.body
    (directive,) = directives(asked)
    assert directive == {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        "token": "reminder@21:00",
    }
    assert api.reminders == {}  # nothing asked of the API without the permission


def test_accepted_creates_the_reminder_and_confirms_the_time(
    api: RemindersApi, skill_env: Path
) -> None:
    person, _ = ask_without_permission(api)
    household(person).reminders_granted = True
    api.grant(API_TOKEN)
    answer = person.send(household(person).permission_answer("ACCEPTED", "reminder@21:00"))
    assert answer.text.startswith("Done. I'll remind you every day at nine at night.")
    assert answer.text.endswith("Would you like to warm your feet first?") and not answer.ends
    (token,) = api.reminders
    trigger = api.reminders[token]["trigger"]
    assert trigger["timeZoneId"] == "America/New_York"  # the device's zone, read at start
    assert trigger["scheduledTime"] == "2026-11-30T21:00:00"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"
    ]
    nudges = stored(skill_env).nudges
    assert (nudges.reminder_token, nudges.reminder_time) == (token, "21:00")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("DENIED", "Okay, no reminder for now. You can allow reminders"),
        ("NOT_ANSWERED", "I didn't hear an answer, so there's no reminder for now."),
    ],
)
def test_denied_or_not_answered_says_how_sends_the_card_and_carries_on(
    api: RemindersApi, skill_env: Path, status: str, words: str
) -> None:
    person, _ = ask_without_permission(api)
    answer = person.send(household(person).permission_answer(status, "reminder@21:00"))
    assert answer.text.startswith(words) and "Alexa app" in answer.text
    assert answer.body["card"] == {
        "type": "AskForPermissionsConsent",
        "permissions": [REMINDERS_SCOPE],
    }
    assert answer.text.endswith("Would you like to warm your feet first?") and not answer.ends
    assert api.reminders == {}
    assert stored(skill_env).nudges.reminder_offer_declined is (status == "DENIED")


def test_mid_routine_the_place_is_kept_and_offered_back(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api)
    person.launch()
    person.say("No")  # toe curls
    person.say("Next")
    asked = set_time(person, "20:00")
    assert directives(asked) and asked.ends
    assert stored(skill_env).position is not None  # saved before Alexa took over
    back = person.send(household(person).permission_answer("DENIED", "reminder@20:00"))
    assert "Shall we carry on where you left off" in back.text


# -- create, change, read, cancel --------------------------------------------------------
def test_an_ambiguous_time_is_confirmed_then_set(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api, granted=True)
    person.launch()
    asked = set_time(person, "09:00")  # "remind me every day at nine"
    assert asked.text.endswith("Every day at nine in the morning. Is that right?")
    assert not asked.ends and "nine in the morning" in asked.reprompt
    assert api.reminders == {}
    done = person.say("Yes")
    assert done.text.startswith("Done. I'll remind you every day at nine in the morning.")
    assert len(api.reminders) == 1


def test_no_to_the_morning_means_the_evening(api: RemindersApi) -> None:
    person = talk(api, granted=True)
    person.launch()
    set_time(person, "08:30")
    other = person.say("No")
    assert other.text.endswith("Every day at half past eight in the evening. Is that right?")
    assert person.say("Yes").text.startswith("Done. I'll remind you every day at half past eight")
    (token,) = api.reminders
    rule = api.reminders[token]["trigger"]["recurrence"]["recurrenceRules"][0]
    assert "BYHOUR=20;BYMINUTE=30;" in rule


def test_without_a_time_it_asks_for_one(api: RemindersApi) -> None:
    person = talk(api, granted=True)
    person.launch()
    asked = set_time(person, None)  # "remind me to do my feet"
    assert asked.text.endswith("What time would you like your reminder?") and not asked.ends
    answer = set_time(person, "19:00")  # "seven p.m."
    assert answer.text.startswith("Done. I'll remind you every day at seven in the evening.")


def test_change_updates_the_same_reminder_and_asking_twice_makes_no_duplicate(
    api: RemindersApi, skill_env: Path
) -> None:
    person = talk(api, granted=True)
    person.launch()
    set_time(person, "18:00")
    (token,) = api.reminders
    changed = set_time(person, "19:30")  # "change my reminder to half past seven p.m."
    assert changed.text.startswith(
        "Done. Your reminder is now every day at half past seven in the evening."
    )
    set_time(person, "19:30")  # asked twice
    assert list(api.reminders) == [token]
    assert ("PUT", f"/v1/alerts/reminders/{token}") in api.calls
    assert stored(skill_env).nudges.reminder_time == "19:30"


def test_read_and_cancel_also_from_another_device(api: RemindersApi, skill_env: Path) -> None:
    kitchen = talk(api, granted=True)
    kitchen.launch()
    set_time(kitchen, "18:00")
    kitchen.say("Stop")
    bedroom = talk(api, granted=True, device_id="amzn1.ask.device.bedroom")
    bedroom.launch()
    read = bedroom.say("ReadReminderIntent")
    assert read.text.startswith("Your reminder is every day at six in the evening.")
    cancelled = bedroom.say("CancelReminderIntent")
    assert cancelled.text.startswith("Okay, I've cancelled your daily reminder.")
    assert api.reminders == {} and stored(skill_env).nudges.reminder_token is None
    assert bedroom.say("CancelReminderIntent").text.startswith(
        "You don't have a daily reminder to cancel."
    )
    assert bedroom.say("ReadReminderIntent").text.startswith("You don't have a daily reminder yet.")


def test_a_reminder_deleted_in_the_app_is_noticed(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api, granted=True)
    person.launch()
    set_time(person, "18:00")
    api.reminders.clear()
    read = person.say("ReadReminderIntent")
    assert read.text.startswith("Your reminder isn't there any more.")
    assert stored(skill_env).nudges.reminder_token is None


# -- failures are spoken honestly, and the conversation goes on ----------------------------
@pytest.mark.parametrize(
    ("status", "words"),
    [
        (429, "Sorry, Alexa's reminders are busy just now, so nothing has changed."),
        (500, "Sorry, I couldn't reach Alexa's reminders just now, so nothing has changed."),
        (503, "Sorry, I couldn't reach Alexa's reminders just now, so nothing has changed."),
    ],
)
def test_api_errors(api: RemindersApi, skill_env: Path, status: int, words: str) -> None:
    person = talk(api, granted=True)
    person.launch()
    api.failures.append(status)
    answer = set_time(person, "18:00")
    assert answer.text.startswith(words) and not answer.ends
    assert api.reminders == {} and stored(skill_env).nudges.reminder_token is None
    assert "Done" not in answer.text


def test_a_device_that_cannot_take_reminders_gets_a_plain_answer(api: RemindersApi) -> None:
    person = talk(api, granted=True)
    api.unsupported.add(API_TOKEN)
    person.launch()
    answer = set_time(person, "18:00")
    assert answer.text.startswith("Sorry, reminders can't be set on this device or account.")


def test_a_permission_withdrawn_in_the_app_asks_again(api: RemindersApi) -> None:
    person = talk(api, granted=True)
    person.launch()
    api.granted.clear()  # the request still says granted; the API says 401
    answer = set_time(person, "18:00")
    assert directives(answer)[0]["name"] == "AskFor"


def test_a_slow_api_is_cut_and_the_exercise_goes_on(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api, granted=True)
    person.launch()
    person.say("No")  # toe curls
    api.delay = 3.0
    started = time.monotonic()
    answer = set_time(person, "18:00")
    assert time.monotonic() - started < 2.0
    assert answer.text.startswith("Sorry, I couldn't reach Alexa's reminders just now")
    assert not answer.ends and answer.attributes["phase"] == "gate"  # back to the exercise
    assert "towel" in answer.text
    api.delay = 0.0
    carried_on = person.say("Next")
    assert not carried_on.ends and "reminder" not in carried_on.text


def test_skill_disabled_deletes_the_stored_token(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api, granted=True)
    person.launch()
    set_time(person, "18:00")
    assert stored(skill_env).nudges.reminder_token
    person.send(person.talk.skill_disabled())
    assert stored(skill_env).nudges.reminder_token is None
    assert stored(skill_env).exercises_by_date == {}


# -- the weekly summary card ---------------------------------------------------------------
def test_how_was_my_week_puts_a_card_in_the_app_once_a_day(
    api: RemindersApi, skill_env: Path
) -> None:
    from skill.progress.records import ProgressUpdate

    store = SQLiteProgressStore(skill_env)
    routine = load_routine().ids
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-29"):
        store.save(USER, ProgressUpdate(exercises_done={day: frozenset(routine)}), routine)
    store.close()
    person = talk(api)
    person.launch()
    answer = person.say("ProgressIntent")
    assert answer.text.startswith("You've done the full routine on four days.")
    assert "I've put this week's summary in the Alexa app." in answer.text
    assert answer.text.endswith("?") and not answer.ends
    card = answer.body["card"]
    assert card["type"] == "Simple" and card["title"] == "My Foot Routine: your week"
    assert card["content"].splitlines()[0] == "Monday: not yet"  # the 30th is a Monday
    assert "Days completed in all: 4" in card["content"]
    assert "Best run of days in a row: 3" in card["content"]
    again = person.say("ProgressIntent")
    assert "card" not in again.body and "Alexa app" not in again.text
    later = talk(api, timestamp="2026-11-30T20:00:00Z")
    later.launch()
    assert "card" not in later.say("ProgressIntent").body  # still the same local day
    tomorrow = talk(api, timestamp="2026-12-01T14:00:00Z")
    tomorrow.launch()
    assert tomorrow.say("ProgressIntent").body["card"]["content"].startswith("Monday: not done")


# -- the offer after the first completed day -----------------------------------------------
def finish_the_routine(person: Driver) -> Answer:
    person.launch()
    person.say("No")  # no warm-up
    return person.next_until_end()


def test_the_first_completed_day_offers_a_reminder_once(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api)
    last = finish_the_routine(person)
    assert "That's one day now." in last.text and "See you tomorrow." not in last.text
    assert last.text.endswith("Would you like me to remind you every day?") and not last.ends
    assert "yes" in last.reprompt.lower()
    when = person.say("Yes")
    assert when.text == "What time would you like your reminder?"
    assert "at nine in the morning" in when.reprompt
    sure = set_time(person, "09:00")  # "at nine"
    assert sure.text == "Every day at nine in the morning. Is that right?"
    asked = person.say("Yes")
    assert directives(asked)[0]["token"] == "reminder@09:00" and asked.ends
    household(person).reminders_granted = True
    api.grant(API_TOKEN)
    done = person.send(household(person).permission_answer("ACCEPTED", "reminder@09:00"))
    assert done.text == "Done. I'll remind you every day at nine in the morning. See you tomorrow."
    assert done.ends and len(api.reminders) == 1
    # The next day's finish: a reminder is set, so no offer.
    tomorrow = talk(api, granted=True, timestamp="2026-12-01T13:00:00Z")
    assert finish_the_routine(tomorrow).text.endswith("See you tomorrow.")


def test_a_declined_offer_is_not_made_again(api: RemindersApi, skill_env: Path) -> None:
    person = talk(api)
    finish_the_routine(person)
    no = person.say("No")
    assert no.text == (
        "Okay, no reminder. If you change your mind, just say: remind me every day. "
        "See you tomorrow."
    )
    assert no.ends and stored(skill_env).nudges.reminder_offer_declined
    tomorrow = talk(api, timestamp="2026-12-01T13:00:00Z")
    last = finish_the_routine(tomorrow)
    assert last.ends and "remind you" not in last.text
    # Asked for, it is still there.
    asked = talk(api, granted=True, timestamp="2026-12-01T15:00:00Z")
    asked.launch()
    assert set_time(asked, "18:00").text.startswith("Done. I'll remind you every day at six")


def test_no_offer_without_a_completed_day(api: RemindersApi) -> None:
    person = talk(api)
    person.launch()
    person.say("No")
    bye = person.say("Stop")
    assert bye.ends and "remind" not in bye.text


def test_next_at_the_offer_moves_on_and_a_time_question_gives_an_example(
    api: RemindersApi, skill_env: Path
) -> None:
    person = talk(api)
    finish_the_routine(person)
    moved = person.say("Next")  # the routine is done: "next" is "no thanks", never a loop
    assert "Would you like me to remind you" not in moved.text
    assert moved.text.startswith("Okay, no reminder.") and moved.ends
    assert stored(skill_env).completed_days  # the day is kept
    person.launch()
    assert person.say("SetReminderIntent").text == "What time would you like your reminder?"
    misheard = person.say("Fallback")  # "after breakfast": not a time Alexa can read
    assert "for example: half past nine in the morning" in misheard.text
    assert "You can say start, help, or stop" not in misheard.text
    assert misheard.text.endswith("What time would you like your reminder?")
    unread = person.say("SetReminderIntent", time=("after breakfast", None))
    assert unread.text.startswith("Sorry, I didn't catch a time. You could say, for example")
    answers = [person.say("Next").text for _ in range(3)]
    assert answers[0] == answers[1] != answers[2]  # never the same words three times running
    assert not person.history[-1].ends
