"""The data of the index pages: every partnership, region or report, sorted and paged.

Rows come from each index's named query (``page-index-*``), so a page and
``/api/queries/NAME`` agree; the order a reader picks and the cutting into pages are done here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from s3graph.api.views import Row, rows, stale, synthetic
from s3graph.sparql import Queryable


@dataclass(frozen=True)
class Index:
    """An index page: the named query behind it, and the orders a reader may pick.

    ``sorts`` maps a ``?sort=`` value to the columns compared and whether the largest come first
    (counts are read most first, names and dates from the start).
    """

    query: str
    sorts: Mapping[str, tuple[tuple[str, ...], bool]]


INDEXES = {
    "partnership": Index(
        "page-index-partnerships",
        {
            "name": (("label", "partnership"), False),
            "reports": (("reports", "label"), True),
            "regions": (("regions", "label"), True),
            "first": (("first", "label"), False),
            "last": (("last", "label"), True),
        },
    ),
    "region": Index(
        "page-index-regions",
        {
            "name": (("title", "code", "region"), False),
            "code": (("code", "title", "region"), False),
            "partnerships": (("partnerships", "name"), True),
            "reports": (("reports", "name"), True),
        },
    ),
    "report": Index(
        "page-index-reports",
        {
            "partnership": (("partnershipLabel", "start", "report"), False),
            "period": (("start", "partnershipLabel", "report"), False),
            "regions": (("regions", "partnershipLabel"), True),
            "events": (("events", "partnershipLabel"), True),
        },
    ),
}
PER_PAGE = 100


def _sort_key(row: Row, columns: tuple[str, ...]) -> tuple[Any, ...]:
    """A key putting missing values last, and names in reading order whatever their case."""
    key: list[Any] = []
    for column in columns:
        cell = row.get(column)
        if isinstance(cell, str):
            cell = cell.casefold()
        key.append((cell is None, cell if cell is not None else ""))
    return tuple(key)


def _ordered(found: list[Row], columns: tuple[str, ...], descending: bool) -> list[Row]:
    if not descending:
        return sorted(found, key=lambda r: _sort_key(r, columns))
    first, *rest = columns  # largest first on the leading column, ties in reading order
    ties = sorted(found, key=lambda r: _sort_key(r, tuple(rest)))
    present = [r for r in ties if r.get(first) is not None]
    return sorted(present, key=lambda r: r[first], reverse=True) + [
        r for r in ties if r.get(first) is None
    ]


def index(
    store: Queryable,
    kind: str,
    *,
    base: str,
    sort: str | None = None,
    page: int = 1,
    digest: str | None = None,
) -> dict[str, Any]:
    """One page of the index of ``kind`` (``partnership``, ``region`` or ``report``).

    Rows come from the index's named query, so the page and ``/api/queries/NAME`` agree; they
    are sorted and cut into pages of :data:`PER_PAGE` here. An unknown ``sort`` falls back to the
    first order offered, a page outside the range to the nearest one.
    """
    spec = INDEXES[kind]
    chosen = sort if sort is not None and sort in spec.sorts else next(iter(spec.sorts))
    found = _ordered(rows(store, spec.query, {}, base=base), *spec.sorts[chosen])
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    reports = [r["report"] for r in shown] if kind == "report" else None
    return {
        "kind": kind,
        "query": spec.query,
        "rows": shown,
        "total": len(found),
        "first": (page - 1) * PER_PAGE + 1,
        "page": page,
        "pages": pages,
        "sort": chosen,
        "sorts": list(spec.sorts),
        **synthetic(store, base=base, shown=reports),
        **stale(store, base=base, digest=digest, shown=reports),
    }
