"""The consistency of a report's region lists (s3graph.linking.consistency)."""

from __future__ import annotations

from dataclasses import replace

from reports_fixture import small_report

from s3graph.linking.consistency import consistency_judgements
from s3graph.linking.regions import Judgement
from s3graph.model import LeadingRegion, RegionMention


def mention(line: int, name: str, code: str | None) -> RegionMention:
    raw = f"{name} {code}" if code else name
    return RegionMention(raw, name, None, code, code, line)


def rules(judgements: list[Judgement]) -> list[tuple[str | None, int, tuple[str, int] | None]]:
    return [(j.rule, j.line, j.member) for j in judgements]


def test_a_region_listed_twice_is_reported_at_its_second_line() -> None:
    report = replace(
        small_report(),
        participating_regions=(
            mention(70, "Lapland", "FI1D7"),
            mention(72, "LAPLAND", "fi1d7".upper()),
            mention(73, "North Karelia", "FI1D7"),  # same code, another name: a mismatch, no repeat
        ),
        leading_regions=(),
    )
    assert rules(consistency_judgements(report, [])) == [
        ("duplicate-region", 72, ("participating", 2))
    ]


def test_a_region_without_code_and_a_leader_not_participating() -> None:
    report = replace(
        small_report(),
        participating_regions=(mention(70, "Lapland", "FI1D7"), mention(71, "Somewhere", None)),
        leading_regions=(LeadingRegion("Lapland", 60), LeadingRegion("Kainuu", 60)),
    )
    found = consistency_judgements(report, [])
    assert rules(found) == [
        ("region-without-code", 71, ("participating", 2)),
        ("leading-not-participating", 60, ("leading", 2)),
    ]
    assert "Kainuu" in found[1].message


def test_resolved_codes_match_a_leader_written_otherwise() -> None:
    """ "Região Centro" leads; "Centro (PT) PT16" participates: NUTS says both are PT16."""
    report = replace(
        small_report(),
        participating_regions=(mention(70, "Centro", "PT16"),),
        leading_regions=(LeadingRegion("Região Centro", 60),),
    )
    assert rules(consistency_judgements(report, [])) == [
        ("leading-not-participating", 60, ("leading", 1))
    ]
    resolved = [Judgement(None, "clean", None, "PT16", 2016, 60, ("leading", 1))]
    assert consistency_judgements(report, resolved) == []
