"""The embedded pyoxigraph store on disk: one named graph per report.

Writes replace whole named graphs, all of them in ONE atomic write: readers see a snapshot, so
during a write they see every old graph or every new one, never a mix, and a failed write leaves
the store as it was.

- Graphs the store already holds are replaced by a *diff* in one SPARQL Update request (one
  transaction): their current quads are read first (under the store's write lock) and the request
  holds one ``DELETE DATA`` of the lines that went away and one ``INSERT DATA`` of the new ones; an
  empty graph is dropped. Rewriting whole graphs was what made re-ingestion slow (``DROP GRAPH``
  plus a fresh insert ~100 us a quad on disk, an insert ~15-30 us, reading a quad back ~1 us).
  Oxigraph keeps some typed literals in a canonical form (``+00:00`` becomes ``Z``): such a
  literal is deleted and inserted again, harmlessly, in the same request.
- Graphs that are all new go through pyoxigraph's bulk loader (about twice as fast): up to
  :data:`ATOMIC_BULK_LIMIT` quads, Oxigraph writes them as sorted files for every index and hands
  those to RocksDB in a single ``IngestExternalFiles`` call, atomic across column families (read
  in Oxigraph's ``FileBulkLoader::save``); larger writes go through one transactional ``load``.

- Every write logs the graphs it may change before it runs (:data:`CHANGE_LOG`) and, once
  committed, rewrites a change marker (:data:`CHANGE_MARKER`): a running ``serve`` polls the
  marker and re-reads only those graphs (:mod:`s3graph.api.live`; the files are
  :mod:`s3graph.store.changes`'s business).

The parts with a job of their own are modules of this package, their names kept importable from
here: :mod:`.protocol` (``GraphStore``, what either kind of store offers), :mod:`.changes` (the
change marker and log), :mod:`.opening` (opening a folder, the errors that say what is wrong).

How graphs become the lines written is in :mod:`s3graph.rdf.graphs`. Queries see the union of
the named graphs as their default graph unless a dataset is given.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import pyoxigraph as ox

from s3graph.errors import StoreError, is_no_space, no_space_error
from s3graph.rdf.graphs import (
    NamedGraph,
    SerialisedGraph,
    Term,
    check_distinct,
    insert_nquads,
    replace_update,
    serialise,
    to_oxigraph,
)
from s3graph.store.changes import (
    CHANGE_LOG,
    CHANGE_LOG_LIMIT,
    CHANGE_MARKER,
    StoreChange,
    changes_since,
    log_intent,
    mark_changed,
    read_change,
)
from s3graph.store.opening import (
    READ_ONLY_ATTEMPTS,
    open_read_only,
    open_writable,
    require_store,
    store_error,
)
from s3graph.store.protocol import GraphStore, QueryDataset, QueryResults, dataset_in_text

__all__ = [
    "ATOMIC_BULK_LIMIT",
    "CHANGE_LOG",
    "CHANGE_LOG_LIMIT",
    "CHANGE_MARKER",
    "READ_ONLY_ATTEMPTS",
    "GraphStore",
    "NamedGraph",
    "QueryDataset",
    "QueryResults",
    "SerialisedGraph",
    "Store",
    "StoreChange",
    "Term",
    "changes_since",
    "dataset_in_text",
    "log_intent",
    "mark_changed",
    "read_change",
    "replace_update",
    "require_store",
    "serialise",
    "to_oxigraph",
]

#: The most quads written with pyoxigraph's bulk loader in one call. Oxigraph's loader ingests
#: up to 1,000,000 quads (its ``DEFAULT_BULK_LOAD_BATCH_SIZE``) in one atomic RocksDB ingestion;
#: half of that keeps a margin should the batch size shrink.
ATOMIC_BULK_LIMIT = 500_000


class Store:
    """A pyoxigraph store in a folder, written one whole named graph at a time."""

    def __init__(
        self, inner: ox.Store, path: Path, *, read_only: bool = False, in_memory: bool = False
    ) -> None:
        """Wrap an open pyoxigraph store; use :meth:`open` rather than calling this."""
        self._inner: ox.Store | None = inner
        self.path = path
        self.read_only = read_only
        #: Whether the quads live in this process's memory (:meth:`in_memory_copy`).
        self.in_memory = in_memory
        self._write_lock = threading.Lock()

    @classmethod
    def in_memory_copy(cls, path: Path) -> Store:
        """A read-only copy of the on-disk store at ``path``, held in memory.

        Queries over an in-memory pyoxigraph store ran 3 to 7 times faster than on disk here
        (100k to 1M quads), and the graph is small next to the memory of a server; the copy is
        taken once, in Rust (an N-Quads dump loaded in bulk), and the disk store stays the
        store of record.
        """
        with cls.open(path, read_only=True) as disk:
            return cls.copy_of(disk)

    @classmethod
    def copy_of(cls, disk: Store) -> Store:
        """A read-only copy of the open store ``disk``, held in memory."""
        data = disk._store.dump(format=ox.RdfFormat.N_QUADS)
        memory = ox.Store()
        if data:
            memory.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return cls(memory, disk.path, read_only=True, in_memory=True)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Open (and when writable, create) the store in the folder ``path``.

        Raises :class:`~s3graph.errors.StoreError` when the folder is locked by another store, is
        not a store, or cannot be created.
        """
        path = Path(path)
        if read_only:
            return cls(open_read_only(path), path, read_only=True)
        return cls(open_writable(path), path)

    # -- writing -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Sequence[NamedGraph | SerialisedGraph]) -> None:
        """Replace each named graph ``g.identifier`` by the triples of ``g``, in one transaction.

        Raises :class:`ValueError` (before writing anything) for a graph named by something else
        than an IRI, two graphs with the same name, or a blank node among the triples.
        """
        if not graphs:
            return
        serialised = [serialise(graph) for graph in graphs]
        check_distinct(serialised)
        with self._write_lock:  # the old quads must still be current when the diff is applied
            old = {g.name: self._lines(g.iri) for g in serialised if self._has_graph(g.iri)}
            token = self._intend([g.iri for g in serialised])
            try:
                if not old and all(g.lines for g in serialised):
                    self._add_new_graphs(serialised)
                else:
                    text = replace_update(serialised, old)
                    if not text:
                        return  # nothing changed: no change to tell
                    self._store.update(text)
            except OSError as exc:
                raise store_error(self.path, exc, "cannot be written") from exc
            self._mark_changed(token)

    def _add_new_graphs(self, graphs: Sequence[SerialisedGraph]) -> None:
        """Write graphs the store does not hold yet, all or nothing.

        Up to :data:`ATOMIC_BULK_LIMIT` quads this is pyoxigraph's bulk loader, which encodes
        them into sorted files for every index and hands those to RocksDB in a single
        ``IngestExternalFiles`` call (Oxigraph ``FileBulkLoader::save``): RocksDB ingests the
        files of all column families atomically, so the graphs appear whole to readers' snapshots
        or not at all, and a failure leaves nothing behind. That is 2x faster than a transaction.
        Larger writes would be split into several such calls by Oxigraph, so they go through one
        transactional ``load`` instead.
        """
        nquads = insert_nquads(graphs)
        if sum(len(g.lines) for g in graphs) <= ATOMIC_BULK_LIMIT:
            self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        else:
            self._store.load(nquads, format=ox.RdfFormat.N_QUADS)

    def _has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(iri))

    def _lines(self, iri: str) -> set[str]:
        """The current triples of the named graph ``iri`` as N-Triples lines."""
        quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        return {f"{q.subject} {q.predicate} {q.object} .\n" for q in quads}

    # -- reading -----------------------------------------------------------------------------

    def query(
        self,
        text: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        dataset: QueryDataset | None = None,
        base_iri: str | None = None,
    ) -> QueryResults:
        """Run the SPARQL query ``text`` over the union of the named graphs.

        ``substitutions`` binds variables by name (without ``?``) before evaluation; pyoxigraph
        requires each of them to be projected by the query's SELECT. ``dataset`` replaces the
        union (and the query's own ``FROM``) by the graphs it names, as the SPARQL Protocol's
        ``default-graph-uri`` and ``named-graph-uri`` do; a query with ``FROM`` and no ``dataset``
        keeps its own. Syntax errors raise :class:`SyntaxError`, a substitution of a variable
        that is not projected :class:`RuntimeError`.
        """
        bound = {ox.Variable(name): value for name, value in (substitutions or {}).items()}
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None
        union = False
        if dataset is not None:
            default_graph = [ox.NamedNode(iri) for iri in dataset.default_graphs]
            named_graphs = [ox.NamedNode(iri) for iri in dataset.named_graphs]
        elif not dataset_in_text(text):
            union = True
        try:
            return self._store.query(
                text,
                substitutions=bound,
                base_iri=base_iri,
                use_default_graph_as_union=union,
                default_graph=default_graph,
                named_graphs=named_graphs,
            )
        except OSError as exc:
            raise store_error(self.path, exc, "cannot be read") from exc

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply the SPARQL Update ``text`` in one transaction (:class:`SyntaxError` if invalid)."""
        with self._write_lock:
            token = self._intend(None)  # any graph
            self._store.update(text, base_iri=base_iri)
            self._mark_changed(token)

    def dump_graph(self, iri: str | None, fmt: ox.RdfFormat) -> bytes:
        """The triples of the named graph ``iri`` (None: the default graph) in ``fmt``."""
        graph = ox.DefaultGraph() if iri is None else ox.NamedNode(iri)
        data = self._store.dump(format=fmt, from_graph=graph)
        assert data is not None  # no output given: pyoxigraph returns the bytes
        return data

    def load_graph(self, iri: str | None, data: bytes, fmt: ox.RdfFormat, *, replace: bool) -> None:
        """Add (or with ``replace``, put instead of the old triples) ``data`` to graph ``iri``.

        One transaction; raises :class:`SyntaxError` for data that does not parse.
        """
        target = "DEFAULT" if iri is None else f"GRAPH <{ox.NamedNode(iri).value}>"
        lines = "".join(
            f"{t.subject} {t.predicate} {t.object} .\n"
            for t in ox.parse(data, format=fmt, base_iri=iri)
        )
        inserted = lines if iri is None else f"GRAPH <{iri}> {{\n{lines}}}"
        text = f"INSERT DATA {{\n{inserted}}}"
        if replace:
            text = f"CLEAR SILENT {target} ;\n{text}"
        with self._write_lock:
            token = self._intend(None if iri is None else [iri])
            self._store.update(text)
            self._mark_changed(token)

    def _intend(self, graphs: Sequence[str] | None) -> str | None:
        """Before a write: its token, the graphs it may change logged (None: any graph)."""
        if self.in_memory or self.read_only:
            return None
        return log_intent(self.path, graphs)

    def _mark_changed(self, token: str | None) -> None:
        """Tell readers of the folder (a running ``serve``) that a write was committed."""
        if token is not None:
            mark_changed(self.path, token)

    def refresh_graphs(self, source: Store, graphs: Sequence[str]) -> None:
        """Make each named graph of ``graphs`` here what it is in ``source`` (an in-memory copy
        kept in step with the store: :mod:`s3graph.api.kept`)."""
        for iri in graphs:
            graph = ox.NamedNode(iri)
            if self._store.contains_named_graph(graph):
                self._store.remove_graph(graph)
            self._store.bulk_extend(source._store.quads_for_pattern(None, None, None, graph))

    def has_graph(self, iri: str | None) -> bool:
        """Whether the named graph ``iri`` exists (the default graph always does)."""
        return iri is None or self._has_graph(iri)

    def count(self) -> int:
        """The number of quads (a triple stated in two reports counts twice)."""
        return len(self._store)

    def graph_size(self, iri: str) -> int:
        """The number of triples in one named graph."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))

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
        try:
            if not self.read_only:
                self._inner.flush()
        except OSError as exc:  # a full disk: said as such; anything else stays a bug
            if is_no_space(exc):
                raise no_space_error(self.path, exc) from exc
            raise
        finally:
            self._inner = None  # pyoxigraph closes the database when its last reference goes

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.close()
        except Exception:
            if exc is None:
                raise  # else the error that ended the block is the one to tell

    def __repr__(self) -> str:
        state = "closed" if self._inner is None else ("read-only" if self.read_only else "open")
        return f"<Store {str(self.path)!r} {state}>"

    @property
    def _store(self) -> ox.Store:
        if self._inner is None:
            raise StoreError(f"{self.path}: the store is closed; open it again")
        return self._inner


