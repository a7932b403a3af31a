"""The SPARQL 1.1 Service Description of ``/sparql`` and the VoID description of the data.

Both are Turtle files beside this module (``descriptions/*.ttl``) in which ``urn:s3graph:*``
IRIs stand for the URLs the server is reached at; they are put in as terms, not as text, so no
URL can change the description's shape.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar, cast

import pyoxigraph as ox

from s3graph.store import GraphStore

_T = TypeVar("_T")
_HERE = Path(__file__).parent / "descriptions"
_ENDPOINT = ox.NamedNode("urn:s3graph:endpoint")
_DATASET = ox.NamedNode("urn:s3graph:dataset")
_SD_UPDATE = ox.NamedNode("http://www.w3.org/ns/sparql-service-description#SPARQL11Update")
_VOID = "http://rdfs.org/ns/void#"
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@cache
def _template(name: str) -> tuple[ox.Triple, ...]:
    return tuple(ox.parse(path=_HERE / name, format=ox.RdfFormat.TURTLE))


def _filled(name: str, places: dict[ox.NamedNode, ox.NamedNode]) -> list[ox.Triple]:
    def put(term: _T) -> _T:
        return cast(_T, places.get(term, term)) if isinstance(term, ox.NamedNode) else term

    return [ox.Triple(put(t.subject), put(t.predicate), put(t.object)) for t in _template(name)]


def service_description(endpoint: str, *, updates: bool) -> list[ox.Triple]:
    """The triples describing the SPARQL service at ``endpoint``."""
    found = _filled("service.ttl", {_ENDPOINT: ox.NamedNode(endpoint)})
    return found if updates else [t for t in found if t.object != _SD_UPDATE]


def void_description(
    store: GraphStore, *, dataset: str, endpoint: str, base: str
) -> list[ox.Triple]:
    """The VoID triples of the store: size, endpoint and IRI space."""
    subject = ox.NamedNode(dataset)
    places = {_DATASET: subject, _ENDPOINT: ox.NamedNode(endpoint)}
    counts = {"triples": store.count(), "entities": store.graph_count()}
    return [
        *_filled("void.ttl", places),
        ox.Triple(subject, ox.NamedNode(_VOID + "uriSpace"), ox.Literal(base)),
        *(
            ox.Triple(subject, ox.NamedNode(_VOID + k), ox.Literal(str(n), datatype=_XSD_INTEGER))
            for k, n in counts.items()
        ),
    ]
