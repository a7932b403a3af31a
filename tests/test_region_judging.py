"""Judging region mentions against NUTS: the corpus figure, then unit cases and name handling."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3graph.folding import fold_key
from s3graph.linking.regions import REGION_RULES, Judgement, judge_mention, judge_report
from s3graph.model import LeadingRegion, RegionMention, Report, ReportingPeriod, SourceFile
from s3graph.vocab.names import (
    RegionNames,
    english_names,
    load_region_names,
    name_variants,
    osa_distance,
    parse_names,
    similarity,
)
from s3graph.vocab.nuts_csv import load_reference_dir, read_reference_csv
from s3graph.vocab.nuts_index import NutsIndex

REGION_KINDS = frozenset(REGION_RULES)


@pytest.fixture(scope="session")
def nuts(shared_dir: Path) -> NutsIndex:
    return load_reference_dir(shared_dir / "reference")


@pytest.fixture(scope="session")
def names() -> RegionNames:
    return load_region_names()


def period(year: int, half: int = 1) -> ReportingPeriod:
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    label = f"{'January - June' if half == 1 else 'July - December'} {year}"
    return ReportingPeriod(label, year, half, start, end, 26)


def mention(raw: str, name: str, country: str | None, code: str | None, line: int = 93):
    return RegionMention(raw=raw, name=name, country=country, code_raw=code, code=code, line=line)


# --------------------------------------------------------------------------------------------------
# THE FIGURE: the region rules found in each corpus report equal its expected known issues


def _issue_line(issue: dict[str, Any], regions: list[dict[str, Any]], lines: list[int]) -> int:
    """The line of the region an expected issue is about: its detail starts with the raw or name."""
    subject = issue["detail"].split(":", 1)[0].strip()
    for region, line in zip(regions, lines, strict=True):
        if subject in (region["raw"], region["name"]):
            return line
    raise AssertionError(f"expected issue {issue} names no participating region")


def corpus_figure(case: Any, nuts: NutsIndex, names: RegionNames) -> dict[str, Any]:
    """Expected and found (rule, line) multisets for one corpus report."""
    from s3graph.parse import parse_file

    report = parse_file(case.txt)
    expected = case.expected()
    regions = expected["participating_regions"]
    lines = [m.line for m in report.participating_regions]
    assert [m.raw for m in report.participating_regions] == [r["raw"] for r in regions]
    want = Counter(
        (issue["kind"], _issue_line(issue, regions, lines))
        for issue in expected["known_issues"]
        if issue["kind"] in REGION_KINDS
    )
    judgements = judge_report(report, nuts, names)
    got = Counter((j.rule, j.line) for j in judgements if j.rule is not None)
    return {"name": case.name, "want": want, "got": got, "judgements": judgements}


def test_corpus_figure(corpus_case, nuts: NutsIndex, names: RegionNames) -> None:
    figure = corpus_figure(corpus_case, nuts, names)
    want, got = figure["want"], figure["got"]
    kinds_want = Counter(kind for kind, _ in want.elements())
    kinds_got = Counter(rule for rule, _ in got.elements())
    assert kinds_got == kinds_want, f"rule kinds: expected {kinds_want}, found {kinds_got}"
    missing, extra = want - got, got - want
    assert not missing, f"expected issues not flagged on their region: {sorted(missing)}"
    assert not extra, "flagged but not expected:\n" + "\n".join(
        j.message for j in figure["judgements"] if (j.rule, j.line) in extra
    )


def test_corpus_figure_summary(corpus_files, nuts: NutsIndex, names: RegionNames) -> None:
    """One table for the whole corpus (shown with ``pytest -s``); every row must be exact."""
    rows = [corpus_figure(case, nuts, names) for case in corpus_files]
    print(f"\n{'report':<62} {'expected':>8} {'found':>6} {'right':>6}")
    for row in rows:
        right = sum((row["want"] & row["got"]).values())
        want_n, got_n = sum(row["want"].values()), sum(row["got"].values())
        print(f"{row['name']:<62} {want_n:>8} {got_n:>6} {right:>6}")
    total_want = sum(sum(r["want"].values()) for r in rows)
    total_right = sum(sum((r["want"] & r["got"]).values()) for r in rows)
    total_got = sum(sum(r["got"].values()) for r in rows)
    print(f"{'TOTAL':<62} {total_want:>8} {total_got:>6} {total_right:>6}")
    assert total_want == 15, "the corpus lists 15 region issues"
    assert (total_right, total_got) == (total_want, total_want)


# --------------------------------------------------------------------------------------------------
# Unit cases


def only(judgements: list[Judgement]) -> Judgement:
    assert len(judgements) == 1, [j.message for j in judgements]
    return judgements[0]


def rules(judgements: list[Judgement]) -> set[str | None]:
    return {j.rule for j in judgements}


def test_attica_is_clean(nuts: NutsIndex, names: RegionNames) -> None:
    j = only(
        judge_mention(
            mention("Attica (EL) EL30", "Attica", "EL", "EL30"), period(2020), nuts, names
        )
    )
    assert (j.rule, j.resolved_code, j.version, j.line) == (None, "EL30", 2016, 93)


def test_attica_with_gr_is_only_a_country_code(nuts: NutsIndex, names: RegionNames) -> None:
    m = mention("Attica (GR) EL30", "Attica", "GR", "EL30")
    j = only(judge_mention(m, period(2020, 2), nuts, names))
    assert (j.rule, j.suggestion, j.resolved_code) == ("country-code", "EL", "EL30")
    assert j.message.startswith("line 93: Attica (GR) EL30:")


def test_gb_is_a_country_code(nuts: NutsIndex, names: RegionNames) -> None:
    m = mention("Scotland (GB) UKM", "Scotland", "GB", "UKM")
    j = only(judge_mention(m, period(2020), nuts, names))
    assert (j.rule, j.suggestion) == ("country-code", "UK")


def test_highlands_and_islands_clean_in_2020(nuts: NutsIndex, names: RegionNames) -> None:
    m = mention("Highlands and Islands (UK) UKM6", "Highlands and Islands", "UK", "UKM6")
    j = only(judge_mention(m, period(2020, 2), nuts, names))
    assert (j.rule, j.resolved_code) == (None, "UKM6")


def test_hr02_clean_in_2021_but_not_in_nuts_2016(nuts: NutsIndex, names: RegionNames) -> None:
    m = mention("Pannonian Croatia (HR) HR02", "Pannonian Croatia", "HR", "HR02")
    j = only(judge_mention(m, period(2021), nuts, names))
    assert (j.rule, j.resolved_code, j.version) == (None, "HR02", 2021)
    j = only(judge_mention(m, period(2020, 2), nuts, names))
    assert (j.rule, j.version) == ("nuts-unknown", 2016)
    assert "NUTS 2021" in j.message


def test_lower_case_code_already_normalised(nuts: NutsIndex, names: RegionNames) -> None:
    m = RegionMention("Norte (PT) pt11", "Norte", "PT", "pt11", "PT11", 72)
    assert only(judge_mention(m, period(2020), nuts, names)).resolved_code == "PT11"
    unnormalised = replace(m, code="pt11")  # a caller that skipped normalisation still works
    assert only(judge_mention(unnormalised, period(2020), nuts, names)).resolved_code == "PT11"


def test_name_mismatch_names_the_line_and_the_right_code(nuts: NutsIndex, names: RegionNames):
    j = only(
        judge_mention(
            mention("Kainuu (FI) FI1D3", "Kainuu", "FI", "FI1D3"), period(2020), nuts, names
        )
    )
    assert (j.rule, j.suggestion) == ("nuts-name-mismatch", "FI1D8")
    assert j.message == (
        "line 93: Kainuu (FI) FI1D3: in NUTS 2016 FI1D3 is Pohjois-Karjala (North Karelia); "
        "Kainuu is FI1D8"
    )
    m = mention("North Karelia (FI) FI1D7", "North Karelia", "FI", "FI1D7")
    assert only(judge_mention(m, period(2020), nuts, names)).suggestion == "FI1D3"


def test_stereia_ellada_gets_three_rules(nuts: NutsIndex, names: RegionNames) -> None:
    m = mention("Stereia Ellada (GR) EL24", "Stereia Ellada", "GR", "EL24")
    found = {j.rule: j for j in judge_mention(m, period(2020), nuts, names)}
    assert set(found) == {"country-code", "nuts-obsolete", "typo"}
    assert found["nuts-obsolete"].suggestion == "EL64"
    assert fold_key(found["typo"].suggestion or "") == "sterea ellada"
    assert {j.resolved_code for j in found.values()} == {"EL64"}


def test_obsolete_code_with_the_right_name(nuts: NutsIndex, names: RegionNames) -> None:
    m = mention("Dytiki Ellada (EL) EL23", "Dytiki Ellada", "EL", "EL23")
    j = only(judge_mention(m, period(2020, 2), nuts, names))
    assert (j.rule, j.suggestion) == ("nuts-obsolete", "EL63")
    assert only(judge_mention(m, period(2012), nuts, names)).rule is None  # NUTS 2010 in force


@pytest.mark.parametrize(
    ("raw", "name", "code", "right"),
    [
        ("Cenrto Portugal (PT) PT16", "Cenrto Portugal", "PT16", "centro portugal"),
        ("Castilla y'Leon (ES) ES41", "Castilla y'Leon", "ES41", "castilla y leon"),
        ("Catalunia (ES) es51", "Catalunia", "ES51", "cataluna"),
        ("Baden-Wüttemberg (DE) DE1", "Baden-Wüttemberg", "DE1", "baden wurttemberg"),
    ],
)
def test_typos(nuts: NutsIndex, names: RegionNames, raw: str, name: str, code: str, right: str):
    j = only(judge_mention(mention(raw, name, raw[-9:-7], code), period(2020), nuts, names))
    assert (j.rule, j.resolved_code) == ("typo", code)
    assert fold_key(j.suggestion or "") == right


@pytest.mark.parametrize(
    ("name", "code", "year"),
    [
        ("Flanders", "BE2", 2020),
        ("Vlaams Gewest", "BE2", 2020),
        ("Hauts-de-France", "FRE", 2020),
        ("Lombardia", "ITC4", 2020),
        ("Andalucía", "ES61", 2020),
        ("Emilia-Romagna", "ITH5", 2021),
        ("Região Centro", "PT16", 2021),
        ("Centro", "PT16", 2020),
        ("Estonia", "EE00", 2021),
        ("Brittany", "FRH0", 2021),
        ("Małopolska", "PL21", 2020),
        ("Limburg", "NL42", 2020),
        ("Sud-Muntenia", "RO31", 2020),
        ("Bruxelles", "BE10", 2020),
    ],
)
def test_legitimate_names_are_clean(nuts, names, name: str, code: str, year: int) -> None:
    j = only(judge_mention(mention(f"{name} {code}", name, None, code), period(year), nuts, names))
    assert (j.rule, j.resolved_code) == (None, code), j.message


def test_unknown_code_suggests_by_name(nuts: NutsIndex, names: RegionNames) -> None:
    j = only(
        judge_mention(
            mention("Aragón (ES) ES25", "Aragón", "ES", "ES25"), period(2020), nuts, names
        )
    )
    assert (j.rule, j.suggestion, j.resolved_code) == ("nuts-unknown", "ES24", "ES24")
    j = only(
        judge_mention(
            mention("Nowhere (ES) ES99", "Nowhere", "ES", "ES99"), period(2020), nuts, names
        )
    )
    assert (j.rule, j.suggestion, j.resolved_code) == ("nuts-unknown", None, None)


def test_unrecognised_name_on_a_valid_code_is_not_an_issue(nuts, names) -> None:
    m = mention("Some Local Name (ES) ES61", "Some Local Name", "ES", "ES61")
    j = only(judge_mention(m, period(2020), nuts, names))
    assert (j.rule, j.resolved_code) == (None, "ES61")


def test_mentions_without_code(nuts: NutsIndex, names: RegionNames) -> None:
    j = only(
        judge_mention(
            mention("Basque Country", "Basque Country", None, None), period(2020), nuts, names
        )
    )
    assert (j.rule, j.resolved_code) == (None, "ES21")
    j = only(
        judge_mention(
            mention("Basqe Country", "Basqe Country", None, None), period(2020), nuts, names
        )
    )
    assert (j.rule, j.resolved_code) == ("typo", "ES21")
    j = only(judge_mention(mention("Atlantis", "Atlantis", None, None), period(2020), nuts, names))
    assert (j.rule, j.resolved_code) == (None, None)


def _report(leading: list[str], regions: list[RegionMention]) -> Report:
    return Report(
        source=SourceFile("r.txt", "0" * 64, 0),
        partnership="Mining Industry",
        partnership_line=20,
        reporting_period=period(2020),
        start_date_text=None,
        webpage=None,
        leading_regions=tuple(LeadingRegion(n, 62) for n in leading),
        participating_regions=tuple(regions),
        working_areas=(),
        past_events=(),
        planned_events=(),
        sdg=(),
        answers=(),
    )


def test_leading_regions_by_name(nuts: NutsIndex, names: RegionNames) -> None:
    lapland = mention("Lapland (FI) FI1D7", "Lapland", "FI", "FI1D7", line=70)
    report = _report(["Lapland", "Andalusa", "Atlantis", "Kainuu"], [lapland])
    judged = [j for j in judge_report(report, nuts, names) if j.line == 62]
    assert [(j.rule, j.resolved_code) for j in judged] == [
        (None, "FI1D7"),
        ("typo", "ES61"),
        (None, "FI1D8"),
    ]


def test_report_without_period_uses_the_latest_version(nuts, names) -> None:
    report = replace(
        _report([], [mention("Centro (PT) PT19", "Centro", "PT", "PT19")]), reporting_period=None
    )
    (j,) = judge_report(report, nuts, names)
    assert (j.rule, j.version) == (None, 2024)


# --------------------------------------------------------------------------------------------------
# Names: the shipped file and the comparison helpers


def test_english_names() -> None:
    assert "Lapland" in english_names("FI1D7")
    assert "North Karelia" in english_names("FI1D3", 2016)
    assert english_names("FI1D3", 2024) == ()  # North Karelia is FI1DC in NUTS 2024
    assert "Kainuu" in english_names("FI1D8") and "Flanders" in english_names("be2")
    assert english_names("ZZ99") == ()


def test_every_named_code_exists_in_nuts(nuts: NutsIndex, names: RegionNames) -> None:
    assert len(names) > 500
    wrong = [
        e for e in names.entries() if not any(e.applies_to(v) for v in nuts.versions_of(e.code))
    ]
    assert not wrong, wrong[:10]


def test_parse_names_rejects_bad_lines() -> None:
    assert parse_names("# c\n\nFI1D7\tall\tLapland\nEL24\t2010\tCentral Greece\n")[1].versions == {
        2010
    }
    with pytest.raises(ValueError, match="line 1"):
        parse_names("FI1D7 all Lapland\n")


def test_fold_and_variants() -> None:
    assert fold_key("Castilla y León") == "castilla y leon"
    assert fold_key("Castilla y'Leon") != fold_key("Castilla y León")
    assert fold_key("ŁÓDZKIE") == fold_key("Lodzkie")
    assert fold_key("Sud - Muntenia") == fold_key("Sud-Muntenia")
    assert "Centro" in name_variants("Centro (PT)")
    assert "Brussels Hoofdstedelijk Gewest" in name_variants(
        "Région de Bruxelles-Capitale/ Brussels Hoofdstedelijk Gewest"
    )
    assert "Brabant Wallon" in name_variants("Prov. Brabant Wallon")


def test_distance() -> None:
    assert osa_distance("cenrto", "centro") == 1  # transposition
    assert osa_distance("catalunia", "catalonia") == 1
    assert osa_distance("kitten", "sitting") == 3
    assert similarity("abc", "abc") == 1.0
    assert re.fullmatch(r"0\.9\d*", str(similarity("stereia ellada", "sterea ellada")))


@given(st.text(max_size=12), st.text(max_size=12))
def test_distance_is_a_symmetric_bounded_measure(a: str, b: str) -> None:
    d = osa_distance(a, b)
    assert d == osa_distance(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))


@given(st.text(max_size=30))
def test_folding_is_idempotent(text: str) -> None:
    assert fold_key(fold_key(text)) == fold_key(text)


@pytest.mark.parametrize("version", [2016, 2021, 2024])
def test_every_nuts_0_2_region_of_the_eu_efta_and_uk_has_an_english_name(
    shared_dir: Path, version: int
) -> None:
    """Our curated names cover every NUTS 0-2 region (a region with the territory of its
    country, like EE0 and EE00, shares the country's name)."""
    names = load_region_names()
    regions = read_reference_csv(shared_dir / "reference" / f"nuts-{version}.csv", version)
    efta = {"CH", "IS", "LI", "NO"}
    wanted = [
        r.code
        for r in regions
        if r.level <= 2
        and not r.code.endswith("Z")
        and (r.country in efta or r.country not in {"AL", "ME", "MK", "RS", "TR", "XK"})
    ]
    missing = [
        code
        for code in wanted
        if not names.english_names(code, version) and not names.english_names(code.rstrip("0"))
    ]
    assert missing == []
