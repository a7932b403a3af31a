"""Export time and peak memory: ``s3graph export`` at ~100k and ~1M triples of synthetic reports.

    python bench/export.py [--triples 100000 1000000] [--runs 1] [--gzip] [--keep]

For each size it builds an on-disk store of distinct synthetic reports (``bench/synth.py``,
ingested by ``s3graph ingest``: linked and validated, with NUTS 2021 loaded when
``../shared/reference`` is there), then runs ``s3graph export`` with every format in a
subprocess. It prints, per run: wall time, the peak resident memory of the process tree (parent
and the forked children together, sampled from /proc every 20 ms) and of its largest process
(``getrusage``), and the bytes written; then the issue's target (1M triples in all formats
within 30 s, under 500 MB peak). It prints figures and asserts nothing about time. Everything it
makes lives in a temporary folder, removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # synth.py, endpoint.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from endpoint import tool  # noqa: E402
from synth import synth_report  # noqa: E402

from s3graph.store import Store  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_MB = 500.0
REFERENCE = BENCH_DIR.parent.parent / "shared" / "reference"


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc), 0 once it is gone."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        pending += [int(child) for child in children]
    return total


def run_export(store: Path, out: Path, gzip: bool) -> tuple[float, float, float, int]:
    """(seconds, peak tree MB, peak largest-process MB, bytes written) of one export."""
    shutil.rmtree(out, ignore_errors=True)
    command = [tool("s3graph"), "--store", str(store), "export", "--out", str(out)]
    if gzip:
        command.append("--gzip")
    # A fresh Python runs the export and reports its children's peak (the export's largest
    # process, forked children included); this process's own children include the ingests.
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stderr.buffer.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", wrapper, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"export failed ({process.returncode}): {stderr.decode()}")
    largest_mb = int(stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux
    written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return seconds, peak / 1e6, largest_mb, written


def prepare(work: Path, target: int) -> tuple[Path, int]:
    """An on-disk store of about ``target`` quads, made as a user makes one.

    ``s3graph vocab load`` of NUTS 2021 (when ``../shared/reference`` is there), then
    ``s3graph ingest`` of distinct synthetic reports (linked and validated: report graphs and
    their validation graphs): a first batch gives the quads per report, a second the rest.
    """
    store = work / f"store-{target}"
    cli = [tool("s3graph"), "--store", str(store)]
    if (REFERENCE / "nuts-2021.csv").exists():
        subprocess.run([*cli, "vocab", "load", str(REFERENCE / "nuts-2021.csv")], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    rng = random.Random(target)
    written, quads, batch = 0, 0, 20
    while quads < target:
        folder = work / f"reports-{target}" / f"batch-{written:06d}"
        folder.mkdir(parents=True)
        for i in range(written, written + batch):
            text = synth_report(i, rng, distinct=True)
            (folder / f"synthetic-{i:06d}.txt").write_text(text, encoding="utf-8")
        subprocess.run([*cli, "ingest", str(folder)], check=True, capture_output=True)
        written += batch
        with Store.open(store, read_only=True) as opened:
            quads = opened.count()
        batch = max(1, math.ceil((target - quads) / (quads / written)))
    print(f"store: {written} reports, {quads:,} quads", flush=True)
    return store, quads


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--gzip", action="store_true", help="also export with --gzip")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="s3graph-bench-export-"))
    print(f"{os.cpu_count()} cores; work folder {work}")
    rows = []
    try:
        for target in args.triples:
            store, quads = prepare(work, target)
            for gzip in (False, True) if args.gzip else (False,):
                for run in range(args.runs):
                    figures = run_export(store, work / f"export-{target}", gzip)
                    rows.append((quads, gzip, run + 1, *figures))
                    print(_row(*rows[-1]), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(
        "\n| quads | gzip | run | seconds | peak RSS, tree (MB) | peak RSS, largest (MB) | MB out |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(_row(*row))
    print(f"\ntarget: 1M triples, all formats, <= {TARGET_SECONDS:g} s and < {TARGET_MB:g} MB peak")
    return 0


def _row(quads: int, gzip: bool, run: int, seconds: float, tree: float, largest: float,
         written: int) -> str:  # fmt: skip
    gz = "yes" if gzip else "no"
    return (
        f"| {quads:,} | {gz} | {run} | {seconds:.1f} | {tree:.0f} | {largest:.0f} |"
        f" {written / 1e6:.0f} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
