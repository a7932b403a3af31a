"""Reading named graphs whole from either kind of store, for :mod:`s3graph.transfer`.

The queries are ``queries/store/transfer-*.rq``. From a server, every listing is read in pages
(:func:`s3graph.remote.paging.paged`) against a count asked first, and what came is checked
against it: a server that caps its answers (Virtuoso's ``ResultSetMaxRows``) gives every row
anyway, and one that answers otherwise than counted is an error naming the graph, never rows
lost silently. The embedded store has no cap: one query each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase

import pyoxigraph as ox

from s3graph.errors import StoreError
from s3graph.rdf.graphs import SerialisedGraph
from s3graph.remote import RemoteStore
from s3graph.remote.binding import write_term
from s3graph.remote.paging import paged
from s3graph.resources import resource_dir
from s3graph.store import Store

__all__ = [
    "DEFAULT_BATCH",
    "MIN_PAGE",
    "AnyStore",
    "as_graphs",
    "batches",
    "chosen",
    "graph_lines",
    "graph_sizes",
]

#: triples per batch (and rows per page read from a server): Virtuoso's default
#: ``ResultSetMaxRows`` (10,000), so one request usually reads a batch
DEFAULT_BATCH = 10_000

#: the fewest rows a page read from a server holds, whatever the batch: ``--batch 1`` (a
#: graph a write) must not become a request per triple
MIN_PAGE = 1_000

AnyStore = Store | RemoteStore

#: the line of the query of the triples that the VALUES block of the graphs asked for replaces
_VALUES_LINE = "  #VALUES\n"


def _text(name: str) -> str:
    return (resource_dir("queries") / "store" / f"{name}.rq").read_text(encoding="utf-8")


def _select(store: AnyStore, text: str) -> Iterable[ox.QuerySolution]:
    results = store.query(text)
    assert isinstance(results, ox.QuerySolutions), "the transfer's queries are SELECT queries"
    return results


def _rows(store: AnyStore, text: str, total: int, page: int) -> Iterable[ox.QuerySolution]:
    """The rows of ``text``: from a server in pages against ``total``, else in one query."""
    if isinstance(store, RemoteStore):
        rows = max(page, MIN_PAGE)
        return paged(lambda paged_text: _select(store, paged_text), text, total, rows)
    return _select(store, text)


def graph_sizes(store: AnyStore, page: int = DEFAULT_BATCH) -> dict[str, int]:
    """Triples per named graph, in IRI order (a server's own graphs left out)."""
    total = 0
    if isinstance(store, RemoteStore):
        counted = next(iter(_select(store, _text("transfer-graph-count"))), None)
        total = _integer(counted["n"] if counted is not None else None)
    sizes: dict[str, int] = {}
    listed = 0
    for row in _rows(store, _text("transfer-graph-sizes"), total, page):
        graph = row["g"]
        listed += 1
        if isinstance(graph, ox.NamedNode):
            sizes[graph.value] = _integer(row["n"])
    if isinstance(store, RemoteStore):
        if listed != total or len(sizes) != total:
            raise StoreError(
                f"{store.url}: the SPARQL server listed {len(sizes)} of the {total} named graphs "
                "it counts (an answer cut short, or a write meanwhile?); run again"
            )
        for own in store.preset.system_graphs:
            sizes.pop(own, None)
    return dict(sorted(sizes.items()))


def graph_lines(
    store: AnyStore,
    iris: Sequence[str],
    sizes: Mapping[str, int] | None = None,
    page: int = DEFAULT_BATCH,
) -> dict[str, tuple[str, ...]]:
    """The triples of each graph of ``iris`` as sorted N-Triples lines (the embedded store's
    dumped graph by graph; a server's read in one query, in pages of ``page`` rows, at least
    :data:`MIN_PAGE`).

    With ``sizes`` (the triples each graph holds, as :func:`graph_sizes` counted them) each
    graph read is checked to hold as many: a :class:`StoreError` names the first that does not.
    """
    if not iris:
        return {}
    if isinstance(store, Store):
        lines = {iri: _dumped(store, iri) for iri in iris}
    else:
        lines = _selected(store, iris, sizes, page)
    if sizes is not None:
        for iri in iris:
            if len(lines[iri]) != sizes[iri]:
                raise StoreError(
                    f"{store.path}: the store gave {len(lines[iri])} of the {sizes[iri]} triples "
                    f"of <{iri}> (an answer cut short, or a write meanwhile?); run again"
                )
    return {iri: tuple(sorted(found)) for iri, found in lines.items() if found}


def _dumped(store: Store, iri: str) -> set[str]:
    """The lines of one graph of the embedded store, as its N-Triples dump writes them (in
    Rust: 2.5 times as fast as the rows of a query, the same lines)."""
    data = store.dump_graph(iri, ox.RdfFormat.N_TRIPLES).decode("utf-8")
    lines = set(data.splitlines(keepends=True))
    if any(line.startswith("_:") or line.rsplit(" ", 2)[-2].startswith("_:") for line in lines):
        raise _blank_nodes(store, iri)
    return lines


def _selected(
    store: RemoteStore, iris: Sequence[str], sizes: Mapping[str, int] | None, page: int
) -> dict[str, set[str]]:
    """The lines of the graphs ``iris`` of a server: one query, read in pages."""
    values = " ".join(write_term(ox.NamedNode(iri)) for iri in iris)
    text = _text("transfer-graph-triples")
    assert _VALUES_LINE in text, "transfer-graph-triples.rq marks where the graphs go"
    text = text.replace(_VALUES_LINE, f"  VALUES ?g {{ {values} }}\n", 1)
    every = graph_sizes(store, page) if sizes is None else sizes
    total = sum(every.get(iri, 0) for iri in iris)
    lines: dict[str, set[str]] = {iri: set() for iri in iris}
    for row in _rows(store, text, total, page):
        graph = _value(row["g"])
        if any(isinstance(row[v], ox.BlankNode) for v in ("s", "o")):
            raise _blank_nodes(store, graph)
        lines.setdefault(graph, set()).add(f"{row['s']} {row['p']} {row['o']} .\n")
    return lines


def _blank_nodes(store: AnyStore, iri: str) -> StoreError:
    return StoreError(
        f"{store.path}: <{iri}> holds blank nodes, which s3graph's stores do not keep (leave "
        "the graph out with --graphs)"
    )


def as_graphs(
    iris: Sequence[str], lines: Mapping[str, Sequence[str]]
) -> list[SerialisedGraph]:
    """The graphs ``iris`` with the ``lines`` read of each (none: the graph is emptied)."""
    return [
        SerialisedGraph(write_term(ox.NamedNode(iri)), tuple(lines.get(iri, ()))) for iri in iris
    ]


def chosen(sizes: Mapping[str, int], patterns: Sequence[str]) -> dict[str, int]:
    """The graphs whose IRI matches one of ``patterns`` (shell-style, ``*`` any text), or all."""
    if not patterns:
        return dict(sizes)
    return {g: n for g, n in sizes.items() if any(fnmatchcase(g, p) for p in patterns)}


def batches(iris: Sequence[str], sizes: Mapping[str, int], batch: int) -> list[list[str]]:
    """``iris`` in order, cut into runs of about ``batch`` triples (a larger graph alone)."""
    if batch < 1:
        raise ValueError("a batch holds at least one triple")
    runs: list[list[str]] = []
    current: list[str] = []
    filled = 0
    for iri in iris:
        if current and filled + sizes[iri] > batch:
            runs.append(current)
            current, filled = [], 0
        current.append(iri)
        filled += sizes[iri]
    if current:
        runs.append(current)
    return runs


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""


def _integer(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0
