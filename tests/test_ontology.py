"""The ontology: well-formed, documented, and covering every s3g term the mapping uses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib.namespace
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from reports_fixture import mining_report, small_report

import s3graph
from s3graph import namespaces as ns
from s3graph.mapping import to_graph
from s3graph.model import SDG_RATINGS
from s3graph.parse.form import QUESTIONS

ONTOLOGY_PATH = Path(__file__).resolve().parent.parent / "ontology" / "s3graph.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/s3graph/def")

#: Reused vocabularies whose term lists rdflib ships (attribute names in ``rdflib.namespace``).
CLOSED_NAMESPACES = (
    "DCAT",
    "DCTERMS",
    "FOAF",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "TIME",
    "VANN",
    "XSD",
)
#: The SPDX terms we use (rdflib has no list of them), checked by hand against the SPDX 2.3 model.
SPDX_TERMS = frozenset(
    {"Checksum", "checksum", "algorithm", "checksumAlgorithm_sha256", "checksumValue"}
)
#: Properties whose objects are terms of a vocabulary.
TERM_POSITIONS = frozenset(
    {
        ns.RDF.type,
        ns.RDFS.subClassOf,
        ns.RDFS.subPropertyOf,
        ns.RDFS.domain,
        ns.RDFS.range,
        ns.ORG.role,
        ns.S3G.rating,
        ns.S3G.question,
        ns.SPDX.algorithm,
    }
)


def closed_namespaces() -> dict[str, Any]:
    """Official namespace IRI -> rdflib's closed namespace listing its terms."""
    found = {}
    for name in CLOSED_NAMESPACES:
        namespace = getattr(rdflib.namespace, name)
        found[str(namespace)] = namespace
    assert str(ns.SCHEMA) in found  # schema.org in its https form, as rdflib's SDO
    return found


def vocabulary_terms(graph: Graph) -> set[URIRef]:
    """The IRIs of a graph used as vocabulary: predicates, classes, roles, ranges, ..."""
    terms = {p for p in graph.predicates() if isinstance(p, URIRef)}
    terms |= {o for p in TERM_POSITIONS for o in graph.objects(None, p) if isinstance(o, URIRef)}
    return terms


def vocabulary_problems(graph: Graph) -> list[str]:
    """Vocabulary terms outside our namespace that are not terms of an official namespace."""
    closed = closed_namespaces()
    problems = []
    for term in vocabulary_terms(graph):
        iri = str(term)
        if iri.startswith(str(ns.S3G)):
            continue
        if iri.startswith(str(ns.SPDX)):
            if iri.removeprefix(str(ns.SPDX)) not in SPDX_TERMS:
                problems.append(f"{iri}: not an SPDX term we checked")
            continue
        namespace = next((n for n in closed if iri.startswith(n)), None)
        if namespace is None:
            problems.append(f"{iri}: not in a reused vocabulary's official namespace")
        elif term not in closed[namespace]:
            problems.append(f"{iri}: not a term of {namespace}")
    return problems


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def mapped() -> list[Graph]:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    return [to_graph(report, ingested_at=when) for report in (small_report(), mining_report())]


def s3g_terms(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(ns.S3G))
    }


def declared(ontology: Graph) -> set[URIRef]:
    ours = s3g_terms(ontology)
    return {s for s in ontology.subjects(ns.RDF.type, None) if isinstance(s, URIRef) and s in ours}


def test_ontology_parses_with_rdflib_and_oxigraph(ontology: Graph) -> None:
    quads = list(pyoxigraph.parse(path=str(ONTOLOGY_PATH), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(ontology) > 100


def test_ontology_header(ontology: Graph) -> None:
    o = ONTOLOGY_IRI
    assert (o, ns.RDF.type, ns.OWL.Ontology) in ontology
    assert ontology.value(o, ns.DCTERMS.title) is not None
    assert ontology.value(o, ns.DCTERMS.description) is not None
    assert ontology.value(o, ns.OWL.versionInfo) == Literal(s3graph.__version__)
    assert ontology.value(o, ns.DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(o, ns.DCTERMS.creator) == Literal("s3graph developers")


def test_every_declared_term_has_an_english_label_and_definition(ontology: Graph) -> None:
    terms = declared(ontology)
    assert len(terms) > 60
    for term in terms:
        labels = [x for x in ontology.objects(term, ns.RDFS.label) if isinstance(x, Literal)]
        definitions = [
            x for x in ontology.objects(term, ns.SKOS.definition) if isinstance(x, Literal)
        ]
        assert [x.language for x in labels] == ["en"], f"{term}: rdfs:label"
        assert len(definitions) == 1, f"{term}: skos:definition"
        assert definitions[0].language == "en" and len(definitions[0]) > 20, term


def test_every_term_used_is_declared(ontology: Graph) -> None:
    assert s3g_terms(ontology) <= declared(ontology)


def test_every_s3g_term_of_the_mapping_is_declared(ontology: Graph, mapped: list[Graph]) -> None:
    for graph in mapped:
        undeclared = s3g_terms(graph) - declared(ontology)
        assert not undeclared, f"not in the ontology: {sorted(undeclared)}"


def test_properties_are_used_as_declared(ontology: Graph, mapped: list[Graph]) -> None:
    for graph in mapped:
        for s, p, o in graph:
            if (p, ns.RDF.type, ns.OWL.DatatypeProperty) in ontology:
                assert isinstance(o, Literal), (s, p, o)
            if (p, ns.RDF.type, ns.OWL.ObjectProperty) in ontology:
                assert isinstance(o, URIRef), (s, p, o)
            domain = ontology.value(p, ns.RDFS.domain)
            if domain is not None and str(p).startswith(str(ns.S3G)):
                assert domain in types_with_superclasses(graph, ontology, s), (s, p, domain)


def types_with_superclasses(graph: Graph, ontology: Graph, subject: Node) -> set[Node]:
    found = set(graph.objects(subject, ns.RDF.type))
    todo = list(found)
    while todo:
        for parent in ontology.objects(todo.pop(), ns.RDFS.subClassOf):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def test_reused_terms_exist_in_their_official_namespaces(
    ontology: Graph, mapped: list[Graph]
) -> None:
    for graph in (ontology, *mapped):
        problems = vocabulary_problems(graph)
        assert not problems, "\n".join(problems)


def test_vocabulary_check_catches_wrong_namespaces_and_typos() -> None:
    wrong = Graph()
    subject = URIRef("https://w3id.org/s3graph/x")
    wrong.add((subject, URIRef("http://purl.org/dc/elements/1.1/title"), Literal("old DC")))
    wrong.add((subject, URIRef("http://www.w3.org/ns/prov#startedAt"), Literal("typo")))
    wrong.add((subject, URIRef("http://schema.org/name"), Literal("http schema.org")))
    wrong.add((subject, ns.SPDX.algorithm, ns.SPDX.checksumAlgorithm_sha3))
    assert len(vocabulary_problems(wrong)) == 4


def test_partnership_specialises_the_org_collaboration(ontology: Graph) -> None:
    assert (ns.S3G.Partnership, ns.RDFS.subClassOf, ns.ORG.OrganizationalCollaboration) in ontology
    assert (ns.S3G.MonitoringReport, ns.RDFS.subClassOf, ns.PROV.Entity) in ontology
    assert (ns.S3G.nutsRegion, ns.RDFS.subPropertyOf, ns.DCTERMS.spatial) in ontology


def test_roles_are_org_roles_in_the_role_scheme(ontology: Graph) -> None:
    for name in ("leading", "participating", "interested"):
        role = ns.S3G[name]
        assert (role, ns.RDF.type, ns.SKOS.Concept) in ontology
        assert (role, ns.RDF.type, ns.ORG.Role) in ontology
        assert (role, ns.SKOS.inScheme, ns.S3G.RoleScheme) in ontology


def test_sdg_ratings_follow_the_form_columns(ontology: Graph) -> None:
    concepts = sorted(
        ontology.subjects(ns.SKOS.inScheme, ns.S3G.SdgRatingScheme),
        key=lambda c: int(str(ontology.value(c, ns.SKOS.notation))),
    )
    assert [str(ontology.value(c, ns.SKOS.prefLabel)) for c in concepts] == list(SDG_RATINGS)
    notations = [ontology.value(c, ns.SKOS.notation) for c in concepts]
    assert notations == [Literal(n) for n in range(1, 7)]
    assert [str(c).removeprefix(str(ns.S3G)) for c in concepts] == [
        "strongly-agree",
        "agree",
        "neutral",
        "disagree",
        "strongly-disagree",
        "not-applicable",
    ]


def test_one_question_concept_per_form_question(ontology: Graph) -> None:
    concepts = set(ontology.subjects(ns.SKOS.inScheme, ns.S3G.FormQuestionScheme))
    assert concepts == {ns.S3G[f"question-{q.key}"] for q in QUESTIONS}
    for question in QUESTIONS:
        concept = ns.S3G[f"question-{question.key}"]
        assert str(ontology.value(concept, ns.SKOS.prefLabel)) == question.label
        assert (concept, ns.RDF.type, ns.SKOS.Concept) in ontology
