"""Build skill/store/botocore-data/<botocore version>/: the installed botocore's own data
files, trimmed to what the stores' DynamoDB client reads (skill/store/dynamodb_client.py
says what each file holds and when it is used).

    python -m skill.store.botocore_trim    (skill/prebuilt.py runs it: make data, make
                                            lambda, make bench)

Read from botocore's own data folder alone (not AWS_DATA_PATH or ~/.aws/models), raw, as
its Loader reads them. Kept: the operations in dynamodb_client.OPERATIONS and every shape
they reach (inputs, outputs, errors, members, list members, map keys and values), each
exactly as botocore has it and in its order; every partition of endpoints.json with all
its fields, its services cut to dynamodb (and the credential chain's STS and SSO). Written
in a fixed form, so the same botocore gives the same bytes; the folder is replaced whole,
and any other version's removed.

The build also scans the stores' code for `client.<operation>(` calls and stops when one
is not in OPERATIONS: a client without it would fail at run time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from skill.store import dynamodb_client
from skill.store.dynamodb_client import OPERATIONS, SERVICE

PACKAGE = Path(__file__).resolve().parents[1]
CODE = (PACKAGE / "store", PACKAGE / "sharing")  # where the stores' client is called
CALL = re.compile(r"\b_?client\s*\.\s*([a-z][a-z0-9_]*)\s*\(")
EXCEPTION = re.compile(r"\b_?client\s*\.\s*exceptions\s*\.\s*([A-Za-z][A-Za-z0-9_]*)")
MANIFEST = "trimmed.json"


def _sources() -> list[Path]:
    return sorted(path for folder in CODE for path in folder.glob("*.py"))


def calls_in_code() -> set[str]:
    """Every `client.<name>(` in the stores' code (method names, snake case)."""
    return _found(CALL)


def exceptions_in_code() -> set[str]:
    """Every `client.exceptions.<Name>` the stores' code catches."""
    return _found(EXCEPTION)


def _found(pattern: re.Pattern[str]) -> set[str]:
    return {name for path in _sources() for name in pattern.findall(path.read_text("utf-8"))}


def shape_refs(node: Any) -> Iterator[str]:
    """The shape names a model node refers to ({"shape": name} anywhere inside it)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "shape" and isinstance(value, str):
                yield value
            elif key != "documentation":
                yield from shape_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from shape_refs(item)


def trim_model(model: dict[str, Any], operations: Iterable[str]) -> dict[str, Any]:
    """The service model with only `operations` and the shapes they reach, transitively."""
    keep = set(operations)
    missing = keep - set(model["operations"])
    if missing:
        raise ValueError(f"not in the {SERVICE} model: {sorted(missing)}")
    kept_operations = {name: op for name, op in model["operations"].items() if name in keep}
    reached: set[str] = set()
    pending = list(shape_refs(list(kept_operations.values())))
    while pending:
        name = pending.pop()
        if name not in reached:
            reached.add(name)
            pending.extend(shape_refs(model["shapes"][name]))
    shapes = {name: shape for name, shape in model["shapes"].items() if name in reached}
    trimmed = dict(model)
    trimmed["operations"], trimmed["shapes"] = kept_operations, shapes
    return trimmed


# endpoints.json's services kept: DynamoDB's, and those of the clients botocore's credential
# chain builds from the same session (STS for role profiles and web identity, SSO's portal
# and OIDC), so they resolve as on the full file too (service_loader.py).
ENDPOINT_SERVICES = (SERVICE, "sts", "portal.sso", "oidc")


def trim_endpoints(
    endpoints: dict[str, Any], services: Iterable[str] = ENDPOINT_SERVICES
) -> dict[str, Any]:
    """endpoints.json with every partition and its fields, its services cut to `services`."""
    keep = set(services)
    partitions = []
    for partition in endpoints["partitions"]:
        cut = {name: data for name, data in partition.get("services", {}).items() if name in keep}
        partitions.append({**partition, "services": cut})
    return {**endpoints, "partitions": partitions}


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def trimmed_files() -> tuple[str, dict[str, bytes]]:
    """The botocore version, and each trimmed file's path in its folder with its bytes."""
    import botocore
    import botocore.client
    from botocore.loaders import Loader

    unknown = {
        name
        for name in calls_in_code()
        if name not in {botocore.xform_name(op) for op in OPERATIONS}
        and not hasattr(botocore.client.BaseClient, name)
    }
    if unknown:
        raise SystemExit(
            f"skill/store/dynamodb_client.py: OPERATIONS lacks what the stores call: "
            f"{sorted(unknown)}"
        )
    own = Loader(extra_search_paths=[Loader.BUILTIN_DATA_PATH], include_default_search_paths=False)
    api = own.determine_latest_version(SERVICE, "service-2")
    model = own.load_data(f"{SERVICE}/{api}/service-2")
    trimmed = trim_model(model, OPERATIONS)
    rules = own.load_data(f"{SERVICE}/{api}/endpoint-rule-set-1")
    manifest = {
        "botocore": botocore.__version__,
        "service": SERVICE,
        "api_version": api,
        "operations": sorted(OPERATIONS),
        "shapes": len(trimmed["shapes"]),
        "of": {"operations": len(model["operations"]), "shapes": len(model["shapes"])},
    }
    files = {
        "endpoints.json": _dump(trim_endpoints(own.load_data("endpoints"))),
        f"{SERVICE}/{api}/service-2.json": _dump(trimmed),
        f"{SERVICE}/{api}/endpoint-rule-set-1.json": _dump(rules),
        MANIFEST: json.dumps(manifest, indent=1, sort_keys=True).encode() + b"\n",
    }
    return botocore.__version__, files


def _current(folder: Path, files: dict[str, bytes]) -> bool:
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    return present == set(files) and all(
        (folder / name).read_bytes() == data for name, data in files.items()
    )


def build(root: Path | None = None) -> Path:
    """Write the trimmed folder for the installed botocore into `root` (by default where
    the client looks: dynamodb_client.TRIMMED_ROOT), unless it is there already byte for
    byte, and remove any other; returns the folder."""
    version, files = trimmed_files()
    root = root or Path(dynamodb_client.TRIMMED_ROOT)
    target = root / version
    root.mkdir(parents=True, exist_ok=True)
    for other in root.iterdir():  # another version's, or a build's left in the middle
        if other.name != version:
            if other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
            else:
                other.unlink()
    if target.is_dir() and _current(target, files):
        return target
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    staging.chmod(0o755)
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
        os.chmod(staging / name, 0o644)
    old = root / f".old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def main() -> None:
    print(f"built {build().relative_to(PACKAGE.parent)}")


if __name__ == "__main__":
    main()
