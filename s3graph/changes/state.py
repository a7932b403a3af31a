"""The state of a partnership as one report gives it, and that state moved on by changes.

The state is what the changes must account for in full: the regions with their roles (keyed as
:mod:`s3graph.changes.regions` keys them) and the SDG ratings checked. :func:`apply` moves a
state by a report's changes; for two reports ``a`` and ``b`` of one partnership,
``apply(state_of(a), changes_between(a, b))`` equals ``state_of(b)``: nothing is lost and
nothing invented (the property test holds the code to it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from s3graph.changes.model import Change
from s3graph.changes.ratings import apply_ratings, ratings
from s3graph.changes.regions import apply_regions, memberships
from s3graph.changes.world import World
from s3graph.model import Report


@dataclass(frozen=True, slots=True)
class State:
    """Regions (key -> role) and SDG ratings (goal -> boxes checked, none left out)."""

    regions: dict[str, str]
    ratings: dict[int, tuple[str, ...]]


def state_of(report: Report, world: World) -> State:
    """The regions and ratings ``report`` states."""
    regions = {key: m.role for key, m in memberships(report, world).items()}
    return State(regions, ratings(report))


def apply(state: State, changes: Iterable[Change]) -> State:
    """``state`` with the region and rating changes applied, in order."""
    listed = list(changes)
    return State(apply_regions(state.regions, listed), apply_ratings(state.ratings, listed))
