"""Queries of the command line in a query worker: the same limits as the server's.

``s3graph query`` runs its query in one worker process (forked while the CLI is single-threaded)
that opens the store read-only: a query that crashes the engine, passes ``--timeout`` or grows
past ``--query-memory`` ends with one line and exit code 2, never a hung or killed shell.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from s3graph.cli.support import Settings, require_stored, store_opener
from s3graph.querypool.limits import PoolLimits, default_query_memory, parse_size

if TYPE_CHECKING:
    from s3graph.api.reader import PooledReader

__all__ = ["SizeType", "limit_options", "pooled_reader"]


class SizeType(click.ParamType):
    """A size in bytes written ``512M``, ``2G`` or plain bytes."""

    name = "size"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def limit_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--timeout`` and ``--query-memory`` for a command that runs queries."""
    command = click.option(
        "--query-memory",
        type=SizeType(),
        default=None,
        metavar="SIZE",
        help="Memory the query may use (512M, 2G, ...); default a quarter of the machine's.",
    )(command)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.01),
        default=300.0,
        show_default=True,
        help="Seconds the query may run.",
    )(command)


@contextmanager
def pooled_reader(
    settings: Settings, *, timeout: float, query_memory: int | None
) -> Iterator[PooledReader]:
    """A reader whose queries run in one worker over the store, read-only, under the limits."""
    from s3graph.api.execute import handle_job
    from s3graph.api.reader import PooledReader
    from s3graph.querypool import QueryPool

    require_stored(settings)  # said here, in the CLI, not by a worker that cannot open it
    limits = PoolLimits(
        timeout=timeout,
        query_memory=query_memory or default_query_memory(),
        workers=1,
        long_queries=1,
        long_after=timeout,
    )
    opener = store_opener(settings, read_only=True)
    with QueryPool(opener, handle_job, limits, networked=settings.remote is not None) as pool:
        yield PooledReader(pool, arrived=time.monotonic(), max_rows=None)
