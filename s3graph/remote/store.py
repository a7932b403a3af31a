"""A SPARQL 1.1 server as the store: the embedded store's methods, over HTTP.

:class:`RemoteStore` offers what :class:`s3graph.store.Store` offers its users (``query``,
``replace_graphs``, ``update``, ``count``, ``graph_count``, ``graphs``, ``graph_size``,
``has_graph``, ``dump_graph``, ``load_graph``, ``close``) and answers with the same pyoxigraph
objects, so the code above it need not know which store it has. Queries are sent by POST (the
SPARQL 1.1 Protocol) and their results parsed by pyoxigraph; the server's quirks are its
:class:`~s3graph.remote.presets.Preset`'s business.

Writes stay whole, though the protocol has no transaction spanning requests:

1. the current triples of every graph to replace are read first (one query), so that graphs
   that did not change are not written and a failed write can be undone;
2. each graph is then replaced by ONE SPARQL Update request (its removed lines deleted and its
   new lines inserted, :func:`graph_update`), which the server applies as one request (Oxigraph
   in one transaction; Virtuoso as one statement): a reader sees the graph before or after,
   never half of it. Graphs with triples go first and graphs that become empty are dropped
   last, so a report never loses its vocabulary or validation graph before it is replaced;
3. the server is asked afterwards how many triples each graph holds, and a difference is an
   error;
4. should a request fail (server down, too slow, write refused), the graphs already replaced
   get their old triples back before the :class:`~s3graph.errors.StoreError` is raised, so the
   server holds what it held before.

``--store URL`` opens it where ``Store.open(path)`` is opened for a folder
(:func:`s3graph.cli.support.store_opener`); ``--server`` / ``S3GRAPH_SERVER`` names the preset
(default ``oxigraph``).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Self

import pyoxigraph as ox

from s3graph.errors import StoreError
from s3graph.rdf.graphs import (
    NamedGraph,
    SerialisedGraph,
    Term,
    check_distinct,
    serialise,
)
from s3graph.remote.binding import query_form, with_values, write_term
from s3graph.remote.client import (
    Client,
    Credentials,
    Limits,
    QueryRejected,
    split_credentials,
)
from s3graph.remote.paging import paged
from s3graph.remote.presets import Endpoints, Preset, Union, mend_json, preset
from s3graph.sparql_lex import has_keyword

__all__ = ["SERVER_VARIABLE", "RemoteStore"]

#: the kind of server when ``--server`` is not given
SERVER_VARIABLE = "S3GRAPH_SERVER"

QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@lru_cache(maxsize=256)
def _names_dataset(text: str) -> bool:
    """Whether the query names its own dataset (``FROM``): then it gets no union."""
    return has_keyword(text, "FROM")


class RemoteStore:
    """A SPARQL 1.1 server, used as :class:`s3graph.store.Store` is."""

    def __init__(
        self,
        url: str,
        server: Preset,
        *,
        credentials: Credentials | None = None,
        limits: Limits | None = None,
        endpoints: Endpoints | None = None,
    ) -> None:
        """Speak to the server at ``url``; use :meth:`open` rather than calling this."""
        self.url = url
        self.preset = server
        self.endpoints = endpoints or server.endpoints(url)
        self._client: Client | None = Client(credentials, limits)
        self.read_only = False
        self.in_memory = False

    @classmethod
    def open(
        cls,
        url: str,
        *,
        server: str | None = None,
        limits: Limits | None = None,
        environ: Mapping[str, str] | None = None,
        endpoints: Endpoints | None = None,
    ) -> RemoteStore:
        """The server at ``url`` of the kind ``server`` (else ``S3GRAPH_SERVER``, else oxigraph).

        Credentials come from ``S3GRAPH_STORE_USER``/``S3GRAPH_STORE_PASSWORD``, or from the
        URL's ``user:password@`` (taken out of it); the time limits from
        ``S3GRAPH_STORE_TIMEOUT``. Nothing is sent yet.
        """
        environ = os.environ if environ is None else environ
        kind = server or environ.get(SERVER_VARIABLE) or "oxigraph"
        try:
            chosen = preset(kind)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        clean, in_url = split_credentials(url)
        credentials = Credentials.from_environment(environ) or in_url
        limits = limits or Limits.from_environment(environ)
        return cls(clean, chosen, credentials=credentials, limits=limits, endpoints=endpoints)

    def another(self) -> RemoteStore:
        """The same server over connections of its own (for another thread or process)."""
        http = self._http
        return RemoteStore(
            self.url,
            self.preset,
            credentials=http.credentials,
            limits=http.limits,
            endpoints=self.endpoints,
        )

    @property
    def path(self) -> str:
        """Where the store is, as messages name it (the embedded store's folder, here the URL)."""
        return self.url

    # -- reading -----------------------------------------------------------------------------

    def query(
        self,
        text: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        dataset: object | None = None,
        base_iri: str | None = None,
    ) -> QueryResults:
        """Run the SPARQL query ``text`` over the union of the named graphs, on the server.

        As :meth:`s3graph.store.Store.query`: ``substitutions`` bind variables by name (sent as
        a ``VALUES`` clause, :mod:`s3graph.remote.binding`); ``dataset`` (a
        ``QueryDataset``: ``default_graphs``, ``named_graphs``) replaces the union, as do the
        query's own ``FROM``; a query the server refuses raises :class:`SyntaxError`.
        """
        union = dataset is None and not _names_dataset(text)
        body = with_values(text, substitutions)
        if base_iri is not None:
            body = f"BASE {write_term(ox.NamedNode(base_iri))}\n{body}"
        form = [("query", body), *self.preset.query_parameters(union=union)]
        if dataset is not None:
            form += [("default-graph-uri", iri) for iri in getattr(dataset, "default_graphs", ())]
            form += [("named-graph-uri", iri) for iri in getattr(dataset, "named_graphs", ())]
        try:
            response = self._http.send(
                "POST",
                self.endpoints.query,
                what="cannot be queried",
                data=form,
                headers={"Accept": self._accept(text)},
            )
        except QueryRejected as exc:
            raise SyntaxError(str(exc)) from None
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media in _RESULTS_FORMATS:
            data = response.content
            if media == "application/sparql-results+json":
                data = mend_json(self.preset, data)
            return ox.parse_query_results(data, _RESULTS_FORMATS[media])
        if media in _GRAPH_FORMATS:
            return _as_query_triples(response.content, _GRAPH_FORMATS[media])
        raise self._http.error(
            self.endpoints.query, "cannot be queried", f"it answered in {media or 'no format'}"
        )

    def _accept(self, text: str) -> str:
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            return self.preset.triples_accept
        return self.preset.results_accept

    def _select(self, text: str) -> list[ox.QuerySolution]:
        results = self.query(text, dataset=_NO_UNION)
        assert isinstance(results, ox.QuerySolutions)
        return list(results)

    def _all_sizes(self) -> dict[str, int]:
        """The number of triples of every named graph but the server's own.

        Grouped counts, not ``SELECT DISTINCT ?g``: Virtuoso took 40 s over the corpus for
        that, 0.05 s for this.
        """
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        sizes = {_iri_of(row["g"]): _integer(row["n"]) for row in self._select(text)}
        return {g: n for g, n in sizes.items() if g and g not in self.preset.system_graphs}

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted (the server's own graphs left out)."""
        return sorted(self._all_sizes())

    def graph_count(self) -> int:
        """The number of named graphs (one per report, and the vocabularies')."""
        return len(self._all_sizes())

    def count(self) -> int:
        """The number of quads in the named graphs (a triple in two graphs counts twice)."""
        return sum(self._all_sizes().values())

    def graph_size(self, iri: str) -> int:
        """The number of triples in one named graph."""
        return self._sizes([iri]).get(iri, 0)

    def has_graph(self, iri: str | None) -> bool:
        """Whether the named graph ``iri`` holds triples (the default graph always exists)."""
        return iri is None or iri in self._sizes([iri])

    def _sizes(self, iris: Iterable[str]) -> dict[str, int]:
        """The number of triples of each graph of ``iris`` that exists."""
        graphs = " ".join(write_term(ox.NamedNode(iri)) for iri in iris)
        text = (
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        return {_iri_of(row["g"]): _integer(row["n"]) for row in self._select(text)}

    def _lines(self, iris: Sequence[str]) -> dict[str, set[str]]:
        """The current triples of each graph of ``iris`` that exists, as N-Triples lines.

        Counted first and read in pages (:mod:`.paging`): a server that caps its answers
        (Virtuoso's ``ResultSetMaxRows``) would otherwise give part of a large graph, and the
        write made from it would leave old triples behind, its undo lose the rest.
        """
        sizes = self._sizes(iris) if iris else {}
        if not sizes:
            return {}
        graphs = " ".join(write_term(ox.NamedNode(iri)) for iri in sizes)
        text = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        lines: dict[str, set[str]] = {}
        for row in paged(self._select, text, sum(sizes.values())):
            lines.setdefault(_iri_of(row["g"]), set()).add(f"{row['s']} {row['p']} {row['o']} .\n")
        for iri, size in sizes.items():
            if len(lines.get(iri, ())) != size:
                raise self._http.error(
                    self.endpoints.query,
                    "cannot be queried",
                    f"it gave {len(lines.get(iri, ()))} of the {size} triples of <{iri}>",
                )
        return lines

    def dump_graph(self, iri: str | None, fmt: ox.RdfFormat) -> bytes:
        """The triples of the named graph ``iri`` (None: the server's default graph) in ``fmt``.

        A server whose default graph is the union of its graphs (:attr:`Union.NATIVE`) has no
        triples of the default graph's own: its default graph is dumped empty, as the embedded
        store's is (s3graph keeps every triple in a named graph), not as every graph again.
        """
        if iri is None and self.preset.union is Union.NATIVE:
            data = ox.serialize([], format=fmt)
            return b"" if data is None else data
        where = "?s ?p ?o"
        if iri is not None:
            where = f"GRAPH {write_term(ox.NamedNode(iri))} {{ {where} }}"
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", dataset=_NO_UNION)
        assert isinstance(triples, ox.QueryTriples)
        data = ox.serialize(triples, format=fmt)
        assert data is not None
        return data

    # -- writing -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Sequence[NamedGraph | SerialisedGraph]) -> None:
        """Replace each named graph ``g.identifier`` by the triples of ``g``, graph by graph.

        Raises :class:`ValueError` (before sending anything) as the embedded store does, and for
        a graph the server keeps for itself; :class:`StoreError` when the server fails, after
        restoring what it held.
        """
        if not graphs:
            return
        serialised = [serialise(graph) for graph in graphs]
        check_distinct(serialised)
        for graph in serialised:
            if graph.iri in self.preset.system_graphs:
                raise ValueError(f"{graph.name} is a graph {self.preset.name} keeps for itself")
        old = self._lines([g.iri for g in serialised])
        changed = [g for g in serialised if old.get(g.iri, set()) != set(g.lines)]
        ordered = [g for g in changed if g.lines] + [g for g in changed if not g.lines]
        written: list[SerialisedGraph] = []
        try:
            for graph in ordered:
                written.append(graph)  # a request that fails may still have been applied
                self._write(graph, old.get(graph.iri))
        except (StoreError, QueryRejected) as exc:
            raise self._undo(written, old, exc) from None
        self._check(changed)

    def _write(self, graph: SerialisedGraph, before: set[str] | None) -> None:
        text = graph_update(graph, before or set(), self.preset.block_lines)
        if text:
            self._update(text, what="refused a write")

    def _check(self, graphs: Sequence[SerialisedGraph]) -> None:
        """Ask the server what it now holds of ``graphs``; a difference is a :class:`StoreError`."""
        if not graphs:
            return
        sizes = self._sizes([g.iri for g in graphs])
        wrong = [g for g in graphs if sizes.get(g.iri, 0) != len(g.lines)]
        if wrong:
            first = wrong[0]
            raise self._http.error(
                self.endpoints.update,
                "did not keep a write",
                f"{first.name} holds {sizes.get(first.iri, 0)} triples after the write, "
                f"{len(first.lines)} were written",
            )

    def _undo(
        self, written: Sequence[SerialisedGraph], old: Mapping[str, set[str]], exc: Exception
    ) -> StoreError:
        """Put the old triples back into the graphs of ``written``; the error to raise."""
        if isinstance(exc, QueryRejected):
            exc = self._http.error(self.endpoints.update, "refused a write", str(exc))
        assert isinstance(exc, StoreError)
        try:
            for graph in reversed(written):
                before = old.get(graph.iri, set())
                text = f"DROP SILENT GRAPH {graph.name}"
                if before:  # the old lines, whatever the graph holds now
                    restore = SerialisedGraph(graph.name, tuple(sorted(before)))
                    text += " ;\n" + graph_update(restore, set(), self.preset.block_lines)
                self._update(text)
        except (StoreError, QueryRejected):
            names = ", ".join(g.name for g in written)
            return StoreError(f"{exc}; the graphs {names} may be left changed")
        return StoreError(f"{exc}; nothing was changed")

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply the SPARQL Update ``text`` (:class:`SyntaxError` if the server refuses it)."""
        if base_iri is not None:
            text = f"BASE {write_term(ox.NamedNode(base_iri))}\n{text}"
        try:
            self._update(text)
        except QueryRejected as exc:
            raise SyntaxError(str(exc)) from None

    def _update(self, text: str, *, what: str = "cannot be updated") -> None:
        self._http.send("POST", self.endpoints.update, what=what, data=[("update", text)])

    def load_graph(self, iri: str | None, data: bytes, fmt: ox.RdfFormat, *, replace: bool) -> None:
        """Add (or with ``replace``, put instead of the old triples) ``data`` to graph ``iri``.

        One update request; :class:`SyntaxError` for data that does not parse.
        """
        lines = "".join(
            f"{t.subject} {t.predicate} {t.object} .\n"
            for t in ox.parse(data, format=fmt, base_iri=iri)
        )
        name = None if iri is None else write_term(ox.NamedNode(iri))
        inserted = lines if name is None else f"GRAPH {name} {{\n{lines}}}"
        text = f"INSERT DATA {{\n{inserted}}}"
        if replace:
            text = f"CLEAR SILENT {'DEFAULT' if name is None else 'GRAPH ' + name} ;\n{text}"
        self._update(text)

    # -- life cycle --------------------------------------------------------------------------

    @property
    def _http(self) -> Client:
        if self._client is None:
            raise StoreError(f"{self.url}: the store is closed; open it again")
        return self._client

    def close(self) -> None:
        """Let go of the connections; later calls raise :class:`StoreError`."""
        if self._client is not None:
            self._client.close()
            self._client = None

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
        state = "closed" if self._client is None else "open"
        return f"<RemoteStore {self.url!r} {self.preset.name} {state}>"


class _Dataset:
    """The dataset of a query over the named graphs by ``GRAPH``: the server's own default."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


#: Internal queries name their graphs with ``GRAPH``: they need no union default graph.
_NO_UNION = _Dataset()


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


def _blocks(name: str, lines: Sequence[str], size: int) -> list[str]:
    """``lines`` cut into ``GRAPH`` blocks, each for an operation of its own: Virtuoso 7.2 left
    the language-tagged literals of every block but the first undeleted when one ``DELETE
    DATA`` held several blocks of the same graph (seen with 10,000 lines in blocks of 1,000)."""
    return [
        f"GRAPH {name} {{\n{''.join(lines[start : start + size])}}}\n"
        for start in range(0, len(lines), size)
    ]


def _as_query_triples(data: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """Triples the server sent, as the ``QueryTriples`` the embedded store's CONSTRUCT gives."""
    holder = ox.Store()
    holder.bulk_load(data, format=fmt)
    results = holder.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(results, ox.QueryTriples)
    return results


def _integer(term: Term | None) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def _iri_of(term: Term | None) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""
