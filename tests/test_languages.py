"""The same conversations in every locale, through the real Lambda entry.

Each test runs once per locale the skill is published in (skill/locales/languages.toml) and
states what should be heard by copy key, so a language is held to exactly what English is.
Text pinned to one language lives in the other conversation tests; here, only the words of
the locale's own catalogue count, and the leak test checks that no other language's words
slip into an answer or a reprompt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.envelopes import Conversation
from skill.progress.records import ProgressUpdate
from skill.reminders.spoken_time import LocalTime, say_time
from skill.routine.model import load_routine
from skill.speech.copy import SUPPORTED_LOCALES, Copy, copy_for
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Driver
from tests.household import HouseholdConversation
from tests.reminders_api import RemindersApi

NO_API = "https://127.0.0.1:1"
USER = "amzn1.ask.account.languages"
MORNING = "2026-11-30T13:00:00Z"  # a Monday; 08:00 in New York, the fake API's zone


@pytest.fixture(params=SUPPORTED_LOCALES)
def locale(request: pytest.FixtureRequest, skill_env: Path) -> str:
    return str(request.param)


def person(locale: str, user: str = USER) -> Driver:
    return Driver(Conversation(user_id=user, locale=locale, api_endpoint=NO_API))


def said(copy: Copy, key: str, **values: Any) -> str:
    return copy.say(key, **values)


def test_first_run_note_warm_up_and_the_way_back(locale: str) -> None:
    words = copy_for(locale)
    hello = person(locale).launch()
    assert said(words, "safety.not_medical_advice") in hello.text
    assert hello.text.endswith(said(words, "welcome.offer_warm_up"))
    first = words.exercise_name(load_routine().ids[0])
    assert hello.reprompt == said(words, "welcome.offer_warm_up_reprompt", name=first)
    again = person(locale).launch()
    assert said(words, "safety.not_medical_advice") not in again.text  # once, at first use
    assert again.text.startswith(said(words, "welcome.back"))


def test_warm_up_ends_the_session_with_the_way_back(locale: str) -> None:
    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    warm = talk.say("Yes")
    assert said(words, "warm_up.check") in warm.text
    first = words.exercise_name(load_routine().ids[0])
    assert warm.ends and warm.text.endswith(said(words, "prompts.after_warm_up", name=first))


def test_the_whole_routine_counts_the_day(locale: str) -> None:
    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    gate = talk.say("No")
    assert gate.text.startswith(said(words, "toe_curls.intro"))
    assert gate.reprompt.startswith(said(words, "toe_curls.ready"))
    last = talk.next_until_end()
    assert said(words, "prompts.finished") in last.text
    assert said(words, "progress.finished_counts", days=said(words, "progress.days.one")) in (
        last.text
    )
    assert said(words, "milestones.first_day") in last.text
    assert last.text.endswith(said(words, "reminders.offer"))
    assert talk.say("No").text.endswith(said(words, "moves.see_you"))
    asked = person(locale)
    total = asked.send(asked.talk.intent("TotalDaysIntent"))
    assert said(words, "progress.total", days=said(words, "progress.days.one")) in total.text


def test_the_counts_are_spoken_in_the_language(locale: str) -> None:
    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    talk.say("No")
    work = talk.say("Next")
    reps = words.number(load_routine().exercise("toe_curls").params["reps_per_foot"]["default"])
    assert work.text.startswith(said(words, "toe_curls.plan_alternating", reps=reps))
    assert work.ssml.count('<break time="3s"/>') >= 8  # the holds: exact silences


def test_every_control_in_the_routine(locale: str) -> None:
    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    talk.say("No")  # the toe curls' ready gate
    wait = talk.say("WaitIntent")
    assert wait.text.startswith(said(words, "moves.take_your_time")) and not wait.ends
    talk.say("Next")
    assert said(words, "moves.slower") in talk.say("SlowerIntent").text
    assert said(words, "moves.faster") in talk.say("FasterIntent").text
    assert said(words, "toe_curls.spread") in talk.say("Repeat").text
    skipped = talk.say("SkipIntent")
    assert skipped.text.startswith(said(words, "moves.skip", name=words.exercise_name("ball_roll")))
    back = talk.say("Previous")
    assert not back.ends
    paused = talk.say("Pause")
    assert paused.ends and said(words, "moves.pause") in paused.text
    resumed = person(locale)
    resumed.launch()
    stopped = resumed.say("Stop")
    assert stopped.ends


def test_safety_stops_at_once_and_emergency_gives_the_countrys_number(locale: str) -> None:
    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    talk.say("No")
    talk.say("Next")
    stop = talk.say("SafetyIntent")
    assert stop.ends and stop.text.startswith(said(words, "safety.stop_now"))
    # Feeling faint: stay sitting, and the country's number if it doesn't pass.
    assert said(words, "symptoms.faint", number=words.emergency_number()) in stop.text
    other = person(locale, user="amzn1.ask.account.languages-2")
    other.launch()
    emergency = other.say("EmergencyIntent")
    number = words.emergency_number()
    assert said(words, "safety.emergency", number=number) in emergency.text and emergency.ends


def test_help_progress_and_what_next(locale: str) -> None:
    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    helped = talk.say("Help")
    assert said(words, "help.general") in helped.text and not helped.ends
    none = talk.say("ProgressIntent")
    assert said(words, "progress.none") in none.text
    assert said(words, "progress.yesterday_no") in talk.say("YesterdayIntent").text
    assert said(words, "progress.streak_none") in talk.say("StreakIntent").text
    names = [words.exercise_name(exercise) for exercise in load_routine().ids]
    listed = talk.say("ListExercisesIntent")
    assert said(words, "exercises.list", names=words.join(names)) in listed.text


# -- the daily reminder and the weekly card, with the fake Alexa APIs -------------------------
@pytest.fixture
def api(skill_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RemindersApi]:
    from skill.alexa import app

    server = RemindersApi(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
    app.reset()
    yield server
    server.close()


def household(api: RemindersApi, locale: str) -> tuple[Driver, HouseholdConversation]:
    talk = HouseholdConversation(
        user_id=USER, timestamp=MORNING, locale=locale, api_endpoint=api.endpoint,
        api_token="token", reminders_granted=True,
    )  # fmt: skip
    api.grant("token")
    return Driver(talk), talk


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_daily_reminder_in_the_language(api: RemindersApi, locale: str) -> None:
    words = copy_for(locale)
    driver, talk = household(api, locale)
    driver.launch()
    asked = driver.send(talk.time_intent("SetReminderIntent", "09:00"))
    nine = say_time(LocalTime(9, 0), words)
    assert asked.text.endswith(said(words, "reminders.confirm", time=nine))
    done = driver.say("Yes")
    assert done.text.startswith(said(words, "reminders.set", time=nine))
    (reminder,) = api.reminders.values()
    (spoken,) = reminder["alertInfo"]["spokenInfo"]["content"]
    assert spoken == {"locale": locale, "text": said(words, "reminders.spoken")}
    half = driver.send(talk.time_intent("SetReminderIntent", "20:30"))
    assert said(words, "reminders.time.evening", clock=said(
        words, "reminders.time.half_past", hour=words.hour(8))) in half.text  # fmt: skip


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_weekly_card_in_the_language(api: RemindersApi, skill_env: Path, locale: str) -> None:
    words = copy_for(locale)
    store = SQLiteProgressStore(skill_env)
    routine = load_routine().ids
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-29"):
        store.save(USER, ProgressUpdate(exercises_done={day: frozenset(routine)}), routine)
    store.close()
    driver, _ = household(api, locale)
    driver.launch()
    answer = driver.say("ProgressIntent")
    assert said(words, "card.sent") in answer.text
    card = answer.body["card"]
    assert card["title"] == said(words, "card.title")
    monday = words.raw("card.weekdays")[0]
    assert card["content"].splitlines()[0] == said(words, "card.day_today_open", day=monday)
    assert said(words, "card.total", total=4) in card["content"]


# -- no word of another language --------------------------------------------------------------
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
SHARED = {"alexa", "v", "no", "a", "me", "son", "once", "sí"}  # names, and words both share


def vocabulary(copy: Copy) -> set[str]:
    """Every word of a locale's catalogue, and its country's emergency number as said there."""
    words: set[str] = {word.lower() for word in WORD.findall(copy.emergency_number())}
    for key in copy.sentence_keys():
        value = copy.raw(key)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                words |= {word.lower() for word in WORD.findall(PLACEHOLDERS.sub(" ", text))}
    return words


PLACEHOLDERS = re.compile(r"\{[^}]*\}")
PAUSE = re.compile(r"\[[\d.]+ s\]")  # a silence, as the console shows it
TURNS = [
    ("Help", {}), ("ProgressIntent", {}), ("ListExercisesIntent", {}), ("HowLongIntent", {}),
    ("WhatDoINeedIntent", {}), ("HowToIntent", {"exercise": ("x", "tapping")}),
    ("HowToIntent", {"exercise": ("x", "toe_curls")}), ("No", {}), ("WaitIntent", {}),
    ("PardonIntent", {}), ("Fallback", {}), ("Next", {}), ("SlowerIntent", {}),
    ("FasterIntent", {}), ("LostCountIntent", {}), ("WhatsNextIntent", {}), ("EasierIntent", {}),
    ("HarderIntent", {}), ("SetRepsIntent", {"count": ("x", "5")}), ("ThanksIntent", {}),
    ("ToeCurlOrderIntent", {"order": ("x", "blocked")}), ("SkipIntent", {}),
    ("StreakIntent", {}), ("BestStreakIntent", {}), ("ThisWeekIntent", {}),
    ("YesterdayIntent", {}), ("ReadReminderIntent", {}), ("StartOver", {}), ("Yes", {}),
    ("Next", {}), ("Next", {}), ("Previous", {}), ("Repeat", {}), ("WarmUpIntent", {}),
    ("StartExerciseIntent", {"exercise": ("x", "heel_toe_raises")}), ("Next", {}),
    ("FetchIntent", {}),
]  # fmt: skip


def conversation_words(locale: str) -> list[str]:
    """Every answer and reprompt of a walk through most of what can be said, then the whole
    routine to its end and the safety stops."""
    heard: list[str] = []
    talk = person(locale, user=f"amzn1.ask.account.leak-{locale}")
    answers = [talk.launch()]
    for intent, slots in TURNS:
        if answers[-1].ends:
            answers.append(talk.launch())
        answers.append(talk.say(intent, **slots))
    routine = person(locale, user=f"amzn1.ask.account.leak-all-{locale}")
    answers += [routine.launch(), routine.say("No"), routine.next_until_end()]
    answers += [routine.say("Yes"), routine.say("ReadReminderIntent")]
    for intent in ("SafetyIntent", "EmergencyIntent", "DoneForTodayIntent", "Stop", "Cancel"):
        again = person(locale, user=f"amzn1.ask.account.leak-{intent}-{locale}")
        again.launch()
        again.say("No")
        answers.append(again.say(intent))
    answers += talk.history + routine.history
    for answer in answers:
        heard += [answer.text, answer.reprompt]
    return heard


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_word_of_another_language_in_any_answer(skill_env: Path, locale: str) -> None:
    own = vocabulary(copy_for(locale))
    others = set().union(
        *(vocabulary(copy_for(other)) for other in SUPPORTED_LOCALES if other[:2] != locale[:2])
    )
    foreign = others - own - SHARED
    assert len(foreign) > 300  # the check has teeth: hundreds of words to catch
    found = {}
    for text in conversation_words(locale):
        words = {word.lower() for word in WORD.findall(PAUSE.sub(" ", text))}
        if words & foreign or words - own - SHARED:
            found[text] = sorted((words & foreign) | (words - own - SHARED))
    assert found == {}


def test_the_leak_check_catches_an_untranslated_sentence() -> None:
    from skill.speech.copy import compiled_words, source_table, translated

    words = compiled_words("es-MX")
    del words["safety.take_care"]
    missing: set[str] = set()
    spanish = Copy("es-MX", translated(source_table(), words, missing))
    assert missing == {"safety.take_care"}
    english_only = vocabulary(copy_for("en-US")) - vocabulary(copy_for("es-MX")) - SHARED
    heard = {word.lower() for word in WORD.findall(spanish.say("safety.take_care"))}
    assert heard & english_only == {"take", "care"}


@pytest.mark.parametrize("locale", ["es-MX", "es-ES"])
def test_an_echo_show_shows_the_step_in_the_language(skill_env: Path, locale: str) -> None:
    from tests.screen_devices import SCREENS

    words = copy_for(locale)
    talk = Driver(
        Conversation(user_id=USER, locale=locale, api_endpoint=NO_API,
                     viewport=SCREENS["hub_landscape_small"])
    )  # fmt: skip
    talk.launch()
    answer = talk.say("No")
    (render,) = [d for d in answer.body["directives"] if d["type"].endswith("RenderDocument")]
    step = render["datasources"]["step"]
    assert step["safety"] == said(words, "screen.safety")
    assert step["buttons"] == {
        key: said(words, f"screen.{key}") for key in ("pause", "next", "stop")
    }
    assert said(words, "screen.next") == "Siguiente"


@pytest.mark.parametrize("locale", ["es-US", "es-ES"])
def test_sharing_with_a_relative_in_the_language(skill_env: Path, locale: str) -> None:
    from skill.dev.utterances import matcher

    words = copy_for(locale)
    talk = person(locale)
    talk.launch()
    heard = matcher(locale).match("quiero que mi hija vea cómo voy")
    assert heard.intent == "ShareProgressIntent"
    offer = talk.say("ShareProgressIntent", **heard.slots)
    assert said(words, "care.what_is_shared") in offer.text
    assert offer.text.endswith(said(words, "care.offer_code_question")) and not offer.ends
    code = matcher(locale).match("el código es cuatro cinco seis, siete ocho nueve")
    assert (code.intent, code.slots["code"][1]) == ("CodeIntent", "456789")
