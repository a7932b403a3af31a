"""``s3graph push --to URL`` and ``s3graph pull --from URL``: named graphs between the store
folder and a SPARQL server (see :mod:`s3graph.transfer` for how both resume)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import click

from s3graph.cli.support import Settings

Command = Callable[..., None]


def _server_options(direction: str, help_url: str) -> Callable[[Command], Command]:
    """The options both commands share: the server's URL, its kind, batch size, graph filter,
    and ``--full`` (the record of earlier runs ignored)."""
    earlier = "pushes to" if direction == "to" else "pulls from"

    def decorate(command: Command) -> Command:
        for option in reversed(
            [
                click.option(
                    f"--{direction}", "url", required=True, metavar="URL", help=help_url
                ),
                click.option(
                    "--server",
                    "kind",
                    envvar="S3GRAPH_SERVER",
                    show_envvar=True,
                    metavar="KIND",
                    default=None,
                    help="The kind of SPARQL server (its endpoints and quirks): oxigraph "
                    "(default), virtuoso, fuseki, graphdb or generic. Credentials: "
                    "S3GRAPH_STORE_USER and S3GRAPH_STORE_PASSWORD.",
                ),
                click.option(
                    "--batch",
                    type=click.IntRange(min=1),
                    default=10_000,
                    show_default=True,
                    help="About this many triples per request; a graph is never split in a "
                    "write (a larger one is read in pages of this many rows, at least 1000).",
                ),
                click.option(
                    "--graphs",
                    "patterns",
                    multiple=True,
                    metavar="PATTERN",
                    help="Only the named graphs whose IRI matches (shell-style, * for any "
                    "text; repeatable); default: all.",
                ),
                click.option(
                    "--full",
                    is_flag=True,
                    help=f"Ignore what earlier {earlier} this server recorded: compare every "
                    "graph with the other side's and copy those that differ.",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


@click.command()
@_server_options("to", "The SPARQL server to copy the store's named graphs to.")
@click.pass_obj
def push(
    settings: Settings,
    url: str,
    kind: str | None,
    batch: int,
    patterns: tuple[str, ...],
    full: bool,
) -> None:
    """Copy the store's named graphs to a SPARQL server, each graph replaced whole.

    Reports, their validation and source-text graphs and the vocabularies go along. An
    interrupted push resumes when run again: graphs the server already holds as recorded in
    the store folder (S3GRAPH-PUSHED/) are skipped, the rest sent again, none twice.
    """
    from s3graph.remote import RemoteStore
    from s3graph.store import Store
    from s3graph.transfer import push as push_graphs

    _check_url(url, "--to")
    with ExitStack() as stack:
        source = stack.enter_context(Store.open(_folder(settings), read_only=True))
        target = stack.enter_context(RemoteStore.open(url, server=kind or _global_server(settings)))
        with _progress("pushing") as (started, advance):
            done = push_graphs(
                source,
                target,
                batch=batch,
                graphs=patterns,
                full=full,
                progress=advance,
                started=started,
            )
    click.echo(done.line("pushed", f"to {target.url}"))


@click.command()
@_server_options("from", "The SPARQL server to copy named graphs from.")
@click.pass_obj
def pull(
    settings: Settings,
    url: str,
    kind: str | None,
    batch: int,
    patterns: tuple[str, ...],
    full: bool,
) -> None:
    """Copy a SPARQL server's named graphs into the store, a batch of graphs per write.

    Each graph pulled replaces the store's graph of that name, whole; other graphs are kept.
    An interrupted pull resumes when run again: graphs already pulled as recorded in the store
    folder (S3GRAPH-PULLED/), and unchanged on both sides, are skipped, the rest read again.
    """
    from s3graph.remote import RemoteStore
    from s3graph.store import Store
    from s3graph.transfer import pull as pull_graphs

    _check_url(url, "--from")
    folder = _folder(settings)
    source = RemoteStore.open(url, server=kind or _global_server(settings))
    with source, _progress("pulling") as (started, advance):
        done = pull_graphs(
            source,
            partial(Store.open, folder),
            batch=batch,
            graphs=patterns,
            full=full,
            progress=advance,
            started=started,
        )
    click.echo(done.line("pulled", f"from {source.url} into {folder}"))


def _check_url(url: str, option: str) -> None:
    from s3graph.remote import is_store_url

    if not is_store_url(url):
        raise click.BadParameter(f"{url!r} is not an http:// or https:// URL", param_hint=option)


def _global_server(settings: Settings) -> str | None:
    """``s3graph --server KIND`` given before the command (the kind of a store URL)."""
    kind = getattr(settings, "server", None)
    return kind if isinstance(kind, str) else None


def _folder(settings: Settings) -> Path:
    """The store folder of ``--store``: push and pull copy between it and a server."""
    from s3graph.remote import is_store_url

    if is_store_url(str(settings.store)):
        raise click.UsageError("--store must name the store's folder (the server is --to/--from)")
    return Path(settings.store)


@contextmanager
def _progress(label: str) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """(started, advance): a bar of triples on stderr when it is a terminal, else nothing."""
    with ExitStack() as stack:
        bars: list[Any] = []

        def started(total: int) -> None:
            if sys.stderr.isatty() and total:
                bar = click.progressbar(length=total, label=label, file=sys.stderr)
                bars.append(stack.enter_context(bar))

        def advance(triples: int) -> None:
            for bar in bars:
                bar.update(triples)

        yield started, advance
