"""The limits every query runs under, and their defaults on this machine."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

__all__ = [
    "PoolLimits",
    "default_long_queries",
    "default_query_memory",
    "default_workers",
    "machine_memory",
    "parse_size",
]

_SIZE = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[KMGT]?)(?:i?B)?", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes of a size written ``512M``, ``2G``, ``1.5GiB`` or plain ``1048576``.

    Raises :class:`ValueError` naming what was expected.
    """
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a size like 512M, 2G or a number of bytes, found {text!r}")
    return int(float(match["number"]) * _UNITS[match["unit"].upper()])


def machine_memory() -> int:
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def default_query_memory() -> int:
    """A quarter of the machine's memory: what one query may grow by before it is stopped."""
    return machine_memory() // 4


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS


def default_workers() -> int:
    """Four workers per core, plus two: short queries share the cores with long ones.

    Queries are CPU-bound; more workers than cores only share the cores, which is what keeps a
    short query quick while long ones run (it gets its slice instead of waiting for a worker).
    Workers are forks of one process and cost little until they run something.
    """
    return 4 * _cores() + 2


def default_long_queries() -> int:
    """As many long queries as cores: together they can fill the machine, never more."""
    return max(1, _cores())


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """What a query may use, and how many run at once.

    A query that has used ``long_after`` seconds of CPU is *long* (CPU, not time: under load a
    short query waits for its slice of a core and must not count as long). At most
    ``long_queries`` long queries run at once; one more that turns long is stopped (the client is
    told to retry). So ``workers - long_queries`` workers are always left for short queries, which
    share the cores with the long ones: a slow query can never take every worker. And when every
    busy worker has been at its query for ``spare_after`` seconds while a job waits, that job
    gets a spare worker (up to ``spare_factor * workers`` in all): slow queries that have not
    used their second of CPU yet hold up a new one for a tenth of a second at most.
    """

    #: Seconds from a query's arrival (time queued included) to its deadline.
    timeout: float = 10.0
    #: Bytes a worker may grow by while it runs one query (its private memory).
    query_memory: int = field(default_factory=default_query_memory)
    #: Worker processes at most.
    workers: int = field(default_factory=default_workers)
    #: Long queries at most at once (see the class docstring); -1: one per core, at most
    #: ``workers - 1``.
    long_queries: int = -1
    #: Seconds of CPU after which a running query counts as long.
    long_after: float = 1.0
    #: Seconds after which every busy worker's query counts as slow for a job that waits: it
    #: then gets a spare worker, beyond ``workers`` (up to ``spare_factor`` times as many).
    spare_after: float = 0.1
    spare_factor: int = 4
    #: Bytes all running queries together may grow by; past it the largest is stopped.
    #: Default: half the machine's memory, and never less than ``query_memory``.
    total_memory: int = -1

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("a pool needs at least one worker")
        if self.long_queries < 0:
            long_queries = max(1, min(default_long_queries(), self.workers - 1))
            object.__setattr__(self, "long_queries", long_queries)
        if self.long_queries > self.workers:
            raise ValueError("long_queries cannot exceed workers")
        if self.total_memory < 0:
            total = max(self.query_memory, machine_memory() // 2)
            object.__setattr__(self, "total_memory", total)
