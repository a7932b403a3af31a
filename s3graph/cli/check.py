"""``s3graph check``: judge every stored report again against the reference data in force."""

from __future__ import annotations

from pathlib import Path

import click

from s3graph.cli.support import (
    Settings,
    echo_problems,
    echo_sourceless,
    load_reference,
    nuts_option,
    open_store,
    progress_bar,
    require_stored,
)


@click.command()
@nuts_option
@click.pass_obj
def check(settings: Settings, nuts_dir: Path | None) -> None:
    """Link and validate every stored report again, in one write.

    The judgements stored with a report (its regions against NUTS, its partnership against the
    registry, its validation) are replaced by those the reference data in force gives now: the
    NUTS snapshot packaged with s3graph and the versions loaded with 's3graph vocab' (or --nuts
    DIR), the registry and the English region names. 's3graph vocab load|fetch' does this by
    itself; run it after upgrading s3graph or fetching Wikidata names, or when 's3graph stats'
    says the judgements are older than the reference data.
    """
    from s3graph.judging import rejudge, stored_reports
    from s3graph.validate import summary as problem_summary
    from s3graph.validate import validate_graph
    from s3graph.validate.problems import counted

    require_stored(settings)  # checking nothing must not create a store
    reference = load_reference(settings, nuts_dir)  # reads the store: before opening it to write
    with open_store(settings) as store:
        with progress_bar(len(stored_reports(store)), label="judging") as advance:
            rejudged = rejudge(
                store,
                base=settings.base,
                reference=reference,
                validate=validate_graph,
                progress=advance,
            )
        store.replace_graphs(rejudged.graphs)
    echo_problems(p for p in rejudged.problems if p.severity != "Info")
    click.echo(
        f"judged again: {counted(rejudged.reports, 'stored report')} against NUTS "
        f"{reference.stamp.nuts_source()}; validation: {problem_summary(rejudged.problems)}"
    )
    echo_sourceless(rejudged.sourceless)
