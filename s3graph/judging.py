"""Judgements as a function of the data: every stored report read again against reference data.

A report's graph and its validation graph depend on the report's text and on the reference data
(NUTS versions and changes, the partnership registry, English region names), never on the order
in which they reached the store. So whenever the reference data changes (``s3graph vocab load`` or
``fetch``), and on demand (``s3graph check``), every stored report is read again from the bytes
the store keeps of it (:mod:`s3graph.mapping.source`) and linked, mapped and validated anew with
the ingestion time it had; the new graphs are written together with the new reference data in ONE
:meth:`~s3graph.store.Store.replace_graphs` call, so readers (and a process killed half way) see
the old state or the new one.

:class:`Reference` is the reference data of a run: the linker and its :class:`ReferenceStamp`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import QuerySolutions

from s3graph.ingest import ReadJob, StoredSource, read_all
from s3graph.pipeline import Pipeline, ValidateReport
from s3graph.reference import ReferenceStamp, stamp_of
from s3graph.resources import resource_dir

if TYPE_CHECKING:
    from rdflib import Graph

    from s3graph.linking.links import Linker
    from s3graph.rdf.graphs import NamedGraph, SerialisedGraph
    from s3graph.recompute import Held
    from s3graph.store import GraphStore
    from s3graph.validate.problems import Problem
    from s3graph.vocab.nuts_index import NutsIndex


@dataclass(frozen=True, slots=True)
class Reference:
    """The reference data reports are judged against: the linker and what it holds."""

    linker: Linker
    stamp: ReferenceStamp

    @classmethod
    def load(cls, index: NutsIndex | None, names: Mapping[str, Sequence[str]]) -> Reference:
        """The linker of the NUTS ``index`` and the extra English region ``names``."""
        from s3graph.linking.links import Linker
        from s3graph.vocab.registry import registry_text

        stamp = stamp_of(index, registry_text(), names)
        return cls(Linker.load(index, names), stamp)


@dataclass(frozen=True, slots=True)
class Rejudged:
    """The stored reports read again: the graphs to write and what validation found."""

    graphs: list[NamedGraph | SerialisedGraph]
    reports: int
    problems: list[Problem] = field(default_factory=list)
    #: Reports the store keeps no source of (ingested by s3graph 0.x before sources were kept).
    sourceless: list[str] = field(default_factory=list)


def stored_sources(store: GraphStore) -> list[tuple[str, StoredSource]]:
    """Every stored report's IRI with its source file as the store keeps it, by IRI."""
    found: list[tuple[str, StoredSource]] = []
    for row in _solutions(store, "store/stored-sources"):
        report, name, data, ingested = (row[k] for k in ("report", "name", "bytes", "ingested"))
        when = datetime.fromisoformat(ingested.value)
        first = int(row["first"].value) if row["first"] is not None else 1
        source = StoredSource(name.value, base64.b64decode(data.value), when, first)
        found.append((report.value, source))
    return found


def stored_reports(store: GraphStore) -> list[str]:
    """The IRIs of the reports in the store (graphs typed ``s3g:MonitoringReport``)."""
    return [row["report"].value for row in _solutions(store, "store/stored-reports")]


def _solutions(store: GraphStore, name: str) -> QuerySolutions:
    """The solutions of ``queries/{name}.rq`` (``store/...``: the store's own bookkeeping)."""
    text = (resource_dir("queries") / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(text)
    assert isinstance(solutions, QuerySolutions), f"{name}.rq is a SELECT query"
    return solutions


def rejudge(
    store: GraphStore,
    *,
    base: str,
    reference: Reference,
    validate: ValidateReport | None,
    progress: Callable[[Path], None] | None = None,
) -> Rejudged:
    """Every stored report read again against ``reference``: the graphs that replace its own.

    Nothing is written here: the caller writes :attr:`Rejudged.graphs` in the same call as the
    reference data they were judged against. A report whose IRI comes out different (the
    registry now names its partnership otherwise) has its old graphs dropped.
    """
    sources = stored_sources(store)
    pipeline = Pipeline(
        base, datetime.now(UTC), linker=reference.linker, validate=validate, stamp=reference.stamp
    )
    reads = read_all([s for _, s in sources], ReadJob(pipeline))
    graphs: list[NamedGraph | SerialisedGraph] = []
    problems: list[Problem] = []
    written: set[str] = set()
    reads_held: dict[str, Held] = {}
    moved: list[str] = []
    for (old, source), read in zip(sources, reads, strict=True):
        new = read.graphs[0].iri
        if new != old:
            graphs.extend(_moved(store, old, new, source))
            moved.append(old)
        if new in written:
            continue  # two stored sources now give one report: the first (by old IRI) stays
        written.add(new)
        reads_held[new] = read.held
        graphs.extend(read.graphs)
        problems.extend(read.problems)
        if progress is not None:
            progress(read.path)
    judged = {old for old, _ in sources}
    graphs.extend(_changes(store, base, reference, reads_held, moved))
    sourceless = [iri for iri in stored_reports(store) if iri not in judged]
    problems.sort(key=lambda p: p.rank)
    return Rejudged(graphs, len(sources), problems, sourceless)


def _changes(
    store: GraphStore,
    base: str,
    reference: Reference,
    held: Mapping[str, Held],
    moved: Sequence[str],
) -> list[SerialisedGraph]:
    """Every partnership's changes computed again from its reports read anew (the resolved
    codes and recodings they rest on come from the reference data), and those of a partnership
    a report ``moved`` away from."""
    from s3graph.recompute import changes_graphs

    linker = reference.linker
    return changes_graphs(store, base=base, written=held, removed=moved, linker=linker)


def _moved(store: GraphStore, old: str, new: str, source: StoredSource) -> list[NamedGraph]:
    """The report ``old`` now reads as ``new``: its old graphs emptied, its source moved."""
    from rdflib import URIRef

    from s3graph.mapping.source import source_text_graph
    from s3graph.mapping.triples import NamedTriples

    emptied: list[NamedGraph] = [
        NamedTriples(URIRef(iri), [])
        for iri in store.graphs()
        if iri == old or iri.startswith(f"{old}/")
    ]
    moved = source_text_graph(new, source.name, source.data, first_line=source.first_line)
    return [*emptied, moved]


@dataclass(frozen=True, slots=True)
class Staleness:
    """How many stored reports were judged against other reference data than ``stamp``'s."""

    judged: int
    stale: int

    def line(self) -> str:
        """``judgements: ...`` in words, with what to do about stale ones."""
        if not self.stale:
            return f"judgements: {self.judged} up to date with the reference data"
        reports = "report" if self.stale == 1 else "reports"
        return (
            f"judgements: {self.stale} {reports} judged against older reference data "
            "(run s3graph check to judge them again)"
        )


def staleness(store: GraphStore, stamp: ReferenceStamp) -> Staleness:
    """Compare the reference data each report's validation graph records with ``stamp`` (now's),
    with the query the pages use (``page-judgements``)."""
    digests = [row["digest"].value for row in _solutions(store, "page-judgements")]
    return Staleness(len(digests), sum(digest != stamp.digest for digest in digests))


def nuts_after(store: GraphStore, graphs: Sequence[Graph]) -> NutsIndex:
    """The NUTS index in force once ``graphs`` replace theirs: the snapshot, with every version
    stored (or about to be) in place of its own. Read from a copy in memory of the store's NUTS
    graphs and the new ones, so nothing is written before the reports are judged anew."""
    import pyoxigraph as ox

    from s3graph.store import Store as StoreClass
    from s3graph.vocab.nuts_rdf import NUTS_CHANGES_GRAPH, NUTS_SCHEME_PREFIX
    from s3graph.vocab.nuts_snapshot import with_snapshot
    from s3graph.vocab.sources.stored import nuts_index_from_store

    def is_nuts(iri: str) -> bool:
        return iri.startswith(NUTS_SCHEME_PREFIX) or iri == str(NUTS_CHANGES_GRAPH)

    replaced = {str(g.identifier) for g in graphs}
    copy = StoreClass(ox.Store(), Path(str(store.path)), in_memory=True)  # named only
    for iri in store.graphs():
        if is_nuts(iri) and iri not in replaced:
            data = store.dump_graph(iri, ox.RdfFormat.N_TRIPLES)
            copy.load_graph(iri, data, ox.RdfFormat.N_TRIPLES, replace=True)
    copy.replace_graphs([g for g in graphs if is_nuts(str(g.identifier)) and len(g)])
    return with_snapshot(nuts_index_from_store(copy))


def update_reference(
    store: GraphStore,
    graphs: Sequence[Graph],
    *,
    base: str,
    names: Mapping[str, Sequence[str]],
    validate: ValidateReport | None,
    progress: Callable[[Path], None] | None = None,
) -> Rejudged:
    """Write the reference ``graphs`` and every stored report judged against them, in ONE write.

    Returns what the re-judging found (its graphs are written already).
    """
    reference = Reference.load(nuts_after(store, graphs), names)
    rejudged = rejudge(store, base=base, reference=reference, validate=validate, progress=progress)
    store.replace_graphs([*graphs, *rejudged.graphs])
    return rejudged


__all__ = [
    "Reference",
    "Rejudged",
    "Staleness",
    "nuts_after",
    "rejudge",
    "staleness",
    "stored_reports",
    "stored_sources",
    "update_reference",
]
