"""A partnership's reports in the order of their periods, and the periods none was filed for.

The reports of one partnership follow each other by period; each consecutive pair is compared
(:func:`s3graph.changes.compare.changes_between`), across a gap too. A gap is a fact of its own:
the half-years lying wholly between two filed reports' periods, for which the partnership filed
nothing, and the half-years after its last report up to a given one (a partnership that stopped
reporting). The order is that of the periods, never that in which the reports arrived.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from s3graph.changes.compare import changes_between
from s3graph.changes.model import Change
from s3graph.changes.world import World
from s3graph.model import Report, ReportingPeriod


def half_year(year: int, half: int) -> tuple[date, date]:
    """First and last day of a calendar half-year."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def half_years_between(first_end: date, last_start: date) -> tuple[str, ...]:
    """Keys (``2021-H1``) of the half-years wholly after ``first_end`` and before ``last_start``."""
    found: list[str] = []
    year, half = first_end.year, 1
    while True:
        start, end = half_year(year, half)
        if start >= last_start:
            return tuple(found)
        if start > first_end and end < last_start:
            found.append(f"{year}-H{half}")
        year, half = (year, 2) if half == 1 else (year + 1, 1)


@dataclass(frozen=True, slots=True)
class Step:
    """Two consecutive filed reports and the half-years between them with no report."""

    before: Report
    after: Report
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The dated reports of one partnership by period, the steps between them, and the reports
    without a period (which cannot be placed)."""

    reports: tuple[Report, ...]
    steps: tuple[Step, ...]
    undated: tuple[Report, ...]

    @property
    def gaps(self) -> tuple[str, ...]:
        """Every half-year between the first and the last report with no report filed."""
        return tuple(key for step in self.steps for key in step.missing)

    def missing_since(self, latest: ReportingPeriod) -> tuple[str, ...]:
        """The half-years after the last report up to and including ``latest`` (the latest
        period anyone reported for): a partnership that stopped reporting has some."""
        if not self.reports:
            return ()
        last = _period(self.reports[-1])
        return half_years_between(last.end, latest.end + timedelta(days=1))


def _period(report: Report) -> ReportingPeriod:
    assert report.reporting_period is not None  # only dated reports are placed
    return report.reporting_period


def timeline(reports: Iterable[Report]) -> Timeline:
    """The reports of one partnership in period order; two reports of one period are refused
    (the store holds one report per partnership and period)."""
    given = list(reports)
    dated = sorted(
        (r for r in given if r.reporting_period is not None),
        key=lambda r: (_period(r).start, _period(r).end),
    )
    for a, b in pairwise(dated):
        if _period(a).key == _period(b).key:
            raise ValueError(f"two reports for {_period(a).key}: {a.source.name}, {b.source.name}")
    steps = tuple(
        Step(a, b, half_years_between(_period(a).end, _period(b).start)) for a, b in pairwise(dated)
    )
    undated = tuple(r for r in given if r.reporting_period is None)
    return Timeline(tuple(dated), steps, undated)


def changes_over_time(
    reports: Iterable[Report], world: World
) -> tuple[tuple[Step, tuple[Change, ...]], ...]:
    """Each step of the partnership's timeline with the changes it brought."""
    steps = timeline(reports).steps
    return tuple((step, changes_between(step.before, step.after, world)) for step in steps)
