"""Validation time per report: SHACL shapes over N synthetic reports, mean and p95.

    python bench/validate.py [-n 300] [--seed 0] [--nuts DIR]

Each report is parsed, linked (with ``--nuts DIR``, its regions judged against the NUTS CSV files
of that folder) and mapped first; only :func:`s3graph.validate.validate_graph` is timed, on the
report's own in-memory graph, as ``s3graph ingest`` and ``s3graph validate`` run it. Target: at
most 50 ms per report. It prints figures and never asserts timings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from synth import synth_report  # noqa: E402

from s3graph.linking.links import Linker  # noqa: E402
from s3graph.mapping.links import to_linked_graph  # noqa: E402
from s3graph.namespaces import DEFAULT_BASE  # noqa: E402
from s3graph.parse import parse_text  # noqa: E402
from s3graph.parse.text import source_of  # noqa: E402
from s3graph.validate import load_shapes, validate_graph  # noqa: E402
from s3graph.vocab.nuts_csv import load_reference_dir  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--reports", type=int, default=300, help="number of reports")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator")
    parser.add_argument("--nuts", type=Path, default=None, help="folder of NUTS CSV files")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    linker = Linker.load(load_reference_dir(args.nuts) if args.nuts else None)
    now = datetime.now(UTC)
    shapes = load_shapes()
    graphs = []
    for i in range(args.reports):
        text = synth_report(i, rng, distinct=True)
        report = parse_text(text, source_of(f"synthetic-{i:05d}.txt", text.encode()))
        graphs.append(
            to_linked_graph(report, linker.link(report), base=DEFAULT_BASE, ingested_at=now)
        )
    validate_graph(graphs[0], file="warm-up", shapes=shapes)
    timings = []
    problems = 0
    for i, graph in enumerate(graphs):
        started = time.perf_counter()
        outcome = validate_graph(graph, file=f"synthetic-{i:05d}.txt", shapes=shapes)
        timings.append(1000 * (time.perf_counter() - started))
        problems += len(outcome.problems)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    triples = statistics.mean(len(g) for g in graphs)
    print(
        f"{args.reports} synthetic reports (seed {args.seed}, {triples:.0f} triples each, "
        f"NUTS {'judged' if args.nuts else 'not judged'}); target <= 50 ms per report"
    )
    print(
        f"validation ms/report: mean {statistics.mean(timings):.1f}, p95 {p95:.1f}, "
        f"max {timings[-1]:.1f}; {problems} problems found"
    )


if __name__ == "__main__":
    main()
