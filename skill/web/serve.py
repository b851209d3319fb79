"""`python -m skill serve`: the verified endpoint on waitress.

waitress reads every request whole (headers and body, buffered in memory) on its own
event loop, and only a complete request reaches one of its worker threads, so a client
trickling bytes costs an open connection, never a thread. Its limits, set here:

- `connection_limit`: open client connections; beyond it waitress stops accepting
  (new connections wait in the kernel's backlog) until some close. Kept below the
  process's file limit, so accept() never fails for want of descriptors;
- `channel_timeout`: a connection with no bytes in either direction for this long is
  closed (checked every `cleanup_interval`); Alexa sends a request in milliseconds;
- `max_request_header_size`, `max_request_body_size`: Alexa's requests are a few KB;
- `trusted_proxy`: with TRUSTED_PROXY set, the client address is taken from that proxy's
  X-Forwarded-For header (and only that proxy's); otherwise from the socket.

Serves plain HTTP; put an HTTPS reverse proxy on port 443 in front (docs/self-hosting.md).
The embedded SQLite store is used unless PROGRESS_TABLE is set.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import signal
import sys
from types import FrameType
from typing import Any

from skill.cli import OneLineParser, int_within

CONNECTION_LIMIT = 4000  # open client connections, when the file limit allows
FILE_RESERVE = 64  # descriptors kept for the store, certificate downloads, logs
IDLE_TIMEOUT_S = 10  # waitress channel_timeout: no byte either way for this long
CLEANUP_INTERVAL_S = 2  # how often waitress looks for idle connections
MAX_HEAD_BYTES = 16 * 1024  # request line and headers; Alexa's are about 2 KB
WEB_EXTRA_HINT = (
    "`serve` needs the web extra (Flask, waitress, cryptography): run `make serve`, "
    "or `.venv/bin/pip install '.[web]'` in the repository"
)

NO_VERIFY_BANNER = """\
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  ALEXA REQUEST VERIFICATION IS OFF (--no-verify)                        !!
!!  Anyone who can reach this port can call the skill as any user.         !!
!!  For local testing only. Never expose this server to the internet,      !!
!!  and never point a published skill's endpoint at it.                    !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m skill serve", description="Serve the skill's verified web endpoint."
    )
    parser.add_argument(
        "--port", type=int_within(1, 65535, "a TCP port"), default=8080, help="default 8080"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument(
        "--threads",
        "--workers",
        dest="threads",
        type=int_within(1, 64, "worker threads"),
        default=4,
        help="threads answering complete requests (default 4; --workers is the old name)",
    )
    parser.add_argument(
        "--no-verify", action="store_true", help="skip Alexa request verification (testing only)"
    )
    return parser.parse_args(argv)


def connection_limit(wanted: int = CONNECTION_LIMIT) -> int:
    """Raise the soft file limit (never past the hard one) to fit `wanted` connections and
    FILE_RESERVE descriptors more; the connections allowed are kept that far below it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted + FILE_RESERVE
    if hard != resource.RLIM_INFINITY:
        target = min(target, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(1, min(wanted, soft - FILE_RESERVE))


def waitress_options(threads: int, trusted_proxy: str | None) -> dict[str, Any]:
    from skill.web.app import MAX_BODY_BYTES

    options: dict[str, Any] = {
        "threads": threads,
        "connection_limit": connection_limit(),
        "channel_timeout": IDLE_TIMEOUT_S,
        "cleanup_interval": CLEANUP_INTERVAL_S,
        "max_request_header_size": MAX_HEAD_BYTES,
        "max_request_body_size": MAX_BODY_BYTES,
        "backlog": 1024,
        "asyncore_use_poll": True,  # select() stops at descriptor 1024 and kills the loop
        "ident": "foot-routine",
        # Without this, each failed accept() logs a traceback: under descriptor
        # exhaustion that is a log line per loop turn (the limit above avoids it).
        "log_socket_errors": False,
        "expose_tracebacks": False,
        "clear_untrusted_proxy_headers": True,
    }
    if trusted_proxy:
        options["trusted_proxy"] = trusted_proxy
        options["trusted_proxy_headers"] = {"x-forwarded-for"}
        options["trusted_proxy_count"] = 1
    return options


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # waitress's run() closes its threads on SystemExit


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        from waitress.server import create_server

        from skill.web.app import ConfigError, create_app
    except ModuleNotFoundError as exc:
        print(f"error: {WEB_EXTRA_HINT} (missing module {exc.name!r})", file=sys.stderr)
        return 2
    from skill.config import config, configure_logging

    configure_logging(config(), "%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress").setLevel(logging.WARNING)
    if args.no_verify:
        print(NO_VERIFY_BANNER, file=sys.stderr, flush=True)
    try:
        app = create_app(verify=not args.no_verify)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    trusted = os.environ.get("TRUSTED_PROXY", "").strip() or None
    try:
        server = create_server(
            app, host=args.host, port=args.port, **waitress_options(args.threads, trusted)
        )
    except (OSError, ValueError) as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    handlers: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        handlers[signum] = signal.signal(signum, _exit_cleanly)
    logging.getLogger("skill.web").info(
        "serving on http://%s:%d (%d threads, up to %d connections)",
        args.host,
        args.port,
        args.threads,
        server.adj.connection_limit,
    )
    try:
        server.run()  # returns on SIGTERM/SIGINT/SIGHUP, its threads closed
    finally:
        server.close()
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return 0
