"""What people with neuropathy say and feel, through the real Lambda entry with real
request JSON: symptoms told apart, the check-in, missing things, "have I done it
today?", and places kept over midnight."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.alexa.envelopes import Conversation
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Answer, Driver
from tests.reminders_api import RemindersApi
from tests.test_reminder_conversation import api, set_time, talk

__all__ = ["api"]  # the fixture, shared with the reminder conversation tests

NOON = "2026-11-30T12:00:00Z"
NUMB = ("numb", "baseline_numb")
STOPPED = "Let's stop there."


def person(locale: str = "en-US", user: str | None = None, at: str = NOON) -> Driver:
    talk = Conversation(locale=locale, timestamp=at, api_endpoint="https://127.0.0.1:1")
    if user:
        talk.user_id = user
    return Driver(talk)


def at_toe_curls(someone: Driver) -> Answer:
    someone.launch()
    someone.say("No")  # no warm-up: the toe-curl gate
    return someone.say("Next")  # ready: the first toe curls


def until_offered(someone: Driver) -> Answer:
    """Next until the end of the routine offers what is still to do."""
    for _ in range(40):
        answer = someone.say("Next")
        if answer.ends or answer.attributes.get("phase") == "offer_skipped":
            return answer
    raise AssertionError("no offer")


def stored(database: Path, user: str) -> object:
    store = SQLiteProgressStore(database)
    try:
        return store.load(user)
    finally:
        store.close()


# -- 1. symptoms told apart ---------------------------------------------------------------
def test_numb_feet_are_acknowledged_and_the_exercise_goes_on(skill_env: Path) -> None:
    someone = person()
    work = at_toe_curls(someone)
    told = someone.say("SymptomIntent", symptom=NUMB)
    assert told.text.startswith("Numbness is part of neuropathy, so we'll carry on gently.")
    assert "blisters" in told.text  # what to watch for
    assert STOPPED not in told.text and "push through pain" not in told.text
    assert not told.ends and told.attributes["segment"] == work.attributes["segment"]
    assert someone.say("Next").attributes["segment"] != work.attributes["segment"]


@pytest.mark.parametrize(
    ("symptom", "words"),
    [
        (("tingling", "baseline_tingling"), "Tingling and pins and needles are common"),
        (("gone to sleep", "baseline_asleep"), "gentle wiggle"),
        (("freezing", "baseline_cold"), "Cold feet are common"),
    ],
)
def test_every_baseline_sensation_has_its_own_line(
    skill_env: Path, symptom: tuple[str, str], words: str
) -> None:
    someone = person()
    at_toe_curls(someone)
    told = someone.say("SymptomIntent", symptom=symptom)
    assert words in told.text and not told.ends and STOPPED not in told.text


def test_a_cramp_pauses_until_it_has_passed(skill_env: Path) -> None:
    someone = person()
    work = at_toe_curls(someone)
    cramp = someone.say("SymptomIntent", symptom=("cramp", "cramp"))
    assert cramp.text.startswith("Let's pause for the cramp.")
    assert "pull your toes up" in cramp.text
    assert cramp.text.endswith("Say ready when it has passed.") and not cramp.ends
    wait = someone.say("No")  # not yet
    assert wait.text.startswith("Take your time.") and wait.text.endswith("has passed.")
    passed = someone.say("Next")  # "ready"
    assert passed.text.startswith("Good. Gently does it.") and not passed.ends
    assert passed.attributes["segment"] == work.attributes["segment"]  # nothing skipped


@pytest.mark.parametrize(
    ("place", "words"),
    [
        (("knee", "knee"), "rest your knee"),
        (("lower back", "back"), "rest your back"),
        (("toes", "feet"), "rest your feet"),
    ],
)
def test_pain_stops_that_exercise_with_words_for_where_it_hurts(
    skill_env: Path, place: tuple[str, str], words: str
) -> None:
    someone = person()
    at_toe_curls(someone)
    stop = someone.say("PainIntent", place=place)
    assert stop.text.startswith(STOPPED) and stop.ends
    assert words in stop.text and "won't count toe curls as done" in stop.text
    assert ("rest your feet" in stop.text) == (place[1] == "feet")


def test_faint_stops_and_sits_and_the_next_session_checks_in_first(skill_env: Path) -> None:
    someone = person()
    at_toe_curls(someone)
    stop = someone.say("SafetyIntent")  # "I've come over all dizzy"
    assert stop.text.startswith(STOPPED) and stop.ends
    assert "Stay sitting until it passes" in stop.text and "nine one one" in stop.text
    assert "I'll ask how you are before anything standing" in stop.text
    assert "rest your feet" not in stop.text.lower()
    back = someone.launch()
    assert "How are you feeling today?" in back.text and "feet feeling" not in back.text


@pytest.mark.parametrize(
    ("locale", "number"),
    [("en-GB", "nine nine nine"), ("en-AU", "triple zero"), ("en-IN", "one one two")],
)
def test_a_fall_names_the_local_emergency_number(skill_env: Path, locale: str, number: str) -> None:
    someone = person(locale)
    at_toe_curls(someone)
    fall = someone.say("EmergencyIntent")  # "I'm on the floor and I can't get up"
    assert fall.text.startswith(STOPPED) and fall.ends
    assert f"call {number} now" in fall.text and "stay still and warm" in fall.text
    assert "Sit back and rest" not in fall.text


# -- the check-in after a stop --------------------------------------------------------------
def stopped_then_back(database: Path) -> Driver:
    someone = person()
    at_toe_curls(someone)
    someone.say("PainIntent")  # "ooh that's sore"
    back = someone.launch()
    assert back.text.endswith("How are you feeling today?")
    return someone


@pytest.mark.parametrize(
    ("intent", "slots", "carries_on"),
    [
        ("FeelingBetterIntent", {}, True),
        ("FeelingUsualIntent", {}, True),  # "same as usual"
        ("SymptomIntent", {"symptom": ("numb as always", "baseline_numb")}, True),
        ("FeelingWorseIntent", {}, False),  # "not great", "still sore"
        ("PainIntent", {}, False),  # "it still hurts"
    ],
)
def test_the_check_in_is_understood_in_all_its_forms(
    skill_env: Path, intent: str, slots: dict[str, tuple[str, str]], carries_on: bool
) -> None:
    someone = stopped_then_back(skill_env)
    answer = someone.say(intent, **slots)
    if carries_on:
        assert not answer.ends and "carry on where you left off, with toe curls" in answer.text
        assert STOPPED not in answer.text
    else:
        assert answer.ends and answer.text.startswith("That's all right. Rest today")


def test_a_plain_yes_to_the_check_in_is_never_read_as_fine(skill_env: Path) -> None:
    someone = stopped_then_back(skill_env)
    yes = someone.say("Yes")
    assert yes.text == "Tell me in a word or two: better, the same as usual, or still sore?"
    assert yes.attributes["phase"] == "ask_feeling" and not yes.ends
    worse = someone.say("FeelingWorseIntent")  # "not great"; then a yes ends nothing
    assert worse.ends and "Rest today" in worse.text


# -- missing things ----------------------------------------------------------------------------
def test_no_golf_ball_at_toe_curls_is_answered_for_toe_curls(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    someone.say("No")  # the toe-curl gate: it needs a towel
    answer = someone.say("MissingThingIntent", thing=("golf ball", "golf_ball"))
    assert answer.text.startswith(
        "You won't need a golf ball for toe curls. It's for toe spreading:"
    )
    assert answer.text.endswith("Say ready when the towel is under your feet.")
    towel = someone.say("MissingThingIntent", thing=("towel", "towel"))
    assert towel.text.startswith("No towel? A face cloth or a tea towel does the same job.")
    assert not towel.ends


def test_nothing_to_hold_on_to_skips_and_offers_it_again_at_the_end(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    gate = someone.say("StartExerciseIntent", exercise=("the pressure one", "pressure_isolation"))
    assert gate.text.endswith("Say ready when you're holding on.")
    skipped = someone.say("MissingThingIntent")  # "I've nothing to hold on to"
    assert skipped.text.startswith("Then we'll leave pressure isolation for now:")
    assert "Heel and toe raises" in skipped.text and not skipped.ends
    end = until_offered(someone)
    assert end.text.endswith(
        "Still to do today: toe curls, the ball roll, toe spreading, tapping and pressure"
        " isolation. Shall we do toe curls now? It takes about two minutes."
    )


def test_what_do_i_need_says_the_step_s_own_words(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    someone.say("StartExerciseIntent", exercise=("my ball roll", "ball_roll"))
    need = someone.say("WhatDoINeedIntent")
    assert "a tennis ball or golf ball" in need.text


# -- names and words ---------------------------------------------------------------------------
def test_left_exercises_are_named_exactly(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    someone.say("StartExerciseIntent", exercise=("the tapping", "tapping"))
    end = until_offered(someone)
    assert "You skipped" not in end.text
    assert "Still to do today: toe curls, the ball roll and toe spreading." in end.text
    today = someone.say("DoneTodayIntent")
    assert "Today you've done tapping, pressure isolation and heel and toe raises." in today.text


def test_have_i_done_my_exercises_today(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    assert someone.say("DoneTodayIntent").text.startswith("Not yet today.")
    someone.say("No")
    someone.next_until_end()
    again = person(user=someone.talk.user_id)
    again.launch()
    assert again.say("DoneTodayIntent").text.startswith("Yes. You've done the whole routine")


def test_an_exercise_we_do_not_have_gets_the_list_of_ours(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    jacks = someone.say("StartExerciseIntent", exercise=("jumping jacks", None))
    assert jacks.text.startswith("We don't have that one. The exercises are toe curls, the ball")
    assert "jumping" not in jacks.text and "yes or no" not in jacks.text


def test_no_redo_offer_at_the_quickest_pace(skill_env: Path) -> None:
    someone = person()
    at_toe_curls(someone)
    answers = [someone.say("FasterIntent").text for _ in range(4)]
    limit = [text for text in answers if "already my quickest pace" in text]
    assert limit and all("Shall we do that part again" not in text for text in limit)


def test_carrying_on_never_names_the_exercise_twice(skill_env: Path) -> None:
    someone = person()
    someone.launch()
    someone.say("No")
    someone.say("Stop")  # at the toe-curl gate
    someone.launch()
    carried = someone.say("Yes")
    assert (
        "Toe curls. Toe curls." not in carried.text and "toe curls. Toe curls" not in carried.text
    )
    assert carried.text.startswith("Carrying on where you left off. Toe curls.")


def test_a_first_launch_with_the_store_down_still_warns_and_never_says_welcome_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.alexa import app

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    monkeypatch.setenv("PROGRESS_DB", str(blocker / "data" / "progress.sqlite3"))
    monkeypatch.delenv("PROGRESS_TABLE", raising=False)
    app.reset()
    try:
        hello = person().launch()
        assert "Welcome back" not in hello.text
        assert "I don't replace advice from your doctor" in hello.text and not hello.ends
    finally:
        app.reset()


# -- midnight ----------------------------------------------------------------------------------
def test_a_place_kept_at_the_door_before_midnight_is_there_after_it(skill_env: Path) -> None:
    someone = person(at="2026-11-30T23:40:00Z")
    at_toe_curls(someone)
    someone.say("Next")
    someone.talk.timestamp = "2026-11-30T23:53:00Z"
    door = someone.say("FetchIntent")  # "there's someone at the door"
    assert door.ends and "we'll carry on from here" in door.text
    someone.talk.timestamp = "2026-12-01T00:10:00Z"
    back = someone.launch()
    assert "Shall we carry on where you left off, with" in back.text
    someone.say("Yes")
    end = someone.next_until_end()
    assert "That's one day now." in end.text
    progress = stored(skill_env, someone.talk.user_id)
    assert "2026-11-30" in progress.completed_days  # type: ignore[attr-defined]
    someone.talk.timestamp = "2026-12-01T00:12:00Z"
    no_thanks = someone.say("No")  # to the daily reminder
    assert no_thanks.ends and "warm your feet" not in no_thanks.text
    assert "Toe curls" not in no_thanks.text


def test_a_place_is_kept_until_noon_the_next_day_and_no_longer(skill_env: Path) -> None:
    someone = person(at="2026-11-30T20:00:00Z")
    at_toe_curls(someone)
    someone.say("Stop")
    someone.talk.timestamp = "2026-12-01T09:30:00Z"
    morning = someone.launch()
    assert "carry on where you left off" in morning.text
    someone.say("Stop")
    later = person(user=someone.talk.user_id, at="2026-12-02T13:00:00Z").launch()
    assert "carry on where you left off" not in later.text


# -- reminders when the device's zone can't be read -----------------------------------------
def test_a_reminder_without_a_known_zone_names_none(skill_env: Path, api: RemindersApi) -> None:
    someone = talk(api, granted=True)
    api.zone = None  # the Settings API has no zone for this device
    someone.launch()
    done = set_time(someone, "21:00")
    assert done.text.startswith("Done. I'll remind you every day at nine at night.")
    (token,) = api.reminders
    trigger = api.reminders[token]["trigger"]
    # The Reminders API uses the device's own zone when the request names none: never UTC.
    assert "timeZoneId" not in trigger
    assert trigger["scheduledTime"] == "2026-12-01T21:00:00"  # from tomorrow, at 9 pm local
    progress = stored(skill_env, someone.talk.user_id)
    assert progress.time_zone is None  # type: ignore[attr-defined]  # nothing made up is kept


def test_say_yes_or_no_only_after_a_yes_or_no_question(skill_env: Path) -> None:
    someone = person()
    welcome = someone.launch()
    assert welcome.text.endswith("Would you like to warm your feet first?")
    assert "Please say yes or no." in someone.say("Fallback").text
    someone.say("No")
    at_the_gate = someone.say("Fallback")
    assert "yes or no" not in at_the_gate.text
    assert "You can say ready, wait, skip, or stop." in at_the_gate.text
    words = [someone.say("PardonIntent").text for _ in range(3)]
    assert words[0] == words[1] != words[2]  # never the same words three times running
