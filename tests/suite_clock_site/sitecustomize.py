"""Test-only: the suite's clock in a subprocess (see tests/suite_clock.py).

On PYTHONPATH only in the processes the test suite starts. When SKILL_TEST_SERVER_NOW holds
an ISO time, `skill.progress.bounds.server_now` returns it from the moment that module is
imported (a finder on sys.meta_path wraps its loading). Nothing is imported here that the
interpreter has not already loaded, so import-cost tests see the skill's own imports; without
the variable this file changes nothing.
"""

import os
import sys
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

_PINNED = os.environ.get("SKILL_TEST_SERVER_NOW", "")


class _PinClock:
    """Finds the bounds module as the path finder would, and pins its clock once loaded."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name != "skill.progress.bounds":
            return None
        spec = PathFinder.find_spec(name, path, target)  # type: ignore[arg-type]
        loader = spec.loader if spec else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        load = loader.exec_module

        def load_and_pin(module: ModuleType) -> None:
            load(module)
            from datetime import datetime  # the bounds module has just imported it

            now = datetime.fromisoformat(_PINNED)
            module.server_now = lambda: now

        loader.exec_module = load_and_pin  # type: ignore[method-assign]
        return spec


if _PINNED:
    sys.meta_path.insert(0, _PinClock())
