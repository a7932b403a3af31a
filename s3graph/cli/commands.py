"""The commands: each parses its arguments, calls the core and prints the result."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from s3graph.cli.pooled import limit_options, pooled_reader
from s3graph.cli.reading import max_bytes_option, report_reader, report_steps, split_option
from s3graph.cli.support import (
    Settings,
    echo_problems,
    echo_warnings,
    load_linker,
    load_reference,
    nuts_option,
    open_store,
    progress_bar,
    read_store,
    refuse_empty_folders,
)

# -- parse ---------------------------------------------------------------------------------------


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "ttl"]),
    default="json",
    show_default=True,
    help="json: the corpus contract layout (with --split, a list of them); ttl: the report's "
    "RDF graph as Turtle (with --split, the graphs of every report).",
)
@nuts_option
@max_bytes_option
@split_option
@click.pass_obj
def parse(
    settings: Settings, file: Path, fmt: str, nuts_dir: Path | None, max_bytes: int, split: bool
) -> None:
    """Parse one report FILE and print it (warnings go to stderr as FILE:LINE: warning: ...).

    Region mentions are judged against NUTS (--nuts, or the versions loaded in the store) and
    mentions of other partnerships are listed as collaborations.
    """
    from dataclasses import replace

    from s3graph.pipeline import Pipeline, as_rdflib

    linker = load_linker(settings, nuts_dir)
    pipeline = Pipeline(settings.base, datetime.now(UTC), linker=linker)
    read = [
        replace(pipeline, parse=step).read(file)
        for step in report_steps(file, max_bytes=max_bytes, split=split)
    ]
    for report, _ in read:
        echo_warnings(str(file), report.warnings)
    if fmt == "json":
        from s3graph.contract import to_contract

        contracts = [to_contract(report, links) for report, links in read]
        shown = contracts if split else contracts[0]
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        graph = as_rdflib(pipeline.map(*read[0]))
        for report, links in read[1:]:
            graph += as_rdflib(pipeline.map(report, links))
        click.echo(graph.serialize(format="turtle"), nl=False)


# -- ingest --------------------------------------------------------------------------------------


def examples_dir() -> Path:
    """The folder of example reports bundled with the package."""
    return Path(str(resources.files("s3graph") / "examples"))


@click.command()
@click.argument("paths", nargs=-1, metavar="FILE|DIR...", type=click.Path(path_type=Path))
@click.option(
    "--examples", is_flag=True, help="Also ingest the example reports bundled with s3graph."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse the whole run (exit 1, nothing stored) when a report breaks a rule of the form.",
)
@nuts_option
@max_bytes_option
@split_option
@click.pass_obj
def ingest(
    settings: Settings,
    paths: tuple[Path, ...],
    examples: bool,
    strict: bool,
    nuts_dir: Path | None,
    max_bytes: int,
    split: bool,
) -> None:
    """Parse report files (and every *.txt of DIRs) into the store, all or nothing.

    Re-ingesting a report replaces its named graph, so ingesting twice changes nothing. Each
    report is linked: its partnership to the registry, its regions judged against NUTS (--nuts,
    or the snapshot packaged with s3graph and the versions loaded with 's3graph vocab'), its
    mentions of other partnerships recorded.
    Each report is validated too; its results are stored in a graph of their own (see the
    named query data-quality). With --split, a file holding several reports is read as several.
    """
    from s3graph import ingest as core
    from s3graph.validate import summary as problem_summary
    from s3graph.validate import validate_graph
    from s3graph.validate.problems import counted
    from s3graph.vocab.sources.base import base_vocabulary_graphs

    sources = [*paths, *([examples_dir()] if examples else [])]
    if not sources:
        raise click.UsageError("give at least one FILE or DIR, or --examples")
    refuse_empty_folders(sources)
    files = core.collect_files(sources)
    reference = load_reference(settings, nuts_dir)  # reads the store: before opening it to write
    with open_store(settings) as store, progress_bar(len(files)) as advance:
        summary = core.ingest(
            store,
            sources,
            base=settings.base,
            parse=report_reader(max_bytes),
            linker=reference.linker,
            validate=validate_graph,
            stamp=reference.stamp,
            split=max_bytes if split else None,
            also=base_vocabulary_graphs(store),  # the SDG goals and the registry, once
            strict=strict,
            progress=advance,
        )
    for path, warning in summary.warnings:
        echo_warnings(str(path), [warning])
    echo_problems(p for p in summary.problems if p.severity != "Info")
    # With --split a file may hold several reports: say how many were stored.
    reports = f" ({counted(len(summary.graphs), 'report')})" if split else ""
    click.echo(
        f"ingested {counted(summary.files, 'file')}{reports}: "
        f"{counted(summary.triples, 'triple')}, "
        f"{counted(len(summary.warnings), 'parse warning')}; "
        f"validation: {problem_summary(summary.problems)}"
    )


# -- query ---------------------------------------------------------------------------------------


@click.command()
@click.argument("name", required=False, metavar="NAME|FILE.rq")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Value of a parameter the query declares (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format of the results.",
)
@click.option(
    "--list",
    "list_",
    is_flag=True,
    help="List the named queries and their parameters (type, required or not, an example).",
)
@limit_options
@click.pass_obj
def query(
    settings: Settings,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    list_: bool,
    timeout: float,
    query_memory: int | None,
) -> None:
    """Run a named query (see --list) or your own SPARQL SELECT in FILE.rq against the store.

    A partnership is given by its slug, name or IRI, a region or NUTS code in any case (-p
    partnership=mining-industry, -p code=es41). An empty answer for a value that matches
    nothing in the store says so on stderr. The query runs in a worker process under
    --timeout and --query-memory.
    """
    from s3graph import sparql as queries
    from s3graph.errors import QueryError
    from s3graph.querypool import QueryStopped

    if list_:
        from s3graph.cli.listing import list_lines

        for line in list_lines(queries.list_queries()):
            click.echo(line)
        return
    if name is None:
        raise click.UsageError("give a query NAME or FILE.rq, or --list")
    bindings = dict(_split_param(p) for p in params)
    named = queries.load_query(name)
    with pooled_reader(settings, timeout=timeout, query_memory=query_memory) as reader:
        try:
            result = queries.run_query(reader, named, bindings, base=settings.base)
            # An empty answer for a value that names nothing (a typo?) says so, exit 0 still.
            notes = [] if result.rows or not bindings else queries.unmatched_notes(
                reader, named, bindings, base=settings.base
            )
        except QueryStopped as exc:
            raise QueryError(f"{named.path}: {exc}") from None
    for note in notes:
        click.echo(f"note: {note}", err=True)
    formatter = {
        "table": queries.format_table,
        "csv": queries.format_csv,
        "json": queries.format_json,
    }
    click.echo(formatter[fmt](result), nl=False)


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, found {text!r}", param_hint="--param")
    return name.strip(), value


# -- stats ---------------------------------------------------------------------------------------


@click.command()
@click.pass_obj
def stats(settings: Settings) -> None:
    """Count quads and named graphs (and reports, partnerships, regions) in the store."""
    from s3graph import sparql as queries
    from s3graph.judging import staleness

    reference = load_reference(settings, None)
    with read_store(settings) as store:
        result = queries.run_query(store, queries.load_query("stats"), {}, base=settings.base)
        lines = [("quads", str(store.count())), ("named graphs", str(store.graph_count()))]
        judged = staleness(store, reference.stamp)
    for row in result.rows:
        lines += [
            (c, queries.plain(t) if t is not None else "0")
            for c, t in zip(result.columns, row, strict=True)
        ]
    for label, value in lines:
        click.echo(f"{label}: {value}")
    click.echo(judged.line())
