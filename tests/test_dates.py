"""Reading exact event days from the date column of the event tables."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3graph.mapping.dates import read_event_date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("12-13.2.2020", date(2020, 2, 12), date(2020, 2, 13)),
        ("11.3.2020", date(2020, 3, 11), date(2020, 3, 11)),
        ("2020-10-15", date(2020, 10, 15), date(2020, 10, 15)),
        ("15 October 2020", date(2020, 10, 15), date(2020, 10, 15)),
        ("5-6.11.2020", date(2020, 11, 5), date(2020, 11, 6)),
        ("16-17.12.2020", date(2020, 12, 16), date(2020, 12, 17)),
        ("4-5.2.2020", date(2020, 2, 4), date(2020, 2, 5)),
        ("15 December 2020", date(2020, 12, 15), date(2020, 12, 15)),
        ("20 april 2021", date(2021, 4, 20), date(2021, 4, 20)),
        ("15-16 Oct 2020", date(2020, 10, 15), date(2020, 10, 16)),
        ("  28.5.2020 ", date(2020, 5, 28), date(2020, 5, 28)),
        ("12\u201313.2.2020", date(2020, 2, 12), date(2020, 2, 13)),
        ("12 - 13.2.2020", date(2020, 2, 12), date(2020, 2, 13)),
        ("29.2.2020", date(2020, 2, 29), date(2020, 2, 29)),
    ],
)
def test_exact_days_are_read(text: str, start: date, end: date) -> None:
    assert read_event_date(text) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "September",
        "Q4 2020",
        "October/November",
        "January 2021",
        "February/March",
        "June",
        "2020",
        "31.2.2020",  # no such day
        "29.2.2021",  # not a leap year
        "13-12.2.2020",  # range ends before it starts
        "15 Octember 2020",
        "2020-13-01",
        "1.12.20",  # two-digit year: ambiguous, not in the corpus
        "11.3.2020 or 12.3.2020",
        "tbc",
    ],
)
def test_vague_or_impossible_dates_give_none(text: str) -> None:
    assert read_event_date(text) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_every_day_round_trips_in_each_written_form(day: date) -> None:
    forms = (
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
        f"{day.day} {_english_month(day.month)} {day.year}",
    )
    for form in forms:
        assert read_event_date(form) == (day, day), form


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)), st.integers(0, 3))
def test_day_ranges_within_a_month(first: date, length: int) -> None:
    last_day = min(first.day + length, 28 if first.month == 2 else 30)
    if last_day < first.day:
        return
    text = f"{first.day}-{last_day}.{first.month}.{first.year}"
    assert read_event_date(text) == (first, first.replace(day=last_day))


@given(st.text(max_size=30))
def test_any_text_gives_none_or_an_ordered_pair(text: str) -> None:
    result = read_event_date(text)
    assert result is None or result[0] <= result[1]


def _english_month(month: int) -> str:
    names = "January February March April May June July August September October November December"
    return names.split()[month - 1]
