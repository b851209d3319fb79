"""The APL documents, read from documents/*.json beside this module.

Read on first use (a voice-only request never opens them) and sent without their
`description` fields, which document the files but cost response bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).with_name("documents")
STEP = "step"
PROGRESS = "progress"
NAMES = (STEP, PROGRESS)


def path_of(name: str) -> Path:
    return FOLDER / f"{name}.json"


@lru_cache(maxsize=len(NAMES))
def document(name: str) -> dict[str, Any]:
    """The document `name`, compact: what a RenderDocument directive carries."""
    found = json.loads(path_of(name).read_text(encoding="utf-8"))
    if not isinstance(found, dict):
        raise ValueError(f"{name}.json is not an APL document")
    compacted = _without_descriptions(found)
    assert isinstance(compacted, dict)
    return compacted


def version(name: str) -> str:
    return str(document(name)["version"])


def drawings(name: str = STEP) -> frozenset[str]:
    """The AVG graphics a document defines (the step screen has one per exercise)."""
    return frozenset(document(name).get("graphics", {}))


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node
