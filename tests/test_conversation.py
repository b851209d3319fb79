"""Conversations through the real Lambda entry, as a person would talk."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.alexa.handlers import handled_intents
from skill.alexa.requests import Conversation
from skill.routine.model import load_routine
from tests.alexa_driver import Driver

ROUTINE = load_routine()
# No device here: a closed loopback port makes the Settings API fail at once.
NO_API = "https://127.0.0.1:1"


def driver(user: str = "amzn1.ask.account.test-user", locale: str = "en-US") -> Driver:
    return Driver(Conversation(user_id=user, locale=locale, api_endpoint=NO_API))


@pytest.fixture
def person(skill_env: Path) -> Driver:
    return driver()


def test_first_run_welcomes_warns_once_and_offers_a_warm_up(person: Driver) -> None:
    hello = person.launch()
    assert "Welcome to your foot routine" in hello.text
    assert "doctor or physical therapist" in hello.text
    assert hello.text.endswith("Would you like to warm your feet first?")
    assert not hello.ends and "yes" in hello.reprompt.lower()
    warm = person.say("Yes")
    assert "Warm, not hot" in warm.text and "elbow" in warm.text
    toe_curls = person.say("Next")
    assert toe_curls.text.startswith("Toe curls.")
    person.say("Stop")
    again = driver().launch()
    assert "doctor" not in again.text  # the note is given once, at first use
    assert again.text.startswith("Welcome back.")


def test_the_whole_routine_to_the_end_records_the_day(person: Driver, skill_env: Path) -> None:
    person.launch()
    first = person.say("No")
    assert first.text.startswith("Toe curls.")
    assert "Say next when you're ready for the ball roll." in first.text
    heard = [first]
    answer = first
    while not answer.ends:
        answer = person.say("Next")
        heard.append(answer)
    last = heard[-1]
    assert "That's the whole routine. Well done." in last.text
    assert "That's one day now." in last.text
    assert "Your first full routine" in last.text
    assert "See you tomorrow." in last.text
    assert len(heard) == 13  # one response per segment
    exercises_heard = " ".join(a.text for a in heard)
    for name in ("Toe curls", "ball roll", "Toe spreading", "Tapping", "Pressure isolation"):
        assert name in exercises_heard
    from skill.store.sqlite import SQLiteProgressStore

    stored = SQLiteProgressStore(skill_env).load(person.talk.user_id)
    assert stored.position is None  # finished: nothing to resume
    assert len(stored.completed_days) == 1 and "first_day" in stored.milestones
    asked = driver()
    progress = asked.send(asked.talk.intent("ProgressIntent"))
    assert "You've done the full routine on one day." in progress.text
    assert "this week" in progress.text and "The last one was today." in progress.text
    assert not progress.ends


def test_a_returning_user_carries_on_where_they_stopped(person: Driver) -> None:
    person.launch()
    person.say("No")  # toe curls
    person.say("Next")  # ball roll, right foot
    bye = person.say("Stop")
    assert bye.ends and "Alexa, start my foot routine" in bye.text
    back = driver().launch()
    assert "Welcome back" in back.text and "with the ball roll" in back.text
    resume = Driver(back_talk := Conversation(user_id=person.talk.user_id, api_endpoint=NO_API))
    resume.launch()
    carry_on = resume.say("Yes")
    assert carry_on.text.startswith("Carrying on with the ball roll. Ball under your left foot.")
    assert back_talk.in_session


def test_no_to_carrying_on_starts_from_the_top(person: Driver) -> None:
    person.launch()
    person.say("No")
    person.say("Next")
    person.say("Stop")
    again = driver()
    again.launch()
    top = again.say("No")
    assert top.text.startswith("Starting from the beginning, then. Toe curls.")


def test_a_session_that_times_out_saves_its_place_quietly(person: Driver) -> None:
    person.launch()
    person.say("No")
    person.say("Next")
    person.say("Next")  # ball roll, left foot: the ball roll is now done
    ended = person.end("EXCEEDED_MAX_REPROMPTS")
    assert ended.body == {} or ("outputSpeech" not in ended.body)
    back = driver().launch()
    assert "with toe spreading" in back.text


def test_next_previous_repeat_skip_and_start_over_move_through_the_routine(person: Driver) -> None:
    person.launch()
    toe_curls = person.say("No")
    roll_right = person.say("Next")
    assert roll_right.text.startswith("The ball roll.")
    assert person.say("Previous").text == toe_curls.text
    assert person.say("Repeat").text == toe_curls.text
    # At the prompt after toe curls, "skip" skips what was just announced: the ball roll.
    spreading = person.say("SkipIntent")
    assert spreading.text.startswith("Okay, skipping the ball roll. Toe spreading.")
    tapping_feet = person.say("Next")
    assert tapping_feet.text.startswith("Tapping.")
    # In the middle of an exercise, "skip" skips the rest of it.
    pressure = person.say("SkipIntent")
    assert pressure.text.startswith("Okay, skipping tapping. Pressure isolation.")
    over = person.say("StartOver")
    assert over.text.startswith("Starting from the beginning, then. Toe curls.")
    first_again = person.say("Previous")
    assert first_again.text.startswith("This is the first part, so here it is again. Toe curls.")


def test_start_a_named_exercise_and_ask_how_to_do_one(person: Driver) -> None:
    person.launch()
    raises = person.say("StartExerciseIntent", exercise=("heel raises", "heel_toe_raises"))
    assert raises.text.startswith("Heel and toe raises")
    how = person.say("HowToIntent", exercise=("tapping", "tapping"))
    assert "Tapping:" in how.text and not how.ends
    listing = person.say("ListExercisesIntent")
    assert "toe curls, the ball roll, toe spreading, tapping, pressure isolation and heel and" in (
        listing.text
    )
    assert listing.text.endswith("Which one would you like?")


def test_how_to_outside_the_routine_offers_to_start_that_exercise(person: Driver) -> None:
    person.launch()
    how = person.say("HowToIntent", exercise=("ball roll", "ball_roll"))
    assert how.text.endswith("Would you like to do the ball roll now?")
    assert person.say("Yes").text.startswith("The ball roll.")


def test_an_unknown_exercise_lists_the_exercises(person: Driver) -> None:
    person.launch()
    unknown = person.say("StartExerciseIntent", exercise=("the jumping jacks", None))
    assert unknown.text.startswith("I don't have jumping jacks. The exercises are toe curls")
    assert not unknown.ends
    chosen = person.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    assert chosen.text.startswith("Tapping.")


def test_help_and_fallback_are_contextual(person: Driver) -> None:
    hello = person.launch()
    general = person.say("Help")
    assert "You can say start" in general.text and "doctor" in general.text
    assert general.text.endswith(hello.text.split(". ")[-1])  # asks the warm-up question again
    person.say("No")
    person.say("Next")
    during = person.say("Help")
    assert during.text.startswith("You're in the middle of the ball roll.")
    assert "next, repeat, go back, slower, faster, skip, or stop" in during.text
    lost = person.say("Fallback")
    assert lost.text.startswith("Sorry, I didn't catch that. During the ball roll")
    assert not lost.ends


def test_slower_and_faster_change_the_count_and_are_remembered(person: Driver) -> None:
    person.launch()
    person.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    slower = person.say("SlowerIntent")
    assert slower.text.startswith("Sure, I'll count more slowly from now on. Hands only.")
    assert "[0.78 s]" in slower.text  # 1.1 s from count to count
    assert "[0.78 s]" in person.say("SlowerIntent").text  # already slowest: says so
    person.say("Stop")
    later = driver()
    later.launch()
    tapping = later.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    assert "[0.78 s]" in tapping.text
    faster = later.say("FasterIntent")
    assert (
        faster.text.startswith("Okay, a little quicker from now on.") and "[0.48 s]" in faster.text
    )


def test_toe_curls_are_easy_now_switches_to_marbles(person: Driver) -> None:
    person.launch()
    easy = person.say("HarderIntent")
    assert "marbles" in easy.text and not easy.ends
    marbles = person.say("StartExerciseIntent", exercise=("toe curls", "toe_curls"))
    assert marbles.text.startswith("Marbles. Put two bowls in front of you")


@pytest.mark.parametrize("intent", ["Stop", "Cancel", "Pause", "NavigateHome"])
def test_leaving_ends_the_session_with_a_way_back(person: Driver, intent: str) -> None:
    person.launch()
    person.say("No")
    bye = person.say(intent)
    assert bye.ends
    assert "Alexa, start my foot routine" in bye.text


def _to_phase(person: Driver, phase: str) -> None:
    if phase == "offer_resume":  # stopped mid-routine earlier today
        person.launch()
        person.say("No")
        person.say("Next")
        person.say("Stop")
    person.launch()
    steps = {
        "offer_resume": [],
        "offer_warm_up": [],
        "warm_up": [("Yes", {})],
        "routine": [("No", {}), ("Next", {})],
        "last_segment_prompt": [
            ("StartExerciseIntent", {"exercise": ("raises", "heel_toe_raises")})
        ],
        "choose": [("ListExercisesIntent", {})],
        "offer_exercise": [("HowToIntent", {"exercise": ("pressure", "pressure_isolation")})],
        "after_unknown": [("StartExerciseIntent", {"exercise": ("yoga", None)})],
    }[phase]
    for intent, slots in steps:
        person.say(intent, **slots)


CONTROL_WORDS = sorted(handled_intents())
PHASES = [
    "offer_warm_up", "warm_up", "routine", "last_segment_prompt", "choose", "offer_exercise",
    "after_unknown", "offer_resume",
]  # fmt: skip


@pytest.mark.parametrize("phase", PHASES)
def test_every_control_word_in_every_phase_gets_a_sensible_answer(
    skill_env: Path, phase: str
) -> None:
    for intent in CONTROL_WORDS:
        person = driver(user=f"amzn1.ask.account.{phase}-{intent}")
        _to_phase(person, phase)
        slots = {"exercise": ("toe curls", "toe_curls")} if intent in {
            "StartExerciseIntent", "HowToIntent"} else {}  # fmt: skip
        answer = person.say(intent, **slots)
        assert "something went wrong" not in answer.text, (phase, intent)
        assert answer.text, (phase, intent)
        leaving = intent in {"AMAZON.StopIntent", "AMAZON.CancelIntent",
                             "AMAZON.NavigateHomeIntent", "AMAZON.PauseIntent"}  # fmt: skip
        if leaving:
            assert answer.ends, (phase, intent)
        elif answer.ends:
            # Only finishing the routine may end the session unasked.
            assert "whole routine" in answer.text or "Bye for now" in answer.text, (phase, intent)


@pytest.mark.parametrize("locale", ["en-GB", "en-CA", "en-AU", "en-IN"])
def test_other_english_locales(skill_env: Path, locale: str) -> None:
    person = driver(locale=locale)
    assert "Welcome to your foot routine" in person.launch().text
    assert person.say("No").text.startswith("Toe curls.")


def test_an_unsupported_locale_gets_a_short_note_and_english(skill_env: Path) -> None:
    person = driver(locale="de-DE")
    hello = person.launch()
    assert hello.text.startswith("I only speak English for now")
    assert not hello.ends


def test_malformed_or_stale_session_attributes_recover(person: Driver) -> None:
    person.launch()
    person.say("No")
    for broken in (
        {"v": 1, "phase": 7, "segment": ["x"], "summary": "bad", "pending": {"x": 1}},
        {
            "v": 1,
            "phase": "routine",
            "segment": "no_such_segment",
            "exercise": "nope",
            "loaded": True,
        },
        {"v": 99},
        {"anything": "else"},
    ):
        person.talk.attributes = broken
        answer = person.say("Next")
        assert "something went wrong" not in answer.text
        assert answer.text and not answer.ends


def test_unknown_intents_and_request_types_get_a_spoken_recovery(person: Driver) -> None:
    person.launch()
    odd = person.say("SomebodyElsesIntent")
    assert odd.text.startswith("Sorry, I didn't catch that.") and not odd.ends
    request = person.talk.intent("AMAZON.NextIntent")
    request["request"]["type"] = "Some.FutureRequest"
    unknown = person.send(request)
    assert unknown.text.startswith("Sorry, I didn't catch that.") and not unknown.ends
    bare = person.talk.intent("AMAZON.NextIntent")
    del bare["session"], bare["request"]["type"]
    assert person.handler(bare, None) == {"version": "1.0", "response": {}}


def test_a_slot_with_no_resolution_lists_the_exercises(person: Driver) -> None:
    person.launch()
    answer = person.say("HowToIntent", exercise=("", None))
    assert "The exercises are" in answer.text and not answer.ends


def test_skipping_an_exercise_means_the_day_does_not_count_yet(person: Driver) -> None:
    person.launch()
    person.say("No")  # toe curls
    person.say("Next")  # ball roll, right foot
    assert person.say("SkipIntent").text.startswith("Okay, skipping the ball roll.")
    answer = person.next_until_end()
    assert "That's the whole routine" in answer.text
    assert "you skipped the ball roll. Finish it any time today" in answer.text
    assert "one day now" not in answer.text
    again = driver()
    again.launch()
    again.say("StartExerciseIntent", exercise=("ball roll", "ball_roll"))
    left = again.say("Next")
    assert left.text.startswith("Ball under your left foot.")
    again.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    finish = again.next_until_end()
    assert "That's one day now." in finish.text


def test_skill_disabled_forgets_the_user(person: Driver) -> None:
    person.launch()
    person.say("No")
    person.say("Stop")
    gone = person.send(person.talk.skill_disabled())
    assert gone.body == {}
    back = driver().launch()
    assert "Welcome to your foot routine" in back.text  # a stranger again


def test_every_model_intent_has_a_handler_and_the_reverse() -> None:
    from skill.alexa.intents import load_spec

    assert load_spec().intent_names == handled_intents()


def finish_routine_on(day: str, user: str = "amzn1.ask.account.days") -> str:
    """A whole routine at 10:00 UTC on `day`; returns the closing words."""
    person = Driver(Conversation(user_id=user, api_endpoint=NO_API, timestamp=f"{day}T10:00:00Z"))
    person.launch()
    person.say("No")
    return person.next_until_end().text


def test_days_streaks_and_milestones_are_counted_and_announced_once(skill_env: Path) -> None:
    first = finish_routine_on("2026-11-02")
    assert "That's one day now." in first and "Your first full routine" in first
    second = finish_routine_on("2026-11-03")
    assert "That's two days now. And two in a row." in second
    assert "first full routine" not in second
    third = finish_routine_on("2026-11-04")
    assert "That's three days now. And three in a row. Three days done." in third
    again_today = Driver(
        Conversation(
            user_id="amzn1.ask.account.days", api_endpoint=NO_API, timestamp="2026-11-04T18:00:00Z"
        )
    )
    hello = again_today.launch()
    assert "You've already done the whole routine today." in hello.text
    assert again_today.say("No").ends
    later = Driver(
        Conversation(
            user_id="amzn1.ask.account.days", api_endpoint=NO_API, timestamp="2026-11-07T09:00:00Z"
        )
    )
    later.launch()
    progress = later.say("ProgressIntent")
    assert progress.text.startswith("You've done the full routine on three days.")
    assert "The last one was three days ago." in progress.text


def test_after_three_weeks_standing_raises_are_offered_not_forced(skill_env: Path) -> None:
    from datetime import date, timedelta

    from skill.progress.records import ProgressUpdate
    from skill.store.sqlite import SQLiteProgressStore

    user = "amzn1.ask.account.three-weeks"
    store = SQLiteProgressStore(skill_env)
    ids = load_routine().ids
    start = date(2026, 10, 1)
    for offset in range(21):
        day = (start + timedelta(days=offset)).isoformat()
        store.save(user, ProgressUpdate(exercises_done={day: frozenset(ids)}), ids)
    store.save(user, ProgressUpdate(milestones=frozenset({"welcomed"})), ids)
    person = Driver(
        Conversation(user_id=user, api_endpoint=NO_API, timestamp="2026-10-22T09:00:00Z")
    )
    offer = person.launch()
    assert "Would you like to try the heel and toe raises standing" in offer.text
    accepted = person.say("Yes")
    assert "From now on, the raises are standing." in accepted.text
    assert accepted.text.endswith("Would you like to warm your feet first?")
    raises = person.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    assert "counter" in raises.text and "sturdy chair" in raises.text  # safety cue first
    assert raises.text.endswith("Say next when you're holding on.")
    assert store.load(user).settings["raise_position"] == "standing"
    # Asked once: the next session does not ask again.
    again = Driver(
        Conversation(user_id=user, api_endpoint=NO_API, timestamp="2026-10-22T12:00:00Z")
    )
    assert "standing" not in again.launch().text


def test_raises_grow_gradually_when_the_person_agrees(skill_env: Path) -> None:
    from datetime import date, timedelta

    from skill.progress.records import ProgressUpdate
    from skill.store.sqlite import SQLiteProgressStore

    user = "amzn1.ask.account.one-week"
    store = SQLiteProgressStore(skill_env)
    ids = load_routine().ids
    for offset in range(7):
        day = (date(2026, 10, 1) + timedelta(days=offset)).isoformat()
        store.save(user, ProgressUpdate(exercises_done={day: frozenset(ids)}), ids)
    person = Driver(
        Conversation(user_id=user, api_endpoint=NO_API, timestamp="2026-10-08T09:00:00Z")
    )
    offer = person.launch()
    assert "Would you like to go up to twelve raises on each foot?" in offer.text
    assert person.say("Help").text.endswith("up to twelve raises on each foot?")  # asks again
    assert person.say("Yes").text.startswith("Okay, twelve raises on each foot from now on.")
    raises = person.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    assert "Twelve." in raises.text
