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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from s3graph.errors import ReportError
from s3graph.model import ParseWarning, Report

if TYPE_CHECKING:
    from s3graph.store import NamedGraph, SerialisedGraph, Store

logger = logging.getLogger(__name__)

#: Runs of at least this many files are read by worker processes, one per core.
PARALLEL_FROM = 32


class ParseReport(Protocol):
    """Reads one report file (``s3graph.parse.parse_file``)."""

    def __call__(self, path: Path, /) -> Report: ...


class MapReport(Protocol):
    """Maps a report to its named graph (``s3graph.mapping.to_triples`` or ``to_graph``)."""

    def __call__(self, report: Report, *, base: str, ingested_at: datetime) -> NamedGraph: ...


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
    raise ReportError(str(path), 0, "an existing file or directory")


def ingest(
    store: Store,
    paths: Sequence[Path],
    *,
    base: str,
    parse: ParseReport | None = None,
    map_report: MapReport | None = None,
    progress: Callable[[Path], None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> IngestSummary:
    """Parse, map and store the reports of ``paths`` (see :func:`collect_files`) in one write.

    ``parse`` and ``map_report`` default to :func:`s3graph.parse.parse_file` and
    :func:`s3graph.mapping.to_triples`. ``progress`` is called with each file once it is parsed and
    mapped; ``now`` gives the ingestion time recorded in every graph of the run.
    """
    from s3graph.mapping import to_triples
    from s3graph.parse import parse_file

    files = collect_files(paths)
    job = _Job(parse or parse_file, map_report or to_triples, base, now())
    graphs: dict[str, tuple[Path, SerialisedGraph]] = {}
    warnings: list[tuple[Path, ParseWarning]] = []
    for path, graph, file_warnings in _read_all(files, job):
        warnings.extend((path, warning) for warning in file_warnings)
        _keep_latest(graphs, warnings, path, graph)
        if progress is not None:
            progress(path)
    written = [graph for _, graph in graphs.values()]
    store.replace_graphs(written)
    logger.info("ingested %d files into %d graphs", len(files), len(written))
    return IngestSummary(
        files=len(files),
        triples=sum(len(graph) for graph in written),
        warnings=warnings,
        graphs=sorted(graphs),
    )


@dataclass(frozen=True, slots=True)
class _Job:
    """How to read a file: the functions and settings shared by every file of a run."""

    parse: ParseReport
    map_report: MapReport
    base: str
    ingested_at: datetime

    def read(self, path: Path) -> Read:
        from s3graph.store import serialise

        report = self.parse(path)
        graph = self.map_report(report, base=self.base, ingested_at=self.ingested_at)
        return path, serialise(graph), report.warnings


Read = tuple[Path, "SerialisedGraph", tuple[ParseWarning, ...]]

#: The job of this worker process (set by :func:`_start_worker` in a forked worker only).
_worker_job: _Job | None = None


def _start_worker(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _read_in_worker(path: Path) -> Read:
    assert _worker_job is not None, "not a worker process"
    return _worker_job.read(path)


def _read_all(files: list[Path], job: _Job) -> Iterator[Read]:
    """Each file parsed, mapped and serialised, in order; raises the first ReportError.

    Runs of :data:`PARALLEL_FROM` files or more are read by one forked worker per core (the
    job, functions included, is inherited by the fork, so it need not be picklable); the
    results and the first error come back in file order.
    """
    cores = os.cpu_count() or 1
    if len(files) < PARALLEL_FROM or cores < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(job.read, files)
        return
    context = mp.get_context("fork")
    with ProcessPoolExecutor(cores, context, initializer=_start_worker, initargs=(job,)) as pool:
        try:
            yield from pool.map(_read_in_worker, files, chunksize=8)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _keep_latest(
    graphs: dict[str, tuple[Path, SerialisedGraph]],
    warnings: list[tuple[Path, ParseWarning]],
    path: Path,
    graph: SerialisedGraph,
) -> None:
    """Record ``graph`` under its IRI; an earlier file with the same IRI is superseded."""
    iri = graph.iri
    earlier = graphs.pop(iri, None)
    if earlier is not None:
        message = f"not stored: {path} is a later file with the same report <{iri}>"
        warnings.append((earlier[0], ParseWarning(line=0, message=message)))
        logger.warning("%s: %s", earlier[0], message)
    graphs[iri] = (path, graph)
