"""Fixtures for the store contract suite: a DynamoDB-compatible server over real HTTP, and
CallCounter, which counts the DynamoDB calls a client makes (tests and benchmarks).

Import the fixtures into a test module (`from tests.store_fixtures import ...`).
`DYNAMODB_ENDPOINT` set -> tests run against that endpoint; else a moto server is started
on 127.0.0.1 (random free port). Tables are created here from template.yaml's key schema,
never by production code.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from skill.routine.model import load_routine
from skill.store.dynamodb import DynamoDBProgressStore
from skill.store.sqlite import SQLiteProgressStore
from tests.tcp_proxy import TcpRelay

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
ROUTINE = load_routine().ids  # the routine data is the one source of exercise ids
_DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def table_definition(resource: str = "ProgressTable") -> dict[str, Any]:
    """CreateTable arguments from the template (cfn-lint's decoder knows !Ref/!GetAtt)."""
    from cfnlint.decode import decode

    template, matches = decode(str(TEMPLATE))
    assert template is not None and not matches, matches
    props = template["Resources"][resource]["Properties"]
    return {
        "KeySchema": [dict(k) for k in props["KeySchema"]],
        "AttributeDefinitions": [dict(a) for a in props["AttributeDefinitions"]],
        "BillingMode": props["BillingMode"],
    }


def admin_client(endpoint: str) -> Any:
    import boto3

    return boto3.session.Session().client("dynamodb", endpoint_url=endpoint)


def create_table(endpoint: str, name: str | None = None) -> str:
    name = name or f"progress-{uuid.uuid4().hex[:12]}"
    client = admin_client(endpoint)
    client.create_table(TableName=name, **table_definition())
    for _ in range(100):  # moto is ACTIVE at once; a real local server may take a moment
        if client.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE":
            break
        time.sleep(0.1)
    return name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_ITEM_OPERATIONS = ("get_item", "put_item", "update_item", "delete_item", "transact_write_items")
_ITEM_LOCK = threading.RLock()


def _serialize_item_operations() -> None:
    """Make moto's item operations atomic, as DynamoDB's are.

    moto's threaded server runs requests concurrently, and its update_item reads the
    item, checks the condition and updates it in place without a lock: two writers can
    both pass a condition meant for one (an older position stored last), or both create
    a missing item, the second replacing the first's (an exercise ADD lost). DynamoDB
    applies each write to an item atomically; so here, one operation at a time."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in _ITEM_OPERATIONS:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "serialized", False):
            continue

        def locked(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with _ITEM_LOCK:
                return _original(*args, **kwargs)

        locked.serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, locked)


class MotoServer:
    """moto's threaded server on loopback; stop() closes the socket (connection refused)."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        _serialize_item_operations()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()
        inner = self._server._server  # shutdown() leaves the socket listening; close it
        if inner is not None:
            inner.server_close()


@pytest.fixture(scope="session")
def aws_env() -> Iterator[None]:
    """Dummy credentials and region, so no test can reach a real AWS account."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in _DUMMY_AWS.items():
            mp.setenv(key, value)
        mp.delenv("AWS_PROFILE", raising=False)
        yield


@pytest.fixture(scope="session")
def dynamodb_endpoint(aws_env: None) -> Iterator[str]:
    """The server; with botocore's data trimmed for the stores' client first (as a build
    leaves it: skill/store/botocore_trim.py), so the suite runs the client as shipped."""
    from skill.store import botocore_trim

    botocore_trim.build()
    given = os.environ.get("DYNAMODB_ENDPOINT")
    if given:
        yield given
        return
    server = MotoServer()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture
def dynamodb_store(dynamodb_endpoint: str) -> Iterator[DynamoDBProgressStore]:
    name = create_table(dynamodb_endpoint)
    yield DynamoDBProgressStore(name, endpoint_url=dynamodb_endpoint)
    admin_client(dynamodb_endpoint).delete_table(TableName=name)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteProgressStore]:
    store = SQLiteProgressStore(tmp_path / "progress.sqlite3")
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Any:
    """Every backend, for the contract suite."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def second_device(request: pytest.FixtureRequest, store: Any) -> Any:
    """Another store instance (own client / connections) on the same data: a second Echo."""
    if isinstance(store, SQLiteProgressStore):
        other = SQLiteProgressStore(store.path)
        request.addfinalizer(other.close)
        return other
    return DynamoDBProgressStore(store.table_name, endpoint_url=store.endpoint_url)


class CallCounter:
    """Counts DynamoDB API calls (and HTTP attempts, retries included) on one client.

    Uses botocore's event hooks, so the real client and wire are untouched:
        counter = CallCounter.attach(store.client)
        ...; counter.total, counter.calls["UpdateItem"], counter.attempts
    `calls` counts API calls (before-call: once per call, however many retries);
    `attempts` counts HTTP requests sent (before-send: once per attempt).
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.attempts = 0
        self._lock = threading.Lock()
        self._client: Any = None

    @classmethod
    def attach(cls, client: Any) -> CallCounter:
        counter = cls()
        counter._client = client
        client.meta.events.register("before-call.dynamodb.*", counter._on_call)
        client.meta.events.register("before-send.dynamodb.*", counter._on_send)
        return counter

    def detach(self) -> None:
        if self._client is not None:
            self._client.meta.events.unregister("before-call.dynamodb.*", self._on_call)
            self._client.meta.events.unregister("before-send.dynamodb.*", self._on_send)
            self._client = None

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.attempts = 0

    def _on_call(self, model: Any = None, **kwargs: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1

    def _on_send(self, **kwargs: Any) -> None:
        with self._lock:
            self.attempts += 1


def item_bytes(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (numbers about half their digits)."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        for kind, data in value.items():
            if kind == "S":
                size += len(data.encode())
            elif kind == "N":
                size += len(data.lstrip("-").replace(".", "")) // 2 + 1
            elif kind == "SS":
                size += sum(len(m.encode()) for m in data)
            elif kind == "BOOL":
                size += 1
    return size


@pytest.fixture
def relay(dynamodb_endpoint: str) -> Iterator[tuple[TcpRelay, str]]:
    """A fresh table behind a TCP relay that tests can cut and restore (a real fault)."""
    name = create_table(dynamodb_endpoint)
    target = urlparse(dynamodb_endpoint)
    relay = TcpRelay(target.hostname or "127.0.0.1", target.port or 80)
    yield relay, name
    relay.cut()
    admin_client(dynamodb_endpoint).delete_table(TableName=name)


@pytest.fixture(params=["sqlite", "dynamodb"])
def home_store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """The skill's own store from the environment, and a second handle on the same data."""
    from skill.alexa import app

    monkeypatch.setenv("DEFAULT_TIME_ZONE", "UTC")
    if request.param == "sqlite":
        path = tmp_path / "progress.sqlite3"
        monkeypatch.setenv("PROGRESS_DB", str(path))
        monkeypatch.delenv("PROGRESS_TABLE", raising=False)
        app.reset()
        store: Any = SQLiteProgressStore(path)
        yield store
        store.close()
    else:
        endpoint = request.getfixturevalue("dynamodb_endpoint")
        table = create_table(endpoint)
        monkeypatch.setenv("PROGRESS_TABLE", table)
        monkeypatch.setenv("DYNAMODB_ENDPOINT", endpoint)
        app.reset()
        yield DynamoDBProgressStore(table, endpoint_url=endpoint)
        admin_client(endpoint).delete_table(TableName=table)
    app.reset()
