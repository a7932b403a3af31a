"""Everything a report says about the world outside it, judged in one place.

``link_report`` puts together the three linking steps: the partnership the report selects, found
in the curated registry (or created and flagged for curation); the verdict on each region mention
against the NUTS version in force for its reporting period; and the mentions of other
partnerships. The result feeds the JSON contract (``known_issues``, ``collaborations``) and the
RDF mapping (``s3graph.mapping.links``). Pure: the reference data is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from s3graph.linking.collaborations import Mention, collaboration_names, find_collaborations
from s3graph.linking.consistency import consistency_judgements
from s3graph.linking.regions import (
    Judgement,
    judge_report,
    member_codes,
    nuts_name,
    region_links,
)
from s3graph.model import Report
from s3graph.vocab.names import RegionNames
from s3graph.vocab.nuts_index import NutsIndex
from s3graph.vocab.registry import PartnershipEntry, Registry


@dataclass(frozen=True, slots=True)
class ReportLinks:
    """The report's partnership, region judgements and mentions of other partnerships."""

    partnership: PartnershipEntry | None
    judgements: tuple[Judgement, ...]
    mentions: tuple[Mention, ...]
    #: False when no NUTS classification was available, so regions were not judged.
    regions_judged: bool
    #: Stated code of a participating region -> the code of the NUTS version in force it links
    #: to (only codes that exist there: see :func:`s3graph.linking.regions.nuts_link`).
    nuts_links: Mapping[str, str] = field(default_factory=dict)
    #: (role, position) of a region stated without a code -> the code key of the region resource
    #: it was resolved to (see :func:`s3graph.linking.regions.member_codes`).
    members: Mapping[tuple[str, int], str] = field(default_factory=dict)
    #: Code key of each region resource of the report -> its official NUTS name
    #: (:func:`s3graph.linking.regions.nuts_name`); codes of no NUTS version left out.
    region_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def collaborations(self) -> list[str]:
        return collaboration_names(self.mentions)

    @property
    def issues(self) -> tuple[Judgement, ...]:
        """The judgements that break a rule (clean mentions left out)."""
        return tuple(j for j in self.judgements if j.rule is not None)

    def known_issues(self) -> list[dict[str, Any]]:
        """The region issues in the layout of the corpus contract, plus line and suggestion."""
        return [
            {
                "kind": j.rule,
                "detail": j.message,
                "suggestion": j.suggestion,
                "line": j.line,
                "nuts_version": j.version,
                "nuts_source": j.source,
            }
            for j in self.issues
        ]


def link_report(
    report: Report,
    *,
    registry: Registry,
    index: NutsIndex | None,
    names: RegionNames,
) -> ReportLinks:
    """Judge a parsed report against the registry and, when given, the NUTS classification."""
    partnership = registry.resolve(report.partnership) if report.partnership else None
    judged = judge_report(report, index, names) if index is not None else []
    judgements = (*judged, *consistency_judgements(report, judged))
    mentions = tuple(find_collaborations(report, registry))
    if index is None:
        return ReportLinks(partnership, judgements, mentions, False)
    members = member_codes(report, judged)
    keys = {m.code for m in report.participating_regions if m.code} | set(members.values())
    labels = {k: name for k in sorted(keys) if (name := nuts_name(k, index)) is not None}
    nuts = region_links(report, index)
    return ReportLinks(partnership, judgements, mentions, True, nuts, members, labels)


@dataclass(frozen=True, slots=True)
class Linker:
    """The reference data the linking needs, loaded once and used for many reports."""

    registry: Registry
    names: RegionNames
    index: NutsIndex | None

    @classmethod
    def load(
        cls, index: NutsIndex | None, extra_names: Mapping[str, Sequence[str]] | None = None
    ) -> Linker:
        """The packaged registry and English names, with the NUTS index given (or none).

        ``extra_names`` (NUTS code -> names, for all versions) are added to ours: the CLI passes
        those fetched from Wikidata. Nothing else is read, so the same arguments judge a report
        the same way on any machine.
        """
        from s3graph.vocab.names import NameEntry, load_region_names

        given = extra_names or {}
        extra = [NameEntry(code, None, n) for code, names in given.items() for n in names]
        return cls(Registry.load(), load_region_names().extended(extra), index)

    def link(self, report: Report) -> ReportLinks:
        return link_report(report, registry=self.registry, index=self.index, names=self.names)
