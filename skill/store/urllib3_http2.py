"""Keep `importlib.metadata` off the DynamoDB cold path.

urllib3 2.x (botocore's HTTP library) imports `urllib3.http2.probe` from its connection
module, and the `urllib3.http2` package's __init__ runs `from importlib.metadata import
version` on import: ~5-10 ms of every cold start (importlib.metadata, zipfile, csv and
friends), used only by `inject_into_urllib3()`, which opts into HTTP/2 and which nothing
here calls. `register()` puts the package in sys.modules without running that __init__:
its submodules (`probe`, `connection`) load from the real folder as usual, and its two
functions load the real __init__ the first time either is asked for. Nothing is changed
on disk; with any other urllib3 layout it does nothing. The upstream fix is to import
`version` inside `inject_into_urllib3()` (docs/deploy.md).
"""

from __future__ import annotations

import sys
import types
from importlib.util import find_spec
from pathlib import Path
from typing import Any

NAME = "urllib3.http2"
_LAZY = ("inject_into_urllib3", "extract_from_urllib3")


def register() -> bool:
    """True when the package was registered lazily (False: loaded already, or unknown)."""
    if NAME in sys.modules or "urllib3" in sys.modules:
        return False
    spec = find_spec("urllib3")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return False
    folder = Path(next(iter(spec.submodule_search_locations))) / "http2"
    init = folder / "__init__.py"
    if not (init.is_file() and (folder / "probe.py").is_file()):
        return False
    module = types.ModuleType(NAME, "urllib3's HTTP/2 support (its __init__ loaded on use)")
    module.__path__ = [str(folder)]
    module.__package__ = NAME
    module.__file__ = str(init)

    def load_real(name: str) -> Any:
        if name not in _LAZY:
            raise AttributeError(f"module {NAME!r} has no attribute {name!r}")
        exec(compile(init.read_bytes(), str(init), "exec"), module.__dict__)
        return module.__dict__[name]

    module.__getattr__ = load_real  # type: ignore[method-assign]
    sys.modules[NAME] = module
    return True


def bind() -> None:
    """After urllib3 is imported: `urllib3.http2` as an attribute too, as a normal import
    leaves it (the import system binds a package to its parent only when it loads it)."""
    parent, module = sys.modules.get("urllib3"), sys.modules.get(NAME)
    if parent is not None and module is not None and not hasattr(parent, "http2"):
        parent.http2 = module  # type: ignore[attr-defined]
