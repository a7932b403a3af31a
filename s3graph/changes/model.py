"""What changed between two reports of one partnership, as typed, pure data.

A :class:`Change` is one fact about the passage from one report to the next: a region that
joined, an SDG rating that moved, a planned event that was held. Its ``kind`` is a word
(:class:`ChangeKind`), so that queries and pages show it as it is; its values before and after are
tuples of words (a role, the ratings checked, a cell as written), empty when there was nothing;
its source lines point into each report's text, so every change can be checked by reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    """The kinds of change, in the words the `changes` query and the pages show."""

    JOINED = "joined"
    LEFT = "left"
    ROLE_CHANGED = "role-changed"
    RECODED = "recoded"
    SDG_CHANGED = "sdg-changed"
    EVENT_HELD = "event-held"
    EVENT_NOT_HELD = "event-not-held"
    WORKING_AREA_ADDED = "working-area-added"
    WORKING_AREA_DROPPED = "working-area-dropped"
    WORKING_AREA_CHANGED = "working-area-changed"
    COLLABORATION_BEGAN = "collaboration-began"
    COLLABORATION_ENDED = "collaboration-ended"


class Direction(StrEnum):
    """Which way an SDG rating moved on the form's scale, from *Strongly agree* to *Strongly
    disagree*. ``off-scale`` when either side is *Not applicable* or has nothing checked."""

    UP = "up"  # towards Strongly agree
    DOWN = "down"  # towards Strongly disagree
    MIXED = "mixed"  # several boxes checked, some above and some below
    OFF_SCALE = "off-scale"


@dataclass(frozen=True, slots=True)
class ReportRef:
    """One of the two reports compared: its period key (``2020-H1``) and its source file name."""

    period: str
    source: str


@dataclass(frozen=True, slots=True)
class Change:
    """One change between ``before`` and ``after``, two reports of one partnership.

    ``subject`` names what changed in words: the region's code (its name when it has none), the
    goal (``Goal 12``), the working area, the event, the other partnership. ``region_code`` is the
    region's NUTS code as resolved in the later report (the earlier one's for a region that left),
    ``region_name`` its name as the report states it, kept as evidence. ``aspect`` names the
    column of a working area that changed. ``lines_before``/``lines_after`` are the source lines
    in each report's text (empty on the side where the thing is absent).
    """

    kind: ChangeKind
    subject: str
    before_report: ReportRef
    after_report: ReportRef
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    lines_before: tuple[int, ...] = ()
    lines_after: tuple[int, ...] = ()
    region_code: str | None = None
    region_name: str | None = None
    goal: int | None = None
    direction: Direction | None = None
    aspect: str | None = None

    @property
    def before_text(self) -> str:
        """The value before as one text (values joined by ``; ``), empty when none."""
        return "; ".join(self.before)

    @property
    def after_text(self) -> str:
        """The value after as one text (values joined by ``; ``), empty when none."""
        return "; ".join(self.after)
