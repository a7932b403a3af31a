"""RDF namespaces used by s3graph, and the prefixes used when serialising or querying.

Only namespaces live here: the terms of our own vocabulary are declared in ``ontology/s3graph.ttl``
and data IRIs are minted by :mod:`s3graph.mapping.iris`.
"""

from __future__ import annotations

from typing import Any

from rdflib import Namespace, URIRef
from rdflib import namespace as _rdflib


class Terms(str):
    """A namespace whose terms are made once and then reused.

    rdflib builds (and validates) a new ``URIRef`` on every ``NS.term`` access; mapping a report
    asks for the same few dozen terms thousands of times, so each is kept after its first use.
    The source namespace still decides what a term is: rdflib's closed vocabularies (RDF, PROV,
    DCTERMS, ...) keep refusing or warning about terms they do not define.
    """

    _source: Any
    _terms: dict[str, URIRef]

    def __new__(cls, source: Any) -> Terms:
        made = super().__new__(cls, str(source))
        made._source = source
        made._terms = {}
        return made

    def __getitem__(self, name: str) -> URIRef:  # type: ignore[override]
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = URIRef(self._source[name])
        return term

    def __getattr__(self, name: str) -> URIRef:
        """``NS.name``: made once, then kept as an attribute so later lookups are plain."""
        if name.startswith("_"):
            raise AttributeError(name)
        term = self.__dict__[name] = self[name]
        return term

    # Terms that are also names of str methods (as rdflib's own Namespace does).
    @property
    def title(self) -> URIRef:  # type: ignore[override]
        return self["title"]

    @property
    def format(self) -> URIRef:  # type: ignore[override]
        return self["format"]


DCAT = Terms(_rdflib.DCAT)
DCTERMS = Terms(_rdflib.DCTERMS)
FOAF = Terms(_rdflib.FOAF)
OWL = Terms(_rdflib.OWL)
PROV = Terms(_rdflib.PROV)
RDF = Terms(_rdflib.RDF)
RDFS = Terms(_rdflib.RDFS)
SKOS = Terms(_rdflib.SKOS)
TIME = Terms(_rdflib.TIME)
XSD = Terms(_rdflib.XSD)

#: Default base of the data IRIs (partnerships, reports, periods, regions, ...).
DEFAULT_BASE = "https://w3id.org/s3graph/"

#: The s3graph ontology (classes, properties and concept schemes).
S3G = Terms(Namespace("https://w3id.org/s3graph/def#"))
#: W3C Organization Ontology.
ORG = Terms(Namespace("http://www.w3.org/ns/org#"))
#: schema.org, in its https form.
SCHEMA = Terms(Namespace("https://schema.org/"))
#: SPDX 2.x RDF terms (checksums).
SPDX = Terms(Namespace("http://spdx.org/rdf/terms#"))
#: Eurostat NUTS codes as published by the EU Publications Office.
NUTS_CODE = Terms(Namespace("http://data.europa.eu/nuts/code/"))
#: UN Sustainable Development Goals (goal ``n`` is ``SDG[str(n)]``).
SDG = Terms(Namespace("http://metadata.un.org/sdg/"))

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
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
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
