"""Peak memory and time of ``s3graph ingest`` on the "20 MB case" of issue 12.

    python bench/ingest_memory.py [--report PATH] [--mb 20]

The case: one real report (``mining-industry-2020-h1.txt`` of the shared corpus, found through
``S3GRAPH_SHARED`` or ``../shared``) repeated until the file holds 20 MiB, all in one file. It
once took 108 s and 3.8 GB to ingest. Each run is ``s3graph ingest FILE`` into a fresh store, in
a child process:

- (a) as is: expected refused before parsing (over the 2 MB default of ``--max-bytes``), exit 2;
- (b) ``--max-bytes 8388608``, the most it allows (each report's bytes are stored as one literal,
  which RDF parsers take up to 16 MiB): still refused before parsing, exit 2;
- (c) ``--split --max-bytes 8388608`` on the case cut to 8 MiB (the largest file ingest reads):
  every copy read as a report of its own; all are the same report (same graph IRI), so one
  graph is stored.

For each it prints the exit code, the first line of stderr, the wall time, and the peak resident
set: the child's own (``ru_maxrss`` of ``wait4``, the kernel's figure) and the largest sum over
the child's process tree sampled every 50 ms (``ingest`` forks readers for large runs). Issue 12
wants the peak under 500 MB whatever the input. It prints figures and never asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # procfs.py

from procfs import MIB, TreeSampler  # noqa: E402

LIMIT_MB = 500
MIB_FILE = 1024 * 1024
#: The most ``--max-bytes`` allows (``s3graph.parse.text.MAX_BYTES_CEILING``).
CEILING = 8 * MIB_FILE


def default_report() -> Path:
    shared = os.environ.get("S3GRAPH_SHARED") or str(BENCH_DIR.parent.parent / "shared")
    return Path(shared) / "corpus" / "mining-industry-2020-h1.txt"


def build_case(report: Path, size: int, folder: Path) -> tuple[Path, int]:
    """The report repeated until the file holds ``size`` bytes; the file and the copies."""
    data = report.read_bytes()
    copies = -(-size // len(data))
    path = folder / f"{report.stem}-x{copies}.txt"
    with path.open("wb") as out:
        for _ in range(copies):
            out.write(data)
    return path, copies


def s3graph_command() -> list[str]:
    script = Path(sys.executable).with_name("s3graph")
    if script.exists():
        return [str(script)]
    found = shutil.which("s3graph")
    if found is None:
        raise SystemExit("the s3graph console script is not installed (pip install -e .)")
    return [found]


def has_split() -> bool:
    shown = subprocess.run(
        [*s3graph_command(), "ingest", "--help"], capture_output=True, text=True, check=False
    )
    return "--split" in shown.stdout


def measure(label: str, args: list[str], folder: Path) -> None:
    """One ``s3graph ingest`` in a child process with a fresh store: exit, time, peak memory."""
    store = folder / f"store-{label}"
    command = [*s3graph_command(), "--store", str(store), "ingest", *args]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        with TreeSampler(child.pid) as sampler:
            _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        stderr.seek(0)
        said = stderr.read().decode("utf-8", "replace").splitlines()
    own = usage.ru_maxrss / 1024  # KiB on Linux
    tree = max(sampler.tree_samples, default=0) / MIB
    peak = max(own, tree)
    verdict = "under" if peak < LIMIT_MB else "OVER"
    print(f"({label}) ingest {' '.join(args[:-1]) or '(defaults)'}")
    print(f"    exit {child.returncode}, {seconds:.2f} s wall, peak RSS {own:.0f} MB "
          f"(process tree {tree:.0f} MB): {verdict} {LIMIT_MB} MB")
    print(f"    stderr ({len(said)} lines): {said[0][:300] if said else ''}")
    shutil.rmtree(store, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, default=default_report())
    parser.add_argument("--mb", type=int, default=20, help="size of the case in MiB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="s3graph-bench-memory-") as tmp:
        folder = Path(tmp)
        case, copies = build_case(args.report, args.mb * MIB_FILE, folder)
        print(f"case: {args.report.name} x {copies} = {case.stat().st_size:,} bytes in one file")
        measure("a", [str(case)], folder)
        measure("b", ["--max-bytes", str(CEILING), str(case)], folder)
        if has_split():
            data = case.read_bytes()
            largest = folder / "largest.txt"
            largest.write_bytes(data[: CEILING - CEILING % len(args.report.read_bytes())])
            print(f"case (c): {largest.stat().st_size:,} bytes in one file")
            measure("c", ["--split", "--max-bytes", str(CEILING), str(largest)], folder)
        else:
            print("(c) skipped: this s3graph ingest has no --split")


if __name__ == "__main__":
    main()
