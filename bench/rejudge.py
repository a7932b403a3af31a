"""Judging stored reports again: what ``s3graph vocab load`` and ``s3graph check`` cost.

    python bench/rejudge.py [-n 200] [--seed 0]

N distinct synthetic reports (``bench/synth.py``) are ingested as ``s3graph ingest`` does (linked
against the packaged NUTS snapshot, validated, sources kept); then every stored report is judged
again against a NUTS version loaded in the snapshot's place (``s3graph vocab load`` of the
reference table, when ``../shared/reference`` is there) and against what is in force
(``s3graph check``). Printed: reports per second of each phase and the peak memory of this process
(the re-judging reads the stored sources back, runs the pipeline in one worker per core and
writes everything in one transaction). It prints figures and never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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
from s3graph.judging import Reference, rejudge, update_reference  # noqa: E402
from s3graph.namespaces import DEFAULT_BASE  # noqa: E402
from s3graph.store import Store  # noqa: E402
from s3graph.validate import validate_graph  # noqa: E402
from s3graph.vocab.nuts_snapshot import snapshot_index  # noqa: E402
from s3graph.vocab.sources.batch import read_files, vocabulary_files  # noqa: E402


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="number of reports (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    shared = Path(os.environ.get("S3GRAPH_SHARED", BENCH_DIR.parent.parent / "shared"))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="s3graph-rejudge-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for i in range(args.n):
            text = synth_report(i, rng, distinct=True)
            (folder / f"synthetic-{i:05d}.txt").write_text(text, encoding="utf-8")
        reference = Reference.load(snapshot_index(), {})
        with Store.open(Path(tmp) / "store") as store:
            started = time.perf_counter()
            summary = ingest(
                store,
                [folder],
                base=DEFAULT_BASE,
                linker=reference.linker,
                validate=validate_graph,
                stamp=reference.stamp,
                now=lambda: datetime.now(UTC),
            )
            ingest_s = time.perf_counter() - started
            print(f"reports: {summary.files}, quads: {store.count():,}")
            print(f"ingest (link, map, validate, keep sources): {ingest_s:.1f} s, "
                  f"{summary.files / ingest_s:.1f} reports/s")
            started = time.perf_counter()
            rejudged = rejudge(
                store, base=DEFAULT_BASE, reference=reference, validate=validate_graph
            )
            store.replace_graphs(rejudged.graphs)
            check_s = time.perf_counter() - started
            print(f"check (judge {rejudged.reports} stored reports again, one write): "
                  f"{check_s:.1f} s, {rejudged.reports / check_s:.1f} reports/s")
            table = shared / "reference" / "nuts-2021.csv"
            if table.exists():
                started = time.perf_counter()
                update = read_files(store, vocabulary_files([table]))
                done = update_reference(
                    store, update.graphs, base=DEFAULT_BASE, names={}, validate=validate_graph
                )
                load_s = time.perf_counter() - started
                print(f"vocab load nuts-2021.csv (read, judge {done.reports} again, one write): "
                      f"{load_s:.1f} s")
            else:
                print(f"vocab load: skipped, no {table}")
        print(f"peak memory of this process: {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
