"""Mentions of other partnerships: the corpus' expected collaborations, spellings and traps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import source_lines

from s3graph.linking.collaborations import (
    Mention,
    collaboration_names,
    find_collaborations,
    find_in_text,
)
from s3graph.model import Answer, Event, EventKind, Report
from s3graph.parse import parse_file
from s3graph.vocab.registry import Registry

TABLE_SECTIONS = ("working_areas row ", "past_events row ", "planned_events row ")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def _slugs(text: str, registry: Registry) -> list[str]:
    return sorted({m.partnership.slug for m in find_in_text(text, registry)})


# --------------------------------------------------------------------------------------------------
# The corpus


def test_corpus_collaborations(corpus_case, registry: Registry) -> None:
    report = parse_file(corpus_case.txt)
    lines = source_lines(corpus_case.text())
    mentions = find_collaborations(report, registry)
    assert collaboration_names(mentions) == sorted(corpus_case.expected()["collaborations"])
    answer_keys = {a.key for a in report.answers}
    for mention in mentions:
        assert 1 <= mention.line <= len(lines), mention
        source = lines[mention.line - 1]
        assert mention.matched and mention.matched in source, (mention, source)
        assert mention.matched in mention.text
        assert " ".join(mention.text.split()) in " ".join(source.replace("**", "").split())
        assert mention.section in answer_keys or mention.section.startswith(TABLE_SECTIONS)
        assert mention.partnership.curated


def test_evidence_is_the_sentence(shared_dir: Path, registry: Registry) -> None:
    path = shared_dir / "corpus" / "smart-regional-investment-in-textile-innovation-2020-h1.txt"
    mentions = find_collaborations(parse_file(path), registry)
    chemicals = [m for m in mentions if m.partnership.slug == "chemicals"]
    assert chemicals == [
        Mention(
            registry.by_slug("chemicals"),  # type: ignore[arg-type]
            "Contacts with the Chemicals partnership on bio-based fibres and low-impact dyeing.",
            "inter_partnership_results",
            138,
            "Chemicals",
        )
    ]


def test_table_mentions_quote_the_cell(shared_dir: Path, registry: Registry) -> None:
    path = shared_dir / "corpus" / "hydrogen-valleys-2020-h2.txt"
    mentions = find_collaborations(parse_file(path), registry)
    in_tables = [m for m in mentions if m.section.startswith(TABLE_SECTIONS)]
    assert [(m.section, m.line, m.text) for m in in_tables] == [
        ("past_events row 9", 120, "Exchange with S3P Batteries on storage")
    ]


def test_mining_report_does_not_count_commer_or_mireu(shared_dir: Path, registry: Registry) -> None:
    report = parse_file(shared_dir / "corpus" / "mining-industry-2020-h1.txt")
    assert collaboration_names(find_collaborations(report, registry)) == [
        "Advanced Materials for Batteries"
    ]


# --------------------------------------------------------------------------------------------------
# Spellings that count


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Exchange with S3P Batteries on storage.", "advanced-materials-for-batteries"),
        ("a call with the batteries S3P", "advanced-materials-for-batteries"),
        (
            "Joint session with the AI and HMI partnership",
            "artificial-intelligence-and-human-machine-interface",
        ),
        ("work with AI & HMI on trust", "artificial-intelligence-and-human-machine-interface"),
        ("the 3DP partnership", "high-performance-production-through-3d-printing"),
        ("with the 3D-printing partnership", "high-performance-production-through-3d-printing"),
        ("Contacts with the Chemicals partnership.", "chemicals"),
        ("Contacts with the Chemical partnership.", "chemicals"),
        ("a session with the S3 partnership on chemicals", "chemicals"),
        ("Meeting of the Sport partnership", "sport"),
        ("The Sports partnership met.", "sport"),
        ("the thematic partnership on Sport", "sport"),
        (
            "meeting with Digitalization & Safety for Tourism",
            "digitalisation-and-safety-for-tourism",
        ),
        ("A workshop with Big data & traceability", "traceability-and-big-data"),
        ("Traceability and Big Data shared its tools", "traceability-and-big-data"),
        ("see the Smart Grid partnership", "smart-grids"),
        ("the mining industry partnership", "mining-industry"),
        ("joint work with the Hydrogen Valley partnership", "hydrogen-valleys"),
        ("joint work with the Hydrogen partnership", "hydrogen-valleys"),
        ("cooperation with Water Smart Territories", "water-smart-territories"),
        ("the Cyber-security partnership", "cybersecurity"),
        ("talks with New Nano Enabled Products", "new-nano-enabled-products"),
        ("talks with the Textile partnership", "smart-regional-investment-in-textile-innovation"),
        ("a Bioénergie-free text with the Bio-energy partnership", "bioenergy"),
        ("the Marine Renewable Energy partnership (Energy)", "marine-renewable-energy"),
    ],
)
def test_spellings_that_count(registry: Registry, text: str, slug: str) -> None:
    assert _slugs(text, registry) == [slug]


# --------------------------------------------------------------------------------------------------
# Words that do not count


@pytest.mark.parametrize(
    "text",
    [
        "Hydrogen in heavy-duty and public transport",
        "Public transport and sports facilities were visited.",
        "sport and leisure",
        "Sport is a priority of the region.",
        "close collaboration with the CoMMER - Council of Mining and Metallurgy Regions of EU",
        "CoMMER will be launched as a last delivery of MIREU H2020 project.",
        "as recognised by the European Battery Alliance and Batteries Europe",
        "Investment workshop with the European Clean Hydrogen Alliance",
        "Fuel Cells and Hydrogen Joint Undertaking (FCH JU), Hydrogen Europe",
        "funded by the Clean Hydrogen Partnership",
        "EIT InnoEnergy, EIT RawMaterials and EIT Food",
        "the Mining platform of the Industrial Modernisation platform",
        "Partnership of Industrial Modernisation Platforms",
        "the Agri-Food platform and the Energy platform",
        "Industrial use of hydrogen (refineries, steel, chemicals)",
        "Chemical industry, port authorities",
        "Port authorities and chemical companies are involved.",
        "the chemicals partnership of two ports",
        "reduce the use of water, fertilisers and pesticides",
        "Water management in agriculture",
        "smart grids and storage",
        "Smart grids are needed.",
        "the mining industry in Finland",
        "Mining industry is key.",
        "3D-printed textile structures",
        "mapping of the battery recycling value chain",
        "a textile partnership between two firms",
        "the Smart Grids Task Force",
        "the Social Economy Action Plan",
        "European Textile Technology Platform",
        "trustworthy AI and robotics",
    ],
)
def test_words_that_do_not_count(registry: Registry, text: str) -> None:
    assert _slugs(text, registry) == []


def test_sport_needs_a_word_boundary(registry: Registry) -> None:
    assert _slugs("the transport partnership", registry) == []
    assert _slugs("the Transport partnership", registry) == []
    assert _slugs("the Sport partnership", registry) == ["sport"]


# --------------------------------------------------------------------------------------------------
# Reports


@pytest.fixture(scope="module")
def mining(shared_dir: Path) -> tuple[Report, list[str]]:
    path = shared_dir / "corpus" / "mining-industry-2020-h1.txt"
    return parse_file(path), source_lines(path.read_text(encoding="utf-8"))


def test_own_partnership_is_never_listed(
    mining: tuple[Report, list[str]], registry: Registry
) -> None:
    report, _ = mining
    for own in (
        "Advanced materials for batteries",
        "S3P Batteries",
        "ADVANCED MATERIALS FOR BATTERIES",
    ):
        relabelled = dataclasses.replace(report, partnership=own)
        names = collaboration_names(find_collaborations(relabelled, registry))
        # The report now counts as the batteries one: its own "Mining industries partnership"
        # becomes another partnership, and batteries disappears.
        assert names == ["Mining Industry"]
    # A partnership the registry does not know excludes nothing.
    for odd in (None, "", "?!"):
        assert find_collaborations(dataclasses.replace(report, partnership=odd), registry)
    unknown = dataclasses.replace(report, partnership="Blue Economy")
    assert collaboration_names(find_collaborations(unknown, registry)) == [
        "Advanced Materials for Batteries",
        "Mining Industry",
    ]


def test_metadata_answers_are_not_searched(
    mining: tuple[Report, list[str]], registry: Registry
) -> None:
    report, _ = mining
    answers = tuple(
        dataclasses.replace(a, text="The Smart Grids partnership")
        if a.key in ("webpage", "start_date", "reporting_period")
        else a
        for a in report.answers
    )
    relabelled = dataclasses.replace(report, answers=answers)
    assert "Smart Grids" not in collaboration_names(find_collaborations(relabelled, registry))


def test_table_rows(mining: tuple[Report, list[str]], registry: Registry) -> None:
    report, _ = mining
    rows = (
        Event(EventKind.PAST, 1, "Sport event on public transport", "May", "Online", None, 90),
        Event(EventKind.PAST, 2, "Webinar", "June", "Online", "with the Sport partnership", 91),
    )
    relabelled = dataclasses.replace(report, past_events=rows)
    sport = [m for m in find_collaborations(relabelled, registry) if m.partnership.slug == "sport"]
    assert [(m.section, m.line, m.text) for m in sport] == [
        ("past_events row 2", 91, "with the Sport partnership")
    ]


def test_lines_are_exact_with_several_blank_lines(
    mining: tuple[Report, list[str]], registry: Registry
) -> None:
    report, _ = mining
    source = [
        "Question?",
        "",
        "First paragraph.",
        "",
        "",
        "",
        "Second, with the Smart Grids partnership.",
    ]
    text = "First paragraph.\n\nSecond, with the Smart Grids partnership."
    answer = Answer("inter_partnership_results", "Question?", text, 1, 3, (3, 7))
    relabelled = dataclasses.replace(
        report, answers=(answer,), working_areas=(), past_events=(), planned_events=()
    )
    exact = find_collaborations(relabelled, registry)
    assert [(m.partnership.slug, m.line) for m in exact] == [("smart-grids", 7)]
    assert "Smart Grids" in source[exact[0].line - 1]
    # An answer built without its line numbers: they are counted from its first line.
    counted = dataclasses.replace(relabelled, answers=(dataclasses.replace(answer, text_lines=()),))
    estimated = find_collaborations(counted, registry)
    assert [(m.partnership.slug, m.line) for m in estimated] == [("smart-grids", 5)]


def test_collaboration_names_are_unique_and_sorted(registry: Registry) -> None:
    sport, chemicals = registry.by_slug("sport"), registry.by_slug("chemicals")
    assert sport is not None and chemicals is not None
    mentions = [
        Mention(sport, "a", "x", 1),
        Mention(chemicals, "b", "y", 2),
        Mention(sport, "c", "z", 3),
    ]
    assert collaboration_names(mentions) == ["Chemicals", "Sport"]
    assert collaboration_names([]) == []
