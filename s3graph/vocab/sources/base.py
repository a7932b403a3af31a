"""The base vocabularies every store holds: the offline SDG goals and the partnership registry.

Written by ``ingest`` beside the reports (:func:`base_vocabulary_graphs`) or on their own
(:func:`ensure_base_vocabularies`); the store takes no blank node, so graphs read from files are
:func:`skolemised` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from s3graph.vocab import sdg
from s3graph.vocab.registry import registry_text
from s3graph.vocab.sources.stored import REGISTRY_GRAPH, GraphSummary, describe_graph

if TYPE_CHECKING:
    from s3graph.store import GraphStore

_SKOLEM_BASE = "https://w3id.org/s3graph/.well-known/genid/"


def ensure_base_vocabularies(store: GraphStore) -> list[GraphSummary]:
    """Write the offline SDG goals and the partnership registry when they are not in the store.

    Idempotent: the SDG graph is written only when absent (a UN SDG KOS loaded before is kept);
    the registry graph is written when absent or different from the packaged file. Returns the
    graphs written (empty when nothing had to change).
    """
    graphs = base_vocabulary_graphs(store)
    store.replace_graphs(graphs)
    return [
        GraphSummary(str(g.identifier), len(g), describe_graph(str(g.identifier))) for g in graphs
    ]


def base_vocabulary_graphs(store: GraphStore) -> list[Graph]:
    """The graphs :func:`ensure_base_vocabularies` would write, for a caller that writes them in
    its own write (``ingest``: reports and base vocabularies all at once)."""
    present = set(store.graphs())
    graphs: list[Graph] = []
    if str(sdg.SDG_SCHEME) not in present:
        graphs.append(sdg.sdg_graph())
    registry = registry_graph()
    if str(REGISTRY_GRAPH) not in present or store.graph_size(str(REGISTRY_GRAPH)) != len(registry):
        graphs.append(registry)
    return graphs


def registry_graph() -> Graph:
    """The partnership registry (``partnerships.ttl``) as the graph :data:`REGISTRY_GRAPH`."""
    graph = Graph(identifier=REGISTRY_GRAPH)
    graph.parse(data=registry_text(), format="turtle")
    return skolemised(graph)


def skolemised(graph: Graph) -> Graph:
    """``graph`` with every blank node replaced by a stable IRI (the store takes no blank node)."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    out = Graph(identifier=graph.identifier)
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)

    def iri(term: Node) -> Node:
        return URIRef(_SKOLEM_BASE + str(term)) if isinstance(term, BNode) else term

    for s, p, o in graph:
        out.add((iri(s), p, iri(o)))
    return out
