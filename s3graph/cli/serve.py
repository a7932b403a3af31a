"""``s3graph serve``: the SPARQL endpoint and pages over HTTP (FastAPI on uvicorn)."""

from __future__ import annotations

import errno
import functools
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from s3graph.cli.export import dumps_option
from s3graph.cli.pooled import SizeType
from s3graph.cli.support import (
    Settings,
    load_reference,
    open_store,
    require_stored,
    store_opener,
)
from s3graph.errors import S3GraphError

if TYPE_CHECKING:
    from s3graph.store import GraphStore

#: Connections the kernel queues before the server accepts them (uvicorn's default).
BACKLOG = 2048


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--update-token",
    envvar="S3GRAPH_UPDATE_TOKEN",
    show_envvar=True,
    default=None,
    metavar="TOKEN",
    help="Bearer token enabling /update and /store (else the server is read-only).",
)
@click.option(
    "--service-allow",
    multiple=True,
    metavar="URL",
    help="A URL that SERVICE (and LOAD) may reach; repeatable. None by default.",
)
@click.option(
    "--query-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds from a query's arrival (time queued included) to its 503.",
)
@click.option(
    "--query-memory",
    type=SizeType(),
    default=None,
    metavar="SIZE",
    help="Memory one query may use (512M, 2G, ...); default a quarter of the machine's.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Query worker processes; default four per core plus two.",
)
@click.option(
    "--long-queries",
    type=click.IntRange(min=1),
    default=None,
    help="Queries past a second of CPU at once (one more is refused); default one per core.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows (or triples) in a response; a cut is signalled.",
)
@click.option(
    "--memory/--disk",
    default=True,
    show_default=True,
    help="Read-only: answer from an in-memory copy of the store (3-7x faster) or from disk. "
    "A store URL is always answered live by its SPARQL server.",
)
@dumps_option("--dumps", "Folder of the s3graph export served at /dumps/ and /dataset.")
@click.pass_obj
def serve(
    settings: Settings,
    host: str,
    port: int,
    update_token: str | None,
    service_allow: tuple[str, ...],
    query_timeout: float,
    query_memory: int | None,
    workers: int | None,
    long_queries: int | None,
    max_rows: int,
    memory: bool,
    folder: Path,
) -> None:
    """Serve the store over HTTP: SPARQL at /sparql, VoID, pages, the export at /dumps/.

    Read-only unless an update token is given. Every query runs in a worker process with no
    network, under the timeout and memory limit; a slow query never takes every worker.
    """
    import uvicorn

    from s3graph.api.app import create_app
    from s3graph.api.live import Follower
    from s3graph.api.settings import ApiSettings
    from s3graph.cli.serving import GRACE, QuickStop, Unfollowed, pool_over, remote_pool
    from s3graph.process import limit_malloc_arenas
    from s3graph.querypool.limits import default_workers
    from s3graph.querypool.mother import Mother
    from s3graph.store import Store

    limits = {
        key: value
        for key, value in (
            ("query_memory", query_memory),
            ("workers", workers),
            ("long_queries", long_queries),
        )
        if value is not None
    }
    if long_queries is not None and long_queries > (workers or default_workers()):
        raise click.BadParameter("at most --workers", param_hint="--long-queries")
    api_settings = ApiSettings(
        **limits,
        query_timeout=query_timeout,
        max_rows=max_rows,
        update_token=update_token or None,
        service_allow=frozenset(service_allow),
        base=settings.base,
        dumps=folder,
        # the reference data in force, read before the store is opened for serving
        reference_digest=load_reference(settings, None).stamp.digest,
    )
    limit_malloc_arenas(2)  # many waiting threads, flat memory (see the function)
    read_only = api_settings.update_token is None
    if read_only:  # a read-only server never creates a store (one taking updates may)
        require_stored(settings)
    try:
        # Listening before the store is read: a busy port is said at once, not after the copy.
        # The query processes, forked later, close their inherited copy of it (querypool.zygote).
        with listen(host, port) as listening, Mother() as mother:
            # The mother is forked first, while this process has no other thread: every zygote
            # (each holding a copy of the store, or opening it) is forked by it (querypool.mother).
            mode = _mode(settings, read_only, memory)
            in_memory = read_only and memory
            with _served_store(settings, read_only) as store:
                follower: Follower | Unfollowed
                if settings.folder is None:  # a SPARQL server: answers are always its current data
                    opener = store_opener(settings)
                    follower = Unfollowed(remote_pool(opener, api_settings, mother))
                else:
                    folder = settings.folder
                    follower = Follower(
                        folder,
                        functools.partial(pool_over, folder, api_settings, mother, in_memory),
                        reopen=functools.partial(Store.open, folder, read_only=True)
                        if read_only
                        else None,
                    )
                app = create_app(api_settings, store, pool=follower.first_pool())
                follower.start(app.state)
                site = f"http://{_url_host(host)}:{listening.getsockname()[1]}"  # the port in use
                click.echo(
                    f"s3graph: serving {settings.store} ({mode}): open {site}/ "
                    f"(SPARQL at {site}/sparql)"
                )
                config = uvicorn.Config(
                    app,
                    log_level="warning",
                    access_log=False,  # info lines, not shown at "warning": not even formed
                    timeout_graceful_shutdown=GRACE,
                )
                try:
                    QuickStop(config, follower.stop).run(sockets=[listening])
                finally:
                    follower.stop()
    except KeyboardInterrupt:  # Ctrl-C, once the server, its pools and the mother are closed
        # End now: the interpreter's own teardown of its modules took up to a second on a busy
        # machine, and Ctrl-C must end the server within 2 s. Nothing is left to flush but this.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + signal.SIGINT)


def _mode(settings: Settings, read_only: bool, memory: bool) -> str:
    """How the store is served, as the first line says it."""
    if settings.folder is None:
        server = "read-only" if read_only else "updates enabled"
        return f"{server}, live from the SPARQL server"
    if read_only:
        return "read-only, in memory" if memory else "read-only"
    return "updates enabled"


def _served_store(settings: Settings, read_only: bool) -> GraphStore:
    """The store the app holds: the folder (read-only unless updates are enabled), or the server."""
    if settings.folder is None:
        return open_store(settings)
    from s3graph.store import Store

    return Store.open(settings.folder, read_only=read_only)


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (0: a free port), or one line saying why not.

    Bound here rather than by uvicorn, whose failure is a log line and exit 1, so that a busy
    port is a usage error (exit 2) naming the option to change, and ``--port 0`` can be told.
    """
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        return socket.create_server((host, port), family=family[0][0], backlog=BACKLOG)
    except OSError as err:
        raise S3GraphError(f"cannot listen on {_url_host(host)}:{port}: {_why(err)}") from None


def _why(err: OSError) -> str:
    # create_server's own errors carry the address in strerror: the plain reason is the errno's
    code = None if isinstance(err, socket.gaierror) else err.errno
    reason = os.strerror(code) if code else (err.strerror or str(err))
    if err.errno == errno.EADDRINUSE:
        return "the port is in use (another server?); choose another --port (0: any free one)"
    if err.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges); choose another --port"
    if err.errno == errno.EADDRNOTAVAIL or isinstance(err, socket.gaierror):
        return f"{reason}; --host must be an address of this machine"
    return f"{reason}; check --host and --port"


def _url_host(host: str) -> str:
    """``host`` as written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host
