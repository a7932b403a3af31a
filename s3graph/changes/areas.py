"""Working areas added, dropped or changed between two reports.

A working area is the same in both reports when its name is (folded as a place name is:
:func:`s3graph.folding.fold_key`); a renamed area is one dropped and one added. A kept area
changed in a column (region in charge, involved regions, other actors) when the items of the cell
differ as a set: the order they are listed in, spacing and case are no change. Rows without an
area name are not areas and are left out.
"""

from __future__ import annotations

import re

from s3graph.changes.model import Change, ChangeKind, ReportRef
from s3graph.folding import fold_key
from s3graph.model import Report, WorkingArea

#: The columns compared, as the change's ``aspect`` names them.
ASPECTS: tuple[str, ...] = ("region in charge", "involved regions", "other actors")
_ITEMS = re.compile(r"[,;\n]|\band\b")


def _cells(area: WorkingArea) -> tuple[str | None, ...]:
    return (area.region_in_charge, area.involved_regions, area.other_actors)


def _items(cell: str | None) -> frozenset[str]:
    return frozenset(k for part in _ITEMS.split(cell or "") if (k := fold_key(part)))


def _areas(report: Report) -> dict[str, WorkingArea]:
    found: dict[str, WorkingArea] = {}
    for area in report.working_areas:
        if area.area and fold_key(area.area):
            found.setdefault(fold_key(area.area), area)
    return found


def area_changes(before: Report, after: Report, refs: tuple[ReportRef, ReportRef]) -> list[Change]:
    """Dropped and changed areas in the earlier report's order, then added ones in the later's."""
    old, new = _areas(before), _areas(after)
    changes = []
    for key, was in old.items():
        now = new.get(key)
        if now is None:
            changes.append(_area(ChangeKind.WORKING_AREA_DROPPED, was, refs, was, None))
            continue
        for aspect, cell_was, cell_now in zip(ASPECTS, _cells(was), _cells(now), strict=True):
            if _items(cell_was) != _items(cell_now):
                changes.append(_area(ChangeKind.WORKING_AREA_CHANGED, now, refs, was, now, aspect))
    for key, now in new.items():
        if key not in old:
            changes.append(_area(ChangeKind.WORKING_AREA_ADDED, now, refs, None, now))
    return changes


def _area(
    kind: ChangeKind,
    area: WorkingArea,
    refs: tuple[ReportRef, ReportRef],
    was: WorkingArea | None,
    now: WorkingArea | None,
    aspect: str | None = None,
) -> Change:
    """A working-area change; the values are the changed cell, or the area's name."""

    def value(row: WorkingArea | None) -> tuple[str, ...]:
        if row is None:
            return ()
        text = row.area if aspect is None else _cells(row)[ASPECTS.index(aspect)]
        return (text,) if text else ()

    return Change(
        kind,
        area.area or "",
        *refs,
        before=value(was),
        after=value(now),
        lines_before=(was.line,) if was else (),
        lines_after=(now.line,) if now else (),
        aspect=aspect,
    )
