"""Why a query was stopped, as the exceptions the pool raises and the words clients read.

Each stop says what to do next and how long the query waited for a worker and ran, in its text
and in ``waited``/``ran`` (the web answers carry both).
"""

from __future__ import annotations

from s3graph.querypool.limits import PoolLimits

__all__ = [
    "QueryStopped",
    "ServerBusy",
    "WorkerCrashed",
    "WorkerOutOfMemory",
    "WorkerTimeout",
    "stopped",
]


class QueryStopped(Exception):
    """The query was stopped before it answered; ``waited`` and ``ran`` say for how long."""

    #: A short title for the client.
    title = "query stopped"

    def __init__(self, detail: str, *, waited: float, ran: float) -> None:
        super().__init__(detail)
        self.detail = detail
        self.waited = waited
        self.ran = ran


class WorkerTimeout(QueryStopped):
    title = "query timeout"


class WorkerOutOfMemory(QueryStopped):
    title = "query memory limit"


class ServerBusy(QueryStopped):
    title = "server busy"


class WorkerCrashed(QueryStopped):
    title = "query engine failure"


def stopped(reason: str | None, limits: PoolLimits, *, waited: float, ran: float) -> QueryStopped:
    """The stop for ``reason`` (the supervisor's word, or None when the worker just ended)."""
    timing = f"(waited {waited:.2f} s for a worker, ran {ran:.2f} s)"
    if reason == "queued":
        return WorkerTimeout(
            f"the query waited its whole {limits.timeout:g} s for a worker {timing}; the server"
            " is busy, try again",
            waited=waited,
            ran=ran,
        )
    if reason == "timeout":
        return WorkerTimeout(
            f"the query passed its {limits.timeout:g} s {timing}; narrow it (LIMIT, more"
            " specific patterns) and try again",
            waited=waited,
            ran=ran,
        )
    if reason == "memory":
        return WorkerOutOfMemory(
            f"the query needed more than its {_mib(limits.query_memory)} of memory {timing};"
            " narrow it (fewer variables joined, LIMIT without ORDER BY) and try again",
            waited=waited,
            ran=ran,
        )
    if reason == "busy":
        return ServerBusy(
            f"{limits.long_queries} long queries are running already, the most at once "
            f"{timing}; try again shortly",
            waited=waited,
            ran=ran,
        )
    if reason == "closed":
        return QueryStopped(
            f"the server is stopping: the query was ended {timing}; try again once it is back",
            waited=waited,
            ran=ran,
        )
    if reason == "cancelled":
        return QueryStopped(f"the query was cancelled {timing}", waited=waited, ran=ran)
    return WorkerCrashed(
        f"the query engine failed on this query and its worker ended {timing}: it may be too"
        f" large (memory limit {_mib(limits.query_memory)}) or trip a bug in the engine;"
        " the server goes on",
        waited=waited,
        ran=ran,
    )


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB"
