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
  marker and re-reads only those graphs (:mod:`s3graph.api.live`).

How graphs become the lines written is in :mod:`s3graph.rdf.graphs`. Queries see the union of
the named graphs as their default graph unless a dataset is given.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

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

__all__ = [
    "ATOMIC_BULK_LIMIT",
    "CHANGE_MARKER",
    "GraphStore",
    "NamedGraph",
    "QueryDataset",
    "SerialisedGraph",
    "Store",
    "StoreChange",
    "Term",
    "changes_since",
    "log_intent",
    "mark_changed",
    "read_change",
    "replace_update",
    "serialise",
    "to_oxigraph",
]

logger = logging.getLogger(__name__)

#: What :meth:`Store.query` returns: solutions of a SELECT, a boolean of an ASK, triples otherwise.
QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True, slots=True)
class QueryDataset:
    """The RDF dataset of a query given by IRIs: its default graph (merged) and named graphs."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@lru_cache(maxsize=256)
def dataset_in_text(text: str) -> bool:
    """Whether the query ``text`` names its own dataset (``FROM`` / ``FROM NAMED``).

    Kept for the texts seen last: a query whose comments say "from" must be lexed to tell, and
    the same texts come again and again (named queries, pages, dashboards).
    """
    from s3graph.sparql_lex import has_keyword

    return has_keyword(text, "FROM")


#: The most quads written with pyoxigraph's bulk loader in one call. Oxigraph's loader ingests
#: up to 1,000,000 quads (its ``DEFAULT_BULK_LOAD_BATCH_SIZE``) in one atomic RocksDB ingestion;
#: half of that keeps a margin should the batch size shrink.
ATOMIC_BULK_LIMIT = 500_000


class GraphStore(Protocol):
    """What the commands, the ingest, the export and the server use of a store, of either kind.

    :class:`Store` (pyoxigraph in a folder) and :class:`s3graph.remote.RemoteStore` (a SPARQL
    1.1 server) both satisfy it; code typed with it works on either. Folder things (the change
    marker, the in-memory copy) are :class:`Store`'s alone.
    """

    @property
    def path(self) -> Path | str:
        """Where the store is, as messages name it: its folder, or the server's URL."""
        ...

    @property
    def read_only(self) -> bool: ...

    def query(
        self,
        text: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        dataset: QueryDataset | None = None,
        base_iri: str | None = None,
    ) -> QueryResults: ...

    def update(self, text: str, *, base_iri: str | None = None) -> None: ...

    def replace_graphs(self, graphs: Sequence[NamedGraph | SerialisedGraph]) -> None: ...

    def dump_graph(self, iri: str | None, fmt: ox.RdfFormat) -> bytes: ...

    def load_graph(
        self, iri: str | None, data: bytes, fmt: ox.RdfFormat, *, replace: bool
    ) -> None: ...

    def has_graph(self, iri: str | None) -> bool: ...

    def count(self) -> int: ...

    def graph_size(self, iri: str) -> int: ...

    def graphs(self) -> list[str]: ...

    def graph_count(self) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


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
            return cls(_open_read_only(path), path, read_only=True)
        return cls(_open_writable(path), path)

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
                raise _store_error(self.path, exc, "cannot be written") from exc
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
            raise _store_error(self.path, exc, "cannot be read") from exc

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


# -- the change marker -------------------------------------------------------------------------

#: The file in a store's folder rewritten after every committed write (RocksDB ignores it).
CHANGE_MARKER = "S3GRAPH-CHANGED"
#: The file in a store's folder where every write logs the graphs it may change, before it runs.
CHANGE_LOG = "S3GRAPH-CHANGES"
#: Bytes past which the change log starts afresh (a follower then copies the whole store once).
CHANGE_LOG_LIMIT = 256 * 1024


@dataclass(frozen=True, slots=True)
class StoreChange:
    """The last write committed to a store: when, and a token that differs for every write."""

    token: str
    at: datetime


def log_intent(path: Path, graphs: Sequence[str] | None) -> str:
    """Log in ``path`` that a write is about to change ``graphs`` (None: any); its token.

    The line is appended before the write runs, so a reader that opened the store and then
    read the log knows every graph that a write committed in what it opened may have changed
    (:func:`changes_since`). A write that fails leaves a line that only costs a graph re-read.
    """
    token = f"{time.time_ns()}-{os.getpid()}"
    log = Path(path) / CHANGE_LOG
    line = f"{token} {' '.join(sorted(set(graphs))) if graphs is not None else '*'}\n"
    try:
        if log.exists() and log.stat().st_size > CHANGE_LOG_LIMIT:
            temporary = log.with_name(f".{CHANGE_LOG}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_text("", encoding="utf-8")
            os.replace(temporary, log)
        with log.open("a", encoding="utf-8") as out:
            out.write(line)  # one append: whole to any reader of a local file
    except OSError:  # a full disk: the write fails next; else a follower must not trust the log
        with contextlib.suppress(OSError):
            log.unlink(missing_ok=True)  # without it, followers copy the whole store
    return token


def changes_since(path: Path, token: str) -> set[str] | None:
    """The graphs that writes after the write ``token`` may have changed (None: any graph, or
    not known: ``token`` is no longer in the log)."""
    try:
        text = (Path(path) / CHANGE_LOG).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [line.split() for line in text.splitlines(keepends=True) if line.endswith("\n")]
    tokens = [line[0] if line else "" for line in lines]
    if token not in tokens:
        return None
    graphs: set[str] = set()
    for line in lines[tokens.index(token) + 1 :]:
        if len(line) < 2 or "*" in line[1:]:
            return None
        graphs.update(line[1:])
    return graphs


def mark_changed(path: Path, token: str | None = None) -> StoreChange:
    """Record a committed write in the folder ``path``: a new :data:`CHANGE_MARKER`.

    Why a file of ours: pyoxigraph tells nothing about writes, and the folder's RocksDB files
    also change when nothing was written (a writable open starts a new log), so a server
    following them would reload for nothing. The marker is written after the commit, whole
    (renamed into place), and read in microseconds: a server polls it (:func:`read_change`).
    A writer killed between its commit and the marker leaves the change untold until the next.
    """
    now = time.time_ns()
    token = token or f"{now}-{os.getpid()}"
    change = StoreChange(token, datetime.fromtimestamp(now / 1e9, UTC))
    path = Path(path)
    temporary = path / f".{CHANGE_MARKER}.{os.getpid()}.{threading.get_ident()}"
    try:
        temporary.write_text(f"{token} {now}\n", encoding="ascii")
        os.replace(temporary, path / CHANGE_MARKER)
    except OSError as exc:  # the data is written; only a running server will not know at once
        logger.warning("%s: the change marker could not be written (%s)", path, exc)
    return change


def read_change(path: Path) -> StoreChange | None:
    """The last write :func:`mark_changed` recorded in ``path`` (None: none recorded)."""
    try:
        text = (Path(path) / CHANGE_MARKER).read_text(encoding="ascii")
        token, _, committed = text.strip().partition(" ")
        nanoseconds = int(committed or token.partition("-")[0])
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return StoreChange(token, datetime.fromtimestamp(nanoseconds / 1e9, UTC))


# -- opening -----------------------------------------------------------------------------------


def _open_writable(path: Path) -> ox.Store:
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corrupt data as RuntimeError
        raise _store_error(path, exc, "cannot be opened") from exc


def require_store(path: Path) -> None:
    """Refuse a folder that holds no store: a read must never create one.

    A missing folder, an empty one or a plain file answers "no store at PATH" (exit 3), so a
    command run in the wrong folder says so instead of answering 0 from a store it just made.
    """
    path = Path(path)
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"no store at {path} (run s3graph ingest first)")


#: Attempts at a read-only open that raced the writer's compaction (see :func:`_open_read_only`).
READ_ONLY_ATTEMPTS = 5


def _open_read_only(path: Path) -> ox.Store:
    """A read-only view of the store at ``path``, beside any process that writes it.

    The view reads the files the store's manifest lists; a writer compacting meanwhile may delete
    one of them before it is opened, which RocksDB reports as corruption ("No such file"). The
    open is tried again, with the manifest read afresh, before the store is called broken.
    """
    require_store(path)
    for attempt in range(1, READ_ONLY_ATTEMPTS + 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == READ_ONLY_ATTEMPTS or "No such file" not in str(exc):
                raise _store_error(path, exc, "cannot be opened read-only") from exc
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _store_error(path: Path, exc: Exception, what: str) -> StoreError:
    """A one-line :class:`StoreError` saying what is wrong with the store and what to do."""
    if is_no_space(exc):  # the disk, not the store: nothing of the failed write was kept
        return no_space_error(path, exc)
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "lock" in detail.lower():
        advice = "it is locked by another s3graph process: wait for it to finish or stop it"
    elif path.exists() and not path.is_dir():
        advice = "it is a file, not a folder: give the folder of a store"
    else:
        advice = "it is not an s3graph store: give an empty or new folder, or an existing store"
    return StoreError(f"{path}: the store {what}; {advice} ({detail})")
