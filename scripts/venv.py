"""Set up .venv for a make target: only what that target needs, and only once.

    python3 scripts/venv.py runtime   # `make run`, `preview`, `model`, `lambda`: the skill itself
    python3 scripts/venv.py web       # `make serve`: plus Flask and waitress
    python3 scripts/venv.py test      # `make test`, `lint`, `bench`: plus the test toolchain

A level is installed when its stamp (or a fuller level's) is newer than pyproject.toml.
A .venv made by a Python older than the project needs, or whose Python has gone, is
removed and rebuilt, saying why. When the Python running this script is itself too old,
it says exactly what to run instead.

Runs on any Python 3.6 or newer (it must, to say that the Python is too old): plain syntax
only, no annotations.
"""

import os
import shutil
import subprocess
import sys
import time

MINIMUM = (3, 11)  # pyproject.toml's requires-python
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# level -> (what pip installs, stamp file in the venv); each level includes those before it
LEVELS = {
    "runtime": (".", ".runtime"),
    "web": (".[web]", ".web"),
    "test": (".[test]", ".installed"),
}
ORDER = ["runtime", "web", "test"]


def version_text(version):
    return ".".join(str(part) for part in version)


def python_too_old(version, command="python3"):
    """What to tell the person when the Python running make is too old, else None."""
    if tuple(version[:2]) >= MINIMUM:
        return None
    wanted = version_text(MINIMUM)
    return (
        f"This project needs Python {wanted} or newer; {command} is {version_text(version[:3])}.\n"
        f"Install Python {wanted} (for example: apt-get install -y python{wanted}-venv), "
        "then run:\n"
        f"    make clean && make run PYTHON=python{wanted}"
    )


def venv_version(venv):
    """The Python version recorded in venv/pyvenv.cfg, as a tuple, or None."""
    try:
        with open(os.path.join(venv, "pyvenv.cfg")) as config:
            for line in config:
                key, _, value = line.partition("=")
                if key.strip() in ("version", "version_info"):
                    return tuple(int(part) for part in value.strip().split(".")[:3])
    except (OSError, ValueError):
        return None
    return None


def stale_venv(venv):
    """Why an existing venv can't be used (a sentence), or None when it can (or is absent)."""
    if not os.path.exists(venv):
        return None
    inside = os.path.abspath(venv).startswith(ROOT + os.sep)
    name = os.path.relpath(venv, ROOT) if inside and os.path.isabs(venv) else venv
    version = venv_version(venv)
    if version is None:
        return f"{name} has no readable pyvenv.cfg"
    if version[:2] < MINIMUM:
        found, wanted = version_text(version), version_text(MINIMUM)
        return f"{name} was made by Python {found}, older than the {wanted} this project needs"
    if not os.access(os.path.join(venv, "bin", "python"), os.X_OK):
        return f"{name}'s Python {version_text(version)} is no longer installed"
    return None


def fresh(venv, level):
    """True when `level` (or a fuller one) was installed after pyproject.toml last changed."""
    changed = os.path.getmtime(os.path.join(ROOT, "pyproject.toml"))
    for fuller in ORDER[ORDER.index(level) :]:
        stamp = os.path.join(venv, LEVELS[fuller][1])
        if os.path.exists(stamp) and os.path.getmtime(stamp) >= changed:
            return True
    return False


def ensure(level, venv):
    problem = python_too_old(sys.version_info, os.path.basename(sys.executable) or "python3")
    if problem:
        print(problem, file=sys.stderr)
        return 1
    why = stale_venv(venv)
    if why:
        print(f"{why}: rebuilding it.", file=sys.stderr)
        shutil.rmtree(venv)
    if fresh(venv, level):
        return 0
    target, stamp = LEVELS[level]
    print(
        f"Installing into {venv} what `{level}` needs (first time only; pip shows each package).",
        flush=True,
    )
    started = time.monotonic()
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    command = [python, "-m", "pip", "install", "--disable-pip-version-check", "-e", target]
    if subprocess.call(command, cwd=ROOT) != 0:
        print(f"pip could not install {target}; see above.", file=sys.stderr)
        return 1
    with open(os.path.join(venv, stamp), "w"):
        pass
    print(f"Ready in {time.monotonic() - started:.0f} s.", flush=True)
    return 0


def main(argv):
    if len(argv) not in (1, 2) or argv[0] not in LEVELS:
        print("usage: python3 scripts/venv.py {runtime|web|test} [VENV]", file=sys.stderr)
        return 2
    venv = argv[1] if len(argv) == 2 else os.path.join(ROOT, ".venv")
    return ensure(argv[0], venv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
