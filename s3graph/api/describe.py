"""The SPARQL 1.1 Service Description of ``/sparql`` and the VoID description of the data."""

from __future__ import annotations

import pyoxigraph as ox

from s3graph.store import GraphStore

_PREFIXES = """\
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

_SERVICE = """\
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query{update_language} ;
    sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
    sd:resultFormat
        <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,
        <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,
        <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>,
        <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/JSON-LD>,
        <http://www.w3.org/ns/formats/RDF_XML> ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; dcterms:description "the union of the named graphs" ]
    ] .
"""

_VOID = """\
<{dataset}> a void:Dataset ;
    dcterms:title "s3graph: EU S3 partnership reports" ;
    void:sparqlEndpoint <{endpoint}> ;
    void:uriSpace "{base}" ;
    void:triples "{triples}"^^xsd:integer ;
    void:entities "{graphs}"^^xsd:integer .
"""


def service_description(endpoint: str, *, updates: bool) -> list[ox.Triple]:
    """The triples describing the SPARQL service at ``endpoint``."""
    update_language = ", sd:SPARQL11Update" if updates else ""
    text = _PREFIXES + _SERVICE.format(endpoint=endpoint, update_language=update_language)
    return list(ox.parse(text, format=ox.RdfFormat.TURTLE))


def void_description(
    store: GraphStore, *, dataset: str, endpoint: str, base: str
) -> list[ox.Triple]:
    """The VoID triples of the store: size, endpoint and IRI space."""
    text = _PREFIXES + _VOID.format(
        dataset=dataset,
        endpoint=endpoint,
        base=base.replace("\\", "\\\\").replace('"', '\\"'),
        triples=store.count(),
        graphs=store.graph_count(),
    )
    return list(ox.parse(text, format=ox.RdfFormat.TURTLE))
