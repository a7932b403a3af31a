"""Reading the exact day, or day range, of an event from its date as written in the form.

Pure functions. Only the forms seen in the reports are read; anything vaguer (``September``,
``Q4 2020``, ``October/November``, ``January 2021``) is not a day and gives ``None``.

Accepted, with ``-`` or an en dash between the days of a range:

- ``11.3.2020`` and ``12-13.2.2020`` (day.month.year, European order);
- ``2020-10-15`` (ISO 8601);
- ``15 October 2020`` and ``15-16 October 2020`` (English month names or their first three
  letters).
"""

from __future__ import annotations

import re
from datetime import date

#: English month names, January first (fixed: not the locale's).
MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS: dict[str, int] = {
    name: number
    for number, full in enumerate((m.lower() for m in MONTH_NAMES), start=1)
    for name in (full, full[:3])
}

_DASH = r"\s*[-\u2013]\s*"
_DOTTED = re.compile(rf"^(\d{{1,2}})(?:{_DASH}(\d{{1,2}}))?\.(\d{{1,2}})\.(\d{{4}})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NAMED = re.compile(rf"^(\d{{1,2}})(?:{_DASH}(\d{{1,2}}))?\s+([A-Za-z]+)\.?,?\s+(\d{{4}})$")


def read_event_date(text: str) -> tuple[date, date] | None:
    """First and last day of an event whose date is written as an exact day or day range.

    A single day gives the same date twice. Returns ``None`` for any other text, for impossible
    dates (``31.2.2020``) and for ranges that end before they start.
    """
    text = " ".join(text.split())
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _day_range(year, month, day, day)
    if match := _DOTTED.match(text):
        first, last, month_text, year_text = match.groups()
        return _day_range(int(year_text), int(month_text), int(first), int(last or first))
    if match := _NAMED.match(text):
        first, last, month_name, year_text = match.groups()
        number = _MONTHS.get(month_name.lower())
        if number is None:
            return None
        return _day_range(int(year_text), number, int(first), int(last or first))
    return None


def _day_range(year: int, month: int, first: int, last: int) -> tuple[date, date] | None:
    try:
        start, end = date(year, month, first), date(year, month, last)
    except ValueError:
        return None
    return (start, end) if start <= end else None
