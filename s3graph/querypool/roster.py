"""The pool's workers by state, and the path of one job: a worker found, the job sent, answered.

:class:`Roster` is what :class:`~s3graph.querypool.pool.QueryPool` is built on: under one lock,
the idle workers, the jobs waiting for one (first come, first served, by their deadline), the
busy ones and how many live; :meth:`Roster.run` takes a worker (an idle one, a fresh fork, or
the next one freed), sends the job and waits for the answer. What forks the workers (the zygote),
watches them and ends them is the pool's.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from typing import Any

from s3graph.querypool import channel
from s3graph.querypool.limits import PoolLimits
from s3graph.querypool.stopped import QueryStopped, stopped
from s3graph.querypool.workers import Done, Waiter, Worker, welcome
from s3graph.querypool.zygote import Zygote

__all__ = ["NETWORK_WORKERS", "Roster"]

logger = logging.getLogger(__name__)

#: Workers kept for queries that need the network (an allowlisted SERVICE), at most.
NETWORK_WORKERS = 2


class Roster:
    """Idle workers, waiting jobs, busy workers; ``run`` a job on one (see the module)."""

    def __init__(self, limits: PoolLimits, *, networked: bool) -> None:
        self.limits = limits
        #: Whether every worker keeps the network: the store is a SPARQL server it speaks to
        #: (``--store URL``), so the text-level SERVICE/LOAD guard in front is the line there.
        self.networked = networked
        self._lock = threading.Condition()
        self._spawn_lock = threading.Lock()
        self._idle: dict[bool, list[Worker]] = {False: [], True: []}
        self._queue: dict[bool, deque[Waiter]] = {False: deque(), True: deque()}
        self._busy: set[Worker] = set()
        self._alive: dict[bool, int] = {False: 0, True: 0}
        self._generation = 0
        self._closed = False
        self._successor: Roster | None = None  # where jobs go once handed over
        self.isolated: bool | None = None  # whether workers got a network namespace of their own
        self._zygote: Zygote  # set by the pool, which forks it

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
        """Back among the idle workers (or retired: stale, a spare nobody needs, lowered)."""
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
