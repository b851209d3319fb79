"""Conversations through the real Lambda entry, as a person would talk."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from skill.alexa.envelopes import Conversation
from skill.alexa.handlers import handled_intents
from skill.routine.model import load_routine
from tests import suite_clock
from tests.alexa_driver import Answer, Driver

ROUTINE = load_routine()
# No device here: a closed loopback port makes the Settings API fail at once.
NO_API = "https://127.0.0.1:1"


def driver(user: str = "amzn1.ask.account.test-user", locale: str = "en-US") -> Driver:
    return Driver(Conversation(user_id=user, locale=locale, api_endpoint=NO_API))


def later(person: Driver, seconds: float) -> None:
    """The person's clock moves on: the next request is stamped `seconds` later."""
    now = person.talk.timestamp or suite_clock.stamp()
    moved = datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=seconds)
    person.talk.timestamp = moved.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def person(skill_env: Path) -> Driver:
    return driver()


def to_toe_curl_work(person: Driver) -> Answer:
    person.launch()
    gate = person.say("No")
    assert gate.text.endswith("Say ready when the towel is under your feet.")
    return person.say("Next")


def test_first_run_welcomes_warns_once_and_says_what_to_have_at_hand(person: Driver) -> None:
    hello = person.launch()
    assert "Welcome to your foot routine. About twelve minutes, six exercises" in hello.text
    assert "doctor or physical therapist" in hello.text
    assert "a small towel" in hello.text and "kitchen counter or sturdy chair" in hello.text
    assert hello.text.endswith("Would you like to warm your feet first?")
    assert not hello.ends and "yes" in hello.reprompt.lower()
    warm = person.say("Yes")
    assert "Warm, not hot" in warm.text and "elbow" in warm.text
    # The soak is longer than the microphone stays open: the way back, and the session ends.
    assert warm.ends and warm.text.endswith(
        "just say: Alexa, start my foot routine, and we'll go straight to toe curls."
    )
    again = driver().launch()
    assert "doctor" not in again.text  # the note is given once, at first use
    assert again.text.startswith("Welcome back. Feet warm? Let's start. Toe curls.")
    assert again.text.endswith("Say ready when the towel is under your feet.")


def test_the_whole_routine_to_the_end_records_the_day(person: Driver, skill_env: Path) -> None:
    person.launch()
    first = person.say("No")
    assert first.text.startswith("Toe curls.")
    heard = [first]
    answer = first
    while not answer.ends and answer.attributes.get("phase") != "offer_reminder":
        answer = person.say("Next")
        heard.append(answer)
    assert "Say next for the ball roll, when you're ready." in heard[1].text
    last = heard[-1]
    assert "That's the whole routine. Well done." in last.text
    assert "That's one day now." in last.text
    assert "Your first full routine" in last.text
    # The first completed day offers a daily reminder in place of the goodbye.
    assert last.text.endswith("Would you like me to remind you every day?")
    assert person.say("No").text.endswith("See you tomorrow.")
    assert len(heard) == 16  # one response per segment, ready gates included
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
    assert "this week" in progress.text
    assert not progress.ends


def test_a_stop_after_a_part_was_heard_carries_on_after_it(person: Driver) -> None:
    to_toe_curl_work(person)
    person.say("Next")  # the ball roll's ready gate: toe curls count now
    person.say("Next")  # ball roll, right foot
    later(person, 90)  # the person heard it all
    bye = person.say("Stop")
    assert bye.ends and "Alexa, start my foot routine" in bye.text
    assert "kept your place for today" in bye.text
    resume = Driver(Conversation(user_id=person.talk.user_id, api_endpoint=NO_API))
    back = resume.launch()
    assert "Welcome back" in back.text and "with the ball roll" in back.text
    carry_on = resume.say("Yes")
    assert carry_on.text.startswith(
        "Carrying on with the ball roll. Only go as far as is comfortable. Ball under your left"
    )


def test_a_stop_in_the_middle_of_a_part_offers_to_redo_it(person: Driver) -> None:
    to_toe_curl_work(person)  # toe curls: about 80 seconds
    later(person, 20)
    person.say("Stop")
    back = driver()
    assert "with toe curls" in back.launch().text
    redo = back.say("Yes")
    assert redo.text.startswith("Carrying on with toe curls.")
    assert "Four on each foot, taking turns." in redo.text


def test_no_to_carrying_on_asks_before_starting_from_the_top(person: Driver) -> None:
    to_toe_curl_work(person)
    person.say("Stop")
    again = driver()
    again.launch()
    asked = again.say("No")
    assert asked.text.endswith("Would you like to start again from the top instead?")
    top = again.say("Yes")
    assert top.text.startswith("Starting from the beginning, then. Toe curls.")


def test_a_session_that_times_out_saves_its_place_quietly(person: Driver) -> None:
    to_toe_curl_work(person)
    person.say("Next")  # ball roll gate
    person.say("Next")  # right
    person.say("Next")  # left: the ball roll is done once it has been heard
    later(person, 100)
    ended = person.end("EXCEEDED_MAX_REPROMPTS")
    assert "outputSpeech" not in ended.body
    assert "with toe spreading" in driver().launch().text


def test_a_timeout_before_the_part_could_be_heard_does_not_count_it(person: Driver) -> None:
    to_toe_curl_work(person)
    person.end("USER_INITIATED")  # ended straight away
    assert "with toe curls" in driver().launch().text


def test_next_previous_repeat_skip_and_start_over_move_through_the_routine(person: Driver) -> None:
    toe_curls = to_toe_curl_work(person)
    roll_gate = person.say("Next")
    assert roll_gate.text.startswith("The ball roll.")
    assert person.say("Previous").text == toe_curls.text
    assert person.say("Repeat").text == toe_curls.text
    # At the prompt after toe curls, "skip" skips what was just announced: the ball roll.
    spreading = person.say("SkipIntent")
    assert spreading.text.startswith("Okay, skipping the ball roll. Toe spreading.")
    person.say("Next")  # ready
    tapping_feet = person.say("Next")
    assert tapping_feet.text.startswith("Tapping.")
    # In the middle of an exercise, "skip" skips the rest of it.
    pressure = person.say("SkipIntent")
    assert pressure.text.startswith("Okay, skipping tapping. Pressure isolation.")
    over = person.say("StartOver")  # two exercises done today: asks first
    assert over.text.endswith("Start again from the top?") and not over.ends
    top = person.say("Yes")
    assert top.text.startswith("Starting from the beginning, then. Toe curls.")
    first_again = person.say("Previous")
    assert first_again.text.startswith("This is the first part, so here it is again. Toe curls.")


def test_start_a_named_exercise_and_ask_how_to_do_one(person: Driver) -> None:
    person.launch()
    raises = person.say("StartExerciseIntent", exercise=("heel raises", "heel_toe_raises"))
    assert raises.text.startswith("Heel and toe raises, sitting tall")
    how = person.say("HowToIntent", exercise=("tapping", "tapping"))
    assert "Tapping:" in how.text and "twice a day" in how.text and not how.ends
    listing = person.say("ListExercisesIntent")
    assert "toe curls, the ball roll, toe spreading, tapping, pressure isolation and heel and" in (
        listing.text
    )
    assert listing.text.endswith("Say next for toe raises, when you're ready.")  # place kept


def test_how_to_outside_the_routine_offers_to_start_that_exercise(person: Driver) -> None:
    person.launch()
    how = person.say("HowToIntent", exercise=("ball roll", "ball_roll"))
    assert "circles one way" in how.text and "feel tense" in how.text
    assert how.text.endswith("Would you like to do the ball roll now?")
    assert person.say("Yes").text.startswith("The ball roll.")


def test_an_unknown_exercise_is_a_fallback_that_never_echoes(person: Driver) -> None:
    person.launch()
    unknown = person.say("StartExerciseIntent", exercise=("the jumping jacks", None))
    assert "jumping" not in unknown.text and "I don't have" not in unknown.text
    # An exercise we don't have gets the list of ours, not "please say yes or no".
    assert unknown.text.startswith("We don't have that one. The exercises are toe curls,")
    assert "yes or no" not in unknown.text and not unknown.ends
    chosen = person.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    assert chosen.text.startswith("Tapping.")


def test_help_and_fallback_are_contextual_and_vary(person: Driver) -> None:
    hello = person.launch()
    general = person.say("Help")
    assert "You can say start" in general.text and "we'll stop" in general.text
    assert general.text.endswith(hello.text.split(". ")[-1])  # asks the warm-up question again
    to_toe_curl_work(person)
    person.say("Next")
    during = person.say("Help")
    assert during.text.startswith("We're on the ball roll.")
    assert "next, repeat, go back, slower, faster, skip, or stop" in during.text
    first = person.say("Fallback")
    second = person.say("Fallback")
    assert first.text.startswith("Sorry, I didn't catch that.")
    assert not second.text.startswith("Sorry, I didn't catch that.")
    assert "say ready" in first.text.lower() and not first.ends and not second.ends


def test_slower_and_faster_re_pace_and_never_move_on(person: Driver) -> None:
    person.launch()
    feet = person.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    assert "[0.48 s]" in feet.text
    slower = person.say("SlowerIntent")
    assert slower.text.startswith("Sure, I'll count more slowly from now on.")
    assert slower.text.endswith("Shall we do that part again at the new pace?")
    again = person.say("Yes")
    assert again.text.startswith("Tapping.") and "[0.88 s]" in again.text  # 1.2 s apart
    person.say("SlowerIntent")
    slowest = person.say("Yes")
    assert "[1.28 s]" in slowest.text  # 1.6 s: twice the default
    assert "slowest" in person.say("SlowerIntent").text  # already slowest: says so
    person.say("Stop")
    returning = driver()
    returning.launch()
    tapping = returning.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    assert "[1.28 s]" in tapping.text  # remembered
    faster = returning.say("FasterIntent")
    assert faster.text.startswith("Okay, a little quicker from now on.")
    assert returning.say("Next").text.startswith("Hands only.")  # next goes on, once asked


def test_slower_after_the_last_tapping_round_does_not_start_standing_work(person: Driver) -> None:
    person.launch()
    person.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    person.say("Next")
    both = person.say("Next")
    assert both.text.startswith("Hands and feet together.")
    slower = person.say("SlowerIntent")
    assert "Pressure" not in slower.text and "stand" not in slower.text.lower()
    assert person.say("No").text.endswith("Say next for pressure isolation, when you're ready.")


def test_toe_curls_are_easy_now_switches_to_marbles_and_back(person: Driver) -> None:
    person.launch()
    easy = person.say("HarderIntent")
    assert "marbles" in easy.text and not easy.ends
    marbles = person.say("StartExerciseIntent", exercise=("toe curls", "toe_curls"))
    assert marbles.text.startswith("Toe curls with marbles. Put two bowls on the floor")
    right = person.say("Next")
    # Moving twenty marbles takes longer than the microphone waits: the way back.
    assert right.ends and "Alexa, start my foot routine" in right.text
    back = driver()
    assert "Shall we carry on" in back.launch().text
    left = back.say("Yes")
    assert "left foot" in left.text and left.ends
    no_marbles = driver()
    no_marbles.launch()
    towel = no_marbles.say("EasierIntent")
    assert "towel again" in towel.text and towel.text.endswith("toe curls now?")


@pytest.mark.parametrize(
    "intent", ["Stop", "Cancel", "Pause", "NavigateHome", "DoneForTodayIntent", "FetchIntent"]
)
def test_leaving_ends_the_session_with_a_way_back(person: Driver, intent: str) -> None:
    to_toe_curl_work(person)
    bye = person.say(intent)
    assert bye.ends
    assert "Alexa, start my foot routine" in bye.text
    assert "with toe curls" in driver().launch().text


@pytest.mark.parametrize("locale", ["en-GB", "en-CA", "en-AU", "en-IN"])
def test_other_english_locales(skill_env: Path, locale: str) -> None:
    person = driver(locale=locale)
    assert "Welcome to your foot routine" in person.launch().text
    assert person.say("No").text.startswith("Toe curls.")


def test_an_unsupported_locale_gets_a_short_note_and_english(skill_env: Path) -> None:
    person = driver(locale="de-DE")
    hello = person.launch()
    assert hello.text.startswith("I don't speak your language yet, so I'll carry on in English.")
    assert not hello.ends


def test_another_region_of_spanish_gets_spanish_without_a_note(skill_env: Path) -> None:
    hello = driver(locale="es-AR").launch()
    assert hello.text.startswith("Le doy la bienvenida a sus ejercicios de pies.")
    assert "English" not in hello.text and not hello.ends


def test_malformed_or_stale_session_attributes_recover(person: Driver) -> None:
    person.launch()
    person.say("No")
    for broken in (
        {"v": 2, "phase": 7, "segment": ["x"], "summary": "bad", "pending": {"x": 1}},
        {
            "v": 2,
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


def test_a_slot_with_no_resolution_is_never_echoed(person: Driver) -> None:
    person.launch()
    answer = person.say("HowToIntent", exercise=("my foot hurts", None))
    assert "foot hurts" not in answer.text
    assert answer.text.startswith("We don't have that one.") and not answer.ends


def test_skill_disabled_forgets_the_user(person: Driver) -> None:
    to_toe_curl_work(person)
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
    later_on = Driver(
        Conversation(
            user_id="amzn1.ask.account.days", api_endpoint=NO_API, timestamp="2026-11-07T09:00:00Z"
        )
    )
    later_on.launch()
    total = later_on.say("TotalDaysIntent")
    assert total.text.startswith("You've done the full routine on three days.")
    assert "in a row" not in total.text  # answers the question asked
    yesterday = later_on.say("YesterdayIntent")
    assert yesterday.text.startswith("Not yesterday. The last one was three days ago.")
    best = later_on.say("BestStreakIntent")
    assert best.text.startswith("Your best run is three days in a row.")
    assert later_on.say("StreakIntent").text.startswith("No run of days just now.")


def test_after_three_weeks_standing_raises_are_offered_not_forced(skill_env: Path) -> None:
    from datetime import date

    from skill.progress.records import ProgressUpdate
    from skill.store.sqlite import SQLiteProgressStore

    user = "amzn1.ask.account.three-weeks"
    store = SQLiteProgressStore(skill_env)
    ids = ROUTINE.ids
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
    assert raises.text.endswith("Say ready when you're holding on.")
    assert store.load(user).settings["raise_position"] == "standing"
    # Asked once: the next session does not ask again.
    again = Driver(
        Conversation(user_id=user, api_endpoint=NO_API, timestamp="2026-10-22T12:00:00Z")
    )
    assert "standing" not in again.launch().text


def test_raises_grow_gradually_when_the_person_agrees(skill_env: Path) -> None:
    from datetime import date

    from skill.progress.records import ProgressUpdate
    from skill.store.sqlite import SQLiteProgressStore

    user = "amzn1.ask.account.one-week"
    store = SQLiteProgressStore(skill_env)
    ids = ROUTINE.ids
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
