"""The query pool: queueing, deadlines, memory limits and the replacement of workers.

:meth:`QueryPool.run` is called from any thread (the web server's waiting threads, the CLI) and
blocks until its job is answered or stopped (the queueing and a job's path to its worker are
:class:`~s3graph.querypool.roster.Roster`'s, which the pool is built on). A supervisor thread
looks at the busy workers every :data:`~s3graph.querypool.supervise.TICK` seconds
(:mod:`s3graph.querypool.supervise`) and kills (``SIGKILL`` through a pidfd, so never a
stranger reusing the pid)

- a worker whose query reached its deadline (counted from the query's arrival, time queued
  included): :class:`WorkerTimeout`;
- a worker whose private memory grew past the limit, or the largest one when all running
  queries together grew past ``total_memory``: :class:`WorkerOutOfMemory`;
- a worker whose query just turned long (a second of CPU) while ``long_queries`` long ones
  already run: :class:`ServerBusy` (see :class:`~s3graph.querypool.limits.PoolLimits`);
- a worker whose caller gave up (its client went away).

A query running past ``spare_after`` while others run or wait has its worker's niceness raised
(10, and 19 once long), so new queries and the server itself get the cores first. A killed
worker frees its core at once; its place is taken by a fresh fork. A worker that dies by itself
(an engine crash) is :class:`WorkerCrashed`, and the next query is served all the same.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime

from s3graph.querypool.limits import PoolLimits
from s3graph.querypool.roster import Roster
from s3graph.querypool.stopped import (
    QueryStopped,
    ServerBusy,
    WorkerCrashed,
    WorkerOutOfMemory,
    WorkerTimeout,
)
from s3graph.querypool.supervise import TICK, check, grant_spare
from s3graph.querypool.workers import Done, ZygoteFactory, fork_here
from s3graph.querypool.zygote import Handle, Prepare, Zygote

__all__ = [
    "Done",
    "QueryPool",
    "QueryStopped",
    "ServerBusy",
    "WorkerCrashed",
    "WorkerOutOfMemory",
    "WorkerTimeout",
]

class QueryPool(Roster):
    """Worker processes answering jobs with ``handle(store, job)`` under :class:`PoolLimits`.

    ``prepare()`` makes the store in each worker; ``warm()`` runs once in the zygote (see
    :class:`~s3graph.querypool.zygote.Zygote`). With ``inherit=True`` it returns a store that
    lives in this process's memory (the workers share it copy-on-write): the zygote is forked
    here, now, so build the pool while the process is single-threaded, and :meth:`refresh` forks
    a new zygote after the store changed. Otherwise ``prepare`` opens the store (read-only) in
    the worker, and :meth:`refresh` only replaces the workers.
    """

    def __init__(
        self,
        prepare: Prepare,
        handle: Handle,
        limits: PoolLimits,
        *,
        inherit: bool = False,
        warm: Callable[[], object] | None = None,
        zygote: ZygoteFactory | None = None,
        as_of: datetime | None = None,
        networked: bool = False,
    ) -> None:
        super().__init__(limits, networked=networked)
        self._prepare, self._handle, self._inherit, self._warm = prepare, handle, inherit, warm
        self._zygote_factory = zygote or fork_here
        #: When the data the workers answer from was current (None: not known); pages say it.
        self.as_of = as_of
        self._zygote = self._fork_zygote()
        self._supervisor = threading.Thread(
            target=self._watch, name="s3graph-query-supervisor", daemon=True
        )
        self._supervisor.start()

    def _fork_zygote(self) -> Zygote:
        return self._zygote_factory(
            self._prepare, self._handle, self.limits.query_memory, self._warm, self._inherit
        )

    # -- supervision ---------------------------------------------------------------------------

    def _watch(self) -> None:
        while True:
            time.sleep(TICK)
            with self._lock:
                if self._closed:
                    return
                handed_over = self._successor is not None
                if handed_over and not any(self._alive.values()):
                    break  # its last job ended: close it, below
                busy = list(self._busy)
                now = time.monotonic()
                self._alive[False] += grant_spare(
                    busy, self._queue[False], self._alive[False], self.limits, now
                )
                waiting = bool(self._queue[False] or self._queue[True])
            check(busy, self.limits, time.monotonic(), waiting=waiting)
        self.close()

    # -- life cycle ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Serve later queries from the store as it is now (after a write).

        Idle workers are replaced; busy ones finish their query on what they saw and are then
        replaced. With an inherited store, a new zygote is forked from this process first.
        """
        with self._spawn_lock:
            if self._inherit:
                retired, self._zygote = self._zygote, self._fork_zygote()
                retired.drain()
            with self._lock:
                self._generation += 1
                for idle in self._idle.values():
                    stale, idle[:] = list(idle), []
                    for worker in stale:
                        self._forget(worker)

    def hand_over(self, successor: QueryPool) -> None:
        """Send every later job to ``successor``; close once the jobs running here ended.

        Jobs queued here go to ``successor`` at once, idle workers end now; a caller that still
        holds this pool is served by ``successor``, so no job fails for the hand-over. The
        workers and zygote (and what they hold: an in-memory copy of the store) are gone as soon
        as the last running job here has answered.
        """
        with self._lock:
            if self._closed or self._successor is not None:
                return
            self._successor = successor
            waiting = [*self._queue[False], *self._queue[True]]
            self._queue = {False: deque(), True: deque()}
            for idle in self._idle.values():
                retired, idle[:] = list(idle), []
                for worker in retired:
                    self._forget(worker, serve=False)
        for waiter in waiting:
            waiter.event.set()  # they find no worker here, and go to the successor

    def close(self) -> None:
        """Stop every worker and the zygote; running jobs end with :class:`QueryStopped`."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = [*self._busy, *self._idle[False], *self._idle[True]]
            self._idle = {False: [], True: []}
            waiting = [*self._queue[False], *self._queue[True]]
        for waiter in waiting:
            waiter.event.set()  # they find nothing, and say they waited in vain
        for worker in workers:
            worker.kill("closed")
        with self._spawn_lock:
            self._zygote.close()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Whether the pool is closed (its workers and zygote are gone)."""
        return self._closed

    def counts(self) -> dict[str, int]:
        """How many workers are alive, busy and idle."""
        with self._lock:
            return {
                "alive": self._alive[False] + self._alive[True],
                "busy": len(self._busy),
                "idle": len(self._idle[False]) + len(self._idle[True]),
            }

    def worker_pids(self) -> list[int]:
        """The pids of the workers alive now."""
        with self._lock:
            return [w.pid for w in (*self._busy, *self._idle[False], *self._idle[True])]

