"""How long replacing one graph takes on a server, by SPARQL Update or by Graph Store Protocol PUT,
and whether a reader on another connection sees it half done (issue 14). Prints figures; asserts
nothing.

    python bench/remote_writes.py [--sizes 3000,30000] [--runs 3] [--servers oxigraph,virtuoso]

Each server is started afresh (``tests/servers.py``: ``oxigraph serve`` on disk, Virtuoso open
source). Per server and size, a graph of that many triples is replaced ``--runs`` times by one
whose every triple is new (texts the server has not seen: the case where Virtuoso committed a
request half done), through :meth:`RemoteStore.replace_graphs` with the server's preset as it
is (an update; on Virtuoso the new terms first) and with ``put_graphs`` set (a GSP PUT). A
reader polls the graph meanwhile and counts the answers that were neither version whole.
What the presets choose, and why, is at :data:`s3graph.remote.presets.PRESETS`.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Generator
from pathlib import Path
from typing import cast

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from servers import Server, start_oxigraph, start_virtuoso  # noqa: E402

from s3graph.rdf.graphs import SerialisedGraph  # noqa: E402
from s3graph.remote import Credentials, Limits, RemoteStore, preset  # noqa: E402

GRAPH = "https://example.org/s3graph-bench/writes"
LIMITS = Limits(connect=5.0, read=600.0, total=1200.0)
STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


def version(size: int) -> SerialisedGraph:
    """A graph of ``size`` triples none of which the server has seen (its texts made anew)."""
    run = uuid.uuid4().hex[:8]
    lines = tuple(
        f'<{GRAPH}/s{i}> <https://example.org/p{i % 7}> "{run} value {i}"@en .\n'
        for i in range(size)
    )
    return SerialisedGraph(f"<{GRAPH}>", lines)


def halves(store: RemoteStore, size: int, done: threading.Event, seen: list[int]) -> None:
    """Poll the graph's size until ``done``; keep the sizes that were not ``size``."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    while not done.is_set():
        row = next(iter(cast(ox.QuerySolutions, store.query(text))))
        count = int(cast(ox.Literal, row["n"]).value)
        seen.append(count)


def measure(server: Server, size: int, runs: int, put: bool) -> tuple[float, int, int]:
    """The median seconds of a replacement, the reads made meanwhile and those seen half done."""
    kind = preset(server.kind)
    kind = dataclasses.replace(kind, put_graphs=True) if put else kind
    credentials = Credentials(server.user, server.password or "") if server.user else None
    with RemoteStore(server.url, kind, credentials=credentials, limits=LIMITS) as store:
        store.replace_graphs([version(size)])
        reader = RemoteStore(server.url, kind, limits=LIMITS)
        seen: list[int] = []
        done = threading.Event()
        thread = threading.Thread(target=halves, args=(reader, size, done, seen))
        thread.start()
        took = []
        try:
            for _ in range(runs):
                new = version(size)
                started = time.perf_counter()
                store.replace_graphs([new])
                took.append(time.perf_counter() - started)
        finally:
            done.set()
            thread.join()
            reader.close()
        store.replace_graphs([SerialisedGraph(f"<{GRAPH}>", ())])
    return statistics.median(took), len(seen), sum(1 for n in seen if n != size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,30000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    print("server    triples  write   median s  reads  half done")
    with tempfile.TemporaryDirectory(prefix="s3graph-bench-writes-") as folder:
        for kind in options.servers.split(","):
            (Path(folder) / kind).mkdir()
            starting = STARTERS[kind](Path(folder) / kind)
            servers = cast(Generator[Server, None, None], starting)
            server = next(servers)
            try:
                for size in sizes:
                    for put in (False, True):
                        median, reads, half = measure(server, size, options.runs, put)
                        how = "PUT" if put else "update"
                        print(f"{kind:9} {size:7}  {how:6} {median:9.2f}  {reads:5}  {half:9}")
            finally:
                servers.close()


if __name__ == "__main__":
    main()
