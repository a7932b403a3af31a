"""The query pool: queueing, deadlines, memory limits and the replacement of workers.

:meth:`QueryPool.run` is called from any thread (the web server's waiting threads, the CLI) and
blocks until its job is answered or stopped. A supervisor thread looks at the busy workers every
:data:`~s3graph.querypool.supervise.TICK` seconds (:mod:`s3graph.querypool.supervise`) and kills
(``SIGKILL`` through a pidfd, so never a stranger reusing the pid)

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

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from s3graph.querypool import channel
from s3graph.querypool.limits import PoolLimits
from s3graph.querypool.stopped import (
    QueryStopped,
    ServerBusy,
    WorkerCrashed,
    WorkerOutOfMemory,
    WorkerTimeout,
    stopped,
)
from s3graph.querypool.supervise import TICK, check, grant_spare
from s3graph.querypool.workers import Done, Waiter, Worker, ZygoteFactory, fork_here, welcome
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

logger = logging.getLogger(__name__)

#: Workers kept for queries that need the network (an allowlisted SERVICE), at most.
NETWORK_WORKERS = 2


class QueryPool:
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
        self.limits = limits
        #: Whether every worker keeps the network: the store is a SPARQL server it speaks to
        #: (``--store URL``), so the text-level SERVICE/LOAD guard in front is the line there.
        self.networked = networked
        self._prepare, self._handle, self._inherit, self._warm = prepare, handle, inherit, warm
        self._zygote_factory = zygote or fork_here
        #: When the data the workers answer from was current (None: not known); pages say it.
        self.as_of = as_of
        self._lock = threading.Condition()
        self._spawn_lock = threading.Lock()
        self._idle: dict[bool, list[Worker]] = {False: [], True: []}
        self._queue: dict[bool, deque[Waiter]] = {False: deque(), True: deque()}
        self._busy: set[Worker] = set()
        self._alive: dict[bool, int] = {False: 0, True: 0}
        self._generation = 0
        self._closed = False
        self._successor: QueryPool | None = None  # where jobs go once handed over
        self.isolated: bool | None = None  # whether workers got a network namespace of their own
        self._zygote = self._fork_zygote()
        self._supervisor = threading.Thread(
            target=self._watch, name="s3graph-query-supervisor", daemon=True
        )
        self._supervisor.start()

    def _fork_zygote(self) -> Zygote:
        return self._zygote_factory(
            self._prepare, self._handle, self.limits.query_memory, self._warm, self._inherit
        )

    # -- running -------------------------------------------------------------------------------

    def run(
        self,
        job: Any,
        *,
        arrived: float | None = None,
        network: bool = False,
        cancel: threading.Event | None = None,
    ) -> Done:
        """Answer ``job`` in a worker; blocks. Raises :class:`QueryStopped` when it is stopped.

        ``arrived`` is the :func:`time.monotonic` of the request (default: now): the deadline is
        that plus the timeout. ``network`` asks for a worker with network (an allowlisted
        ``SERVICE``); ``cancel``, once set, stops the job.
        """
        arrived = time.monotonic() if arrived is None else arrived
        deadline = arrived + self.limits.timeout
        worker = self._acquire(network, arrived, deadline)
        if worker is None:  # handed over (see hand_over): the job goes to the successor
            assert self._successor is not None
            return self._successor.run(job, arrived=arrived, network=network, cancel=cancel)
        self.begin(worker, arrived, cancel)
        try:
            channel.send(worker.sock, job)
            reply = channel.receive(worker.sock)
        except (EOFError, OSError):
            raise self.lost(worker) from None
        return self.finish(worker, reply)

    def claim_idle(self, network: bool) -> Worker | None:
        """An idle worker for a job now, if one is free and no job waits; else None (run()
        queues the job then, or hands it to the successor)."""
        with self._lock:
            if self._successor is not None or self._closed or self._queue[network]:
                return None
            idle = self._idle[network]
            while idle:
                worker = idle.pop()
                if worker.generation == self._generation:
                    return worker
                self._forget(worker, serve=False)
            return None

    def begin(self, worker: Worker, arrived: float, cancel: threading.Event | None) -> None:
        """Mark ``worker`` busy with a job that arrived at ``arrived``, under the supervisor."""
        started = time.monotonic()
        worker.started, worker.cancel = started, cancel
        worker.deadline = arrived + self.limits.timeout
        worker.waited = started - arrived
        with self._lock:
            self._busy.add(worker)

    def lost(self, worker: Worker) -> QueryStopped:
        """``worker`` ended during its job (killed, or crashed): it is let go, and this says why."""
        ran = time.monotonic() - worker.started
        self._discard(worker)
        return stopped(worker.reason, self.limits, waited=worker.waited, ran=ran)

    def finish(self, worker: Worker, reply: tuple[str, Any, float]) -> Done:
        """``worker``'s answer to its job; the worker is free for the next one."""
        ran = time.monotonic() - worker.started
        kind, value, worker.cpu_started = reply  # its CPU when the next job begins
        self._release(worker)
        if kind == "error":
            return Done(None, value, worker.waited, ran)
        return Done(value, None, worker.waited, ran)

    # -- workers -------------------------------------------------------------------------------

    def _capacity(self, network: bool) -> int:
        return NETWORK_WORKERS if network else self.limits.workers

    def _acquire(self, network: bool, arrived: float, deadline: float) -> Worker | None:
        """A worker for a new job: an idle one, a new one, or the next one freed (first come,
        first served), by ``deadline``; None once the pool is handed over."""
        with self._lock:
            if self._successor is not None:
                return None
            if self._closed:  # the server is stopping: a 503, not an error of ours
                raise stopped("closed", self.limits, waited=time.monotonic() - arrived, ran=0)
            waiter = Waiter()
            queue = self._queue[network]
            if not queue:
                self._offer(waiter, network)
            if waiter.worker is None and not waiter.may_spawn:
                queue.append(waiter)
        if waiter.worker is None and not waiter.may_spawn:
            waiter.event.wait(max(0.0, deadline - time.monotonic()))
            with self._lock:
                if waiter.worker is None and not waiter.may_spawn:
                    if self._successor is not None:
                        return None  # the hand-over took it out of the queue
                    waited = time.monotonic() - arrived
                    if self._closed:
                        raise stopped("closed", self.limits, waited=waited, ran=0)
                    queue.remove(waiter)
                    raise stopped("queued", self.limits, waited=waited, ran=0)
        if waiter.worker is not None:
            return waiter.worker
        try:
            return self._spawn(network)
        except BaseException:
            with self._lock:
                self._alive[network] -= 1
                self._serve_queue(network)
            raise

    def _offer(self, waiter: Waiter, network: bool) -> None:
        """Give ``waiter`` an idle worker, or leave to fork one if there is room (lock held)."""
        idle = self._idle[network]
        while idle:
            worker = idle.pop()
            if worker.generation == self._generation:
                waiter.worker = worker
                return
            self._forget(worker, serve=False)
        if self._alive[network] < self._capacity(network):
            self._alive[network] += 1
            waiter.may_spawn = True

    def _serve_queue(self, network: bool) -> None:
        """Hand what is free to the waiters, oldest first (lock held)."""
        queue = self._queue[network]
        while queue:
            waiter = queue[0]
            self._offer(waiter, network)
            if waiter.worker is None and not waiter.may_spawn:
                return
            queue.popleft()
            waiter.event.set()

    def _spawn(self, network: bool) -> Worker:
        """A new worker (the caller has counted it in ``_alive``)."""
        with self._spawn_lock:
            generation = self._generation
            pid, sock = self._zygote.spawn(network or self.networked)
        worker, hello = welcome(pid, sock, network, generation)
        if not (network or self.networked) and self.isolated is None:
            self.isolated = hello.isolated
            if not hello.isolated:
                logger.warning(
                    "query workers could not get a network namespace of their own;"
                    " the SERVICE/LOAD guard is the only line"
                )
        return worker

    def _release(self, worker: Worker) -> None:
        worker.renice(0)  # back to a normal priority for the next query, if allowed
        with self._lock:
            self._busy.discard(worker)
            worker.cancel, worker.deadline, worker.long = None, math.inf, False
            if worker.nice != 0:  # not allowed: a low-priority worker would slow a short query
                self._forget(worker)
                return
            spare = self._alive[worker.network] > self._capacity(worker.network)
            current = worker.generation == self._generation and not self._closed
            current = current and self._successor is None
            if current and (self._queue[worker.network] or not spare):
                self._idle[worker.network].append(worker)
                self._serve_queue(worker.network)
            else:
                self._forget(worker)  # a spare with nobody waiting retires

    def _discard(self, worker: Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            self._forget(worker)

    def _forget(self, worker: Worker, *, serve: bool = True) -> None:
        """Close ``worker`` and free its place, for the next waiter (call with the lock held)."""
        worker.close()
        self._alive[worker.network] -= 1
        if serve and not self._closed:
            self._serve_queue(worker.network)

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

