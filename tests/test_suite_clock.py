"""The suite's clock (tests/suite_clock.py) holds where the suite needs it and nowhere else:
the skill's clock reads the suite's day in-process and in the processes the suite starts,
the real clock in tests marked `real_clock`, and the variable alone moves nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skill.alexa.envelopes import Conversation
from skill.conversation.clock import local_date, parse_timestamp
from skill.progress import bounds
from tests import suite_clock

ROOT = Path(__file__).resolve().parent.parent
SHOW_CLOCK = (
    "from skill.progress import bounds; from skill.alexa.envelopes import Conversation; "
    "print(bounds.server_now().isoformat()); print(Conversation().launch()['request']['timestamp'])"
)


def clock_in_subprocess(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SHOW_CLOCK], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return done.stdout.split()


def close_to_real_now(iso: str) -> bool:
    return abs(datetime.fromisoformat(iso.replace("Z", "+00:00")) - datetime.now(UTC)) < timedelta(
        minutes=5
    )


def test_in_process_the_skill_and_its_requests_read_the_suites_day() -> None:
    assert bounds.server_now() == suite_clock.NOW
    assert Conversation().launch()["request"]["timestamp"] == suite_clock.stamp()
    assert parse_timestamp("not a time") == suite_clock.NOW  # an unreadable stamp: the clock
    # the suite's fixed days are believed, a week past them is not
    assert local_date("2026-01-01T10:00:00Z", "UTC").isoformat() == "2026-01-01"
    assert parse_timestamp("2026-12-10T12:00:00Z") == suite_clock.NOW


def test_a_process_the_suite_starts_reads_the_suites_day() -> None:
    assert clock_in_subprocess(dict(os.environ)) == [
        suite_clock.NOW.isoformat(),
        suite_clock.stamp(),
    ]


def test_the_variable_alone_moves_no_clock() -> None:
    """Without the suite's test-only sitecustomize on the path (never on a deployed one),
    the variable is read by nothing: the skill keeps the real clock."""
    env = dict(os.environ, PYTHONPATH="")
    assert env[suite_clock.ENV]
    now, stamp = clock_in_subprocess(env)
    assert close_to_real_now(now) and close_to_real_now(stamp)


@pytest.mark.real_clock
def test_a_real_clock_test_and_its_processes_read_the_real_clock() -> None:
    assert close_to_real_now(bounds.server_now().isoformat())
    assert suite_clock.ENV not in os.environ
    assert all(close_to_real_now(t) for t in clock_in_subprocess(dict(os.environ)))
