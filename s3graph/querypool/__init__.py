"""Queries run in worker processes where they cannot hurt the process that asked for them.

The web server and the CLI hand every query to a :class:`~s3graph.querypool.pool.QueryPool`. The
pool forks one *zygote* while the caller is still single-threaded; the zygote forks the query
workers, which share the caller's in-memory store copy-on-write (or open their own read-only view
of an on-disk store). A worker runs one query at a time, with no network (its own network
namespace) and a cap on its address space; the pool kills it at its deadline, past its memory
limit or when too many long queries run, and forks a fresh one. A query that crashes the engine
(a parser stack overflow, an allocation failure) takes only its worker with it.

- :mod:`.limits`: the limits (deadline, memory, workers, long queries) and their defaults;
- :mod:`.channel`: length-prefixed messages over a Unix socket;
- :mod:`.isolation`: what a worker does to itself (no network, an address-space cap, dying with
  its parent) and what the pool reads of it (its memory);
- :mod:`.zygote`: the process that forks workers, and the worker's loop;
- :mod:`.mother`: the process that forks zygotes once the caller has threads (a server taking
  up newer data);
- :mod:`.pool`: the pool: its zygote, supervision, refresh and hand-over;
- :mod:`.roster`: its workers by state, and the path of one job (queueing, a worker's reuse);
- :mod:`.onloop`: a job answered from an event loop, no thread between (the web server);
- :mod:`.supervise`: the supervisor's look at the busy workers (kills, priorities, spares);
- :mod:`.workers`: the pool's handle on a worker, a waiting job, a job's answer;
- :mod:`.stopped`: why a query was stopped, as exceptions with the words clients read.
"""

from s3graph.querypool.limits import PoolLimits, parse_size
from s3graph.querypool.pool import QueryPool
from s3graph.querypool.stopped import (
    QueryStopped,
    ServerBusy,
    WorkerCrashed,
    WorkerOutOfMemory,
    WorkerTimeout,
)

__all__ = [
    "PoolLimits",
    "QueryPool",
    "QueryStopped",
    "ServerBusy",
    "WorkerCrashed",
    "WorkerOutOfMemory",
    "WorkerTimeout",
    "parse_size",
]
