"""Deploy: the Lambda artifact answers Alexa from an empty folder, and the template says what
the deploy needs (the manifest and the `ask deploy` project: tests/test_skill_package.py).

The zip is built once per session by `scripts/build_lambda.py` (wheels from the package
registry, as `make lambda` does), unpacked into an empty folder and imported by a clean
interpreter (`-I -S`: no site-packages, no PYTHON* variables) whose sys.path holds only that
folder and a second one with boto3 and its dependencies, which the Lambda runtime provides.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore
import pytest

from skill.alexa.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.store_fixtures import admin_client, create_table

pytest_plugins = ["tests.store_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "scripts" / "build_lambda.py"
TEMPLATE = ROOT / "template.yaml"
NO_API = "https://127.0.0.1:1"  # Settings API unreachable: the skill falls back to a stored zone
USER = "amzn1.ask.account.lambda-artifact-user"
# What the Lambda Python runtime puts on sys.path after the function's own folder.
RUNTIME_PROVIDED = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"]

# Runs in the clean interpreter: one JSON event per stdin line, one answer per stdout line.
CHILD = r"""
import json, sys, sysconfig, time
task, runtime = sys.argv[1], sys.argv[2]
sys.path[:0] = [task, runtime]
started = time.perf_counter()
import lambda_function
print("READY", json.dumps({"import_s": time.perf_counter() - started}), flush=True)
for line in sys.stdin:
    started = time.perf_counter()
    answer = lambda_function.handler(json.loads(line), None)
    took = time.perf_counter() - started
    print("ANSWER", json.dumps({"seconds": took, "response": answer}), flush=True)
allowed = (task, runtime, sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
outside = sorted(
    f"{name}: {module.__file__}" for name, module in list(sys.modules.items())
    if name != "__main__" and getattr(module, "__file__", None)
    and not module.__file__.startswith(allowed)
)
print("ORIGINS", json.dumps({"outside": outside}), flush=True)
"""


def build_script() -> Any:
    """scripts/build_lambda.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_lambda", BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(out: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BUILD), "--out", str(out), *extra],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "lambda.zip"
    summary = build(out)
    print(f"\nLambda artifact: {summary}")  # seen with -s; the build prints it too
    return out


@pytest.fixture(scope="session")
def task_root(artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip unpacked into an empty folder, as Lambda does into /var/task.

    One addition, so this machine can run it: msgspec is the one compiled dependency with
    no pure-Python fallback, and the zip carries its build for the template's runtime and
    architecture (test_artifact_contents checks it). This machine's build of the same
    version goes beside it; each interpreter loads the extension whose suffix it knows."""
    folder = tmp_path_factory.mktemp("task")
    assert not any(folder.iterdir())
    with zipfile.ZipFile(artifact) as zf:
        zf.extractall(folder)
    assert (folder / f"msgspec-{importlib.metadata.version('msgspec')}.dist-info").is_dir()
    spec = importlib.util.find_spec("msgspec._core")
    assert spec is not None and spec.origin
    shutil.copyfile(spec.origin, folder / "msgspec" / Path(spec.origin).name)
    return folder


@pytest.fixture(scope="session")
def runtime_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """boto3 and its dependencies only, linked from this environment (the runtime's share)."""
    folder = tmp_path_factory.mktemp("runtime")
    for name in RUNTIME_PROVIDED:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, name
        source = Path(spec.origin)
        if spec.submodule_search_locations:  # a package: link its folder
            source = Path(next(iter(spec.submodule_search_locations)))
        (folder / source.name).symlink_to(source)
    return folder


def child_env(table: str, endpoint: str) -> dict[str, str]:
    """Only what Lambda would set, plus the local endpoint and dummy credentials."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PROGRESS_TABLE": table,
        "DYNAMODB_ENDPOINT": endpoint,
        "ALEXA_SKILL_ID": DEFAULT_SKILL_ID,
        "LOG_LEVEL": "INFO",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "TZ": "UTC",
    }


class CleanLambda:
    """The unpacked artifact in a clean interpreter, answering one event at a time."""

    def __init__(self, task: Path, runtime: Path, env: dict[str, str], workdir: Path) -> None:
        script = workdir / "child.py"
        script.write_text(CHILD)
        self.stderr_path = workdir / "child.stderr"
        self._stderr = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", str(script), str(task), str(runtime)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True, env=env, cwd=workdir,
        )  # fmt: skip
        self._watchdog = threading.Timer(60, self.proc.kill)  # never hang the suite
        self._watchdog.start()
        self.ready = self._expect("READY")

    def _expect(self, tag: str) -> dict[str, Any]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(tag + " "):
                return json.loads(line[len(tag) + 1 :])
        raise AssertionError(f"no {tag} from the child:\n{self.stderr_path.read_text()[-3000:]}")

    def send(self, event: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(event) + "\n")
        self.proc.stdin.flush()
        return self._expect("ANSWER")

    def close(self) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        origins = self._expect("ORIGINS")
        self.proc.wait(timeout=30)
        self._watchdog.cancel()
        self._stderr.close()
        return origins


@pytest.fixture
def progress_table(dynamodb_endpoint: str) -> Iterator[str]:
    name = create_table(dynamodb_endpoint)
    yield name
    admin_client(dynamodb_endpoint).delete_table(TableName=name)


def assert_spoken(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer["version"] == "1.0"
    body = answer["response"]
    speech = body["outputSpeech"]
    assert speech["type"] == "SSML" and speech["ssml"].startswith("<speak>"), speech
    assert speech["ssml"].endswith("</speak>")
    if body.get("shouldEndSession") is False:  # mic stays open: a reprompt must follow
        assert body["reprompt"]["outputSpeech"]["ssml"].startswith("<speak>")
    return body


def test_unpacked_artifact_answers_alexa_in_a_clean_interpreter(
    artifact: Path,
    task_root: Path,
    runtime_root: Path,
    dynamodb_endpoint: str,
    progress_table: str,
    tmp_path: Path,
) -> None:
    person = Conversation(user_id=USER, api_endpoint=NO_API)
    child = CleanLambda(
        task_root, runtime_root, child_env(progress_table, dynamodb_endpoint), tmp_path
    )
    turns = [
        ("launch", person.launch),
        ("help", lambda: person.intent("AMAZON.HelpIntent")),
        ("no", lambda: person.intent("AMAZON.NoIntent")),  # no warm-up: first exercise
        ("stop", lambda: person.intent("AMAZON.StopIntent")),
    ]
    timings = []
    bodies = {}
    try:
        for label, make in turns:
            answer = child.send(make())
            person.receive(answer["response"])
            bodies[label] = assert_spoken(answer["response"])
            timings.append(f"{label} {answer['seconds'] * 1000:.0f} ms")
    finally:
        origins = child.close()
    assert child.proc.returncode == 0, child.stderr_path.read_text()[-3000:]
    assert bodies["launch"]["shouldEndSession"] is False
    assert bodies["no"]["shouldEndSession"] is False
    assert bodies["stop"]["shouldEndSession"] is True
    # Nothing came from this environment but what the Lambda runtime also provides.
    assert origins["outside"] == [], origins["outside"]
    stored = admin_client(dynamodb_endpoint).get_item(
        TableName=progress_table, Key={"userId": {"S": USER}}, ConsistentRead=True
    )
    assert "Item" in stored, "the skill saved nothing for the user"
    print(
        f"\nLambda artifact {artifact.stat().st_size / 1e6:.2f} MB; clean interpreter: "
        f"import {child.ready['import_s'] * 1000:.0f} ms; " + ", ".join(timings)
    )


def test_artifact_contents(artifact: Path) -> None:
    with zipfile.ZipFile(artifact) as zf:
        names = zf.namelist()
        infos = zf.infolist()
    assert names == sorted(names)
    assert "lambda_function.py" in names  # the handler lambda_function.handler, at the root
    for data in ("skill/routine/routine.toml", "skill/locales/en.toml",
                 "skill/locales/languages.toml", "skill/locales/compiled/es-MX.json"):  # fmt: skip
        assert data in names
    assert not [n for n in names if n.endswith(".po")]  # compiled for the runtime, not read
    # botocore's data trimmed for the client, built from this environment's botocore
    trimmed = f"skill/store/botocore-data/{botocore.__version__}/"
    assert trimmed + "endpoints.json" in names
    assert [n for n in names if n.startswith(trimmed) and n.endswith("/service-2.json")]
    assert {"ask_sdk_core/__init__.py", "ask_sdk_model/__init__.py", "tzdata/__init__.py"} <= set(
        names
    )
    script = build_script()
    version, arch = script.runtime_and_arch(TEMPLATE)
    machine = {"arm64": "aarch64", "x86_64": "x86_64"}[arch]
    tag = f"cpython-{version.replace('.', '')}"
    # msgspec (the skill's record classes) is compiled: its build for Lambda's Python and CPU
    assert [n for n in names if n.startswith("msgspec/_core.")] == [
        f"msgspec/_core.{tag}-{machine}-linux-gnu.so"
    ]
    tops = {n.split("/")[0] for n in names}
    assert not tops & {"boto3", "botocore", "s3transfer", "tests", "bin"}, tops
    assert not [n for n in names if n.startswith("skill/dev/")]  # the console's tools stay home
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    # Byte code for the runtime's Python when its interpreter is here, else none at all.
    byte_code = [n for n in names if n.endswith(".pyc")]
    assert all(f".{tag}.pyc" in n and "__pycache__/" in n for n in byte_code)
    if script.runtime_interpreter(version) is None:
        assert byte_code == []
        return
    assert f"skill/conversation/__pycache__/dialogue.{tag}.pyc" in byte_code
    assert f"ask_sdk_core/__pycache__/skill.{tag}.pyc" in byte_code
    with zipfile.ZipFile(artifact) as zf:
        for name in byte_code[:50]:
            flags = int.from_bytes(zf.read(name)[4:8], "little")
            assert flags == 0b01, name  # hash-based, never checked: no timestamps, read-only
    print(f"\nLambda artifact: {artifact.stat().st_size / 1e6:.2f} MB, {len(names)} files")


def test_build_is_deterministic(artifact: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    build(again)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (artifact, again)]
    assert digest[0] == digest[1]


def test_ask_deploy_build_hook_ships_the_same_zip(artifact: Path, tmp_path: Path) -> None:
    """`ask deploy` runs hooks/build.sh from a copy of lambda/ with the zip's path: what it
    uploads is byte for byte the zip these tests ran."""
    copy = tmp_path / "build"
    shutil.copytree(ROOT / "lambda", copy)
    done = subprocess.run(
        [str(ROOT / "hooks" / "build.sh"), "build.zip", "false"],
        cwd=copy, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (artifact, copy / "build.zip")]
    assert digest[0] == digest[1]


# ---------------------------------------------------------------------------- template


def cfn_lint() -> str:
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed (test extra)"
    return found


def test_cfn_lint_passes() -> None:
    """cfn-lint also knows AWS's runtime deprecation dates: on its data, from 2029-06-30 this
    fails on purpose (E2533, python3.13 deprecated) until template.yaml moves to a newer
    runtime: the one test meant to start failing as the real date moves on."""
    done = subprocess.run(
        [cfn_lint(), str(TEMPLATE)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    from cfnlint.decode import decode

    decoded, matches = decode(str(TEMPLATE))
    assert decoded is not None and not matches, matches
    return decoded


def test_function_fits_alexa_and_the_artifact(template: dict[str, Any]) -> None:
    build_lambda = build_script()

    fn = template["Resources"]["SkillFunction"]
    props = fn["Properties"]
    assert fn["Type"] == "AWS::Serverless::Function"
    assert props["Handler"] == "lambda_function.handler"
    assert props["CodeUri"] == "dist/lambda.zip"
    assert props["Timeout"] < 8  # Alexa waits about 8 s
    # The build reads runtime and architecture from this file; both parsers must agree.
    python, arch = build_lambda.runtime_and_arch(TEMPLATE)
    assert props["Runtime"] == f"python{python}" and props["Architectures"] == [arch]
    env = props["Environment"]["Variables"]
    assert env["PROGRESS_TABLE"] == {"Ref": "ProgressTable"}
    assert env["ALEXA_SKILL_ID"] == {"Ref": "AlexaSkillId"}
    events = [e for e in props["Events"].values() if e["Type"] == "AlexaSkill"]
    assert [e["Properties"]["SkillId"] for e in events] == [{"Ref": "AlexaSkillId"}]
    assert "AlexaSkillId" in template["Parameters"]
    assert template["Outputs"]["SkillFunctionArn"]["Value"] == {
        "Fn::GetAtt": ["SkillFunction", "Arn"]
    }


def test_role_is_least_privilege_and_logs_are_kept_a_while(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    props = resources["SkillFunction"]["Properties"]
    assert "Policies" not in props  # SAM would add AWSLambdaBasicExecutionRole (all log groups)
    assert props["Role"] == {"Fn::GetAtt": ["SkillFunctionRole", "Arn"]}
    assert props["LoggingConfig"]["LogGroup"] == {"Ref": "SkillFunctionLogGroup"}
    role = resources["SkillFunctionRole"]["Properties"]
    assert "ManagedPolicyArns" not in role
    granted: dict[str, Any] = {}
    for policy in role["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            for action in statement["Action"]:
                granted[action] = statement["Resource"]
    table = {"Fn::GetAtt": ["ProgressTable", "Arn"]}
    logs = {"Fn::GetAtt": ["SkillFunctionLogGroup", "Arn"]}
    assert granted == {
        "dynamodb:GetItem": table,
        "dynamodb:UpdateItem": table,
        "dynamodb:DeleteItem": table,
        "logs:CreateLogStream": logs,
        "logs:PutLogEvents": logs,
    }
    group = resources["SkillFunctionLogGroup"]["Properties"]
    assert group["RetentionInDays"] > 0
    assert resources["ProgressTable"]["DeletionPolicy"] == "Retain"
