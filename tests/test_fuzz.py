"""Fuzzing: 10,000 mutated reports through parse, validate and ingest never make a bug appear.

Mutants of the corpus reports (see :mod:`fuzz_mutants`) go through the three commands' core calls
in-process, in a pool of two worker processes (see :mod:`fuzz_stages`), and a sample of them
through the installed console script. The rules of issue 12: no traceback, no exit other than 0,
1 or 2, every exit 2 one ``FILE:LINE: ...`` line (a line the file has), no run over 10 s, memory
bounded; and the three commands agree: a file parse refuses, validate and ingest refuse with the
same line.

A failure names each mutant as ``seed=S index=I recipe=...``; ``fuzz_mutants.mutant(corpus, S, I)``
rebuilds its file (``S3GRAPH_FUZZ_SEED`` runs another seed, ``S3GRAPH_FUZZ_COUNT`` another count).
The figures (time, exit codes per stage, peak memory) are printed: ``pytest -s tests/test_fuzz.py``.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fuzz_mutants import DEFAULT_SEED, mutant
from fuzz_stages import BASE, RUN_SECONDS, STAGES, ChunkResult, Failure, run_chunk

if TYPE_CHECKING:
    from s3graph.linking.links import Linker

MUTANTS = int(os.environ.get("S3GRAPH_FUZZ_COUNT", "10000"))
SEED = int(os.environ.get("S3GRAPH_FUZZ_SEED", str(DEFAULT_SEED)))
CHUNK = 100
WORKERS = 2
#: Peak resident memory of a worker (the largest mutant is under the 2 MB limit).
MEMORY_BOUND_MB = 1024
#: Mutants run through the console script, one command each in turn.
CLI_SAMPLE = 45
MAX_SHOWN = 20


@dataclass(slots=True)
class FuzzRun(ChunkResult):
    """Every chunk's results put together."""

    seed: int = SEED
    seconds: float = 0.0

    def add(self, chunk: ChunkResult) -> None:
        self.codes.update(chunk.codes)
        self.messages.update(chunk.messages)
        self.failures.extend(chunk.failures)
        self.slowest = max(self.slowest, chunk.slowest)
        self.max_rss_kb = max(self.max_rss_kb, chunk.max_rss_kb)
        self.batches += chunk.batches


# -- the pool: spawned workers, each set up once ---------------------------------------------
# Spawned, not forked: a fork of a process that has opened a RocksDB store (any earlier test of
# the session) inherits RocksDB's state without its background threads, and the child's first
# Store.open then waits for a flush forever.

_corpus: list[bytes] = []
_folder: Path = Path()
_linker: Linker | None = None


def _start_worker(corpus: list[bytes], folder: Path, cache: Path, report: Path) -> None:
    """Set up a worker: the linker the commands build (no store yet, no fetched region names),
    and one real report through the whole pipeline so that shapes and lexicons are loaded."""
    global _folder, _linker
    from s3graph.cli.support import Settings, load_linker
    from s3graph.pipeline import Pipeline
    from s3graph.validate import validate_graph

    logging.getLogger("s3graph").setLevel(logging.ERROR)  # no "not stored" lines
    os.environ["S3GRAPH_CACHE"] = str(cache)
    _corpus[:], _folder = corpus, folder
    _linker = load_linker(Settings(folder / "no-store", BASE, False), None)
    Pipeline(BASE, datetime.now(UTC), None, _linker, None, validate_graph).run(report)


def _run_chunk(start: int) -> ChunkResult:
    assert _linker is not None, "not a worker"
    folder = _folder / f"chunk-{start}"
    folder.mkdir()
    try:
        indexes = range(start, min(start + CHUNK, MUTANTS))
        return run_chunk(_corpus, SEED, indexes, folder, _linker)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((shared_dir / "corpus").glob("*.txt"))]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty cache for the run and the console script alike (no fetched region names)."""
    return tmp_path_factory.mktemp("fuzz-cache")


@pytest.fixture(scope="module")
def fuzz_run(
    corpus: list[bytes],
    cache_dir: Path,
    shared_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> FuzzRun:
    """The mutants through the three stages, in a pool of two worker processes."""
    folder = tmp_path_factory.mktemp("fuzz")
    report = shared_dir / "corpus" / "mining-industry-2020-h1.txt"
    run = FuzzRun(seed=SEED)
    started = time.perf_counter()
    setup = (corpus, folder, cache_dir, report)
    with mp.get_context("spawn").Pool(WORKERS, _start_worker, setup) as pool:
        for chunk in pool.imap_unordered(_run_chunk, range(0, MUTANTS, CHUNK)):
            run.add(chunk)
    run.seconds = time.perf_counter() - started
    _print_figures(run)
    return run


def _print_figures(run: FuzzRun) -> None:
    print(f"\nfuzz: {len(run.codes)} mutants (seed {run.seed}) in {run.seconds:.1f} s, "
          f"{WORKERS} workers, {run.batches} ingest runs")
    for position, stage in enumerate(STAGES):
        counts = Counter(codes[position] for codes in run.codes.values())
        print(f"  {stage:8} " + ", ".join(f"exit {c}: {n}" for c, n in sorted(counts.items())))
    print(f"  slowest parse+validate: {run.slowest[0]:.2f} s ({run.slowest[1]})")
    print(f"  peak RSS of a worker: {run.max_rss_kb / 1024:.0f} MB")


def _shown(failures: Sequence[Failure]) -> str:
    lines = [f"{f.label} [{f.stage}]: {f.problem}" for f in failures[:MAX_SHOWN]]
    more = len(failures) - MAX_SHOWN
    return "\n".join(lines + ([f"... and {more} more"] if more > 0 else []))


# -- in-process --------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_mutant_went_through_every_stage(fuzz_run: FuzzRun) -> None:
    done = sorted(fuzz_run.codes)
    assert done == list(range(MUTANTS)), _shown(fuzz_run.failures)
    assert all(-1 not in codes for codes in fuzz_run.codes.values())
    # The mutants reach every outcome, so each stage was exercised beyond its first check.
    for position, stage in enumerate(STAGES):
        seen = {codes[position] for codes in fuzz_run.codes.values()}
        assert {0, 2} <= seen, f"{stage} gave only {seen}"


@pytest.mark.slow
def test_no_traceback_and_every_refusal_is_one_located_line(fuzz_run: FuzzRun) -> None:
    assert not fuzz_run.failures, _shown(fuzz_run.failures)


@pytest.mark.slow
def test_no_run_over_the_time_limit(fuzz_run: FuzzRun) -> None:
    seconds, label = fuzz_run.slowest
    assert seconds < RUN_SECONDS, f"{label} took {seconds:.1f} s"


@pytest.mark.slow
def test_memory_stays_bounded(fuzz_run: FuzzRun) -> None:
    assert fuzz_run.max_rss_kb < MEMORY_BOUND_MB * 1024, f"{fuzz_run.max_rss_kb // 1024} MB"


@pytest.mark.slow
def test_the_three_commands_agree(fuzz_run: FuzzRun) -> None:
    """A file parse refuses, validate and ingest refuse on the same line; one that validates
    (with or without a Violation) is ingested."""
    wrong = []
    for index, (parse, validate, ingest) in sorted(fuzz_run.codes.items()):
        label = f"seed={SEED} index={index}"
        if parse == 2 and validate != 2:
            wrong.append(f"{label}: parse refuses it, validate exits {validate}")
        if validate == 2 and ingest != 2:
            wrong.append(f"{label}: validate refuses it, ingest exits {ingest}")
        if validate in (0, 1) and ingest != 0:
            wrong.append(f"{label}: validate exits {validate}, ingest {ingest}")
        said = [fuzz_run.messages.get((index, stage)) for stage in STAGES]
        refused = [m for m in said[1 if parse != 2 else 0 :] if m is not None]
        if len(set(refused)) > 1:
            wrong.append(f"{label}: the stages refuse it differently: {refused}")
    assert not wrong, "\n".join(wrong[:MAX_SHOWN])


# -- through the console script -----------------------------------------------------------------


def _console_script() -> Path | None:
    beside = Path(sys.executable).parent / "s3graph"
    found = beside if beside.exists() else shutil.which("s3graph")
    return Path(found) if found else None


ONE_LINE = re.compile(r"(?P<path>[^\n]+?):(?P<line>[1-9][0-9]*): (?P<text>[^\n]+)\n")


@pytest.mark.slow
@pytest.mark.e2e
def test_a_sample_through_the_console_script(
    fuzz_run: FuzzRun, corpus: list[bytes], cache_dir: Path, tmp_path: Path
) -> None:
    """Each sampled mutant through one command in turn; the exit code and the refusal's line are
    those the in-process run found."""
    script = _console_script()
    if script is None:
        if os.environ.get("CI"):
            pytest.fail("the s3graph console script is not installed (pip install -e .)")
        pytest.skip("the s3graph console script is not installed (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3GRAPH_")}
    env["S3GRAPH_CACHE"] = str(cache_dir)
    step = max(1, MUTANTS // CLI_SAMPLE)
    sample = list(range(0, MUTANTS, step))[:CLI_SAMPLE]

    def run(position: int) -> str | None:
        index = sample[position]
        stage = STAGES[position % len(STAGES)]
        item = mutant(corpus, SEED, index)
        path = tmp_path / f"cli-{index}.txt"
        path.write_bytes(item.data)
        store = tmp_path / f"store-{position}"
        started = time.perf_counter()
        done = subprocess.run(
            [str(script), "--store", str(store), stage, str(path)],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        seconds = time.perf_counter() - started
        stderr = done.stderr.decode("utf-8", "replace")
        expected = fuzz_run.codes[index][STAGES.index(stage)]
        where = f"{item.label} [s3graph {stage}]"
        if done.returncode != expected:
            return f"{where}: exit {done.returncode}, in-process {expected}: {stderr[-2000:]}"
        if "Traceback" in stderr or "internal error" in stderr:
            return f"{where}: {stderr[-2000:]}"
        if seconds > RUN_SECONDS + 5:  # the interpreter's start and imports come on top
            return f"{where}: took {seconds:.1f} s"
        if done.returncode == 2:
            line = ONE_LINE.fullmatch(stderr)
            if line is None or line["path"] != str(path):
                return f"{where}: exit 2 without one FILE:LINE: line: {stderr!r}"
            said = f"{line['line']}: {line['text']}".replace(str(path), "FILE")
            if said != fuzz_run.messages.get((index, stage)):
                return f"{where}: {stderr!r} differs from {fuzz_run.messages.get((index, stage))}"
        return None

    with ThreadPoolExecutor(2) as threads:
        problems = [p for p in threads.map(run, range(len(sample))) if p is not None]
    assert not problems, "\n".join(problems)


# -- bugs the fuzzing found ----------------------------------------------------------------


def _pipeline_on(report: bytes, after: bytes, line: bytes, path: Path, validate: bool) -> Any:
    """The command's pipeline on ``report`` with ``line`` for the line after the one holding
    ``after`` and the blank line between (the answer to that question); its ``run``."""
    from s3graph.cli.support import Settings, load_linker
    from s3graph.pipeline import Pipeline
    from s3graph.validate import validate_graph

    lines = report.splitlines(keepends=True)
    at = next(i for i, text in enumerate(lines) if after in text) + 2
    path.write_bytes(b"".join([*lines[:at], line + b"\n", *lines[at + 1 :]]))
    linker = load_linker(Settings(path.parent / "no-store", BASE, False), None)
    checks = validate_graph if validate else None
    return Pipeline(BASE, datetime.now(UTC), None, linker, None, checks).run(path)


def test_a_long_partnership_name_is_refused_naming_its_line(
    corpus: list[bytes], tmp_path: Path
) -> None:
    """Found by the fuzzing (seed=20261207 index=7981): 1 MB where the partnership's name belongs
    became the slug of every IRI of the report (584 N-Triples lines of ~1 MB, 4.8 GB to ingest
    one file). A name is now at most 200 characters; more is exit 2 naming its line."""
    from s3graph.errors import ReportError

    path = tmp_path / "long-name.txt"
    with pytest.raises(ReportError) as refused:
        _pipeline_on(corpus[0], b"name of your partnership", b"ab " * 30_000, path, False)
    assert refused.value.exit_code == 2
    assert str(refused.value).startswith(f"{path}:")
    assert "name of the partnership (at most 200 characters)" in str(refused.value)


def test_a_long_line_of_sdg_rows_as_leading_regions_is_refused_quickly(
    corpus: list[bytes], tmp_path: Path
) -> None:
    """Found by the fuzzing (seed=20261207 index=9497): every tab-separated cell of a line under
    'list of leading regions' was a region (1 MB gave 572,086 triples, 72 s, 1.2 GB to validate).
    A report names at most 100 leading regions; 200 KB of SDG rows there is exit 2 at once."""
    from fuzz_stages import deadline

    from s3graph.errors import ReportError

    row = next(line for line in corpus[0].splitlines() if line.startswith(b"Goal 10."))
    line = (row * (200_000 // len(row)))[:200_000]
    path = tmp_path / "long.txt"
    with deadline(int(RUN_SECONDS)), pytest.raises(ReportError) as refused:
        _pipeline_on(corpus[0], b"list of leading regions", line, path, True)
    assert "expected at most 100 leading regions" in str(refused.value)
