"""Mutants through ``parse``, ``validate`` and ``ingest`` in-process, as the commands run them.

A chunk of mutants is written to files and each file goes through three stages, each the core
call its command makes:

- parse (``s3graph parse``): :meth:`Pipeline.read` with the command's linker, then the JSON;
- validate (``s3graph validate``): :meth:`Pipeline.run` with ``s3graph.validate.validate_graph``;
- ingest: :func:`s3graph.ingest.ingest` into a store (``s3graph ingest``): every file that came
  through validation in batches (several files a run, as users ingest folders), every file that
  did not alone (a run stops at its first bad file, so each needs a run of its own).

Parsing and linking are done once per file: the later stages get the parse stage's report and
links (or its error) through recorded steps handed to the same pipeline, and ingest gets the
validation stage's outcome. Each stage's own code still runs on every file; only the repeated
work is saved (validation is ~50 ms a report, the bulk of the time).

A stage's result is an exit code as the command line would give it: 0, 1 (validate only: a
Violation), the ``exit_code`` of an :class:`~s3graph.errors.S3GraphError`, 70 for anything else.
What breaks the rules is returned as a :class:`Failure` naming the mutant, never raised, so one
run reports every failure.
"""

from __future__ import annotations

import json
import re
import resource
import signal
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from fuzz_mutants import Mutant, mutant

if TYPE_CHECKING:
    from rdflib import Graph

    from s3graph.linking.links import Linker, ReportLinks
    from s3graph.model import Report
    from s3graph.store import Store
    from s3graph.validate.shacl import Outcome

BASE = "https://fuzz.example.org/"
#: The issue's bound on one run of a command over one file.
RUN_SECONDS = 10.0
#: A mutant still running after this long is stopped and reported (a hang, not a slow run).
HANG_SECONDS = 60
EXIT_BUG = 70
STAGES = ("parse", "validate", "ingest")


@dataclass(frozen=True, slots=True)
class Failure:
    label: str
    stage: str
    problem: str


@dataclass(slots=True)
class ChunkResult:
    """What a chunk found: exit codes per stage and mutant, failures, times and memory."""

    codes: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    #: The one-line message of each exit 2, by mutant and stage (without the file's path).
    messages: dict[tuple[int, str], str] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    max_rss_kb: int = 0
    batches: int = 0


def error_message(path: str, err: BaseException) -> str | None:
    """``LINE: ...`` of an error that is one ``PATH:LINE: ...`` line (the path said again, as in a
    hint, as ``FILE``), else None."""
    text = str(err)
    match = re.match(re.escape(path) + r":([1-9][0-9]*): (.+)", text)
    if "\n" in text or match is None:
        return None
    return f"{match.group(1)}: {match.group(2)}".replace(path, "FILE")


def line_count(data: bytes) -> int:
    """The lines of ``data`` as an editor numbers them: LF, CRLF and a lone CR each end one
    (the parser counts so; ``grep -n``, counting LFs only, never sees more)."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1


class _Stage:
    """Runs one call as its command would exit, recording what breaks the rules."""

    def __init__(self, result: ChunkResult, item: Mutant, path: Path, data: bytes) -> None:
        self.result, self.item, self.path, self.data = result, item, path, data

    def run(self, stage: str, call: Callable[[], int]) -> tuple[int, BaseException | None]:
        try:
            return call(), None
        except Exception as err:  # every exception is judged below
            return self.judge(stage, err), err

    def judge(self, stage: str, err: BaseException) -> int:
        from s3graph.errors import S3GraphError

        if not isinstance(err, S3GraphError):
            trace = "".join(traceback.format_exception(err))
            self.fail(stage, f"traceback (exit {EXIT_BUG}):\n{trace}")
            return EXIT_BUG
        code = err.exit_code
        if code not in (0, 1, 2):
            self.fail(stage, f"exit {code}: {err}")
        elif code == 2:
            message = error_message(str(self.path), err)
            lines = line_count(self.data)
            if message is None:
                self.fail(stage, f"exit 2 without one FILE:LINE: line: {err!r}")
            elif not 1 <= int(message.split(":", 1)[0]) <= lines:
                self.fail(stage, f"exit 2 naming a line the file ({lines} lines) lacks: {err}")
            else:
                self.result.messages[(self.item.index, stage)] = message
        return code

    def fail(self, stage: str, problem: str) -> None:
        self.result.failures.append(Failure(self.item.label, stage, problem))


class _Recorded:
    """The parse stage's reports, links and errors, replayed to the later stages by path; the
    reference data of ``linker`` beside them (ingest compares a partnership's reports with it)."""

    def __init__(self, linker: Linker) -> None:
        self.registry, self.index, self.names = linker.registry, linker.index, linker.names
        self._linker = linker  # for a report read back from the store (not recorded here)
        self.reports: dict[str, Report | BaseException] = {}
        self.links: dict[str, ReportLinks] = {}
        self.outcomes: dict[str, Outcome] = {}

    def parse(self, path: Path, /) -> Report:
        found = self.reports[str(path)]
        if isinstance(found, BaseException):
            raise found
        return found

    def link(self, report: Report) -> ReportLinks:
        found = self.links.get(report.source.name)
        return found if found is not None else self._linker.link(report)

    def validate(self, data: Graph, /, *, file: str) -> Outcome:
        return self.outcomes[file]


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in this (worker) process when the block runs longer than ``seconds``."""

    def expire(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_chunk(
    corpus: Sequence[bytes], seed: int, indexes: Sequence[int], folder: Path, linker: Linker
) -> ChunkResult:
    """Mutants ``indexes`` of ``seed`` through the three stages, files and store in ``folder``."""
    from s3graph.contract import to_contract
    from s3graph.pipeline import Pipeline
    from s3graph.validate import validate_graph

    result = ChunkResult()
    recorded = _Recorded(linker)
    now = datetime.now(UTC)
    reading = Pipeline(BASE, now, linker=linker)
    checking = Pipeline(BASE, now, recorded.parse, cast("Linker", recorded), None, validate_graph)
    stages: dict[int, _Stage] = {}
    spent: dict[int, float] = {}
    for index in indexes:
        item = mutant(corpus, seed, index)
        path = folder / f"mutant-{index}.txt"
        path.write_bytes(item.data)
        stage = stages[index] = _Stage(result, item, path, item.data)
        started = time.perf_counter()
        try:
            with deadline(HANG_SECONDS):
                parse_code = _parse_stage(stage, reading, recorded, to_contract)
                validate_code = _validate_stage(stage, checking, recorded)
        except TimeoutError as err:
            stage.fail("parse/validate", str(err))
            continue
        spent[index] = time.perf_counter() - started
        result.codes[index] = (parse_code, validate_code, -1)
    _ingest_all(result, [stages[i] for i in result.codes], recorded, folder / "store")
    for index, seconds in spent.items():
        if seconds > result.slowest[0]:
            result.slowest = (seconds, stages[index].item.label)
        if seconds > RUN_SECONDS:
            stages[index].fail("parse+validate", f"took {seconds:.1f} s (over {RUN_SECONDS} s)")
    result.max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def _parse_stage(
    stage: _Stage, reading: Any, recorded: _Recorded, to_contract: Callable[..., Any]
) -> int:
    key = str(stage.path)

    def call() -> int:
        report, links = reading.read(stage.path)
        recorded.reports[key], recorded.links[key] = report, links
        json.dumps(to_contract(report, links), ensure_ascii=False)
        return 0

    code, err = stage.run("parse", call)
    if err is not None:
        recorded.reports[key] = err
    return code


def _validate_stage(stage: _Stage, checking: Any, recorded: _Recorded) -> int:
    def call() -> int:
        outcome = checking.run(stage.path).outcome
        recorded.outcomes[str(stage.path)] = outcome
        return 0 if outcome.conforms else 1

    code, _ = stage.run("validate", call)
    return code


def _ingest_all(result: ChunkResult, read: list[_Stage], recorded: _Recorded, at: Path) -> None:
    """Every file through ``ingest``: those that validated in runs of several files, the others
    alone; the runs that fail (all of the latter) must leave the store as it was."""
    from s3graph.ingest import PARALLEL_FROM
    from s3graph.store import Store

    good = [s for s in read if result.codes[s.item.index][1] in (0, 1)]
    bad = [s for s in read if result.codes[s.item.index][1] not in (0, 1)]
    batch = PARALLEL_FROM - 1  # smaller runs are read in this process (no fork of a worker)
    with Store.open(at) as store:
        for start in range(0, len(good), batch):
            _ingest_run(result, good[start : start + batch], recorded, store)
        before = store.count()
        for stage in bad:
            _ingest_run(result, [stage], recorded, store)
        if bad and store.count() != before:
            bad[0].fail("ingest", f"failed runs changed the store ({before} -> {store.count()})")


def _ingest_run(
    result: ChunkResult, batch: list[_Stage], recorded: _Recorded, store: Store
) -> None:
    """One ``ingest`` run of the files of ``batch``, its exit code recorded for each."""
    from s3graph.ingest import ingest

    result.batches += 1
    first = batch[0]
    started = time.perf_counter()

    def call() -> int:
        summary = ingest(
            store,
            [s.path for s in batch],
            base=BASE,
            parse=recorded.parse,
            linker=cast("Linker", recorded),
            validate=recorded.validate,
        )
        missing = set(summary.graphs) - set(store.graphs())
        if missing:
            first.fail("ingest", f"graphs not in the store after the run: {sorted(missing)}")
        return 0

    code, err = first.run("ingest", call) if len(batch) == 1 else _unjudged(call)
    seconds = time.perf_counter() - started
    if seconds > RUN_SECONDS:
        first.fail("ingest", f"a run of {len(batch)} files took {seconds:.1f} s")
    if len(batch) > 1 and err is not None:
        first.fail("ingest", f"a run of files that all validated failed: {err!r}")
    for stage in batch:
        parse_code, validate_code, _ = result.codes[stage.item.index]
        result.codes[stage.item.index] = (parse_code, validate_code, code)


def _unjudged(call: Callable[[], int]) -> tuple[int, BaseException | None]:
    try:
        return call(), None
    except Exception as err:  # reported by the caller with the whole run
        return EXIT_BUG, err
