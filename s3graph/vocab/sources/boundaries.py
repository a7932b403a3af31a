"""NUTS boundaries into the store: downloaded from GISCO (cached) or read from a user's file.

The download goes through :func:`.fetch.fetch`, like the NUTS classification: GISCO's
distribution API (``$S3GRAPH_NUTS_BASE``, the same base as the attribute tables) serves
``geojson/NUTS_RG_{SCALE}_{YEAR}_4326[_LEVL_{L}].geojson``; s3graph asks for longitude/latitude
(EPSG:4326) at 1:20 million unless told otherwise. The version defaults to the NUTS versions in
force over the stored reports' periods (today's when none is stored), so the boundaries drawn are
those of the codes the reports were judged against.

Every file is read and checked whole (:func:`s3graph.vocab.boundaries.read_geojson`) before the
one write that replaces the version's graph (:mod:`s3graph.vocab.boundaries_rdf`): a bad file is
one error line and leaves the store as it was. Boundaries are no reference data for judging:
loading them judges no report again.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from s3graph.errors import S3GraphError
from s3graph.vocab.boundaries import RegionShape, per_level, read_geojson
from s3graph.vocab.boundaries_rdf import (
    BOUNDARIES_GRAPH_PREFIX,
    SCALES,
    StoredBoundaries,
    boundaries_graph,
    boundaries_graph_iri,
    read_boundaries_graph,
    scale_words,
)
from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sources import fetch as fetching
from s3graph.vocab.sources import urls
from s3graph.vocab.sources.loading import LoadSummary
from s3graph.vocab.sources.stored import GraphSummary, run_rows

if TYPE_CHECKING:
    from s3graph.store import GraphStore

#: The scale s3graph downloads unless told otherwise: GISCO's 1:20 million, ample for a map of
#: Europe a phone's width across.
DEFAULT_SCALE = "20M"
_GISCO_NAME = re.compile(r"NUTS_RG_(\d\dM)_((?:19|20)\d\d)_", re.IGNORECASE)


def boundaries_url(
    year: int, *, scale: str = DEFAULT_SCALE, level: int | None = None, base: str | None = None
) -> str:
    """GISCO's GeoJSON of the NUTS ``year`` regions at ``scale``, in EPSG:4326, every level (or
    only ``level``).

    >>> boundaries_url(2021, base="https://example.org/nuts/")
    'https://example.org/nuts/geojson/NUTS_RG_20M_2021_4326.geojson'
    >>> boundaries_url(2024, scale="60M", level=2, base="https://example.org/nuts/")
    'https://example.org/nuts/geojson/NUTS_RG_60M_2024_4326_LEVL_2.geojson'
    """
    if year not in urls.NUTS_VERSIONS:
        known = ", ".join(str(v) for v in urls.NUTS_VERSIONS)
        raise S3GraphError(f"unknown NUTS version {year}: expected one of {known}")
    if scale not in SCALES:
        raise S3GraphError(f"unknown GISCO scale {scale}: expected one of {', '.join(SCALES)}")
    root = base if base is not None else urls.nuts_base()
    root = root if root.endswith("/") else root + "/"
    part = "" if level is None else f"_LEVL_{level}"
    return f"{root}geojson/NUTS_RG_{scale}_{year}_4326{part}.geojson"


@dataclass(frozen=True, slots=True)
class BoundaryUpdate:
    """Boundary graphs read and checked, not yet written; what each holds, in words."""

    graphs: list[Graph]
    summaries: list[LoadSummary]

    def lines(self) -> list[str]:
        return [line for summary in self.summaries for line in summary.lines()]


def _graph(shapes: Sequence[RegionShape], year: int, source: str, scale: str | None) -> Graph:
    if not shapes:
        raise VocabFileError(source, "at least one NUTS region of the levels asked for")
    return boundaries_graph(shapes, year, source=source, scale=scale)


def fetch_boundaries(
    years: Iterable[int],
    *,
    scale: str = DEFAULT_SCALE,
    levels: Collection[int] | None = None,
    cache_dir: Path | None = None,
) -> BoundaryUpdate:
    """Download (or revalidate) the boundaries of ``years`` and read them, nothing written.

    Every level comes from one file; ``levels`` asks for GISCO's per-level files instead.
    Raises :class:`~.fetch.FetchError` (nothing cached and no network) or
    :class:`VocabFileError` (the server sent something else than NUTS GeoJSON).
    """
    graphs: list[Graph] = []
    summaries: list[LoadSummary] = []
    for year in sorted(set(years)):
        wanted: list[int | None] = [*sorted(levels)] if levels else [None]
        shapes: list[RegionShape] = []
        addresses = [boundaries_url(year, scale=scale, level=level) for level in wanted]
        for url in addresses:
            shapes.extend(read_geojson(_fetched(url, cache_dir), url, levels=levels))
        graph = _graph(shapes, year, addresses[0], scale)
        graphs.append(graph)
        summaries.append(_load_summary(" ".join(addresses), graph, shapes, year, scale))
    return BoundaryUpdate(graphs, summaries)


def _fetched(url: str, cache_dir: Path | None) -> bytes:
    """The body of ``url`` (downloaded, or the cached copy); a failure says how to load a file."""
    try:
        return fetching.fetch(url, cache_dir=cache_dir).read_bytes()
    except fetching.FetchError as error:
        hint = (
            "check the network connection (or the proxy settings), or download the file "
            "yourself and run `s3graph vocab boundaries --file FILE.geojson`"
        )
        raise fetching.FetchError(error.url, error.reason, hint=hint) from error


def read_boundaries_file(
    path: str | Path,
    *,
    year: int | None = None,
    scale: str | None = None,
    levels: Collection[int] | None = None,
) -> BoundaryUpdate:
    """A boundary file the user names, read and checked, nothing written.

    The version and scale come from the arguments, else from a GISCO file name
    (``NUTS_RG_20M_2021_4326.geojson``). Raises :class:`VocabFileError` for a missing or bad
    file, :class:`S3GraphError` when the version cannot be told.
    """
    source = Path(path)
    named = _GISCO_NAME.search(source.name)
    year = year if year is not None else (int(named.group(2)) if named else None)
    scale = scale if scale is not None else (named.group(1).upper() if named else None)
    if year is None:
        raise S3GraphError(
            f"{source}: cannot tell the NUTS version from the file name; "
            "give it with --year YEAR (e.g. --year 2021)"
        )
    if year not in urls.NUTS_VERSIONS:
        known = ", ".join(str(v) for v in urls.NUTS_VERSIONS)
        raise S3GraphError(f"{source}: NUTS version {year} is unknown; expected one of {known}")
    try:
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise VocabFileError(source, "an existing GeoJSON file of NUTS boundaries") from exc
    except IsADirectoryError as exc:
        raise VocabFileError(source, "a GeoJSON file of NUTS boundaries, not a folder") from exc
    shapes = read_geojson(data, str(source), levels=levels)
    graph = _graph(shapes, year, str(source), scale)
    return BoundaryUpdate([graph], [_load_summary(str(source), graph, shapes, year, scale)])


def _load_summary(
    source: str, graph: Graph, shapes: Sequence[RegionShape], year: int, scale: str | None
) -> LoadSummary:
    described = f"NUTS {year} boundaries at {scale_words(scale)}: {per_level(shapes)}"
    return LoadSummary(source, (GraphSummary(str(graph.identifier), len(graph), described),))


def write_boundaries(store: GraphStore, update: BoundaryUpdate) -> None:
    """Replace each version's boundary graph with the new one, all in one write."""
    store.replace_graphs(update.graphs)


def years_in_force(store: GraphStore, today: date | None = None) -> tuple[int, ...]:
    """The NUTS versions in force over the stored reports' periods (each report's first day);
    the version in force ``today`` when no report is stored."""
    from s3graph.vocab.nuts_snapshot import snapshot_index

    index = snapshot_index()
    starts = {row["start"] for row in run_rows(store, "reports") if row["start"]}
    days = [date.fromisoformat(start[:10]) for start in starts]
    if not days:
        days = [today or date.today()]
    return tuple(sorted({index.version_in_force(day) for day in days}))


def boundary_years(store: GraphStore) -> list[int]:
    """The NUTS versions whose boundaries the store holds, oldest first."""
    return sorted(
        int(iri.removeprefix(BOUNDARIES_GRAPH_PREFIX))
        for iri in store.graphs()
        if iri.startswith(BOUNDARIES_GRAPH_PREFIX)
        and iri.removeprefix(BOUNDARIES_GRAPH_PREFIX).isdigit()
    )


def stored_boundaries(store: GraphStore, year: int | None = None) -> StoredBoundaries | None:
    """The boundaries of NUTS ``year`` (the newest stored when None); None when not stored.

    Reads the version's graph whole (a few MB at 1:20 million): a caller drawing many maps
    keeps the result.
    """
    import pyoxigraph as ox

    held = boundary_years(store)
    if year is None:
        year = held[-1] if held else None
    if year is None or year not in held:
        return None
    iri = str(boundaries_graph_iri(year))
    graph = Graph(identifier=boundaries_graph_iri(year))
    graph.parse(data=store.dump_graph(iri, ox.RdfFormat.N_TRIPLES), format="nt")
    return read_boundaries_graph(graph, year)


#: What a page says where a map would be when no boundaries are stored.
MISSING_HINT = (
    "No NUTS boundaries are stored, so no map is drawn: run `s3graph vocab boundaries` "
    "(downloads GISCO's, at 1:20 million) or `s3graph vocab boundaries --file FILE.geojson`."
)


__all__ = [
    "DEFAULT_SCALE",
    "MISSING_HINT",
    "BoundaryUpdate",
    "boundaries_url",
    "boundary_years",
    "fetch_boundaries",
    "read_boundaries_file",
    "stored_boundaries",
    "write_boundaries",
    "years_in_force",
]
