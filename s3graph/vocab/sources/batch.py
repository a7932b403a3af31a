"""Several vocabulary files at once, or downloads, read and checked before anything is written.

What ``s3graph vocab load FILE|FOLDER...`` and ``vocab fetch`` hand to one write: the files of
folders found (:func:`vocabulary_files`), each told apart by its content and read
(:func:`read_files`), and the NUTS changes graph built again against every version in force.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import SKOS

from s3graph.errors import ReportError
from s3graph.vocab import nuts_csv, nuts_rdf, sdg
from s3graph.vocab.nuts_index import NutsChange
from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sources import fetch as fetching
from s3graph.vocab.sources import urls as sources
from s3graph.vocab.sources.base import skolemised
from s3graph.vocab.sources.loading import (
    RDF_SUFFIXES,
    LoadSummary,
    fetched_nuts,
    nuts_file_graphs,
    read_text,
    sdg_summary,
)
from s3graph.vocab.sources.stored import (
    NUTS_CHANGES_GRAPH,
    GraphSummary,
    codes_by_version,
    describe_graph,
    stored_changes,
)

if TYPE_CHECKING:
    from s3graph.store import GraphStore


#: File name endings ``s3graph vocab load`` reads in a folder.
VOCAB_SUFFIXES = (".csv", *RDF_SUFFIXES)


@dataclass(frozen=True, slots=True)
class VocabUpdate:
    """Vocabulary graphs read from files, checked and not yet written (see :func:`read_files`)."""

    graphs: list[Graph]
    summaries: list[LoadSummary]
    #: Files found in a folder that are no vocabulary s3graph reads (with why), left out.
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VocabFiles:
    """The files to load: those named, and those found in folders (which may be left out)."""

    files: list[Path]
    found: frozenset[Path]


def vocabulary_files(paths: Sequence[str | Path]) -> VocabFiles:
    """The files to load: files as given, folders replaced by their vocabulary files, sorted.

    Raises :class:`VocabFileError` for a path that does not exist or a folder without any.
    """
    files: list[Path] = []
    found_in_folders: set[Path] = set()
    for given in map(Path, paths):
        if given.is_dir():
            found = sorted(
                p for p in given.rglob("*") if p.is_file() and p.suffix.lower() in VOCAB_SUFFIXES
            )
            if not found:
                kinds = ", ".join(VOCAB_SUFFIXES)
                raise VocabFileError(given, f"a folder of vocabulary files ({kinds})")
            files.extend(found)
            found_in_folders.update(found)
        elif given.is_file():
            files.append(given)
        else:
            raise VocabFileError(given, "an existing vocabulary file or folder")
    named = set(map(Path, paths))
    return VocabFiles(list(dict.fromkeys(files)), frozenset(found_in_folders - named))


def read_files(store: GraphStore, paths: VocabFiles, *, version: int | None = None) -> VocabUpdate:
    """Every vocabulary file of ``paths`` read and checked, all before anything is written.

    NUTS region tables, the NUTS changes table, SKOS NUTS, the UN SDG KOS and the SDG CSV tables
    (goals, targets, indicators) are told apart by content. When NUTS versions change, the
    changes graph is built again (from the changes table given, else the one stored) against the
    codes of every version in force, so the graphs do not depend on the order of the loads.
    A file found in a folder whose header is no vocabulary's is left out (and listed in
    :attr:`VocabUpdate.skipped`); a file named so is an error.
    """
    graphs: list[Graph] = []
    summaries: list[LoadSummary] = []
    skipped: list[str] = []
    changes: list[NutsChange] | None = None
    changes_source = "the NUTS changes stored"
    for path in paths.files:
        try:
            read = _read_one(store, path, version)
        except ReportError as error:
            if path not in paths.found or error.line != 1:
                raise
            skipped.append(f"{path}: not a vocabulary s3graph reads (its header), left out")
            continue
        if isinstance(read, list):
            changes, changes_source = read, str(path)
            continue
        graphs.extend(read.graphs)
        summaries.append(read.summary)
    update = _with_changes(store, VocabUpdate(graphs, summaries), changes, changes_source)
    return VocabUpdate(update.graphs, update.summaries, skipped)


def _with_changes(
    store: GraphStore, update: VocabUpdate, changes: list[NutsChange] | None, source: str
) -> VocabUpdate:
    """``update`` with the NUTS changes graph built again when it depends on what changed."""
    graphs, summaries = update.graphs, update.summaries
    versions = [g for g in graphs if str(g.identifier).startswith(nuts_rdf.NUTS_SCHEME_PREFIX)]
    if changes is None and versions and store.has_graph(str(NUTS_CHANGES_GRAPH)):
        changes = stored_changes(store)
    if changes is not None:
        graph = nuts_rdf.nuts_changes_graph(changes, _codes_in_force(store, graphs))
        kinds = len({c.change for c in changes})
        described = f"{len(changes)} NUTS changes of {kinds} kinds"
        summary = GraphSummary(str(graph.identifier), len(graph), described)
        return VocabUpdate([*graphs, graph], [*summaries, LoadSummary(source, (summary,))])
    return update


def fetch_nuts_graphs(
    store: GraphStore, versions: Iterable[int], *, cache_dir: Path | None = None
) -> VocabUpdate:
    """:func:`fetch_nuts` without the write: the downloaded versions (and changes rebuilt)."""
    graphs, summaries = fetched_nuts(versions, cache_dir)
    return _with_changes(store, VocabUpdate(graphs, summaries), None, "the NUTS changes stored")


def fetch_sdg_graphs(store: GraphStore, *, cache_dir: Path | None = None) -> VocabUpdate:
    """:func:`fetch_sdg` without the write."""
    url = sources.sdg_kos_url()
    graph = skolemised(sdg.load_sdg_kos(fetching.fetch(url, cache_dir=cache_dir)))
    return VocabUpdate([graph], [LoadSummary(url, (sdg_summary(graph),))])


@dataclass(frozen=True, slots=True)
class _OneFile:
    graphs: list[Graph]
    summary: LoadSummary


def _read_one(store: GraphStore, path: Path, version: int | None) -> _OneFile | list[NutsChange]:
    """One file's graphs; the rows of a NUTS changes table (built into a graph at the end)."""
    if path.suffix.lower() in RDF_SUFFIXES:
        data = path.read_bytes()
        if b"data.europa.eu/nuts" not in data and b"metadata.un.org/sdg" in data:
            graph = skolemised(sdg.load_sdg_kos(path))
            return _OneFile([graph], LoadSummary(str(path), (sdg_summary(graph),)))
        graphs, summaries = nuts_file_graphs(store, path, version)
        return _OneFile(graphs, LoadSummary(str(path), tuple(summaries)))
    text = read_text(path)
    header = nuts_csv.header_of(text)
    if sdg.sdg_csv_layout(header) is not None:
        graph = sdg.sdg_csv_graph(text, str(path))
        iri = str(graph.identifier)
        summary = GraphSummary(iri, len(graph), describe_graph(iri))
        return _OneFile([graph], LoadSummary(str(path), (summary,)))
    if nuts_csv.layout(header) == "changes":
        return nuts_csv.read_changes_csv(text, name=str(path))
    graphs, summaries = nuts_file_graphs(store, path, version)
    return _OneFile(graphs, LoadSummary(str(path), tuple(summaries)))


def _codes_in_force(store: GraphStore, graphs: Sequence[Graph]) -> dict[int, set[str]]:
    """The codes of every NUTS version: the snapshot's, those stored in their place, the new."""
    from s3graph.vocab.nuts_snapshot import snapshot_index

    snapshot = snapshot_index()
    codes = {v: {r.code for r in snapshot.regions(v)} for v in snapshot.versions}
    codes.update(codes_by_version(store))
    for graph in graphs:
        name = str(graph.identifier)
        if name.startswith(nuts_rdf.NUTS_SCHEME_PREFIX):
            year = int(name.removeprefix(nuts_rdf.NUTS_SCHEME_PREFIX))
            codes[year] = {str(code) for code in graph.objects(None, SKOS.notation)}
    return codes
