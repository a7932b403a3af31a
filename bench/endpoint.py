"""SPARQL endpoint latency and throughput: ``s3graph serve`` against ``oxigraph serve``.

    python bench/endpoint.py [--triples 100000] [--runs 20] [--requests 200] [--keep]

Builds an on-disk s3graph store of about ``--triples`` quads from distinct synthetic reports
(``bench/synth.py``, ingested with :func:`s3graph.ingest.ingest`), exports it as N-Quads and
loads the same quads into an on-disk Oxigraph location (``oxigraph load``) and into an in-memory
``oxigraph serve`` (POST to ``/store``). Then three servers run on 127.0.0.1:

* ``s3graph --store DIR serve`` (read-only; ``/sparql`` queries the union of the named graphs),
* ``oxigraph serve --location DIR --union-default-graph`` (``/query``),
* ``oxigraph serve --union-default-graph`` (in memory, ``/query``).

The query mix is the named queries of ``queries/*.rq`` that need no parameter (optional ones are
left unbound), sent as ``GET ?query=`` with ``Accept: application/sparql-results+json``. The row
counts of the three servers are compared once (a warning line when they differ). Per query and
server: p50/p95 latency over ``--runs`` sequential runs after 2 warm-up runs; then requests/s
with 4 concurrent clients running the mix for ``--requests`` requests per server.

The issue's targets are printed next to the figures: geometric-mean latency ratio <= 1.0 vs the
on-disk server and <= 1.5 vs the in-memory one, throughput >= the on-disk server's. It prints
figures and never asserts timings. Everything it starts is stopped, its temporary folder removed
(unless ``--keep``).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import requests

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from synth import synth_report  # noqa: E402

from s3graph.ingest import ingest  # noqa: E402
from s3graph.namespaces import DEFAULT_BASE  # noqa: E402
from s3graph.sparql import NamedQuery, list_queries  # noqa: E402
from s3graph.store import Store  # noqa: E402

HOST = "127.0.0.1"
JSON_RESULTS = "application/sparql-results+json"
WARMUP = 2
CLIENTS = 4
START_DEADLINE = 120.0  # seconds a server may take to answer ASK {}
REQUEST_TIMEOUT = 120.0
BATCH = 400  # reports per ingest call (~200k quads: pyoxigraph's atomic bulk load)
TARGET_DISK = 1.0
TARGET_MEM = 1.5
UNCAPPED_ROWS = 10_000_000  # s3graph's --max-rows in the benchmark

VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The executable ``name`` next to this Python (the venv), else on PATH."""
    beside = VENV_BIN / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"endpoint.py: {name!r} not found next to {sys.executable} or on PATH")
    return found


# -- data --------------------------------------------------------------------------------------


def build_store(path: Path, reports: Path, target: int, seed: int) -> tuple[int, int]:
    """Ingest distinct synthetic reports into the store ``path`` until ~``target`` quads.

    Returns (reports, quads).
    """
    rng = random.Random(seed)
    written = 0
    quads = 0
    with Store.open(path) as store:
        batch = 20  # a first small batch gives the quads per report
        while quads < target:
            folder = reports / f"batch-{written:06d}"
            folder.mkdir(parents=True)
            for i in range(written, written + batch):
                text = synth_report(i, rng, distinct=True)
                (folder / f"synthetic-{i:06d}.txt").write_text(text, encoding="utf-8")
            ingest(store, [folder], base=DEFAULT_BASE)
            written += batch
            quads = store.count()
            per_report = quads / written
            missing = max(1, math.ceil((target - quads) / per_report))
            batch = min(BATCH, missing)
    return written, quads


def export_nquads(store_path: Path, output: Path) -> None:
    with Store.open(store_path, read_only=True) as store:
        store._store.dump(str(output), format=ox.RdfFormat.N_QUADS)


# -- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A server process and the URL of its SPARQL query endpoint."""

    name: str
    command: list[str]
    path: str  # the query endpoint's path
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        return self.base + self.path

    def start(self) -> None:
        command = [part.replace("{PORT}", str(self.port)) for part in self.command]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, deadline: float = START_DEADLINE) -> None:
        """Poll ``ASK {}`` until the server answers 200; raise RuntimeError when it cannot."""
        assert self.process is not None
        until = time.monotonic() + deadline
        last = "no answer"
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with status {self.process.returncode} before it was"
                    f" ready: {self.tail_log()}"
                )
            try:
                answer = requests.get(
                    self.url,
                    params={"query": "ASK {}"},
                    headers={"Accept": JSON_RESULTS},
                    timeout=2,
                )
                if answer.status_code == 200:
                    return
                last = f"HTTP {answer.status_code}: {answer.text[:200]}"
            except requests.RequestException as exc:
                last = type(exc).__name__
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.name} not ready after {deadline:g} s ({last}): {self.tail_log()}"
        )

    def tail_log(self) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return "(no log)"
        return " | ".join(text.splitlines()[-5:]) or "(empty log)"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def load_over_http(server: Server, nquads: Path) -> None:
    with nquads.open("rb") as data:
        answer = requests.post(
            server.base + "/store",
            data=data,
            headers={"Content-Type": "application/n-quads"},
            timeout=600,
        )
    if answer.status_code >= 300:
        raise RuntimeError(f"{server.name}: loading failed, HTTP {answer.status_code}")


# -- measuring ---------------------------------------------------------------------------------


def query_mix() -> list[NamedQuery]:
    """The named SELECT queries that need no parameter (optional ones stay unbound)."""
    return [
        q
        for q in list_queries()
        if not any(p.required for p in q.parameters) and "SELECT" in q.text.upper()
    ]


def ask(session: requests.Session, server: Server, text: str) -> requests.Response:
    answer = session.get(
        server.url,
        params={"query": text},
        headers={"Accept": JSON_RESULTS},
        timeout=REQUEST_TIMEOUT,
    )
    if answer.status_code != 200:
        raise RuntimeError(f"{server.name}: HTTP {answer.status_code}: {answer.text[:300]}")
    return answer


def row_count(answer: requests.Response) -> int:
    return len(answer.json()["results"]["bindings"])


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latencies(server: Server, text: str, runs: int) -> list[float]:
    with requests.Session() as session:
        for _ in range(WARMUP):
            ask(session, server, text)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            answer = ask(session, server, text)
            _ = answer.content
            times.append(time.perf_counter() - started)
    return times


def throughput(server: Server, texts: Sequence[str], total: int) -> tuple[float, int]:
    """(requests/s, failed requests) with :data:`CLIENTS` threads running the mix for ``total``.

    A failed request (an HTTP error such as a 503 timeout) counts as done and is reported.
    """
    counter = itertools.count()
    lock = threading.Lock()
    failures: list[str] = []

    def client(offset: int) -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    n = next(counter)
                if n >= total:
                    return
                try:
                    ask(session, server, texts[(n + offset) % len(texts)])
                except (RuntimeError, requests.RequestException) as exc:
                    with lock:
                        failures.append(str(exc))

    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        print(f"  {server.name}: {len(failures)} failed requests, first: {failures[0][:160]}")
    return total / elapsed, len(failures)


def geomean(values: Sequence[float]) -> float:
    return math.exp(statistics.fmean(math.log(v) for v in values))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def check_rows(servers: Sequence[Server], mix: Sequence[NamedQuery]) -> None:
    with requests.Session() as session:
        for query in mix:
            counts = []
            for server in servers:
                answer = ask(session, server, query.text)
                cut = answer.headers.get("X-S3graph-Truncated") == "true"
                counts.append(f"{row_count(answer)}{' (cut)' if cut else ''}")
            if len(set(counts)) != 1:
                shown = ", ".join(f"{s.name} {c}" for s, c in zip(servers, counts, strict=True))
                print(f"WARNING: {query.name}: the servers return different rows: {shown}")
            else:
                print(f"  {query.name}: {counts[0]} rows on all servers")


def measure(servers: Sequence[Server], mix: Sequence[NamedQuery], runs: int, total: int) -> None:
    s3, disk, mem = servers
    header = (
        f"{'query':<22} | {'s3graph p50/p95 ms':>18} | {'oxi-disk p50/p95 ms':>19}"
        f" | {'oxi-mem p50/p95 ms':>18} | {'s3g/disk':>8} | {'s3g/mem':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    to_disk, to_mem = [], []
    for query in mix:
        p50 = {}
        cells = []
        for server in servers:
            times = latencies(server, query.text, runs)
            p50[server.name] = percentile(times, 0.5)
            cells.append(f"{ms(p50[server.name])}/{ms(percentile(times, 0.95))}")
        vs_disk = p50[s3.name] / p50[disk.name]
        vs_mem = p50[s3.name] / p50[mem.name]
        to_disk.append(vs_disk)
        to_mem.append(vs_mem)
        print(
            f"{query.name:<22} | {cells[0]:>18} | {cells[1]:>19} | {cells[2]:>18}"
            f" | {vs_disk:>8.2f} | {vs_mem:>7.2f}"
        )
    print()
    gm_disk, gm_mem = geomean(to_disk), geomean(to_mem)
    ok = {True: "met", False: "NOT met"}
    print(
        f"geometric-mean p50 ratio s3graph / oxigraph-disk: {gm_disk:.2f}"
        f"  (target <= {TARGET_DISK:g}: {ok[gm_disk <= TARGET_DISK]})"
    )
    print(
        f"geometric-mean p50 ratio s3graph / oxigraph-mem:  {gm_mem:.2f}"
        f"  (target <= {TARGET_MEM:g}: {ok[gm_mem <= TARGET_MEM]})"
    )
    texts = [q.text for q in mix]
    print()
    print(f"throughput, {CLIENTS} clients, {total} requests of the mix:")
    rates, failed = {}, {}
    for server in servers:
        rates[server.name], failed[server.name] = throughput(server, texts, total)
    for server in servers:
        note = f"  ({failed[server.name]} failed)" if failed[server.name] else ""
        print(f"  {server.name:<14} {rates[server.name]:8.1f} req/s{note}")
    met = rates[s3.name] >= rates[disk.name] and not failed[s3.name]  # 503s are no wins
    print(
        f"  s3graph / oxigraph-disk: {rates[s3.name] / rates[disk.name]:.2f}"
        f"  (target >= 1: {ok[met]})"
    )


# -- main --------------------------------------------------------------------------------------


def timed(what: str, job: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = job()
    print(f"  {what}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def run(args: argparse.Namespace, work: Path) -> int:
    s3graph_bin, oxigraph_bin = tool("s3graph"), tool("oxigraph")
    store, location, nquads = work / "s3graph-store", work / "oxigraph-disk", work / "data.nq"
    print(f"building ~{args.triples} quads in {work}", flush=True)
    reports, quads = timed(
        "ingest", lambda: build_store(store, work / "reports", args.triples, args.seed)
    )  # type: ignore[misc]
    print(f"  {reports} reports, {quads} quads")
    timed("export N-Quads", lambda: export_nquads(store, nquads))
    load = [oxigraph_bin, "load", "--location", str(location), "--file", str(nquads)]
    timed(
        "oxigraph load",
        lambda: subprocess.run(load, check=True, capture_output=True, timeout=1800),
    )
    bind = f"{HOST}:{{PORT}}"
    disk_command = [oxigraph_bin, "serve", "--location", str(location), "--bind", bind]
    disk_command.append("--union-default-graph")
    servers = [
        Server(
            "s3graph",
            # No row cap within reach: every server writes the same rows (oxigraph has none).
            [
                s3graph_bin,
                "--store",
                str(store),
                "serve",
                "--host",
                HOST,
                "--port",
                "{PORT}",
                "--max-rows",
                str(UNCAPPED_ROWS),
            ],
            "/sparql",
            work / "s3graph.log",
        ),
        Server(
            "oxigraph-disk",
            disk_command,
            "/query",
            work / "oxigraph-disk.log",
        ),
        Server(
            "oxigraph-mem",
            [oxigraph_bin, "serve", "--bind", bind, "--union-default-graph"],
            "/query",
            work / "oxigraph-mem.log",
        ),
    ]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        timed("load in-memory oxigraph over HTTP", lambda: load_over_http(servers[2], nquads))
        mix = query_mix()
        print(f"query mix: {len(mix)} named queries without required parameters")
        check_rows(servers, mix)
        measure(servers, mix, args.runs, args.requests)
    except (RuntimeError, OSError, subprocess.SubprocessError, requests.RequestException) as exc:
        print(f"endpoint.py: {exc}", file=sys.stderr)
        return 1
    finally:
        for server in servers:
            server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="quads to build (about)")
    parser.add_argument("--runs", type=int, default=20, help="sequential runs per query")
    parser.add_argument("--requests", type=int, default=200, help="requests per server, 4 clients")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.triples < 1 or args.runs < 1 or args.requests < 1:
        parser.error("--triples, --runs and --requests must be positive")
    work = Path(tempfile.mkdtemp(prefix="s3graph-endpoint-"))
    try:
        return run(args, work)
    except KeyboardInterrupt:
        return 130
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
