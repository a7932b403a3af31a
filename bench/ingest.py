"""Ingestion throughput: parse, map and store N synthetic reports and print the figures.

    python bench/ingest.py [-n 300] [--seed 0]

Uses the real functions (``s3graph.parse.parse_file``, ``s3graph.mapping.to_graph``,
``s3graph.store.Store.replace_graphs``) on reports written by ``bench/synth.py`` into a temporary
folder. Target: at least 100 reports/s end to end. It prints figures and never asserts timings.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from synth import synth_report  # noqa: E402

from s3graph.mapping import to_graph  # noqa: E402
from s3graph.namespaces import DEFAULT_BASE  # noqa: E402
from s3graph.parse import parse_file  # noqa: E402
from s3graph.store import Store  # noqa: E402

if TYPE_CHECKING:
    from rdflib import Graph


def run(n: int, seed: int, workdir: Path) -> list[tuple[str, float, int]]:
    """Time each phase; returns (phase, seconds, triples handled) rows."""
    rng = random.Random(seed)
    reports_dir = workdir / "reports"
    reports_dir.mkdir()
    paths = []
    for i in range(n):
        path = reports_dir / f"synthetic-{i:05d}.txt"
        path.write_text(synth_report(i, rng), encoding="utf-8")
        paths.append(path)

    started = time.perf_counter()
    reports = [parse_file(p) for p in paths]
    parsed = time.perf_counter()
    now = datetime.now(UTC)
    graphs = [to_graph(r, base=DEFAULT_BASE, ingested_at=now) for r in reports]
    mapped = time.perf_counter()
    with Store.open(workdir / "store") as store:
        for batch in _batches(graphs):
            store.replace_graphs(batch)
        stored = time.perf_counter()
    triples = sum(len(g) for g in graphs)
    return [
        ("parse", parsed - started, triples),
        ("map", mapped - parsed, triples),
        ("store", stored - mapped, triples),
        ("total", stored - started, triples),
    ]


def _batches(graphs: list[Graph]) -> list[list[Graph]]:
    """Split into transactions that never name a graph twice.

    A report drawn twice (same partnership and half-year) goes into a later transaction and
    replaces the earlier graph, as ingesting it again does.
    """
    batches: list[list[Graph]] = []
    seen: list[set[str]] = []
    for graph in graphs:
        name = str(graph.identifier)
        for batch, names in zip(batches, seen, strict=True):
            if name not in names:
                batch.append(graph)
                names.add(name)
                break
        else:
            batches.append([graph])
            seen.append({name})
    return batches


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--reports", type=int, default=300, help="number of reports")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="s3graph-bench-") as tmp:
        rows = run(args.reports, args.seed, Path(tmp))

    n = args.reports
    print(f"{n} synthetic reports (seed {args.seed}); target >= 100 reports/s in total")
    print(f"{'phase':<6} {'seconds':>9} {'ms/report':>10} {'reports/s':>10} {'triples/s':>11}")
    for phase, seconds, triples in rows:
        per_second = n / seconds if seconds else float("inf")
        triples_per_second = triples / seconds if seconds else float("inf")
        print(
            f"{phase:<6} {seconds:>9.3f} {1000 * seconds / n:>10.2f} "
            f"{per_second:>10.1f} {triples_per_second:>11.0f}"
        )


if __name__ == "__main__":
    main()
