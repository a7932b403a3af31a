"""Reference vocabularies into the store: NUTS versions and changes, UN SDGs, the registry.

The core of ``s3graph vocab`` (no click here). Every function writes whole named graphs through
:meth:`s3graph.store.Store.replace_graphs`, in one transaction per call, after the input has been
read and checked completely: a bad file raises one clear error and writes nothing.

Named graphs:

* ``http://data.europa.eu/nuts/scheme/{YEAR}``: the regions of one NUTS version (SKOS, made by
  :func:`s3graph.vocab.nuts_rdf.nuts_graph`);
* ``http://data.europa.eu/nuts/changes``: the code relations between versions
  (``nuts-changes.csv``), kept apart so that loading them never rebuilds a version graph;
* ``http://metadata.un.org/sdg``: the 17 goals (offline), or the UN SDG KOS once fetched/loaded;
* ``https://w3id.org/s3graph/graph/registry``: the curated partnership registry.

Reading the graphs back (the NUTS index, the list of vocabulary graphs) is
:mod:`s3graph.vocab.sources.stored`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from s3graph.errors import ReportError, S3GraphError
from s3graph.vocab import nuts_csv, nuts_rdf, nuts_skos, sdg
from s3graph.vocab.nuts_index import NutsRegion
from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sources import fetch as fetching
from s3graph.vocab.sources import urls as sources
from s3graph.vocab.sources.base import skolemised
from s3graph.vocab.sources.stored import (
    NUTS_CHANGES_GRAPH,
    REGISTRY_GRAPH,
    GraphSummary,
    codes_by_version,
)

if TYPE_CHECKING:
    from s3graph.store import GraphStore

#: File name endings read as RDF (SKOS NUTS or the UN SDG KOS).
RDF_SUFFIXES = (".ttl", ".rdf", ".owl", ".xml", ".nt", ".n3", ".trig", ".nq", ".jsonld")

_YEAR_IN_NAME = re.compile(r"nuts(?:[-_ ]?at)?[-_ ]?((?:19|20)\d\d)(?!\d)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What one file (loaded or downloaded) put into the store: one entry per named graph."""

    source: str
    graphs: tuple[GraphSummary, ...]

    def lines(self) -> list[str]:
        """One line per graph, naming the graph, its size and the source."""
        return [f"{g.line()} from {self.source}" for g in self.graphs]


@dataclass(frozen=True, slots=True)
class NamesSummary:
    """The Wikidata names fetched into the cache (they are not stored in the graph)."""

    path: Path
    names: int
    codes: int

    def line(self) -> str:
        return f"{self.path}: {self.names} names of {self.codes} NUTS codes from Wikidata"


# -- NUTS files ----------------------------------------------------------------------------------


def load_nuts_file(
    store: GraphStore, path: str | Path, *, version: int | None = None
) -> LoadSummary:
    """Load one NUTS file into the store, replacing the graphs it holds.

    The layout is detected: a region CSV (reference layout ``code,level,country,label,...`` or
    GISCO ``NUTS_ID,LEVL_CODE,...``: one version, from ``version`` or the file name
    ``nuts-2016.csv`` / ``NUTS_AT_2016.csv``), the change CSV (``from_version,from_code,...``)
    or a SKOS RDF file (every version it holds, or only ``version``). Raises
    :class:`~s3graph.errors.ReportError` (CSV: file, line, what was expected) or
    :class:`~s3graph.vocab.rdf_files.VocabFileError`; nothing is written then.
    """
    source = Path(path)
    graphs, summaries = nuts_file_graphs(store, source, version)
    store.replace_graphs(graphs)
    return LoadSummary(str(source), tuple(summaries))


def nuts_file_graphs(
    store: GraphStore, source: Path, version: int | None
) -> tuple[list[Graph], list[GraphSummary]]:
    if source.suffix.lower() in RDF_SUFFIXES:
        regions = nuts_skos.read_nuts_skos(source, version)
        by_version: dict[int, list[NutsRegion]] = defaultdict(list)
        for region in regions:
            by_version[region.version].append(region)
        built = [_version_graph(rs, v) for v, rs in sorted(by_version.items())]
        return [g for g, _ in built], [s for _, s in built]
    text = read_text(source)
    header = nuts_csv.header_of(text)
    kind = nuts_csv.layout(header)
    if kind == "changes":
        changes = nuts_csv.read_changes_csv(text, name=str(source))
        graph = nuts_rdf.nuts_changes_graph(changes, codes_by_version(store))
        kinds = len({c.change for c in changes})
        summary = GraphSummary(
            str(graph.identifier), len(graph), f"{len(changes)} NUTS changes of {kinds} kinds"
        )
        return [graph], [summary]
    if kind is not None:
        year = version if version is not None else version_from_name(source)
        if year is None:
            raise S3GraphError(
                f"{source}: cannot tell the NUTS version from the file name; "
                "give it with --version YEAR (e.g. --version 2021)"
            )
        regions = nuts_csv.read_reference_csv(text, year, name=str(source))
        graph, summary = _version_graph(regions, year)
        return [graph], [summary]
    raise ReportError(
        str(source),
        1,
        "a NUTS CSV header: the columns "
        f"{','.join(nuts_csv.REFERENCE_COLUMNS)} (reference layout), "
        f"{','.join(nuts_csv.GISCO_COLUMNS)} (GISCO) or "
        f"{','.join(nuts_csv.CHANGE_COLUMNS)} (changes); or a SKOS file "
        f"({', '.join(RDF_SUFFIXES)})",
        ",".join(header),
    )


def version_from_name(path: str | Path) -> int | None:
    """The NUTS version a file name states (``nuts-2016.csv``, ``NUTS_AT_2016.csv``), or None."""
    match = _YEAR_IN_NAME.search(Path(path).name)
    return int(match.group(1)) if match else None


def _version_graph(regions: Sequence[NutsRegion], version: int) -> tuple[Graph, GraphSummary]:
    graph = nuts_rdf.nuts_graph(regions, version)
    levels: dict[int, int] = defaultdict(int)
    for region in regions:
        levels[region.level] += 1
    per_level = "/".join(str(levels[level]) for level in sorted(levels))
    description = f"NUTS {version}: {len(regions)} regions, per level {per_level}"
    return graph, GraphSummary(str(graph.identifier), len(graph), description)


def read_text(source: Path) -> str:
    try:
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise VocabFileError(source, "an existing NUTS file (CSV or SKOS RDF)") from exc
    except IsADirectoryError as exc:
        raise VocabFileError(source, "a NUTS file (CSV or SKOS RDF), not a folder") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReportError(str(source), line, "UTF-8 text (a NUTS CSV file)") from exc


# -- downloads ---------------------------------------------------------------------------------


def fetch_nuts(
    store: GraphStore, versions: Iterable[int], *, cache_dir: Path | None = None
) -> list[LoadSummary]:
    """Download the GISCO attribute tables of ``versions`` (cached) and load them, all or nothing.

    Raises :class:`~.fetch.FetchError` when a table cannot be downloaded and is not
    cached; nothing is written then.
    """
    graphs, summaries = fetched_nuts(versions, cache_dir)
    store.replace_graphs(graphs)
    return summaries


def fetched_nuts(
    versions: Iterable[int], cache_dir: Path | None
) -> tuple[list[Graph], list[LoadSummary]]:
    wanted = sorted(set(versions))
    paths = [(v, fetching.fetch(sources.nuts_csv_url(v), cache_dir=cache_dir)) for v in wanted]
    graphs: list[Graph] = []
    summaries: list[LoadSummary] = []
    for version, path in paths:
        text = read_text(path)
        header = nuts_csv.header_of(text)
        if nuts_csv.layout(header) not in ("gisco", "reference"):
            raise VocabFileError(
                path,
                f"the GISCO NUTS table of {sources.nuts_csv_url(version)} with the columns "
                f"{', '.join(nuts_csv.GISCO_COLUMNS)}, found the header {','.join(header)!r}",
            )
        regions = nuts_csv.read_reference_csv(text, version, name=str(path))
        graph, summary = _version_graph(regions, version)
        graphs.append(graph)
        summaries.append(LoadSummary(sources.nuts_csv_url(version), (summary,)))
    return graphs, summaries


def load_sdg_file(store: GraphStore, path: str | Path) -> LoadSummary:
    """Load the UN SDG KOS (goals, targets, indicators), replacing the SDG graph."""
    graph = skolemised(sdg.load_sdg_kos(path))
    store.replace_graphs([graph])
    return LoadSummary(str(path), (sdg_summary(graph),))


def fetch_sdg(store: GraphStore, *, cache_dir: Path | None = None) -> LoadSummary:
    """Download the UN SDG KOS (cached) and load it, replacing the SDG graph."""
    url = sources.sdg_kos_url()
    path = fetching.fetch(url, cache_dir=cache_dir)
    graph = skolemised(sdg.load_sdg_kos(path))
    store.replace_graphs([graph])
    return LoadSummary(url, (sdg_summary(graph),))


def sdg_summary(graph: Graph) -> GraphSummary:
    counts = {
        kind: len(set(graph.subjects(RDF.type, URIRef(sdg.SDGO + kind))))
        for kind in ("Goal", "Target", "Indicator")
    }
    described = ", ".join(f"{n} {kind.lower()}s" for kind, n in counts.items())
    return GraphSummary(str(graph.identifier), len(graph), f"UN SDGs: {described}")


def fetch_wikidata_names(
    *, endpoint: str | None = None, cache_dir: Path | None = None, timeout: float = 60
) -> NamesSummary:
    """Ask Wikidata for English names of NUTS codes and cache them (nothing goes to the store).

    Raises :class:`~s3graph.vocab.sources.fetch.FetchError` when the endpoint cannot be queried (the
    names cached before are kept).
    """
    from s3graph.vocab.sources import wikidata

    rows = wikidata.fetch_wikidata_names(
        endpoint or sources.wikidata_endpoint(), timeout=timeout, cache_dir=cache_dir
    )
    return NamesSummary(wikidata.names_path(cache_dir), len(rows), len({r[0] for r in rows}))


# -- any vocabulary file -----------------------------------------------------------------------


def load_file(store: GraphStore, path: str | Path, *, version: int | None = None) -> LoadSummary:
    """Load a NUTS file (:func:`load_nuts_file`) or the UN SDG KOS, told apart by content."""
    source = Path(path)
    if source.suffix.lower() in RDF_SUFFIXES:
        try:
            data = source.read_bytes()
        except FileNotFoundError as exc:
            raise VocabFileError(source, "an existing vocabulary file") from exc
        if b"data.europa.eu/nuts" not in data and b"metadata.un.org/sdg" in data:
            return load_sdg_file(store, source)
    return load_nuts_file(store, source, version=version)


__all__ = [
    "NUTS_CHANGES_GRAPH",
    "REGISTRY_GRAPH",
    "GraphSummary",
    "LoadSummary",
    "NamesSummary",
    "fetch_nuts",
    "fetch_sdg",
    "fetch_wikidata_names",
    "load_file",
    "load_nuts_file",
    "load_sdg_file",
    "version_from_name",
]
