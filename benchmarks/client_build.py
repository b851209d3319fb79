"""The DynamoDB client's build on a cold start: botocore's data trimmed for the stores
(skill/store/botocore_trim.py) against botocore's own full files, in the same run.

Run: .venv/bin/python benchmarks/client_build.py   (BENCH_RUNS=N rounds, default 21)

Each sample is a fresh process that has imported botocore and the store's modules, then
times `dynamodb_client.build_client()` alone: the session, the data loader, endpoints,
credentials (from the environment) and create_client, as the store's first use pays them;
with the garbage collector paused, as Lambda's init builds it (lambda/lambda_function.py),
and on (parsing 1.25 MB of JSON also triggers collections of everything loaded so far).
The same code both ways; "full" only points the lookup for the trimmed folder at a folder
that does not exist, which is what a checkout before a build, or another botocore version,
does. Rounds alternate which goes first, so machine noise hits both alike. The data is
built first (skill/prebuilt.py, as `make lambda` does), and the files each client read
and their size on disk are printed, so the figure says what was parsed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
AIM = 1.0  # x the full data's time: the trimmed data must pay for itself
GC = {  # the collector paused, as in Lambda's init (lambda/lambda_function.py), and on
    "paused": "collector paused (Lambda init)",
    "on": "collector on (a client built later)",
}

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from skill.store import dynamodb_client, service_loader, urllib3_http2
from skill.store.dynamodb import CLIENT_OPTIONS
urllib3_http2.register()
import botocore.session, botocore.config, botocore.client, botocore.loaders
urllib3_http2.bind()
if sys.argv[1] == "full":
    dynamodb_client.TRIMMED_ROOT = "/nonexistent"
if sys.argv[2] == "paused":
    import gc
    gc.disable()
read = []
sys.addaudithook(lambda e, a: read.append(a[0]) if e == "open" and str(a[0]).endswith(
    (".json", ".json.gz")) else None)
started = time.perf_counter()
client = dynamodb_client.build_client(None, None, CLIENT_OPTIONS)
took = time.perf_counter() - started
import os
kb = sum(map(os.path.getsize, read)) / 1000
print(json.dumps({{"seconds": took, "files": len(read), "kb": kb,
                  "operations": len(client.meta.service_model.operation_names)}}))
"""


def main() -> None:
    from benchmarks.skill_latency import compile_byte_code

    compile_byte_code()  # byte code, and the trimmed data as a build leaves it
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    code = CHILD.format(root=str(ROOT))
    runs: dict[tuple[str, str], list[float]] = {}
    seen: dict[str, dict[str, float]] = {}
    for index in range(RUNS):
        for data in ("trimmed", "full") if index % 2 else ("full", "trimmed"):
            for collector in GC:
                done = subprocess.run(
                    [sys.executable, "-c", code, data, collector],
                    env=env, capture_output=True, text=True, check=True,
                )  # fmt: skip
                sample = json.loads(done.stdout.strip().splitlines()[-1])
                runs.setdefault((data, collector), []).append(sample["seconds"])
                seen[data] = {k: sample[k] for k in ("files", "kb", "operations")}
    median = {key: statistics.median(samples) for key, samples in runs.items()}
    print(f"DynamoDB client build in a fresh process (median of {RUNS}, interleaved):")
    for data in ("full", "trimmed"):
        print(
            f"  {data}: {seen[data]['operations']:.0f} operations; {seen[data]['files']:.0f} "
            f"data files, {seen[data]['kb']:.0f} KB on disk, read"
        )
    for collector, title in GC.items():
        full, trimmed = median[("full", collector)], median[("trimmed", collector)]
        ratio = trimmed / full
        verdict = "met" if ratio <= AIM else "NOT MET"
        print(
            f"  {title}: full {full * 1000:.1f} ms, trimmed {trimmed * 1000:.1f} ms, "
            f"{ratio:.2f}x  aim < {AIM:.2f}x  {verdict}"
        )


if __name__ == "__main__":
    main()
