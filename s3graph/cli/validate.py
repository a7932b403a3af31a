"""``s3graph validate``: check reports against the form's rules without storing anything.

Every file is validated even when another is not a report: the problems of the good ones are
printed as in a good run, then one ``FILE:LINE: expected ...`` line per bad one on stderr, and
the run ends with exit status 2. Reading all before answering is what a user fixing a folder of
reports needs: one run shows everything that is wrong.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from s3graph.cli.reading import max_bytes_option, report_steps, split_option
from s3graph.cli.support import Settings, load_linker, nuts_option, refuse_empty_folders

if TYPE_CHECKING:
    from rdflib import Graph

    from s3graph.errors import ReportError
    from s3graph.pipeline import Pipeline
    from s3graph.validate import Problem


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
@split_option
@click.pass_obj
def validate(
    settings: Settings,
    paths: tuple[Path, ...],
    fmt: str,
    nuts_dir: Path | None,
    max_bytes: int,
    split: bool,
) -> None:
    """Validate reports (FILEs, and every *.txt of DIRs) against the form's rules.

    Exit status 1 when any report breaks a rule of the form (a Violation), 0 otherwise
    (Warnings and Infos are data-quality notes). A file that is not a report is one
    FILE:LINE line on stderr, after the results of the others, and exit status 2.
    Regions are judged as in 'ingest'.
    """
    from rdflib import Graph

    from s3graph.pipeline import Pipeline
    from s3graph.rdf.namespaces import bind_prefixes
    from s3graph.validate import format_json, format_text, is_violation, validate_graph

    refuse_empty_folders(paths)
    linker = load_linker(settings, nuts_dir)
    pipeline = Pipeline(settings.base, datetime.now(UTC), linker=linker, validate=validate_graph)
    problems: list[Problem] = []
    reports = Graph()
    errors = _validate_all(paths, pipeline, max_bytes, split, problems, reports)
    if fmt == "json":
        click.echo(format_json(problems), nl=False)
    elif fmt == "ttl":
        bind_prefixes(reports)
        click.echo(reports.serialize(format="turtle"), nl=False)
    else:
        click.echo(format_text(problems) or ("" if errors else "no problems\n"), nl=False)
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        click.get_current_context().exit(errors[0].exit_code)
    if any(is_violation(p) for p in problems):
        click.get_current_context().exit(1)


def _validate_all(
    paths: tuple[Path, ...],
    pipeline: Pipeline,
    max_bytes: int,
    split: bool,
    problems: list[Problem],
    reports: Graph,
) -> list[ReportError]:
    """Validate every report of ``paths`` into ``problems`` and ``reports``; the errors of the
    files (or, with ``split``, the parts of a file) that are not reports, in file order."""
    from s3graph.errors import MissingFileError, ReportError
    from s3graph.ingest import collect_files

    errors: list[ReportError] = []
    files: list[Path | MissingFileError] = []
    for given in paths:  # a missing path is said in its place, and the others still read
        files.extend(collect_files([given]) if given.exists() else [MissingFileError(str(given))])
    for path in dict.fromkeys(files):  # a file named twice is read once
        if isinstance(path, MissingFileError):
            errors.append(path)
            continue
        try:
            steps = report_steps(path, max_bytes=max_bytes, split=split)
        except ReportError as err:
            errors.append(err)
            continue
        for step in steps:
            try:
                outcome = replace(pipeline, parse=step).run(path).outcome
            except ReportError as err:
                errors.append(err)
                continue
            assert outcome is not None  # the pipeline validates
            problems.extend(outcome.problems)
            for triple in outcome.graph:
                reports.add(triple)
    return errors
