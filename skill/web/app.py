"""The self-hosted endpoint: a Flask app that verifies Alexa requests and answers them.

Production: `python -m skill serve` (waitress, which buffers whole requests before a
thread sees them; skill/web/serve.py), behind HTTPS. A bare gunicorn
'skill.web.app:create_app()' needs a proxy that buffers whole requests in front, or slow
clients hold its sync workers.

Every refused request is answered 400 with a tiny JSON body and logged as one
warning line with the reason; the client never sees why, or a stack trace.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from skill.alexa.apology import apology
from skill.config import Config
from skill.web.verify import (
    AlexaVerifier,
    Fetch,
    VerificationError,
    fetch_url,
    load_roots,
    parse_json,
)

log = logging.getLogger("skill.web")

MAX_BODY_BYTES = 64 * 1024  # real requests are a few KB; Alexa's own response cap is 24 KB

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class ConfigError(RuntimeError):
    """The endpoint cannot start as configured (the message says what to set)."""


# -- configuration from the environment --------------------------------------------------------


def _mirror_fetch(base: str) -> Fetch:
    """TEST HOOK: download certificate chains from a loopback HTTP server instead of S3.

    The certificate URL is still checked against Amazon's rules first; only the
    download goes to `base` + the URL's path. Loopback only, so it cannot turn
    the endpoint into a fetcher of arbitrary addresses.
    """
    parts = urlsplit(base)
    try:
        loopback = ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        loopback = parts.hostname == "localhost"
    if parts.scheme != "http" or not loopback:
        raise ConfigError("ALEXA_TEST_CERT_MIRROR must be http://127.0.0.1:PORT (loopback only)")
    root = base.rstrip("/")

    def fetch(url: str) -> bytes:
        return fetch_url(root + urlsplit(url).path)

    return fetch


def verifier_from_env(env: Mapping[str, str] | None = None) -> AlexaVerifier:
    """ALEXA_SKILL_ID (required), ALEXA_CERT_ROOTS (PEM bundle; default certifi),
    ALEXA_TEST_CERT_MIRROR (tests only)."""
    env = os.environ if env is None else env
    skill_id = Config.from_env(dict(env)).alexa_skill_id
    if not skill_id:
        raise ConfigError(
            "ALEXA_SKILL_ID is not set. Request verification checks every request's "
            "skill id against it: set ALEXA_SKILL_ID=amzn1.ask.skill.<your id> "
            "(Alexa developer console > your skill > Endpoint), or run with --no-verify "
            "for local testing only."
        )
    roots_path = env.get("ALEXA_CERT_ROOTS") or None
    try:
        roots = load_roots(roots_path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"ALEXA_CERT_ROOTS={roots_path!r} unreadable: {exc}") from None
    mirror = env.get("ALEXA_TEST_CERT_MIRROR")
    fetch: Fetch = fetch_url
    if mirror:
        log.warning("TEST MODE: certificate chains are downloaded from %s", mirror)
        fetch = _mirror_fetch(mirror)
    return AlexaVerifier(skill_id=skill_id, roots=roots, fetch=fetch)


def _default_handler() -> Handler:
    from skill.alexa.app import handle

    return handle


# -- answers -----------------------------------------------------------------------------------


def _json(payload: Mapping[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def _refuse(reason: str) -> Response:
    log.warning("refused Alexa request from %s: %s", request.remote_addr, reason)
    return _json({"error": "bad request"}, 400)


# -- the app -----------------------------------------------------------------------------------


def create_app(
    verifier: AlexaVerifier | None = None,
    handler: Handler | None = None,
    *,
    verify: bool = True,
    max_body: int = MAX_BODY_BYTES,
) -> Flask:
    """The endpoint. With verify=True and no verifier, one is built from the environment
    (raises ConfigError when ALEXA_SKILL_ID is missing: refusing to start beats
    refusing every request while looking healthy)."""
    if verify and verifier is None:
        verifier = verifier_from_env()
    if not verify:
        verifier = None
        log.warning("Alexa request verification is OFF: for local testing only")
    answer = handler or _default_handler()

    app = Flask("skill.web")
    # One byte over the cap: Werkzeug silently truncates a streamed (chunked) body at
    # the limit instead of raising, so reading max_body + 1 bytes is how we notice.
    app.config["MAX_CONTENT_LENGTH"] = max_body + 1

    @app.get("/health")
    def health() -> Response:
        return _json({"status": "ok"})

    @app.post("/")
    def alexa() -> Response:
        if request.content_length is not None and request.content_length > max_body:
            return _refuse(f"body over {max_body} bytes")
        try:
            body = request.get_data(cache=False)
        except RequestEntityTooLarge:
            return _refuse(f"body over {max_body} bytes")
        if len(body) > max_body:  # a chunked body, measured while read
            return _refuse(f"body over {max_body} bytes")
        if not body:  # also what a chunked body looks like when the server can't bound it
            return _refuse("empty body (or no Content-Length)")
        try:
            if verifier is None:
                event = parse_json(body)
            else:
                event = verifier.verify(
                    body,
                    request.headers.get("SignatureCertChainUrl"),
                    request.headers.get("Signature-256"),
                )
        except VerificationError as exc:
            return _refuse(str(exc))
        except Exception as exc:  # a verification bug must still not be a 500
            return _refuse(f"verification error {type(exc).__name__}: {exc}")
        try:
            return _json(answer(event, None))
        except Exception:
            request_id = event.get("request", {}).get("requestId", "?")
            log.exception("skill handler failed for request %s", request_id)
            # HTTP 200 with the spoken apology, not an error status: Alexa answers any
            # non-200 with a generic "problem with the skill's response" (docs/design.md).
            return _json(apology(event))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code = exc.code or 400
        if code == 413:  # the issue asks for 400 on every refused request
            return _refuse("body too large")
        if code >= 500:
            code = 400
        return _json({"error": (exc.name or "error").lower()}, code)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.path)
        return _json({"error": "bad request"}, 400)

    return app
