"""Every row of the dialogue table pinned: the action each (phase, intent) names,
COMMON and every override, read from tests/golden/dialogue_table.tsv. A swapped or
deleted cell fails here (and `make mutate-table` shows the behaviour tests catch it too)."""

from __future__ import annotations

from pathlib import Path

from skill.conversation import state, table
from tests.dialogue_harness import REACHES, WALKS

GOLDEN = Path(__file__).parent / "golden" / "dialogue_table.tsv"


def golden() -> dict[tuple[str, str], str]:
    cells = {}
    for line in GOLDEN.read_text().splitlines():
        if line and not line.startswith("#"):
            phase, intent, action = line.split("\t")
            cells[phase, intent] = action
    return cells


def test_the_golden_file_covers_every_phase_and_every_intent() -> None:
    cells = golden()
    assert {phase for phase, _ in cells} == set(state.PHASES) == set(table.ROWS)
    assert {intent for _, intent in cells} == set(table.INTENTS)
    assert len(cells) == len(state.PHASES) * len(table.INTENTS)


def test_every_cell_names_its_pinned_action() -> None:
    wrong = [
        f"{phase} x {intent}: {table.action_for(phase, intent).name}, pinned {action}"
        for (phase, intent), action in sorted(golden().items())
        if table.action_for(phase, intent).name != action
    ]
    assert wrong == []


def test_no_two_actions_share_a_name() -> None:
    names = [action.name for action in table.ACTIONS]
    assert len(names) == len(set(names))


def test_an_unknown_intent_or_phase_is_a_fallback_or_common() -> None:
    assert table.action_for(state.ROUTINE, "SomethingElseIntent").name == "not_understood"
    assert table.action_for("no_such_phase", table.NEXT).name == "carry_on"


def test_the_harness_reaches_every_phase() -> None:
    assert set(REACHES.values()) == set(state.PHASES)
    assert set(REACHES) == set(WALKS)
