"""The prebuilt data files (skill/prebuilt.py) say exactly what their TOML sources say,
and an edited source is never answered from an old built file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from msgspec.structs import fields

from skill import prebuilt
from skill.routine.model import load_routine, parse_routine, read_routine_data
from skill.speech.copy import copy_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    """The built files, as `make data` (and `make lambda`, `make bench`) write them."""
    prebuilt.main()


@pytest.mark.parametrize("source", prebuilt.SOURCES, ids=lambda p: p.name)
def test_each_built_file_equals_its_source(source: Path) -> None:
    built = json.loads(prebuilt.built_path(source).read_text("utf-8"))
    raw = source.read_bytes()
    assert built["data"] == tomllib.loads(raw.decode("utf-8"))
    assert (built["source_bytes"], built["source_crc32"]) == (
        len(raw),
        prebuilt.binascii.crc32(raw),
    )
    assert prebuilt.load_toml(source) == tomllib.loads(raw.decode("utf-8"))


def test_the_skill_reads_the_same_routine_and_words_as_from_toml() -> None:
    source = tomllib.loads(prebuilt.SOURCES[0].read_text("utf-8"))
    assert read_routine_data() == source
    built, parsed = load_routine(), parse_routine(source)
    assert [getattr(built, f.name) for f in fields(built)] == [
        getattr(parsed, f.name) for f in fields(parsed)
    ]
    words = tomllib.loads(prebuilt.SOURCES[1].read_text("utf-8"))
    assert (
        copy_for("en-US").say("safety.not_medical_advice")
        == _flat(words)["safety.not_medical_advice"]
    )


def _flat(table: dict[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_an_edited_source_is_read_directly_until_rebuilt(tmp_path: Path) -> None:
    source = tmp_path / "routine.toml"
    shutil.copy(prebuilt.SOURCES[0], source)
    prebuilt.build(source)
    assert prebuilt.load_toml(source) == tomllib.loads(source.read_text("utf-8"))
    edited = source.read_text("utf-8").replace("[routine]", "[routine]\nedited = true", 1)
    source.write_text(edited, "utf-8")
    assert prebuilt.load_toml(source)["routine"]["edited"] is True  # not the old built file
    prebuilt.built_path(source).write_text("{not json", "utf-8")
    assert prebuilt.load_toml(source)["routine"]["edited"] is True
    prebuilt.build(source)
    assert json.loads(prebuilt.built_path(source).read_text("utf-8"))["data"]["routine"]["edited"]
    assert prebuilt.load_toml(tmp_path / "absent.toml") is None


def test_a_cold_start_never_imports_tomllib() -> None:
    code = (
        "import sys; sys.path.insert(0, 'lambda'); import lambda_function; "
        "print('tomllib' in sys.modules)"
    )
    env = {"PATH": "/usr/bin:/bin", "DEFAULT_TIME_ZONE": "UTC", "LOG_LEVEL": "ERROR"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
