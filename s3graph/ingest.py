"""Report files into the store, all or nothing.

Every file is parsed and mapped first; the first :class:`~s3graph.errors.ReportError` stops the
run before anything is written. Then one :meth:`~s3graph.store.Store.replace_graphs` call writes
every report graph in one transaction, replacing what earlier ingestions stored for the same
reports, so ingesting the same files again leaves the store as it was (only the ingestion time
changes).

Two files that give the same report (same partnership and period, hence the same graph IRI): the
later one in the order of :func:`collect_files` wins, and the earlier file gets a warning saying so.
All files of a run share one ingestion time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from s3graph.errors import ReportError
from s3graph.model import ParseWarning, Report

if TYPE_CHECKING:
    from rdflib import Graph

    from s3graph.store import Store

logger = logging.getLogger(__name__)


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
    parse = parse or _default_parse()
    map_report = map_report or _default_map()
    files = collect_files(paths)
    ingested_at = now()
    graphs: dict[str, tuple[Path, Graph]] = {}
    warnings: list[tuple[Path, ParseWarning]] = []
    for path in files:
        report = parse(path)
        graph = map_report(report, base=base, ingested_at=ingested_at)
        warnings.extend((path, warning) for warning in report.warnings)
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


def _keep_latest(
    graphs: dict[str, tuple[Path, Graph]],
    warnings: list[tuple[Path, ParseWarning]],
    path: Path,
    graph: Graph,
) -> None:
    """Record ``graph`` under its IRI; an earlier file with the same IRI is superseded."""
    iri = str(graph.identifier)
    earlier = graphs.pop(iri, None)
    if earlier is not None:
        message = f"not stored: {path} is a later file with the same report <{iri}>"
        warnings.append((earlier[0], ParseWarning(line=0, message=message)))
        logger.warning("%s: %s", earlier[0], message)
    graphs[iri] = (path, graph)


def _default_parse() -> ParseReport:
    from s3graph.parse import parse_file

    return parse_file


def _default_map() -> MapReport:
    from s3graph.mapping import to_graph

    return to_graph
