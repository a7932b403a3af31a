"""The vocabulary document at ``/def``: where every ``s3g:`` term's IRI leads.

A browser asking for ``https://w3id.org/s3graph/def#Partnership`` sends no fragment, so every term
of the vocabulary resolves to the one document ``/def``. People get HTML documentation
(``templates/def.html``: an introduction, a table of contents and a section per class, property
and concept scheme, each term under an anchor named by its local name, so ``/def#Partnership``
lands on its section); RDF clients get the vocabulary as Turtle, JSON-LD, N-Triples or RDF/XML,
chosen by ``Accept`` or by suffix (``/def.ttl`` ...), as on the resource pages.

The document is ``ontology/*.ttl`` plus the ``s3g:`` terms the partnership registry declares (the
S3 thematic platforms, concepts of ``s3g:PlatformScheme``): the data uses both, so both must
dereference. It is read once, on the first request, and never changes while the server runs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from s3graph.api.negotiation import HTML, RDF_TYPES, SUFFIXES, negotiate
from s3graph.api.pages import _shown, not_found, render
from s3graph.rdf.formats import FORMATS
from s3graph.rdf.namespaces import DCTERMS, PREFIXES, S3G, SKOS, bind_prefixes
from s3graph.resources import resource_dir
from s3graph.vocab.registry import registry_text

__all__ = ["DOCUMENT", "Vocabulary", "router", "serialised", "vocabulary"]

router = APIRouter(tags=["pages"])

#: The IRI of the vocabulary document (the ontology), served at ``/def``.
DOCUMENT = str(S3G).rstrip("#")

#: rdflib's name of each RDF syntax the document is served in, by media type.
_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
_OFFERED = [HTML, *(media for media in RDF_TYPES if media in _RDFLIB_FORMATS)]
_BY_SUFFIX = {
    FORMATS[HTML].suffix: HTML,
    **{suffix: media for suffix, media in SUFFIXES.items() if media in _RDFLIB_FORMATS},
}

#: The sections of the HTML, in order: anchor, heading, what such a term is (for a reader who
#: does not know OWL) and the types whose terms it lists. Anchors start with ``section-`` so that
#: they never clash with a term's local name.
_KINDS: tuple[tuple[str, str, str, tuple[URIRef, ...]], ...] = (
    ("section-classes", "Classes",
     "Kinds of things the graph describes: a partnership, a report, a region, an event.",
     (OWL.Class, RDFS.Class)),
    ("section-relations", "Relations (object properties)",
     "Links from one thing to another: a report to its partnership, a membership to its role.",
     (OWL.ObjectProperty,)),
    ("section-attributes", "Attributes (datatype properties)",
     "Values a thing carries: a text as the report wrote it, a number, a date.",
     (OWL.DatatypeProperty,)),
    ("section-annotations", "Annotation properties",
     "Notes for people that carry no meaning for a reasoner.",
     (OWL.AnnotationProperty,)),
    ("section-schemes", "Concept schemes",
     "Closed lists of values, each value a concept with a label and a definition: the roles a "
     "member can hold, the answers of the SDG grid, the questions of the form, the platforms.",
     (SKOS.ConceptScheme,)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Link:
    """A value that names another term: ``#Local`` for our own terms, the IRI for others'."""

    href: str
    text: str
    external: bool


@dataclass(frozen=True, slots=True)
class Term:
    """One ``s3g:`` term as its section shows it."""

    name: str  # the local name, which is the anchor
    iri: str
    label: str
    definition: str
    #: (heading, values), in the order shown: each value a :class:`Link` or a plain text.
    facts: tuple[tuple[str, tuple[Link | str, ...]], ...]
    #: The concepts of a concept scheme, in order.
    concepts: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    about: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The vocabulary: its graph (for RDF clients) and its documentation (for people)."""

    graph: Graph
    title: str
    description: str
    version: str
    license: str
    sections: tuple[Section, ...]
    #: Every ``s3g:`` term the graph says something about, by local name.
    names: frozenset[str] = field(default_factory=frozenset)


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabulary document, read once from ``ontology/*.ttl`` and the registry's platforms."""
    graph = Graph()
    for path in sorted(resource_dir("ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    registry = Graph().parse(data=registry_text(), format="turtle")
    for triple in registry:
        if _local(triple[0]) is not None:
            graph.add(triple)
    bind_prefixes(graph)
    return _Reader(graph).vocabulary()


@functools.cache
def serialised(media: str) -> bytes:
    """The vocabulary in the RDF syntax of ``media`` (one of :data:`RDF_TYPES`)."""
    graph = vocabulary().graph
    if media == "application/ld+json":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format=_RDFLIB_FORMATS[media], encoding="utf-8")


def _ours(nodes: Iterable[object]) -> list[URIRef]:
    """The ``s3g:`` IRIs among ``nodes``, each once, sorted."""
    return sorted({n for n in nodes if isinstance(n, URIRef) and _local(n) is not None})


def _local(node: object) -> str | None:
    """The local name of an ``s3g:`` IRI, else None."""
    if isinstance(node, URIRef) and node.startswith(S3G) and len(node) > len(S3G):
        return str(node)[len(S3G) :]
    return None


class _Reader:
    """Turns the vocabulary's graph into the sections of its documentation."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def vocabulary(self) -> Vocabulary:
        ontology = URIRef(DOCUMENT)
        subjects = _ours(self.graph.subjects())
        placed: set[URIRef] = set()
        sections = []
        for anchor, title, about, types in _KINDS:
            members = [s for s in subjects if s not in placed and self._is_a(s, types)]
            placed.update(members)
            terms = []
            for subject in self._ordered(members):
                concepts = self._concepts(subject, placed) if SKOS.ConceptScheme in types else ()
                terms.append(self.term(subject, concepts))
            sections.append(Section(anchor, title, about, tuple(terms)))
        rest = self._ordered(s for s in subjects if s not in placed)
        other = "Terms of the vocabulary that are none of the above."
        sections.append(Section("section-other", "Other terms", other, tuple(map(self.term, rest))))
        return Vocabulary(
            graph=self.graph,
            title=self._text(ontology, DCTERMS.title) or "s3graph ontology",
            description=self._text(ontology, DCTERMS.description),
            version=self._text(ontology, OWL.versionInfo),
            license=str(self.graph.value(ontology, DCTERMS.license) or ""),
            sections=tuple(s for s in sections if s.terms),
            names=frozenset(name for s in subjects if (name := _local(s))),
        )

    def term(self, subject: URIRef, concepts: tuple[Term, ...] = ()) -> Term:
        g = self.graph
        definition = (
            self._text(subject, SKOS.definition)
            or self._text(subject, RDFS.comment)
            or self._text(subject, DCTERMS.description)
        )
        facts: list[tuple[str, tuple[Link | str, ...]]] = [
            ("Also called", tuple(sorted(self._texts(subject, SKOS.altLabel)))),
            ("Notation", tuple(str(n) for n in g.objects(subject, SKOS.notation))),
            ("Subclass of", self._links(g.objects(subject, RDFS.subClassOf))),
            ("Subclasses", self._links(g.subjects(RDFS.subClassOf, subject))),
            ("Subproperty of", self._links(g.objects(subject, RDFS.subPropertyOf))),
            ("Characteristics", self._characteristics(subject)),
            ("Domain: used on", self._links(g.objects(subject, RDFS.domain))),
            ("Range: its values are", self._links(g.objects(subject, RDFS.range))),
            ("Properties used on it", self._links(g.subjects(RDFS.domain, subject))),
            ("Properties whose values it is", self._links(g.subjects(RDFS.range, subject))),
            ("In scheme", self._links(g.objects(subject, SKOS.inScheme))),
            ("Note", self._texts(subject, RDFS.comment, besides=definition)),
            ("Description", self._texts(subject, DCTERMS.description, besides=definition)),
            ("See also", self._links(g.objects(subject, RDFS.seeAlso))),
        ]
        return Term(
            name=_local(subject) or "",
            iri=str(subject),
            label=self._label(subject),
            definition=definition,
            facts=tuple((heading, values) for heading, values in facts if values),
            concepts=concepts,
        )

    def _concepts(self, scheme: URIRef, placed: set[URIRef]) -> tuple[Term, ...]:
        """The concepts of ``scheme`` not yet shown under another scheme, in order."""
        members = [c for c in _ours(self.graph.subjects(SKOS.inScheme, scheme)) if c not in placed]
        placed.update(members)
        return tuple(self.term(c) for c in self._ordered(members))

    def _ordered(self, subjects: Iterable[URIRef]) -> list[URIRef]:
        """By notation when every one has a numeric notation (the SDG grid's columns), else by
        label."""
        subjects = list(subjects)
        numbers = {s: self.graph.value(s, SKOS.notation) for s in subjects}
        values = {s: n.value for s, n in numbers.items() if isinstance(n, Literal)}
        if subjects and all(isinstance(values.get(s), int) for s in subjects):
            return sorted(subjects, key=lambda s: (values[s], str(s)))
        return sorted(subjects, key=lambda s: (self._label(s).casefold(), str(s)))

    def _is_a(self, subject: URIRef, types: tuple[URIRef, ...]) -> bool:
        return any((subject, RDF.type, t) in self.graph for t in types)

    def _characteristics(self, subject: URIRef) -> tuple[str, ...]:
        said = {
            OWL.FunctionalProperty: "functional: at most one value per thing",
            OWL.SymmetricProperty: "symmetric: holds both ways",
            OWL.TransitiveProperty: "transitive",
            OWL.InverseFunctionalProperty: "inverse functional: a value identifies its thing",
        }
        return tuple(text for kind, text in said.items() if (subject, RDF.type, kind) in self.graph)

    def _links(self, nodes: Iterable[object]) -> tuple[Link, ...]:
        links = {self._link(n) for n in nodes if isinstance(n, URIRef)}
        return tuple(sorted(links, key=lambda link: (link.external, link.text.casefold())))

    def _link(self, node: URIRef) -> Link:
        name = _local(node)
        if name is not None:
            return Link("#" + name, self._label(node), external=False)
        for prefix, namespace in PREFIXES.items():
            if node.startswith(namespace) and len(node) > len(namespace):
                return Link(str(node), f"{prefix}:{node[len(namespace) :]}", external=True)
        return Link(str(node), str(node), external=True)

    def _label(self, subject: URIRef) -> str:
        return (
            self._text(subject, RDFS.label)
            or self._text(subject, SKOS.prefLabel)
            or self._text(subject, DCTERMS.title)
            or _local(subject)
            or str(subject)
        )

    def _texts(self, subject: URIRef, predicate: URIRef, besides: str = "") -> tuple[str, ...]:
        """The texts of ``predicate`` but ``besides`` (shown already): English ones first, then
        untagged, then the rest."""
        values = [o for o in self.graph.objects(subject, predicate) if isinstance(o, Literal)]
        rank = {"en": 0, None: 1}
        values.sort(key=lambda o: (rank.get(o.language, 2), str(o)))
        return tuple(str(o) for o in values if str(o) != besides)

    def _text(self, subject: URIRef, predicate: URIRef) -> str:
        texts = self._texts(subject, predicate)
        return texts[0] if texts else ""


# -- the route -----------------------------------------------------------------------------------


@router.get("/def", include_in_schema=False)
def document(request: Request) -> Response:
    """The vocabulary in the representation ``Accept`` prefers."""
    return _answer(request, negotiate(request.headers.get("accept"), _OFFERED))


@router.get("/def.{suffix}", include_in_schema=False)
def document_as(request: Request, suffix: str) -> Response:
    """The vocabulary in the representation its suffix names (``/def.ttl``): beats ``Accept``."""
    media = _BY_SUFFIX.get("." + suffix)
    if media is None:
        return not_found(request, _shown(f"{DOCUMENT}.{suffix}"))
    return _answer(request, media)


def _answer(request: Request, media: str | None) -> Response:
    if media is None:
        offered = ", ".join(_OFFERED)
        detail = f"<{DOCUMENT}> is served as {offered}"
        return JSONResponse({"error": "not acceptable", "detail": detail}, status_code=406)
    if media != HTML:
        return Response(serialised(media), media_type=media, headers={"Vary": "Accept"})
    alternates = {suffix: FORMATS[m].label for suffix, m in _BY_SUFFIX.items() if m != HTML}
    return render(
        request, "def.html", v=vocabulary(), document=DOCUMENT, prefix="s3g", namespace=str(S3G),
        alternates=alternates,
    )  # fmt: skip
