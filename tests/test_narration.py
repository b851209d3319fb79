"""The narration compiler: valid SSML within Alexa's limits, exact timing, safe words."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from skill.routine.model import load_routine, parse_routine, read_routine_data
from skill.routine.settings import (
    RAISE_POSITIONS,
    TEMPOS,
    TOE_CURL_ORDERS,
    TOE_CURL_TOOLS,
    Settings,
)
from skill.speech import ssml
from skill.speech.copy import Copy, copy_for
from skill.speech.narrate import compile_routine, total_seconds, warm_up
from skill.speech.preview import main as preview_main
from skill.speech.script import Pause, Say

ROUTINE = load_routine()
COPY = copy_for("en-US")
ALL_SETTINGS = [
    Settings(tempo=t, toe_curl_order=o, toe_curl_tool=tool, raise_position=p, raise_reps=r)
    for t, o, tool, p, r in itertools.product(
        TEMPOS, TOE_CURL_ORDERS, TOE_CURL_TOOLS, RAISE_POSITIONS, (10, 30)
    )
]


def _breaks(ssml_text: str) -> list[float]:
    return [ssml.break_seconds(value) or 0.0 for value in re.findall(r'time="([^"]+)"', ssml_text)]


@pytest.mark.parametrize("settings", ALL_SETTINGS, ids=str)
def test_every_segment_is_alexa_ssml_within_limits(settings: Settings) -> None:
    segments = compile_routine(ROUTINE, settings, COPY)
    for segment in segments:
        assert ssml.problems(segment.ssml) == [], segment.id
        assert len(segment.ssml) < ssml.MAX_SSML_CHARS
        assert all(0 < seconds <= 10 for seconds in _breaks(segment.ssml)), segment.id
        assert segment.prompt, f"{segment.id} must end with something to say"
    assert len({segment.id for segment in segments}) == len(segments)
    assert [s.exercise for s in segments] == sorted(
        (s.exercise for s in segments), key=ROUTINE.ids.index
    )


def test_the_whole_routine_lasts_eight_to_twelve_minutes_at_default_settings() -> None:
    minutes = total_seconds(compile_routine(ROUTINE, Settings(), COPY)) / 60
    low, high = ROUTINE.target_minutes
    assert low <= minutes <= high


def test_holds_are_exact_silences_between_hold_and_release() -> None:
    toe_curls = compile_routine(ROUTINE, Settings(), COPY)[1]
    assert "Hold. [3 s] Let go. Lift and spread your toes. Hold. [3 s] Left foot." in toe_curls.text
    assert 'Hold. <break time="3s"/> Let go.' in toe_curls.ssml


def test_a_thirty_second_roll_is_chained_breaks_with_a_time_check() -> None:
    roll = next(s for s in compile_routine(ROUTINE, Settings(), COPY) if s.id == "ball_roll.right")
    assert "for thirty seconds" in roll.text.lower() or "thirty seconds" in roll.text
    silences = [item.seconds for item in roll.body if isinstance(item, Pause)]
    assert silences == [15.0, 15.0, 15.0, 15.0]
    assert '<break time="10s"/><break time="5s"/> Halfway.' in roll.ssml
    assert sum(_breaks(roll.ssml)) == pytest.approx(60.0)


def test_every_tap_is_counted_after_saying_the_target() -> None:
    tapping = [s for s in compile_routine(ROUTINE, Settings(), COPY) if s.exercise == "tapping"]
    assert [s.id for s in tapping] == ["tapping.feet", "tapping.hands", "tapping.both"]
    for segment in tapping:
        text = segment.text
        assert text.count("Eight.") == 2  # 8 right + 8 left
        assert text.count("Four.") == 2 * 2 + 2
        assert text.count("One.") == 2 + 2 * 2 + 2 * 4
        first_count = text.index("One.")
        assert "Eight on the right" in text[:first_count]
        spoken_counts = re.findall(r"\b(One|Two|Three|Four|Five|Six|Seven|Eight)\.", text)
        assert len(spoken_counts) == 48


def _count_gaps(settings: Settings) -> set[float]:
    tapping = next(s for s in compile_routine(ROUTINE, settings, COPY) if s.id == "tapping.feet")
    gaps = set()
    for before, after in itertools.pairwise(tapping.body):
        if isinstance(before, Say) and before.text == "One." and isinstance(after, Pause):
            gaps.add(after.seconds)
    return gaps


def test_tempo_changes_the_pause_between_counts() -> None:
    slowest, slower, normal, faster, fastest = (
        _count_gaps(Settings(tempo=t)) for t in ("slowest", "slower", "normal", "faster", "fastest")
    )
    assert all(len(gaps) == 1 for gaps in (slowest, slower, normal, faster, fastest))
    assert max(slowest) > max(slower) > max(normal) > max(faster) > max(fastest)
    # The slowest pace gives about twice the default time from count to count.
    assert ROUTINE.tempo["slowest"] == pytest.approx(2 * ROUTINE.tempo["normal"], rel=0.1)
    # count word + gap = one tap every `tempo` seconds
    assert max(normal) + COPY.pace.count_word_seconds == pytest.approx(ROUTINE.tempo["normal"])
    assert total_seconds(compile_routine(ROUTINE, Settings(tempo="slower"), COPY)) > total_seconds(
        compile_routine(ROUTINE, Settings(), COPY)
    )


def _toe_curl_sides(settings: Settings) -> list[str]:
    text = " ".join(
        s.text for s in compile_routine(ROUTINE, settings, COPY) if s.exercise == "toe_curls"
    )
    return re.findall(r"\b(Right|Left)\b(?: foot)?\. Curl", text)


def test_alternating_and_blocked_orders_differ() -> None:
    assert _toe_curl_sides(Settings(toe_curl_order="alternating")) == ["Right", "Left"] * 4
    assert _toe_curl_sides(Settings(toe_curl_order="blocked", toe_curl_reps=5)) == (
        ["Right"] * 5 + ["Left"] * 5
    )
    blocked = [s.id for s in compile_routine(ROUTINE, Settings(toe_curl_order="blocked"), COPY)]
    assert blocked[:3] == ["toe_curls.ready", "toe_curls.right", "toe_curls.left"]


def test_settings_change_the_narration_without_code_changes() -> None:
    marbles = [s for s in compile_routine(ROUTINE, Settings(toe_curl_tool="marbles"), COPY)]
    assert [s.id for s in marbles[:3]] == [
        "toe_curls.marbles.ready",
        "toe_curls.marbles.right",
        "toe_curls.marbles.left",
    ]
    # Moving twenty marbles takes longer than the microphone stays open.
    assert [s.kind for s in marbles[:3]] == ["ready", "away", "away"]
    assert "Alexa, start my foot routine" in marbles[1].prompt_text
    assert "twenty marbles" in marbles[0].text and "all twenty are across" in marbles[1].text
    raises = [s for s in compile_routine(ROUTINE, Settings(raise_reps=30), COPY)]
    heel = next(s for s in raises if s.id == "heel_toe_raises.heel")
    assert heel.text.count("Thirty.") == 2


@pytest.mark.parametrize("exercise", ["pressure_isolation", "heel_toe_raises"])
def test_standing_work_starts_with_the_hold_on_safety_cue(exercise: str) -> None:
    settings = Settings(raise_position="standing")
    segments = [s for s in compile_routine(ROUTINE, settings, COPY) if s.exercise == exercise]
    setup = segments[0]
    assert setup.id == f"{exercise}.ready" and setup.kind == "ready"
    assert "counter" in setup.text and "sturdy chair" in setup.text
    assert setup.prompt_text == "Say ready when you're holding on."
    assert all(s.standing for s in segments)
    assert "sit down" in segments[-1].text


def test_seated_raises_need_no_standing_cue() -> None:
    segments = [
        s for s in compile_routine(ROUTINE, Settings(), COPY) if s.exercise == "heel_toe_raises"
    ]
    assert [s.id for s in segments] == ["heel_toe_raises.heel", "heel_toe_raises.toe"]
    assert "counter" not in " ".join(s.text for s in segments)


def test_each_exercise_ends_by_naming_the_next_and_the_last_says_well_done() -> None:
    segments = compile_routine(ROUTINE, Settings(), COPY)
    for before, after in itertools.pairwise(segments):
        if before.exercise != after.exercise:
            assert COPY.exercise_name(after.exercise) in before.prompt_text
    assert segments[-1].prompt_text == COPY.say("prompts.finished")


def test_the_warm_up_says_warm_not_hot_and_how_to_check() -> None:
    text = warm_up(ROUTINE, COPY).text
    assert "warm, not hot" in text.lower()
    assert "elbow" in text and "thermometer" in text
    assert "hot water" not in text.replace("hot water bottle", "")
    assert "straight to toe curls" in text and "Alexa, start my foot routine" in text


def test_the_not_medical_advice_line_exists() -> None:
    line = COPY.say("safety.not_medical_advice")
    assert "doctor" in line and "physical therapist" in line


def test_no_cure_claims_anywhere_in_the_words() -> None:
    claims = re.compile(r"\b(cure|cures|heal|heals|reverse|get rid of|treats?|fix(es)?)\b", re.I)
    for key in COPY.sentence_keys():
        value = COPY.raw(key)
        if isinstance(value, str):
            assert not claims.search(value), key


def _copy_with(overrides: dict[str, dict[str, str]]) -> Copy:
    table = json.loads(json.dumps(COPY._table))
    for section, values in overrides.items():
        table[section].update(values)
    return Copy("en-US", table)


def test_values_with_xml_characters_still_give_valid_ssml() -> None:
    copy = _copy_with(
        {
            "exercise_names": {"ball_roll": "ball & <roll>"},
            "sides": {"right": 'right "&" <side>'},
            "toe_curls": {"intro": "Toe curls <with a towel> & a chair."},
        }
    )
    segments = compile_routine(ROUTINE, Settings(), copy)
    for segment in segments:
        assert ssml.problems(segment.ssml) == [], segment.id
    assert "&lt;with a towel&gt; &amp; a chair" in segments[0].ssml
    assert "ball &amp; &lt;roll&gt;" in segments[1].ssml
    assert "ball & <roll>" in segments[1].text
    assert "Right &quot;&amp;&quot; &lt;side&gt;" in segments[1].ssml


def test_data_values_reach_speech_escaped() -> None:
    data = read_routine_data()
    data["exercises"]["toe_curls"]["marbles"]["marbles"] = 12
    routine = parse_routine(data)
    first = compile_routine(routine, Settings(toe_curl_tool="marbles"), COPY)[0]
    assert "twelve marbles" in first.text


def test_problems_catches_what_alexa_refuses() -> None:
    assert ssml.problems("<speak><audio src='x'/>fine</speak>") == []
    assert (
        ssml.problems(
            "<speak><amazon:emotion name='excited' intensity='low'>hi</amazon:emotion></speak>"
        )
        == []
    )
    assert ssml.problems("<speak>a & b</speak>")
    assert ssml.problems('<speak><break time="12s"/></speak>')
    assert ssml.problems("<speak><script/></speak>")
    assert ssml.problems("<speak>" + "word " * 1700 + "</speak>")


def test_pause_chains_breaks_of_at_most_ten_seconds() -> None:
    assert ssml.pause(3) == '<break time="3s"/>'
    assert ssml.pause(0.48) == '<break time="480ms"/>'
    assert ssml.pause(25.5) == '<break time="10s"/><break time="10s"/><break time="5500ms"/>'
    assert ssml.pause(0) == ""


def test_preview_prints_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert preview_main([]) == 0
    table = capsys.readouterr().out
    assert "tapping.hands" in table and "minutes by the estimate" in table
    assert preview_main(["--json", "--tempo", "slower"]) == 0
    segments = json.loads(capsys.readouterr().out)
    assert all(set(s) == {"id", "exercise", "ssml", "text", "seconds"} for s in segments)
    assert segments[0]["id"] == "toe_curls.ready"
    with pytest.raises(SystemExit) as refused:  # one line on stderr, like any bad option
        preview_main(["--only", "jumping_jacks"])
    assert refused.value.code == 2
    assert "'jumping_jacks' is not an exercise" in capsys.readouterr().err


def test_every_exercise_says_only_as_far_as_is_comfortable_in_its_first_segment() -> None:
    for settings in (Settings(), Settings(toe_curl_tool="marbles", raise_position="standing")):
        segments = compile_routine(ROUTINE, settings, COPY)
        for exercise in ROUTINE.ids:
            first = next(s for s in segments if s.exercise == exercise)
            assert "Only go as far as is comfortable." in first.text, first.id


def test_things_to_set_up_get_a_ready_gate_before_timed_work() -> None:
    segments = compile_routine(ROUTINE, Settings(), COPY)
    gates = {s.exercise: s for s in segments if s.kind == "ready"}
    # A gate wherever the data lists what an exercise needs (tapping needs nothing).
    assert set(gates) == {e.id for e in ROUTINE.exercises if e.params.get("needs")}
    assert {"toe_curls", "ball_roll", "toe_spreading", "pressure_isolation"} <= set(gates)
    assert gates["toe_curls"].prompt_text == "Say ready when the towel is under your feet."
    assert "bare feet" in gates["ball_roll"].text.lower()
    assert "golf ball" in gates["toe_spreading"].text
    for gate in gates.values():
        assert gate.prompt_text.startswith("Say ready when")


def test_the_ball_roll_circles_one_way_then_the_other() -> None:
    roll = next(s for s in compile_routine(ROUTINE, Settings(), COPY) if s.id == "ball_roll.right")
    assert "circles one way" in roll.text and "circle the other way" in roll.text
    assert "back and forth" not in roll.text
