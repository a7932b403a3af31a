"""One :class:`~s3graph.model.Report` as an RDF graph named by the report's IRI.

The triples follow the vocabulary table of ``docs/architecture.md``. The mapping is pure: it opens
no files, keeps no state between calls, mints no blank nodes, and the same report gives the same
triples (only the ingestion time, which the caller passes in, differs between ingestions).

This module holds the report's identity, period and provenance and puts the parts together; the
memberships are in :mod:`s3graph.mapping.memberships`, the tables and answers in
:mod:`s3graph.mapping.tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.term import IdentifiedNode

import s3graph
from s3graph.errors import ReportError
from s3graph.mapping.dates import MONTH_NAMES
from s3graph.mapping.iris import Iris, slugify
from s3graph.mapping.memberships import add_interested, add_leading, add_participating
from s3graph.mapping.source import file_name
from s3graph.mapping.synthetic import add_synthetic
from s3graph.mapping.tables import add_answers, add_events, add_sdg, add_warnings, add_working_areas
from s3graph.mapping.triples import NamedTriples, Sink, Subjects, Triple, add_all, add_text
from s3graph.model import Report
from s3graph.namespaces import (
    DCAT,
    DCTERMS,
    DEFAULT_BASE,
    FOAF,
    PROV,
    RDF,
    RDFS,
    S3G,
    SCHEMA,
    SKOS,
    SPDX,
    TIME,
    XSD,
    bind_prefixes,
)

if TYPE_CHECKING:
    from s3graph.rdf.graphs import NamedGraph

__all__ = ["NamedTriples", "Triple", "as_graph", "report_iri", "to_graph", "to_triples"]


def report_iri(
    report: Report, base: str = DEFAULT_BASE, partnership_slug: str | None = None
) -> URIRef:
    """The IRI of the report (and of its named graph): ``{base}report/{slug}/{YYYY-Hn}``.

    Raises :class:`~s3graph.errors.ReportError` when the report names no partnership or no
    reporting period, and :class:`ValueError` for a bad base or slug.
    """
    slug = _partnership_slug(report, partnership_slug)
    return Iris(base).report(slug, _period_key(report))


def to_graph(
    report: Report,
    *,
    base: str = DEFAULT_BASE,
    ingested_at: datetime,
    partnership_slug: str | None = None,
) -> Graph:
    """A fresh graph, named by the report IRI, holding every triple of the report.

    ``ingested_at`` must carry a time zone. ``partnership_slug`` overrides the slug derived from
    the partnership's name as written (for example a canonical slug from a registry).
    """
    return as_graph(
        to_triples(report, base=base, ingested_at=ingested_at, partnership_slug=partnership_slug)
    )


def as_graph(named: NamedGraph) -> Graph:
    """An rdflib graph of ``named`` (such as :class:`NamedTriples`), with our prefixes bound."""
    identifier = named.identifier
    if not isinstance(identifier, IdentifiedNode):
        raise TypeError(f"a graph is named by an IRI or a blank node, not {identifier!r}")
    graph = Graph(identifier=identifier, bind_namespaces="core")
    bind_prefixes(graph)
    add = graph.add
    for triple in named:
        add(triple)
    return graph


def to_triples(
    report: Report,
    *,
    base: str = DEFAULT_BASE,
    ingested_at: datetime,
    partnership_slug: str | None = None,
) -> NamedTriples:
    """The triples of :func:`to_graph` as a plain list, without building an rdflib graph.

    Same arguments, same errors and the same set of triples as :func:`to_graph` (each triple once,
    in the order the mapping makes them); :meth:`s3graph.store.Store.replace_graphs` takes the
    result as it takes a graph.
    """
    if ingested_at.tzinfo is None or ingested_at.utcoffset() is None:
        raise ValueError("ingested_at must be a timezone-aware datetime")
    iris = Iris(base)
    slug = _partnership_slug(report, partnership_slug)
    subjects = Subjects(
        report=report,
        iris=iris,
        report_iri=iris.report(slug, _period_key(report)),
        partnership=iris.partnership(slug),
        period=iris.period(_period_key(report)),
    )
    sink = Sink()
    for add in _PARTS:
        add(sink, subjects)
    _add_provenance(sink, subjects, ingested_at)
    return NamedTriples(subjects.report_iri, list(dict.fromkeys(sink)))


# Identity of the report.


#: The longest partnership name accepted (the longest in the registry has under 90 characters).
#: The name's slug is in every IRI of the report: a paragraph there would multiply the graph.
MAX_PARTNERSHIP_NAME = 200


def _partnership_slug(report: Report, override: str | None = None) -> str:
    """The slug for the report's IRIs: ``override`` if given, else one made from the name."""
    name = report.partnership
    if not name or not name.strip() or len(name) > MAX_PARTNERSHIP_NAME:
        line = report.partnership_line or _question_line(report, "partnership")
        found = None if not name else f"{len(name):,} characters starting {name[:40]!r}"
        raise ReportError(
            report.source.name,
            line,
            f"the name of the partnership (at most {MAX_PARTNERSHIP_NAME} characters) "
            'after "Please select the name of your partnership"',
            found,
        )
    return override or slugify(name)


def _period_key(report: Report) -> str:
    if report.reporting_period is None:
        raise ReportError(
            report.source.name,
            _question_line(report, "reporting_period"),
            'a reporting period like "January - June 2020" after "Reporting period"',
        )
    return report.reporting_period.key


def _question_line(report: Report, key: str) -> int:
    answer = report.answer(key)
    return answer.line if answer is not None else 1


# Helpers.


def _is_web_iri(text: str) -> bool:
    parts = urlsplit(text)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() or c in '<>"{}|\\^`' for c in text)
    )


# The report, its partnership and its period.


def _add_partnership(graph: Sink, s: Subjects) -> None:
    name = s.report.partnership or ""
    graph.add((s.partnership, RDF.type, S3G.Partnership))
    graph.add((s.partnership, SKOS.prefLabel, Literal(name)))
    graph.add((s.partnership, RDFS.label, Literal(name)))
    webpage = (s.report.webpage or "").strip().strip("<>")
    if webpage and _is_web_iri(webpage):
        graph.add((s.partnership, FOAF.homepage, URIRef(webpage)))


def _add_period(graph: Sink, s: Subjects) -> None:
    period = s.report.reporting_period
    assert period is not None  # checked when the IRIs were minted
    add_all(
        graph,
        s.period,
        [
            (RDF.type, DCTERMS.PeriodOfTime),
            (RDF.type, TIME.ProperInterval),
            (DCAT.startDate, Literal(period.start, datatype=XSD.date)),
            (DCAT.endDate, Literal(period.end, datatype=XSD.date)),
            (RDFS.label, Literal(_period_label(period.start, period.end))),
        ],
    )


def _period_label(start: date, end: date) -> str:
    """The same label for a period whatever way each report writes it (locale-independent)."""
    return f"{MONTH_NAMES[start.month - 1]} - {MONTH_NAMES[end.month - 1]} {end.year}"


def _add_report(graph: Sink, s: Subjects) -> None:
    report, period = s.report, s.report.reporting_period
    assert period is not None
    title = f"{report.partnership} monitoring progress report, {period.label}"
    summary = report.answer("executive_summary")
    add_all(
        graph,
        s.report_iri,
        [
            (RDF.type, S3G.MonitoringReport),
            (S3G.partnership, s.partnership),
            (DCTERMS.temporal, s.period),
            (S3G.periodLabel, Literal(period.label)),
            (S3G.sourceLine, Literal(period.line)),
            (DCTERMS.title, Literal(title)),
            (PROV.wasDerivedFrom, s.iris.source(s.report_iri)),
            (PROV.wasGeneratedBy, s.iris.ingestion(s.report_iri)),
        ],
    )
    add_text(graph, s.report_iri, S3G.startDateText, report.start_date_text)
    add_text(graph, s.report_iri, S3G.executiveSummary, summary.text if summary else None)


# Provenance: the source file, its checksum, the ingestion and the software.


def _add_provenance(graph: Sink, s: Subjects, ingested_at: datetime) -> None:
    source, checksum = s.iris.source(s.report_iri), s.iris.checksum(s.report_iri)
    ingestion, agent = s.iris.ingestion(s.report_iri), s.iris.agent()
    file = s.report.source
    graph.add((source, RDF.type, PROV.Entity))
    graph.add((source, DCTERMS.title, Literal(file_name(file.name))))
    # Our own properties: dcat:byteSize is for distributions, spdx:checksum for SPDX files and
    # packages, and a report's text file is neither (the ontology points at both).
    graph.add((source, S3G.checksum, checksum))
    graph.add((source, S3G.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    # SPDX and DCAT-AP type the value xsd:hexBinary (a plain string fails their shapes).
    graph.add((checksum, SPDX.checksumValue, Literal(file.sha256.lower(), datatype=XSD.hexBinary)))
    graph.add((ingestion, RDF.type, PROV.Activity))
    graph.add((ingestion, PROV.used, source))
    graph.add((ingestion, PROV.startedAtTime, Literal(ingested_at, datatype=XSD.dateTime)))
    graph.add((ingestion, PROV.endedAtTime, Literal(ingested_at, datatype=XSD.dateTime)))
    graph.add((ingestion, PROV.wasAssociatedWith, agent))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal("s3graph")))
    graph.add((agent, SCHEMA.softwareVersion, Literal(s3graph.__version__)))


_PARTS: tuple[Callable[[Sink, Subjects], None], ...] = (
    _add_partnership,
    _add_period,
    _add_report,
    add_participating,
    add_leading,
    add_interested,
    add_working_areas,
    add_events,
    add_sdg,
    add_answers,
    add_warnings,
    add_synthetic,
)
