"""Screens through the real Lambda entry: a step screen with every step on every
viewport, touches answered like the words they stand for, the week after a progress
question with the figures the voice said, and nothing at all for a voice-only device."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.envelopes import Conversation
from skill.routine.model import load_routine
from skill.screens.choose import TOKEN
from skill.speech.copy import copy_for
from tests.alexa_driver import Answer, Driver
from tests.screen_devices import SCREENS

ROUTINE = load_routine()
COPY = copy_for("en-US")
NO_API = "https://127.0.0.1:1"  # no device APIs: a closed loopback port fails at once
RENDER = "Alexa.Presentation.APL.RenderDocument"
STEP_SEGMENTS = 16  # the default routine's segments (tests/test_routine_data.py keeps it)


def person(
    screen: str | None = "hub_landscape_small",
    user: str = "amzn1.ask.account.screen-user",
    day: str | None = None,
    **kw: Any,
) -> Driver:
    return Driver(
        Conversation(
            user_id=user,
            api_endpoint=NO_API,
            viewport=SCREENS[screen] if screen else None,
            timestamp=f"{day}T10:00:00Z" if day else None,
            **kw,
        )
    )


def screens(answer: Answer) -> list[dict[str, Any]]:
    return [d for d in answer.body.get("directives", []) if d["type"].startswith("Alexa.Pres")]


def shown(answer: Answer) -> dict[str, Any]:
    """The one screen sent with this answer: its datasource (step or progress)."""
    found = screens(answer)
    assert len(found) == 1 and found[0]["type"] == RENDER, answer.body
    assert found[0]["token"] == TOKEN
    source: dict[str, Any] = found[0]["datasources"]
    return source


def step_of(answer: Answer) -> dict[str, Any]:
    step: dict[str, Any] = shown(answer)["step"]
    return step


def touch(driver: Driver, word: str) -> Answer:
    return driver.send(driver.talk.touch([word], TOKEN))


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_step_of_the_routine_has_its_screen_on_every_viewport(
    skill_env: Path, screen: str
) -> None:
    """Launch, skip the warm-up, then touch Next to the end: every step shows
    "step n of m", the exercise, what the voice says, and the safety line."""
    talk = person(screen)
    hello = talk.launch()
    assert screens(hello) == []  # a question, not a step
    answer = talk.say("No")
    seen = []
    for _ in range(40):
        if answer.ends or answer.attributes.get("phase") == "offer_reminder":
            break
        step = step_of(answer)
        seen.append(step["position"])
        assert step["safety"] == "Say stop if it hurts"
        assert step["buttons"] == {"pause": "Pause", "next": "Next", "stop": "Stop"}
        exercise = answer.attributes["exercise"]
        assert step["exercise"].lower() == COPY.exercise_name(exercise).lower()
        for line in step["lines"]:
            assert line in answer.text  # one source: the screen's words are the voice's
        assert answer.text.endswith(step["lines"][-1])  # the prompt, last
        answer = touch(talk, "next")
    assert answer.text.startswith("That's the whole routine.") or "whole routine" in answer.text
    assert (
        seen == [f"Step {n} of {STEP_SEGMENTS}" for n in range(1, STEP_SEGMENTS + 1)][: len(seen)]
    )
    assert len(seen) == STEP_SEGMENTS - 1  # the last step finishes the day: words only


def test_a_voice_only_device_never_gets_a_screen(skill_env: Path) -> None:
    talk = person(None)
    answers = [talk.launch(), talk.say("No"), talk.say("Next"), talk.say("ProgressIntent")]
    answers.append(talk.next_until_end())
    for answer in answers:
        assert screens(answer) == []
        assert "Viewport" not in json.dumps(answer.envelope)


def test_apl_without_a_viewport_or_with_an_old_runtime_gets_no_screen(skill_env: Path) -> None:
    old = person(apl_version="1.8")
    old.launch()
    assert screens(old.say("No")) == []
    bare = person()
    bare.launch()
    request = bare.talk.intent("AMAZON.NoIntent")
    del request["context"]["Viewport"]
    answer = bare.send(request)
    assert screens(answer) == [] and answer.text.endswith("towel is under your feet.")


def test_the_hold_countdown_is_the_voices_own_holds(skill_env: Path) -> None:
    talk = person()
    talk.launch()
    talk.say("No")
    work = talk.say("Next")  # toe curls: grip and hold, let go and spread and hold
    step = step_of(work)
    hold = int(ROUTINE.exercise("toe_curls").params["hold_seconds"])
    breaks = re.findall(r'<break time="(\d+(?:\.\d+)?)s"/>', work.ssml)
    holds = [float(b) for b in breaks if float(b) >= 1]
    countdowns = [c["count"] for c in step["cues"] if c["count"]]
    starts = [int(c) for i, c in enumerate(countdowns) if i == 0 or countdowns[i - 1] in ("1", "")]
    assert holds and all(h == hold for h in holds)
    assert starts == [hold] * len(holds)  # one countdown from 3 for every 3-second hold
    assert countdowns[:hold] == [str(n) for n in range(hold, 0, -1)]
    timed = sum(c["ms"] for c in step["cues"] if c["count"])
    assert timed == pytest.approx(sum(holds) * 1000, abs=5)


def test_spoken_counts_show_as_numbers(skill_env: Path) -> None:
    talk = person()
    talk.launch()
    talk.say("No")
    talk.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    answer = talk.history[-1]
    step = step_of(answer)
    counts = [c["count"] for c in step["cues"] if c["count"]]
    assert counts[:8] == [str(n) for n in range(1, 9)]  # "eight right": 1 to 8 on screen
    assert step["drawing"] == "tapping"


def test_touching_next_pause_and_stop_answers_as_saying_them(skill_env: Path) -> None:
    """Two people side by side at the same moments: one speaks, one touches."""
    day = "2026-11-04"
    spoken = person(user="amzn1.ask.account.speaks", day=day)
    touched = person(user="amzn1.ask.account.touches", day=day)
    for talk in (spoken, touched):
        talk.launch()
        talk.say("No")
    pairs = [
        (spoken.say("Next"), touch(touched, "next")),
        (spoken.say("Pause"), touch(touched, "pause")),
    ]
    for talk in (spoken, touched):
        talk.launch()
    pairs.append((spoken.say("Yes"), touch(touched, "next")))  # carry on where we were
    pairs.append((spoken.say("Stop"), touch(touched, "stop")))
    for said, touch_answer in pairs:
        assert said.text == touch_answer.text
        assert said.ends == touch_answer.ends
        assert {k: v for k, v in said.attributes.items() if k != "narrated_at"} == {
            k: v for k, v in touch_answer.attributes.items() if k != "narrated_at"
        }
    # Saved alike: the next launch offers both the same place.
    assert spoken.launch().text == touched.launch().text


def test_an_unknown_touch_is_heard_as_a_fallback_not_an_error(skill_env: Path) -> None:
    talk, mumbles = person(), person(None, user="amzn1.ask.account.mumbles")
    for driver in (talk, mumbles):
        driver.launch()
        assert driver.say("No").attributes.get("phase") == "gate"
    for arguments in (["jump"], [], [42], [{"x": 1}]):
        answer = talk.send(talk.talk.touch(arguments, TOKEN))
        misheard = mumbles.say("FallbackIntent")  # what a misheard word gets
        assert answer.text == misheard.text and not answer.ends
        assert screens(answer) == []  # the step's screen stays as it was
    assert step_of(touch(talk, "next"))["position"] == "Step 2 of 16"


def test_a_touch_after_the_session_ended_starts_again_where_it_stopped(skill_env: Path) -> None:
    talk = person()
    talk.launch()
    talk.say("No")
    assert touch(talk, "stop").ends
    again = touch(talk, "next")  # the screen is still showing; a new session begins
    assert not again.ends and "toe curls" in again.text.lower()


def finish_day(day: str, user: str) -> None:
    talk = person(None, user=user, day=day)
    talk.launch()
    talk.say("No")
    talk.next_until_end()


def test_the_week_screen_shows_the_figures_the_voice_says(skill_env: Path) -> None:
    user = "amzn1.ask.account.weekly"
    for day in ("2026-11-02", "2026-11-03"):  # Monday, Tuesday
        finish_day(day, user)
    talk = person("hub_landscape_medium", user=user, day="2026-11-04")  # Wednesday
    talk.launch()
    answer = talk.say("ProgressIntent")
    week = shown(answer)["progress"]
    assert week["title"] == "Your week"
    assert [d["name"] for d in week["days"]] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert [d["done"] for d in week["days"]] == [True, True] + [False] * 5
    assert [d["today"] for d in week["days"]].index(True) == 2
    figures = {f["label"]: int(f["value"]) for f in week["figures"]}
    assert figures == {"Days this week": 2, "Days in a row": 2, "Days in all": 2}
    assert "two days" in answer.text and "two days in a row" in answer.text.replace(
        "two in a row", "two days in a row"
    )
    streak = talk.say("StreakIntent")
    assert shown(streak)["progress"]["figures"] == week["figures"]
    assert COPY.number(figures["Days in a row"]) in streak.text
    assert screens(talk.say("BestStreakIntent")) == []  # not a week's figure


def test_finishing_today_marks_today_on_the_week(skill_env: Path) -> None:
    user = "amzn1.ask.account.today"
    talk = person("hub_round_small", user=user, day="2026-11-05")  # Thursday
    talk.launch()
    talk.say("No")
    end = talk.next_until_end()
    if not end.ends:
        end = talk.say("No")  # no reminder, thanks
    talk = person("hub_round_small", user=user, day="2026-11-05")
    talk.launch()
    week = shown(talk.say("ThisWeekIntent"))["progress"]
    assert [d["done"] for d in week["days"]] == [False, False, False, True, False, False, False]
    assert week["days"][3]["today"] and week["days"][3]["letter"] == "T"


def test_the_token_is_the_same_for_every_screen_of_a_session(skill_env: Path) -> None:
    talk = person("hub_landscape_xlarge")
    talk.launch()
    answers = [talk.say("No"), touch(talk, "next"), talk.say("ProgressIntent"), talk.say("Next")]
    tokens = {d["token"] for a in answers for d in screens(a)}
    assert tokens == {TOKEN}


def test_the_test_devices_are_the_viewport_profiles_they_are_named_after() -> None:
    """Checked by the ASK SDK's own classifier (it has no hub XLARGE: it says LARGE)."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_core.utils.viewport import get_viewport_profile

    for name, viewport in SCREENS.items():
        request = json.dumps(Conversation(viewport=viewport).launch())
        envelope = DefaultSerializer().deserialize(request, "ask_sdk_model.RequestEnvelope")
        expected = name.upper().replace("HUB_LANDSCAPE_XLARGE", "HUB_LANDSCAPE_LARGE")
        assert get_viewport_profile(envelope).value == expected


def test_the_manifest_asks_for_apl_on_every_test_device() -> None:
    """Alexa sends the APL interface only for viewports the skill's manifest declares."""
    manifest = json.loads(
        (Path(__file__).parents[1] / "interaction_model" / "skill.json").read_text()
    )
    (apl,) = manifest["manifest"]["apis"]["custom"]["interfaces"]
    assert apl["type"] == "ALEXA_PRESENTATION_APL"
    for name, viewport in SCREENS.items():
        width = viewport["pixelWidth"] * 160 // viewport["dpi"]  # dp
        height = viewport["pixelHeight"] * 160 // viewport["dpi"]
        declared = [
            v
            for v in apl["supportedViewports"]
            if v["mode"] == viewport["mode"]
            and v["shape"] == viewport["shape"]
            and v["minWidth"] <= width <= v["maxWidth"]
            and v["minHeight"] <= height <= v["maxHeight"]
        ]
        assert len(declared) == 1, name


def test_a_screen_that_would_break_the_size_limit_is_left_out_and_the_words_stay(
    skill_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.alexa import screens as alexa_screens

    monkeypatch.setattr(alexa_screens, "MAX_RESPONSE_BYTES", 15_000)  # under a tapping step's
    talk = person()
    talk.launch()
    gate = talk.say("No")
    assert step_of(gate)["position"] == "Step 1 of 16"  # small enough: shown
    tapping = talk.say("StartExerciseIntent", exercise=("tapping", "tapping"))
    assert screens(tapping) == []
    assert "Tapping." in tapping.text and not tapping.ends
    assert len(json.dumps(tapping.envelope)) < 15_000


def test_a_screen_that_cannot_be_built_never_costs_the_spoken_answer(
    skill_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.screens import choose

    def broken(*args: object, **kw: object) -> dict[str, Any]:
        raise KeyError("locale en-US has no copy for 'screen.safety'")

    monkeypatch.setattr(choose.datasources, "step_source", broken)
    talk = person()
    talk.launch()
    gate = talk.say("No")
    assert screens(gate) == [] and gate.text.endswith(
        "Say ready when the towel is under your feet."
    )


@pytest.mark.parametrize(
    "change",
    [
        {"arguments": "next"},  # not a list
        {"arguments": [["next"]]},
        {"arguments": ["next"] * 500},
        {"arguments": None, "token": None, "source": None},
        {"token": "someone-elses-screen"},
    ],
    ids=["string", "nested", "long", "nulls", "other-token"],
)
def test_odd_touch_events_get_words_never_an_error(skill_env: Path, change: dict[str, Any]) -> None:
    talk = person()
    talk.launch()
    talk.say("No")
    request = talk.talk.touch(["next"], TOKEN)
    request["request"].update(change)
    answer = talk.send(request)  # check_response: speech, within limits, a reprompt if open
    assert answer.text and not answer.ends
