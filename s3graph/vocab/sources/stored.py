"""The vocabularies as the store holds them: their named graphs, and the NUTS index read back.

:func:`nuts_index_from_store` reads the NUTS graphs back into a
:class:`~s3graph.vocab.nuts_index.NutsIndex` with the named queries ``nuts-regions`` and
``nuts-changes``; :func:`vocabulary_graphs` lists the graphs ``s3graph vocab`` has written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from s3graph.errors import S3GraphError
from s3graph.vocab import boundaries_rdf, nuts_rdf, registry, sdg
from s3graph.vocab.nuts_index import NutsChange, NutsIndex, NutsRegion

if TYPE_CHECKING:
    from s3graph.store import GraphStore

#: The named graph of the partnership registry (``s3graph/vocab/partnerships.ttl``).
REGISTRY_GRAPH = URIRef(registry.REGISTRY_GRAPH)
#: The named graph of the NUTS change table.
NUTS_CHANGES_GRAPH = nuts_rdf.NUTS_CHANGES_GRAPH

Row = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class GraphSummary:
    """One named graph written (or found) in the store."""

    iri: str
    triples: int
    description: str

    def line(self) -> str:
        """``<iri>: N triples (description)``."""
        return f"{self.iri}: {self.triples} triples ({self.description})"


def nuts_index_from_store(store: GraphStore) -> NutsIndex | None:
    """The NUTS index of every version (and the changes) in the store; None without a version."""
    regions = [
        NutsRegion(
            code=_bound(row, "code"),
            level=int(_bound(row, "level")),
            country=_bound(row, "country"),
            label=_bound(row, "label"),
            label_latin=row["label_latin"] or _bound(row, "label"),
            parent=row["parent"] or None,
            version=int(_bound(row, "version")),
        )
        for row in run_rows(store, "nuts-regions")
    ]
    if not regions:
        return None
    changes = stored_changes(store)
    return NutsIndex.from_rows(regions, changes)


def stored_changes(store: GraphStore) -> list[NutsChange]:
    """The NUTS change table in the store (empty when none was loaded)."""
    return [
        NutsChange(
            from_version=int(row["from_version"]) if row["from_version"] else None,
            from_code=row["from_code"] or None,
            to_version=int(row["to_version"]) if row["to_version"] else None,
            to_code=row["to_code"] or None,
            change=_bound(row, "kind"),
        )
        for row in run_rows(store, "nuts-changes")
    ]


def codes_by_version(store: GraphStore) -> dict[int, set[str]]:
    """The codes of every NUTS version in the store (for the change links)."""
    codes: dict[int, set[str]] = defaultdict(set)
    for row in run_rows(store, "nuts-regions"):
        codes[int(_bound(row, "version"))].add(_bound(row, "code"))
    return dict(codes)


def vocabulary_graphs(store: GraphStore) -> list[GraphSummary]:
    """The vocabulary graphs in the store (NUTS versions, changes and boundaries, SDGs,
    registry), sorted."""
    return [
        GraphSummary(iri, store.graph_size(iri), describe_graph(iri))
        for iri in store.graphs()
        if is_vocabulary_graph(iri)
    ]


def is_vocabulary_graph(iri: str) -> bool:
    """Whether a named graph is one of the graphs ``s3graph vocab`` writes."""
    sdg_table = sdg.SDG_TABLE_GRAPH.removesuffix("{kind}")
    prefixes = (nuts_rdf.NUTS_SCHEME_PREFIX, sdg_table, boundaries_rdf.BOUNDARIES_GRAPH_PREFIX)
    return iri.startswith(prefixes) or iri in (
        str(NUTS_CHANGES_GRAPH),
        str(sdg.SDG_SCHEME),
        str(REGISTRY_GRAPH),
    )


def describe_graph(iri: str) -> str:
    """What a vocabulary graph holds, in a few words (``NUTS 2021``, ``UN SDGs``)."""
    if iri.startswith(nuts_rdf.NUTS_SCHEME_PREFIX):
        return f"NUTS {iri.removeprefix(nuts_rdf.NUTS_SCHEME_PREFIX)}"
    if iri.startswith(boundaries_rdf.BOUNDARIES_GRAPH_PREFIX):
        return f"NUTS {iri.removeprefix(boundaries_rdf.BOUNDARIES_GRAPH_PREFIX)} boundaries"
    if iri.startswith(sdg.SDG_TABLE_GRAPH.removesuffix("{kind}")):
        return f"UN SDG {iri.rsplit('/', 1)[-1]}"
    return {
        str(NUTS_CHANGES_GRAPH): "NUTS changes",
        str(sdg.SDG_SCHEME): "UN SDGs",
        str(REGISTRY_GRAPH): "partnership registry",
    }.get(iri, "vocabulary")


def run_rows(store: GraphStore, name: str) -> list[Row]:
    """The rows of a named query as plain values (None where unbound)."""
    from s3graph.namespaces import DEFAULT_BASE
    from s3graph.sparql import load_query, plain, run_query

    result = run_query(store, load_query(name), {}, base=DEFAULT_BASE)
    return [
        {c: (None if t is None else plain(t)) for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def _bound(row: Row, column: str) -> str:
    """The value of a column the query always binds."""
    value = row[column]
    if value is None:
        raise S3GraphError(f"a vocabulary query left {column} unbound; reload the vocabularies")
    return value
