"""The supervisor's look at the busy workers: which to kill, which to lower, who gets a spare.

Called by the pool's supervisor thread every :data:`TICK` seconds (see
:mod:`s3graph.querypool.pool` for what each stop means to the client):

- :func:`check` kills a worker past its deadline, whose caller gave up, past its memory limit
  (or the largest when all together are past ``total_memory``), or whose query just turned long
  while ``long_queries`` long ones already run; and lowers the priority of slow queries while
  other queries run or wait, so those get the cores first;
- :func:`grant_spare` lets a waiting job fork a spare worker when every busy one is slow.

A query that runs alone keeps its priority: lowered, it would only lose the cores to other
programs on the machine, with no query of this pool to gain them (a 1M-triple query ran 3-5x
slower beside a busy test suite at niceness 19).
"""

from __future__ import annotations

from collections import deque

from s3graph.querypool.isolation import cpu_time, private_memory
from s3graph.querypool.limits import PoolLimits
from s3graph.querypool.workers import Waiter, Worker

__all__ = ["LONG_NICE", "SLOW_NICE", "TICK", "check", "grant_spare"]

#: Seconds between two looks of the supervisor at the busy workers.
TICK = 0.05
#: The niceness of a worker whose query ran past ``spare_after`` (slow), and past a second of
#: CPU (long), while other queries run or wait: a new query, at 0, gets the cores first, so
#: short queries stay quick beside slow ones, and the server's own threads are never starved.
SLOW_NICE = 10
LONG_NICE = 19


def grant_spare(
    busy: list[Worker], queue: deque[Waiter], alive: int, limits: PoolLimits, now: float
) -> int:
    """Let waiters fork spare workers when every busy worker is slow; how many were let."""
    slow = [w for w in busy if not w.network and now - w.started >= limits.spare_after]
    if not queue or len(slow) < alive:
        return 0
    granted = 0
    while queue and alive + granted < limits.spare_factor * limits.workers:
        waiter = queue.popleft()
        granted += 1
        waiter.may_spawn = True
        waiter.event.set()
    return granted


def check(busy: list[Worker], limits: PoolLimits, now: float, *, waiting: bool) -> None:
    """Kill or lower the busy workers that must be (``waiting``: a job waits for a worker)."""
    for worker in busy:
        if worker.reason is not None:
            continue
        if now >= worker.deadline:
            worker.kill("timeout")
        elif worker.cancel is not None and worker.cancel.is_set():
            worker.kill("cancelled")
        else:
            worker.grown = private_memory(worker.pid) - worker.baseline
            if worker.grown > limits.query_memory:
                worker.kill("memory")
    growing = sorted((w for w in busy if w.reason is None), key=lambda w: w.grown)
    total = sum(w.grown for w in growing)
    while growing and total > limits.total_memory:
        largest = growing.pop()
        total -= largest.grown
        largest.kill("memory")
    _long_and_slow(busy, limits, now, waiting=waiting)


def _long_and_slow(busy: list[Worker], limits: PoolLimits, now: float, *, waiting: bool) -> None:
    alive = [w for w in busy if w.reason is None]
    running = [w for w in alive if not w.network]
    contended = waiting or len(alive) > 1
    long = [w for w in running if w.long]
    for worker in sorted(running, key=lambda w: w.started):
        ran = now - worker.started
        # CPU time never runs ahead of the clock: no need to read it before long_after.
        turned_long = not worker.long and ran >= limits.long_after
        if turned_long and cpu_time(worker.pid) - worker.cpu_started >= limits.long_after:
            if len(long) >= limits.long_queries:
                worker.kill("busy")
                continue
            worker.long = True
            long.append(worker)
        if contended and worker.long:
            worker.renice(LONG_NICE)
        elif contended and ran >= limits.spare_after:
            worker.renice(SLOW_NICE)
        else:
            worker.renice(0)  # alone again: back to normal, where that is allowed
