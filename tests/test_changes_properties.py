"""The changes account for everything: for any two reports of one partnership, applying the
changes between them to the first report's regions (with roles) and SDG ratings gives the
second's (``s3graph.changes.state``), nothing lost, nothing invented.

Two worlds judge the reports' regions. A small world of its own, with a region recoded between
two NUTS versions (``EL23`` in 2016, ``EL63`` in 2021), one split (``SP11``, no single successor),
names resolved to codes and names resolved to nothing, runs many examples quickly; the project's
own linking over the packaged NUTS snapshot runs fewer, on reports built from the corpus' regions
and from regions recoded between NUTS 2013 and 2016 (Lubelskie ``PL31`` -> ``PL81``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3graph.changes import ChangeKind, LinkedWorld, apply, changes_between, state_of
from s3graph.changes.world import Member, World
from s3graph.folding import fold_key
from s3graph.linking.links import Linker
from s3graph.model import (
    SDG_RATINGS,
    LeadingRegion,
    RegionMention,
    Report,
    ReportingPeriod,
    SdgAnswer,
    SourceFile,
)
from s3graph.vocab.nuts_snapshot import snapshot_index

# --------------------------------------------------------------------------------------------------
# A small world: two NUTS versions, one recoding, one split


#: The code a stated code resolves to in each version (absent: itself; None: unresolved).
RESOLVED: dict[int, dict[str, str | None]] = {
    2016: {"EL63": "EL23"},
    2021: {"EL23": "EL63", "SP11": None},
}
#: Names the small world resolves without a code, by version.
NAMED: dict[str, dict[int, str]] = {
    "alpha": {2016: "AA11", 2021: "AA11"},
    "dytiki ellada": {2016: "EL23", 2021: "EL63"},
}
CARRIED = {"EL23": "EL63", "SP11": None}


@dataclass(frozen=True)
class SmallWorld:
    def version(self, report: Report) -> int | None:
        period = report.reporting_period
        return 2021 if period is not None and period.year >= 2021 else 2016

    def _resolve(self, code: str | None, name: str, version: int) -> str | None:
        if code:
            return RESOLVED[version].get(code, code)
        return NAMED.get(fold_key(name), {}).get(version)

    def regions(self, report: Report) -> Mapping[Member, str]:
        version = self.version(report) or 2016
        found: dict[Member, str] = {}
        for n, m in enumerate(report.participating_regions, start=1):
            if code := self._resolve(m.code, m.name, version):
                found["participating", n] = code
        for n, lead in enumerate(report.leading_regions, start=1):
            if code := self._resolve(None, lead.name, version):
                found["leading", n] = code
        return found

    def carry(self, code: str, version: int, later: int) -> str | None:
        if later == version:
            return code
        return CARRIED.get(code, code) if (version, later) == (2016, 2021) else None

    def collaborations(self, report: Report) -> Mapping[str, tuple[int, ...]]:
        return {}


POOL: tuple[tuple[str, str | None], ...] = (
    ("Alpha", "AA11"),
    ("Alpha", None),
    ("Beta", "BB22"),
    ("Gamma", "CC33"),
    ("Dytiki Ellada", "EL23"),
    ("Dytiki Ellada", "EL63"),
    ("Dytiki Ellada", None),
    ("Split Land", "SP11"),
    ("Delta", None),
    ("Epsilon", None),
)
LEADERS = ("Alpha", "Beta", "Dytiki Ellada", "Delta", "Omega")


def period(year: int, half: int) -> ReportingPeriod:
    start, end = (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )
    return ReportingPeriod(f"{year}-H{half}", year, half, start, end, 26)


def build(
    when: ReportingPeriod,
    regions: list[tuple[str, str | None]],
    leaders: list[str],
    sdg: list[tuple[int, tuple[str, ...]]],
) -> Report:
    """A report of one partnership holding just what the state reads."""
    mentions = tuple(
        RegionMention(f"{name} {code or ''}".strip(), name, None, code, code, 60 + i)
        for i, (name, code) in enumerate(regions)
    )
    return Report(
        source=SourceFile(f"{when.key}.txt", "0" * 64, 0),
        partnership="Advanced materials for batteries",
        partnership_line=30,
        reporting_period=when,
        start_date_text=None,
        webpage=None,
        leading_regions=tuple(LeadingRegion(name, 57) for name in leaders),
        participating_regions=mentions,
        working_areas=(),
        past_events=(),
        planned_events=(),
        sdg=tuple(SdgAnswer(goal, f"Goal {goal}", checked, 180 + goal) for goal, checked in sdg),
        answers=(),
    )


ratings = st.lists(
    st.tuples(
        st.integers(1, 17),
        st.lists(st.sampled_from(SDG_RATINGS), max_size=2, unique=True).map(
            lambda checked: tuple(sorted(checked, key=SDG_RATINGS.index))
        ),
    ),
    max_size=17,
    unique_by=lambda row: row[0],
)


def reports(pool: tuple[tuple[str, str | None], ...], leaders: tuple[str, ...], years: list[int]):
    return st.builds(
        build,
        st.builds(period, st.sampled_from(years), st.sampled_from([1, 2])),
        st.lists(st.sampled_from(pool), max_size=8),
        st.lists(st.sampled_from(leaders), max_size=3),
        ratings,
    )


@settings(max_examples=400, deadline=None)
@given(
    reports(POOL, LEADERS, [2019, 2020, 2021, 2022]),
    reports(POOL, LEADERS, [2019, 2020, 2021, 2022]),
)
def test_the_changes_lead_from_one_state_to_the_next(first: Report, second: Report) -> None:
    changes_account_for_all(first, second, SmallWorld())


def changes_account_for_all(first: Report, second: Report, world: World) -> None:
    """The property itself: the first state moved by the changes is the second state."""
    found = changes_between(first, second, world)
    assert apply(state_of(first, world), found) == state_of(second, world), found


@settings(max_examples=200, deadline=None)
@given(reports(POOL, LEADERS, [2020]), reports(POOL, LEADERS, [2021]))
def test_a_recoding_is_never_a_leave_and_a_join(first: Report, second: Report) -> None:
    """EL23 (2016) and EL63 (2021) are one region: it never leaves and joins in one step."""
    world = SmallWorld()
    found = changes_between(first, second, world)
    left = {c.region_code for c in found if c.kind is ChangeKind.LEFT}
    joined = {c.region_code for c in found if c.kind is ChangeKind.JOINED}
    assert not ("EL23" in left and "EL63" in joined), found
    recoded = [c for c in found if c.kind is ChangeKind.RECODED]
    assert all((c.before, c.after) == (("EL23",), ("EL63",)) for c in recoded)


# --------------------------------------------------------------------------------------------------
# The project's linking over the packaged NUTS snapshot

REAL_POOL: tuple[tuple[str, str | None], ...] = (
    ("Andalusia", "ES61"),
    ("Castilla y León", "ES41"),
    ("Lombardy", "ITC4"),
    ("Emilia-Romagna", "ITC4"),
    ("Aragón", "ES25"),
    ("Aragón", "ES24"),
    ("Baden-Wüttemberg", "DE1"),
    ("Dytiki Ellada", "EL23"),
    ("Jihovýchod", "CZ06"),
    ("Lubelskie", "PL31"),
    ("Lubelskie", "PL81"),
    ("Lubelskie", None),
    ("Kontinentalna Hrvatska", "HR04"),
    ("Flanders", None),
)
REAL_LEADERS = ("Andalusia", "Lombardy", "Lubelskie", "Flanders", "Atlantis")


@cache
def linked_world() -> LinkedWorld:
    return LinkedWorld(Linker.load(snapshot_index()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reports(REAL_POOL, REAL_LEADERS, [2015, 2018, 2020, 2021]),
    reports(REAL_POOL, REAL_LEADERS, [2015, 2018, 2020, 2021]),
)
def test_the_same_holds_with_the_projects_linking(first: Report, second: Report) -> None:
    changes_account_for_all(first, second, linked_world())


def test_lubelskie_recoded_between_nuts_2013_and_2016() -> None:
    """The real recoding the property test draws on, checked once by itself."""
    first = build(period(2015, 1), [("Lubelskie", "PL31")], ["Lubelskie"], [])
    second = build(period(2018, 2), [("Lubelskie", "PL81")], [], [])
    found = changes_between(first, second, linked_world())
    assert [(c.kind, c.before, c.after) for c in found] == [
        (ChangeKind.RECODED, ("PL31",), ("PL81",)),
        (ChangeKind.ROLE_CHANGED, ("leading",), ("participating",)),
    ]
    assert found[0].region_name == "Lubelskie" and found[0].lines_before == (60, 57)
    assert found[0].region_code == "PL81"
