"""Test-only: the suite's clock in a subprocess (see tests/suite_clock.py).

On PYTHONPATH only in the processes the test suite starts. When SKILL_TEST_SERVER_NOW holds
an ISO time, `skill.progress.bounds.server_now` returns it from the moment that module is
imported (a finder on sys.meta_path wraps its loading). Without the variable this file
imports nothing and changes nothing.
"""

import os

if os.environ.get("SKILL_TEST_SERVER_NOW"):
    import sys
    from datetime import datetime
    from importlib.machinery import ModuleSpec, PathFinder
    from types import ModuleType
    from typing import Any

    class _PinClock:
        """Finds the bounds module as the path finder would, and pins its clock once loaded."""

        def __init__(self, now: datetime) -> None:
            self.now = now

        def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
            if name != "skill.progress.bounds":
                return None
            spec = PathFinder.find_spec(name, path, target)
            loader = spec.loader if spec else None
            if loader is None or not hasattr(loader, "exec_module"):
                return spec
            load, now = loader.exec_module, self.now

            def load_and_pin(module: ModuleType) -> None:
                load(module)
                module.server_now = lambda: now

            loader.exec_module = load_and_pin  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, _PinClock(datetime.fromisoformat(os.environ["SKILL_TEST_SERVER_NOW"])))
