"""The dialogue table itself, without the ASK SDK: every phase x every utterance, and
an utterance corpus of how older people really talk, through the interaction
model's matcher (the same one the console uses) and the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.conversation import table
from skill.conversation.actions import safety
from skill.conversation.turn import Action, Heard, Reply
from skill.progress.records import ProgressUpdate
from skill.speech.copy import copy_for
from skill.speech.script import Say
from tests.dialogue_harness import ROUTINE, WALKS, Harness

CORPUS = Path(__file__).parent / "corpus" / "utterances.tsv"
SPANISH = Path(__file__).parent / "corpus" / "utterances.es.tsv"  # locale, phase, words, kind
PLACED = {"gate", "toe_curls", "tapping", "redo", "start_over", "resume"}  # a place to keep
WAY_BACK = {
    "en-US": ("Alexa, start my foot routine", "Bye for now", "Take care", "See you tomorrow"),
    "es-MX": ("Alexa, abre mis ejercicios de pies", "Hasta pronto", "Cuídese", "Hasta mañana"),
}
LAUNCH = {"en": "start my foot routine", "es": "abre mis ejercicios de pies"}
SLOTS = {
    table.START_EXERCISE: Heard(exercise="tapping"),
    table.HOW_TO: Heard(exercise="toe_curls"),
    table.SET_REPS: Heard(number=5),
    table.TOE_CURL_ORDER: Heard(order="blocked"),
}


def text(reply: Reply) -> str:
    return " ".join(item.text for item in reply.items if isinstance(item, Say))


def corpus() -> list[tuple[str, str, str]]:
    return [(phase, words, kind) for _, phase, words, kind in corpus_rows(CORPUS)]


def corpus_rows(path: Path) -> list[tuple[str, str, str, str]]:
    """(locale, phase, words, kind); the English corpus has no locale column (en-US)."""
    rows = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            rows.append(tuple(fields) if len(fields) == 4 else ("en-US", *fields))
    return rows  # type: ignore[return-value]


def test_every_action_in_the_table_is_an_action_with_a_kind() -> None:
    for action in table.ACTIONS:
        assert isinstance(action, Action), action
        assert action.kind, action.name
    from skill.conversation import state

    assert set(table.ROWS) == set(state.PHASES)  # every phase has a row


@pytest.mark.parametrize("locale", sorted(WAY_BACK))
@pytest.mark.parametrize("phase", sorted(WALKS))
def test_every_utterance_in_every_phase_answers_open_or_with_a_way_back(
    tmp_path: Path, phase: str, locale: str
) -> None:
    stop_now = copy_for(locale).say("safety.stop_now")
    rest_today = copy_for(locale).say("safety.rest_today")
    for intent in sorted(table.INTENTS):
        harness = Harness(tmp_path, locale=locale)
        harness.reach(phase)
        reply = harness.hear(intent, SLOTS.get(intent))
        words = text(reply)
        assert words, (phase, intent)
        assert "something went wrong" not in words
        if reply.reprompt is not None:
            assert text(Reply(reply.reprompt)), (phase, intent)  # a reprompt that says something
        elif reply.ask_permission_for is None:  # else Alexa asks for the permission next
            assert any(way in words for way in WAY_BACK[locale]), (phase, intent, words)
        if intent in (table.SAFETY, table.EMERGENCY, table.PAIN):
            assert reply.reprompt is None
            # At the check-in, "it still hurts" is an answer: rest today.
            rest = phase == "feeling" and intent == table.PAIN
            assert (rest_today if rest else stop_now) in words


@pytest.mark.parametrize("phase", sorted(WALKS))
def test_a_safety_word_never_moves_the_routine_on_or_counts_the_exercise(
    tmp_path: Path, phase: str
) -> None:
    harness = Harness(tmp_path)
    harness.reach(phase)
    before = harness.store.load(harness.user)
    # Finished before the stop but not saved yet (the store failed): saved now, as it should be.
    pending = ProgressUpdate.from_dict(harness.attributes.get("pending") or {})
    harness.hear(table.SAFETY)
    after = harness.store.load(harness.user)
    assert after.exercises_by_date == before.apply(pending, ROUTINE.ids).exercises_by_date
    assert after.position is None or after.position.rested


def test_the_corpus_is_large_and_says_what_older_people_say() -> None:
    rows = corpus()
    assert len(rows) >= 300
    assert {phase for phase, _, _ in rows} == set(WALKS)
    kinds = {kind for _, _, kind in rows}
    # The symptom classes are kinds too: a SymptomIntent answers as its class.
    classes = {"baseline", "cramp", "pain", "faint", "emergency", "skip"}
    assert kinds <= {action.kind for action in table.ACTIONS} | {safety.check_in.kind} | classes
    assert {"baseline", "cramp", "pain", "faint", "emergency"} <= kinds
    assert {"keep_place", "wait", "fallback", "carry_on", "equipment", "check_in"} <= kinds


def test_the_spanish_corpus_is_large_and_regional() -> None:
    rows = corpus_rows(SPANISH)
    assert len(rows) >= 250
    assert {locale for locale, _, _, _ in rows} == {"es-US", "es-MX", "es-ES"}
    assert {phase for _, phase, _, _ in rows} == set(WALKS)
    for region in ("es-US", "es-MX", "es-ES"):
        kinds = [kind for locale, _, _, kind in rows if locale == region]
        stops = sum(kinds.count(kind) for kind in ("faint", "pain", "cramp", "baseline"))
        assert stops >= 10 and kinds.count("emergency") >= 5, region
    kinds = {kind for _, _, _, kind in rows}
    assert {"baseline", "cramp", "pain", "faint", "emergency", "equipment"} <= kinds


@pytest.mark.parametrize("path", [CORPUS, SPANISH], ids=["en", "es"])
@pytest.mark.parametrize("phase", sorted(WALKS))
def test_the_corpus_through_the_matcher_and_the_table(
    tmp_path: Path, phase: str, path: Path
) -> None:
    wrong = []
    for locale, row_phase, words, expected in corpus_rows(path):
        if row_phase != phase:
            continue
        harness = Harness(tmp_path, locale=locale)
        harness.reach(phase)
        reply = harness.say(words)
        if reply.kind != expected:
            wrong.append(f"{words!r}: {reply.kind} ({reply.action}), expected {expected}")
        if expected == "fallback":
            assert words not in text(reply).lower(), words  # never echoed
        if expected == "keep_place":
            assert reply.reprompt is None, words
            if phase in PLACED:
                assert LAUNCH[locale[:2]] in text(reply), words
    assert wrong == []
