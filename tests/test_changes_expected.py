"""Every change between the two Advanced Materials for Batteries reports, written by hand.

The expectation below was written from reading the two texts of the shared corpus
(``advanced-materials-for-batteries-2020-h1.txt`` and ``-2020-h2.txt``), line by line, before the
code that finds changes existed; the line numbers are those of each text file (1-based). The test
parses both files with the project's parser, links them with the packaged NUTS snapshot and the
registry, and demands exactly these changes: every one found, nothing invented.

What the texts say, and why each is (or is not) a change:

* Regions. 2020-H1 lists ten participating regions (lines 67-76) and three leading ones (line
  59); 2020-H2 keeps all ten (lines 65-78) and the same three leaders (line 57), and adds three:
  ``Emilia-Romagna (IT) ITC4`` (line 68: ITC4 is Lombardia, the name is ITH5), ``Dytiki Ellada
  (EL) EL23`` (line 79: the NUTS 2010 code, EL63 in NUTS 2016) and ``Jihovýchod (CZ) CZ06`` (line
  80). Both periods are of 2020, so one NUTS version (2016): no region is recoded. Not changes:
  ``Aragón (ES) ES25`` (H1 line 71, a code of no NUTS version, Aragón is ES24) against ``Aragón
  (ES) ES24`` (H2 line 70) is one region, ES24, its stated code corrected; ``Baden-Wüttemberg`` (a
  typo) against ``Baden-Württemberg`` is DE1 both times; ``ES-41``/``NUTS 2: ES41``,
  ``(ITC4)``/``ITC4`` and ``pt11``/``PT11`` are notations of one code.
* SDG ratings. Goal 12 goes from *Strongly agree* (H1 line 194) to *Strongly agree* and *Agree*
  both checked (H2 line 191): down the scale; goal 14 from *Not applicable* (H1 line 196) to
  nothing checked (H2 line 193): off the scale. The 15 other goals are rated the same.
* Working areas. Areas 1 to 4 keep their names and regions in charge; area 1 adds Jihovýchod to
  its involved regions (H1 85, H2 89), area 2 adds Emilia-Romagna (86, 90), area 3 adds Dytiki
  Ellada (87, 91) and its other actors lose "waste management associations" (87, 91); area 4 is
  unchanged (88, 92). Area 5, "Skills for the battery value chain", is new (H2 line 93).
* Events. The four events H1 planned (lines 113-116) all appear as held in H2 with a date in the
  planned span: the Steering Committee (September; 17.9.2020, line 103), the Workshop at the
  European Week of Regions and Cities (October; 2020-10-15, line 104), the Joint online
  match-making with the Mining Industry partnership (October/November; 18.11.2020, line 105) and
  the Scoping workshop on recycling pilots (Q4 2020; 10.12.2020, line 106, moved online). The
  kick-off of working area 5 (line 107) was never planned: no change. No planned event is missing.
* Collaborations. H1 mentions Mining Industry (lines 114, 144, 174) and Hydrogen Valleys (line
  144); H2 mentions Mining Industry (105, 144, 171) and the 3D-printing partnership (lines 119,
  144, 171). Hydrogen Valleys ended, High Performance Production through 3D-printing began.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from conftest import find_shared_part

from s3graph.changes import Change, ChangeKind, LinkedWorld, changes_between
from s3graph.linking.links import Linker
from s3graph.model import Report
from s3graph.parse import parse_file
from s3graph.vocab.nuts_snapshot import snapshot_index

CORPUS, MISSING = find_shared_part("corpus")
H1 = "advanced-materials-for-batteries-2020-h1.txt"
H2 = "advanced-materials-for-batteries-2020-h2.txt"

#: (kind, subject, region code, stated name, before, after, lines in H1, lines in H2, detail):
#: the detail is the goal's direction for an SDG change and the column for a working area's.
Row = tuple[str, str, str | None, str | None, tuple[str, ...], tuple[str, ...], tuple[int, ...],
            tuple[int, ...], str | None]  # fmt: skip
WA1 = "Raw and advanced materials for Li-ion and post-Li-ion cells"
WA2 = "Pilot lines and cell manufacturing"
WA3 = "Second life and recycling of batteries"
MINING_MATCH = "Joint online match-making with the Mining Industry partnership"
EWRC = "Workshop at the European Week of Regions and Cities"
# fmt: off
EXPECTED: tuple[Row, ...] = (
    # Regions that joined: resolved code, name as stated, role, line of H2.
    ("joined", "ITH5", "ITH5", "Emilia-Romagna", (), ("participating",), (), (68,), None),
    ("joined", "EL63", "EL63", "Dytiki Ellada", (), ("participating",), (), (79,), None),
    ("joined", "CZ06", "CZ06", "Jihovýchod", (), ("participating",), (), (80,), None),
    # SDG ratings, per goal.
    ("sdg-changed", "Goal 12", None, None, ("Strongly agree",), ("Strongly agree", "Agree"),
     (194,), (191,), "down"),
    ("sdg-changed", "Goal 14", None, None, ("Not applicable",), (), (196,), (193,), "off-scale"),
    # Working areas.
    ("working-area-changed", WA1, None, None, ("Andalusia, Norte, Västerbotten",),
     ("Andalusia, Norte, Västerbotten, Jihovýchod",), (85,), (89,), "involved regions"),
    ("working-area-changed", WA2, None, None, ("Lombardy, Baden-Württemberg, Flanders",),
     ("Lombardy, Emilia-Romagna, Baden-Württemberg, Flanders",), (86,), (90,),
     "involved regions"),
    ("working-area-changed", WA3, None, None, ("Castilla y León, Małopolska",),
     ("Castilla y León, Małopolska, Dytiki Ellada",), (87,), (91,), "involved regions"),
    ("working-area-changed", WA3, None, None, ("Recycling SMEs, waste management associations",),
     ("Recycling SMEs",), (87,), (91,), "other actors"),
    ("working-area-added", "Skills for the battery value chain", None, None, (),
     ("Skills for the battery value chain",), (), (93,), None),
    # Events planned in H1, held in H2: date planned, date held.
    ("event-held", "Steering Committee", None, None, ("September",), ("17.9.2020",), (113,),
     (103,), None),
    ("event-held", MINING_MATCH, None, None, ("October/November",), ("18.11.2020",), (114,),
     (105,), None),
    ("event-held", EWRC, None, None, ("October",), ("2020-10-15",), (115,), (104,), None),
    ("event-held", "Scoping workshop on recycling pilots", None, None, ("Q4 2020",),
     ("10.12.2020",), (116,), (106,), None),
    # Collaborations with other partnerships.
    ("collaboration-ended", "Hydrogen Valleys", None, None, ("Hydrogen Valleys",), (), (144,), (),
     None),
    ("collaboration-began", "High Performance Production through 3D-printing", None, None, (),
     ("High Performance Production through 3D-printing",), (), (119, 144, 171), None),
)
# fmt: on

#: How many of each kind the texts hold (the kinds absent from the list above are zero).
EXPECTED_COUNTS = {
    "joined": 3,
    "left": 0,
    "role-changed": 0,
    "recoded": 0,
    "sdg-changed": 2,
    "working-area-added": 1,
    "working-area-dropped": 0,
    "working-area-changed": 4,
    "event-held": 4,
    "event-not-held": 0,
    "collaboration-began": 1,
    "collaboration-ended": 1,
}

pytestmark = pytest.mark.skipif(CORPUS is None, reason=MISSING)


@cache
def _found() -> tuple[Change, ...]:
    assert CORPUS is not None
    before, after = (parse_file(Path(CORPUS) / name) for name in (H1, H2))
    return changes_between(before, after, LinkedWorld(Linker.load(snapshot_index())))


def _row(change: Change) -> Row:
    detail = change.direction.value if change.direction else change.aspect
    return (
        change.kind.value,
        change.subject,
        change.region_code,
        change.region_name,
        change.before,
        change.after,
        change.lines_before,
        change.lines_after,
        detail,
    )


def test_the_expectation_counts_every_kind() -> None:
    """The hand-written list and its counts agree, and every kind of change is counted."""
    assert set(EXPECTED_COUNTS) == {k.value for k in ChangeKind}
    counted = Counter(row[0] for row in EXPECTED)
    assert {k: counted.get(k, 0) for k in EXPECTED_COUNTS} == EXPECTED_COUNTS


def test_every_change_is_found_and_nothing_invented() -> None:
    found = [_row(c) for c in _found()]
    missing = [row for row in EXPECTED if row not in found]
    invented = [row for row in found if row not in EXPECTED]
    assert not missing and not invented, f"missing: {missing}\ninvented: {invented}"
    assert len(found) == len(EXPECTED)


def test_each_change_names_the_two_reports() -> None:
    for change in _found():
        assert (change.before_report.period, change.after_report.period) == ("2020-H1", "2020-H2")
        assert change.before_report.source.endswith(H1)
        assert change.after_report.source.endswith(H2)


def test_each_source_line_reads_what_the_change_says() -> None:
    """The lines point at the text: a region's stated name, a goal, an area, an event, a
    partnership's words are on the lines given (checked against the files, not the parse)."""
    assert CORPUS is not None
    texts = [
        (Path(CORPUS) / name).read_text(encoding="utf-8-sig").splitlines() for name in (H1, H2)
    ]
    for change in _found():
        words = _evidence(change)
        for text, lines in zip(texts, (change.lines_before, change.lines_after), strict=True):
            for line in lines:
                assert any(w.lower() in text[line - 1].lower() for w in words), (change, line)


def _evidence(change: Change) -> tuple[str, ...]:
    if change.kind is ChangeKind.SDG_CHANGED:
        return (f"Goal {change.goal}.",)
    if change.kind in (ChangeKind.COLLABORATION_BEGAN, ChangeKind.COLLABORATION_ENDED):
        return (change.subject, "3D printing", "Mining")
    return (change.region_name or change.subject,)


def test_the_reports_parse_as_the_expectation_reads_them() -> None:
    """Guards the premises of the list: both reports of one partnership, consecutive periods."""
    assert CORPUS is not None
    before, after = (parse_file(Path(CORPUS) / name) for name in (H1, H2))
    assert isinstance(before, Report) and isinstance(after, Report)
    assert before.partnership == after.partnership == "Advanced materials for batteries"
    assert before.reporting_period and after.reporting_period
    assert (before.reporting_period.key, after.reporting_period.key) == ("2020-H1", "2020-H2")
