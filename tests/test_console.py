"""`python -m skill chat`: type what you would say, read what Alexa would say."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from skill.dev.utterances import matcher


def chat(lines: list[str], database: Path, *options: str) -> str:
    env = {**os.environ, "PROGRESS_DB": str(database), "DEFAULT_TIME_ZONE": "UTC"}
    env.pop("PROGRESS_TABLE", None)
    done = subprocess.run(
        [sys.executable, "-m", "skill", "chat", *options],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert done.stderr == "", done.stderr  # no stack trace, no log noise
    return done.stdout


def test_a_person_can_talk_to_the_skill_and_progress_persists(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    first = chat(
        ["Alexa, start my foot routine", "no thanks", "ready", "next", "Umm, what?", "stop"],
        database,
    )
    assert "Alexa: Welcome to your foot routine." in first
    assert "Hold. [3 s] Let go." in first  # pauses shown as [3 s]
    assert first.count("Say ready when the ball is under your right foot.") >= 2  # "what?"
    assert "(session ended)" in first
    second = chat(["start my foot routine", "yes", "how many days have I completed"], database)
    assert "Welcome back. Shall we carry on where you left off, with the ball roll?" in second
    assert "Carrying on where you left off. The ball roll." in second  # named once
    assert "You haven't finished a full routine yet." in second


def test_one_shot_questions_and_unknown_words(tmp_path: Path) -> None:
    out = chat(
        ["ask my foot routine how many days I've completed", "start the jumping jacks"],
        tmp_path / "p.sqlite3",
    )
    assert "You haven't finished a full routine yet." in out
    assert "jumping" not in out.replace("You: start the jumping jacks", "")
    assert "We don't have that one. The exercises are" in out  # the list of ours


def test_typed_words_match_the_models_own_samples_and_values() -> None:
    heard = matcher().match("Let's do heel raises")
    assert (heard.intent, heard.slots) == (
        "StartExerciseIntent",
        {"exercise": ("heel raises", "heel_toe_raises")},
    )
    assert matcher().match("Alexa, start my foot routine").kind == "launch"
    assert matcher().match("A bit slower, please.").intent == "SlowerIntent"
    assert matcher().match("blue cheese").intent == "AMAZON.FallbackIntent"
    unknown = matcher().match("start the jumping jacks")
    assert unknown.intent == "StartExerciseIntent"
    assert unknown.slots == {"exercise": ("the jumping jacks", None)}


def test_spoken_times_resolve_as_alexa_sends_them() -> None:
    from skill.dev.utterances import spoken_time

    assert spoken_time("nine") == "09:00"  # the hour as said; the skill confirms the half
    assert spoken_time("nine in the morning") == "09:00"
    assert spoken_time("half past eight in the evening") == "20:30"
    assert spoken_time("quarter to seven") == "06:45"
    assert spoken_time("at seven pm") == "19:00"
    assert spoken_time("evening") == "EV" and spoken_time("noon") == "12:00"
    assert spoken_time("blue cheese") is None
    heard = matcher().match("nine in the morning please")
    assert (heard.intent, heard.slots["time"][1]) == ("SetReminderIntent", "09:00")


def test_the_console_speaks_spanish_and_hears_it_typed_without_accents(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    lines = ["Alexa, abre mis ejercicios de pies", "no gracias", "lista", "mas despacio",
             "salta este", "atras", "pausa"]  # fmt: skip
    first = chat(lines, database, "--locale", "es-MX")
    assert "Alexa: Le doy la bienvenida a sus ejercicios de pies." in first
    assert "Mantenga. [3 s] Suelte." in first
    assert "Claro, a partir de ahora contaré más despacio." in first
    assert "Muy bien, saltamos el masaje con pelota." in first
    assert "hacemos una pausa" in first and "(session ended)" in first
    again = chat(["pregunta a mis ejercicios de pies cuantos dias llevo", "me he caído"],
                 database, "--locale", "es-ES")  # fmt: skip
    assert "Todavía no ha terminado ninguna rutina completa." in again
    assert "llame ahora al uno uno dos" in again
    assert "Sorry" not in first + again


def test_spanish_times_as_alexa_resolves_them() -> None:
    said = matcher("es-US")
    for words, value in [("a las nueve de la mañana", "09:00"), ("a las ocho y media", "08:30"),
                         ("a la una de la tarde", "13:00"), ("las nueve de la noche", "21:00"),
                         ("a las nueve menos cuarto", "08:45"), ("por la tarde", "AF"),
                         ("a mediodía", "12:00")]:  # fmt: skip
        heard = said.match(words)
        assert heard.intent == "SetReminderIntent", words
        assert heard.slots["time"][1] == value, words


def test_care_partner_words_are_typed_as_alexa_would_send_them(tmp_path: Path) -> None:
    heard = matcher().match("The code is four five six, seven eight nine")
    assert (heard.intent, heard.slots) == (
        "CodeIntent",
        {"code": ("four five six seven eight nine", "456789")},
    )
    message = matcher().match("Tell her well done, love")
    assert message.intent == "SendMessageIntent"
    assert message.slots["message"][1] == "well done love"
    # Never swallowed as a message: numbness is told as a symptom, pain as pain.
    assert matcher().match("my feet have gone numb").intent == "SymptomIntent"
    assert matcher().match("my knee hurts").intent == "PainIntent"
    out = chat(
        ["start my foot routine", "could my daughter see how I'm doing", "yes please"],
        tmp_path / "p.sqlite3",
    )
    assert "never how you felt" in out
    assert "Here's the code." in out and "Once more." in out
