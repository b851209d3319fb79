"""Throughput of what `python -m skill serve` runs, beside bare gunicorn and bare waitress.

Run: .venv/bin/python benchmarks/web_throughput.py [--requests 3000] [--threads 4] [--rounds 3]

Starts four servers on loopback, one after another in each round so machine noise hits
them alike, all answering the same signed requests with the real skill handler:

- serve:       `python -m skill serve` as shipped (waitress, 4 threads, its limits);
- waitress:    bare `waitress-serve --call skill.web.app:create_app` (its defaults);
- gunicorn:    bare gunicorn, 2 sync workers (fast, but slow clients hold its workers:
               it needs a buffering proxy in front, docs/self-hosting.md);
- gunicorn-off: the same with verification off, for what verification costs.

Verifying servers use the test CA with the chain from a loopback stand-in for S3
(certificate cached by a warm-up). Prints req/s and p50/p99 latency per round, medians,
and the aims: `serve` within 25 % of bare waitress (its limits cost little), and
verification costing < 25 % of gunicorn's throughput.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import web_certs as wc
from tests.serve_process import Serve, verified_env

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


def commands() -> dict[str, list[str]]:
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", "127.0.0.1:{port}"]
    gunicorn += ["--graceful-timeout", "2"]
    if wc._gunicorn_has("control_socket_disable"):
        gunicorn.append("--no-control-socket")
    return {
        "serve": [sys.executable, "-m", "skill", "serve", "--port", "{port}"],
        "waitress": [
            sys.executable, "-m", "waitress", "--listen=127.0.0.1:{port}",
            "--call", "skill.web.app:create_app",
        ],
        "gunicorn": [*gunicorn, "skill.web.app:create_app()"],
        "gunicorn-off": [*gunicorn, "skill.web.app:create_app(verify=False)"],
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per round and mode")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    pki = wc.TestPKI.create()
    signer = pki.signer()
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        s3 = stack.enter_context(wc.ChainServer({wc.CERT_PATH: signer.chain_pem}))
        env = verified_env(pki, s3, tmp)
        ports = {}
        for mode, command in commands().items():
            server = Serve(env, tmp / f"{mode}.log", command=command)
            ports[mode] = stack.enter_context(server).port
        return _run(args, signer, ports)


def _run(args: argparse.Namespace, signer: wc.Signer, ports: dict[str, int]) -> int:
    warm = signed_requests(signer, 8)
    for port in ports.values():  # warm-up: workers import the skill and cache the key
        load(port, warm, 40, 4)
    print(
        f"web throughput on loopback, signed requests: {args.requests} requests per round "
        f"and server, {args.threads} client threads, {args.rounds} rounds"
    )
    print(f"{'round':>5}  {'server':<13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    results: dict[str, list[tuple[float, float, float]]] = {m: [] for m in ports}
    for r in range(1, args.rounds + 1):
        requests = signed_requests(signer, 64)
        for mode, port in ports.items():
            wall, lat, failed = load(port, requests, args.requests, args.threads)
            if failed:
                print(f"error: {failed} requests to {mode} were not answered 200")
                return 1
            q = statistics.quantiles(lat, n=100)
            row = (len(lat) / wall, q[49] * 1000, q[98] * 1000)
            results[mode].append(row)
            print(f"{r:>5}  {mode:<13} {row[0]:>8.0f} {row[1]:>8.2f} {row[2]:>8.2f}")
    med = {
        m: [statistics.median(col) for col in zip(*rows, strict=True)]
        for m, rows in results.items()
    }
    for mode, (rps, p50, p99) in med.items():
        print(f"median {mode:<13} {rps:>8.0f} req/s  p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    limits = med["serve"][0] / med["waitress"][0]
    print(
        f"serve/bare waitress: {limits:.1%} "
        f"({'within' if 1 - limits < AIM_COST else 'MISSES'} the aim of > {1 - AIM_COST:.0%})"
    )
    ratio = med["gunicorn"][0] / med["gunicorn-off"][0]
    verdict = "within" if 1 - ratio < AIM_COST else "MISSES"
    print(
        f"gunicorn verified/off: {ratio:.1%} (verification costs {1 - ratio:.1%}; "
        f"{verdict} the aim of < {AIM_COST:.0%})"
    )
    print(f"serve/bare gunicorn: {med['serve'][0] / med['gunicorn'][0]:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
