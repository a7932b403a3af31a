"""Ingestion throughput: N distinct synthetic reports into a fresh on-disk store, then again.

    python bench/ingest.py [-n 300] [--seed 0]

The headline figure times the real :func:`s3graph.ingest.ingest` end to end, as ``s3graph ingest
DIR`` runs it (collect the files, parse, map, one atomic write; SHACL validation is not part of
it). Then the same folder is ingested again (every graph already stored: the diff-based replace),
and once more into a fresh store with the linking ``s3graph ingest`` adds (the partnership
registry, mentions of other partnerships and, with ``--nuts DIR``, region judgements).
Then the phases are timed one by one in this process, without the worker processes that
``ingest`` uses for large runs: parse (``parse_file``), map (``to_triples``), serialise (to
N-Triples lines), store (one ``replace_graphs`` into another fresh store); ``to_graph`` (the
rdflib graph the mapping used to build for the store) is timed for comparison.

Reports come from ``bench/synth.py`` with ``distinct=True``: no two share a partnership and
half-year, so N reports are N named graphs (beyond the registry's partnerships times the
half-years, the partnerships are invented names "Synthetic Partnership NNN"). Target: at least
100 reports/s end to end. It prints figures and
never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from synth import synth_report  # noqa: E402

from s3graph.ingest import ingest  # noqa: E402
from s3graph.linking.links import Linker  # noqa: E402
from s3graph.mapping import to_graph, to_triples  # noqa: E402
from s3graph.mapping.links import linked_mapper  # noqa: E402
from s3graph.namespaces import DEFAULT_BASE  # noqa: E402
from s3graph.parse import parse_file  # noqa: E402
from s3graph.store import Store, serialise  # noqa: E402
from s3graph.vocab.nuts_csv import load_reference_dir  # noqa: E402

Row = tuple[str, float, int]


def write_reports(n: int, seed: int, folder: Path) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"synthetic-{i:05d}.txt"
        path.write_text(synth_report(i, rng, distinct=True), encoding="utf-8")
        paths.append(path)
    return paths


def run(n: int, seed: int, workdir: Path, nuts: Path | None) -> list[Row]:
    """Time ingestion and each phase; returns (what, seconds, triples) rows."""
    folder = workdir / "reports"
    paths = write_reports(n, seed, folder)
    rows: list[Row] = []

    with Store.open(workdir / "store") as store:
        started = time.perf_counter()
        summary = ingest(store, [folder], base=DEFAULT_BASE)
        rows.append(("ingest (new store)", time.perf_counter() - started, summary.triples))
        assert len(summary.graphs) == n, "the synthetic reports should be distinct"
        count = store.count()
        started = time.perf_counter()
        again = ingest(store, [folder], base=DEFAULT_BASE)
        rows.append(("ingest again (same)", time.perf_counter() - started, again.triples))
        assert store.count() == count, "re-ingesting must leave the same number of triples"

    index = load_reference_dir(nuts) if nuts is not None else None
    with Store.open(workdir / "linked") as store:
        started = time.perf_counter()
        mapper = linked_mapper(Linker.load(index))
        summary = ingest(store, [folder], base=DEFAULT_BASE, map_report=mapper)
        label = "ingest with links" + (" + NUTS" if index is not None else "")
        rows.append((label, time.perf_counter() - started, summary.triples))

    started = time.perf_counter()
    reports = [parse_file(p) for p in paths]
    parsed = time.perf_counter()
    now = datetime.now(UTC)
    named = [to_triples(r, base=DEFAULT_BASE, ingested_at=now) for r in reports]
    mapped = time.perf_counter()
    lines = [serialise(g) for g in named]
    serialised = time.perf_counter()
    with Store.open(workdir / "phases") as store:
        store.replace_graphs(lines)
    stored = time.perf_counter()
    triples = sum(len(g) for g in named)
    rows += [
        ("  parse", parsed - started, triples),
        ("  map (to_triples)", mapped - parsed, triples),
        ("  serialise", serialised - mapped, triples),
        ("  store (1 atomic write)", stored - serialised, triples),
        ("  sum of phases, 1 core", stored - started, triples),
    ]
    started = time.perf_counter()
    for r in reports:
        to_graph(r, base=DEFAULT_BASE, ingested_at=now)
    rows.append(("  (to_graph, for comparison)", time.perf_counter() - started, triples))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--reports", type=int, default=300, help="number of reports")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator")
    parser.add_argument(
        "--nuts",
        type=Path,
        default=None,
        help="folder of NUTS CSV files (nuts-YYYY.csv, nuts-changes.csv) to judge regions with",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="s3graph-bench-") as tmp:
        rows = run(args.reports, args.seed, Path(tmp), args.nuts)

    n = args.reports
    print(
        f"{n} distinct synthetic reports (seed {args.seed}), {os.cpu_count()} cores; "
        "target >= 100 reports/s for ingest (new store)"
    )
    print(f"{'':<28} {'seconds':>8} {'ms/report':>10} {'reports/s':>10} {'triples/s':>10}")
    for what, seconds, triples in rows:
        per_second = n / seconds if seconds else float("inf")
        triples_per_second = triples / seconds if seconds else float("inf")
        print(
            f"{what:<28} {seconds:>8.3f} {1000 * seconds / n:>10.2f} "
            f"{per_second:>10.1f} {triples_per_second:>10.0f}"
        )


if __name__ == "__main__":
    main()
