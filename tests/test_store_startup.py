"""Stores that cannot start: a PROGRESS_DB folder that cannot be created degrades like a
corrupt file and is retried; many processes opening a fresh SQLite file at once all work."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from skill.alexa.envelopes import Conversation
from skill.store.sqlite import SQLiteProgressStore
from tests.alexa_driver import Driver

ROOT = Path(__file__).resolve().parents[1]
USER = "amzn1.ask.account.startup-user"
CANNOT_REACH = "I can't reach your saved progress just now, but we can still exercise together."


# -- item 3: a store that cannot be opened -----------------------------------------------
def test_unopenable_store_degrades_and_the_next_turn_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.alexa import app

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where PROGRESS_DB's folder should be")
    database = blocker / "data" / "progress.sqlite3"  # mkdir fails: parent is a file
    monkeypatch.setenv("PROGRESS_DB", str(database))
    monkeypatch.delenv("PROGRESS_TABLE", raising=False)
    app.reset()
    try:
        person = Driver(Conversation(user_id=USER, api_endpoint="https://127.0.0.1:1"))
        hello = person.launch()
        assert CANNOT_REACH in hello.text
        assert "went wrong" not in hello.text and not hello.ends
        # Unread, a safety stop last time cannot be ruled out: how are the feet, first.
        assert hello.text.endswith("How are you feeling today?")
        assert "warm your feet" in person.say("FeelingBetterIntent").text
        first = person.say("No")
        assert first.text.startswith("Toe curls.")
        assert "went wrong" not in person.say("Next").text  # a save fails quietly
        blocker.unlink()  # the folder can be created now
        person.say("Stop")  # this turn opens the store and saves what was kept
        assert database.exists()
        stored = SQLiteProgressStore(database)
        try:
            progress = stored.load(USER)
        finally:
            stored.close()
        assert progress.position is not None, "the place was saved once the store opened"
    finally:
        app.reset()


# -- item 4: first-time setup across processes -----------------------------------------------
# Each process opens ROUNDS fresh files, all processes on the same file at the same moment.
OPEN_AT_ONCE = """
import sys, time
from skill.store.sqlite import SQLiteProgressStore
from skill.progress.records import ProgressUpdate
from skill.routine.model import load_routine

folder, start, n, rounds = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
user, ids, failed = "amzn1.ask.account.p" + n, load_routine().ids, []
for k in range(rounds):
    time.sleep(max(0.0, start + k * 0.2 - time.time()))
    store = SQLiteProgressStore(f"{folder}/fresh-{k}.sqlite3")
    try:
        store.load(user)
        store.save(user, ProgressUpdate(time_zone="UTC"), ids)
    except Exception as exc:
        failed.append(f"round {k}: {exc}")
    finally:
        store.close()
print("\\n".join(failed) or "ok")
"""


def test_concurrent_cold_starts_on_fresh_files(tmp_path: Path) -> None:
    processes, rounds = 12, 12
    start = time.time() + 2.0  # every process imports first, then all open at once
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT_ONCE, str(tmp_path), str(start), str(i), str(rounds)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    failures = []
    for run in runs:
        out, err = run.communicate(timeout=60)
        if run.returncode != 0 or out.strip() != "ok":
            failures.append(out.strip() or err.strip()[-300:])
    assert failures == []
    for k in range(rounds):
        store = SQLiteProgressStore(tmp_path / f"fresh-{k}.sqlite3")
        try:
            for i in range(processes):
                assert store.load(f"amzn1.ask.account.p{i}").time_zone == "UTC"
        finally:
            store.close()
