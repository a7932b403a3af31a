"""The RDF dumps: N-Quads of the dataset, N-Triples, Turtle and JSON-LD of the union and of
each partnership.

Every graph is read once, in IRI order, as canonical N-Triples written by pyoxigraph (in Rust;
on disk, reading is most of the export's time: ~11 us a quad here). Its lines are sorted (a
graph is small: one report, or one NUTS version) and written to the N-Quads file with the
graph's name; they also go to a :class:`~s3graph.export.sorting.LineSorter` for the union and,
for a report's graphs, to its partnership (:mod:`s3graph.export.partnerships`). Then the union
is written in the other formats (:func:`s3graph.export.views.write_view`).

The ontology's concept schemes (:mod:`s3graph.export.concepts`) are added as one more named
graph, so that the codes the reports use come with their labels.

Sorted lines make the files deterministic: the same store gives byte-identical dumps. Memory
stays flat as the store grows: one graph, one sorted run. The store holds no blank nodes (every
node the mapping makes is an IRI), so no label can vary between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from s3graph.export.concepts import CONCEPTS_GRAPH, concept_lines
from s3graph.export.files import open_output, output_path
from s3graph.export.partnerships import PartnershipFiles, partnership_graphs
from s3graph.export.sorting import LineSorter
from s3graph.export.views import Statistics, Syntax, write_view
from s3graph.mapping.source import SOURCE_TEXT_SUFFIX
from s3graph.store import GraphStore

__all__ = ["DUMP_STEM", "RDF_FORMATS", "Progress", "RdfDumps", "write_rdf"]

#: The RDF formats of ``--formats``, in the order they are written.
RDF_FORMATS: tuple[str, ...] = ("nq", "nt", "ttl", "jsonld")
#: File name (without extension) of the whole-dataset dumps.
DUMP_STEM = "s3graph"

#: ``progress(step, done, total)``: called as the export advances.
Progress = Callable[[str, int, int], None]


@dataclass
class RdfDumps:
    """What :func:`write_rdf` wrote: the files, and the partnership of each partnership file."""

    files: list[Path] = field(default_factory=list)
    partnerships: dict[Path, str] = field(default_factory=dict)
    quads: int = 0
    statistics: Statistics = field(default_factory=Statistics)


def write_rdf(
    store: GraphStore,
    out: Path,
    work: Path,
    *,
    formats: Collection[str],
    gzip: bool,
    syntax: Syntax,
    progress: Progress | None = None,
) -> RdfDumps:
    """Write the RDF dumps of ``formats`` (see :data:`RDF_FORMATS`) into ``out``.

    ``work`` is a scratch folder, left for the caller to remove. The union is read through
    even when none of its formats is wanted: its VoID statistics are counted on the way.
    """
    report = progress or _quiet
    views = [f for f in ("nt", "ttl", "jsonld") if f in formats]
    union = LineSorter(work / "union")
    by_partnership = None
    if {"ttl", "jsonld"} & set(formats):
        by_partnership = PartnershipFiles(
            partnership_graphs(store), out, work / "partnerships",
            formats=formats, gzip=gzip, syntax=syntax,
        )  # fmt: skip
    dumps = RdfDumps()
    nquads = out / f"{DUMP_STEM}.nq"
    try:
        with open_output(nquads, gzip=gzip) if "nq" in formats else nullcontext() as nq:
            # A report's source bytes are the store's bookkeeping (for judging it again): the
            # dumps describe the source file by its checksum and size instead.
            stored = [g for g in store.graphs() if not g.endswith(SOURCE_TEXT_SUFFIX)]
            added = [] if CONCEPTS_GRAPH in stored else [CONCEPTS_GRAPH]
            graphs: list[str | None] = [None, *sorted([*stored, *added])]
            for done, graph in enumerate(graphs, 1):
                lines = _graph_lines(store, graph, added)
                dumps.quads += len(lines)
                if nq is not None:
                    nq.writelines(_with_graph(lines, graph))
                union.add(lines)
                if by_partnership is not None:
                    by_partnership.add(graph, lines)
                report("graphs read", done, len(graphs))
        if "nq" in formats:
            dumps.files.append(output_path(nquads, gzip=gzip))
        dumps.files += write_view(
            union.sorted_unique(), out / DUMP_STEM, views, gzip=gzip,
            scratch=work / "union.nt", syntax=syntax, statistics=dumps.statistics,
        )  # fmt: skip
        if by_partnership is not None:
            dumps.partnerships = by_partnership.finish()
            dumps.files += sorted(dumps.partnerships)
    except BaseException:
        if by_partnership is not None:
            by_partnership.stop()
        raise
    return dumps


def _graph_lines(store: GraphStore, graph: str | None, added: list[str]) -> list[bytes]:
    """The sorted N-Triples lines of ``graph``: from the store, or the concepts the export adds."""
    if graph in added:
        return list(concept_lines())
    lines = store.dump_graph(graph, ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
    lines.sort()
    return lines


def _quiet(step: str, done: int, total: int) -> None:
    """No progress display."""


def _with_graph(lines: Iterable[bytes], graph: str | None) -> Iterator[bytes]:
    """N-Triples lines (``<s> <p> <o> .``) as N-Quads lines of ``graph``."""
    if graph is None:
        return iter(lines)
    suffix = f"<{graph}> .\n".encode()
    return (line[:-2] + suffix for line in lines)
