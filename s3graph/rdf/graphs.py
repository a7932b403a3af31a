"""Named graphs, the N-Triples lines the store writes of them, and the Update replacing them.

Pure text work, apart from pyoxigraph's term syntax: an rdflib graph (or anything with an
``identifier`` and rdflib triples, like :class:`s3graph.mapping.NamedTriples`) becomes a
:class:`SerialisedGraph` of distinct lines, written by pyoxigraph so that they are valid inside
``INSERT DATA``/``DELETE DATA``; :func:`replace_update` turns graphs and their current lines into
one update request. :data:`Term` is what a pyoxigraph query binds a variable to.

The mapping makes :class:`NamedGraph` values and the store writes them: both build on this
module, neither on the other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

__all__ = [
    "NamedGraph",
    "SerialisedGraph",
    "Term",
    "check_distinct",
    "insert_nquads",
    "replace_update",
    "serialise",
    "to_oxigraph",
]

#: A pyoxigraph RDF term, as query solutions bind them.
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class NamedGraph(Protocol):
    """A named graph of rdflib terms: an rdflib Graph, or :class:`s3graph.mapping.NamedTriples`."""

    @property
    def identifier(self) -> Node: ...

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]: ...


@dataclass(frozen=True, slots=True)
class SerialisedGraph:
    """A named graph as N-Triples: ``name`` is ``<iri>``, ``lines`` are distinct ``s p o .\\n``.

    Terms are written by pyoxigraph, so the lines are valid inside a SPARQL ``INSERT DATA``; make
    one with :func:`serialise`.
    """

    name: str
    lines: tuple[str, ...]

    @property
    def iri(self) -> str:
        return self.name[1:-1]

    def __len__(self) -> int:
        return len(self.lines)


def serialise(graph: NamedGraph | SerialisedGraph) -> SerialisedGraph:
    """``graph`` as N-Triples lines written by pyoxigraph, each distinct triple once.

    Raises :class:`ValueError` for a graph not named by an IRI and for a blank node (see
    :func:`to_oxigraph`). IRIs are converted once and remembered, since a report repeats a few
    dozen of them hundreds of times.
    """
    if isinstance(graph, SerialisedGraph):
        return graph
    name = _graph_name(graph)
    iris = _IRI_CACHE if len(_IRI_CACHE) < _IRI_CACHE_SIZE else {}
    lines: dict[str, None] = {}
    for s, p, o in graph:
        line = f"{_nt(s, iris)} {_nt(p, iris)} {_nt(o, iris)} .\n"
        lines[line] = None
    return SerialisedGraph(name, tuple(lines))


#: N-Triples form of IRIs already checked by pyoxigraph, shared by all calls (bounded).
_IRI_CACHE: dict[str, str] = {}
_IRI_CACHE_SIZE = 200_000


def _nt(term: Node, iris: dict[str, str]) -> str:
    if type(term) is URIRef:
        text = iris.get(term)
        if text is None:
            text = iris[term] = str(ox.NamedNode(str(term)))
        return text
    return str(to_oxigraph(term))


def replace_update(
    graphs: Sequence[SerialisedGraph], old: Mapping[str, Collection[str]] | None = None
) -> str:
    """The SPARQL Update request that replaces every graph of ``graphs`` in one transaction.

    ``old`` maps the name (``<iri>``) of each graph already in the store to its current lines;
    graphs not in it are new. The request drops the graphs that become empty, then deletes the
    lines that went away (one ``DELETE DATA``), then inserts the new lines (one ``INSERT DATA``).
    It is empty when nothing changes.
    """
    old = old or {}
    check_distinct(graphs)
    drops: list[str] = []
    deletes: list[str] = []
    inserts: list[str] = []
    for graph in graphs:
        before = old.get(graph.name)
        if not graph.lines:
            drops.append(f"DROP SILENT GRAPH {graph.name}")
            continue
        added: Iterable[str] = graph.lines
        if before:
            added = [line for line in graph.lines if line not in before]
            now = set(graph.lines)
            removed = [line for line in before if line not in now]
            if removed:
                deletes.append(f"GRAPH {graph.name} {{\n{''.join(removed)}}}")
        if added:
            inserts.append(f"GRAPH {graph.name} {{\n{''.join(added)}}}")
    parts = drops
    if deletes:
        parts.append("\n".join(["DELETE DATA {", *deletes, "}"]))
    if inserts:
        parts.append("\n".join(["INSERT DATA {", *inserts, "}"]))
    return " ;\n".join(parts)


def insert_nquads(graphs: Sequence[SerialisedGraph]) -> str:
    """Every line of ``graphs`` as N-Quads, for a transactional ``Store.load`` of new graphs."""
    return "".join(f"{line[:-2]}{graph.name} .\n" for graph in graphs for line in graph.lines)


def check_distinct(graphs: Sequence[SerialisedGraph]) -> None:
    names = [graph.name for graph in graphs]
    if len(set(names)) != len(names):
        duplicates = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"several graphs named {', '.join(duplicates)}: give each graph once")


def _graph_name(graph: NamedGraph) -> str:
    identifier = graph.identifier
    if not isinstance(identifier, URIRef):
        raise ValueError(f"a graph must be named by an IRI to be stored, not {identifier!r}")
    return str(to_oxigraph(identifier))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.Literal:
    """The pyoxigraph term of an rdflib IRI or literal.

    Raises :class:`ValueError` for a blank node (the graph must be skolemised: every resource of
    a report has an IRI) or anything else, and for an IRI or literal pyoxigraph finds invalid.
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        raise ValueError(f"blank node {term.n3()} cannot be stored: give every resource an IRI")
    raise ValueError(f"cannot store {term!r}: only IRIs and literals are supported")
