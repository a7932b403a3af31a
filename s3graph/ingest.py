"""Report files into the store, all or nothing.

Every file is parsed and mapped first; the first :class:`~s3graph.errors.ReportError` (in the
order of :func:`collect_files`) stops the run before anything is written. Then one
:meth:`~s3graph.store.Store.replace_graphs` call writes every report graph in one transaction,
replacing what earlier ingestions stored for the same reports, so ingesting the same files again
leaves the store as it was (only the ingestion time changes).

Two files that give the same report (same partnership and period, hence the same graph IRI): the
later one in the order of :func:`collect_files` wins, and the earlier file gets a warning saying so.
All files of a run share one ingestion time.

Speed. With the real parser and mapping (the defaults, or ``parse_file`` and ``to_graph`` passed
explicitly as the CLI does), a report is mapped with :func:`s3graph.mapping.to_triples` (no rdflib
graph, whose in-memory indexing was most of the mapping time) and serialised to N-Triples lines
right away. From :data:`PARALLEL_FROM` files on, parsing, mapping and serialising run in a pool of
worker processes (one per core, at most :data:`MAX_WORKERS`) that send back only the graph name,
its lines and the warnings; smaller runs, and runs with other ``parse``/``map_report`` functions,
stay in this process. The write itself is always one transaction in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
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
    from rdflib import Graph

    from s3graph.store import SerialisedGraph, Store

logger = logging.getLogger(__name__)

#: Runs of at least this many files parse and map in worker processes (when there are 2+ cores).
PARALLEL_FROM = 32
#: At most this many worker processes.
MAX_WORKERS = 8


class ParseReport(Protocol):
    """Reads one report file (``s3graph.parse.parse_file``)."""

    def __call__(self, path: Path, /) -> Report: ...


class MapReport(Protocol):
    """Maps a report to its named graph (``s3graph.mapping.to_graph``)."""

    def __call__(self, report: Report, *, base: str, ingested_at: datetime) -> Graph: ...


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
    :func:`s3graph.mapping.to_graph`. ``progress`` is called with each file once it is parsed and
    mapped; ``now`` gives the ingestion time recorded in every graph of the run.
    """
    files = collect_files(paths)
    ingested_at = now()
    graphs: dict[str, tuple[Path, SerialisedGraph]] = {}
    warnings: list[tuple[Path, ParseWarning]] = []
    for path, graph, file_warnings in _read_all(files, base, ingested_at, parse, map_report):
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


Read = tuple[Path, "SerialisedGraph", tuple[ParseWarning, ...]]


def _read_all(
    files: list[Path],
    base: str,
    ingested_at: datetime,
    parse: ParseReport | None,
    map_report: MapReport | None,
) -> Iterator[Read]:
    """Each file parsed, mapped and serialised, in order; raises the first ReportError."""
    from s3graph.mapping import to_graph
    from s3graph.parse import parse_file
    from s3graph.store import serialise

    real = parse in (None, parse_file) and map_report in (None, to_graph)
    if not real:
        parse, map_report = parse or parse_file, map_report or to_graph
        for path in files:
            report = parse(path)
            graph = serialise(map_report(report, base=base, ingested_at=ingested_at))
            yield path, graph, report.warnings
        return
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2 or len(files) < PARALLEL_FROM:
        for path in files:
            yield _unwrap(_read_one(path, base, ingested_at))
        return
    chunk = max(1, min(16, len(files) // (4 * workers)))
    with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
        results = pool.map(
            _read_one, files, *_repeat(len(files), base, ingested_at), chunksize=chunk
        )
        try:
            for result in results:
                yield _unwrap(result)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _repeat(n: int, *values: object) -> list[list[object]]:
    return [[value] * n for value in values]


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` where there is one (workers start in milliseconds with s3graph already imported).

    The children only parse and map; they never touch the store the parent has open.
    """
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


_Failure = tuple[str, int, str, "str | None"]


def _read_one(
    path: Path, base: str, ingested_at: datetime
) -> tuple[Path, SerialisedGraph | _Failure, tuple[ParseWarning, ...]]:
    """Parse, map and serialise one file with the real functions (in a worker or here).

    A :class:`ReportError` comes back as its fields (it does not survive pickling as it is).
    """
    from s3graph.mapping import to_triples
    from s3graph.parse import parse_file
    from s3graph.store import serialise

    try:
        report = parse_file(path)
        graph = serialise(to_triples(report, base=base, ingested_at=ingested_at))
    except ReportError as exc:
        return path, (exc.path, exc.line, exc.expected, exc.found), ()
    return path, graph, report.warnings


def _unwrap(result: tuple[Path, SerialisedGraph | _Failure, tuple[ParseWarning, ...]]) -> Read:
    path, graph, warnings = result
    if isinstance(graph, tuple):
        raise ReportError(*graph)
    return path, graph, warnings


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
