"""A bounded load test of `january20 serve` on loopback: concurrent clients running the query catalogue.

    python benchmarks/load_endpoint.py                       # 8 clients x 500 queries, the server's defaults
    python benchmarks/load_endpoint.py --clients 4 --queries 100 --workers 2

Starts `january20 serve --port 0` (a free port on 127.0.0.1) over the built dataset, waits for it to answer, then
runs CLIENTS threads, each sending QUERIES catalogue queries (every query of queries/, in turn, each client starting
at a different one) over HTTP GET, and reads each answer to the end. It prints throughput, p50/p99/max latency and
the number of errors (any answer but HTTP 200, or a failed connection), then stops the server with SIGTERM. Exits 1
if there was any error. Nothing here is a test: the numbers are read off, not asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT / "src"))

from january20.sparql.query import catalogue  # noqa: E402


def start_server(workers: int | None) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-c", "from january20.cli import main; main()", "serve", "--port", "0", "--quiet"]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=CHECKOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        if not line:
            break
        match = re.search(r"Serving SPARQL at (\S+)", line)
        if match:
            # Drain the server's stderr so that it can never block on a full pipe.
            threading.Thread(target=server.stderr.read, daemon=True).start()
            return server, match.group(1)
    server.kill()
    raise SystemExit(f"the server did not start: {line.strip() if line else 'no output'}")


def client(url: str, texts: list[str], offset: int, count: int, latencies: list[float], errors: list[str]) -> None:
    for i in range(count):
        text = texts[(offset + i) % len(texts)]
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": text}),
                                         headers={"Accept": "*/*"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        latencies.append(time.perf_counter() - start)
        if status != 200:
            errors.append(f"HTTP {status}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--queries", type=int, default=500, help="queries per client")
    parser.add_argument("--workers", type=int, default=None, help="the server's --workers (default: its own)")
    args = parser.parse_args()

    texts = [q.text for q in catalogue()]
    server, url = start_server(args.workers)
    try:
        for text in texts:  # warm up: every worker process has loaded the store before the clock starts
            urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": text}), timeout=60).read()
        latencies: list[float] = []
        errors: list[str] = []
        threads = [threading.Thread(target=client, args=(url, texts, n, args.queries, latencies, errors))
                   for n in range(args.clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    total = args.clients * args.queries
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{args.clients} clients x {args.queries} queries = {total} requests over {len(texts)} catalogue queries "
          f"(server --workers {args.workers or 'default'})")
    print(f"elapsed {elapsed:.1f} s, throughput {total / elapsed:.0f} queries/s")
    if latencies:
        print(f"latency p50 {percentile(latencies, 50) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms, "
              f"max {max(latencies) * 1000:.1f} ms, mean {statistics.mean(latencies) * 1000:.1f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
