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
from datetime import date

import pyoxigraph as ox

from s3graph.changes.model import Change, ChangeKind
from s3graph.changes.sequence import Step, half_year
from s3graph.mapping.dates import MONTH_NAMES
from s3graph.mapping.iris import Iris
from s3graph.model import Report
from s3graph.rdf.graphs import SerialisedGraph
from s3graph.rdf.namespaces import DCAT, DCTERMS, NUTS_CODE, RDF, RDFS, S3G, SDG, SKOS, XSD
from s3graph.slug import slugify

#: Where the changes graphs live: ``{base}graph/changes/{partnership slug}``.
CHANGES_GRAPH_PATH = "graph/changes/"

#: The IRI of another partnership named in a report, by its canonical name (None: unknown).
PartnershipOf = Callable[[str], str | None]
#: The NUTS name of a region code (None: unknown)
RegionName = Callable[[str], str | None]

#: A triple as the N-Triples text of its terms, written by pyoxigraph (a partnership's changes
#: can be thousands of triples, which rdflib terms would make several times slower to write).
Triple = tuple[str, str, str]

_COLLABORATIONS = (ChangeKind.COLLABORATION_BEGAN, ChangeKind.COLLABORATION_ENDED)
_INTEGER = XSD.node("integer")
_DATE = XSD.node("date")
_TYPE = str(RDF.node("type"))
#: The N-Triples text of the ontology's terms, made once.
_TERMS: dict[str, str] = {}


def _s3g(name: str) -> str:
    """``<https://w3id.org/s3graph/def#name>``."""
    text = _TERMS.get(name)
    if text is None:
        text = _TERMS[name] = str(S3G.node(name))
    return text


def changes_graph_iri(base: str, slug: str) -> str:
    """``{base}graph/changes/{slug}``: the named graph of one partnership's changes."""
    Iris(base).partnership(slug)  # checks the base and the slug
    return f"{base}{CHANGES_GRAPH_PATH}{slug}"


def kind_term(kind: ChangeKind) -> ox.NamedNode:
    """The concept of ``s3g:ChangeKindScheme`` for ``kind`` (``s3g:change-joined``)."""
    return S3G.node(f"change-{kind.value}")


@dataclass(frozen=True, slots=True)
class ChangesOf:
    """One partnership's steps between consecutive reports, each with the changes it brought,
    as the graph is made of them."""

    slug: str
    steps: Sequence[tuple[Step, Sequence[Change]]]


def changes_graph(
    changes: ChangesOf,
    *,
    base: str,
    partnership_of: PartnershipOf = lambda _: None,
    region_name: RegionName = lambda _: None,
) -> SerialisedGraph:
    """The named graph of ``changes`` as N-Triples lines (none when the partnership has no two
    dated reports: written so, it drops a graph a removed report leaves behind).

    A region a change names by its resolved code is described here too, as a report graph
    describes its regions (type, code, and for a code NUTS holds, the NUTS link and the name
    ``region_name`` gives): the
    code may be one no report wrote (EL63 for a stated EL23), and every IRI of ours that the
    graph uses leads to a page.
    """
    iris = Iris(base)
    partnership = _iri(iris.partnership(changes.slug))
    triples: list[Triple] = []
    for step, found in changes.steps:
        before, after = _key(step.before), _key(step.after)
        reports = (_iri(iris.report(changes.slug, before)), _iri(iris.report(changes.slug, after)))
        step_iri = f"{partnership[1:-1]}/change/{before}/{after}"
        for iri, change in _named(step_iri, found):
            triples += _change_triples(iri, change, partnership, reports, iris, partnership_of)
        for missing in step.missing:
            triples += _gap_triples(partnership, missing, reports, iris)
    codes = sorted({c.region_code for _, found in changes.steps for c in found if c.region_code})
    for code in codes:
        triples += _region_triples(code, iris, region_name(code))
    lines = dict.fromkeys(f"{s} {p} {o} .\n" for s, p, o in triples)
    return SerialisedGraph(f"<{changes_graph_iri(base, changes.slug)}>", tuple(lines))


def _key(report: Report) -> str:
    assert report.reporting_period is not None  # a timeline's steps are between dated reports
    return report.reporting_period.key


def _named(step_iri: str, changes: Iterable[Change]) -> list[tuple[str, Change]]:
    """Each change with its IRI: the step's, the kind, the subject slugged (and the column)."""
    named: list[tuple[str, Change]] = []
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
        named.append((_iri(iri), change))
    return named


def _iri(iri: str) -> str:
    """``<iri>``, checked by pyoxigraph."""
    return str(ox.NamedNode(str(iri)))


def _text(value: str) -> str:
    return str(ox.Literal(value))


def _integer(value: int) -> str:
    return str(ox.Literal(str(value), datatype=_INTEGER))


def _change_triples(
    iri: str,
    change: Change,
    partnership: str,
    reports: tuple[str, ...],
    iris: Iris,
    partnership_of: PartnershipOf,
) -> list[Triple]:
    triples: list[Triple] = [
        (iri, _TYPE, _s3g("Change")),
        (iri, _s3g("kindOfChange"), str(kind_term(change.kind))),
        (iri, _s3g("changeOf"), partnership),
        (iri, _s3g("earlierReport"), reports[0]),
        (iri, _s3g("laterReport"), reports[1]),
        (iri, _s3g("subjectText"), _text(change.subject)),
    ]
    if change.region_code:
        triples.append((iri, _s3g("changedRegion"), _iri(iris.region_code(change.region_code))))
    if change.region_name:
        triples.append((iri, _s3g("statedRegionName"), _text(change.region_name)))
    if change.goal is not None:
        triples.append((iri, _s3g("changedGoal"), str(SDG.node(str(change.goal)))))
    if change.direction is not None:
        triples.append((iri, _s3g("ratingDirection"), _text(change.direction.value)))
    if change.aspect:
        triples.append((iri, _s3g("changedColumn"), _text(change.aspect)))
    if change.kind in _COLLABORATIONS:
        other = partnership_of(change.subject)
        if other is not None:
            triples.append((iri, _s3g("otherPartnership"), _iri(other)))
    triples += [(iri, _s3g("valueBefore"), _text(v)) for v in change.before]
    triples += [(iri, _s3g("valueAfter"), _text(v)) for v in change.after]
    triples += [(iri, _s3g("sourceLineBefore"), _integer(n)) for n in change.lines_before]
    triples += [(iri, _s3g("sourceLineAfter"), _integer(n)) for n in change.lines_after]
    return triples


def _region_triples(code: str, iris: Iris, name: str | None) -> list[Triple]:
    region = _iri(iris.region_code(code))
    triples: list[Triple] = [
        (region, _TYPE, _s3g("Region")),
        (region, str(SKOS.node("notation")), _text(code)),
    ]
    if name is not None:  # a code NUTS holds (changes computed without NUTS keep codes as stated)
        triples += [(region, _s3g("nutsRegion"), _iri(NUTS_CODE.iri(code)))]
        triples += [(region, str(SKOS.node("prefLabel")), _text(name))]
        triples += [(region, str(RDFS.node("label")), _text(name))]
    return triples


def _gap_triples(
    partnership: str, missing: str, reports: tuple[str, ...], iris: Iris
) -> list[Triple]:
    """A half-year with no report between two filed ones, and the period it is."""
    gap = _iri(f"{partnership[1:-1]}/gap/{missing}")
    period = _iri(iris.period(missing))
    start, end = half_year(int(missing[:4]), int(missing[-1]))
    label = f"{MONTH_NAMES[start.month - 1]} - {MONTH_NAMES[end.month - 1]} {end.year}"
    return [
        (gap, _TYPE, _s3g("ReportingGap")),
        (gap, _s3g("gapOf"), partnership),
        (gap, _s3g("missingPeriod"), period),
        (gap, _s3g("lastReportBefore"), reports[0]),
        (gap, _s3g("nextReportAfter"), reports[1]),
        (period, _TYPE, str(DCTERMS.node("PeriodOfTime"))),
        (period, str(DCAT.node("startDate")), _day(start)),
        (period, str(DCAT.node("endDate")), _day(end)),
        (period, str(RDFS.node("label")), _text(label)),
    ]


def _day(day: date) -> str:
    return str(ox.Literal(day.isoformat(), datatype=_DATE))


__all__ = [
    "CHANGES_GRAPH_PATH",
    "ChangesOf",
    "PartnershipOf",
    "changes_graph",
    "changes_graph_iri",
    "kind_term",
]
