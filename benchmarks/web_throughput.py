"""What Alexa request verification costs the self-hosted endpoint, under a bounded load.

Run: .venv/bin/python benchmarks/web_throughput.py [--requests 3000] [--threads 4] [--rounds 3]

Starts two gunicorn servers on loopback as docs/self-hosting.md runs them (2 sync
workers): one verifying signed requests (test CA, chain from a loopback stand-in
for S3, certificate cached by a warm-up), one with verification off. Rounds
alternate between them so machine noise hits both alike. Prints req/s and p50/p99
latency per round, medians, and verified/unverified throughput (aim: cost < 25 %).
The skill handler is the real one in both servers, so its cost is shared.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import web_certs as wc

AIM_COST = 0.25


def load(port: int, requests: list[tuple[bytes, dict[str, str]]], total: int, threads: int):
    """Send `total` POSTs from `threads` clients; returns (wall seconds, latencies, failures)."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    per_thread = total // threads

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # reopens on close
        mine: list[float] = []
        bad = 0
        for i in range(per_thread):
            body, headers = requests[(offset + i) % len(requests)]
            t0 = time.perf_counter()
            conn.request("POST", "/", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t0)
            bad += resp.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    workers = [threading.Thread(target=client, args=(k * 7,)) for k in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start, latencies, sum(failures)


def signed_requests(signer: wc.Signer, count: int) -> list[tuple[bytes, dict[str, str]]]:
    # Signed up front (client-side signing would compete with the server for CPU).
    # Timestamps stay valid for 150 s: each round re-signs.
    out = []
    for i in range(count):
        event = wc.launch() if i % 2 else wc.intent("AMAZON.HelpIntent")
        body = wc.body(event)
        out.append((body, wc.signed_headers(signer, body)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per round and mode")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    pki = wc.TestPKI.create()
    signer = pki.signer()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "ca.pem").write_bytes(pki.root_pem)
        common = {"PROGRESS_DB": str(tmp / "progress.sqlite3"), "PROGRESS_TABLE": ""}
        with wc.ChainServer({wc.CERT_PATH: signer.chain_pem}) as s3:
            verified_env = common | {
                "ALEXA_SKILL_ID": wc.SKILL_ID,
                "ALEXA_CERT_ROOTS": str(tmp / "ca.pem"),
                "ALEXA_TEST_CERT_MIRROR": s3.base,
            }
            on = wc.Gunicorn("skill.web.app:create_app()", verified_env, log=tmp / "on.log")
            off = wc.Gunicorn("skill.web.app:create_app(verify=False)", common, log=tmp / "off.log")
            with on, off:
                return _run(args, signer, {"verified": on.port, "off": off.port})


def _run(args: argparse.Namespace, signer: wc.Signer, ports: dict[str, int]) -> int:
    warm = signed_requests(signer, 8)
    for port in ports.values():  # warm-up: both workers import the skill and cache the key
        load(port, warm, 40, 4)
    print(
        f"web throughput: gunicorn 2 sync workers on loopback, {args.requests} requests per "
        f"round, {args.threads} client threads, {args.rounds} rounds"
    )
    print(f"{'round':>5}  {'mode':<9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    results: dict[str, list[tuple[float, float, float]]] = {m: [] for m in ports}
    for r in range(1, args.rounds + 1):
        requests = signed_requests(signer, 64)
        for mode, port in sorted(ports.items()):  # "off" then "verified"
            wall, lat, failed = load(port, requests, args.requests, args.threads)
            if failed:
                print(f"error: {failed} requests to the {mode} server were not answered 200")
                return 1
            q = statistics.quantiles(lat, n=100)
            row = (len(lat) / wall, q[49] * 1000, q[98] * 1000)
            results[mode].append(row)
            print(f"{r:>5}  {mode:<9} {row[0]:>8.0f} {row[1]:>8.2f} {row[2]:>8.2f}")
    med = {
        m: [statistics.median(col) for col in zip(*rows, strict=True)]
        for m, rows in results.items()
    }
    for mode in sorted(med):
        rps, p50, p99 = med[mode]
        print(f"median {mode:<9} {rps:>8.0f} req/s  p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    ratio = med["verified"][0] / med["off"][0]
    verdict = "within" if 1 - ratio < AIM_COST else "MISSES"
    print(
        f"verified/off throughput: {ratio:.1%} (verification costs {1 - ratio:.1%}; "
        f"{verdict} the aim of < {AIM_COST:.0%})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
