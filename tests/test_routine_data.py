"""The routine data file holds every number of docs/routine.md, and settings obey it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.routine.model import RoutineError, load_routine, parse_routine, read_routine_data
from skill.routine.settings import Settings, raise_rep_bounds, toe_curl_rep_bounds
from skill.speech.narrate import check_routine

DATA = read_routine_data()
EXERCISES = DATA["exercises"]
ROOT = Path(__file__).resolve().parents[1]
ROUTINE_SPEC = ROOT / "docs" / "routine.md"  # the repo's own spec: always there


def test_the_articles_six_parts_come_in_its_order() -> None:
    article = [
        "toe_curls",
        "ball_roll",
        "toe_spreading",
        "tapping",
        "pressure_isolation",
        "heel_toe_raises",
    ]
    # Exercises the project adds may sit anywhere; the article's keep their order.
    assert [i for i in load_routine().ids if i in article] == article


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("routine.target_minutes.min", 8),
        ("routine.target_minutes.max", 12),
        ("tempo.normal", 0.8),
        ("exercises.toe_curls.hold_seconds", 3),
        ("exercises.toe_curls.reps_per_foot.min", 4),
        ("exercises.toe_curls.reps_per_foot.max", 5),
        ("exercises.toe_curls.marbles.marbles", 20),
        ("exercises.toe_curls.marbles.bowls", 2),
        ("exercises.toe_curls.marbles.untimed", True),
        ("exercises.toe_curls.orders", ["alternating", "blocked"]),
        ("exercises.ball_roll.sides", ["right", "left"]),
        ("exercises.ball_roll.phases", [
            {"key": "one_way", "seconds": 30}, {"key": "other_way", "seconds": 30}]),
        ("exercises.toe_spreading.passes_per_foot", 3),
        ("exercises.tapping.rounds", ["feet", "hands", "both"]),
        ("exercises.tapping.sides", ["right", "left"]),
        ("exercises.tapping.blocks", [
            {"taps": 8, "times": 1}, {"taps": 4, "times": 2}, {"taps": 2, "times": 4}]),
        ("exercises.pressure_isolation.position", "standing"),
        ("exercises.pressure_isolation.hold_seconds", 3),
        ("exercises.pressure_isolation.sides", ["right", "left", "both"]),
        ("exercises.pressure_isolation.points", [
            "big_toe", "second_toe", "third_toe", "fourth_toe", "little_toe",
            "outer_ball", "inner_ball", "heel", "outer_edge", "inner_edge"]),
        ("exercises.heel_toe_raises.movements", ["heel", "toe"]),
        ("exercises.heel_toe_raises.reps_per_foot.min", 10),
        ("exercises.heel_toe_raises.reps_per_foot.max", 15),
        ("exercises.heel_toe_raises.progression.max_reps_per_foot", 30),
    ],
)  # fmt: skip
def test_the_specs_numbers_are_in_the_data(path: str, expected: object) -> None:
    node: object = DATA
    for part in path.split("."):
        assert isinstance(node, dict), path
        node = node[part]
    assert node == expected


def test_every_tapping_block_is_sixteen_taps() -> None:
    sides = len(EXERCISES["tapping"]["sides"])
    assert {block["taps"] * block["times"] * sides for block in EXERCISES["tapping"]["blocks"]} == {
        16
    }


def test_the_projects_interpretations_are_marked_in_the_data_file() -> None:
    text = (ROOT / "skill/routine/routine.toml").read_text()
    pressure = text[text.index("[exercises.pressure_isolation]") :]
    hold_line = next(line for line in pressure.splitlines() if line.startswith("hold_seconds"))
    assert "project's choice" in hold_line
    tapping = text[text.index("[exercises.tapping]") : text.index("blocks = [")]
    assert "Project's reading" in tapping and "repeated once" in tapping


def data_numbers() -> set[float]:
    found: set[float] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            found.add(float(node))

    collect(DATA)
    return found


def test_every_bold_number_of_the_spec_is_in_the_data() -> None:
    spec = ROUTINE_SPEC.read_text()
    bold_numbers = {
        float(number)
        for span in re.findall(r"\*\*(.+?)\*\*", spec)
        for number in re.findall(r"\d+(?:\.\d+)?", span)
    }
    assert len(bold_numbers) >= 10, "docs/routine.md changed shape: its numbers are in bold"
    assert bold_numbers <= data_numbers(), sorted(bold_numbers - data_numbers())


def test_the_spec_names_its_source_and_the_data_points_to_the_spec() -> None:
    spec = ROUTINE_SPEC.read_text()
    assert "Top 5 Foot Exercises for Peripheral Neuropathy Relief" in spec
    data_file = (ROOT / "skill" / "routine" / "routine.toml").read_text()
    assert "docs/routine.md" in data_file


def test_a_broken_edit_fails_at_load_with_a_clear_message() -> None:
    data = read_routine_data()
    del data["exercises"]["tapping"]["blocks"]
    with pytest.raises(RoutineError, match="tapping: missing blocks"):
        check_routine(parse_routine(data))
    data = read_routine_data()
    data["exercises"]["tapping"]["kind"] = "juggling"
    with pytest.raises(RoutineError, match="tapping: unknown kind 'juggling'"):
        check_routine(parse_routine(data))
    data = read_routine_data()
    data["routine"]["order"].remove("ball_roll")
    with pytest.raises(RoutineError, match="every exercise"):
        parse_routine(data)


def test_settings_ranges_come_from_the_data() -> None:
    assert toe_curl_rep_bounds() == (4, 5)
    assert raise_rep_bounds() == (10, 30)
    assert Settings().toe_curl_reps == 4 and Settings().raise_reps == 10


def test_bad_stored_settings_fall_back_instead_of_failing() -> None:
    settings = Settings.from_dict(
        {"tempo": "warp", "toe_curl_order": 7, "toe_curl_reps": "9", "raise_reps": 2.5}
    )
    assert settings == Settings(toe_curl_reps=5)
    assert Settings.from_dict(None) == Settings()
    assert Settings.from_dict({"raise_reps": "45"}).raise_reps == 30


def test_tempo_steps_stop_at_the_ends() -> None:
    assert Settings(tempo="slowest").slower().tempo == "slowest"
    assert Settings().slower().tempo == "slower"
    assert Settings().slower().slower().tempo == "slowest"
    assert Settings().faster().faster().faster().tempo == "fastest"
