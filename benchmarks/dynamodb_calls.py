"""Print DynamoDB calls (and HTTP attempts) per store operation, counted by botocore hooks.

    .venv/bin/python benchmarks/dynamodb_calls.py

Runs against DYNAMODB_ENDPOINT if set, else a moto server on 127.0.0.1. Not a test.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.progress.records import Position, ProgressUpdate
from skill.store.base import StoreUnavailable
from skill.store.dynamodb import DynamoDBProgressStore
from tests.store_fixtures import ROUTINE, CallCounter, MotoServer, create_table

USER = "amzn1.ask.account.BENCH"
DAY = "2026-03-10"


def main() -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(key, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = None if os.environ.get("DYNAMODB_ENDPOINT") else MotoServer()
    endpoint = os.environ.get("DYNAMODB_ENDPOINT") or server.endpoint  # type: ignore[union-attr]
    store = DynamoDBProgressStore(create_table(endpoint), endpoint_url=endpoint)
    counter = CallCounter.attach(store.client)

    def measure(label: str, action: object) -> None:
        counter.reset()
        started = time.perf_counter()
        outcome = "ok"
        try:
            action()  # type: ignore[operator]
        except StoreUnavailable as exc:
            outcome = f"StoreUnavailable ({exc})"
        ms = (time.perf_counter() - started) * 1000
        calls = ", ".join(f"{op} {n}" for op, n in sorted(counter.calls.items())) or "none"
        print(
            f"{label:<46} calls {counter.total}  attempts {counter.attempts}  "
            f"{ms:7.1f} ms  [{calls}] {outcome}"
        )

    def save(update: ProgressUpdate) -> object:
        return lambda: store.save(USER, update, ROUTINE)

    first = ProgressUpdate(
        exercises_done={DAY: frozenset({"toe_curls"})}, position=Position("ball_roll", "s", 2000)
    )
    print(f"endpoint {endpoint}")
    store.load(USER)  # warm the client (connection, credentials) outside the figures
    measure("load (session start, new user)", lambda: store.load(USER))
    measure("save: one exercise + position", save(first))
    measure("save: the same update again (retry)", save(first))
    measure(
        "save: rest of the routine, clear position",
        save(
            ProgressUpdate(
                exercises_done={DAY: frozenset(ROUTINE[1:])},
                clear_position=True,
                position=Position("heel_toe_raises", "end", 3000),
                milestones=frozenset({"first_day"}),
            )
        ),
    )
    measure(
        "save: stale position from a 2nd device (rare)",
        save(
            ProgressUpdate(
                exercises_done={"2026-03-11": frozenset({"tapping"})},
                position=Position("tapping", "s", 1000),
            )
        ),
    )
    measure("save: settings only", save(ProgressUpdate(settings={"tempo": "slower"})))
    measure("save: empty update (reads, never writes)", save(ProgressUpdate()))
    measure("load (next session)", lambda: store.load(USER))
    measure("delete_user (SkillDisabled)", lambda: store.delete_user(USER))
    conversation(endpoint)
    if server is not None:
        server.stop()
        measure("save with the server stopped (refused)", save(first))
    with socket.socket() as silent:  # accepts TCP, never answers: the read-timeout bound
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        store = DynamoDBProgressStore(
            "t", endpoint_url=f"http://127.0.0.1:{silent.getsockname()[1]}"
        )
        counter = CallCounter.attach(store.client)
        measure("load from a silent server (timeouts)", lambda: store.load(USER))
    counter.detach()


def conversation(endpoint: str) -> None:
    """A whole conversation through the skill: calls per turn, and in all."""
    from skill.alexa.app import build_skill, invoke
    from skill.alexa.envelopes import Conversation

    store = DynamoDBProgressStore(create_table(endpoint), endpoint_url=endpoint)
    counter = CallCounter.attach(store.client)
    skill = build_skill(store=store)
    # No Settings API: the zone falls back to UTC, with one expected warning line.
    talk = Conversation(user_id=USER, api_endpoint="https://127.0.0.1:1")
    turns = [("launch (first use)", talk.launch), ("no: toe curls", "AMAZON.NoIntent")]
    turns += [("help", "AMAZON.HelpIntent"), ("repeat", "AMAZON.RepeatIntent")]
    turns += [("how many days", "ProgressIntent"), ("slower", "SlowerIntent")]
    turns += [(f"next #{n}", "AMAZON.NextIntent") for n in range(1, 12)]
    print("\nA whole first-day conversation through the skill (Lambda entry path):")
    total = 0
    for label, what in turns:
        counter.reset()
        event = what() if callable(what) else talk.intent(what)
        answer = invoke(skill, event)
        talk.receive(answer)
        total += counter.total
        calls = ", ".join(f"{op} {n}" for op, n in sorted(counter.calls.items())) or "none"
        print(f"  {label:<22} {counter.total} call(s)  [{calls}]")
    ended = "ended" if not talk.in_session else "open"
    print(f"  in all: {total} calls over {len(turns)} turns (session {ended})")
    counter.detach()


if __name__ == "__main__":
    main()
