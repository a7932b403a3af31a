"""Every change between two reports of one partnership, in one pure function.

:func:`changes_between` puts together the regions (:mod:`s3graph.changes.regions`), the SDG
ratings (:mod:`s3graph.changes.ratings`), the working areas (:mod:`s3graph.changes.areas`), the
events (:mod:`s3graph.changes.events`) and the collaborations with other partnerships, which
began when the later report mentions a partnership the earlier one does not, and ended the other
way round. What a report says about the world (resolved codes, recodings, partnerships
mentioned) comes from the :class:`~s3graph.changes.world.World` given.
"""

from __future__ import annotations

from s3graph.changes.areas import area_changes
from s3graph.changes.events import event_changes
from s3graph.changes.model import Change, ChangeKind, ReportRef
from s3graph.changes.ratings import rating_changes
from s3graph.changes.regions import region_changes
from s3graph.changes.world import World
from s3graph.model import Report


def report_ref(report: Report) -> ReportRef:
    """The reference a change keeps to a report: its period key and its file's name."""
    period = report.reporting_period.key if report.reporting_period else ""
    return ReportRef(period, report.source.name)


def changes_between(before: Report, after: Report, world: World) -> tuple[Change, ...]:
    """The changes from ``before`` to ``after`` (the next report of the same partnership):
    regions, SDG ratings, working areas, events planned, then collaborations."""
    refs = (report_ref(before), report_ref(after))
    return (
        *region_changes(before, after, world, refs),
        *rating_changes(before, after, refs),
        *area_changes(before, after, refs),
        *event_changes(before, after, refs),
        *collaboration_changes(before, after, world, refs),
    )


def collaboration_changes(
    before: Report, after: Report, world: World, refs: tuple[ReportRef, ReportRef]
) -> list[Change]:
    """Partnerships mentioned in one report only, by name (ended first, then began)."""
    old, new = world.collaborations(before), world.collaborations(after)
    ended = [
        Change(ChangeKind.COLLABORATION_ENDED, name, *refs, before=(name,), lines_before=lines)
        for name, lines in sorted(old.items())
        if name not in new
    ]
    began = [
        Change(ChangeKind.COLLABORATION_BEGAN, name, *refs, after=(name,), lines_after=lines)
        for name, lines in sorted(new.items())
        if name not in old
    ]
    return [*ended, *began]
