"""RDF namespaces, each written once, usable from rdflib and pyoxigraph alike.

A namespace is a :class:`Terms`: the IRI itself (a ``str``), whose ``NS.name`` or ``NS["name"]``
is the rdflib ``URIRef`` of a local name (made once), ``NS.iri(name)`` its IRI as a string and
``NS.node(name)`` its pyoxigraph ``NamedNode``. :data:`PREFIXES` is the one prefix table, bound
in Turtle output, SPARQL ``PREFIX`` lines and the JSON-LD context.

Only namespaces live here: the terms of our own vocabulary are declared in
``ontology/s3graph.ttl`` and data IRIs are minted by :mod:`s3graph.mapping.iris`.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib import namespace as _rdflib

__all__ = [
    "CSVW",
    "DCAT",
    "DCATAP",
    "DCTERMS",
    "DEFAULT_BASE",
    "FILE_TYPE",
    "FOAF",
    "IANA_MEDIA_TYPES",
    "NUTS",
    "NUTS_CODE",
    "ORG",
    "OWL",
    "PLANNED_AVAILABILITY",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "S3G",
    "SCHEMA",
    "SDG",
    "SDG_KOS",
    "SH",
    "SKOS",
    "SPDX",
    "TIME",
    "VCARD",
    "VOID",
    "XSD",
    "Terms",
    "bind_prefixes",
]


class Terms(str):
    """A namespace: its IRI, and the terms of its local names, each made once and then reused.

    rdflib builds (and validates) a new ``URIRef`` on every ``NS.term`` access; mapping a report
    asks for the same few dozen terms thousands of times, so each is kept after its first use.
    The source namespace still decides what a term is: rdflib's closed vocabularies (RDF, PROV,
    DCTERMS, ...) keep refusing or warning about terms they do not define. ``source`` is an
    rdflib namespace or the IRI as a string.
    """

    _source: Any
    _terms: dict[str, URIRef]
    _nodes: dict[str, ox.NamedNode]

    def __new__(cls, source: Any) -> Terms:
        made = super().__new__(cls, str(source))
        made._source = Namespace(source) if isinstance(source, str) else source
        made._terms = {}
        made._nodes = {}
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

    def iri(self, name: str) -> str:
        """The IRI of the local name ``name``, as a plain string (for text and dict keys)."""
        return str.__add__(self, name)

    def node(self, name: str) -> ox.NamedNode:
        """The pyoxigraph ``NamedNode`` of the local name ``name`` (made once)."""
        node = self._nodes.get(name)
        if node is None:
            node = self._nodes[name] = ox.NamedNode(self.iri(name))
        return node

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
S3G = Terms("https://w3id.org/s3graph/def#")
#: W3C Organization Ontology.
ORG = Terms("http://www.w3.org/ns/org#")
#: schema.org, in its https form.
SCHEMA = Terms("https://schema.org/")
#: SPDX 2.x RDF terms (checksums).
SPDX = Terms("http://spdx.org/rdf/terms#")
#: Eurostat NUTS as published by the EU Publications Office (``NUTS.iri("code/BE1")``).
NUTS = Terms("http://data.europa.eu/nuts/")
#: Eurostat NUTS codes as published by the EU Publications Office.
NUTS_CODE = Terms(NUTS.iri("code/"))
#: UN Sustainable Development Goals (goal ``n`` is ``SDG[str(n)]``).
SDG = Terms("http://metadata.un.org/sdg/")
#: The UN SDG knowledge organisation system itself (the scheme, and its graph's name).
SDG_KOS = SDG.rstrip("/")
#: SHACL.
SH = Terms("http://www.w3.org/ns/shacl#")
#: VoID, the Vocabulary of Interlinked Datasets.
VOID = Terms("http://rdfs.org/ns/void#")
#: CSV on the Web (the JSON-LD context of CSVW metadata is this IRI without ``#``).
CSVW = Terms("http://www.w3.org/ns/csvw#")
#: The EU authority table of file types (``FILE_TYPE.iri("RDF_TURTLE")``).
FILE_TYPE = Terms("http://publications.europa.eu/resource/authority/file-type/")
#: IANA's registry of media types (``IANA_MEDIA_TYPES.iri("text/turtle")``).
IANA_MEDIA_TYPES = Terms("https://www.iana.org/assignments/media-types/")
#: vCard in RDF (the contact point of the export's description).
VCARD = Terms("http://www.w3.org/2006/vcard/ns#")
#: DCAT-AP's own terms (``DCATAP.iri("availability")``).
DCATAP = Terms("http://data.europa.eu/r5r/")
#: The EU authority table of planned availability (``PLANNED_AVAILABILITY.iri("STABLE")``).
PLANNED_AVAILABILITY = Terms(
    "http://publications.europa.eu/resource/authority/planned-availability/"
)

#: Prefix -> namespace IRI, for Turtle output, SPARQL ``PREFIX`` lines and JSON-LD contexts.
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
    "sh": str(SH),
    "void": str(VOID),
}


def bind_prefixes(graph: Any, *, override: bool = True) -> None:
    """Bind every prefix of :data:`PREFIXES` in the rdflib ``graph`` (for Turtle output)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=override, replace=override)
