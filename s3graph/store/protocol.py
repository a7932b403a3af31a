"""What any store offers its users: :class:`GraphStore`, the protocol the embedded
:class:`s3graph.store.Store` and :class:`s3graph.remote.RemoteStore` both satisfy, and the dataset
a query may be given (:class:`QueryDataset`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

import pyoxigraph as ox

from s3graph.rdf.graphs import NamedGraph, SerialisedGraph, Term

__all__ = ["GraphStore", "QueryDataset", "QueryResults", "dataset_in_text"]

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

