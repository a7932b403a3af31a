"""The SPARQL results writers of a ``/sparql`` worker: time to write one SELECT, per format.

    python bench/results.py [--rows 20000] [--runs 7] [--old path/to/old/execute.py]

Builds an in-memory store of ``--rows`` synthetic rows (IRIs that repeat, language-tagged and
typed literals, as the named queries return), then times :func:`s3graph.api.execute.handle_job`
for ``SELECT`` in JSON, XML, CSV and TSV, with and without a row cap. With ``--old`` (a copy of
an earlier ``execute.py``, e.g. ``git show REV:s3graph/api/execute.py > old_execute.py``) the same
jobs run through that module too, and the ratio new/old is printed beside each figure; the JSON
bodies must be the same bytes, the others the same solutions. It prints figures and never
asserts timings.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

sys.path.append(str(Path(__file__).resolve().parent.parent))  # s3graph from the checkout

import s3graph.api.execute as new
from s3graph.rdf.formats import RESULT_TYPES
from s3graph.store import Store

QUERY = """PREFIX d: <https://w3id.org/s3graph/def#>
SELECT ?s ?name ?count ?region
WHERE { ?s d:name ?name ; d:count ?count . OPTIONAL { ?s d:region ?region } }"""
EX = "https://w3id.org/s3graph/"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def build(rows: int) -> Store:
    """A read-only in-memory store whose SELECT gives ``rows`` rows."""
    raw = ox.Store()
    name_p, count_p = ox.NamedNode(EX + "def#name"), ox.NamedNode(EX + "def#count")
    region_p = ox.NamedNode(EX + "def#region")
    graph = ox.NamedNode(EX + "graph")
    quads = []
    for i in range(rows):
        s = ox.NamedNode(f"{EX}report/{i}")
        quads.append(ox.Quad(s, name_p, ox.Literal(f"Région n° {i % 500}", language="fr"), graph))
        quads.append(ox.Quad(s, count_p, ox.Literal(str(i % 97), datatype=XSD_INTEGER), graph))
        if i % 3:
            quads.append(ox.Quad(s, region_p, ox.NamedNode(f"{EX}region/R{i % 40}"), graph))
    raw.extend(quads)
    return Store(raw, Path("bench-results"), read_only=True, in_memory=True)


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_execute", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_execute"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def timed(module: Any, store: Store, media: str, max_rows: int | None, runs: int) -> tuple[
    float, bytes
]:
    job = module.QueryJob(
        QUERY, accept=media, offers={"solutions": [media]}, max_rows=max_rows,
        dataset=None,
    )  # fmt: skip
    module.handle_job(store, job)  # warm-up
    times = []
    body = b""
    for _ in range(runs):
        start = time.perf_counter()
        body = module.handle_job(store, job).body
        times.append(time.perf_counter() - start)
    return statistics.median(times), body


def same_solutions(a: bytes, b: bytes, media: str) -> bool:
    if media == "text/csv":  # lossy: pyoxigraph does not read it; compare the fields
        return [*csv.reader(io.StringIO(a.decode()))] == [*csv.reader(io.StringIO(b.decode()))]
    fmt = RESULT_TYPES[media]
    rows = [
        [list(s) for s in ox.parse_query_results(data, format=fmt)]  # type: ignore[union-attr]
        for data in (a, b)
    ]
    return rows[0] == rows[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--old", type=Path, help="an earlier execute.py to compare with")
    args = parser.parse_args()
    store = build(args.rows)
    old = load(args.old) if args.old else None
    print(f"{args.rows} rows, median of {args.runs} runs (handle_job: query + writing)")
    for max_rows in (None, args.rows // 2):
        for media in RESULT_TYPES:
            seconds, body = timed(new, store, media, max_rows, args.runs)
            line = f"{media:34} cap={max_rows!s:6} new {seconds * 1000:8.1f} ms"
            if old is not None:
                old_seconds, old_body = timed(old, store, media, max_rows, args.runs)
                same = (
                    body == old_body
                    if media.endswith("json")
                    else same_solutions(body, old_body, media)
                )
                line += (
                    f"  old {old_seconds * 1000:8.1f} ms  new/old {seconds / old_seconds:5.2f}"
                    f"  {'same bytes' if body == old_body else 'same rows' if same else 'DIFFER'}"
                )
            print(line)


if __name__ == "__main__":
    main()
