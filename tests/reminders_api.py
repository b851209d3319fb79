"""A local Alexa Reminders API over TLS, following the documented contract.

    POST   /v1/alerts/reminders               create  -> 200 {alertToken, createdTime, ...}
    GET    /v1/alerts/reminders               list    -> 200 {totalCount, alerts, links}
    GET    /v1/alerts/reminders/{alertToken}  read    -> 200 the reminder
    PUT    /v1/alerts/reminders/{alertToken}  update  -> 200 {alertToken, ...}
    DELETE /v1/alerts/reminders/{alertToken}  delete  -> 200, empty

Every call needs `Authorization: Bearer <apiAccessToken>`. A token the person has not
granted the reminders permission answers 401; a token for a device or account that
cannot take reminders answers 403; a body that breaks the contract answers 400; an
unknown alert token 404. Tests can also queue failures (429, 5xx) and slow answers.
Errors carry `{"code": ..., "message": ...}` as the service does.

It also answers the Settings API's time-zone read (`GET /v2/devices/{id}/settings/
System.timeZone`, any bearer token), so one server plays the request's apiEndpoint.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.settings_api import _self_signed, serve_https

BASE = "/v1/alerts/reminders"
_LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?")  # no offset
_RULE = re.compile(r"FREQ=(DAILY|WEEKLY);(BY[A-Z]+=[A-Z0-9,]+;)*INTERVAL=\d+;?")
_CODES = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "DEVICE_NOT_SUPPORTED",
    404: "ALERT_NOT_FOUND",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def check_reminder(body: Any) -> None:
    """The request body rules the service enforces (400 when broken)."""
    if not isinstance(body, dict):
        raise Refusal(400, "body is not a JSON object")
    if not isinstance(body.get("requestTime"), str):
        raise Refusal(400, "requestTime is required")
    trigger = body.get("trigger") or {}
    if trigger.get("type") != "SCHEDULED_ABSOLUTE":
        raise Refusal(400, "only SCHEDULED_ABSOLUTE is expected from this skill")
    scheduled = trigger.get("scheduledTime")
    if not isinstance(scheduled, str) or not _LOCAL_TIME.fullmatch(scheduled):
        raise Refusal(400, "scheduledTime must be a local ISO time without an offset")
    zone = trigger.get("timeZoneId")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (KeyError, ValueError):
            raise Refusal(400, "unknown timeZoneId") from None
    recurrence = trigger.get("recurrence")
    if recurrence is not None:
        rules = recurrence.get("recurrenceRules") or []
        if not rules or not all(isinstance(r, str) and _RULE.fullmatch(r) for r in rules):
            raise Refusal(400, "bad recurrenceRules")
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or []
    if not content or not all(
        isinstance(c, dict) and c.get("locale") and (c.get("text") or c.get("ssml"))
        for c in content
    ):
        raise Refusal(400, "alertInfo.spokenInfo.content needs a locale and text")
    status = (body.get("pushNotification") or {}).get("status")
    if status not in (None, "ENABLED", "DISABLED"):
        raise Refusal(400, "pushNotification.status must be ENABLED or DISABLED")


class RemindersApi:
    def __init__(self, tmp: Path) -> None:
        self.granted: set[str] = set()  # bearer tokens with the reminders permission
        self.unsupported: set[str] = set()  # bearer tokens whose device can't take reminders
        self.failures: list[int] = []  # statuses to answer next, one per request
        self.delay = 0.0  # seconds before every answer
        self.reminders: dict[str, dict[str, Any]] = {}  # alert token -> stored reminder
        self.calls: list[tuple[str, str]] = []  # (method, path) in order
        self.zone = "America/New_York"  # the device's zone, for the Settings API
        self._lock = threading.Lock()
        self.cert, key = _self_signed(tmp)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.answer(self, "GET")

            def do_POST(self) -> None:
                api.answer(self, "POST")

            def do_PUT(self) -> None:
                api.answer(self, "PUT")

            def do_DELETE(self) -> None:
                api.answer(self, "DELETE")

            def log_message(self, *args: Any) -> None:
                pass

        self.server, self.endpoint, self.thread = serve_https(Handler, self.cert, key)

    def grant(self, token: str) -> None:
        self.granted.add(token)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the service -----------------------------------------------------------------
    def answer(self, request: BaseHTTPRequestHandler, method: str) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        path = request.path.split("?", 1)[0]
        settings = path.startswith("/v2/devices/")
        with self._lock:
            self.calls.append((method, path))
            failure = self.failures.pop(0) if self.failures and not settings else None
        if self.delay and not settings:
            time.sleep(self.delay)
        try:
            if failure is not None:
                raise Refusal(failure, "injected by the test")
            status, body = self.route(method, path, request.headers.get("Authorization", ""), raw)
        except Refusal as refusal:
            status = refusal.status
            body = {"code": _CODES.get(status, "ERROR"), "message": refusal.message}
        self.send(request, status, body)

    def route(self, method: str, path: str, auth: str, raw: bytes) -> tuple[int, Any]:
        bearer = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        if method == "GET" and path.endswith("/settings/System.timeZone") and bearer:
            return 200, self.zone
        if not bearer or bearer not in self.granted:
            raise Refusal(401, "the user has not granted the reminders permission")
        if bearer in self.unsupported:
            raise Refusal(403, "this device or account cannot take reminders")
        if not path.startswith(BASE):
            raise Refusal(404, "no such resource")
        token = path[len(BASE) + 1 :] if len(path) > len(BASE) else ""
        with self._lock:
            if method == "GET" and not token:
                alerts = [self.public(t) for t in self.reminders]
                return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
            if method == "POST" and not token:
                body = self.parse(raw)
                token = str(uuid.uuid4())
                now = _now()
                self.reminders[token] = {**body, "createdTime": now, "updatedTime": now, "v": 1}
                return 200, self.summary(token)
            if token not in self.reminders:
                raise Refusal(404, "no reminder with this alert token")
            if method == "GET":
                return 200, self.public(token)
            if method == "PUT":
                body = self.parse(raw)
                stored = self.reminders[token]
                self.reminders[token] = {
                    **body,
                    "createdTime": stored["createdTime"],
                    "updatedTime": _now(),
                    "v": stored["v"] + 1,
                }
                return 200, self.summary(token)
            if method == "DELETE":
                del self.reminders[token]
                return 200, None
        raise Refusal(400, "unsupported method")

    @staticmethod
    def parse(raw: bytes) -> dict[str, Any]:
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            raise Refusal(400, "body is not JSON") from None
        check_reminder(body)
        return body

    def summary(self, token: str) -> dict[str, Any]:
        stored = self.reminders[token]
        return {
            "alertToken": token,
            "createdTime": stored["createdTime"],
            "updatedTime": stored["updatedTime"],
            "status": "ON",
            "version": str(stored["v"]),
            "href": f"{BASE}/{token}",
        }

    def public(self, token: str) -> dict[str, Any]:
        stored = self.reminders[token]
        return {
            **self.summary(token),
            "trigger": stored["trigger"],
            "alertInfo": stored["alertInfo"],
            "pushNotification": stored.get("pushNotification"),
        }

    @staticmethod
    def send(request: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass  # the client gave up (timeout tests)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000")
