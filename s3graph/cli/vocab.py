"""``s3graph vocab``: download or load the reference vocabularies (NUTS, SDGs, Wikidata names)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from s3graph.cli.support import (
    Settings,
    echo_sourceless,
    fetched_region_names,
    open_store,
    progress_bar,
    read_store,
)

if TYPE_CHECKING:
    from s3graph.store import GraphStore
    from s3graph.vocab.sources.batch import VocabUpdate

NUTS_VERSION_CHOICES = ("2010", "2013", "2016", "2021", "2024", "all")

VOCAB_EPILOG = """\b
Examples:
  s3graph vocab fetch nuts --version 2016
  s3graph vocab load nuts-2021.csv nuts-changes.csv
  s3graph vocab load reference/          (every CSV and RDF file of a folder)
  s3graph vocab load NUTS_AT_2024.csv --version 2024
  s3graph vocab boundaries               (GISCO's NUTS boundaries, for the maps)
  s3graph vocab boundaries --year 2021 --scale 60M
  s3graph vocab boundaries --file regions.geojson --year 2021
  s3graph vocab list

\b
Exit codes (besides those of s3graph --help):
  2   the file is not a vocabulary s3graph reads: one line "FILE:LINE: expected ..."
  4   a download failed and nothing is cached for it (FetchError)

\b
Environment variables:
  S3GRAPH_CACHE              download cache (default ~/.cache/s3graph)
  S3GRAPH_NUTS_BASE          Eurostat GISCO NUTS base URL
  S3GRAPH_SDG_URL            UN SDG KOS Turtle URL
  S3GRAPH_WIKIDATA_ENDPOINT  Wikidata SPARQL endpoint
"""


@click.group(epilog=VOCAB_EPILOG)
def vocab() -> None:
    """Download or load reference vocabularies (NUTS, UN SDGs) into the store.

    Each vocabulary is a named graph: one per NUTS version, one for the NUTS changes, one for
    the SDGs. Loading again replaces the graph. Downloads are cached ($S3GRAPH_CACHE).
    """


@vocab.group()
def fetch() -> None:
    """Download a vocabulary (cached, revalidated) and load it into the store."""


@fetch.command("nuts")
@click.option(
    "--version",
    "version",
    type=click.Choice(NUTS_VERSION_CHOICES),
    default="all",
    show_default=True,
    help="NUTS version to download from Eurostat GISCO ($S3GRAPH_NUTS_BASE).",
)
@click.pass_obj
def fetch_nuts(settings: Settings, version: str) -> None:
    """Download the NUTS regions of one version, or of all versions, into the store."""
    from s3graph.vocab.sources import batch
    from s3graph.vocab.sources.urls import NUTS_VERSIONS

    versions = NUTS_VERSIONS if version == "all" else (int(version),)
    with open_store(settings) as store:
        update = batch.fetch_nuts_graphs(store, versions)
        rejudge_with(settings, store, update)


@fetch.command("sdg")
@click.pass_obj
def fetch_sdg(settings: Settings) -> None:
    """Download the UN SDG goals, targets and indicators ($S3GRAPH_SDG_URL) into the store."""
    from s3graph.vocab.sources import batch

    with open_store(settings) as store:
        update = batch.fetch_sdg_graphs(store)
        rejudge_with(settings, store, update)


@fetch.command("wikidata-names")
def fetch_wikidata_names() -> None:
    """Download English names of NUTS regions from Wikidata into the cache (not the store)."""
    from s3graph.vocab.sources import loading

    click.echo(loading.fetch_wikidata_names().line())


@vocab.command("load")
@click.argument(
    "paths", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path(path_type=Path)
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(1990, 2100),
    metavar="YEAR",
    help="NUTS version of a region CSV whose name does not say it (nuts-2016.csv does).",
)
@click.pass_obj
def load(settings: Settings, paths: tuple[Path, ...], version: int | None) -> None:
    """Load vocabulary files (and those of DIRs), all or nothing, and judge the reports anew.

    Each FILE is told apart by content: NUTS CSV (reference or GISCO layout), NUTS changes CSV,
    SKOS NUTS, the UN SDG KOS, or an SDG CSV table (goals, targets, indicators). Every stored
    report is then linked and validated again against the new reference data, in the same
    write.
    """
    from s3graph.vocab.sources import batch

    files = batch.vocabulary_files(paths)
    with open_store(settings) as store:
        update = batch.read_files(store, files, version=version)
        rejudge_with(settings, store, update)


@vocab.command("boundaries")
@click.option(
    "--file",
    "path",
    type=click.Path(path_type=Path),
    help="A NUTS GeoJSON file (EPSG:4326 or 3035) to load instead of downloading GISCO's.",
)
@click.option(
    "--year",
    type=click.Choice(NUTS_VERSION_CHOICES[:-1]),
    help="NUTS version (default: those in force over the stored reports, else today's).",
)
@click.option(
    "--scale",
    type=click.Choice(("01M", "03M", "10M", "20M", "60M")),
    help="GISCO scale: 20M = 1:20 million (the default for downloads).",
)
@click.option(
    "--level", "levels", type=click.IntRange(0, 3), multiple=True, help="Only these NUTS levels."
)
@click.pass_obj
def boundaries(
    settings: Settings,
    path: Path | None,
    year: str | None,
    scale: str | None,
    levels: tuple[int, ...],
) -> None:
    """Download GISCO's NUTS boundaries (cached) or load --file, for the maps of the pages.

    Kept as GeoSPARQL geometries in one graph per NUTS version, with GISCO's copyright notice;
    "© EuroGeographics for the administrative boundaries" is shown under every map.
    """
    from s3graph.vocab.sources import boundaries as geo

    wanted = set(levels) or None
    if path is not None:  # read and checked whole before the store is opened
        given = int(year) if year else None
        update = geo.read_boundaries_file(path, year=given, scale=scale, levels=wanted)
    with open_store(settings) as store:
        if path is None:
            years = (int(year),) if year else geo.years_in_force(store)
            update = geo.fetch_boundaries(years, scale=scale or geo.DEFAULT_SCALE, levels=wanted)
        geo.write_boundaries(store, update)
    _echo_lines(update.lines())


@vocab.command("list")
@click.pass_obj
def list_(settings: Settings) -> None:
    """List the vocabulary graphs in the store with their triple counts."""
    from s3graph.vocab.sources.stored import vocabulary_graphs

    with read_store(settings) as store:
        graphs = vocabulary_graphs(store)
    if not graphs:
        click.echo("no vocabulary in the store: run `s3graph vocab fetch nuts` or `vocab load`")
        return
    for graph in graphs:
        click.echo(graph.line())


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


def rejudge_with(settings: Settings, store: GraphStore, update: VocabUpdate) -> None:
    """Write ``update`` and every stored report judged against it in one write; say what."""
    from s3graph.judging import stored_reports, update_reference
    from s3graph.validate import summary as problem_summary
    from s3graph.validate import validate_graph
    from s3graph.validate.problems import counted

    with progress_bar(len(stored_reports(store)), label="judging") as advance:
        rejudged = update_reference(
            store,
            update.graphs,
            base=settings.base,
            names=fetched_region_names(settings),
            validate=validate_graph,
            progress=advance,
        )
    for summary in update.summaries:
        _echo_lines(summary.lines())
    for line in update.skipped:
        click.echo(f"note: {line}", err=True)
    if rejudged.reports:
        click.echo(
            f"judged again: {counted(rejudged.reports, 'stored report')}; "
            f"validation: {problem_summary(rejudged.problems)}"
        )
    echo_sourceless(rejudged.sourceless)
