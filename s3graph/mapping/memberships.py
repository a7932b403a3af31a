"""Memberships of a partnership in RDF: leading and participating regions, interested entities.

Each membership is an ``org:Membership`` ``{report}/membership/{role}/{n}`` linking the partnership,
the member (a region or an organisation), the role and the reporting period.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from s3graph.mapping.iris import Iris, role_term, slugify
from s3graph.mapping.triples import Sink, Subjects, add_all, add_text
from s3graph.model import RegionMention
from s3graph.namespaces import ORG, RDF, RDFS, S3G, SKOS

#: Commas, semicolons and line breaks that separate interested entities.
_ENTITY_SEPARATORS = frozenset(",;\n")
#: Bullets and white space before an entity, white space and full stops after it.
_ENTITY_TRIM = re.compile(r"^[\s\-\u2013\u2022*]+|[\s.]+$")


def _add_membership(
    graph: Sink, s: Subjects, role: str, n: int, member: URIRef, line: int
) -> URIRef:
    iri = s.iris.membership(s.report_iri, role, n)
    add_all(
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


def _add_region(graph: Sink, iri: URIRef, name: str, code: str | None) -> None:
    graph.add((iri, RDF.type, S3G.Region))
    add_text(graph, iri, RDFS.label, name)
    if code:
        graph.add((iri, SKOS.notation, Literal(code)))


def add_participating(graph: Sink, s: Subjects) -> None:
    for n, mention in enumerate(s.report.participating_regions, start=1):
        region = _region_iri(s.iris, mention)
        _add_region(graph, region, mention.name, mention.code)
        iri = _add_membership(graph, s, "participating", n, region, mention.line)
        add_text(graph, iri, S3G.statedName, mention.name)
        add_text(graph, iri, S3G.statedCountry, mention.country)
        add_text(graph, iri, S3G.statedCode, mention.code_raw)
        add_text(graph, iri, S3G.statedText, mention.raw)


def add_leading(graph: Sink, s: Subjects) -> None:
    by_slug: dict[str, URIRef] = {}
    for mention in s.report.participating_regions:
        by_slug.setdefault(slugify(mention.name), _region_iri(s.iris, mention))
    for n, leading in enumerate(s.report.leading_regions, start=1):
        region = by_slug.get(slugify(leading.name))
        if region is None:
            region = s.iris.region_name(leading.name)
            _add_region(graph, region, leading.name, None)
        iri = _add_membership(graph, s, "leading", n, region, leading.line)
        add_text(graph, iri, S3G.statedName, leading.name)


def add_interested(graph: Sink, s: Subjects) -> None:
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
