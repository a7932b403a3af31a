"""``s3graph export``: the open-data dumps, their DCAT-AP description and checksums."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from s3graph.cli.support import Settings, read_store

Progress = Callable[[str, int, int], None]

#: Characters of the progress bar.
BAR_WIDTH = 30

#: Where ``export`` writes and ``serve`` looks for the dumps, unless told otherwise.
DEFAULT_DUMPS = "./s3graph-dumps"

FORMATS_HELP = (
    "Comma-separated: nq (every named graph), nt, ttl, jsonld (the union and per partnership), csv."
)


def dumps_option(name: str, help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``name`` (``--out`` of export, ``--dumps`` of serve): the folder of the dumps."""
    return click.option(
        name,
        "folder",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="S3GRAPH_DUMPS",
        show_envvar=True,
        default=DEFAULT_DUMPS,
        show_default=True,
        metavar="DIR",
        help=help_text,
    )


@click.command()
@dumps_option("--out", "Folder to write the export to (an earlier export there is replaced).")
@click.option("--formats", default="nq,nt,ttl,jsonld,csv", show_default=True, help=FORMATS_HELP)
@click.option("--gzip", is_flag=True, help="Compress the dumps and tables (.gz).")
@click.option(
    "--download-base",
    metavar="URL",
    default=None,
    help="URL the files are downloaded from, for the description [default: BASE + dumps/].",
)
@click.option("--publisher", metavar="NAME", default=None, help="Publisher named in dataset.ttl.")
@click.option(
    "--contact",
    metavar="EMAIL|URL",
    default=None,
    help="E-mail or web address of the contact point in dataset.ttl [default: BASE].",
)
@click.pass_obj
def export(
    settings: Settings,
    folder: Path,
    formats: str,
    gzip: bool,
    download_base: str | None,
    publisher: str | None,
    contact: str | None,
) -> None:
    """Export the store as open data: RDF dumps, CSV tables, dataset.ttl (DCAT-AP 3), SHA256SUMS.

    The same store gives byte-identical files. The files are written beside DIR and take its
    place only when all are written: a failed export leaves the earlier one intact.
    """
    from s3graph.export.run import ExportSettings
    from s3graph.export.run import export as run_export

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    options = ExportSettings(
        formats=chosen, gzip=gzip, base=settings.base,
        download_base=download_base, publisher=publisher, contact=contact,
    )  # fmt: skip
    with read_store(settings) as store:
        summary = run_export(store, folder, options, progress=_progress())
    size = sum(f.size for f in summary.files)
    click.echo(
        f"exported {summary.quads} quads ({summary.triples} distinct triples,"
        f" {summary.partnerships} partnerships) to {folder}: {len(summary.files)} files,"
        f" {size / 1e6:.1f} MB; described in {folder / 'dataset.ttl'}"
    )


def _progress() -> Progress | None:
    """A one-line progress display on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        return None

    def show(step: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{step:<12} [{bar}] {done}/{total}{end}")
        sys.stderr.flush()

    return show
