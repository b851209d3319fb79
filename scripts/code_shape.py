"""The shape of skill/: the largest class (members, inherited mixins counted) and the
longest module, and any import cycle among skill's own modules.

    python scripts/code_shape.py [ROOT]    # ROOT defaults to this checkout
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted((root / "skill").rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def class_members(found: dict[str, Path]) -> dict[str, int]:
    """Members per class: its own functions and properties, plus those of the classes
    it inherits from within skill/ (a mixin's members are the class's)."""
    own: dict[str, set[str]] = {}
    bases: dict[str, list[str]] = {}
    for name, path in found.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                key = f"{name}.{node.name}"
                own[key] = {
                    item.name
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                }
                bases[key] = [b.id for b in node.bases if isinstance(b, ast.Name)]
    by_short = {key.rsplit(".", 1)[1]: key for key in own}

    def members(key: str, seen: frozenset[str] = frozenset()) -> set[str]:
        total = set(own[key])
        for base in bases[key]:
            if base in by_short and by_short[base] not in seen | {key}:
                total |= members(by_short[base], seen | {key})
        return total

    return {key: len(members(key)) for key in own}


def cycles(found: dict[str, Path]) -> list[list[str]]:
    """Import cycles among skill's modules: every import, TYPE_CHECKING and function-level
    ones included (a cycle hidden from the interpreter is still a cycle to a reader)."""
    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, path in found.items():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name] |= {t for t in targets if t in found and t != name}
    found_cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found_cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found_cycles


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    found = modules(root)
    members = class_members(found)
    largest = max(members, key=lambda k: members[k])
    lines = {name: len(path.read_text().splitlines()) for name, path in found.items()}
    longest = max(lines, key=lambda k: lines[k])
    print(f"largest class: {largest} with {members[largest]} members")
    print(f"longest module: {longest} with {lines[longest]} lines")
    loops = cycles(found)
    print(f"import cycles: {len(loops)}")
    for loop in loops[:5]:
        print("  " + " -> ".join(loop))


if __name__ == "__main__":
    main()
