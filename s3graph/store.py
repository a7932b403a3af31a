"""The embedded pyoxigraph store on disk: one named graph per report.

Writes replace whole named graphs, all of them in ONE transaction: :meth:`Store.replace_graphs`
sends a single SPARQL Update request (``DROP SILENT GRAPH`` for each graph, then one ``INSERT DATA``
holding every graph), which Oxigraph applies entirely or not at all. pyoxigraph offers no other
primitive that removes and adds atomically (``extend``/``load`` only add, ``remove_graph`` is a
separate transaction). Readers see a snapshot: during a write they see every old graph or every new
one, never a mix.

Queries see the union of the named graphs as their default graph.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from s3graph.errors import StoreError

logger = logging.getLogger(__name__)

#: A term pyoxigraph can store and bind.
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: What :meth:`Store.query` returns: solutions of a SELECT, a boolean of an ASK, triples otherwise.
QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store:
    """A pyoxigraph store in a folder, written one whole named graph at a time."""

    def __init__(self, inner: ox.Store, path: Path, *, read_only: bool = False) -> None:
        """Wrap an open pyoxigraph store; use :meth:`open` rather than calling this."""
        self._inner: ox.Store | None = inner
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Open (and when writable, create) the store in the folder ``path``.

        Raises :class:`~s3graph.errors.StoreError` when the folder is locked by another store, is
        not a store, or cannot be created.
        """
        path = Path(path)
        if read_only:
            return cls(_open_read_only(path), path, read_only=True)
        return cls(_open_writable(path), path)

    # -- writing -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Sequence[Graph]) -> None:
        """Replace each named graph ``g.identifier`` by the triples of ``g``, in one transaction.

        Raises :class:`ValueError` (before writing anything) for a graph named by something else
        than an IRI, two graphs with the same name, or a blank node among the triples.
        """
        if not graphs:
            return
        text = replace_update(graphs)
        try:
            self._store.update(text)
        except OSError as exc:
            raise _store_error(self.path, exc, "cannot be written") from exc

    # -- reading -----------------------------------------------------------------------------

    def query(self, text: str, substitutions: Mapping[str, Term] | None = None) -> QueryResults:
        """Run the SPARQL query ``text`` over the union of the named graphs.

        ``substitutions`` binds variables by name (without ``?``) before evaluation; pyoxigraph
        requires each of them to be projected by the query's SELECT. Syntax errors raise
        :class:`SyntaxError`, a substitution of a variable that is not projected
        :class:`RuntimeError`.
        """
        bound = {ox.Variable(name): value for name, value in (substitutions or {}).items()}
        try:
            return self._store.query(text, use_default_graph_as_union=True, substitutions=bound)
        except OSError as exc:
            raise _store_error(self.path, exc, "cannot be read") from exc

    def count(self) -> int:
        """The number of quads (a triple stated in two reports counts twice)."""
        return len(self._store)

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(node.value for node in self._store.named_graphs())

    def graph_count(self) -> int:
        """The number of named graphs (one per report)."""
        return sum(1 for _ in self._store.named_graphs())

    # -- life cycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Flush and release the store (and its lock); later calls raise :class:`StoreError`."""
        if self._inner is None:
            return
        if not self.read_only:
            self._inner.flush()
        self._inner = None  # pyoxigraph closes the database when its last reference goes

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._inner is None else ("read-only" if self.read_only else "open")
        return f"<Store {str(self.path)!r} {state}>"

    @property
    def _store(self) -> ox.Store:
        if self._inner is None:
            raise StoreError(f"{self.path}: the store is closed; open it again")
        return self._inner


# -- opening -----------------------------------------------------------------------------------


def _open_writable(path: Path) -> ox.Store:
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corrupt data as RuntimeError
        raise _store_error(path, exc, "cannot be opened") from exc


def _open_read_only(path: Path) -> ox.Store:
    if not path.is_dir():
        raise StoreError(f"{path}: no store there; ingest reports into it first")
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:
        raise _store_error(path, exc, "cannot be opened read-only") from exc


def _store_error(path: Path, exc: Exception, what: str) -> StoreError:
    """A one-line :class:`StoreError` saying what is wrong with the store and what to do."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "lock" in detail.lower():
        advice = "it is locked by another s3graph process: wait for it to finish or stop it"
    elif path.exists() and not path.is_dir():
        advice = "it is a file, not a folder: give the folder of a store"
    else:
        advice = "it is not an s3graph store: give an empty or new folder, or an existing store"
    return StoreError(f"{path}: the store {what}; {advice} ({detail})")


# -- the replace request -----------------------------------------------------------------------


def replace_update(graphs: Sequence[Graph]) -> str:
    """The SPARQL Update request that replaces every graph of ``graphs`` in one transaction."""
    names = [_graph_name(graph) for graph in graphs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"several graphs named {', '.join(duplicates)}: give each graph once")
    drops = [f"DROP SILENT GRAPH {name} ;" for name in names]
    blocks = [
        f"GRAPH {name} {{\n{_ntriples(graph)}}}"
        for name, graph in zip(names, graphs, strict=True)
        if len(graph)
    ]
    if not blocks:
        return "\n".join(drops).removesuffix(" ;")
    return "\n".join([*drops, "INSERT DATA {", *blocks, "}"])


def _graph_name(graph: Graph) -> str:
    identifier = graph.identifier
    if not isinstance(identifier, URIRef):
        raise ValueError(f"a graph must be named by an IRI to be stored, not {identifier!r}")
    return str(to_oxigraph(identifier))


def _ntriples(graph: Graph) -> str:
    """The triples of ``graph`` as N-Triples lines, serialised by pyoxigraph."""
    return "".join(f"{s} {p} {o} .\n" for s, p, o in _converted(graph))


def _converted(triples: Iterable[tuple[Node, Node, Node]]) -> Iterable[tuple[Term, Term, Term]]:
    for s, p, o in triples:
        yield to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)


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
