"""What ``s3graph serve`` adds to a query, against ``oxigraph serve`` in memory, runs interleaved.

    python bench/serve_overhead.py --store DIR [--runs 10] [--queries NAME ...] [--no-engine]

``bench/scale.py`` times each server's whole mix before the next server's, so a change in the
machine's load between two blocks shows as a difference between servers. Here the runs are
interleaved: run ``i`` of a query goes to every server in turn, so all of them see the same
load. Three figures per named query (the mix of ``bench/endpoint.py``), p50 in ms:

* ``engine``: the query on an in-memory pyoxigraph copy of the store in this process, its
  results written as SPARQL JSON by pyoxigraph (what no server can go below);
* ``s3graph``: ``s3graph --store DIR serve`` (in-memory copy, no row cap), over HTTP;
* ``oxigraph``: ``oxigraph serve --union-default-graph`` in memory, loaded with the same quads.

Then the ratios s3graph/oxigraph and s3graph/engine, and their geometric means over the mix.
The store must exist (``bench/scale.py --work DIR`` leaves one in ``DIR/triples-N/store``).
It prints figures and asserts nothing; the servers it starts are stopped, its files removed.
"""

from __future__ import annotations

import argparse
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

from s3graph.store import Store  # noqa: E402


def servers(store: Path, work: Path) -> list[Server]:
    """``s3graph serve`` over ``store`` and an in-memory ``oxigraph serve`` (loaded later)."""
    return [
        Server(
            "s3graph",
            [tool("s3graph"), "--store", str(store), "serve", "--host", HOST,
             "--port", "{PORT}", "--max-rows", str(UNCAPPED_ROWS)],
            "/sparql",
            work / "s3graph.log",
        ),
        Server(
            "oxigraph",
            [tool("oxigraph"), "serve", "--bind", f"{HOST}:{{PORT}}", "--union-default-graph"],
            "/query",
            work / "oxigraph.log",
        ),
    ]


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
    args = parser.parse_args()
    mix = [q for q in query_mix() if not args.queries or q.name in args.queries]
    memory = None if args.no_engine else Store.in_memory_copy(args.store)._store
    with tempfile.TemporaryDirectory(prefix="s3graph-serve-overhead-") as folder:
        work = Path(folder)
        nquads = work / "data.nq"
        export_nquads(args.store, nquads)
        running = servers(args.store, work)
        try:
            for server in running:
                server.start()
            for server in running:
                server.wait_ready()
            load_over_http(running[1], nquads)
            report(mix, running, memory, args.runs)
        finally:
            for server in running:
                server.stop()


def report(mix: list, running: list[Server], memory: ox.Store | None, runs: int) -> None:
    names = ["engine", *(s.name for s in running)] if memory is not None else []
    names = names or [s.name for s in running]
    print(f"{'query':26}" + "".join(f"{n:>10}" for n in names) + "   s3g/oxi  s3g/engine")
    ratios: dict[str, list[float]] = {"oxi": [], "engine": []}
    with requests.Session() as session:
        for query in [*mix, None]:
            text = query.text if query is not None else "SELECT * WHERE { }"
            times: dict[str, list[float]] = {name: [] for name in names}
            for run in range(WARMUP + runs):
                if memory is not None:
                    spent = engine_time(memory, text)
                    if run >= WARMUP:
                        times["engine"].append(spent)
                for server in running:
                    spent = http_time(session, server, text)
                    if run >= WARMUP:
                        times[server.name].append(spent)
            p50 = {name: statistics.median(found) * 1000 for name, found in times.items()}
            oxi = p50["s3graph"] / p50["oxigraph"]
            line = f"{query.name if query else '(floor)':26}"
            line += "".join(f"{p50[n]:10.1f}" for n in names) + f"   {oxi:7.2f}"
            if query is not None:
                ratios["oxi"].append(oxi)
            if memory is not None:
                engine = p50["s3graph"] / p50["engine"]
                line += f"  {engine:10.2f}"
                if query is not None:
                    ratios["engine"].append(engine)
            print(line, flush=True)
    print(f"geometric mean over the mix: s3graph/oxigraph {geomean(ratios['oxi']):.2f}", end="")
    if ratios["engine"]:
        print(f", s3graph/engine {geomean(ratios['engine']):.2f}", end="")
    print()


if __name__ == "__main__":
    main()
