"""A report's regions as memberships keyed by resolved NUTS code, and how they changed.

A region is the same in two reports when its resolved codes are the same, or when the code of the
earlier report's NUTS version continues as the code of the later one's (a recoding, such as
``EL23`` of NUTS 2010 and ``EL63`` of NUTS 2013): never by the name or the code as stated, which
only stay as evidence. So ``Aragón ES25`` (a code of no NUTS version, resolved by its name to
``ES24``) and ``Aragón ES24`` are one region, and a recoding is not a leave plus a join.

A region no code resolves is known by its folded name (:func:`region_key`). A region both leading
and participating has the role ``leading``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from s3graph.changes.model import Change, ChangeKind, ReportRef
from s3graph.changes.world import Member, World
from s3graph.folding import fold_key
from s3graph.model import Report

LEADING = "leading"
PARTICIPATING = "participating"


def region_key(code: str | None, name: str) -> str:
    """A region's key in a report's state: its code, else ``name:`` and its folded name."""
    return code if code else f"name:{fold_key(name)}"


@dataclass(frozen=True, slots=True)
class Membership:
    """One region of a report: its key and code, role, first stated name and source lines."""

    key: str
    code: str | None
    role: str
    name: str
    lines: tuple[int, ...]


def _mentions(report: Report) -> Iterator[tuple[Member, str, str | None, int]]:
    """(member, stated name, stated code, line) of each region mention, participating first."""
    for n, mention in enumerate(report.participating_regions, start=1):
        yield (PARTICIPATING, n), mention.name, mention.code, mention.line
    for n, leading in enumerate(report.leading_regions, start=1):
        yield (LEADING, n), leading.name, None, leading.line


def memberships(report: Report, world: World) -> dict[str, Membership]:
    """The report's regions by key, in the order first stated.

    A mention the world resolves takes its resolved code; one it does not takes its stated
    code, or, for a leading region stated by name, the region of a participating mention of the
    same folded name, or else its own name.
    """
    resolved = world.regions(report)
    by_name: dict[str, str] = {}
    found: dict[str, Membership] = {}
    for member, name, stated, line in _mentions(report):
        code = resolved.get(member) or stated
        folded = fold_key(name)
        key = region_key(code, name) if code else by_name.get(folded, region_key(None, name))
        by_name.setdefault(folded, key)
        role = member[0]
        held = found.get(key)
        if held is None:
            found[key] = Membership(key, code, role, name, (line,))
            continue
        lines = held.lines if line in held.lines else (*held.lines, line)
        top = LEADING if LEADING in (role, held.role) else PARTICIPATING
        found[key] = Membership(key, held.code, top, held.name, lines)
    return found


def carried_key(key: str, earlier: int | None, later: int | None, world: World) -> str:
    """The key a region of the earlier report has in the later one's NUTS version."""
    if key.startswith("name:") or earlier is None or later is None or earlier == later:
        return key
    return world.carry(key, earlier, later) or key


def region_changes(
    before: Report, after: Report, world: World, refs: tuple[ReportRef, ReportRef]
) -> list[Change]:
    """Regions that left, were recoded or changed role, in the earlier report's order, then
    those that joined, in the later report's order."""
    old, new = memberships(before, world), memberships(after, world)
    earlier, later = world.version(before), world.version(after)
    targets = {key: carried_key(key, earlier, later, world) for key in old}
    # A region found under its own code is matched first, so a recoded one never takes its place.
    matched = {key for key, target in targets.items() if key == target and key in new}
    changes: list[Change] = []
    for key, was in old.items():
        target = targets[key]
        now = new.get(target)
        if now is None or (target != key and target in matched):
            changes.append(_change(ChangeKind.LEFT, was, refs, before=(was.role,), old=was))
            continue
        matched.add(target)
        if target != key:
            changes.append(_change(ChangeKind.RECODED, now, refs, (key,), (target,), was))
        if now.role != was.role:
            roles = (was.role,), (now.role,)
            changes.append(_change(ChangeKind.ROLE_CHANGED, now, refs, *roles, was))
    for key, now in new.items():
        if key not in matched:
            changes.append(_change(ChangeKind.JOINED, now, refs, after=(now.role,)))
    return changes


def _change(
    kind: ChangeKind,
    region: Membership,
    refs: tuple[ReportRef, ReportRef],
    before: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
    old: Membership | None = None,
) -> Change:
    """A region change: ``region`` is the membership named (the later one unless it left)."""
    present = kind is not ChangeKind.LEFT
    return Change(
        kind,
        region.code or region.name,
        *refs,
        before=before,
        after=after,
        lines_before=old.lines if old is not None else (),
        lines_after=region.lines if present else (),
        region_code=region.code,
        region_name=region.name,
    )


def apply_regions(state: Mapping[str, str], changes: list[Change]) -> dict[str, str]:
    """The regions (key -> role) the changes make of ``state``: the inverse view of
    :func:`region_changes`, used to check that nothing is lost or invented. Regions leave and
    lose their old codes first, then take their new codes and roles, so the order of the
    changes does not matter."""
    out = dict(state)
    moved: dict[str, str] = {}
    for change in changes:
        if change.kind is ChangeKind.LEFT:
            out.pop(region_key(change.region_code, change.region_name or change.subject), None)
        elif change.kind is ChangeKind.RECODED:
            role = out.pop(change.before[0], None)
            if role is not None:
                moved[change.after[0]] = role
    out.update(moved)
    for change in changes:
        if change.kind in (ChangeKind.JOINED, ChangeKind.ROLE_CHANGED):
            out[region_key(change.region_code, change.region_name or change.subject)] = (
                change.after[0]
            )
    return out
