"""Shared fixtures: a fresh embedded store per test for anything that runs the skill, and
the suite's clock.

The suite's clock (tests/suite_clock.py): the skill's server clock reads a fixed NOW in
every test and in every process the suite starts, because many tests send fixed days near
it and the skill believes a request's day only within a year back to a week ahead of its
clock (docs/conversation.md, "Clocks and bounds"). A test that is about that window, or
that sends signed requests stamped with the real time, is marked `real_clock`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import suite_clock

# The suite's fake Alexa APIs listen on loopback, which the skill's ApiClient refuses
# unless this is set (never in production). tests/test_api_client.py proves the default.
os.environ["ALEXA_API_ALLOW_LOOPBACK"] = "1"

# The suite's clock in the processes the suite starts (tests/suite_clock_site/sitecustomize.py).
os.environ[suite_clock.ENV] = suite_clock.NOW.isoformat()
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(suite_clock.SITE), *filter(None, [os.environ.get("PYTHONPATH")])]
)

pytest.register_assert_rewrite("tests.store_fixtures", "tests.alexa_driver")

from skill.progress import bounds  # noqa: E402
from tests import web_certs  # noqa: E402
from tests.settings_api import SettingsApi  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_clock: the skill's real server clock, here and in subprocesses"
    )


@pytest.fixture(autouse=True)
def suite_clock_pin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The skill's clock reads the suite's NOW, unless the test is marked `real_clock`."""
    if request.node.get_closest_marker("real_clock"):
        monkeypatch.delenv(suite_clock.ENV, raising=False)
    else:
        monkeypatch.setattr(bounds, "server_now", suite_clock.now)


@pytest.fixture
def skill_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The skill as deployed by default (embedded SQLite), on a file of this test's own."""
    from skill.alexa import app

    database = tmp_path / "progress.sqlite3"
    monkeypatch.setenv("PROGRESS_DB", str(database))
    monkeypatch.delenv("PROGRESS_TABLE", raising=False)
    monkeypatch.delenv("DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.setenv("DEFAULT_TIME_ZONE", "UTC")
    app.reset()
    yield database
    app.reset()


@pytest.fixture(autouse=True)
def read_and_written_as_the_sdk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every request the suite sends is read to the objects the ASK SDK's own serializer
    reads from its JSON text, and every answer is written as the SDK writes it
    (skill/alexa/serializer.py reads and writes by plans of its own)."""
    from ask_sdk_model.response_envelope import ResponseEnvelope

    from skill.alexa.serializer import EnvelopeSerializer
    from tests.sdk_reference import outcome, reads_as_the_sdk, writes_as_the_sdk

    differences: list[str] = []
    read, write = EnvelopeSerializer.read_envelope, EnvelopeSerializer.serialize

    def read_checked(self: EnvelopeSerializer, event: Any) -> Any:
        ours = outcome(lambda e: read(self, e), event)
        try:
            reads_as_the_sdk(event, ours)
        except AssertionError as error:  # the skill would swallow it: reported below
            differences.append(f"read {str(event)[:300]}: {error}")
        if ours[1] is not None:
            raise ours[1]
        return ours[0]

    def write_checked(self: EnvelopeSerializer, answer: Any) -> Any:
        written = write(self, answer)
        if isinstance(answer, ResponseEnvelope):
            try:
                writes_as_the_sdk(answer, written)
            except AssertionError as error:
                differences.append(f"written: {error}")
        return written

    monkeypatch.setattr(EnvelopeSerializer, "read_envelope", read_checked)
    monkeypatch.setattr(EnvelopeSerializer, "serialize", write_checked)
    yield
    assert differences == [], "the skill's serializer and the SDK's differ"


@pytest.fixture
def settings_api(tmp_path: Path) -> Iterator[SettingsApi]:
    """A local Alexa Settings API over HTTPS (its own self-signed certificate)."""
    api = SettingsApi(tmp_path)
    yield api
    api.close()


@pytest.fixture(scope="session")
def pki() -> web_certs.TestPKI:
    """A test CA, intermediate and echo-api leaf for request verification tests."""
    return web_certs.TestPKI.create()


@pytest.fixture(scope="session")
def signer(pki: web_certs.TestPKI) -> web_certs.Signer:
    return pki.signer()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many walks the safety properties ran (tests/test_safety_properties.py)."""
    module = sys.modules.get("tests.test_safety_properties")
    if module is not None and module.WALKS_RUN[0]:
        terminalreporter.write_line(f"hypothesis walks run: {module.WALKS_RUN[0]}")
