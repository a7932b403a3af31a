"""``s3graph validate``: check reports against the form's rules without storing anything."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from s3graph.cli.reading import max_bytes_option, report_reader
from s3graph.cli.support import Settings, load_linker, nuts_option, refuse_empty_folders


@click.command()
@click.argument(
    "paths", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path(path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="text: grouped by file, one line per problem; json: a list of objects; "
    "ttl: the SHACL validation reports.",
)
@nuts_option
@max_bytes_option
@click.pass_obj
def validate(
    settings: Settings, paths: tuple[Path, ...], fmt: str, nuts_dir: Path | None, max_bytes: int
) -> None:
    """Validate reports (FILEs, and every *.txt of DIRs) against the form's rules.

    Exit status 1 when any report breaks a rule of the form (a Violation), 0 otherwise
    (Warnings and Infos are data-quality notes). Regions are judged as in 'ingest'.
    """
    from rdflib import Graph

    from s3graph.ingest import collect_files
    from s3graph.pipeline import Pipeline
    from s3graph.rdf.namespaces import bind_prefixes
    from s3graph.validate import Problem, format_json, format_text, is_violation, validate_graph

    refuse_empty_folders(paths)
    linker = load_linker(settings, nuts_dir)
    reader = report_reader(max_bytes)
    pipeline = Pipeline(settings.base, datetime.now(UTC), reader, linker, validate=validate_graph)
    problems: list[Problem] = []
    reports = Graph()
    for path in collect_files(paths):
        outcome = pipeline.run(path).outcome
        assert outcome is not None  # the pipeline validates
        problems.extend(outcome.problems)
        for triple in outcome.graph:
            reports.add(triple)
    if fmt == "json":
        click.echo(format_json(problems), nl=False)
    elif fmt == "ttl":
        bind_prefixes(reports)
        click.echo(reports.serialize(format="turtle"), nl=False)
    else:
        click.echo(format_text(problems) or "no problems\n", nl=False)
    if any(is_violation(p) for p in problems):
        click.get_current_context().exit(1)
