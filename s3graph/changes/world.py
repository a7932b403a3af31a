"""What the comparison of two reports needs to know beyond their text, passed in.

The changes are computed from the parsed reports (:mod:`s3graph.model`) and from three facts the
linking judges against reference data: which NUTS code each stated region resolves to, whether a
code of one NUTS version is the same region as a code of another (a recoding), and which other
partnerships a report mentions. :class:`World` is that interface, so the comparison stays a pure
function a test can feed with a world of its own; :class:`LinkedWorld` answers it with the
project's linking (:mod:`s3graph.linking`) over a NUTS index and the partnership registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from s3graph.linking.links import Linker, ReportLinks
from s3graph.linking.regions import report_version, resolved_by_member
from s3graph.model import Report

#: A region mention of a report: (role, 1-based position in its list), role being ``leading``
#: or ``participating`` (the keys the linking uses).
Member = tuple[str, int]


class World(Protocol):
    """The judged facts about reports that the comparison reads."""

    def regions(self, report: Report) -> Mapping[Member, str]:
        """The NUTS code each region mention resolves to; unresolved mentions left out."""
        ...

    def version(self, report: Report) -> int | None:
        """The NUTS version the report's codes are of (None: no NUTS at hand)."""
        ...

    def carry(self, code: str, version: int, later: int) -> str | None:
        """The code of NUTS ``later`` that is the same region as ``code`` of ``version`` (a
        recoding or no change), None when the region did not carry over as one (split, merged,
        discontinued) or the code is not of ``version``."""
        ...

    def collaborations(self, report: Report) -> Mapping[str, tuple[int, ...]]:
        """The other partnerships the report mentions (canonical name -> source lines)."""
        ...


@dataclass
class LinkedWorld:
    """:class:`World` answered by the project's linking; each report is linked once."""

    linker: Linker
    _links: dict[int, tuple[Report, ReportLinks]] = field(default_factory=dict, repr=False)

    def _linked(self, report: Report) -> ReportLinks:
        # Keyed by identity (the report is kept alive with its links, so the id stays its own).
        held = self._links.get(id(report))
        if held is None or held[0] is not report:
            held = (report, self.linker.link(report))
            self._links[id(report)] = held
        return held[1]

    def regions(self, report: Report) -> Mapping[Member, str]:
        judged = self._linked(report).judgements
        return {
            (role, n): code
            for role in ("participating", "leading")
            for n, code in resolved_by_member(judged, role).items()
        }

    def version(self, report: Report) -> int | None:
        index = self.linker.index
        return report_version(report, index) if index is not None else None

    def carry(self, code: str, version: int, later: int) -> str | None:
        index = self.linker.index
        if index is None or index.region(code, version) is None:
            return None
        if version == later:
            return code
        if later < version:
            return None
        followed = index.successors(code, version, later)
        if followed and index.same_region(code, version, followed[0], later):
            return followed[0]
        return None

    def collaborations(self, report: Report) -> Mapping[str, tuple[int, ...]]:
        found: dict[str, list[int]] = {}
        for mention in self._linked(report).mentions:
            lines = found.setdefault(mention.partnership.name, [])
            if mention.line not in lines:
                lines.append(mention.line)
        return {name: tuple(sorted(lines)) for name, lines in found.items()}
