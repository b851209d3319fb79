"""botocore's data trimmed for the stores' DynamoDB client (skill/store/botocore_trim.py):
what it keeps is botocore's own, it keeps every operation the code calls, a client on it
resolves every endpoint as a client on botocore's full data does, and it is read only by
the botocore version it was built from."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore
import botocore.session
import pytest
from botocore.config import Config
from botocore.loaders import Loader
from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape

from skill.store import botocore_trim, dynamodb_client
from skill.store.dynamodb import CLIENT_OPTIONS, DynamoDBProgressStore
from skill.store.service_loader import loader_for

pytest_plugins = ["tests.store_fixtures"]

OWN = Loader(extra_search_paths=[Loader.BUILTIN_DATA_PATH], include_default_search_paths=False)
API = OWN.determine_latest_version("dynamodb", "service-2")
SOURCE_MODEL = OWN.load_data(f"dynamodb/{API}/service-2")
SOURCE_ENDPOINTS = OWN.load_data("endpoints")
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture(scope="module")
def trimmed() -> Path:
    return botocore_trim.build()


def read(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text("utf-8"))


def reached(shape: Shape | None, seen: set[str]) -> set[str]:
    """Every shape name under `shape`, walked with botocore's own model classes."""
    if shape is None or shape.name in seen:
        return seen
    seen.add(shape.name)
    if isinstance(shape, StructureShape):
        for member in shape.members.values():
            reached(member, seen)
    elif isinstance(shape, ListShape):
        reached(shape.member, seen)
    elif isinstance(shape, MapShape):
        reached(shape.key, seen)
        reached(shape.value, seen)
    return seen


def operation_shapes(model: ServiceModel, name: str) -> set[str]:
    operation = model.operation_model(name)
    seen: set[str] = set()
    for shape in (operation.input_shape, operation.output_shape, *operation.error_shapes):
        reached(shape, seen)
    return seen


def test_the_folder_is_named_after_botocore_and_says_what_it_kept(trimmed: Path) -> None:
    assert trimmed == Path(dynamodb_client.TRIMMED_ROOT) / botocore.__version__
    assert [p.name for p in trimmed.parent.iterdir()] == [botocore.__version__]
    manifest = read(trimmed, botocore_trim.MANIFEST)
    assert manifest["botocore"] == botocore.__version__
    assert manifest["operations"] == sorted(dynamodb_client.OPERATIONS)
    assert manifest["of"]["operations"] == len(SOURCE_MODEL["operations"])


def test_kept_operations_and_shapes_are_botocores_own(trimmed: Path) -> None:
    model = read(trimmed, f"dynamodb/{API}/service-2.json")
    assert set(model["operations"]) == set(dynamodb_client.OPERATIONS)
    for name, operation in model["operations"].items():
        assert operation == SOURCE_MODEL["operations"][name], name
    for name, shape in model["shapes"].items():
        assert shape == SOURCE_MODEL["shapes"][name], name
    assert {k: v for k, v in model.items() if k not in ("operations", "shapes")} == {
        k: v for k, v in SOURCE_MODEL.items() if k not in ("operations", "shapes")
    }
    # In botocore's order, and exactly the shapes the kept operations reach (botocore's
    # own walk): none missing, none extra.
    assert list(model["shapes"]) == [n for n in SOURCE_MODEL["shapes"] if n in model["shapes"]]
    full, cut = ServiceModel(SOURCE_MODEL, "dynamodb"), ServiceModel(model, "dynamodb")
    wanted: set[str] = set()
    for name in dynamodb_client.OPERATIONS:
        assert operation_shapes(cut, name) == operation_shapes(full, name)
        wanted |= operation_shapes(full, name)
    assert set(model["shapes"]) == wanted
    assert len(model["shapes"]) < len(SOURCE_MODEL["shapes"]) / 4  # it is a trim


def test_the_rule_set_is_botocores(trimmed: Path) -> None:
    rules = OWN.load_data(f"dynamodb/{API}/endpoint-rule-set-1")
    assert read(trimmed, f"dynamodb/{API}/endpoint-rule-set-1.json") == rules


def test_endpoints_keep_every_partition_with_dynamodb_and_the_credential_chains_alone(
    trimmed: Path,
) -> None:
    endpoints = read(trimmed, "endpoints.json")
    assert {k: v for k, v in endpoints.items() if k != "partitions"} == {
        k: v for k, v in SOURCE_ENDPOINTS.items() if k != "partitions"
    }
    assert len(endpoints["partitions"]) == len(SOURCE_ENDPOINTS["partitions"]) > 1
    for cut, full in zip(endpoints["partitions"], SOURCE_ENDPOINTS["partitions"], strict=True):
        assert {k: v for k, v in cut.items() if k != "services"} == {
            k: v for k, v in full.items() if k != "services"
        }
        kept = {k: v for k, v in full["services"].items() if k in botocore_trim.ENDPOINT_SERVICES}
        assert cut["services"] == kept, cut["partition"]
        assert "dynamodb" in cut["services"]


def test_the_build_is_deterministic_and_replaces_other_versions(tmp_path: Path) -> None:
    first = botocore_trim.build(tmp_path)
    files = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    (tmp_path / "0.0.1").mkdir()  # an earlier botocore's
    (first / "endpoints.json").write_text("{}")  # an edit
    again = botocore_trim.build(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [botocore.__version__]
    assert {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()} == files


# ------------------------------------------------------------------ the code's calls


def test_every_operation_the_code_calls_is_kept(trimmed: Path) -> None:
    calls = botocore_trim.calls_in_code()
    # The scan sees the calls as the code writes them (across lines too).
    assert {"get_item", "update_item", "delete_item", "transact_write_items"} <= calls
    assert botocore_trim.CALL.findall("self._client.scan(\n    TableName=t)") == ["scan"]
    kept = {botocore.xform_name(name) for name in dynamodb_client.OPERATIONS}
    for name in calls - kept:
        assert hasattr(botocore.client.BaseClient, name), f"{name}: not in OPERATIONS"
    client = DynamoDBProgressStore("t", region_name="eu-west-1").client
    assert client.meta.service_model.operation_names == sorted(dynamodb_client.OPERATIONS)
    for name in calls:
        assert callable(getattr(client, name))
    caught = botocore_trim.exceptions_in_code()
    assert {"ConditionalCheckFailedException", "TransactionCanceledException"} <= caught
    for name in caught:
        assert issubclass(getattr(client.exceptions, name), botocore.exceptions.ClientError)


def test_the_build_stops_when_the_code_calls_an_operation_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(botocore_trim, "calls_in_code", lambda: {"get_item", "query"})
    with pytest.raises(SystemExit, match="query"):
        botocore_trim.trimmed_files()


# ------------------------------------------------------------------ endpoint resolution


class Sent(Exception):
    """Raised before anything leaves the machine, carrying the signed request."""

    def __init__(self, request: Any) -> None:
        super().__init__("sent")
        self.request = request


def _stop(request: Any, **_: Any) -> None:
    raise Sent(request)


def outcome(
    session: Any, region: str | None, endpoint_url: str | None, config: Config, service: str = ""
) -> Any:
    """The client's endpoint and region, and the URL and credential scope (signing region
    and name) of a signed GetItem (STS: GetCallerIdentity); or the error, as type and
    message."""
    try:
        client = session.create_client(
            service or "dynamodb", region_name=region, endpoint_url=endpoint_url, config=config,
            **KEYS,
        )  # fmt: skip
        client.meta.events.register("before-send", _stop)
        try:
            if service == "sts":
                client.get_caller_identity()
            else:
                client.get_item(TableName="t", Key={"userId": {"S": "u"}})
        except Sent as sent:
            scope = sent.request.headers["Authorization"].decode().split("Credential=")[1]
            return (
                client.meta.endpoint_url,
                client.meta.region_name,
                sent.request.url,
                scope.split(",")[0].split("/")[2:4],
            )
        raise AssertionError("nothing was sent")
    except Exception as error:  # compared with the full data's, not swallowed
        return (type(error).__name__, str(error))


@pytest.fixture(scope="module")
def sessions(trimmed: Path) -> Iterator[tuple[Any, Any]]:
    full = botocore.session.get_session()  # botocore's own loader and data
    cut = botocore.session.get_session()
    data_path = cut.get_config_variable("data_path")
    loader = loader_for("dynamodb", data_path, str(trimmed))
    cut.register_component("data_loader", loader)
    yield full, cut
    assert loader.load_data_with_path("endpoints")[1].startswith(str(trimmed))


def every_region() -> list[str]:
    names: list[str] = []
    for partition in SOURCE_ENDPOINTS["partitions"]:
        names += partition["regions"]
        names += partition["services"].get("dynamodb", {}).get("endpoints", {})
    return sorted(set(names))


VARIANTS = {
    "plain": {},
    "fips": {"use_fips_endpoint": True},
    "dualstack": {"use_dualstack_endpoint": True},
    "fips+dualstack": {"use_fips_endpoint": True, "use_dualstack_endpoint": True},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_region_of_every_partition_resolves_as_on_the_full_data(
    sessions: tuple[Any, Any], variant: str
) -> None:
    full, cut = sessions
    config = Config(**VARIANTS[variant], retries={"total_max_attempts": 1})
    regions = every_region()
    assert {"us-east-1", "cn-north-1", "us-gov-west-1", "eu-isoe-west-1"} <= set(regions)
    differ = {}
    for region in regions:
        expected, got = outcome(full, region, None, config), outcome(cut, region, None, config)
        if got != expected:
            differ[region] = (expected, got)
    assert differ == {}
    # Not all the same answer: the comparison sees partitions apart.
    urls = {outcome(cut, r, None, config)[0] for r in ("us-east-1", "cn-north-1")}
    assert len(urls) == 2


def test_the_credential_chains_sts_client_resolves_as_on_the_full_data(
    sessions: tuple[Any, Any],
) -> None:
    """A role profile's credentials come from an STS client built on the store's session
    (service_loader.py): its endpoint and signing are botocore's in every region too."""
    full, cut = sessions
    config = Config(retries={"total_max_attempts": 1})
    differ = {}
    for region in every_region():
        expected = outcome(full, region, None, config, "sts")
        got = outcome(cut, region, None, config, "sts")
        if got != expected:
            differ[region] = (expected, got)
    assert differ == {}
    assert outcome(cut, "eu-west-1", None, config, "sts")[3] == ["eu-west-1", "sts"]


@pytest.mark.parametrize(
    "endpoint_url", ["http://127.0.0.1:8000", "https://dynamodb.example.test", None]
)
@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", None])
def test_an_endpoint_url_or_no_region_resolves_as_on_the_full_data(
    sessions: tuple[Any, Any], endpoint_url: str | None, region: str | None
) -> None:
    full, cut = sessions
    config = Config(retries={"total_max_attempts": 1})
    expected = outcome(full, region, endpoint_url, config)
    assert outcome(cut, region, endpoint_url, config) == expected
    if endpoint_url and region:
        assert expected[2].startswith(endpoint_url)


# ------------------------------------------------------------------ when it is not used


def client_operations() -> list[str]:
    client = dynamodb_client.build_client("eu-west-1", None, CLIENT_OPTIONS)
    names: list[str] = client.meta.service_model.operation_names
    client.close()
    return names


def test_the_trimmed_data_is_used_by_the_botocore_that_built_it(trimmed: Path) -> None:
    assert dynamodb_client.trimmed_data(botocore.__version__) == str(trimmed)
    assert client_operations() == sorted(dynamodb_client.OPERATIONS)


def test_another_botocore_version_reads_botocores_own_files(
    trimmed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(botocore, "__version__", "1.0.0")  # e.g. the Lambda runtime's
    assert dynamodb_client.trimmed_data(botocore.__version__) is None
    assert client_operations() == sorted(SOURCE_MODEL["operations"])


def test_no_folder_reads_botocores_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dynamodb_client, "TRIMMED_ROOT", str(tmp_path / "never-built"))
    assert client_operations() == sorted(SOURCE_MODEL["operations"])


def test_data_built_before_a_call_was_added_reads_botocores_own_files(
    trimmed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / botocore.__version__
    shutil.copytree(trimmed, stale)
    model_path = stale / "dynamodb" / API / "service-2.json"
    model = json.loads(model_path.read_text("utf-8"))
    del model["operations"]["TransactWriteItems"]
    model_path.write_text(json.dumps(model), "utf-8")
    monkeypatch.setattr(dynamodb_client, "TRIMMED_ROOT", str(tmp_path))
    assert client_operations() == sorted(SOURCE_MODEL["operations"])


def test_a_persons_own_models_still_come_first(trimmed: Path, tmp_path: Path) -> None:
    """AWS_DATA_PATH (and ~/.aws/models) are searched before the trimmed folder, as
    before botocore's own."""
    mine = tmp_path / "dynamodb" / API
    mine.mkdir(parents=True)
    (mine / "service-2.json").write_text(json.dumps(SOURCE_MODEL), "utf-8")
    loader = loader_for("dynamodb", str(tmp_path), str(trimmed))
    assert loader.search_paths == [
        str(tmp_path),
        Loader.CUSTOMER_DATA_PATH,
        str(trimmed),
        Loader.BUILTIN_DATA_PATH,
    ]
    model, path = loader.load_data_with_path(f"dynamodb/{API}/service-2")
    assert path.startswith(str(tmp_path)) and len(model["operations"]) > 4
    assert not loader.is_builtin_path(path)
    assert loader.is_builtin_path(str(trimmed / "endpoints.json"))


# ------------------------------------------------------------------ on the cold path

FIRST_ANSWER = r"""
import json, sys
opened = []
def audit(event, args):
    if event == "open" and isinstance(args[0], str) and ".json" in args[0]:
        opened.append(args[0])
sys.addaudithook(audit)
sys.path.insert(0, sys.argv[1])
import lambda_function
answer = lambda_function.handler(json.loads(sys.stdin.read()), None)
print(json.dumps({"ssml": answer["response"]["outputSpeech"]["ssml"], "opened": opened}))
"""


def test_a_fresh_processs_first_answer_on_dynamodb_reads_the_trimmed_files(
    trimmed: Path, dynamodb_endpoint: str
) -> None:
    """As Lambda runs the zip without SnapStart: the launch is answered from the store,
    and of botocore's data the client read the trimmed files, not the full ones."""
    import os
    import subprocess
    import sys

    from skill.alexa.envelopes import Conversation
    from tests.store_fixtures import create_table

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PROGRESS_DB", "AWS_PROFILE")}
    env.pop("ALEXA_API_ALLOW_LOOPBACK", None)  # no zone lookup: NO_API is refused at once
    env.update(
        PROGRESS_TABLE=create_table(dynamodb_endpoint),
        DYNAMODB_ENDPOINT=dynamodb_endpoint,
        DEFAULT_TIME_ZONE="UTC",
        LOG_LEVEL="ERROR",
    )
    talk = Conversation(user_id="amzn1.ask.account.trimmed", api_endpoint="https://127.0.0.1:1")
    done = subprocess.run(
        [sys.executable, "-c", FIRST_ANSWER, str(root / "lambda")],
        input=json.dumps(talk.launch()),
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ssml"].startswith("<speak>")
    botocores = [p for p in result["opened"] if p.startswith(Loader.BUILTIN_DATA_PATH)]
    ours = [p for p in result["opened"] if p.startswith(str(trimmed))]
    assert sorted(Path(p).name for p in ours) == [
        "endpoint-rule-set-1.json",
        "endpoints.json",
        "service-2.json",
    ]
    # botocore's own files still read: partitions.json and sdk-default-configuration.json
    # (7 KB and 4 KB), which are not per service.
    assert not [p for p in botocores if "endpoints.json" in p or "/dynamodb/" in p], botocores
