"""Snapshot safety of the Lambda entry, in a clean interpreter as Lambda runs it.

Lambda SnapStart snapshots the VM after init (importing lambda_function) and starts
every later environment from it. So importing must open no socket and start no
thread, and the after-restore hook must leave no kept connection and a reseeded
`random`. Connections are counted on the wire, where DynamoDB (moto, behind an HTTP/1.1
front that keeps connections alive as DynamoDB does) and the Settings API (local HTTPS)
accept them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.keepalive_proxy import KeepAliveProxy
from tests.settings_api import SettingsApi
from tests.store_fixtures import admin_client, create_table

pytest_plugins = ["tests.store_fixtures"]

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, random, sys, threading
import os
events = []
binds = []
def audit(event, args):
    if event.startswith("socket."):
        events.append(event)
    if event == "socket.bind":
        binds.append(list(args[1])[:2])
sys.addaudithook(audit)
sys.path.insert(0, sys.argv[1])
import lambda_function  # Lambda's init phase
at_import = sorted(set(events) - {"socket.__new__", "socket.bind"})
binds_at_import = binds[:]
def open_socket_fds():
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                found.append(fd)
        except OSError:
            pass  # the listing's own descriptor, closed already
    return found
open_sockets = open_socket_fds()
threads_at_import = threading.active_count()
events.clear()

from skill.alexa.envelopes import Conversation
def launch():
    talk = Conversation(user_id="amzn1.ask.account.snap", api_endpoint=sys.argv[2])
    answer = lambda_function.handler(talk.launch(), None)
    return answer["sessionAttributes"]["time_zone"]

zones = [launch(), launch()]  # a warm container: the second reuses connections
on_request = sorted(set(events))
print(json.dumps({"marker": "warm"}), flush=True)
input()  # the test counts connections here

import snapshot_restore_py
state = random.getstate()
unseeded = random.random()
random.setstate(state)
for hook, args, kwargs in snapshot_restore_py.get_after_restore():  # as the runtime does
    hook(*args, **kwargs)
reseeded = random.random()
zones.append(launch())
print(json.dumps({
    "at_import": at_import, "binds_at_import": binds_at_import,
    "open_sockets": open_sockets, "threads_at_import": threads_at_import,
    "on_request": on_request, "zones": zones, "reseeded": reseeded != unseeded,
}), flush=True)
"""


@pytest.fixture
def table(dynamodb_endpoint: str) -> Iterator[str]:
    name = create_table(dynamodb_endpoint)
    yield name
    admin_client(dynamodb_endpoint).delete_table(TableName=name)


def test_import_opens_no_socket_and_restore_drops_kept_connections(
    dynamodb_endpoint: str,
    table: str,
    settings_api: SettingsApi,
) -> None:
    pytest.importorskip("snapshot_restore_py")
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to list open sockets (Linux, as on Lambda)")
    relay = KeepAliveProxy(dynamodb_endpoint)  # DynamoDB keeps connections alive; moto doesn't
    env = {
        **os.environ,
        "PROGRESS_TABLE": table,
        "DYNAMODB_ENDPOINT": relay.endpoint,
        "ALEXA_API_ALLOW_LOOPBACK": "1",
        "SSL_CERT_FILE": str(settings_api.cert),  # the system trust store, as on Lambda
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start",  # init does all it can
    }
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(ROOT / "lambda"), settings_api.endpoint],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert probe.stdout is not None and probe.stdin is not None
        first = probe.stdout.readline()
        assert json.loads(first or "{}").get("marker") == "warm", probe.communicate(timeout=30)
        warm = (relay.connections, settings_api.connections)
        out, err = probe.communicate("\n", timeout=60)
    finally:
        probe.kill()
        relay.close()
    report = json.loads(out.strip().splitlines()[-1])

    # Init: nothing on the network and no thread, so the snapshot holds neither. No
    # connect, no DNS lookup, no send; and no socket open once init is done. The one
    # socket created is urllib3's IPv6 probe (bound to ::1, port 0, closed at once).
    assert report["at_import"] == [], report["at_import"]
    assert report["open_sockets"] == []
    assert all(bind == ["::1", 0] for bind in report["binds_at_import"])
    assert report["threads_at_import"] == 1
    # The audit hook does see sockets: the requests opened them.
    assert "socket.connect" in report["on_request"]
    # Two launches in a warm container: one connection each to DynamoDB and the API.
    assert warm == (1, 1), err
    # After the restore hook: fresh connections, and a reseeded `random`.
    assert (relay.connections, settings_api.connections) == (2, 2), err
    assert report["zones"] == ["America/Los_Angeles"] * 3
    assert report["reseeded"] is True
