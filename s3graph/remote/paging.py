"""Every row of a SELECT from a server that caps its answers: pages by ``LIMIT`` and ``OFFSET``.

Servers cut a long answer short without an error: Virtuoso as packaged answers at most
``ResultSetMaxRows`` rows (10,000 in Debian's ``virtuoso.ini``; the CONSTRUCT of a graph and its
Graph Store Protocol GET alike, seen on 7.2 with a header ``X-SPARQL-MaxRows`` as the only sign),
and it refuses ``ORDER BY`` with an ``OFFSET`` past ``MaxSortedTopRows`` (10,000: error SR353).
So a reader that knows how many rows there are (a ``COUNT`` first) asks for pages of the query as
it is, unsorted, each page starting where the rows received so far end: a page the server
shortened only means one more page, whatever its cap. Nothing in SPARQL promises the same order
from one request to the next without ``ORDER BY``; the servers scan their indexes alike for the
same query over the same data, and the caller checks what it received against the count (a
different order would show as rows missing and rows twice), so a surprise is an error, never
rows lost silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

__all__ = ["DEFAULT_PAGE", "paged"]

#: rows asked for in one request: Virtuoso's cap as packaged, so one request usually does
DEFAULT_PAGE = 10_000

Select = Callable[[str], Iterable[ox.QuerySolution]]


def paged(
    select: Select, text: str, total: int, page: int = DEFAULT_PAGE
) -> Iterator[ox.QuerySolution]:
    """The rows of the SELECT ``text`` (no solution modifiers of its own), ``total`` of them
    expected, read by ``select`` in requests of at most ``page`` rows.

    Stops once ``total`` rows came, or at a page with none (the caller then finds rows missing).
    """
    if page < 1:
        raise ValueError("a page holds at least one row")
    received = 0
    while received < total:
        rows = list(select(f"{text.rstrip()}\nLIMIT {page} OFFSET {received}\n"))
        if not rows:
            return
        received += len(rows)
        yield from rows
