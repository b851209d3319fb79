"""`python -m skill serve`: the verified endpoint, gunicorn behind a buffering front.

Two processes: the front (skill.web.front) listens on --host:--port and reads every request
whole, on a 10 s deadline, before one fast hop to gunicorn's sync workers on a private Unix
socket, so slow clients never hold a worker. Serves plain HTTP; put an HTTPS reverse proxy
on port 443 in front (docs/self-hosting.md). The embedded SQLite store is used unless
PROGRESS_TABLE is set.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

NO_VERIFY_BANNER = """\
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  ALEXA REQUEST VERIFICATION IS OFF (--no-verify)                        !!
!!  Anyone who can reach this port can call the skill as any user.         !!
!!  For local testing only. Never expose this server to the internet,      !!
!!  and never point a published skill's endpoint at it.                    !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m skill serve", description="Serve the skill's verified web endpoint."
    )
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default 8080)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--no-verify", action="store_true", help="skip Alexa request verification (testing only)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from skill.config import config, configure_logging
    from skill.web.app import ConfigError, create_app

    configure_logging(config(), "%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.no_verify:
        print(NO_VERIFY_BANNER, file=sys.stderr, flush=True)
    try:
        app = create_app(verify=not args.no_verify)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        listener = socket.create_server((args.host, args.port), backlog=1024)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    private = Path(tempfile.mkdtemp(prefix="foot-routine-"))  # 0700: only we reach gunicorn
    backend = private / "app.sock"
    front = subprocess.Popen(
        [sys.executable, "-m", "skill.web.front", str(listener.fileno()), str(backend),
         str(os.getpid())],
        pass_fds=[listener.fileno()],
    )  # fmt: skip
    listener.close()  # the front owns it now
    options: dict[str, Any] = {"bind": f"unix:{backend}", "workers": args.workers}
    try:
        _run_gunicorn(app, options)
    finally:
        front.terminate()
        try:
            front.wait(timeout=5)
        except subprocess.TimeoutExpired:
            front.kill()
        shutil.rmtree(private, ignore_errors=True)
    return 0


def _run_gunicorn(app: Any, options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # gunicorn's documented way to embed it
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                # recent gunicorn opens a control socket in ~/.gunicorn; nothing here uses it.
                self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            return app

    _Server().run()
