"""Draw the step screen's movement drawings as one SVG, for docs/screens.md.

AVG paths are SVG path data, so this is the drawings exactly as the document holds
them (not a screenshot of a device). Run `python scripts/screen_drawings.py` after
changing a drawing; tests/test_screen_documents.py checks the SVG is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "skill" / "screens" / "documents" / "step.json"
OUT = ROOT / "docs" / "screens-drawings.svg"
CELL, LABEL, COLUMNS = 200, 36, 4


def svg(document: dict[str, Any]) -> str:
    graphics: dict[str, Any] = document["graphics"]
    rows = -(-len(graphics) // COLUMNS)
    width, height = CELL * COLUMNS, (CELL + LABEL) * rows
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<rect width="{width}" height="{height}" fill="#000000"/>',
    ]
    for number, (name, graphic) in enumerate(graphics.items()):
        x, y = CELL * (number % COLUMNS), (CELL + LABEL) * (number // COLUMNS)
        scale = CELL / max(graphic["width"], graphic["height"])
        parts.append(f'<g transform="translate({x},{y}) scale({scale:g})">')
        parts += [_path(item) for item in graphic["items"]]
        parts.append("</g>")
        parts.append(
            f'<text x="{x + CELL // 2}" y="{y + CELL + LABEL - 12}" fill="#FFFFFF" '
            f'font-family="sans-serif" font-size="20" text-anchor="middle">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _path(item: dict[str, Any]) -> str:
    attributes = {
        "d": item["pathData"],
        "fill": item.get("fill", "none"),
        "stroke": item.get("stroke", "none"),
        "stroke-width": str(item.get("strokeWidth", 1)),
        "stroke-linecap": item.get("strokeLineCap", "butt"),
        "stroke-linejoin": item.get("strokeLineJoin", "miter"),
    }
    return "<path " + " ".join(f"{k}={quoteattr(v)}" for k, v in attributes.items()) + "/>"


def main() -> int:
    OUT.write_text(svg(json.loads(DOCUMENT.read_text())))
    print(OUT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
