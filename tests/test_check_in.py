"""After a safety stop, the next session checks in first, whatever opens it: a launch,
a one-shot ("Alexa, ask my foot routine to carry on"), or any intent. Exercise comes back
only after the person says they are all right, and standing work only through its
hold-on gate. Through the real Lambda entry."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skill.alexa.envelopes import Conversation
from tests.alexa_driver import Answer, Driver

NO_API = "https://127.0.0.1:1"  # no device: the Settings API fails at once
CHECK_IN = "How are you feeling today?"
PRESSURE = ("pressure isolation", "pressure_isolation")


def driver() -> Driver:
    return Driver(Conversation(user_id="amzn1.ask.account.check-in", api_endpoint=NO_API))


@pytest.fixture
def stopped_while_standing(skill_env: Path) -> Driver:
    """Halfway through pressure isolation (standing, at the counter), the knees hurt."""
    person = driver()
    person.launch()
    gate = person.say("StartExerciseIntent", exercise=PRESSURE)
    assert "hold" in gate.text.lower()  # the stand-and-hold gate
    person.say("Next")  # right foot
    stop = person.say("SafetyIntent")
    assert stop.ends and stop.text.startswith("Let's stop there.")
    return driver()  # a later session


def assert_check_in(answer: Answer) -> None:
    assert CHECK_IN in answer.text, answer.text
    assert not answer.ends and answer.attributes.get("phase") == "ask_feeling"
    assert "Right foot" not in answer.text and "Left foot" not in answer.text


# First words of a later session, as people say them (intent, slots).
OPENERS = {
    "carry on where I was": ("AMAZON.ResumeIntent", {}),
    "I'm back, next one": ("AMAZON.NextIntent", {}),
    "let's get going": ("StartRoutineIntent", {}),
    "start pressure isolation": ("StartExerciseIntent", {"exercise": PRESSURE}),
    "go back one": ("AMAZON.PreviousIntent", {}),
    "skip this one": ("SkipIntent", {}),
    "from the top": ("AMAZON.StartOverIntent", {}),
    "warm my feet up": ("WarmUpIntent", {}),
    "yes": ("AMAZON.YesIntent", {}),
    "make it harder": ("HarderIntent", {}),
    "how am I getting on": ("ProgressIntent", {}),
    "mumble": ("AMAZON.FallbackIntent", {}),
}


@pytest.mark.parametrize("words", sorted(OPENERS))
def test_any_first_words_after_a_stop_get_the_check_in(
    stopped_while_standing: Driver, words: str
) -> None:
    intent, slots = OPENERS[words]
    assert_check_in(stopped_while_standing.say(intent, **slots))


def test_a_launch_after_a_stop_gets_the_check_in(stopped_while_standing: Driver) -> None:
    assert_check_in(stopped_while_standing.launch())


def test_at_the_check_in_exercise_waits_for_the_answer(stopped_while_standing: Driver) -> None:
    person = stopped_while_standing
    person.launch()
    for intent, slots in (("StartExerciseIntent", {"exercise": PRESSURE}), ("SkipIntent", {})):
        assert_check_in(person.say(intent, **slots))
    # Questions are answered, and the check-in is asked again after them.
    answer = person.say("HowLongIntent")
    assert answer.text.endswith(CHECK_IN) and "minutes" in answer.text


def test_standing_work_comes_back_through_its_gate_after_i_feel_fine(
    stopped_while_standing: Driver,
) -> None:
    person = stopped_while_standing
    person.say("AMAZON.ResumeIntent")  # the one-shot: checked in
    offer = person.say("FeelingBetterIntent")
    assert "pressure isolation" in offer.text and offer.attributes["phase"] == "offer_resume"
    back = person.say("AMAZON.YesIntent")
    assert back.attributes["phase"] == "gate" and "hold" in back.text.lower()
    assert person.say("Next").attributes["phase"] == "routine"


def test_not_today_keeps_the_rest_mark_for_next_time(stopped_while_standing: Driver) -> None:
    person = stopped_while_standing
    person.launch()
    rest = person.say("AMAZON.NoIntent")
    assert rest.ends
    assert_check_in(driver().say("AMAZON.NextIntent"))


def test_a_safety_word_still_stops_before_the_check_in(stopped_while_standing: Driver) -> None:
    emergency = stopped_while_standing.say("EmergencyIntent")
    assert emergency.ends and "call nine one one" in emergency.text


def test_stop_as_the_first_words_gets_the_check_in_then_stop_leaves(
    stopped_while_standing: Driver,
) -> None:
    person = stopped_while_standing
    assert_check_in(person.say("AMAZON.StopIntent"))
    leaving = person.say("AMAZON.StopIntent")
    assert leaving.ends and CHECK_IN not in leaving.text
    assert_check_in(driver().launch())  # the rest mark stays


def test_a_store_that_cannot_be_read_gets_the_check_in_first(
    stopped_while_standing: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the last session ended in a stop is unknown: ask first (without saying
    "last time we stopped"), then carry on once the person is all right."""
    from skill.alexa import app

    stopped_while_standing.launch()  # the rest mark is saved (and checked in)
    blocker = Path(os.environ["PROGRESS_DB"]).parent / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    monkeypatch.setenv("PROGRESS_DB", str(blocker / "progress.sqlite3"))
    app.reset()
    person = driver()
    hello = person.say("StartExerciseIntent", exercise=PRESSURE)
    assert "can't reach your saved progress" in hello.text
    assert hello.text.endswith(CHECK_IN) and "Last time" not in hello.text
    offer = person.say("FeelingBetterIntent")
    assert "warm your feet" in offer.text
    assert person.say("AMAZON.NoIntent").attributes["phase"] == "gate"
