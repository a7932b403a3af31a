"""Writes that stay whole on a SPARQL server, though the protocol has no transaction spanning
requests (:meth:`s3graph.remote.RemoteStore.replace_graphs`):

1. the current triples of every graph to replace are read first, so that graphs that did not
   change are not written and a failed write can be undone;
2. each graph is then replaced by ONE request, which the server applies as one transaction: a
   reader sees the graph before or after, never half of it. Graphs with triples go first and
   graphs that become empty are dropped last, so a report never loses its vocabulary or
   validation graph before it is replaced;
3. the server is asked afterwards how many triples each graph holds; a difference is an error;
4. should a request fail (server down, too slow, write refused), the graphs already replaced get
   their old triples back before the :class:`~s3graph.errors.StoreError` is raised, so the
   server holds what it held before.

The one request is a SPARQL Update (:func:`graph_update`: the lines that went away deleted, the
new ones inserted), or where the preset says so a Graph Store Protocol ``PUT`` of the whole
graph (:attr:`~s3graph.remote.presets.Preset.put_graphs`; no preset does today: the measurements
are at :data:`~s3graph.remote.presets.PRESETS`).

Virtuoso commits a request's work so far whenever it first meets an IRI or literal its
dictionaries do not hold yet (a reader on another connection then saw a replaced report with
none of its old triples and 2,527 of its 3,000 new ones). So on Virtuoso
(:attr:`~s3graph.remote.presets.Preset.new_terms_first`) a request before the write makes the new
terms known (:func:`terms_update`): the graph to replace is untouched by it, and the write that
follows meets no new term and is applied whole. Measured with a reader polling during
replacements of 3,000 triples by 3,000 new ones: 9 half states in 300 replacements without the
first request, none in 200 with it; the reader test looped 35 times (4 such replacements each),
none, where 1 run in 7 had failed before.

The updates that carry data are written here from the triples (N-Triples lines): they are data,
not fixed queries, so they are not in ``queries/``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from s3graph.errors import StoreError
from s3graph.rdf.graphs import NamedGraph, SerialisedGraph, check_distinct, serialise
from s3graph.remote.client import QueryRejected

if TYPE_CHECKING:
    from s3graph.remote.store import RemoteStore

__all__ = [
    "TERMS_GRAPH",
    "graph_update",
    "load_update",
    "replace_graphs",
    "terms_update",
    "write_graph",
]

#: Where :func:`terms_update` puts the new terms for the moment of one request (never listed)
TERMS_GRAPH = "urn:x-s3graph:new-terms"

_REFUSED = "refused a write"
_DROP_TERMS = f"DROP SILENT GRAPH <{TERMS_GRAPH}>"


def replace_graphs(store: RemoteStore, graphs: Sequence[NamedGraph | SerialisedGraph]) -> None:
    """Replace each named graph ``g.identifier`` on the server of ``store`` by ``g``'s triples.

    Raises :class:`ValueError` (before sending anything) as the embedded store does, and for a
    graph the server keeps for itself; :class:`StoreError` when the server fails, after
    restoring what it held.
    """
    if not graphs:
        return
    serialised = [serialise(graph) for graph in graphs]
    check_distinct(serialised)
    for graph in serialised:
        if graph.iri in store.preset.system_graphs:
            raise ValueError(f"{graph.name} is a graph {store.preset.name} keeps for itself")
    old = store.current_lines([g.iri for g in serialised])
    changed = [g for g in serialised if old.get(g.iri, set()) != set(g.lines)]
    ordered = [g for g in changed if g.lines] + [g for g in changed if not g.lines]
    written: list[SerialisedGraph] = []
    try:
        for graph in ordered:
            written.append(graph)  # a request that fails may still have been applied
            write_graph(store, graph, old.get(graph.iri, set()))
    except (StoreError, QueryRejected) as exc:
        raise _undo(store, written, old, exc) from None
    _check(store, changed)


def write_graph(store: RemoteStore, graph: SerialisedGraph, before: Collection[str]) -> None:
    """Turn the graph holding ``before`` into ``graph`` by one request (after the new terms')."""
    preset, gsp = store.preset, store.endpoints.graph_store
    if preset.put_graphs and gsp is not None and graph.lines:
        store.http.send(
            "PUT",
            gsp,
            what=_REFUSED,
            params=[("graph", graph.iri)],
            data="".join(graph.lines).encode(),
            headers={"Content-Type": "application/n-triples"},
        )
        return
    text = graph_update(graph, before, preset.block_lines)
    if preset.new_terms_first:
        terms = terms_update([line for line in graph.lines if line not in before])
        if terms:
            store.send_update(terms, what=_REFUSED)
            text = f"{_DROP_TERMS} ;\n{text}"
    if text:
        store.send_update(text, what=_REFUSED)


def _check(store: RemoteStore, graphs: Sequence[SerialisedGraph]) -> None:
    """Ask the server what it now holds of ``graphs``; a difference is a :class:`StoreError`."""
    if not graphs:
        return
    sizes = store.sizes([g.iri for g in graphs])
    wrong = [g for g in graphs if sizes.get(g.iri, 0) != len(g.lines)]
    if wrong:
        first = wrong[0]
        raise store.http.error(
            store.endpoints.update,
            "did not keep a write",
            f"{first.name} holds {sizes.get(first.iri, 0)} triples after the write, "
            f"{len(first.lines)} were written",
        )


def _undo(
    store: RemoteStore,
    written: Sequence[SerialisedGraph],
    old: Mapping[str, set[str]],
    exc: Exception,
) -> StoreError:
    """Put the old triples back into the graphs of ``written``; the error to raise."""
    if isinstance(exc, QueryRejected):
        exc = store.http.error(store.endpoints.update, _REFUSED, str(exc))
    assert isinstance(exc, StoreError)
    try:
        for graph in reversed(written):
            before = old.get(graph.iri, set())
            text = f"{_DROP_TERMS} ;\nDROP SILENT GRAPH {graph.name}"
            if before:  # the old lines, whatever the graph holds now (their terms are known)
                restore = SerialisedGraph(graph.name, tuple(sorted(before)))
                text += " ;\n" + graph_update(restore, set(), store.preset.block_lines)
            store.send_update(text)
    except (StoreError, QueryRejected):
        names = ", ".join(g.name for g in written)
        return StoreError(f"{exc}; the graphs {names} may be left changed")
    return StoreError(f"{exc}; nothing was changed")


def graph_update(graph: SerialisedGraph, before: Collection[str], block_lines: int) -> str:
    """The one SPARQL Update request that turns ``before`` into ``graph`` (empty: no change).

    As :func:`s3graph.rdf.graphs.replace_update` for one graph (a graph become empty is
    dropped; else the lines that went away are deleted and the new ones inserted), with the
    lines cut into ``GRAPH`` blocks of at most ``block_lines``, an operation each (still one
    request): Virtuoso's SPARQL compiler runs out of memory on one block of a few thousand
    triples.
    """
    if not graph.lines:
        return f"DROP SILENT GRAPH {graph.name}" if before else ""
    now = set(graph.lines)
    removed = [line for line in before if line not in now]
    added = [line for line in graph.lines if line not in before]
    parts = [f"DELETE DATA {{\n{block}}}" for block in _blocks(graph.name, removed, block_lines)]
    parts += [f"INSERT DATA {{\n{block}}}" for block in _blocks(graph.name, added, block_lines)]
    return " ;\n".join(parts)


def terms_update(lines: Sequence[str], block_lines: int = 1_000) -> str:
    """An update that makes the IRIs and literals of ``lines`` known to the server (empty when
    there are none): each written once as the object of a triple of :data:`TERMS_GRAPH`, which
    the write that follows drops (a ``DROP`` after the ``INSERT`` in the same request left
    Virtuoso's triples in place). Blank nodes are new in every write and cannot be made known
    before it."""
    terms: dict[str, None] = {}
    for triple in ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES):
        for term in (triple.subject, triple.predicate, triple.object):
            if not isinstance(term, ox.BlankNode):
                terms.setdefault(str(term))
    if not terms:
        return ""
    name = f"<{TERMS_GRAPH}>"
    held = [f"{name} {name} {term} .\n" for term in terms]
    inserts = [f"INSERT DATA {{\n{block}}}" for block in _blocks(name, held, block_lines)]
    return " ;\n".join([_DROP_TERMS, *inserts])


def load_update(iri: str | None, data: bytes, fmt: ox.RdfFormat, *, replace: bool) -> str:
    """The update adding ``data`` (in ``fmt``) to graph ``iri`` (None: the default graph), with
    ``replace`` in place of what it held; :class:`SyntaxError` for data that does not parse."""
    triples = ox.parse(data, format=fmt, base_iri=iri)
    lines = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    name = None if iri is None else str(ox.NamedNode(iri))
    inserted = lines if name is None else f"GRAPH {name} {{\n{lines}}}"
    text = f"INSERT DATA {{\n{inserted}}}"
    if replace:
        text = f"CLEAR SILENT {'DEFAULT' if name is None else 'GRAPH ' + name} ;\n{text}"
    return text


def _blocks(name: str, lines: Sequence[str], size: int) -> list[str]:
    """``lines`` cut into ``GRAPH`` blocks, each for an operation of its own: Virtuoso 7.2 left
    the language-tagged literals of every block but the first undeleted when one ``DELETE
    DATA`` held several blocks of the same graph (seen with 10,000 lines in blocks of 1,000)."""
    return [
        f"GRAPH {name} {{\n{''.join(lines[start : start + size])}}}\n"
        for start in range(0, len(lines), size)
    ]
