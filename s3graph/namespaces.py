"""RDF namespaces used by s3graph, and the prefixes used when serialising or querying.

Only namespaces live here: the terms of our own vocabulary are declared in ``ontology/s3graph.ttl``
and data IRIs are minted by :mod:`s3graph.mapping.iris`.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

#: Default base of the data IRIs (partnerships, reports, periods, regions, ...).
DEFAULT_BASE = "https://w3id.org/s3graph/"

#: The s3graph ontology (classes, properties and concept schemes).
S3G = Namespace("https://w3id.org/s3graph/def#")
#: W3C Organization Ontology.
ORG = Namespace("http://www.w3.org/ns/org#")
#: schema.org, in its https form.
SCHEMA = Namespace("https://schema.org/")
#: SPDX 2.x RDF terms (checksums).
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: Eurostat NUTS codes as published by the EU Publications Office.
NUTS_CODE = Namespace("http://data.europa.eu/nuts/code/")
#: UN Sustainable Development Goals (goal ``n`` is ``SDG[str(n)]``).
SDG = Namespace("http://metadata.un.org/sdg/")

#: Prefix -> namespace IRI, for Turtle output and SPARQL ``PREFIX`` lines.
PREFIXES: dict[str, str] = {
    "s3g": str(S3G),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "spdx": str(SPDX),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "time": str(TIME),
    "foaf": str(FOAF),
    "nuts": str(NUTS_CODE),
    "sdg": str(SDG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

__all__ = [
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "FOAF",
    "NUTS_CODE",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "S3G",
    "SCHEMA",
    "SDG",
    "SKOS",
    "SPDX",
    "TIME",
    "XSD",
]
