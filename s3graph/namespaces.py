"""The namespaces of :mod:`s3graph.rdf.namespaces`, under the name older modules import.

Kept so the mapping, vocabularies and command line need not change their imports at once; new
code imports :mod:`s3graph.rdf.namespaces`.
"""

from s3graph.rdf.namespaces import (
    DCAT,
    DCTERMS,
    DEFAULT_BASE,
    FOAF,
    NUTS_CODE,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    S3G,
    SCHEMA,
    SDG,
    SKOS,
    SPDX,
    TIME,
    XSD,
    Terms,
)

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
    "Terms",
]
