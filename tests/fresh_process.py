"""A fresh interpreter that imports the Lambda entry and answers one request, as Lambda
runs it without SnapStart, for tests that read what such a first answer loaded or built.
The child script prints one JSON line last; it gets the Lambda folder and `args` as
sys.argv[1:], the event on stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def first_answer(script: str, env: dict[str, str], event: dict[str, Any], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "lambda"), *args],
        input=json.dumps(event),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
