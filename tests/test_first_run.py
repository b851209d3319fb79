"""A newcomer's first run: the venv, the console's zone and fresh start, preview's errors."""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from skill.dev.console import CONSOLE_USER, NO_AUDIO
from skill.speech import preview
from skill.store.sqlite import SQLiteProgressStore
from tests import web_certs as wc
from tests.audio_measure import require_audio_tools

ROOT = Path(__file__).resolve().parents[1]


def venv_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("venv_script", ROOT / "scripts" / "venv.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chat(database: Path, lines: list[str], *args: str, env: dict[str, str] | None = None) -> str:
    environment = {**os.environ, "PROGRESS_DB": str(database), "DEFAULT_TIME_ZONE": "UTC"}
    environment.pop("PROGRESS_TABLE", None)
    done = subprocess.run(
        [sys.executable, "-m", "skill", "chat", *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        env={**environment, **(env or {})},
        timeout=60,
        check=True,
    )
    assert done.stderr == "", done.stderr
    return done.stdout


# -- the venv ---------------------------------------------------------------------------


def test_a_venv_made_by_a_too_old_python_is_named_and_rebuilt(tmp_path: Path) -> None:
    script = venv_script()
    venv = tmp_path / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    assert script.stale_venv(str(venv)) is None  # made by this Python: fine
    config = venv / "pyvenv.cfg"
    # What `python3.9 -m venv` writes; an old venv is otherwise the same folder.
    config.write_text(
        "\n".join(
            "version = 3.9.2" if line.startswith("version") else line
            for line in config.read_text().splitlines()
        )
    )
    why = script.stale_venv(str(venv))
    assert why is not None and "made by Python 3.9.2" in why and "3.11" in why


def test_a_venv_whose_python_was_removed_is_rebuilt(tmp_path: Path) -> None:
    script = venv_script()
    venv = tmp_path / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    python.unlink()
    python.symlink_to(tmp_path / "uninstalled-python3.12")
    why = script.stale_venv(str(venv))
    assert why is not None and "no longer installed" in why


def test_a_too_old_python_is_told_exactly_what_to_run() -> None:
    script = venv_script()
    message = script.python_too_old((3, 9, 2), "python3")
    assert "needs Python 3.11 or newer; python3 is 3.9.2" in message
    assert "make clean && make run PYTHON=python3.11" in message
    assert script.python_too_old(sys.version_info) is None


# -- the console ------------------------------------------------------------------------


def test_a_typed_zone_wins_over_the_stored_one_and_the_default(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    store = SQLiteProgressStore(database)
    # Finishing an exercise is a write, and the device's zone rides along with it.
    chat(database, ["start my foot routine", "no", "next", "next", "stop"], "--zone", "Asia/Tokyo")
    assert store.load(CONSOLE_USER).time_zone == "Asia/Tokyo"
    carry_on = ["start my foot routine", "yes", "next", "next", "next", "next", "stop"]
    chat(database, carry_on, "--zone", "America/Denver")
    assert store.load(CONSOLE_USER).time_zone == "America/Denver"
    chat(database, carry_on)  # nothing typed: the stored zone, not DEFAULT_TIME_ZONE (UTC)
    assert store.load(CONSOLE_USER).time_zone == "America/Denver"


def test_an_unknown_zone_is_refused_with_an_example(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skill", "chat", "--zone", "Mars/Olympus"],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "'Mars/Olympus' is not a time zone name" in done.stderr
    assert "Europe/London" in done.stderr


def test_fresh_forgets_the_stored_progress(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    chat(database, ["start my foot routine", "no", "next", "stop"])
    again = chat(database, ["start my foot routine"])
    assert "Welcome back." in again
    fresh = chat(database, ["start my foot routine"], "--fresh")
    assert f"Progress forgotten ({database})." in fresh
    assert "Welcome to your foot routine." in fresh and "Welcome back." not in fresh
    chat(database, ["start my foot routine", "no", "next", "stop"])
    assert SQLiteProgressStore(database).load(CONSOLE_USER).position is not None
    forgot = chat(database, ["this line is never read"], "--forget")
    assert forgot == f"Progress forgotten ({database}).\n"
    assert SQLiteProgressStore(database).load(CONSOLE_USER).position is None


def test_piped_input_is_read_to_the_end_past_empty_lines(tmp_path: Path) -> None:
    lines = ["start my foot routine", "", "", "", "how many days have I completed"]
    out = chat(tmp_path / "progress.sqlite3", lines)
    assert "You haven't finished a full routine yet." in out


def test_speak_without_a_sound_device_says_so_once(tmp_path: Path) -> None:
    require_audio_tools()
    # No sound card and no sound server, whatever this machine has.
    silent = {"ALSA_CARD": "no-such-card", "PULSE_SERVER": "unix:/nonexistent", "AUDIODEV": "null"}
    out = chat(
        tmp_path / "progress.sqlite3",
        ["start my foot routine", "no", "stop"],
        "--speak",
        env=silent,
    )
    assert out.count(NO_AUDIO) == 1
    assert "ALSA" not in out
    assert out.rstrip().endswith("(session ended)")


# -- preview ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--toe-curl-reps", "9"], "9 is out of range (toe curls per foot: 4 to 5)"),
        (["--raise-reps", "500"], "500 is out of range (raises per foot: 10 to 30)"),
        (["--raise-reps", "ten"], "'ten' is not a whole number (raises per foot: 10 to 30)"),
        (["--locale", "fr-FR"], "invalid choice: 'fr-FR' (choose from 'en-US', 'en-GB'"),
    ],
)
def test_preview_refuses_what_it_cannot_honour(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        preview.main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_preview_takes_values_inside_the_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert preview.main(["--toe-curl-reps", "5", "--raise-reps", "30", "--locale", "en-GB"]) == 0
    assert "segments" in capsys.readouterr().out


# -- the endpoint's request format ------------------------------------------------------


def test_the_documented_sample_launch_request_gets_the_welcome(tmp_path: Path) -> None:
    """docs/self-hosting.md's curl, posting the sample file to `make serve-dev`, is answered."""
    guide = (ROOT / "docs" / "self-hosting.md").read_text()
    command = re.search(r"^curl .*$", guide, re.MULTILINE)
    assert command is not None
    sample = re.search(r"@(\S+\.json)", command.group(0))
    target = re.search(r"(http://127\.0\.0\.1:8080/)", command.group(0))
    assert sample and target and "Content-Type: application/json" in command.group(0)
    serve_dev = re.search(r"^serve-dev:.*\n(?:\t.*\n)*", (ROOT / "Makefile").read_text(), re.M)
    assert serve_dev and "--host 127.0.0.1 --port 8080 --no-verify" in serve_dev.group(0)
    body = (ROOT / sample.group(1)).read_bytes()
    assert json.loads(body)["request"]["type"] == "LaunchRequest"

    port = wc.free_port()  # the Makefile's port 8080 may be taken on this machine
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    environment |= {"PROGRESS_DB": str(tmp_path / "p.sqlite3"), "PROGRESS_TABLE": ""}
    with (tmp_path / "serve.log").open("wb") as log:
        serve_dev = [sys.executable, "-m", "skill", "serve", "--host", "127.0.0.1"]
        server = subprocess.Popen(
            [*serve_dev, "--port", str(port), "--no-verify"],
            env=environment,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wc.wait_for_health(port)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/", body, {"Content-Type": "application/json"})
            answer = connection.getresponse()
            assert answer.status == 200
            envelope = json.loads(answer.read())
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert envelope["response"]["shouldEndSession"] is False
    assert "Welcome to your foot routine." in envelope["response"]["outputSpeech"]["ssml"]


# -- the README ---------------------------------------------------------------------------


def test_the_readme_layout_matches_the_tree() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## How it is laid out\n\n```\n", 1)[1].split("```", 1)[0]
    listed = [line.split()[0] for line in block.splitlines() if line and not line[0].isspace()]
    missing = [path for path in listed if not (ROOT / path).exists()]
    assert missing == []
    covered = {path.rstrip("/") for path in listed}
    parts = [p for p in (ROOT / "skill").iterdir() if p.name not in {"__pycache__"}]
    for part in parts:
        if part.name in {"__init__.py", "__main__.py"}:
            continue
        name = f"skill/{part.name}"
        assert name in covered or any(path.startswith(name + "/") for path in covered), name
    for folder in ("lambda", "interaction_model", "scripts", "docs", "tests", "benchmarks"):
        assert any(path == folder or path.startswith(folder + "/") for path in covered), folder


def test_ctrl_d_in_a_terminal_leaves_on_a_new_line(tmp_path: Path) -> None:
    """Typed in a terminal: the banner, a prompt, and after Ctrl-D a line break, so the
    shell's prompt does not land on the "You:" line."""
    import pty

    leader, follower = pty.openpty()
    environment = {**os.environ, "PROGRESS_DB": str(tmp_path / "p.sqlite3")}
    environment.pop("PROGRESS_TABLE", None)
    chat = subprocess.Popen(
        [sys.executable, "-m", "skill", "chat"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
    )
    os.close(follower)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"You: " not in seen and time.monotonic() < deadline:
            seen += os.read(leader, 4096)
        os.write(leader, b"\x04")  # Ctrl-D at the prompt
        assert chat.wait(timeout=30) == 0
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if chat.poll() is None:
            chat.kill()
        os.close(leader)
    text = seen.decode()
    assert "Type what you would say to Alexa" in text
    assert text.endswith("You: \r\n")
