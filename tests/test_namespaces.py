"""The project's namespaces make each term once and still follow rdflib's vocabularies."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib import namespace as rdflib_namespace

from s3graph.rdf.namespaces import DCTERMS, RDF, S3G, Terms


def test_terms_are_the_iris_rdflib_gives() -> None:
    assert DCTERMS.title == URIRef("http://purl.org/dc/terms/title")
    assert DCTERMS.format == rdflib_namespace.DCTERMS.format  # names of str methods too
    assert S3G["strongly-agree"] == URIRef("https://w3id.org/s3graph/def#strongly-agree")
    assert str(RDF) == str(rdflib_namespace.RDF)


def test_a_term_is_made_once() -> None:
    ns = Terms(rdflib_namespace.Namespace("http://example.org/ns#"))
    first = ns.thing
    assert ns.thing is first and ns["thing"] is first
    assert isinstance(first, URIRef)


def test_closed_vocabularies_still_refuse_unknown_terms() -> None:
    with pytest.raises(AttributeError):
        _ = RDF.notATermOfRdf


def test_a_namespace_gives_strings_and_pyoxigraph_nodes() -> None:
    import pyoxigraph as ox

    assert S3G.iri("Partnership") == "https://w3id.org/s3graph/def#Partnership"
    assert type(S3G.iri("Partnership")) is str
    assert S3G.node("Partnership") == ox.NamedNode(str(S3G.Partnership))
    assert S3G.node("Partnership") is S3G.node("Partnership")


def test_the_old_module_is_the_same_namespaces() -> None:
    from s3graph import namespaces as old
    from s3graph.rdf import namespaces as new

    assert old.S3G is new.S3G and old.PREFIXES is new.PREFIXES
