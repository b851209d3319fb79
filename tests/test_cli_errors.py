"""Bad command-line input gets one clear line on stderr and exit status 2, never a
traceback: the real `python -m skill` commands, as a person would type them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "skill", *argv]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["serve", "--port", "99999"], "99999 is out of range (a TCP port: 1 to 65535)"),
        (["serve", "--port", "eighty"], "'eighty' is not a whole number (a TCP port"),
        (["serve", "--workers", "0"], "0 is out of range (worker threads: 1 to 64)"),
        (["serve", "--threads", "-2"], "-2 is out of range (worker threads: 1 to 64)"),
        (["preview", "--wav", "/no/such/dir/x.wav"], "the folder '/no/such/dir' does not exist"),
        (["preview", "--raise-reps", "abc"], "'abc' is not a whole number (raises per foot"),
        (["preview", "--only", ""], "'' is not an exercise; one of: toe_curls, "),
        (["preview", "--only", "toe curls"], "'toe curls' is not an exercise; one of: "),
    ],
)
def test_bad_input_is_one_clear_line(argv: list[str], says: str) -> None:
    done = run(*argv)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], done.stderr
    assert lines[0].startswith(f"python -m skill {argv[0]}: error: ")


def test_serve_without_the_web_extra_says_what_to_install() -> None:
    """The venv `make run` builds has the skill alone: no Flask, no waitress."""
    hide = "import sys; sys.modules['flask'] = sys.modules['waitress'] = None; "
    done = run(code=hide + "from skill.cli import main; raise SystemExit(main(['serve']))")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "make serve" in lines[0] and "pip install '.[web]'" in lines[0]


def test_serve_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("serve", "--no-verify", "--port", str(port))
    assert done.returncode == 2
    assert f"error: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
