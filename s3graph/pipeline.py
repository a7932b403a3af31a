"""The per-report pipeline: parse a report file, link it, map it to its graph, validate it.

``s3graph parse``, ``s3graph validate`` and ``s3graph ingest`` all read a report this one way
(:meth:`Pipeline.run`), so a report is judged the same whichever command reads it. Each step
after parsing is optional: without a linker the report is mapped unlinked, without a validator it
is not validated. The steps are plain functions held by a frozen :class:`Pipeline`, so a forked
worker process inherits them (see :mod:`s3graph.ingest`) and tests can replace any of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rdflib import URIRef

if TYPE_CHECKING:
    from rdflib import Graph

    from s3graph.linking.links import Linker, ReportLinks
    from s3graph.model import Report
    from s3graph.rdf.graphs import NamedGraph
    from s3graph.reference import ReferenceStamp
    from s3graph.validate.shacl import Outcome

__all__ = ["MapReport", "ParseReport", "Pipeline", "ReadReport", "ValidateReport", "as_rdflib"]


class ParseReport(Protocol):
    """Reads one report file (``s3graph.parse.parse_file``)."""

    def __call__(self, path: Path, /) -> Report: ...


class MapReport(Protocol):
    """Maps a report to its named graph (``s3graph.mapping.to_triples`` or ``to_graph``)."""

    def __call__(self, report: Report, *, base: str, ingested_at: datetime) -> NamedGraph: ...


class ValidateReport(Protocol):
    """Validates one report's graph (``s3graph.validate.validate_graph``)."""

    def __call__(self, data: Graph, /, *, file: str) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class ReadReport:
    """One report file through the pipeline.

    ``links`` is ``None`` when the run has no linker, ``outcome`` when it does not validate.
    ``graph`` is the report's named graph as mapped: a list of triples, or (once validated) the
    rdflib graph the validation ran on.
    """

    path: Path
    report: Report
    links: ReportLinks | None
    graph: NamedGraph
    outcome: Outcome | None

@dataclass(frozen=True, slots=True)
class Pipeline:
    """The steps every report of a run goes through, and the settings they share.

    ``parse`` defaults to :func:`s3graph.parse.parse_file`. With ``linker``, each report is
    linked (registry, regions, collaborations) and mapped with its links; ``map_report``
    replaces the mapping altogether (default :func:`s3graph.mapping.to_triples`, or the linked
    mapping with a linker). With ``validate``, each report's graph is checked against the shapes,
    and ``stamp`` (the reference data the linker holds) is recorded in its validation graph.
    """

    base: str
    ingested_at: datetime
    parse: ParseReport | None = None
    linker: Linker | None = None
    map_report: MapReport | None = None
    validate: ValidateReport | None = None
    stamp: ReferenceStamp | None = None

    def run(self, path: Path) -> ReadReport:
        """Parse, link, map and validate the report file ``path``.

        Raises :class:`~s3graph.errors.ReportError` when the file is not a report the parser or
        the mapping accepts.
        """
        return self._after_parsing(path, self.read(path))

    def run_data(self, name: str, data: bytes, *, first_line: int = 1) -> ReadReport:
        """:meth:`run` on the bytes of a file named ``name``, as the store keeps them.

        ``first_line`` is the number of the first line in the file the bytes were cut out of
        (``--split``). The bytes were accepted once, so no size limit applies; the parse step is
        always the parser's own (a report is read again exactly as it was first read).
        """
        from s3graph.parse import parse_bytes

        report = parse_bytes(name, data, max_bytes=max(len(data), 1), first_line=first_line)
        links = self.linker.link(report) if self.linker is not None else None
        return self._after_parsing(Path(name), (report, links))

    def _after_parsing(self, path: Path, read: tuple[Report, ReportLinks | None]) -> ReadReport:
        report, links = read
        graph = self.map(report, links)
        if self.validate is None:
            return ReadReport(path, report, links, graph, None)
        data = as_rdflib(graph)
        outcome = self.validate(data, file=str(path))
        if self.stamp is not None:
            name = outcome.graph.identifier
            assert isinstance(name, URIRef), "a validation graph is named by an IRI"
            for triple in self.stamp.triples(name):
                outcome.graph.add(triple)
        return ReadReport(path, report, links, data, outcome)

    def read(self, path: Path) -> tuple[Report, ReportLinks | None]:
        """The first two steps alone: the report of the file ``path`` and its links (if linked).

        What ``s3graph parse`` prints as JSON, which needs no graph.
        """
        if self.parse is not None:
            report = self.parse(path)
        else:
            from s3graph.parse import parse_file

            report = parse_file(path)
        return report, self.linker.link(report) if self.linker is not None else None

    def map(self, report: Report, links: ReportLinks | None) -> NamedGraph:
        """The third step: the report's named graph, with its links when given."""
        when = self.ingested_at
        if self.map_report is not None:
            return self.map_report(report, base=self.base, ingested_at=when)
        if links is not None:
            from s3graph.mapping.links import to_linked_triples

            return to_linked_triples(report, links, base=self.base, ingested_at=when)
        from s3graph.mapping import to_triples

        return to_triples(report, base=self.base, ingested_at=when)


def as_rdflib(graph: NamedGraph) -> Graph:
    """``graph`` itself when it is an rdflib graph, else an rdflib graph of its triples (with
    our prefixes bound, for Turtle output: :func:`s3graph.mapping.report.as_graph`)."""
    from rdflib import Graph

    from s3graph.mapping.report import as_graph

    return graph if isinstance(graph, Graph) else as_graph(graph)
