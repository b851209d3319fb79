"""`python -m skill <command>`: one entry point, each command in its own module.

Commands are imported only when chosen, so `preview` never loads Flask and
`serve` never loads espeak helpers.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import NoReturn

# command -> (module, one-line description); each module exposes main(argv) -> int
COMMANDS: dict[str, tuple[str, str]] = {
    "chat": ("skill.dev.console", "type what you would say and read what Alexa answers"),
    "preview": ("skill.speech.preview", "the routine as a timing table, JSON or a WAV file"),
    "serve": ("skill.web.serve", "the self-hosted web endpoint (Flask, verified requests)"),
    "model": ("skill.alexa.model_gen", "regenerate interaction_model/ and compiled catalogues"),
    "catalogues": ("skill.dev.catalogues", "check (or --update) the translation catalogues"),
    "package": ("skill.dev.skill_package", "write skill-package/ for `ask deploy`"),
}


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option is one line on stderr (`prog: error: ...`), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (--help lists the options)\n")


def int_within(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from low to high, else an error naming the range."""

    def parse(text: str) -> int:
        try:
            number = int(text.strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number ({what}: {low} to {high})"
            ) from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is out of range ({what}: {low} to {high})")
        return number

    return parse


def usage() -> str:
    lines = ["usage: python -m skill <command> [options]", "", "commands:"]
    lines += [f"  {name:<10} {about}" for name, (_, about) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"} or args[0] not in COMMANDS:
        print(usage(), file=sys.stderr if args and args[0] not in {"-h", "--help"} else sys.stdout)
        return 0 if args and args[0] in {"-h", "--help"} else 2
    module_name, _ = COMMANDS[args[0]]
    module = importlib.import_module(module_name)
    try:
        return int(module.main(args[1:]) or 0)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
