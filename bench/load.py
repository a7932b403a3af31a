"""Closed-loop load on ``s3graph serve`` over the named-query mix, at 16 and 64 clients.

    python bench/load.py [--seconds 60] [--clients 16,64] [--quads 100000] [--store DIR]

Builds (or, with ``--store DIR`` that already holds quads, reuses) an on-disk store of about
``--quads`` quads from distinct synthetic reports (``bench/synth.py``, as ``bench/endpoint.py``
builds it), starts ``s3graph serve`` on a free 127.0.0.1 port with its default limits, and runs,
for each client count in turn, ``--seconds`` of closed-loop load: every client (a thread with its
own keep-alive connection) sends the next query of the mix as soon as it has its answer.

The mix is every query of ``GET /api/queries``: those without a required parameter as they are,
the others with a value found in the answers of the first ones (the column of the parameter's
name, e.g. ``partnership`` from ``partnerships``), else the example of the parameter's
description. Per client count it prints the requests, the errors (any answer but 200, and
failed connections, by kind), the server restarts (the serve process gone or replaced), latency
p50/p95/p99, throughput, the resident memory of the serve process and of its whole tree (serve,
zygote, query workers) sampled every second (start/max/end), and how many worker processes were
seen. It prints figures and never asserts.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # endpoint.py, procfs.py, synth.py

import procfs  # noqa: E402
from endpoint import HOST, Server, build_store, percentile, tool  # noqa: E402

from s3graph.store import Store  # noqa: E402

REQUEST_TIMEOUT = 120.0
#: Parameters with no column of their own name: the column whose values fit them.
ALIASES = {"resource": "partnership"}


# -- the mix ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One named query with the parameters it is sent with."""

    name: str
    params: dict[str, str]

    @property
    def url(self) -> str:
        return f"/api/queries/{self.name}"


def _example(description: str) -> str | None:
    found = re.search(r"e\.g\.\s+(\S+)", description)
    return found.group(1).rstrip(".,;") if found else None


def query_mix(http: httpx.Client) -> list[Request]:
    """Every named query, with a value for each required parameter (see the module's text)."""
    index: list[dict[str, Any]] = http.get("/api/queries").raise_for_status().json()
    seen: dict[str, str] = {}  # column -> the first value any query answered in it
    mix: list[Request] = []
    for query in index:
        if any(p["required"] for p in query["parameters"]):
            continue
        mix.append(Request(query["name"], {}))
        answer = http.get(query["url"], timeout=REQUEST_TIMEOUT)
        if answer.status_code != 200:
            print(f"  {query['name']}: HTTP {answer.status_code} in discovery")
            continue
        for row in answer.json()["results"]["bindings"]:
            for column, term in row.items():
                seen.setdefault(column, term["value"])
    for query in index:
        required = [p for p in query["parameters"] if p["required"]]
        if not required:
            continue
        params = {}
        for p in required:
            value = seen.get(p["name"]) or seen.get(ALIASES.get(p["name"], ""))
            value = value or _example(p["description"])
            if value is None:
                break
            params[p["name"]] = value
        else:
            mix.append(Request(query["name"], params))
            continue
        print(f"  {query['name']}: no value for its parameters, left out")
    return mix


# -- the load -----------------------------------------------------------------------------------


@dataclass
class Run:
    """What the clients of one run saw."""

    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    per_query: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.per_query.setdefault(name, []).append(seconds)
            if error is not None:
                self.errors[error] += 1


def _error_of(answer: httpx.Response) -> str | None:
    if answer.status_code == 200:
        return None
    try:
        kind = answer.json().get("error", "")
    except ValueError:
        kind = ""
    return f"HTTP {answer.status_code} {kind}".strip()


def client(base: str, mix: list[Request], offset: int, until: float, run: Run) -> None:
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http:
        n = offset
        while time.monotonic() < until:
            request = mix[n % len(mix)]
            n += 1
            started = time.perf_counter()
            try:
                answer = http.get(request.url, params=request.params)
                _ = answer.content
                error = _error_of(answer)
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            run.record(request.name, time.perf_counter() - started, error)


def load(server: Server, mix: list[Request], clients: int, seconds: float) -> tuple[Run, Any]:
    """``seconds`` of closed-loop load by ``clients`` threads; the run and the memory samples."""
    assert server.process is not None
    run = Run(clients)
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(server.base, mix, i * 7, until, run), daemon=True)
        for i in range(clients)
    ]
    with procfs.TreeSampler(server.process.pid, interval=1.0) as sampler:
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        run.seconds = time.perf_counter() - started
    return run, sampler


# -- report -------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def span(samples: list[int]) -> str:
    if not samples:
        return "n/a"
    return f"{procfs.mib(samples[0])} / {procfs.mib(max(samples))} / {procfs.mib(samples[-1])}"


def report(run: Run, sampler: Any, restarts: int) -> None:
    total = len(run.latencies)
    errors = sum(run.errors.values())
    print(f"\n== {run.clients} clients, {run.seconds:.1f} s ==")
    print(f"  requests:        {total}")
    print(f"  errors:          {errors}" + (f"  {dict(run.errors)}" if errors else ""))
    print(f"  server restarts: {restarts}")
    if run.latencies:
        cuts = "/".join(ms(percentile(run.latencies, q)) for q in (0.5, 0.95, 0.99))
        print(f"  p50/p95/p99 ms:  {cuts}  (max {ms(max(run.latencies))})")
    print(f"  throughput:      {total / run.seconds:.1f} req/s")
    print(f"  RSS serve  (start/max/end): {span(sampler.root_samples)}")
    print(f"  RSS tree   (start/max/end): {span(sampler.tree_samples)}")
    helpers = len(sampler.peaks) - 1  # zygote and workers, sampled each second
    print(f"  zygote + workers seen: {helpers}  (largest {procfs.mib(sampler.worker_peak())})")
    print(f"  {'query':<26} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for name, times in sorted(run.per_query.items()):
        print(
            f"  {name:<26} {len(times):>6} {ms(percentile(times, 0.5)):>8}"
            f" {ms(percentile(times, 0.99)):>8}"
        )


# -- main ---------------------------------------------------------------------------------------


def ensure_store(path: Path, quads: int, seed: int, work: Path) -> None:
    if path.exists() and any(path.iterdir()):
        with Store.open(path, read_only=True) as store:
            found = store.count()
        if found:
            print(f"reusing {path}: {found} quads", flush=True)
            return
    started = time.perf_counter()
    reports, built = build_store(path, work / "reports", quads, seed)
    took = time.perf_counter() - started
    print(f"built {path}: {reports} reports, {built} quads in {took:.1f} s", flush=True)


def run(args: argparse.Namespace, work: Path) -> int:
    store = args.store or work / "store"
    ensure_store(store, args.quads, args.seed, work)
    command = [tool("s3graph"), "--store", str(store), "serve", "--host", HOST, "--port", "{PORT}"]
    command += args.serve_args
    server = Server("s3graph", command, "/sparql", work / "serve.log")
    server.start()
    try:
        server.wait_ready()
        assert server.process is not None
        pid = server.process.pid
        shown = " ".join(command[1:]).replace("{PORT}", str(server.port))
        print(f"serving on {server.base} (pid {pid}): s3graph {shown}")
        with httpx.Client(base_url=server.base, timeout=REQUEST_TIMEOUT) as http:
            mix = query_mix(http)
        print(f"mix of {len(mix)} named queries:")
        for request in mix:
            print(f"  {request.name} {request.params or ''}", flush=True)
        for clients in args.clients:
            run_, sampler = load(server, mix, clients, args.seconds)
            alive = server.process is not None and server.process.poll() is None
            restarts = 0 if alive and server.process.pid == pid else 1
            report(run_, sampler, restarts)
            if not alive:
                print(f"the server died: {server.tail_log()}")
                return 1
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run")
    parser.add_argument(
        "--clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[16, 64],
        help="client counts, one run each (default 16,64)",
    )
    parser.add_argument("--quads", type=int, default=100_000, help="size of a store built anew")
    parser.add_argument("--store", type=Path, help="store folder to reuse (built when empty)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "serve_args", nargs="*", help="more options for serve, after --, e.g. -- --workers 8"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="s3graph-load-"))
    try:
        return run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
