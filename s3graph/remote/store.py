"""A SPARQL 1.1 server as the store: the embedded store's methods, over HTTP.

:class:`RemoteStore` offers what :class:`s3graph.store.Store` offers its users (``query``,
``replace_graphs``, ``update``, ``count``, ``graph_count``, ``graphs``, ``graph_size``,
``has_graph``, ``dump_graph``, ``load_graph``, ``close``) and answers with the same pyoxigraph
objects, so the code above it need not know which store it has. Queries are sent by POST (the
SPARQL 1.1 Protocol) and their results parsed by pyoxigraph; the server's quirks are its
:class:`~s3graph.remote.presets.Preset`'s business.

Writes stay whole: each graph is replaced by one request, checked afterwards and undone should
the server fail (:mod:`s3graph.remote.writing`). The store's own queries (the graphs' sizes and
triples) are ``queries/store/graph-*.rq``.

``--store URL`` opens it where ``Store.open(path)`` is opened for a folder
(:func:`s3graph.cli.support.store_opener`); ``--server`` / ``S3GRAPH_SERVER`` names the preset
(default ``oxigraph``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Self

import pyoxigraph as ox

from s3graph.errors import StoreError
from s3graph.rdf.graphs import NamedGraph, SerialisedGraph, Term
from s3graph.remote.answers import QueryResults, accept_for, read_answer
from s3graph.remote.binding import with_graphs, with_values, write_term
from s3graph.remote.client import (
    Client,
    Credentials,
    Limits,
    QueryRejected,
    split_credentials,
)
from s3graph.remote.paging import paged
from s3graph.remote.presets import Endpoints, Preset, Union, preset
from s3graph.remote.writing import TERMS_GRAPH, load_update, replace_graphs
from s3graph.resources import resource_dir
from s3graph.sparql_lex import has_keyword

__all__ = ["GRAPH_STORE_URL_VARIABLE", "SERVER_VARIABLE", "UPDATE_URL_VARIABLE", "RemoteStore"]

#: the kind of server when ``--server`` is not given
SERVER_VARIABLE = "S3GRAPH_SERVER"
#: the URLs of the update and Graph Store Protocol endpoints, in place of the preset's paths
UPDATE_URL_VARIABLE = "S3GRAPH_UPDATE_URL"
GRAPH_STORE_URL_VARIABLE = "S3GRAPH_GRAPH_STORE_URL"


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
        update_url: str | None = None,
        graph_store_url: str | None = None,
    ) -> RemoteStore:
        """The server at ``url`` of the kind ``server`` (else ``S3GRAPH_SERVER``, else oxigraph).

        The update and Graph Store Protocol endpoints are the preset's, or ``update_url`` and
        ``graph_store_url`` (else ``S3GRAPH_UPDATE_URL``, ``S3GRAPH_GRAPH_STORE_URL``).
        Credentials come from ``S3GRAPH_STORE_USER``/``S3GRAPH_STORE_PASSWORD``, or from a
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
        update, in_update = split_credentials(update_url or environ.get(UPDATE_URL_VARIABLE, ""))
        gsp_url = graph_store_url or environ.get(GRAPH_STORE_URL_VARIABLE, "")
        gsp, in_gsp = split_credentials(gsp_url)
        credentials = Credentials.from_environment(environ) or in_url or in_update or in_gsp
        limits = limits or Limits.from_environment(environ)
        endpoints = endpoints or chosen.endpoints(clean, update=update, graph_store=gsp)
        return cls(clean, chosen, credentials=credentials, limits=limits, endpoints=endpoints)

    def another(self) -> RemoteStore:
        """The same server over connections of its own (for another thread or process)."""
        http = self.http
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
            response = self.http.send(
                "POST",
                self.endpoints.query,
                what="cannot be queried",
                data=form,
                headers={"Accept": accept_for(self.preset, text)},
            )
        except QueryRejected as exc:
            raise SyntaxError(str(exc)) from None
        media = response.headers.get("Content-Type", "")
        results = read_answer(self.preset, media, response.content)
        if results is None:
            said = f"it answered in {media.split(';')[0] or 'no format'}"
            raise self.http.error(self.endpoints.query, "cannot be queried", said)
        return results

    def _select(self, text: str) -> list[ox.QuerySolution]:
        results = self.query(text, dataset=_NO_UNION)
        assert isinstance(results, ox.QuerySolutions)
        return list(results)

    def _all_sizes(self) -> dict[str, int]:
        """The number of triples of every named graph but the server's own."""
        rows = self._select(_query("graph-sizes"))
        sizes = {_iri_of(row["g"]): _integer(row["n"]) for row in rows}
        hidden = self.preset.system_graphs | {TERMS_GRAPH}  # and writing's, for one request
        return {g: n for g, n in sizes.items() if g and g not in hidden}

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
        return self.sizes([iri]).get(iri, 0)

    def has_graph(self, iri: str | None) -> bool:
        """Whether the named graph ``iri`` holds triples (the default graph always exists)."""
        return iri is None or iri in self.sizes([iri])

    def sizes(self, iris: Iterable[str]) -> dict[str, int]:
        """The number of triples of each graph of ``iris`` that exists."""
        text = with_graphs(_query("graph-sizes"), iris)
        return {_iri_of(row["g"]): _integer(row["n"]) for row in self._select(text)}

    def current_lines(self, iris: Sequence[str]) -> dict[str, set[str]]:
        """The current triples of each graph of ``iris`` that exists, as N-Triples lines.

        Counted first and read in pages (:mod:`.paging`): a server that caps its answers
        (Virtuoso's ``ResultSetMaxRows``) would otherwise give part of a large graph, and the
        write made from it would leave old triples behind, its undo lose the rest.
        """
        sizes = self.sizes(iris) if iris else {}
        if not sizes:
            return {}
        text = with_graphs(_query("graph-lines"), sizes)
        lines: dict[str, set[str]] = {}
        for row in paged(self._select, text, sum(sizes.values())):
            lines.setdefault(_iri_of(row["g"]), set()).add(f"{row['s']} {row['p']} {row['o']} .\n")
        for iri, size in sizes.items():
            if len(lines.get(iri, ())) != size:
                raise self.http.error(
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
        if iri is None:
            # the server's own default graph, without the union (s3graph writes nothing there)
            triples = self.query("CONSTRUCT WHERE { ?s ?p ?o }", dataset=_NO_UNION)
            assert isinstance(triples, ox.QueryTriples)
            data = ox.serialize(triples, format=fmt)
        else:  # read as a replacement reads it: counted and paged, whole under a row cap
            lines = "".join(sorted(self.current_lines([iri]).get(iri, ())))
            parsed = ox.parse(lines.encode(), format=ox.RdfFormat.N_TRIPLES)
            data = ox.serialize(parsed, format=fmt)
        assert data is not None
        return data

    # -- writing -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Sequence[NamedGraph | SerialisedGraph]) -> None:
        """Replace each named graph ``g.identifier`` by the triples of ``g``, graph by graph, each
        by one request, checked and undone on failure (:mod:`s3graph.remote.writing`).

        Raises :class:`ValueError` (before sending anything) as the embedded store does, and for
        a graph the server keeps for itself; :class:`StoreError` when the server fails, after
        restoring what it held.
        """
        replace_graphs(self, graphs)

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply the SPARQL Update ``text`` (:class:`SyntaxError` if the server refuses it)."""
        if base_iri is not None:
            text = f"BASE {write_term(ox.NamedNode(base_iri))}\n{text}"
        try:
            self.send_update(text)
        except QueryRejected as exc:
            raise SyntaxError(str(exc)) from None

    def send_update(self, text: str, *, what: str = "cannot be updated") -> None:
        """Send the SPARQL Update ``text``; :class:`QueryRejected` when the server refuses it."""
        self.http.send("POST", self.endpoints.update, what=what, data=[("update", text)])

    def load_graph(self, iri: str | None, data: bytes, fmt: ox.RdfFormat, *, replace: bool) -> None:
        """Add (or with ``replace``, put instead of the old triples) ``data`` to graph ``iri``:
        one update request (:func:`s3graph.remote.writing.load_update`); :class:`SyntaxError`
        for data that does not parse."""
        self.send_update(load_update(iri, data, fmt, replace=replace))

    # -- life cycle --------------------------------------------------------------------------

    @property
    def http(self) -> Client:
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


@lru_cache(maxsize=8)
def _query(name: str) -> str:
    """The text of ``queries/store/NAME.rq``, the store's own queries."""
    return (resource_dir("queries") / "store" / f"{name}.rq").read_text(encoding="utf-8")


def _integer(term: Term | None) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def _iri_of(term: Term | None) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""
