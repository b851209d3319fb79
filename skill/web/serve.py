"""`python -m skill serve`: the verified endpoint under gunicorn (the same server as production).

Serves plain HTTP on loopback; put an HTTPS reverse proxy on port 443 in front
(docs/self-hosting.md). The embedded SQLite store is used unless PROGRESS_TABLE is set.
"""

from __future__ import annotations

import argparse
import sys
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
    import logging

    from skill.config import config
    from skill.web.app import ConfigError, create_app

    logging.basicConfig(
        level=config().log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.no_verify:
        print(NO_VERIFY_BANNER, file=sys.stderr, flush=True)
    try:
        app = create_app(verify=not args.no_verify)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options: dict[str, Any] = {"bind": f"{args.host}:{args.port}", "workers": args.workers}
    _run_gunicorn(app, options)
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
