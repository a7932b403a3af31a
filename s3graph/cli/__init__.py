"""The command line: a thin front door that only calls the core (parse, mapping, store, queries).

Only this package configures logging. Errors the user can fix (``S3GraphError``) are printed
as one line with their exit code, a full disk too (exit 3); anything else is a bug (exit 70).
Output into a pipe that was closed (``s3graph stats | head -1``) ends the run quietly, exit 0.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from s3graph import __version__
from s3graph.cli.check import check
from s3graph.cli.commands import examples_dir, ingest, parse, query, stats
from s3graph.cli.export import export
from s3graph.cli.remove import remove
from s3graph.cli.serve import serve
from s3graph.cli.support import Settings, silence_closed_pipes, store_location
from s3graph.cli.transfer import pull, push
from s3graph.cli.validate import validate
from s3graph.cli.vocab import vocab
from s3graph.errors import ReportError, S3GraphError, is_no_space, no_space_error
from s3graph.namespaces import DEFAULT_BASE

__all__ = ["EXIT_BUG", "examples_dir", "main"]

#: The kinds of ``--server``: the presets of :mod:`s3graph.remote.presets` (a test checks they
#: agree), named here so that the CLI starts without importing the HTTP client.
SERVER_KINDS = ("oxigraph", "virtuoso", "fuseki", "graphdb", "generic")

#: Exit code of an unexpected exception (BSD ``EX_SOFTWARE``).
EXIT_BUG = 70

EPILOG = """\b
Exit codes:
  0   success
  1   a report breaks a rule of the form (validate, ingest --strict)
  2   bad input or usage: one line "FILE:LINE: expected ..." on stderr
  3   store problem (locked by another process, not a store, not writable, disk full)
  70  internal error, a bug: please report it (traceback with --verbose)
"""

BUG_MESSAGE = (
    "s3graph: internal error ({kind}); this is a bug, please report it"
    " with the command you ran (run again with --verbose for the traceback)"
)


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (the CLI runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def _configure_logging(verbose: bool) -> None:
    logger = logging.getLogger("s3graph")
    for handler in [h for h in logger.handlers if isinstance(h, _StderrHandler)]:
        logger.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


class _Group(click.Group):
    """Turns exceptions into one stderr line and the documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return result
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except S3GraphError as err:
            click.echo(" ".join(str(err).splitlines()), err=True)
            ctx.exit(err.exit_code)
        except BrokenPipeError as err:
            if not silence_closed_pipes():  # a pipe of our own (to a worker): a bug
                raise _bug(ctx, err) from err
            ctx.exit(0)  # `s3graph ... | head -1`: the reader has all it wanted
        except OSError as err:
            if is_no_space(err):
                raise _no_space(ctx, err) from err
            if err.filename is None:
                raise _bug(ctx, err) from err
            # A path named on the command line that cannot be read is bad input, not a bug.
            message = ReportError(str(err.filename), 0, "a readable file", err.strerror)
            click.echo(str(message), err=True)
            ctx.exit(message.exit_code)
        except Exception as err:
            raise (_no_space(ctx, err) if is_no_space(err) else _bug(ctx, err)) from err


def _no_space(ctx: click.Context, err: BaseException) -> click.exceptions.Exit:
    """Exit 3 with one line naming the folder that is full: the file's, else the store's."""
    filename = getattr(err, "filename", None)
    settings = ctx.obj if isinstance(ctx.obj, Settings) else None
    if filename is not None:
        folder = Path(os.fsdecode(filename)).parent
    else:
        folder = (settings.folder if settings is not None else None) or Path.cwd()
    error = no_space_error(folder, err)
    click.echo(str(error), err=True)
    return click.exceptions.Exit(error.exit_code)


def _bug(ctx: click.Context, err: BaseException) -> click.exceptions.Exit:
    click.echo(BUG_MESSAGE.format(kind=type(err).__name__), err=True)
    if ctx.params.get("verbose"):
        click.echo("".join(traceback.format_exception(err)), err=True, nl=False)
    return click.exceptions.Exit(EXIT_BUG)


@click.group(
    "s3graph", cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--store",
    metavar="PATH|URL",
    envvar="S3GRAPH_STORE",
    default="./s3graph-data",
    show_default=True,
    show_envvar=True,
    help="Folder of the on-disk store (created when missing), or the URL of a SPARQL 1.1 server "
    "(http://HOST:PORT/...) holding the graph; its user and password in S3GRAPH_STORE_USER and "
    "S3GRAPH_STORE_PASSWORD, a request's time limit in S3GRAPH_STORE_TIMEOUT (seconds).",
)
@click.option(
    "--server",
    type=click.Choice(SERVER_KINDS),
    envvar="S3GRAPH_SERVER",
    default=None,
    show_envvar=True,
    help="The kind of SPARQL server at a store URL (its endpoints and quirks); default oxigraph. "
    "generic: the URL answers queries, and updates unless --update-url is given.",
)
@click.option(
    "--update-url",
    metavar="URL",
    envvar="S3GRAPH_UPDATE_URL",
    default=None,
    show_envvar=True,
    help="The SPARQL server's update endpoint, in place of the one --server implies.",
)
@click.option(
    "--graph-store-url",
    metavar="URL",
    envvar="S3GRAPH_GRAPH_STORE_URL",
    default=None,
    show_envvar=True,
    help="The SPARQL server's Graph Store Protocol endpoint, in place of the one --server "
    "implies (generic: none unless given).",
)
@click.option(
    "--base",
    metavar="IRI",
    envvar="S3GRAPH_BASE",
    default=DEFAULT_BASE,
    show_default=True,
    show_envvar=True,
    help="Base of the data IRIs (partnerships, reports, regions, ...).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages (and tracebacks of bugs).")
@click.version_option(__version__, prog_name="s3graph")
@click.pass_context
def main(
    ctx: click.Context,
    store: str,
    server: str | None,
    update_url: str | None,
    graph_store_url: str | None,
    base: str,
    verbose: bool,
) -> None:
    """s3graph: S3 partnership monitoring reports as an RDF knowledge graph."""
    _configure_logging(verbose)
    ctx.obj = Settings(store_location(store), base, verbose, server, update_url, graph_store_url)


for _command in (parse, ingest, validate, query, stats, vocab, export, serve, push, pull):
    main.add_command(_command)
main.add_command(remove)
main.add_command(check)
