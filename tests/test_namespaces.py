"""The project's namespaces make each term once and still follow rdflib's vocabularies."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib import namespace as rdflib_namespace

from s3graph.namespaces import DCTERMS, RDF, S3G, Terms


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
