"""A partnership's changes computed whole again whenever one of its reports comes or goes.

The changes graph of a partnership (:mod:`s3graph.changes.rdf`) depends on all its reports, so a
write that adds, replaces or removes reports also rewrites the changes graph of each partnership
it touches, in the SAME :meth:`~s3graph.store.Store.replace_graphs` call (readers and a killed
process see the old reports with the old changes, or the new with the new). Only the touched
partnerships are read, so the cost follows the reports written, not the store's size.

The partnership's other reports are read back from the source bytes the store keeps
(``{report}/source-text``, :mod:`s3graph.mapping.source`) and parsed again, not from their RDF:
the comparison works on the parsed :class:`~s3graph.model.Report` (cells as written, the
unchecked SDG boxes, planned dates such as ``Q4 2020``, every line number), which the report
graph only partly holds, and parsing is what re-judging does already (:mod:`s3graph.judging`),
so a report is compared exactly as it was first read, whatever order the reports arrived in. A
report whose source the store does not keep (ingested without sources) is left out of the
comparison. A partnership with fewer than two dated reports has no changes: its graph is
written empty, which drops one a removed report left behind.

The comparison needs the linking's judgements (resolved codes, recodings, partnerships
mentioned): those of the write's linker, reused for the reports it linked already. A write
without a linker compares the reports as stated (stated codes, no collaborations).
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

from s3graph.changes import LinkedWorld, World, changes_over_time
from s3graph.changes.rdf import ChangesOf, changes_graph, changes_graph_iri
from s3graph.changes.world import Member
from s3graph.linking.regions import nuts_name
from s3graph.mapping.iris import Iris
from s3graph.rdf.graphs import SerialisedGraph
from s3graph.resources import resource_dir

if TYPE_CHECKING:
    from rdflib import URIRef

    from s3graph.linking.links import Linker, ReportLinks
    from s3graph.model import Report
    from s3graph.store import GraphStore

#: A report as a write holds it: parsed, with its links when the run linked it.
Held = tuple["Report", "ReportLinks | None"]


def partnership_slug(report_iri: str, *, base: str) -> str | None:
    """The partnership's slug in a report IRI ``{base}report/{slug}/{period}`` (else None)."""
    rest = report_iri.removeprefix(f"{base}report/")
    slug, _, period = rest.partition("/")
    if rest == report_iri or not slug or not period or "/" in period:
        return None
    return slug


def base_of(report_iri: str) -> str:
    """The base a report IRI ``{base}report/{slug}/{period}`` is minted under."""
    return report_iri.rsplit("/", 2)[0].removesuffix("report")


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored report of a touched partnership: its source file's name and bytes, if kept."""

    name: str | None
    data: bytes | None
    first_line: int


def _stored_of(store: GraphStore, partnership: URIRef) -> dict[str, _Stored]:
    """The partnership's stored reports by IRI (``queries/store/partnership-sources.rq``)."""
    path = resource_dir("queries") / "store" / "partnership-sources.rq"
    solutions = store.query(
        path.read_text(encoding="utf-8"), {"partnership": NamedNode(str(partnership))}
    )
    assert isinstance(solutions, QuerySolutions), "partnership-sources.rq is a SELECT query"
    found: dict[str, _Stored] = {}
    for row in solutions:
        data, name, first = row["bytes"], row["name"], row["first"]
        found[row["report"].value] = _Stored(
            name.value if name is not None else None,
            base64.b64decode(data.value) if data is not None else None,
            int(first.value) if first is not None else 1,
        )
    return found


def _parsed(stored: _Stored) -> Report | None:
    from s3graph.parse import parse_bytes

    if stored.data is None or stored.name is None:
        return None
    limit = max(len(stored.data), 1)
    return parse_bytes(stored.name, stored.data, max_bytes=limit, first_line=stored.first_line)


def changes_graphs(
    store: GraphStore,
    *,
    base: str,
    written: Mapping[str, Held],
    removed: Collection[str] = (),
    linker: Linker | None = None,
) -> list[SerialisedGraph]:
    """The changes graph of every partnership with a report in ``written`` or ``removed``.

    ``written`` maps the IRI of each report the write stores to the report (and its links);
    ``removed`` holds the IRIs of the reports it drops. Nothing is written here: the caller puts
    the graphs in its own write.
    """
    slugs = sorted({s for iri in [*written, *removed] if (s := partnership_slug(iri, base=base))})
    world = _World(linker, written.values(), Iris(base))
    iris = world.iris
    graphs: list[SerialisedGraph] = []
    for slug in slugs:
        stored = _stored_of(store, iris.partnership(slug))
        kept = {iri: s for iri, s in stored.items() if iri not in written and iri not in removed}
        own = [held[0] for iri, held in written.items() if iri.startswith(f"{base}report/{slug}/")]
        reports: list[Report] = own
        if len(own) + len(kept) >= 2:
            reports = [*own, *(r for s in kept.values() if (r := _parsed(s)) is not None)]
        steps = changes_over_time(reports, world.linked()) if len(reports) >= 2 else ()
        graph = changes_graph(
            ChangesOf(slug, steps),
            base=base,
            partnership_of=world.iri,
            region_name=world.region_name,
        )
        # An empty graph is a drop: written only when there is one (a write of new graphs
        # only takes the store's fast path).
        if graph.lines or (stored and _holds(store, changes_graph_iri(base, slug))):
            graphs.append(graph)
    return graphs


def _holds(store: GraphStore, graph: str) -> bool:
    """Whether the store holds the named graph ``graph`` (with a triple in it)."""
    answer = store.query(f"ASK {{ GRAPH {NamedNode(graph)} {{ ?s ?p ?o }} }}")
    assert isinstance(answer, QueryBoolean), "an ASK query"
    return bool(answer)


class _Unlinked:
    """The world of a write that links nothing (no linker given): a region is what its report
    states, no NUTS version is known, no other partnership is recognised."""

    def regions(self, report: Report) -> Mapping[Member, str]:
        return {}

    def version(self, report: Report) -> int | None:
        return None

    def carry(self, code: str, version: int, later: int) -> str | None:
        return code if version == later else None

    def collaborations(self, report: Report) -> Mapping[str, tuple[int, ...]]:
        return {}


class _World:
    """The world of a write, made when first needed: the run's linker with the links the run
    made already, or, when the run links nothing, :class:`_Unlinked` (the same for ingest and
    remove, so a store holds the same changes whichever wrote them)."""

    def __init__(self, linker: Linker | None, held: Iterable[Held], iris: Iris) -> None:
        self._linker = linker
        self._held = list(held)
        self._world: World | None = None
        self.iris = iris

    def linked(self) -> World:
        if self._world is None:
            if self._linker is None:
                self._world = _Unlinked()
            else:
                known = {id(r): (r, links) for r, links in self._held if links is not None}
                self._world = LinkedWorld(self._linker, known)
        return self._world

    def region_name(self, code: str) -> str | None:
        """The NUTS name of ``code`` (newest version holding it), as the report graphs write it."""
        index = self._linker.index if self._linker is not None else None
        return nuts_name(code, index) if index is not None else None

    def iri(self, name: str) -> str | None:
        """The registry IRI of the partnership called ``name`` (None: not in the registry)."""
        entry = self._linker.registry.lookup(name) if self._linker is not None else None
        return None if entry is None else str(self.iris.partnership(entry.slug))


__all__ = ["Held", "base_of", "changes_graphs", "partnership_slug"]
