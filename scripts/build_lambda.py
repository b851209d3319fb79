"""Build dist/lambda.zip: the Lambda entry, the `skill` package and its runtime dependencies.

Run: .venv/bin/python scripts/build_lambda.py   (or `make lambda`)

- Dependencies come from the package registry alone, as wheels for the template's runtime and
  architecture (read from template.yaml), so the zip builds the same on any machine.
- Versions are pinned to the ones installed in the running environment (the ones the test
  suite ran against); `--no-pin` resolves the newest instead.
- boto3/botocore are left out by default: the Lambda Python runtime provides them
  (`--with-boto3` bundles them; docs/deploy.md has the measured difference).
- Byte code: the Lambda runtime cannot write __pycache__ into the function's read-only
  folder, so without it every cold start compiles the skill and its dependencies from source
  (measured: 483 ms to a first answer, 237 ms with byte code). When an interpreter of the
  runtime's version is on PATH (`python3.13`), every module is compiled with it, in
  `unchecked-hash` mode: no timestamps, so still deterministic, and never re-checked
  against the source. Without one the zip is built from source only, and says so.
- Data: the routine and locale files' prebuilt JSON (skill/prebuilt.py) is rebuilt first and
  shipped, so no cold start imports tomllib or parses TOML; so is botocore's data trimmed for
  the DynamoDB client (skill/store/botocore_trim.py), built from this environment's botocore
  and read only by that version: with `--with-boto3` (pinned to it) always, without it only
  if the runtime's botocore is the same version (else the runtime's own files, as before).
- Deterministic: sorted entries, fixed timestamps and modes, no tests, so the same inputs
  give a byte-identical zip.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
PYPROJECT = ROOT / "pyproject.toml"
ENTRY = ROOT / "lambda" / "lambda_function.py"
PACKAGE = ROOT / "skill"
DEV_TOOLS = PACKAGE / "dev"  # the local console's tools: the deployed skill never imports them
DEFAULT_OUT = ROOT / "dist" / "lambda.zip"

# What the Lambda runtime already provides (boto3 and its own dependencies).
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}
PACKAGE_SUFFIXES = {".py", ".toml", ".json"}  # the skill's code and its data files
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
PLATFORMS = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}


def _name(requirement: str) -> str:
    """The normalised distribution name of a PEP 508 requirement string."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not match:
        raise ValueError(f"unreadable requirement {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def runtime_and_arch(template: Path = TEMPLATE) -> tuple[str, str]:
    """The function's Python version and architecture, as template.yaml declares them."""
    text = template.read_text()
    runtime = re.search(r"^\s*Runtime:\s*python(\d+\.\d+)\s*$", text, re.M)
    arch = re.search(r"^\s*Architectures:\s*\n\s*-\s*(\w+)", text, re.M)
    if not runtime:
        raise SystemExit(f"{template}: no `Runtime: python3.x` found")
    return runtime.group(1), arch.group(1) if arch else "x86_64"


def requirements(with_boto3: bool) -> list[str]:
    deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    if with_boto3:
        return list(deps)
    return [d for d in deps if _name(d) not in RUNTIME_PROVIDED]


def installed_pins() -> list[str]:
    """`name==version` for every distribution in this environment: constraints, not installs."""
    pins = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            pins[_name(name)] = f"{_name(name)}=={dist.version}"
    return sorted(pins.values())


def pip_install(target: Path, reqs: list[str], python: str, arch: str, pin: bool) -> None:
    cmd = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--target", str(target), "--no-compile",
        "--platform", PLATFORMS[arch], "--implementation", "cp",
        "--python-version", python, "--only-binary=:all:",
    ]  # fmt: skip
    if pin:
        constraints = target.parent / "constraints.txt"
        constraints.write_text("\n".join(installed_pins()) + "\n")
        cmd += ["--constraint", str(constraints)]
    subprocess.run([*cmd, *reqs], check=True)


def _wanted(rel: Path) -> bool:
    parts = rel.parts
    if "__pycache__" in parts or rel.suffix in {".pyc", ".pyo"}:
        return False
    if parts[0] == "bin":  # console scripts pip writes for the target; nothing imports them
        return False
    # Test suites some packages ship; never imported at run time.
    return not any(p in {"tests", "test"} for p in parts[:-1])


def collect(deps_dir: Path) -> dict[str, Path]:
    """Archive name -> source file, for everything that goes into the zip."""
    files: dict[str, Path] = {}
    for path in deps_dir.rglob("*"):
        rel = path.relative_to(deps_dir)
        if path.is_file() and _wanted(rel):
            files[rel.as_posix()] = path
    for path in PACKAGE.rglob("*"):
        rel = path.relative_to(ROOT)
        if DEV_TOOLS in path.parents:
            continue
        if path.is_file() and path.suffix in PACKAGE_SUFFIXES and _wanted(rel):
            files[rel.as_posix()] = path
    files[ENTRY.name] = ENTRY  # lambda_function.py at the zip root: Handler lambda_function.handler
    return files


def runtime_interpreter(python: str) -> str | None:
    """A working interpreter of the runtime's version: `LAMBDA_PYTHON`, `pythonX.Y` on PATH,
    or one pyenv installed (its shims only run the versions pyenv has switched on)."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [os.environ.get("LAMBDA_PYTHON"), shutil.which(f"python{python}")]
    candidates += [str(p) for p in sorted(pyenv.glob(f"{python}*/bin/python{python}"))]
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
        except OSError:
            continue
        if found.returncode == 0 and found.stdout.strip() == python:
            return candidate
    return None


def compile_byte_code(files: dict[str, Path], python: str, staging: Path) -> dict[str, Path]:
    """`files` plus their byte code for the runtime's Python, or `files` alone when no
    interpreter of that version is installed here."""
    interpreter = runtime_interpreter(python)
    if interpreter is None:
        print(f"no python{python} on PATH: the zip carries source only (slower cold starts)")
        return files
    for name, source in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    subprocess.run(
        [
            interpreter,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "-s",
            str(staging),
            "--invalidation-mode",
            "unchecked-hash",
            str(staging),
        ],
        check=True,
        # Some dependencies' docstrings have invalid escapes; their warnings are not ours.
        env={**os.environ, "PYTHONWARNINGS": "ignore::SyntaxWarning"},
    )
    compiled = dict(files)
    for pyc in staging.rglob("*.pyc"):
        compiled[pyc.relative_to(staging).as_posix()] = pyc
    return compiled


def write_zip(files: dict[str, Path], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--: readable by Lambda
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            zf.writestr(info, files[name].read_bytes(), compresslevel=9)
    tmp.replace(out)


def prebuild_data() -> None:
    """The data files' prebuilt form (skill/prebuilt.py), rebuilt so the zip ships it current."""
    subprocess.run([sys.executable, "-m", "skill.prebuilt"], cwd=ROOT, check=True)


def build(out: Path = DEFAULT_OUT, with_boto3: bool = False, pin: bool = True) -> Path:
    python, arch = runtime_and_arch()
    prebuild_data()
    with tempfile.TemporaryDirectory(prefix="lambda-build-") as tmp:
        deps_dir = Path(tmp) / "deps"
        pip_install(deps_dir, requirements(with_boto3), python, arch, pin)
        files = compile_byte_code(collect(deps_dir), python, Path(tmp) / "staging")
        write_zip(files, out)
    return out


def describe(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    unpacked = sum(i.file_size for i in infos)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return (
        f"{path}: {path.stat().st_size / 1e6:.2f} MB zipped, {unpacked / 1e6:.2f} MB unpacked, "
        f"{len(infos)} files, sha256 {digest}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--with-boto3", action="store_true", help="bundle boto3/botocore too")
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false", help="newest versions, not this env's"
    )
    args = parser.parse_args(argv)
    out = build(args.out, with_boto3=args.with_boto3, pin=args.pin)
    print(describe(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
