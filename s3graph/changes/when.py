"""When a planned or held event takes place, as a span of days, however loosely it is written.

Planned events are dated loosely (``September``, ``October/November``, ``Q4 2020``, ``January
2021``); held ones usually exactly (``17.9.2020``, read by :mod:`s3graph.mapping.dates`). To
match a held event with the one planned, both are read as spans of days and must overlap. A
month or quarter written without its year is the first such one that does not end before the
last month of the report's period: a report for January - June 2020 planning ``September``
means September 2020, one for July - December 2020 planning ``June`` means June 2021.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from s3graph.mapping.dates import MONTH_NAMES, read_event_date

_MONTH = {name.lower(): n for n, full in enumerate(MONTH_NAMES, 1) for name in (full, full[:3])}
_MONTHS = re.compile(r"^([a-z]+)\.?(?:\s*[-/\u2013]\s*([a-z]+)\.?)?(?:\s+(\d{4}))?$")
_QUARTER = re.compile(r"^q([1-4])(?:\s+(\d{4}))?$")

Span = tuple[date, date]


def _year_of(month: int, year: int | None, after: date) -> int:
    """The year of a month written without one: the first not ending before ``after``'s month."""
    if year is not None:
        return year
    return after.year if month >= after.month else after.year + 1


def _months(first: int, last: int, year: int) -> Span:
    end_year = year if last >= first else year + 1
    return date(year, first, 1), date(end_year, last, monthrange(end_year, last)[1])


def read_span(text: str | None, period_end: date) -> Span | None:
    """The first and last day ``text`` can mean, or None when it cannot be read.

    ``period_end`` is the last day of the period of the report that wrote it (for the year of a
    month or quarter written without one).
    """
    if not text or not text.strip():
        return None
    exact = read_event_date(text)
    if exact is not None:
        return exact
    folded = " ".join(text.lower().split())
    if match := _QUARTER.match(folded):
        quarter, year_text = match.groups()
        first = 3 * int(quarter) - 2
        return _months(first, first + 2, _year_of(first + 2, _int(year_text), period_end))
    if match := _MONTHS.match(folded):
        first_name, last_name, year_text = match.groups()
        begins, ends = _MONTH.get(first_name), _MONTH.get(last_name or first_name)
        if begins is None or ends is None:
            return None
        return _months(begins, ends, _year_of(begins, _int(year_text), period_end))
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def overlap(a: Span | None, b: Span | None) -> bool:
    """Whether two spans share a day; an unreadable date (None) rules nothing out."""
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]
