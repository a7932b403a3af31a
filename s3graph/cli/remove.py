"""``s3graph remove``: reports out of the store, all or nothing (see :mod:`s3graph.removal`)."""

from __future__ import annotations

import click

from s3graph.cli.support import Settings, load_linker, open_store, require_stored


@click.command()
@click.argument("reports", nargs=-1, metavar="REPORT...")
@click.option(
    "--partnership",
    "partnerships",
    multiple=True,
    metavar="SLUG",
    help="Remove every report of this partnership (repeatable).",
)
@click.option(
    "--examples",
    is_flag=True,
    help="Remove the synthetic example reports (those 'ingest --examples' stored).",
)
@click.pass_obj
def remove(
    settings: Settings, reports: tuple[str, ...], partnerships: tuple[str, ...], examples: bool
) -> None:
    """Take reports out of the store: their graphs, validation results and all, in one write.

    REPORT is a report IRI (under --base) or PARTNERSHIP-SLUG/PERIOD, such as
    cybersecurity/2021-H1 (any case). A REPORT that is not in the store is exit 2 and nothing
    is removed. Prints one line per report removed, with the triples it held.
    """
    from s3graph.removal import find_reports, remove
    from s3graph.validate.problems import counted

    if not (reports or partnerships or examples):
        raise click.UsageError("give at least one REPORT, --partnership SLUG or --examples")
    require_stored(settings)  # removing from nothing must not create a store
    # The linker ingest uses, for the changes of the partnerships that keep other reports; it
    # reads the store, so before the store is opened to write.
    linker = load_linker(settings, None)
    with open_store(settings) as store:
        found = find_reports(
            store, reports, base=settings.base, partnerships=partnerships, examples=examples
        )
        removed = remove(store, found, linker=linker)
    for report in removed:
        graphs = counted(len(report.graphs), "graph")
        click.echo(f"removed {report.report}: {counted(report.triples, 'triple')} in {graphs}")
