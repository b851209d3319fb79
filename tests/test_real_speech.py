"""Real speech and real bodies, through the Lambda entry: one test group per point of
the conversation's promise (safety, nothing echoed, no destructive ambiguity, the
microphone, an exact place, finishing, first contact, questions, honest saving,
the article's words, easier as well as harder)."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.store.dynamodb import DynamoDBProgressStore
from skill.store.sqlite import SQLiteProgressStore
from tests import suite_clock
from tests.alexa_driver import Answer, Driver
from tests.tcp_proxy import TcpRelay

pytest_plugins = ["tests.store_fixtures"]

NO_API = "https://127.0.0.1:1"
CARE = ("Let's stop there.", "Don't push through pain", "doctor or physical therapist")


def new_user() -> str:
    return f"amzn1.ask.account.{uuid.uuid4().hex}"


def person_with(store: Any = None, user: str | None = None, **talk: Any) -> Driver:
    """A person talking to a skill on `store` (default: the embedded store of skill_env)."""
    talk.setdefault("api_endpoint", NO_API)
    conversation = Conversation(user_id=user or new_user(), **talk)
    if store is None:
        return Driver(conversation)
    skill = build_skill(store=store)
    return Driver(conversation, handler=lambda event, ctx: invoke(skill, event, ctx))


def again(person: Driver, **talk: Any) -> Driver:
    """The same person on a new session (same skill, same store)."""
    talk.setdefault("api_endpoint", NO_API)
    talk.setdefault("timestamp", person.talk.timestamp)
    return Driver(Conversation(user_id=person.talk.user_id, **talk), handler=person.handler)


def wait(person: Driver, seconds: float) -> None:
    now = person.talk.timestamp or suite_clock.stamp()
    moved = datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=seconds)
    person.talk.timestamp = moved.strftime("%Y-%m-%dT%H:%M:%SZ")


def toe_curls(person: Driver) -> Answer:
    person.launch()
    person.say("No")  # no warm-up: the towel gate
    return person.say("Next")  # ready: toe curls themselves


def to_tapping(person: Driver) -> Answer:
    person.launch()
    return person.say("StartExerciseIntent", exercise=("tapping", "tapping"))


@pytest.fixture
def someone(skill_env: Path) -> Driver:
    return person_with()


# ---------------------------------------------------------------- 1. safety at any moment
SAFETY_MOMENTS = {
    "at the welcome": lambda p: p.launch(),
    "at the towel gate": lambda p: (p.launch(), p.say("No")),
    "during toe curls": toe_curls,
    "while counting taps": to_tapping,
    "at a yes/no question": lambda p: (
        p.launch(),
        p.say("HowToIntent", exercise=("ball roll", "ball_roll")),
    ),
    "after a fallback": lambda p: (toe_curls(p), p.say("Fallback")),
}


@pytest.mark.parametrize("moment", SAFETY_MOMENTS)
def test_a_pain_word_stops_at_once_anywhere(skill_env: Path, moment: str) -> None:
    person = person_with()
    SAFETY_MOMENTS[moment](person)
    stop = person.say("PainIntent")
    assert stop.ends, moment
    for words in CARE:
        assert words in stop.text, (moment, stop.text)
    assert "call" not in stop.text and "carry on" not in stop.text.lower()


@pytest.mark.parametrize(
    ("locale", "number"),
    [
        ("en-US", "nine one one"),
        ("en-GB", "nine nine nine"),
        ("en-AU", "triple zero"),
        ("en-IN", "one one two"),
    ],
)
def test_a_fall_or_chest_pain_adds_emergency_services(
    skill_env: Path, locale: str, number: str
) -> None:
    person = person_with(locale=locale)
    toe_curls(person)
    stop = person.say("EmergencyIntent")
    assert stop.ends and f"call {number} now" in stop.text
    assert stop.text.startswith("Let's stop there.") and "stay still and warm" in stop.text


def test_a_safety_stop_keeps_the_place_uncounted_and_asks_how_they_are(skill_env: Path) -> None:
    person = person_with()
    toe_curls(person)
    wait(person, 200)  # even heard in full, the exercise that hurt is not counted
    stop = person.say("SafetyIntent")
    assert "won't count toe curls as done" in stop.text and "kept your place" in stop.text
    stored = SQLiteProgressStore(skill_env).load(person.talk.user_id)
    assert not any(stored.exercises_by_date.values())
    # Adherence only: nothing about why they stopped is stored anywhere.
    raw = b"".join(p.read_bytes() for p in skill_env.parent.glob("progress.sqlite3*"))
    for word in (b"hurt", b"pain", b"dizzy", b"safety", b"symptom"):
        assert word not in raw
    back = again(person)
    hello = back.launch()
    assert hello.text.startswith("Welcome back.") and "How are you feeling" in hello.text
    assert "carry on" not in hello.text.lower()  # asks first, doesn't push
    better = back.say("FeelingBetterIntent")
    assert better.text.startswith("Good. Shall we carry on where you left off, with toe curls?")
    redo = back.say("Yes")
    assert redo.text.count("Only go as far as is comfortable.") == 1


def test_not_better_ends_gently_and_asks_again_next_time(skill_env: Path) -> None:
    person = person_with()
    toe_curls(person)
    person.say("SafetyIntent")
    back = again(person)
    back.launch()
    rest = back.say("No")
    assert rest.ends and "Rest today" in rest.text
    assert "How are you feeling" in again(person).launch().text


# ---------------------------------------------------------------- 2. nothing heard is echoed
def test_fallback_keeps_the_place_says_what_can_be_said_and_varies(someone: Driver) -> None:
    toe_curls(someone)
    answers = [someone.say("Fallback").text for _ in range(3)]
    assert len({a.split(".")[0] for a in answers}) == 3  # three different openings
    assert all("next" in a and not a.startswith("I don't have") for a in answers)
    roll = someone.say("Next")
    assert roll.text.startswith("The ball roll.")  # the place survived
    bye = someone.say("Stop")
    assert "kept your place" in bye.text


def test_an_unresolved_exercise_name_is_never_spoken_back(someone: Driver) -> None:
    toe_curls(someone)
    for heard in ("what's the time", "my foot hurts", "the kitchen sink"):
        answer = someone.say("StartExerciseIntent", exercise=(heard, None))
        assert heard not in answer.text and not answer.ends
        answer = someone.say("HowToIntent", exercise=(heard, None))
        assert heard not in answer.text and not answer.ends
    assert someone.say("Next").text.startswith("The ball roll.")


# ---------------------------------------------------------------- 3. no destructive ambiguity
def test_lets_go_mid_routine_carries_on_never_restarts(someone: Driver) -> None:
    to_tapping(someone)
    go = someone.say("StartRoutineIntent")
    assert go.text.startswith("Hands only.")


def test_im_done_finishes_for_today_with_the_place_kept(someone: Driver) -> None:
    to_tapping(someone)
    done = someone.say("DoneForTodayIntent")
    assert done.ends and "Well done for today" in done.text and "kept your place" in done.text
    assert "with tapping" in again(someone).launch().text


def test_yes_or_okay_only_answer_a_question_that_was_asked(someone: Driver) -> None:
    work = toe_curls(someone)
    okay = someone.say("Yes")
    assert okay.text == "Say next for the ball roll, when you're ready."  # just the instruction
    assert someone.say("Next").text.startswith("The ball roll.")
    gate = someone.say("Yes")  # at a ready gate, okay is not "ready"
    assert gate.text == "Say ready when the ball is under your right foot."
    assert work.text not in gate.text


def test_wait_keeps_the_session_open_with_take_your_time(someone: Driver) -> None:
    someone.launch()
    someone.say("No")
    held = someone.say("WaitIntent")
    assert held.text == "Take your time. Say ready when the towel is under your feet."
    assert not held.ends and "wait" in held.reprompt


def test_pardon_repeats_the_instruction_and_repeat_the_segment(someone: Driver) -> None:
    work = toe_curls(someone)
    pardon = someone.say("PardonIntent")
    assert pardon.text == "Say next for the ball roll, when you're ready."
    assert len(pardon.text) < len(work.text) / 5
    assert someone.say("Repeat").text == work.text


def test_start_over_asks_first_once_exercises_are_done(someone: Driver) -> None:
    toe_curls(someone)
    assert someone.say("StartOver").text.startswith("Starting from the beginning")  # none done
    toe_curls(someone)
    someone.say("Next")  # ball roll gate: toe curls done
    someone.say("Next")
    someone.say("Next")
    someone.say("Next")  # spreading gate: the ball roll done too
    ask = someone.say("StartOver")
    assert ask.text == "You've already done two exercises today. Start again from the top?"
    kept = someone.say("No")
    assert kept.text.endswith("Say ready when it's by your right big toe.")


# ---------------------------------------------------------------- 4. the microphone
def test_a_timeout_at_a_ready_gate_brings_the_next_launch_back_to_it(someone: Driver) -> None:
    toe_curls(someone)
    someone.say("Next")  # the ball roll's gate: off to find a ball
    someone.end("EXCEEDED_MAX_REPROMPTS")
    back = again(someone)
    assert "with the ball roll" in back.launch().text
    assert back.say("Yes").text.endswith("Say ready when the ball is under your right foot.")


def test_fetching_something_ends_with_the_way_back(someone: Driver) -> None:
    someone.launch()
    someone.say("No")
    fetch = someone.say("FetchIntent")
    assert fetch.ends and "Alexa, start my foot routine" in fetch.text
    back = again(someone)
    back.launch()
    assert back.say("Yes").text.endswith("Say ready when the towel is under your feet.")


# ---------------------------------------------------------------- 5. the place is exact
def test_standing_work_is_always_entered_through_the_hold_on_cue(someone: Driver) -> None:
    someone.launch()
    raises = someone.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    assert raises.text.startswith("Heel and toe raises, sitting tall")
    back = someone.say("Previous")  # from seated raises into standing work
    assert back.text.startswith("Pressure isolation.") and "sturdy chair" in back.text
    assert "still holding on" not in back.text
    assert back.text.endswith("Say ready when you're holding on.")
    both = someone.say("Next")
    assert both.text.startswith("Both feet together now, still holding on.")
    jumped = someone.say("StartExerciseIntent", exercise=("pressure", "pressure_isolation"))
    assert jumped.text.startswith("Pressure isolation.") and "counter" in jumped.text


def test_resuming_standing_work_gives_the_cue_first(someone: Driver) -> None:
    someone.launch()
    someone.say("StartExerciseIntent", exercise=("pressure", "pressure_isolation"))
    someone.say("Next")  # right foot
    wait(someone, 60)
    someone.say("Stop")  # heard in full: resume at the left foot
    back = again(someone)
    back.launch()
    cue = back.say("Yes")
    assert "sturdy chair" in cue.text and cue.text.endswith("Say ready when you're holding on.")
    assert back.say("Next").text.startswith("Left foot.")


# ---------------------------------------------------------------- 6. finishing
def test_skipped_exercises_are_offered_at_the_end_and_filling_in_counts_the_day(
    someone: Driver,
) -> None:
    toe_curls(someone)
    someone.say("Next")  # ball roll gate
    someone.say("Next")  # right
    skipped = someone.say("SkipIntent")
    assert skipped.text.startswith("Okay, skipping the ball roll. Toe spreading.")
    answer = skipped
    while "Shall we do the ball roll now?" not in answer.text:
        answer = someone.say("Next")
        assert not answer.ends, answer.text
    assert "Still to do today: the ball roll. Shall we do the ball roll now? It takes about" in (
        answer.text
    )
    assert "That's the whole routine" not in answer.text
    gate = someone.say("Yes")
    assert gate.text.startswith("The ball roll.")
    someone.say("Next")
    done = someone.say("Next")  # the left foot: the last gap filled
    assert done.text.endswith("Would you like me to remind you every day?")  # the first day
    assert "That's the whole routine. Well done. That's one day now." in done.text


def test_no_to_the_skipped_offer_ends_with_what_is_left(someone: Driver) -> None:
    someone.launch()
    someone.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    offer = someone.say("Next")
    assert "Still to do today: toe curls, the ball roll" in offer.text
    assert "Shall we do toe curls now?" in offer.text
    no = someone.say("No")
    assert no.ends and "Still to do: toe curls, the ball roll" in no.text


def test_a_routine_that_crosses_midnight_counts_for_the_day_it_started(skill_env: Path) -> None:
    person = person_with(timestamp="2026-11-24T23:55:00Z")
    person.launch()
    person.say("No")
    person.say("Next")
    wait(person, 600)  # past midnight
    answer = person.next_until_end()
    assert "That's one day now." in answer.text
    stored = SQLiteProgressStore(skill_env).load(person.talk.user_id)
    assert stored.completed_days == {"2026-11-24"}


# ---------------------------------------------------------------- 7. first contact
def test_a_one_shot_first_contact_gets_the_not_medical_advice_line_first(skill_env: Path) -> None:
    person = person_with()
    tapping = person.send(
        person.talk.intent("StartExerciseIntent", {"exercise": ("tapping", "tapping")})
    )
    assert tapping.text.startswith("A quick note first: I guide the exercises, but I don't")
    assert tapping.text.index("doctor") < tapping.text.index("Tapping.")
    assert "Only go as far as is comfortable." in tapping.text
    person.talk.end()
    later = person.send(person.talk.intent("ProgressIntent"))
    assert "doctor" not in later.text  # once


# ---------------------------------------------------------------- 8. questions people ask
def test_questions_get_their_own_answers_and_keep_the_place(someone: Driver) -> None:
    someone.launch()
    whole = someone.say("HowLongIntent")
    assert whole.text.startswith("The whole routine takes about twelve minutes.")
    need = someone.say("WhatDoINeedIntent")
    assert need.text.startswith("You'll need a small towel, a tennis ball, a golf ball and")
    someone.say("No")
    someone.say("Next")
    left = someone.say("HowLongIntent")
    assert left.text.startswith("About eleven minutes to go.")
    assert someone.say("WhatsNextIntent").text.startswith("Next is the ball roll.")
    assert someone.say("WhatDoINeedIntent").text.startswith(
        "For the ball roll, you'll need a tennis ball or golf ball."
    )
    for question in ("HowLongIntent", "WhatsNextIntent", "WhatDoINeedIntent", "Help"):
        answer = someone.say(question)
        assert answer.text.endswith("Say next for the ball roll, when you're ready."), question
    assert someone.say("Next").text.startswith("The ball roll.")


def test_i_lost_count_restarts_the_count(someone: Driver) -> None:
    feet = to_tapping(someone)
    again_ = someone.say("LostCountIntent")
    assert again_.text.startswith("No problem. Let's count that again from one. Tapping.")
    assert again_.text.count("One.") == feet.text.count("One.")


# ---------------------------------------------------------------- 11. easier as well as harder
def test_too_hard_steps_down_and_reps_and_order_are_chosen_by_voice(skill_env: Path) -> None:
    person = person_with()
    person.launch()
    person.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    too_many = person.say("SetRepsIntent", count=("forty", "40"))
    assert too_many.text.startswith("For heel and toe raises, I can do between ten and thirty")
    fourteen = person.say("SetRepsIntent", count=("fourteen", "14"))
    assert fourteen.text.startswith("Okay, fourteen on each foot for heel and toe raises")
    fewer = person.say("EasierIntent")  # "this is too hard"
    assert fewer.text.startswith("Okay, twelve on each foot from now on.")
    person.say("Stop")
    back = again(person)
    back.launch()
    back.say("StartExerciseIntent", exercise=("toe curls", "toe_curls"))  # the towel gate
    order = back.say("ToeCurlOrderIntent", order=("one foot at a time", "blocked"))
    assert "all on one foot" in order.text
    five = back.say("SetRepsIntent", count=("five", "5"))
    assert five.text.startswith("Okay, five on each foot for toe curls")
    curls = back.say("Next")
    assert curls.text.startswith("Five in a row with your right foot, then five with your left.")
    raises = back.say("StartExerciseIntent", exercise=("raises", "heel_toe_raises"))
    assert "Twelve." in raises.text  # remembered from the last session


# ---------------------------------------------------------------- 9. saving is honest
@pytest.mark.parametrize(
    ("leaving", "unsaved"),
    [
        ("Stop", "I couldn't save your place just now"),
        ("Pause", "I couldn't save your place just now"),
        ("DoneForTodayIntent", "I couldn't save your place just now"),
        ("SafetyIntent", "I couldn't save your place just now"),
    ],
)
def test_leaving_when_the_store_is_down_says_so_and_saves_next_launch(
    relay: tuple[TcpRelay, str], leaving: str, unsaved: str
) -> None:
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    person = person_with(store)
    toe_curls(person)
    person.say("Next")  # ball roll gate: toe curls count (saved)
    person.say("Next")  # right foot
    proxy.cut()
    wait(person, 90)
    bye = person.say(leaving)
    assert bye.ends and unsaved in bye.text
    assert "kept your place" not in bye.text and "I've saved" not in bye.text
    proxy.restore()
    back = again(person)
    hello = back.launch()  # the same process kept the change: its first write saves it
    stored = store.load(person.talk.user_id)
    assert stored.position is not None and stored.position.exercise == "ball_roll"
    if leaving == "SafetyIntent":
        assert "How are you feeling" in hello.text
    else:
        assert "with the ball roll" in hello.text


def test_the_finishing_turn_when_the_store_fails_apologises_once(
    relay: tuple[TcpRelay, str],
) -> None:
    proxy, table = relay
    store = DynamoDBProgressStore(table, endpoint_url=proxy.endpoint)
    person = person_with(store)
    answer = toe_curls(person)
    while not answer.text.startswith("Heel and toe raises"):
        answer = person.say("Next")  # up to the last segment but one
    from tests.store_fixtures import CallCounter

    counter = CallCounter.attach(store.client)
    proxy.cut()
    finish = person.say("Next")
    assert not finish.ends and finish.text.count("couldn't save") == 1
    # One write in the turn (refused at once, so tried again inside its 0.8 s), no second one.
    assert counter.calls["UpdateItem"] >= 1 and finish.text.count("couldn't save") == 1
    proxy.restore()
    saved = person.say("Next")
    assert "That's one day now." in saved.text and saved.text.count("couldn't save") == 0
    assert saved.text.endswith("Would you like me to remind you every day?")  # the first day


class SilentServer:
    """Accepts connections and never answers: a store that never replies."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_store_that_never_answers_still_gets_an_answer_within_three_seconds(
    aws_env: None,
) -> None:
    silent = SilentServer()
    try:
        store = DynamoDBProgressStore(
            "NeverAnswers", endpoint_url=f"http://127.0.0.1:{silent.port}"
        )
        person = person_with(store)
        # Unread, a stop last time cannot be ruled out: "fine" answers the check-in first.
        for step in ("launch", "FeelingBetterIntent", "No", "Next", "Stop"):
            started = time.monotonic()
            answer = person.launch() if step == "launch" else person.say(step)
            took = time.monotonic() - started
            assert took < 3.0, (step, took)  # Alexa waits about 8 s; we promise 3
            assert answer.text
        assert "couldn't save your place" in answer.text
    finally:
        silent.close()


def test_a_locked_embedded_store_is_a_failure_in_time_not_a_hang(skill_env: Path) -> None:
    person = person_with()
    toe_curls(person)
    lock = sqlite3.connect(skill_env, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        bye = person.say("Stop")
        assert time.monotonic() - started < 3.0
        assert "couldn't save your place" in bye.text
    finally:
        lock.rollback()
        lock.close()
