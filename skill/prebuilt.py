"""Data files prebuilt for a fast start: each TOML data file the first answer reads
(the routine, the locale words) is also kept as `<name>.built.json` beside it, which
json (already loaded by the ASK SDK) reads in a fraction of a millisecond, against
tomllib's import plus ~2.5 ms of parsing on every cold start.

Built files are generated, never committed: `make lambda` builds them into the zip,
`make bench` before timing anything, `make data` by hand. A built file records the size
and CRC-32 of the text it was built from and is used only while they match, so an edited
TOML file is read directly until it is rebuilt (never old words or numbers), and where
there is none (a fresh checkout) the TOML is parsed as before.
tests/test_prebuilt_data.py checks each built file equals its source.

The same step trims botocore's data files for the DynamoDB client
(skill/store/botocore_trim.py; tests/test_botocore_data.py).

    python -m skill.prebuilt           # rebuild every built file
"""

from __future__ import annotations

import binascii
import json
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
SOURCES = (
    PACKAGE / "routine" / "routine.toml",
    PACKAGE / "locales" / "en.toml",
    PACKAGE / "locales" / "languages.toml",
)


def built_path(source: Path) -> Path:
    return source.with_suffix(".built.json")


def _stamp(raw: bytes) -> dict[str, int]:
    return {"source_bytes": len(raw), "source_crc32": binascii.crc32(raw)}


def load_toml(source: Path) -> dict[str, Any] | None:
    """The TOML file parsed (from its built file while that matches); None when absent."""
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        return None
    try:
        built = json.loads(built_path(source).read_bytes())
        if {k: built.get(k) for k in ("source_bytes", "source_crc32")} == _stamp(raw):
            data: dict[str, Any] = built["data"]
            return data
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent or unreadable: parse the source
    import tomllib

    return tomllib.loads(raw.decode("utf-8"))


def build(source: Path) -> Path:
    """Write the built file for one TOML source; returns its path."""
    import tomllib

    raw = source.read_bytes()
    document = {**_stamp(raw), "data": tomllib.loads(raw.decode("utf-8"))}
    target = built_path(source)
    target.write_text(json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    return target


def main() -> None:
    for source in SOURCES:
        print(f"built {build(source).relative_to(PACKAGE.parent)}")
    from skill.store import botocore_trim

    botocore_trim.main()


if __name__ == "__main__":
    main()
