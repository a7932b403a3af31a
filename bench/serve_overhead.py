"""What ``s3graph serve`` adds to a query, against ``oxigraph serve`` in memory, runs interleaved.

    python bench/serve_overhead.py --store DIR [--runs 10] [--queries NAME ...] [--no-engine]
        [--checkout NAME=DIR ...]

``bench/scale.py`` times each server's whole mix before the next server's, so a change in the
machine's load between two blocks shows as a difference between servers. Here the runs are
interleaved: run ``i`` of a query goes to every server in turn, so all of them see the same
load. Per named query (the mix of ``bench/endpoint.py``), p50 in ms:

* ``engine``: the query on an in-memory pyoxigraph copy of the store in this process, its
  results written as SPARQL JSON by pyoxigraph (what no server can go below);
* ``s3graph``: ``s3graph --store DIR serve`` (in-memory copy, no row cap), over HTTP; with
  ``--checkout NAME=DIR``, instead one ``s3graph serve`` per checkout, running the code of
  ``DIR`` (``PYTHONPATH``: a ``git worktree`` of a commit), to compare versions side by side;
* ``oxigraph``: ``oxigraph serve --union-default-graph`` in memory, loaded with the same quads.

Then each s3graph's p50 over oxigraph's, and the geometric means over the mix; last, the CPU
time each server's process tree spends per request on the empty query (``SELECT * WHERE { }``,
200 requests), which the machine's load does not change as it changes latencies.
The store must exist (``bench/scale.py --work DIR`` leaves one in ``DIR/triples-N/store``).
It prints figures and asserts nothing; the servers it starts are stopped, its files removed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import requests

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # endpoint.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from endpoint import (  # noqa: E402
    HOST,
    UNCAPPED_ROWS,
    WARMUP,
    Server,
    ask,
    export_nquads,
    geomean,
    load_over_http,
    query_mix,
    tool,
)

from s3graph.sparql import NamedQuery  # noqa: E402
from s3graph.store import Store  # noqa: E402

FLOOR = "SELECT * WHERE { }"


def servers(store: Path, work: Path, checkouts: dict[str, Path]) -> list[Server]:
    """``s3graph serve`` over ``store`` (or one per checkout) and an in-memory ``oxigraph
    serve`` (loaded later), last."""
    serve = ["--store", str(store), "serve", "--host", HOST, "--port", "{PORT}",
             "--max-rows", str(UNCAPPED_ROWS)]  # fmt: skip
    found = [] if checkouts else [
        Server("s3graph", [tool("s3graph"), *serve], "/sparql", work / "s3graph.log")
    ]
    for name, folder in checkouts.items():
        command = ["env", f"PYTHONPATH={folder.resolve()}", tool("s3graph"), *serve]
        found.append(Server(f"s3g-{name}", command, "/sparql", work / f"s3graph-{name}.log"))
    oxigraph = [tool("oxigraph"), "serve", "--bind", f"{HOST}:{{PORT}}", "--union-default-graph"]
    return [*found, Server("oxigraph", oxigraph, "/query", work / "oxigraph.log")]


def engine_time(store: ox.Store, text: str) -> float:
    """Seconds for ``text`` on ``store``, its solutions written as JSON by pyoxigraph."""
    started = time.perf_counter()
    results = store.query(text, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    results.serialize(format=ox.QueryResultsFormat.JSON)
    return time.perf_counter() - started


def http_time(session: requests.Session, server: Server, text: str) -> float:
    started = time.perf_counter()
    _ = ask(session, server, text).content
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an s3graph store folder")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--queries", nargs="*", help="named queries (default: the whole mix)")
    parser.add_argument("--no-engine", action="store_true", help="skip the in-process figure")
    parser.add_argument(
        "--checkout", action="append", default=[], metavar="NAME=DIR",
        help="also s3graph serve from the checkout DIR (e.g. a git worktree of another commit)",
    )  # fmt: skip
    args = parser.parse_args()
    checkouts = {n: Path(d) for n, _, d in (c.partition("=") for c in args.checkout)}
    mix = [q for q in query_mix() if not args.queries or q.name in args.queries]
    memory = None if args.no_engine else Store.in_memory_copy(args.store)._store
    with tempfile.TemporaryDirectory(prefix="s3graph-serve-overhead-") as folder:
        work = Path(folder)
        nquads = work / "data.nq"
        export_nquads(args.store, nquads)
        running = servers(args.store, work, checkouts)
        try:
            for server in running:
                server.start()
            for server in running:
                server.wait_ready()
            load_over_http(running[-1], nquads)
            report(mix, running, memory, args.runs)
            cpu_per_request(running)
        finally:
            for server in running:
                server.stop()


def report(
    mix: list[NamedQuery], running: list[Server], memory: ox.Store | None, runs: int
) -> None:
    ours = [s.name for s in running[:-1]]
    names = ([] if memory is None else ["engine"]) + [s.name for s in running]
    head = "".join(f"{n:>10}" for n in names) + "".join(f"{n + '/oxi':>14}" for n in ours)
    print(f"{'query':26}{head}")
    ratios: dict[str, list[float]] = {name: [] for name in ours}
    with requests.Session() as session:
        for query in [*mix, None]:
            text = query.text if query is not None else FLOOR
            times: dict[str, list[float]] = {name: [] for name in names}
            try:
                for run in range(WARMUP + runs):
                    if memory is not None:
                        spent = engine_time(memory, text)
                        if run >= WARMUP:
                            times["engine"].append(spent)
                    for server in running:
                        spent = http_time(session, server, text)
                        if run >= WARMUP:
                            times[server.name].append(spent)
            except (RuntimeError, requests.RequestException) as exc:
                print(f"{query.name if query else '(floor)':26} failed: {str(exc)[:150]}")
                continue
            p50 = {name: statistics.median(found) * 1000 for name, found in times.items()}
            line = f"{query.name if query else '(floor)':26}"
            line += "".join(f"{p50[n]:10.1f}" for n in names)
            for name in ours:
                ratio = p50[name] / p50["oxigraph"]
                line += f"{ratio:14.2f}"
                if query is not None:
                    ratios[name].append(ratio)
            print(line, flush=True)
    means = ", ".join(f"{name}/oxigraph {geomean(found):.2f}" for name, found in ratios.items())
    print(f"geometric mean over the mix: {means}")


def cpu_per_request(running: list[Server], requests_sent: int = 200) -> None:
    """CPU seconds of each server's process tree per empty query, in ms."""
    shown = []
    with requests.Session() as session:
        for server in running:
            assert server.process is not None
            for _ in range(WARMUP):
                http_time(session, server, FLOOR)
            before = tree_cpu(server.process.pid)
            for _ in range(requests_sent):
                http_time(session, server, FLOOR)
            spent = tree_cpu(server.process.pid) - before
            shown.append(f"{server.name} {spent / requests_sent * 1000:.2f}")
    print("CPU ms per empty query (process tree): " + ", ".join(shown))


def tree_cpu(pid: int) -> float:
    """CPU seconds used by ``pid`` and its descendants alive now, and the children they reaped."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        fields = stats.get(current)
        if fields is not None:
            total += sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        todo.extend(children.get(current, []))
    return total


if __name__ == "__main__":
    main()
