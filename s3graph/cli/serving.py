"""How ``s3graph serve`` runs: pools that follow the store, and a server that stops at once.

Imported when ``serve`` runs, not with the CLI (uvicorn is slow to import).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from s3graph.api.execute import handle_job, warm_up
from s3graph.api.kept import kept_copy
from s3graph.api.settings import ApiSettings
from s3graph.querypool import QueryPool
from s3graph.querypool.mother import Mother
from s3graph.store import GraphStore, Store

__all__ = ["GRACE", "QuickStop", "Unfollowed", "pool_over", "remote_pool"]


#: Seconds uvicorn waits for answers under way once asked to stop (they end sooner: the
#: queries' workers are killed at once, and their requests answered 503).
GRACE = 1


def pool_over(
    path: Path, settings: ApiSettings, mother: Mother, in_memory: bool, as_of: datetime
) -> QueryPool:
    """A query pool over the store at ``path`` as it is now, its zygote forked by ``mother``.

    In memory, the mother brings its copy of the store up to date (:mod:`s3graph.api.kept`) and
    the zygote and its workers share it copy-on-write; else each worker opens the store
    read-only.
    """
    if in_memory:
        prepare: Callable[[], Store] = functools.partial(kept_copy, path)
    else:
        prepare = functools.partial(Store.open, path, read_only=True)
    return QueryPool(
        prepare,
        handle_job,
        settings.pool_limits(),
        inherit=in_memory,
        warm=warm_up,
        zygote=functools.partial(mother.zygote, in_mother=in_memory),
        as_of=as_of,
    )


def remote_pool(
    opener: Callable[[], GraphStore], settings: ApiSettings, mother: Mother
) -> QueryPool:
    """A query pool over a SPARQL server (``--store URL``): each worker opens ``opener``.

    The workers keep the network (they speak to the server); the token, the SERVICE/LOAD
    guard, the row cap and the timeout stay in front, in this server. The pool carries no
    as-of time: every query goes to the server and answers from its data as it is then.
    """
    return QueryPool(
        opener,
        handle_job,
        settings.pool_limits(),
        warm=warm_up,
        zygote=functools.partial(mother.zygote, in_mother=False),
        networked=True,
    )


class Unfollowed:
    """What stands for :class:`~s3graph.api.live.Follower` over a SPARQL server: one pool.

    A server tells no changes (the change marker is a folder's), and needs none followed:
    queries go to it, so answers are always from its current data.
    """

    def __init__(self, pool: QueryPool) -> None:
        self.pool = pool

    def first_pool(self) -> QueryPool:
        return self.pool

    def start(self, state: Any) -> None:
        """Nothing to follow."""

    def stop(self) -> None:
        """Close the pool: its workers are killed at once."""
        self.pool.close()


class QuickStop(uvicorn.Server):
    """uvicorn's server, which also kills the query workers at once when asked to stop.

    pyoxigraph cannot cancel a query: only killing its worker frees the core, and the request
    waiting for it then answers at once, so the server stops within its grace.
    """

    def __init__(self, config: uvicorn.Config, kill: Callable[[], None]) -> None:
        super().__init__(config)
        self._kill = kill

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        # In a signal handler: the pools' locks may be held by this very thread, so the
        # workers are killed from another one.
        threading.Thread(target=self._kill, name="s3graph-stop", daemon=True).start()
