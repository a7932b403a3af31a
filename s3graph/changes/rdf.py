"""A partnership's changes and reporting gaps as one named graph, under the ontology.

Each partnership whose reports change over time gets one graph,
``{base}graph/changes/{slug}``, holding every :class:`~s3graph.changes.model.Change` between
its consecutive reports (an ``s3g:Change``) and every half-year missing between two of them (an
``s3g:ReportingGap``). The graph is a function of the partnership's reports alone, so it is
rewritten whole whenever one of them is ingested, replaced or removed, and a store holds the
same graph whatever order the reports arrived in.

The IRIs are minted from what a change is, never from a counter over the run: the partnership,
the two periods, the kind and the subject (and the column, for a working area), as in
``{base}partnership/{slug}/change/2020-H1/2020-H2/joined/ith5``. A subject that slugs like
another of the same kind gets ``-2``, ``-3`` in the order the comparison lists them (itself a
function of the two texts). A region is the ``s3g:Region`` IRI the report graphs use for its
code, ``{base}region/{code}`` (the code as resolved, so a corrected or recoded region is one
region); a goal is the UN's SDG IRI; another partnership is its registry IRI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef

from s3graph.changes.model import Change, ChangeKind
from s3graph.changes.sequence import Step, half_year
from s3graph.mapping.dates import MONTH_NAMES
from s3graph.mapping.iris import Iris
from s3graph.mapping.triples import NamedTriples, Triple
from s3graph.model import Report
from s3graph.rdf.namespaces import DCAT, DCTERMS, RDF, RDFS, S3G, SDG, XSD
from s3graph.slug import slugify

#: Where the changes graphs live: ``{base}graph/changes/{partnership slug}``.
CHANGES_GRAPH_PATH = "graph/changes/"

#: The IRI of another partnership named in a report, by its canonical name (None: unknown).
PartnershipOf = Callable[[str], URIRef | None]

_COLLABORATIONS = (ChangeKind.COLLABORATION_BEGAN, ChangeKind.COLLABORATION_ENDED)


def changes_graph_iri(base: str, slug: str) -> URIRef:
    """``{base}graph/changes/{slug}``: the named graph of one partnership's changes."""
    Iris(base).partnership(slug)  # checks the base and the slug
    return URIRef(f"{base}{CHANGES_GRAPH_PATH}{slug}")


def kind_term(kind: ChangeKind) -> URIRef:
    """The concept of ``s3g:ChangeKindScheme`` for ``kind`` (``s3g:change-joined``)."""
    return S3G[f"change-{kind.value}"]


@dataclass(frozen=True, slots=True)
class ChangesOf:
    """One partnership's steps between consecutive reports, each with the changes it brought,
    as the graph is made of them."""

    slug: str
    steps: Sequence[tuple[Step, Sequence[Change]]]


def changes_graph(
    changes: ChangesOf, *, base: str, partnership_of: PartnershipOf = lambda _: None
) -> NamedTriples:
    """The named graph of ``changes`` (empty when the partnership has no two dated reports:
    written so, it drops a graph a removed report leaves behind)."""
    iris = Iris(base)
    partnership = iris.partnership(changes.slug)
    triples: list[Triple] = []
    for step, found in changes.steps:
        before, after = _key(step.before), _key(step.after)
        reports = (iris.report(changes.slug, before), iris.report(changes.slug, after))
        step_iri = f"{partnership}/change/{before}/{after}"
        for iri, change in _named(step_iri, found):
            triples += _change_triples(iri, change, partnership, reports, iris, partnership_of)
        for missing in step.missing:
            triples += _gap_triples(partnership, missing, reports, iris)
    return NamedTriples(changes_graph_iri(base, changes.slug), list(dict.fromkeys(triples)))


def _key(report: Report) -> str:
    assert report.reporting_period is not None  # a timeline's steps are between dated reports
    return report.reporting_period.key


def _named(step_iri: str, changes: Iterable[Change]) -> list[tuple[URIRef, Change]]:
    """Each change with its IRI: the step's, the kind, the subject slugged (and the column)."""
    named: list[tuple[URIRef, Change]] = []
    taken: set[str] = set()
    for change in changes:
        tail = slugify(change.subject)
        if change.aspect:
            tail += f"/{slugify(change.aspect)}"
        stem = f"{step_iri}/{change.kind.value}/{tail}"
        iri, n = stem, 1
        while iri in taken:
            n += 1
            iri = f"{stem}-{n}"
        taken.add(iri)
        named.append((URIRef(iri), change))
    return named


def _change_triples(
    iri: URIRef,
    change: Change,
    partnership: URIRef,
    reports: tuple[URIRef, URIRef],
    iris: Iris,
    partnership_of: PartnershipOf,
) -> list[Triple]:
    triples: list[Triple] = [
        (iri, RDF.type, S3G.Change),
        (iri, S3G.kindOfChange, kind_term(change.kind)),
        (iri, S3G.changeOf, partnership),
        (iri, S3G.earlierReport, reports[0]),
        (iri, S3G.laterReport, reports[1]),
        (iri, S3G.subjectText, Literal(change.subject)),
    ]
    if change.region_code:
        triples.append((iri, S3G.changedRegion, iris.region_code(change.region_code)))
    if change.region_name:
        triples.append((iri, S3G.statedRegionName, Literal(change.region_name)))
    if change.goal is not None:
        triples.append((iri, S3G.changedGoal, SDG[str(change.goal)]))
    if change.direction is not None:
        triples.append((iri, S3G.ratingDirection, Literal(change.direction.value)))
    if change.aspect:
        triples.append((iri, S3G.changedColumn, Literal(change.aspect)))
    if change.kind in _COLLABORATIONS:
        other = partnership_of(change.subject)
        if other is not None:
            triples.append((iri, S3G.otherPartnership, other))
    triples += [(iri, S3G.valueBefore, Literal(v)) for v in change.before]
    triples += [(iri, S3G.valueAfter, Literal(v)) for v in change.after]
    triples += [(iri, S3G.sourceLineBefore, Literal(n)) for n in change.lines_before]
    triples += [(iri, S3G.sourceLineAfter, Literal(n)) for n in change.lines_after]
    return triples


def _gap_triples(
    partnership: URIRef, missing: str, reports: tuple[URIRef, URIRef], iris: Iris
) -> list[Triple]:
    """A half-year with no report between two filed ones, and the period it is."""
    gap = URIRef(f"{partnership}/gap/{missing}")
    period = iris.period(missing)
    year, half = int(missing[:4]), int(missing[-1])
    start, end = half_year(year, half)
    label = f"{MONTH_NAMES[start.month - 1]} - {MONTH_NAMES[end.month - 1]} {end.year}"
    return [
        (gap, RDF.type, S3G.ReportingGap),
        (gap, S3G.gapOf, partnership),
        (gap, S3G.missingPeriod, period),
        (gap, S3G.lastReportBefore, reports[0]),
        (gap, S3G.nextReportAfter, reports[1]),
        (period, RDF.type, DCTERMS.PeriodOfTime),
        (period, DCAT.startDate, Literal(start, datatype=XSD.date)),
        (period, DCAT.endDate, Literal(end, datatype=XSD.date)),
        (period, RDFS.label, Literal(label)),
    ]


__all__ = [
    "CHANGES_GRAPH_PATH",
    "ChangesOf",
    "PartnershipOf",
    "changes_graph",
    "changes_graph_iri",
    "kind_term",
]
