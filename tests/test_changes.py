"""The parts of ``s3graph.changes`` one at a time: loose dates, the direction of a rating, events
planned and not held, working areas, and a partnership's reports by period with their gaps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from rdflib import Graph, URIRef
from test_changes_properties import SmallWorld, build, period

from s3graph.changes import ChangeKind, Direction, changes_between, changes_over_time, timeline
from s3graph.changes.ratings import direction
from s3graph.changes.when import overlap, read_span
from s3graph.model import Event, EventKind, WorkingArea
from s3graph.namespaces import S3G, SKOS

JUNE_2020 = date(2020, 6, 30)
DECEMBER_2020 = date(2020, 12, 31)


@pytest.mark.parametrize(
    ("text", "end", "span"),
    [
        ("17.9.2020", JUNE_2020, (date(2020, 9, 17), date(2020, 9, 17))),
        ("September", JUNE_2020, (date(2020, 9, 1), date(2020, 9, 30))),
        ("October/November", JUNE_2020, (date(2020, 10, 1), date(2020, 11, 30))),
        ("Q4 2020", JUNE_2020, (date(2020, 10, 1), date(2020, 12, 31))),
        ("Q1", DECEMBER_2020, (date(2021, 1, 1), date(2021, 3, 31))),
        ("June", DECEMBER_2020, (date(2021, 6, 1), date(2021, 6, 30))),
        ("February/March", DECEMBER_2020, (date(2021, 2, 1), date(2021, 3, 31))),
        ("January 2021", DECEMBER_2020, (date(2021, 1, 1), date(2021, 1, 31))),
        ("November-January", JUNE_2020, (date(2020, 11, 1), date(2021, 1, 31))),
        ("next spring", JUNE_2020, None),
        ("", JUNE_2020, None),
        (None, JUNE_2020, None),
    ],
)
def test_a_date_as_written_is_a_span_of_days(
    text: str | None, end: date, span: tuple[date, date] | None
) -> None:
    assert read_span(text, end) == span


def test_an_unreadable_date_rules_nothing_out() -> None:
    september = read_span("September", JUNE_2020)
    assert overlap(september, read_span("17.9.2020", JUNE_2020))
    assert not overlap(september, read_span("1.10.2020", JUNE_2020))
    assert overlap(september, None) and overlap(None, None)


@pytest.mark.parametrize(
    ("before", "after", "way"),
    [
        (("Agree",), ("Strongly agree",), Direction.UP),
        (("Agree",), ("Neutral",), Direction.DOWN),
        (("Strongly agree",), ("Strongly agree", "Agree"), Direction.DOWN),
        (("Agree",), ("Strongly agree", "Neutral"), Direction.MIXED),
        (("Not applicable",), (), Direction.OFF_SCALE),
        ((), ("Agree",), Direction.OFF_SCALE),
        (("Agree",), ("Not applicable",), Direction.OFF_SCALE),
    ],
)
def test_the_direction_of_a_rating(
    before: tuple[str, ...], after: tuple[str, ...], way: Direction
) -> None:
    assert direction(before, after) == way


def _event(kind: EventKind, n: int, name: str, when: str | None) -> Event:
    return Event(kind, n, name, when, "Online", None, 100 + n)


def test_a_planned_event_is_held_only_by_its_name_and_in_its_span() -> None:
    first = replace(
        build(period(2020, 1), [], [], []),
        planned_events=(
            _event(EventKind.PLANNED, 1, "Steering Committee", "September"),
            _event(EventKind.PLANNED, 2, "Steering  committee", "December"),
            _event(EventKind.PLANNED, 3, "Summer school", "Q3 2020"),
            _event(EventKind.PLANNED, 4, "Site visit", None),
        ),
    )
    second = replace(
        build(period(2020, 2), [], [], []),
        past_events=(
            _event(EventKind.PAST, 1, "Steering Committee", "17.9.2020"),
            _event(EventKind.PAST, 2, "Summer School", "15.10.2020"),  # after Q3: not this one
            _event(EventKind.PAST, 3, "Site Visit", "3.11.2020"),
        ),
    )
    found = [
        (c.kind, c.subject, c.before, c.after, c.lines_before, c.lines_after)
        for c in changes_between(first, second, SmallWorld())
    ]
    assert found == [
        (
            ChangeKind.EVENT_HELD,
            "Steering Committee",
            ("September",),
            ("17.9.2020",),
            (101,),
            (101,),
        ),
        (ChangeKind.EVENT_NOT_HELD, "Steering  committee", ("December",), (), (102,), ()),
        (ChangeKind.EVENT_NOT_HELD, "Summer school", ("Q3 2020",), (), (103,), ()),
        (ChangeKind.EVENT_HELD, "Site visit", (), ("3.11.2020",), (104,), (103,)),
    ]


def _area(n: int, name: str | None, lead: str | None, involved: str | None) -> WorkingArea:
    return WorkingArea(n, name, lead, involved, None, 80 + n)


def test_working_areas_compared_by_name_and_by_the_items_of_each_cell() -> None:
    first = replace(
        build(period(2020, 1), [], [], []),
        working_areas=(
            _area(1, "Recycling", "Andalusia", "Norte, Västerbotten"),
            _area(2, "Skills", "Norte", None),
            _area(3, None, "Lombardy", None),  # no name: not an area
        ),
    )
    second = replace(
        build(period(2020, 2), [], [], []),
        working_areas=(
            _area(1, "recycling", "Andalusia", "Västerbotten and Norte"),  # same items
            _area(2, "Pilot lines", "Lombardy", None),
            _area(3, "Skills", "Västerbotten", None),
        ),
    )
    found = [
        (c.kind, c.subject, c.aspect, c.before, c.after)
        for c in changes_between(first, second, SmallWorld())
    ]
    assert found == [
        (
            ChangeKind.WORKING_AREA_CHANGED,
            "Skills",
            "region in charge",
            ("Norte",),
            ("Västerbotten",),
        ),
        (ChangeKind.WORKING_AREA_ADDED, "Pilot lines", None, (), ("Pilot lines",)),
    ]


def test_reports_by_period_whatever_order_they_arrive_in_and_the_gaps_between() -> None:
    reports = [build(period(y, h), [], [], []) for y, h in ((2021, 2), (2020, 1), (2022, 1))]
    undated = replace(build(period(2019, 1), [], [], []), reporting_period=None)
    for order in (reports, reports[::-1], [reports[1], undated, reports[2], reports[0]]):
        line = timeline(order)
        assert [r.reporting_period.key for r in line.reports if r.reporting_period] == [
            "2020-H1",
            "2021-H2",
            "2022-H1",
        ]
        assert [s.missing for s in line.steps] == [("2020-H2", "2021-H1"), ()]
        assert line.gaps == ("2020-H2", "2021-H1")
    assert timeline([reports[1], undated]).undated == (undated,)
    assert timeline(reports).missing_since(period(2023, 2)) == ("2022-H2", "2023-H1", "2023-H2")
    assert timeline(reports).missing_since(period(2022, 1)) == ()
    assert timeline([]).missing_since(period(2022, 1)) == ()


def test_two_reports_for_one_period_are_refused() -> None:
    one, other = build(period(2020, 1), [], [], []), build(period(2020, 1), [], [], [])
    with pytest.raises(ValueError, match="two reports for 2020-H1"):
        timeline([one, replace(other, source=replace(other.source, name="other.txt"))])


def test_changes_over_time_compare_each_consecutive_pair() -> None:
    a = build(period(2020, 1), [("Beta", "BB22")], [], [])
    b = build(period(2021, 1), [("Beta", "BB22"), ("Gamma", "CC33")], [], [])
    c = build(period(2021, 2), [("Gamma", "CC33")], ["Gamma"], [])
    steps = changes_over_time([c, a, b], SmallWorld())
    assert [(s.missing, [(x.kind, x.subject) for x in found]) for s, found in steps] == [
        (("2020-H2",), [(ChangeKind.JOINED, "CC33")]),
        ((), [(ChangeKind.LEFT, "BB22"), (ChangeKind.ROLE_CHANGED, "CC33")]),
    ]


def test_every_kind_of_change_is_a_concept_of_the_ontology(ontology_graph: Graph) -> None:
    """The kinds' words are the notations of ``s3g:ChangeKindScheme``, one concept each."""
    scheme = URIRef(f"{S3G}ChangeKindScheme")
    notations = {
        str(ontology_graph.value(concept, SKOS.notation))
        for concept in ontology_graph.subjects(SKOS.inScheme, scheme)
    }
    assert notations == {kind.value for kind in ChangeKind}
    assert len(set(ontology_graph.objects(scheme, SKOS.hasTopConcept))) == len(ChangeKind)
