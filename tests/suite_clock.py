"""The suite's clock: one fixed "now" for the skill in every test, so fixed dates keep working.

The skill believes a request's timestamp only within a year back to a week ahead of its
server's clock (skill/progress/bounds.py). Many tests send fixed days in late 2026 (the
walks, the golden tables, the hypothesis walks, "23:50 in Los Angeles"), which would
drift out of that window as the real date moves on. So the skill's one clock,
`bounds.server_now`, reads NOW in every test:

- in-process, tests/conftest.py pins it for each test (the `suite_clock` fixture);
- in a subprocess the suite starts (Lambda entry, `skill serve`, the console), the
  environment carries ENV and PYTHONPATH starts with SITE, whose sitecustomize.py pins it
  the moment the skill's bounds module is imported. Production cannot trip it: the
  variable is read only by that test file, which is never on a deployed path.

Requests built without a stamp (Conversation's default) take the pinned now too. Tests
ABOUT the window (`@pytest.mark.real_clock`, e.g. tests/test_odd_clocks.py) and the signed
web requests (their stamps must be real: the 150-second replay check) run on the real
clock, in-process and in the subprocesses they start (tests/serve_process.py drops ENV).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)  # a Wednesday; every fixed stamp is near it
ENV = "SKILL_TEST_SERVER_NOW"
SITE = Path(__file__).parent / "suite_clock_site"


def now() -> datetime:
    return NOW


def stamp() -> str:
    """NOW as an Alexa request timestamp."""
    return NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


def real_env(env: dict[str, str]) -> dict[str, str]:
    """`env` for a subprocess on the real clock (signed requests, the window's own tests)."""
    return {k: v for k, v in env.items() if k != ENV}
