"""Reports built by hand for the mapping tests (independent of the parser).

``small_report`` is a compact invented report whose graph ``tests/test_mapping.py`` spells out in
Turtle. ``mining_report`` transcribes part of the real ``mining-industry-2020-h1.txt`` of the shared
corpus (line numbers are the file's), typos and wrong codes included.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from s3graph.model import (
    Answer,
    Event,
    EventKind,
    LeadingRegion,
    ParseWarning,
    RegionMention,
    Report,
    ReportingPeriod,
    SdgAnswer,
    SourceFile,
    WorkingArea,
)

SMALL_SHA256 = "0123456789abcdef" * 4

#: The folder the mining report was read from: the graph names the file, never this path.
MINING_FOLDER = "uploads/partner-reports/"


def small_report() -> Report:
    """An invented report touching every part of the mapping once or twice."""
    return Report(
        source=SourceFile(
            name="incoming/batch 1/textiles-2020-h2.txt", sha256=SMALL_SHA256, size=2048
        ),
        partnership="Smart Regional Investment in Textile Innovation",
        partnership_line=7,
        reporting_period=ReportingPeriod(
            label="July - December 2020",
            year=2020,
            half=2,
            start=date(2020, 7, 1),
            end=date(2020, 12, 31),
            line=3,
        ),
        start_date_text="Spring 2018",
        webpage="https://example.org/textiles",
        leading_regions=(
            LeadingRegion(name="castilla y leon", line=20),
            LeadingRegion(name="Flanders", line=20),
        ),
        participating_regions=(
            RegionMention(
                raw="Castilla y León (ES) es-41",
                name="Castilla y León",
                country="ES",
                code_raw="es-41",
                code="ES41",
                line=24,
            ),
            RegionMention(
                raw="Centro Portugal",
                name="Centro Portugal",
                country=None,
                code_raw=None,
                code=None,
                line=25,
            ),
        ),
        working_areas=(
            WorkingArea(
                n=1,
                area="Circular textiles",
                region_in_charge="In progress",
                involved_regions=None,
                other_actors="EURATEX",
                line=31,
            ),
        ),
        past_events=(
            Event(
                kind=EventKind.PAST,
                n=1,
                event="Kick-off",
                date_text="16-17.12.2020",
                place="Prato, Italy",
                info=None,
                line=36,
            ),
        ),
        planned_events=(
            Event(
                kind=EventKind.PLANNED,
                n=2,
                event="Match-making",
                date_text="Q4 2020",
                place=None,
                info="Registration opens in May",
                line=42,
            ),
        ),
        sdg=(
            SdgAnswer(
                goal=9, title="Goal 9. Build resilient infrastructure", checked=("Agree",), line=60
            ),
            SdgAnswer(
                goal=12, title="Goal 12. Ensure sustainable consumption", checked=(), line=61
            ),
            SdgAnswer(
                goal=13,
                title="Goal 13. Take urgent action to combat climate change",
                checked=("Strongly agree", "Agree"),
                line=62,
            ),
        ),
        answers=(
            Answer(
                "executive_summary", "Please provide the executive summary", "We weave.", 12, 14
            ),
            Answer(
                "interested_entities",
                "Please provide the list of interested regions or other entities",
                "EURATEX, research centres (LEITAT, AITEX); CITEVE.",
                27,
                29,
            ),
            Answer("outreach", "Advancement and promotion of the Partnership", None, 50, None),
        ),
        warnings=(ParseWarning(line=45, message="line not recognised", text="???"),),
    )


def mining_report() -> Report:
    """Part of the real Mining Industry report for January - June 2020."""
    regions = (
        ("Lapland (FI) FI1D7", "Lapland", "FI", "FI1D7", 70),
        ("Kainuu (FI) FI1D3", "Kainuu", "FI", "FI1D3", 71),
        ("North Karelia (FI) FI1D7", "North Karelia", "FI", "FI1D7", 72),
        ("Västerbotten (SE) SE331", "Västerbotten", "SE", "SE331", 73),
        ("Castilla y'Leon (ES) ES41", "Castilla y'Leon", "ES", "ES41", 74),
        ("Stereia Ellada (GR) EL24", "Stereia Ellada", "GR", "EL24", 78),
    )
    return Report(
        source=SourceFile(
            name=MINING_FOLDER + "mining-industry-2020-h1.txt",
            sha256="c54a35a0c4351a66ec8b5dab10b0c6dfe9f4c34b4de637a0acee0e4a66279c2a",
            size=15421,
        ),
        partnership="Mining industry",
        partnership_line=30,
        reporting_period=ReportingPeriod(
            label="January - June 2020",
            year=2020,
            half=1,
            start=date(2020, 1, 1),
            end=date(2020, 6, 30),
            line=26,
        ),
        start_date_text="Fall 2019",
        webpage="https://s3platform.jrc.ec.europa.eu/mining-industry",
        leading_regions=(
            LeadingRegion(name="North Karelia", line=62),
            LeadingRegion(name="Lapland", line=62),
        ),
        participating_regions=tuple(
            RegionMention(raw=raw, name=name, country=country, code_raw=code, code=code, line=line)
            for raw, name, country, code, line in regions
        ),
        working_areas=(
            WorkingArea(
                1,
                "Upgrading SME competitiveness in mining -> industrial services",
                "In progress",
                None,
                None,
                87,
            ),
            WorkingArea(2, "Sustainability of mining", "In progress", None, None, 88),
        ),
        past_events=(
            Event(
                EventKind.PAST,
                1,
                "Results of the scoping note - next step",
                "12-13.2.2020",
                "Kemi, Finland",
                None,
                101,
            ),
            Event(
                EventKind.PAST,
                2,
                "Exploring the project ideas, regional analysis",
                "11.3.2020",
                "online",
                None,
                102,
            ),
            Event(EventKind.PAST, 5, "Project ideas", "25.6.2020", None, None, 105),
        ),
        planned_events=(
            Event(
                EventKind.PLANNED,
                1,
                "Partnership meeting - joint initiatives",
                "September",
                "Online",
                None,
                115,
            ),
            Event(
                EventKind.PLANNED, 2, "Online match-making", "October/November", "Online", None, 116
            ),
        ),
        sdg=(
            SdgAnswer(1, "Goal 1. End poverty in all its forms everywhere", ("Neutral",), 183),
            SdgAnswer(7, "Goal 7. Ensure access to affordable energy", ("Agree",), 189),
            SdgAnswer(8, "Goal 8. Promote sustained economic growth", ("Strongly agree",), 191),
        ),
        answers=(
            Answer("reporting_period", "Reporting period", "January - June 2020", 24, 26),
            Answer(
                "partnership",
                "Please select the name of your partnership",
                "Mining industry",
                28,
                30,
            ),
            Answer("start_date", "Start date of your partnership", "Fall 2019", 32, 34),
            Answer(
                "webpage",
                "Partnership's webpage",
                "https://s3platform.jrc.ec.europa.eu/mining-industry",
                36,
                38,
            ),
            Answer(
                "executive_summary",
                "Please provide the executive summary and the objectives of your partnership",
                "Mining industries partnership could play the core role in the Green deal.",
                42,
                44,
            ),
            Answer(
                "interested_entities",
                "Please provide the list of interested regions or other entities",
                "Communication with MIREU partner regions",
                80,
                82,
            ),
            Answer(
                "innovative_results", "Please describe innovative results", "Next report", 130, 132
            ),
            Answer(
                "eu13_involvement",
                "Involvement of regions from EU13 Member States",
                None,
                160,
                None,
            ),
        ),
    )


def without_partnership(report: Report) -> Report:
    return replace(report, partnership=None, partnership_line=None)


def without_period(report: Report) -> Report:
    return replace(report, reporting_period=None)
