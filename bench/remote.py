"""The shared corpus written to, and queried on, each kind of store: embedded, oxigraph serve,
Virtuoso (issue 14). Prints figures; asserts nothing.

    python bench/remote.py [--rounds 5] [--shared ../shared]

Each store is started afresh (the servers by ``tests/servers.py``, on 127.0.0.1 with their own
folders and free ports). Per store:

- ``ingest``: the corpus ingested as ``s3graph ingest`` does it (base vocabularies, links,
  validation and source graphs; :func:`conftest.ingest_linked`), i.e. parse + link + map +
  validate + ``replace_graphs``; then NUTS 2021 loaded (``load``);
- ``again``: the same ingest once more, where nothing changed (a remote store reads every graph
  back and writes none);
- ``write``: ``replace_graphs`` alone of the corpus's graphs, each with one triple changed (the
  diff written: one request per graph on a server);
- the named-query mix: every shipped named query with each parameter filled from the data, run
  ``--rounds`` times after one warm-up round; p50 and p95 per query over all its runs, and the
  median of the medians, as a ratio to the embedded store's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import ingest_linked  # noqa: E402
from servers import Server, start_oxigraph, start_virtuoso  # noqa: E402
from test_remote_store import parameter_sets  # noqa: E402

from s3graph.rdf.graphs import SerialisedGraph  # noqa: E402
from s3graph.remote import Limits, RemoteStore  # noqa: E402
from s3graph.sparql import bind_parameters, list_queries  # noqa: E402
from s3graph.store import Store  # noqa: E402
from s3graph.vocab.sources.loading import load_file  # noqa: E402

BASE = "https://w3id.org/s3graph/"
AnyStore = Store | RemoteStore


@contextmanager
def opened(kind: str, folder: Path) -> Iterator[AnyStore]:
    folder.mkdir(parents=True)
    if kind == "embedded":
        with Store.open(folder / "store") as store:
            yield store
        return
    starter = start_oxigraph if kind == "oxigraph" else start_virtuoso
    servers = starter(folder)
    server: Server = next(servers)
    remote = RemoteStore.open(
        server.url, server=kind, environ=server.environ(), limits=Limits(5, 600, 1200)
    )
    try:
        with remote:
            yield remote
    finally:
        servers.close()  # stops the server


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def changed_graphs(store: AnyStore) -> list[SerialisedGraph]:
    """Every report graph of the store with one triple added: a write of a small diff each."""
    graphs = []
    for iri in store.graphs():
        if "/report/" not in iri:
            continue
        lines = {
            f"{row['s']} {row['p']} {row['o']} .\n"
            for row in cast(Any, store.query(f"SELECT * WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))
        }
        extra = f"<{iri}> <{BASE}def#benchMark> {ox.Literal(str(time.time_ns()))} .\n"
        graphs.append(SerialisedGraph(f"<{iri}>", (*sorted(lines), extra)))
    return graphs


def query_mix(store: AnyStore, plan: dict[str, list[dict[str, str]]], rounds: int) -> dict:
    """The times of each query's runs; none for a query the server is known to answer wrongly."""
    wrong = store.preset.deviations if isinstance(store, RemoteStore) else {}
    times: dict[str, list[float]] = {}
    for round_number in range(rounds + 1):
        for query in list_queries():
            if query.name in wrong:
                continue
            for params in plan[query.name]:
                bound = bind_parameters(query, params, base=BASE)
                took = timed(partial(run, store, query.text, bound))
                if round_number:  # the first round warms up
                    times.setdefault(query.name, []).append(took)
    return times


def run(store: AnyStore, text: str, bound: dict[str, Any]) -> None:
    list(cast(Any, store.query(text, bound)))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    arguments = parser.parse_args()
    corpus = arguments.shared / "corpus"
    plan: dict[str, list[dict[str, str]]] = {}
    medians: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="s3graph-bench-remote-") as tmp:
        with Store.open(Path(tmp) / "warm-up") as warm:  # imports, NUTS index, shapes: once
            ingest_linked(warm, [corpus], BASE)
        for kind in ("embedded", "oxigraph", "virtuoso"):
            with opened(kind, Path(tmp) / kind) as store:
                ingest = timed(partial(ingest_linked, store, [corpus], BASE))
                nuts = arguments.shared / "reference" / "nuts-2021.csv"
                load = timed(partial(load_file, cast(Store, store), nuts))
                again = timed(partial(ingest_linked, store, [corpus], BASE))
                graphs = changed_graphs(store)
                write = timed(partial(store.replace_graphs, graphs))
                quads = store.count()
                print(
                    f"{kind:9} {quads} quads, {store.graph_count()} graphs: ingest {ingest:.2f} s, "
                    f"NUTS 2021 load {load:.2f} s, ingest again {again:.2f} s, "
                    f"write {len(graphs)} changed report graphs {write:.2f} s"
                )
                if isinstance(store, Store):
                    plan = parameter_sets(store)
                times = query_mix(store, plan, arguments.rounds)
                medians[kind] = {name: statistics.median(t) for name, t in times.items()}
                print(f"{'query':32} {'p50 ms':>8} {'p95 ms':>8} {'x embedded':>10}")
                for name in sorted(medians["embedded"]):
                    if name not in times:
                        print(f"{name:32} {'answered wrongly, not timed':>28}")
                        continue
                    values = times[name]
                    ratio = medians[kind][name] / medians["embedded"][name]
                    print(
                        f"{name:32} {statistics.median(values) * 1000:8.1f} "
                        f"{p95(values) * 1000:8.1f} {ratio:10.2f}"
                    )
                overall = statistics.median(medians[kind].values())
                base = statistics.median(medians["embedded"][name] for name in medians[kind])
                print(
                    f"median of the medians {overall * 1000:.1f} ms ({overall / base:.2f}x "
                    "the embedded store's over the same queries)\n"
                )


if __name__ == "__main__":
    main()
