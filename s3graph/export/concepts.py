"""The ontology's own concept schemes, for the dumps.

The reports use codes of schemes that the ontology defines (membership roles, SDG contribution
ratings, questions of the form): ``s3g:leading``, ``s3g:agree``, ``s3g:question-outreach``...
The store does not hold the ontology, so a portal reading only the dumps would find codes without
labels. The export therefore adds every ``skos:ConceptScheme`` and ``skos:Concept`` of
``ontology/*.ttl``, with all their statements (labels, notations, definitions, scheme links), as
the named graph :data:`CONCEPTS_GRAPH` of the N-Quads and into the union. A store that holds a
graph of that name already (should ingestion one day write it) is exported as it is instead.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from s3graph.rdf.namespaces import RDF, SKOS
from s3graph.resources import resource_dir

__all__ = ["CONCEPTS_GRAPH", "concept_lines"]

#: The named graph of the ontology's concept schemes in the N-Quads dump.
CONCEPTS_GRAPH = "https://w3id.org/s3graph/def/concepts"

_TYPE = ox.NamedNode(RDF.iri("type"))
_CONCEPT_TYPES = frozenset(ox.NamedNode(SKOS.iri(name)) for name in ("Concept", "ConceptScheme"))


@cache
def concept_lines() -> tuple[bytes, ...]:
    """The schemes and concepts of ``ontology/*.ttl`` as sorted, unique N-Triples lines."""
    triples: list[ox.Triple] = []
    for path in sorted(resource_dir("ontology").glob("*.ttl")):
        triples += ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    concepts = {t.subject for t in triples if t.predicate == _TYPE and t.object in _CONCEPT_TYPES}
    kept = [t for t in triples if t.subject in concepts]
    text = ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(text, bytes)
    return tuple(sorted(set(text.splitlines(keepends=True))))
