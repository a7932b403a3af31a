"""SDG ratings that changed between two reports, goal by goal, with their direction.

A rating is the tuple of the boxes checked in a goal's row (empty when none is). A goal whose
row is missing counts as nothing checked, so a report that drops the row changes the rating to
nothing. The direction is read on the form's scale (``SDG_RATINGS`` without *Not applicable*).
"""

from __future__ import annotations

from collections.abc import Mapping

from s3graph.changes.model import Change, ChangeKind, Direction, ReportRef
from s3graph.model import SDG_RATINGS, Report

#: The agreement scale, most agreeing first (Not applicable is no point on it).
SCALE: tuple[str, ...] = SDG_RATINGS[:5]


def ratings(report: Report) -> dict[int, tuple[str, ...]]:
    """Goal -> the ratings checked, for the goals with at least one box checked."""
    return {answer.goal: answer.checked for answer in report.sdg if answer.checked}


def direction(before: tuple[str, ...], after: tuple[str, ...]) -> Direction:
    """``up`` when every rating after agrees at least as much as every rating before (and they
    differ), ``down`` the other way, ``mixed`` otherwise; ``off-scale`` when either side has
    nothing on the scale or holds *Not applicable*."""
    if not before or not after or any(r not in SCALE for r in (*before, *after)):
        return Direction.OFF_SCALE
    was = [SCALE.index(r) for r in before]
    now = [SCALE.index(r) for r in after]
    if max(now) <= min(was):
        return Direction.UP
    if min(now) >= max(was):
        return Direction.DOWN
    return Direction.MIXED


def rating_changes(
    before: Report, after: Report, refs: tuple[ReportRef, ReportRef]
) -> list[Change]:
    """One ``sdg-changed`` per goal whose checked boxes differ, in goal order."""
    lines_before = {a.goal: a.line for a in before.sdg}
    lines_after = {a.goal: a.line for a in after.sdg}
    old, new = ratings(before), ratings(after)
    changes = []
    for goal in sorted(set(lines_before) | set(lines_after)):
        was, now = old.get(goal, ()), new.get(goal, ())
        if was == now:
            continue
        changes.append(
            Change(
                ChangeKind.SDG_CHANGED,
                f"Goal {goal}",
                *refs,
                before=was,
                after=now,
                lines_before=_line(lines_before, goal),
                lines_after=_line(lines_after, goal),
                goal=goal,
                direction=direction(was, now),
            )
        )
    return changes


def _line(lines: Mapping[int, int], goal: int) -> tuple[int, ...]:
    return (lines[goal],) if goal in lines else ()


def apply_ratings(
    state: Mapping[int, tuple[str, ...]], changes: list[Change]
) -> dict[int, tuple[str, ...]]:
    """The ratings the changes make of ``state`` (goals with nothing checked left out)."""
    out = dict(state)
    for change in changes:
        if change.kind is ChangeKind.SDG_CHANGED and change.goal is not None:
            if change.after:
                out[change.goal] = change.after
            else:
                out.pop(change.goal, None)
    return out
