"""Report files into the store, all or nothing.

Every file is parsed and mapped first; the first :class:`~s3graph.errors.ReportError` (in the
order of :func:`collect_files`) stops the run before anything is written. Then one
:meth:`~s3graph.store.Store.replace_graphs` call writes every report graph in one transaction,
replacing what earlier ingestions stored for the same reports, so ingesting the same files again
leaves the store as it was (only the ingestion time changes).

Two files that give the same report (same partnership and period, hence the same graph IRI): the
later one in the order of :func:`collect_files` wins, and the earlier file gets a warning saying so.
All files of a run share one ingestion time.

Speed: by default a report is mapped with :func:`s3graph.mapping.to_triples` (a list of
triples, without the in-memory indexes of an rdflib graph) and serialised to N-Triples lines
right away, so the run holds only text until the one write. Large runs read their files in
forked worker processes, one per core (measured here: 2 workers halve the reading time).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s3graph.errors import MissingFileError, S3GraphError
from s3graph.model import ParseWarning
from s3graph.parse.split import ReportText
from s3graph.pipeline import MapReport, ParseReport, Pipeline, ValidateReport
from s3graph.process import die_with_parent
from s3graph.validate.problems import Problem

if TYPE_CHECKING:
    from s3graph.linking.links import Linker
    from s3graph.rdf.graphs import NamedGraph
    from s3graph.recompute import Held
    from s3graph.reference import ReferenceStamp
    from s3graph.store import GraphStore, SerialisedGraph

logger = logging.getLogger(__name__)

#: Runs of at least this many files are read by worker processes, one per core.
PARALLEL_FROM = 32


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What a run read and wrote.

    ``files`` counts the files read, ``triples`` the triples written, ``warnings`` pairs each
    parse warning (and each superseded file, at line 0) with its file, ``graphs`` lists the IRIs
    of the named graphs written, sorted.
    """

    files: int
    triples: int
    warnings: list[tuple[Path, ParseWarning]]
    graphs: list[str]
    #: What validation found (empty when the run did not validate), in file and line order.
    problems: list[Problem] = field(default_factory=list)


class ValidationFailed(S3GraphError):
    """``--strict``: some report breaks a rule of the form; nothing was written."""

    exit_code = 1

    def __init__(self, violations: Sequence[Problem]) -> None:
        self.violations = list(violations)
        first = self.violations[0]
        where = f"{first.file}:{first.line}" if first.line is not None else first.file
        super().__init__(
            f"{where}: {first.rule}: {first.message} (and {len(self.violations) - 1} more "
            "violations); nothing was stored: fix the reports or ingest without --strict"
        )


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read: files as given, directories replaced by their ``*.txt`` files.

    Directories are searched recursively and their files sorted; a file reached twice is kept
    once, where it first appears. Raises :class:`~s3graph.errors.ReportError` for a path that
    does not exist.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        for file in _expand(Path(path)):
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.txt") if p.is_file())
    if path.is_file():
        return [path]
    raise MissingFileError(str(path))


def ingest(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    base: str,
    parse: ParseReport | None = None,
    linker: Linker | None = None,
    map_report: MapReport | None = None,
    validate: ValidateReport | None = None,
    stamp: ReferenceStamp | None = None,
    keep_sources: bool = True,
    split: int | None = None,
    also: Sequence[NamedGraph] = (),
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> IngestSummary:
    """Parse, link, map (and validate) the reports of ``paths`` and store them in one write.

    Each file goes through the :class:`~s3graph.pipeline.Pipeline` of ``parse``, ``linker``,
    ``map_report`` and ``validate`` (see there for the defaults). With ``validate``, each
    report's validation results are stored as a graph of their own beside it (recording
    ``stamp``, the reference data the linker holds), and with ``keep_sources`` each file's bytes
    are stored too (:mod:`s3graph.mapping.source`), so that the report can be judged again when
    the reference data changes (:mod:`s3graph.judging`). With ``split`` (the size limit of a
    file), a file holding several reports is read as several (:mod:`s3graph.parse.split`), each
    stored with its own bytes. ``also`` (the base vocabularies, say) is written in the same write.
    With ``strict``, a report with a Violation raises
    :class:`ValidationFailed` and nothing is written.
    ``progress`` is called with each file once it is read; ``now`` gives the ingestion time
    recorded in every graph of the run.
    """
    files = collect_files(paths)
    items = files if split is None else [i for f in files for i in _reports_of(f, split)]
    job = ReadJob(Pipeline(base, now(), parse, linker, map_report, validate, stamp), keep_sources)
    kept: dict[str, _Read] = {}
    warnings: list[tuple[Path, ParseWarning]] = []
    for read in read_all(items, job):
        warnings.extend((read.path, warning) for warning in read.warnings)
        _keep_latest(kept, warnings, read)
        if progress is not None:
            progress(read.path)
    problems = sorted((p for read in kept.values() for p in read.problems), key=lambda p: p.rank)
    violations = [p for p in problems if p.severity == "Violation"]
    if strict and violations:
        raise ValidationFailed(violations)
    from s3graph.recompute import changes_graphs

    written = [graph for read in kept.values() for graph in read.graphs]
    changed = changes_graphs(
        store, base=base, written={iri: read.held for iri, read in kept.items()}, linker=linker
    )
    store.replace_graphs([*written, *changed, *also])
    logger.info("ingested %d files into %d graphs", len(files), len(written))
    return IngestSummary(
        files=len(files),
        triples=sum(len(graph) for graph in written),
        warnings=warnings,
        graphs=sorted(kept),
        problems=problems,
    )


def _reports_of(path: Path, max_bytes: int) -> list[Path | ReportText]:
    """The file ``path`` when it holds one report, else each report cut out of it."""
    from s3graph.parse.split import read_reports

    parts = read_reports(path, max_bytes=max_bytes)
    return [path] if len(parts) == 1 else list(parts)


@dataclass(frozen=True, slots=True)
class StoredSource:
    """A report file as the store keeps it: its name, its bytes and when it was ingested, and
    the number of its first line in the file it was cut out of (``--split``)."""

    name: str
    data: bytes
    ingested_at: datetime
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class _Read:
    """One file read: its report's graph first, then its validation results (if validated),
    then its source bytes (a file read from disk; a stored source is already stored)."""

    path: Path
    graphs: tuple[SerialisedGraph, ...]
    warnings: tuple[ParseWarning, ...]
    problems: tuple[Problem, ...]
    #: What the report was read from, as its provenance names it (``FILE:FIRST-LAST`` for a
    #: report cut out of a file of several).
    source: str
    #: The report as parsed, with its links: what its partnership's changes are computed from.
    held: Held


@dataclass(frozen=True, slots=True)
class ReadJob:
    """How to read a file: the pipeline shared by every file of a run, its graphs serialised."""

    pipeline: Pipeline
    #: Whether a file's bytes are stored beside its graphs (a stored source is stored already).
    keep_sources: bool = True

    def read(self, item: Path | ReportText | StoredSource) -> _Read:
        from dataclasses import replace

        from s3graph.mapping.source import source_text_graph
        from s3graph.store import serialise

        source: tuple[SerialisedGraph, ...] = ()
        if isinstance(item, StoredSource):
            pipeline = replace(self.pipeline, ingested_at=item.ingested_at)
            read = pipeline.run_data(item.name, item.data, first_line=item.first_line)
        elif isinstance(item, ReportText):
            from s3graph.parse.split import PartReader

            data = item.text.encode("utf-8")  # what the part's checksum was made of
            read = replace(self.pipeline, parse=PartReader(item, max_bytes=len(data) + 1)).run(
                Path(item.name)
            )
            if self.keep_sources:
                iri, name = str(read.graph.identifier), item.source.name
                graph = source_text_graph(iri, name, data, first_line=item.first_line)
                source = (serialise(graph),)
        else:
            read = self.pipeline.run(item)
            if self.keep_sources:
                data = _bytes_read(item, read.report.source.sha256)
                iri = str(read.graph.identifier)
                source = (serialise(source_text_graph(iri, str(item), data)),)
        warnings, held = read.report.warnings, (read.report, read.links)
        if read.outcome is None:
            graphs: tuple[SerialisedGraph, ...] = (serialise(read.graph), *source)
            return _Read(read.path, graphs, warnings, (), read.report.source.name, held)
        graphs = (serialise(read.graph), serialise(read.outcome.graph), *source)
        problems = read.outcome.problems
        return _Read(read.path, graphs, warnings, problems, read.report.source.name, held)


def _bytes_read(path: Path, sha256: str) -> bytes:
    """The bytes of ``path`` the parser read (checked by their SHA-256), to store beside it."""
    import hashlib

    from s3graph.errors import ReportError

    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReportError(str(path), 0, "a readable file", err.strerror or str(err)) from None
    if hashlib.sha256(data).hexdigest() != sha256.lower():
        raise ReportError(str(path), 0, "a file that does not change while s3graph reads it")
    return data


#: The job of this worker process (set by :func:`_start_worker` in a forked worker only).
_worker_job: ReadJob | None = None


def _start_worker(job: ReadJob, parent: int) -> None:
    """Set up a forked worker: it ends with the run's process (``parent``), whatever kills it."""
    global _worker_job
    die_with_parent(parent)
    _worker_job = job


def _read_in_worker(item: Path | ReportText | StoredSource) -> _Read:
    assert _worker_job is not None, "not a worker process"
    return _worker_job.read(item)


def read_all(files: Sequence[Path | ReportText | StoredSource], job: ReadJob) -> Iterator[_Read]:
    """Each file parsed, mapped and serialised, in order; raises the first ReportError.

    Runs of :data:`PARALLEL_FROM` files or more are read by one forked worker per core (the
    job, functions included, is inherited by the fork, so it need not be picklable); the
    results and the first error come back in file order. The workers die with this process.
    """
    cores = os.cpu_count() or 1
    if len(files) < PARALLEL_FROM or cores < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(job.read, files)
        return
    context = mp.get_context("fork")
    setup = (job, os.getpid())
    with ProcessPoolExecutor(cores, context, initializer=_start_worker, initargs=setup) as pool:
        try:
            yield from pool.map(_read_in_worker, files, chunksize=8)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _keep_latest(
    kept: dict[str, _Read], warnings: list[tuple[Path, ParseWarning]], read: _Read
) -> None:
    """Record ``read`` under its report's IRI; an earlier file with the same IRI is superseded."""
    iri = read.graphs[0].iri
    earlier = kept.pop(iri, None)
    if earlier is not None:
        # said once, in the summary (a logger warning would print it a second time)
        message = f"not stored: {read.source} gives the same report <{iri}> later in the run"
        if earlier.source != str(earlier.path):
            message = f"{earlier.source}: {message}"
        warnings.append((earlier.path, ParseWarning(line=0, message=message)))
    kept[iri] = read
