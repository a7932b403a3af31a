"""One :class:`~s3graph.model.Report` as an RDF graph named by the report's IRI.

The triples follow the vocabulary table of ``docs/architecture.md``. The mapping is pure: it opens
no files, keeps no state between calls, mints no blank nodes, and the same report gives the same
triples (only the ingestion time, which the caller passes in, differs between ingestions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

import s3graph
from s3graph.errors import ReportError
from s3graph.mapping.dates import MONTH_NAMES, read_event_date
from s3graph.mapping.iris import Iris, question_term, rating_term, role_term, slugify
from s3graph.model import SDG_RATINGS, Event, RegionMention, Report
from s3graph.namespaces import (
    DCAT,
    DCTERMS,
    DEFAULT_BASE,
    FOAF,
    NUTS_CODE,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    S3G,
    SCHEMA,
    SDG,
    SKOS,
    SPDX,
    TIME,
    XSD,
)
from s3graph.parse.form import MANDATORY_LABELS

#: What a normalised NUTS code looks like (the parser's ``RegionMention.code``).
_NUTS_CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")
_EVENT_CLASSES = {"past": S3G.PastEvent, "planned": S3G.PlannedEvent}
#: Commas, semicolons and line breaks that separate interested entities.
_ENTITY_SEPARATORS = frozenset(",;\n")
#: Bullets and white space before an entity, white space and full stops after it.
_ENTITY_TRIM = re.compile(r"^[\s\-\u2013\u2022*]+|[\s.]+$")


Triple = tuple[URIRef, URIRef, Node]


class _Sink(list[Triple]):
    """Where the mapping functions put triples: a list with rdflib's ``Graph.add`` spelling.

    Adding to an rdflib :class:`~rdflib.Graph` indexes every triple three ways in memory, which was
    60 % of the mapping time; the store never needs those indexes.
    """

    add = list.append


@dataclass(frozen=True, slots=True)
class NamedTriples:
    """The triples of one named graph, without rdflib's in-memory indexes.

    Iterating gives the triples, ``len`` their number; :attr:`identifier` names the graph like
    :attr:`rdflib.Graph.identifier`, so the store takes either.
    """

    identifier: URIRef
    triples: list[Triple]

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


@dataclass(frozen=True, slots=True)
class _Subjects:
    """The report being mapped and the IRIs that most triples point to."""

    report: Report
    iris: Iris
    report_iri: URIRef
    partnership: URIRef
    period: URIRef


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


def as_graph(named: NamedTriples) -> Graph:
    """An rdflib graph of ``named``, with the project's prefixes bound."""
    graph = Graph(identifier=named.identifier, bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    add = graph.add
    for triple in named.triples:
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
    subjects = _Subjects(
        report=report,
        iris=iris,
        report_iri=iris.report(slug, _period_key(report)),
        partnership=iris.partnership(slug),
        period=iris.period(_period_key(report)),
    )
    sink = _Sink()
    for add in _PARTS:
        add(sink, subjects)
    _add_provenance(sink, subjects, ingested_at)
    return NamedTriples(subjects.report_iri, list(dict.fromkeys(sink)))


# Identity of the report.


def _partnership_slug(report: Report, override: str | None = None) -> str:
    """The slug for the report's IRIs: ``override`` if given, else one made from the name."""
    if not report.partnership or not report.partnership.strip():
        line = report.partnership_line or _question_line(report, "partnership")
        raise ReportError(
            report.source.name,
            line,
            'the name of the partnership after "Please select the name of your partnership"',
        )
    return override or slugify(report.partnership)


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


# Small helpers.


def _add_text(graph: _Sink, subject: URIRef, predicate: URIRef, value: str | None) -> None:
    """Add a plain string literal unless the value is missing or blank."""
    if value is not None and value.strip():
        graph.add((subject, predicate, Literal(value)))


def _add_all(graph: _Sink, subject: URIRef, pairs: Iterable[tuple[URIRef, Node]]) -> None:
    for predicate, obj in pairs:
        graph.add((subject, predicate, obj))


def _is_web_iri(text: str) -> bool:
    parts = urlsplit(text)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() or c in '<>"{}|\\^`' for c in text)
    )


# The report, its partnership and its period.


def _add_partnership(graph: _Sink, s: _Subjects) -> None:
    name = s.report.partnership or ""
    graph.add((s.partnership, RDF.type, S3G.Partnership))
    graph.add((s.partnership, SKOS.prefLabel, Literal(name)))
    graph.add((s.partnership, RDFS.label, Literal(name)))
    webpage = (s.report.webpage or "").strip().strip("<>")
    if webpage and _is_web_iri(webpage):
        graph.add((s.partnership, FOAF.homepage, URIRef(webpage)))


def _add_period(graph: _Sink, s: _Subjects) -> None:
    period = s.report.reporting_period
    assert period is not None  # checked when the IRIs were minted
    _add_all(
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


def _add_report(graph: _Sink, s: _Subjects) -> None:
    report, period = s.report, s.report.reporting_period
    assert period is not None
    title = f"{report.partnership} monitoring progress report, {period.label}"
    summary = report.answer("executive_summary")
    _add_all(
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
    _add_text(graph, s.report_iri, S3G.startDateText, report.start_date_text)
    _add_text(graph, s.report_iri, S3G.executiveSummary, summary.text if summary else None)


# Memberships: leading and participating regions, interested entities.


def _add_membership(
    graph: _Sink, s: _Subjects, role: str, n: int, member: URIRef, line: int
) -> URIRef:
    iri = s.iris.membership(s.report_iri, role, n)
    _add_all(
        graph,
        iri,
        [
            (RDF.type, ORG.Membership),
            (ORG.organization, s.partnership),
            (ORG.member, member),
            (ORG.role, role_term(role)),
            (ORG.memberDuring, s.period),
            (S3G.reportedIn, s.report_iri),
            (S3G.sourceLine, Literal(line)),
        ],
    )
    return iri


def _region_iri(iris: Iris, mention: RegionMention) -> URIRef:
    return iris.region_code(mention.code) if mention.code else iris.region_name(mention.name)


def _add_region(graph: _Sink, iri: URIRef, name: str, code: str | None) -> None:
    graph.add((iri, RDF.type, S3G.Region))
    _add_text(graph, iri, RDFS.label, name)
    if code:
        graph.add((iri, SKOS.notation, Literal(code)))
        if _NUTS_CODE.fullmatch(code):
            graph.add((iri, S3G.nutsRegion, NUTS_CODE[code]))


def _add_participating(graph: _Sink, s: _Subjects) -> None:
    for n, mention in enumerate(s.report.participating_regions, start=1):
        region = _region_iri(s.iris, mention)
        _add_region(graph, region, mention.name, mention.code)
        iri = _add_membership(graph, s, "participating", n, region, mention.line)
        _add_text(graph, iri, S3G.statedName, mention.name)
        _add_text(graph, iri, S3G.statedCountry, mention.country)
        _add_text(graph, iri, S3G.statedCode, mention.code_raw)
        _add_text(graph, iri, S3G.statedText, mention.raw)


def _add_leading(graph: _Sink, s: _Subjects) -> None:
    by_slug: dict[str, URIRef] = {}
    for mention in s.report.participating_regions:
        by_slug.setdefault(slugify(mention.name), _region_iri(s.iris, mention))
    for n, leading in enumerate(s.report.leading_regions, start=1):
        region = by_slug.get(slugify(leading.name))
        if region is None:
            region = s.iris.region_name(leading.name)
            _add_region(graph, region, leading.name, None)
        iri = _add_membership(graph, s, "leading", n, region, leading.line)
        _add_text(graph, iri, S3G.statedName, leading.name)


def _add_interested(graph: _Sink, s: _Subjects) -> None:
    answer = s.report.answer("interested_entities")
    if answer is None or answer.text is None:
        return
    line = answer.answer_line or answer.line
    for n, name in enumerate(split_entities(answer.text), start=1):
        entity = s.iris.entity(name)
        graph.add((entity, RDF.type, ORG.Organization))
        graph.add((entity, RDFS.label, Literal(name)))
        iri = _add_membership(graph, s, "interested", n, entity, line)
        graph.add((iri, S3G.statedName, Literal(name)))


def split_entities(text: str) -> list[str]:
    """The entities of a free-text list, split at ``,`` ``;`` and line breaks outside parentheses.

    Pieces are trimmed of white space, list bullets and a final full stop; pieces without any
    letter or digit are dropped.
    """
    pieces: list[str] = []
    start, depth = 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char in _ENTITY_SEPARATORS and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    cleaned = (_ENTITY_TRIM.sub("", piece) for piece in pieces)
    return [" ".join(piece.split()) for piece in cleaned if any(c.isalnum() for c in piece)]


# Tables: working areas and events.


def _add_working_areas(graph: _Sink, s: _Subjects) -> None:
    for area in s.report.working_areas:
        iri = s.iris.working_area(s.report_iri, area.n)
        graph.add((s.report_iri, S3G.workingArea, iri))
        graph.add((iri, RDF.type, S3G.WorkingArea))
        _add_text(graph, iri, RDFS.label, area.area)
        _add_text(graph, iri, S3G.regionInChargeText, area.region_in_charge)
        _add_text(graph, iri, S3G.involvedRegionsText, area.involved_regions)
        _add_text(graph, iri, S3G.otherActorsText, area.other_actors)
        graph.add((iri, S3G.rowNumber, Literal(area.n)))
        graph.add((iri, S3G.sourceLine, Literal(area.line)))


def _add_events(graph: _Sink, s: _Subjects) -> None:
    for event in (*s.report.past_events, *s.report.planned_events):
        _add_event(graph, s, event)


def _add_event(graph: _Sink, s: _Subjects, event: Event) -> None:
    kind = event.kind.value
    iri = s.iris.event(s.report_iri, kind, event.n)
    graph.add((s.report_iri, S3G.event, iri))
    graph.add((iri, RDF.type, SCHEMA.Event))
    graph.add((iri, RDF.type, _EVENT_CLASSES[kind]))
    _add_text(graph, iri, SCHEMA.name, event.event)
    _add_text(graph, iri, S3G.dateText, event.date_text)
    days = read_event_date(event.date_text) if event.date_text else None
    if days is not None:
        graph.add((iri, SCHEMA.startDate, Literal(days[0], datatype=XSD.date)))
        graph.add((iri, SCHEMA.endDate, Literal(days[1], datatype=XSD.date)))
    _add_text(graph, iri, SCHEMA.location, event.place)
    _add_text(graph, iri, SCHEMA.description, event.info)
    graph.add((iri, S3G.rowNumber, Literal(event.n)))
    graph.add((iri, S3G.sourceLine, Literal(event.line)))


# SDG matrix, free-text answers, parse warnings.


def _add_sdg(graph: _Sink, s: _Subjects) -> None:
    ratings = {label.casefold(): rating_term(label) for label in SDG_RATINGS}
    for row in s.report.sdg:
        iri = s.iris.sdg(s.report_iri, row.goal)
        graph.add((s.report_iri, S3G.sdgAssessment, iri))
        graph.add((iri, RDF.type, S3G.SdgAssessment))
        graph.add((iri, S3G.goal, SDG[str(row.goal)]))
        graph.add((iri, S3G.sourceLine, Literal(row.line)))
        for label in row.checked:
            rating = ratings.get(label.strip().casefold())
            if rating is None:
                expected = "an SDG rating among " + ", ".join(f'"{r}"' for r in SDG_RATINGS)
                raise ReportError(s.report.source.name, row.line, expected, label)
            graph.add((iri, S3G.rating, rating))


def _add_answers(graph: _Sink, s: _Subjects) -> None:
    """One node per question of the form, answered or not (an empty one has no ``rdf:value``).

    Answers to the questions the form marks mandatory are also ``s3g:MandatoryAnswer``, so that
    the shapes can require their value; a mandatory question missing from the file altogether
    still gets its (empty) node.
    """
    answers = {answer.key: answer for answer in s.report.answers}
    for key in [*answers, *(k for k in MANDATORY_LABELS if k not in answers)]:
        answer = answers.get(key)
        iri = s.iris.answer(s.report_iri, key)
        graph.add((s.report_iri, S3G.answer, iri))
        graph.add((iri, RDF.type, S3G.Answer))
        if key in MANDATORY_LABELS:
            graph.add((iri, RDF.type, S3G.MandatoryAnswer))
        graph.add((iri, S3G.question, question_term(key)))
        if answer is None:
            continue
        if answer.text is not None:
            graph.add((iri, RDF.value, Literal(answer.text)))
        graph.add((iri, S3G.sourceLine, Literal(answer.answer_line or answer.line)))


def _add_warnings(graph: _Sink, s: _Subjects) -> None:
    for i, warning in enumerate(s.report.warnings, start=1):
        iri = s.iris.warning(s.report_iri, i)
        graph.add((s.report_iri, S3G.parseWarning, iri))
        graph.add((iri, RDF.type, S3G.ParseWarning))
        graph.add((iri, RDFS.comment, Literal(warning.message)))
        _add_text(graph, iri, RDF.value, warning.text)
        graph.add((iri, S3G.sourceLine, Literal(warning.line)))


# Provenance: the source file, its checksum, the ingestion and the software.


def _add_provenance(graph: _Sink, s: _Subjects, ingested_at: datetime) -> None:
    source, checksum = s.iris.source(s.report_iri), s.iris.checksum(s.report_iri)
    ingestion, agent = s.iris.ingestion(s.report_iri), s.iris.agent()
    file = s.report.source
    graph.add((source, RDF.type, PROV.Entity))
    graph.add((source, DCTERMS.title, Literal(_file_name(file.name))))
    graph.add((source, SPDX.checksum, checksum))
    graph.add((source, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(file.sha256.lower())))
    graph.add((ingestion, RDF.type, PROV.Activity))
    graph.add((ingestion, PROV.used, source))
    graph.add((ingestion, PROV.startedAtTime, Literal(ingested_at, datatype=XSD.dateTime)))
    graph.add((ingestion, PROV.endedAtTime, Literal(ingested_at, datatype=XSD.dateTime)))
    graph.add((ingestion, PROV.wasAssociatedWith, agent))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal("s3graph")))
    graph.add((agent, SCHEMA.softwareVersion, Literal(s3graph.__version__)))


def _file_name(name: str) -> str:
    """The last component of a path as given, so no local directory leaks into the graph."""
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name


_PARTS: tuple[Callable[[_Sink, _Subjects], None], ...] = (
    _add_partnership,
    _add_period,
    _add_report,
    _add_participating,
    _add_leading,
    _add_interested,
    _add_working_areas,
    _add_events,
    _add_sdg,
    _add_answers,
    _add_warnings,
)
