"""Session attributes come back from outside: a forged or oversized session can change
no more than one real session could, and nothing big is echoed back."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from skill.alexa.envelopes import Conversation
from skill.conversation.state import SessionState
from skill.routine.model import load_routine
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Driver

NO_API = "https://127.0.0.1:1"
IDS = load_routine().ids


def forged_session(today: date) -> dict:
    days = {(today - timedelta(days=n)).isoformat(): [*IDS, "made_up"] for n in range(365)}
    return {
        "v": 2,
        "phase": "routine",
        "segment": "toe_curls",
        "exercise": "toe_curls",
        "loaded": True,
        "settings": {"tempo": "warp", "raise_reps": 900, "evil": "x" * 50},
        "milestones_if_done": ["hundred_days", "invented_badge"],
        "pending": {
            "exercises_done": days,
            "milestones": ["hundred_days", "ten_months", "invented_badge", "offer_raise_reps_30"],
            "settings": {"raise_reps": 900, "tempo": "slowest", "unknown_key": 1},
        },
    }


def test_a_forged_session_writes_only_what_one_session_could(skill_env: Path) -> None:
    today = date(2026, 11, 30)
    talk = Conversation(api_endpoint=NO_API, timestamp="2026-11-30T10:00:00Z")
    person = Driver(talk)
    person.launch()
    talk.attributes = forged_session(today)
    person.say("Next")
    stored = SQLiteProgressStore(skill_env).load(talk.user_id)
    assert set(stored.exercises_by_date) <= {"2026-11-30", "2026-11-29"}
    assert all(ids <= set(IDS) for ids in stored.exercises_by_date.values())
    assert len(stored.completed_days) <= 2
    assert "invented_badge" not in stored.milestones
    assert stored.settings.get("raise_reps", 10) <= 30 and "unknown_key" not in stored.settings


def test_oversized_attributes_are_not_echoed_back(skill_env: Path) -> None:
    talk = Conversation(api_endpoint=NO_API)
    person = Driver(talk)
    person.launch()
    talk.attributes = {**talk.attributes, "padding": "x" * 30_000}
    answer = person.say("Next")
    assert len(json.dumps(answer.attributes)) < 4_000
    assert "padding" not in answer.attributes


def test_parsing_never_trusts_shapes_or_sizes() -> None:
    deep: dict = {}
    node = deep
    for _ in range(800):
        node["x"] = {}
        node = node["x"]
    for hostile in (deep, {"v": 2, "pending": deep}, {"v": 2, "summary": [1] * 10}, None, 7):
        state = SessionState.from_attributes(hostile, date(2026, 11, 30), IDS)
        assert isinstance(state, SessionState)
    state = SessionState.from_attributes(
        {
            "v": 2,
            "phase": "gate",
            "segment": "../../etc",
            "milestones_if_done": ["first_day", "invented"] * 40,
            "offers": [
                {"id": "invented"},
                {"id": "offer_raise_reps_12", "setting": "raise_reps", "value": 12},
            ],
        },
        date(2026, 11, 30),
        IDS,
    )
    assert state.segment is None and state.milestones_if_done == ["first_day"] * 16
    assert [offer["id"] for offer in state.offers] == ["offer_raise_reps_12"]
