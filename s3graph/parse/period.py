"""Read the reporting period ("January - June 2020") into dates."""

from __future__ import annotations

import calendar
import re
from datetime import date

from s3graph.model import ReportingPeriod

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

_MONTH = r"([A-Za-z]{3,9})\.?"
_YEAR = r"((?:19|20)\d\d)"
_DASH = r"\s*(?:-|\u2013|\u2014|to|until)\s*"
_RANGE = re.compile(rf"^{_MONTH}(?:\s+{_YEAR})?{_DASH}{_MONTH}\s*,?\s+{_YEAR}$", re.IGNORECASE)
_HALF = re.compile(
    rf"^(?:H([12])\s*[-/ ]?\s*{_YEAR}|{_YEAR}\s*[-/ ]?\s*H([12])|"
    rf"(first|second|1st|2nd)\s+half(?:\s+of)?\s+{_YEAR})$",
    re.IGNORECASE,
)

EXPECTED = 'a reporting period like "January - June 2020" or "July - December 2020"'


def _half_of(start: date, end: date) -> int | None:
    if (start.month, start.day, end.month, end.day) == (1, 1, 6, 30):
        return 1
    if (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return 2
    return None


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _from_half(label: str, year: int, half: int, line: int) -> ReportingPeriod:
    start = date(year, 1 if half == 1 else 7, 1)
    end = _last_day(year, 6 if half == 1 else 12)
    return ReportingPeriod(label, year, half, start, end, line)


def read_period(label: str, line: int) -> ReportingPeriod | None:
    """The period a label names, or ``None`` when it cannot be read as a span of months."""
    text = re.sub(r"\s+", " ", label.strip())
    half = _HALF.match(text)
    if half:
        h1, y1, y2, h2, word, y3 = half.groups()
        year = int(y1 or y2 or y3)
        which = int(h1 or h2) if (h1 or h2) else (1 if word.lower() in ("first", "1st") else 2)
        return _from_half(label, year, which, line)
    match = _RANGE.match(text)
    if not match:
        return None
    first, first_year, last, last_year = match.groups()
    m1, m2 = MONTHS.get(first.lower()), MONTHS.get(last.lower())
    if m1 is None or m2 is None:
        return None
    y2 = int(last_year)
    y1 = int(first_year) if first_year else y2
    start, end = date(y1, m1, 1), _last_day(y2, m2)
    if end <= start:
        return None
    return ReportingPeriod(label, y1, _half_of(start, end), start, end, line)
