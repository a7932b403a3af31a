"""The links of a report to the world as RDF: region judgements and partnership mentions.

Adds to a report's graph (same named graph, no blank nodes):

- for each region judgement, a ``s3g:RegionJudgement`` node ``{report}/judgement/{k}`` with its
  rule, message, suggestion, NUTS version and its source (snapshot or loaded) and source line,
  attached to the membership it is about; a mention resolved to a NUTS region gets
  ``s3g:resolvedRegion`` on its membership;
- for each coded region, ``s3g:nutsRegion`` to the code of the NUTS version in force it denotes
  (the code itself, or its single successor), and nothing when there is none;
- for each mention of another partnership, ``s3g:collaboratesWith`` between the two
  partnerships, and a ``s3g:CollaborationMention`` node ``{report}/collaboration/{k}`` with the
  evidence (sentence, section, line);
- the registry's word on the report's own partnership: its canonical label and platform, or
  ``s3g:needsCuration true`` when the registry does not know it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from s3graph.linking.links import Linker, ReportLinks
from s3graph.linking.regions import Judgement
from s3graph.mapping.iris import Iris
from s3graph.mapping.report import as_graph, to_triples
from s3graph.mapping.triples import NamedTriples, Triple
from s3graph.model import Report
from s3graph.namespaces import NUTS_CODE, ORG, RDF, RDFS, S3G, SKOS
from s3graph.vocab.registry import PartnershipEntry


def link_triples(
    report: Report, report_iri: URIRef, links: ReportLinks, *, base: str
) -> list[Triple]:
    """The triples that record ``links`` for the report whose graph is ``report_iri``."""
    iris = Iris(base)
    triples: list[Triple] = []
    triples += _partnership(iris, links)
    triples += _nuts_links(report, iris, links)
    by_line = _membership_by_line(report, report_iri, iris)
    for k, judgement in enumerate(links.judgements, start=1):
        membership: URIRef | None = by_line.get(judgement.line)
        if judgement.member is not None:
            membership = iris.membership(report_iri, *judgement.member)
        triples += _judgement(report_iri, k, judgement, membership)
    own = iris.partnership(links.partnership.slug) if links.partnership else None
    for k, mention in enumerate(links.mentions, start=1):
        node = URIRef(f"{report_iri}/collaboration/{k}")
        other = iris.partnership(mention.partnership.slug)
        triples += [
            (report_iri, S3G.collaborationMention, node),
            (node, RDF.type, S3G.CollaborationMention),
            (node, S3G.mentionedPartnership, other),
            (node, S3G.evidenceText, Literal(mention.text)),
            (node, S3G.section, Literal(mention.section)),
            (node, S3G.sourceLine, Literal(mention.line)),
            (other, RDF.type, S3G.Partnership),
            (other, SKOS.prefLabel, partnership_label(mention.partnership)),
        ]
        if own is not None:
            triples.append((own, S3G.collaboratesWith, other))
    return triples


def _partnership(iris: Iris, links: ReportLinks) -> list[Triple]:
    entry = links.partnership
    if entry is None:
        return []
    iri = iris.partnership(entry.slug)
    triples: list[Triple] = [(iri, SKOS.prefLabel, partnership_label(entry))]
    if entry.platform is not None:
        triples.append((iri, S3G.platform, URIRef(entry.platform)))
    if not entry.curated:
        triples.append((iri, S3G.needsCuration, Literal(True, datatype=XSD.boolean)))
    return triples


def partnership_label(entry: PartnershipEntry) -> Literal:
    """A partnership's one ``skos:prefLabel``: the registry's, in English as the registry writes
    it (the same literal as the registry graph's); a partnership the registry does not know is
    named as its report writes it, without a language."""
    return Literal(entry.name, lang="en") if entry.curated else Literal(entry.name)


def _nuts_links(report: Report, iris: Iris, links: ReportLinks) -> list[Triple]:
    """``s3g:nutsRegion`` from each coded region to the NUTS code it links to, if any.

    Only the linking knows the version in force and which codes exist in it, so the link is
    made here, never by the plain mapping: without a NUTS index there is none.
    """
    triples: list[Triple] = []
    done: set[str] = set()
    for mention in report.participating_regions:
        code = mention.code
        if code is None or code in done or code not in links.nuts_links:
            continue
        done.add(code)
        triples.append((iris.region_code(code), S3G.nutsRegion, NUTS_CODE[links.nuts_links[code]]))
    return triples


def _membership_by_line(report: Report, report_iri: URIRef, iris: Iris) -> dict[int, URIRef]:
    """The membership read from each source line (a line with several leading regions: none)."""
    found: dict[int, list[URIRef]] = {}
    for n, mention in enumerate(report.participating_regions, start=1):
        found.setdefault(mention.line, []).append(iris.membership(report_iri, "participating", n))
    for n, leading in enumerate(report.leading_regions, start=1):
        found.setdefault(leading.line, []).append(iris.membership(report_iri, "leading", n))
    return {line: iris_[0] for line, iris_ in found.items() if len(iris_) == 1}


def _judgement(
    report_iri: URIRef, k: int, judgement: Judgement, membership: URIRef | None
) -> list[Triple]:
    triples: list[Triple] = []
    if membership is not None and judgement.resolved_code:
        triples.append((membership, S3G.resolvedRegion, NUTS_CODE[judgement.resolved_code]))
    if judgement.rule is None:
        return triples
    node = URIRef(f"{report_iri}/judgement/{k}")
    triples += [
        (report_iri, S3G.judgement, node),
        (node, RDF.type, S3G.RegionJudgement),
        (node, S3G.rule, Literal(judgement.rule)),
        (node, RDFS.comment, Literal(judgement.message)),
        (node, S3G.sourceLine, Literal(judgement.line)),
    ]
    if judgement.version is not None:
        triples.append((node, S3G.nutsVersion, Literal(judgement.version)))
    if judgement.source is not None:
        triples.append((node, S3G.nutsSource, Literal(judgement.source)))
    if judgement.suggestion:
        triples.append((node, S3G.suggestion, Literal(judgement.suggestion)))
    if membership is not None:
        triples.append((node, S3G.judgementOf, membership))
        triples.append((membership, RDF.type, ORG.Membership))
    return triples


def to_linked_triples(
    report: Report, links: ReportLinks, *, base: str, ingested_at: datetime
) -> NamedTriples:
    """The report's triples (``to_triples``) and its links, under the registry's slug.

    The names the plain mapping takes from the report make way for those of the reference data
    (see :func:`_names_of_reference`), and a region stated by name only that the linking resolved
    is the member as the region of its code.
    """
    slug = links.partnership.slug if links.partnership else None
    named = to_triples(report, base=base, ingested_at=ingested_at, partnership_slug=slug)
    iris = Iris(base)
    triples = _resolve_members(named.triples, named.identifier, links, iris)
    triples = _names_of_reference(triples, links, iris)
    extra = link_triples(report, named.identifier, links, base=base)
    return NamedTriples(named.identifier, list(dict.fromkeys([*triples, *extra])))


def _resolve_members(
    triples: list[Triple], report_iri: URIRef, links: ReportLinks, iris: Iris
) -> list[Triple]:
    """Each membership of a name the linking resolved (``links.members``) moved to the region of
    its code; a region known by name that no membership names any more is dropped."""
    if not links.members:
        return triples
    moved = {iris.membership(report_iri, *member): key for member, key in links.members.items()}
    out: list[Triple] = []
    added: list[Triple] = []
    for s, p, o in triples:
        key = moved.get(s) if p == ORG.member and isinstance(s, URIRef) else None
        if key is None:
            out.append((s, p, o))
            continue
        region = iris.region_code(key)
        out.append((s, p, region))
        added += [(region, RDF.type, S3G.Region), (region, SKOS.notation, Literal(key))]
    members = {o for _, p, o in out if p == ORG.member}
    coded = {s for s, p, _ in out if p == SKOS.notation}
    regions = {s for s, p, o in out if p == RDF.type and o == S3G.Region}
    gone = regions - members - coded
    return [t for t in [*out, *added] if t[0] not in gone]


def _names_of_reference(triples: list[Triple], links: ReportLinks, iris: Iris) -> list[Triple]:
    """The one name each shared resource gets from the reference data, not from the report.

    A region with a code is named by NUTS (``links.region_names``: ``skos:prefLabel`` and the same
    ``rdfs:label``), the name as stated staying on the membership; the partnership keeps its name
    as written as a ``skos:altLabel``, the registry's being its ``skos:prefLabel``
    (:func:`_partnership`). A region without a NUTS name (a code of no version) has no name.
    """
    entry = links.partnership
    own = iris.partnership(entry.slug) if entry is not None else None
    coded = {s for s, p, _ in triples if p == SKOS.notation}
    out: list[Triple] = []
    for s, p, o in triples:
        if s in coded and p == RDFS.label:
            continue
        if s == own and p in (SKOS.prefLabel, RDFS.label):
            if p == SKOS.prefLabel:
                out.append((s, SKOS.altLabel, o))
            continue
        out.append((s, p, o))
    for key, name in links.region_names.items():
        region = iris.region_code(key)
        out += [(region, SKOS.prefLabel, Literal(name)), (region, RDFS.label, Literal(name))]
    return out


def to_linked_graph(
    report: Report, links: ReportLinks, *, base: str, ingested_at: datetime
) -> Graph:
    """:func:`to_linked_triples` as an rdflib graph."""
    return as_graph(to_linked_triples(report, links, base=base, ingested_at=ingested_at))


def linked_mapper(linker: Linker) -> Callable[..., NamedTriples]:
    """A ``map_report`` for :func:`s3graph.ingest.ingest`: each report's triples with its links."""

    def map_report(report: Report, *, base: str, ingested_at: datetime) -> NamedTriples:
        return to_linked_triples(report, linker.link(report), base=base, ingested_at=ingested_at)

    return map_report
