"""Synthetic Monitoring Progress Reports in the text layout of the EU Survey export.

A pure generator for benchmarks and tests: ``synth_report(i, rng)`` returns the text of one clean
report (real partnership names and real NUTS regions, invented everything else) that the parser must
read without warnings. ``render(...)`` lays out given answers exactly as the form's export does.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from s3graph.mapping.dates import MONTH_NAMES
from s3graph.vocab.registry import Registry

#: The S3 thematic partnerships of s3graph's curated registry.
PARTNERSHIPS: tuple[str, ...] = tuple(entry.name for entry in Registry.load().entries)

#: Real regions whose NUTS code is the same in NUTS 2016, 2021 and 2024: (name, country, code).
REGIONS: tuple[tuple[str, str, str], ...] = (
    ("Lapland", "FI", "FI1D7"),
    ("Kainuu", "FI", "FI1D8"),
    ("North Ostrobothnia", "FI", "FI1D9"),
    ("Helsinki-Uusimaa", "FI", "FI1B"),
    ("Norrbotten", "SE", "SE332"),
    ("Västerbotten", "SE", "SE331"),
    ("Stockholm", "SE", "SE11"),
    ("Castilla y León", "ES", "ES41"),
    ("Andalusia", "ES", "ES61"),
    ("Asturias", "ES", "ES12"),
    ("Basque Country", "ES", "ES21"),
    ("Navarre", "ES", "ES22"),
    ("Aragon", "ES", "ES24"),
    ("Catalonia", "ES", "ES51"),
    ("Norte", "PT", "PT11"),
    ("Central Greece", "EL", "EL64"),
    ("Attica", "EL", "EL30"),
    ("Lower Silesia", "PL", "PL51"),
    ("Lesser Poland", "PL", "PL21"),
    ("Silesia", "PL", "PL22"),
    ("Upper Austria", "AT", "AT31"),
    ("Styria", "AT", "AT22"),
    ("Lombardy", "IT", "ITC4"),
    ("Piedmont", "IT", "ITC1"),
    ("Veneto", "IT", "ITH3"),
    ("Emilia-Romagna", "IT", "ITH5"),
    ("Flanders", "BE", "BE2"),
    ("Baden-Württemberg", "DE", "DE1"),
    ("Bavaria", "DE", "DE2"),
    ("Auvergne-Rhône-Alpes", "FR", "FRK"),
    ("Brittany", "FR", "FRH"),
    ("Eastern Slovenia", "SI", "SI03"),
    ("Western Slovenia", "SI", "SI04"),
    ("Adriatic Croatia", "HR", "HR03"),
    ("North Brabant", "NL", "NL41"),
    ("Limburg", "NL", "NL42"),
    ("Moravia-Silesia", "CZ", "CZ08"),
    ("Estonia", "EE", "EE00"),
    ("Central Jutland", "DK", "DK04"),
    ("Eastern Slovakia", "SK", "SK04"),
)

SDG_COLUMNS: tuple[str, ...] = (
    "Strongly agree",
    "Agree",
    "Neutral",
    "Disagree",
    "Strongly disagree",
    "Not applicable",
)

SDG_GOALS: tuple[str, ...] = (
    "End poverty in all its forms everywhere",
    "End hunger, achieve food security and improved nutrition & promote sustainable agriculture",
    "Ensure healthy lives & promote well-being for all at all ages",
    "Ensure inclusive and equitable quality education and promote lifelong learning "
    "opportunities for all",
    "Achieve gender equality & empower all women and girls",
    "Ensure availability and sustainable management of water and sanitation for all",
    "Ensure access to affordable, reliable, sustainable and modern energy for all",
    "Promote sustained, inclusive and sustainable economic growth, full and productive "
    "employment & decent work for all",
    "Build resilient infrastructure, promote inclusive and sustainable industrialisation & "
    "foster innovation",
    "Reduce inequality within and among countries",
    "Make cities & human settlements inclusive, safe, resilient and sustainable",
    "Ensure sustainable consumption & production patterns",
    "Take urgent action to combat climate change and its impacts",
    "Conserve and sustainably use the oceans, seas & marine resources for sustainable development",
    "Protect, restore and promote sustainable use of terrestrial ecosystems, sustainably manage "
    "forests, combat desertification, halt and reverse land degradation and halt biodiversity "
    "loss",
    "Promote peaceful & inclusive societies for sustainable development, provide access to "
    "justice for all and build effective, accountable and inclusive institutions at all levels",
    "Strengthen the means of implementation and revitalise the Global Partnership for "
    "Sustainable Development",
)

#: Keys of the section II answers, in form order, with the label lines printed before them.
SECTION_TWO: tuple[tuple[str, str | None, str], ...] = (
    (
        "innovative_results",
        "Innovative results",
        "Please describe innovative results and achievements that could be attributed to the "
        "partnership (specific examples of results vs. objectives)",
    ),
    (
        "socio_economic_impacts",
        None,
        "Tangible short- and medium-term socio-economic impacts achieved or expected (specific "
        "examples)",
    ),
    (
        "inter_partnership_results",
        "Inter-regional and inter-partnership collaborative results",
        "Additional results obtained from working with other partnerships under the thematic S3 "
        "Platforms (specific examples)",
    ),
    (
        "business_involvement",
        None,
        "Evaluation of the involvement of relevant business sector (clusters, SMEs, business "
        "associations, chambers of commerce, Digital Innovation Hubs (DIHs), etcetera) in the "
        "Partnership activities (specific examples)",
    ),
    (
        "interregional_cooperation",
        None,
        "Evaluation of whether the level of inter-regional cooperation is sufficient to "
        "potentially provide practical and relevant socio-economic impacts (specific examples)",
    ),
    (
        "eu13_involvement",
        "New activities",
        "Involvement of regions from EU13 Member States in the Partnership, in particular with "
        "respect to scoping, mapping and/or matchmaking. In addition, justification should be "
        "provided if no EU13 regions are involved",
    ),
    (
        "non_eu_involvement",
        None,
        "Involvement of regions/countries from outside of EU28 Countries. (Number of participants "
        "from non-EU countries (specify their contribution)",
    ),
    (
        "outreach",
        None,
        "Advancement and promotion of the Partnership through publications and other "
        "communication/outreach activities (number of outreach activities that resulted from the "
        "partnership)",
    ),
    (
        "other_platforms_activities",
        None,
        "Activities and projects with partnerships working under other S3 Thematic Platforms "
        "(AgriFood, Energy and Industrial Modernisation)",
    ),
)

HEADER = (
    " \n"
    + """\


Thematic Smart Specialisation Platforms Monitoring Progress Report

Fields marked with * are mandatory.



Thematic Smart Specialisation Partnership Monitoring Progress Report

This report is presented to the relevant Working/Steering Committee.

The report is updated every six months.

Confidentiality:

The management report (section I) and progress report (section II) will be made available to \
the public via your Partnership's web page.

The part on self-assessment is confidential.

Based on the monitoring results, the European Commission will decide on the following term's \
support.
"""
)

SDG_INTRO = (
    "The EU has a strong position when it comes to sustainable development and is also fully "
    "committed to be a frontrunner in implementing the UN's 2030 Agenda, together with its member "
    "countries and regions. Many interregional partnerships under the thematic S3 Platforms "
    "contribute strongly to the attainment of these 17 goals."
)

Row = Sequence[str]


def period_label(year: int, half: int) -> str:
    return f"January - June {year}" if half == 1 else f"July - December {year}"


def _table(header: Sequence[str], rows: Sequence[Row]) -> list[str]:
    lines = ["\t" + "\t".join(header)]
    for n in range(1, 11):
        cells = list(rows[n - 1]) if n <= len(rows) else []
        cells += [""] * (len(header) - len(cells))
        lines.append(f"{n}\t" + "\t".join(cells))
    return lines


def _paragraphs(text: str | Sequence[str]) -> list[str]:
    if isinstance(text, str):
        return [text] if text else []
    return [p for p in text if p]


def render(
    *,
    partnership: str,
    period: str,
    start_date: str,
    webpage: str,
    summary: Sequence[str],
    leading: str,
    regions: Sequence[str],
    interested: str,
    working_areas: Sequence[Row],
    past_events: Sequence[Row],
    planned_events: Sequence[Row],
    section_two: dict[str, str | Sequence[str]],
    sdg: Sequence[str | tuple[str, ...] | None],
) -> str:
    """The text of a report with these answers, in the layout of the EU Survey text export.

    Each ``sdg`` entry is the ticked column, a tuple of ticked columns (a row ticked twice, as
    real exports have), or None (no tick).
    """
    out: list[str] = [HEADER]

    def block(*lines: str) -> None:
        for line in lines:
            out.append(line)
            out.append("")

    block("* Reporting period", period)
    block("* Please select the name of your partnership", partnership)
    block("*** Start date of your partnership**", start_date)
    block("Partnership's webpage", f"<{webpage}>" if webpage else "")
    block("I. Management report")
    block("*** Please provide the executive summary and the objectives of your partnership**")
    block(*_paragraphs(summary))
    block("*** Please provide the list of leading regions**", leading)
    block(
        "*** Please provide the list of participating regions.**",
        'If possible, please follow this format: "Name of the region in English (Country '
        'abbreviation), NUTS code".',
        "e.g.: Lapland (FI), FI1D7",
    )
    out.extend(regions)
    out.append("")
    block(
        "Please provide the list of interested regions or other entities (other than national "
        "/regional authorities)"
    )
    block(*_paragraphs(interested))
    block("Please provide an overview of the **working areas** of your partnership")
    out.extend(
        _table(
            ("Working area", "Region in charge", "Involved regions", "Other actors"), working_areas
        )
    )
    out.append("")
    event_header = ("Event", "Date", "Place", "Any other information")
    block(
        "Please provide information regarding past meetings, workshops and dissemination "
        "activities (six months prior to filling out the survey)"
    )
    out.extend(_table(event_header, past_events))
    out.append("")
    block(
        "Please provide information regarding planned future meetings, workshops and "
        "dissemination activities"
    )
    out.extend(_table(event_header, planned_events))
    out.append("")
    block("II. Progress report")
    for key, heading, label in SECTION_TWO:
        if heading:
            block(heading)
        block(label)
        block(*_paragraphs(section_two.get(key, "")))
    block(
        "Your Partnership and the UN 2030 Sustainable Development Goals (SDGs)",
        SDG_INTRO,
        "Please indicate to which Sustainable Development Goals and to what extent your thematic "
        "Partnership contributes?",
    )
    out.append("\t" + "\t".join(SDG_COLUMNS))
    for goal, (title, rating) in enumerate(zip(SDG_GOALS, sdg, strict=True), start=1):
        cells = [
            '<input checked="" type="radio"/>'
            if column == rating or (isinstance(rating, tuple) and column in rating)
            else '<input type="radio"/>'
            for column in SDG_COLUMNS
        ]
        out.append(f"Goal {goal}. {title}\t" + "\t".join(cells))
    return "\n".join(out) + "\n"


# -- random content ------------------------------------------------------------------------------

_TOPICS = (
    "value chain mapping",
    "pilot lines",
    "skills and training",
    "circular economy",
    "digital twins",
    "demonstration sites",
    "investment pipeline",
    "SME internationalisation",
    "standardisation",
    "public procurement of innovation",
    "testing facilities",
    "data sharing",
)
_EVENT_KINDS = (
    "Partnership meeting",
    "Matchmaking workshop",
    "Webinar",
    "Study visit",
    "Steering committee",
    "Investor day",
    "Working area session",
)
_ACTORS = (
    "regional cluster",
    "technology centre",
    "university",
    "chamber of commerce",
    "Digital Innovation Hub",
    "regional development agency",
)


def _date_text(rng: random.Random, day: date) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{day.day}.{day.month}.{day.year}"
    if style == 1:
        return day.isoformat()
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _sentence(rng: random.Random, partnership: str) -> str:
    topic, other = rng.sample(_TOPICS, 2)
    actor = rng.choice(_ACTORS)
    return (
        f"The {partnership} partnership advanced its work on {topic}, with each {actor} "
        f"contributing to a shared roadmap on {other}."
    )


def _events(
    rng: random.Random, regions: Sequence[tuple[str, str, str]], first: date, count: int
) -> list[Row]:
    days = sorted(first + timedelta(days=rng.randrange(180)) for _ in range(count))
    rows: list[Row] = []
    for day in days:
        name, _, _ = rng.choice(regions)
        place = rng.choice(("online", f"{name}", f"{name} and online"))
        info = rng.choice(("", f"{rng.randrange(12, 140)} participants", "hosted by a cluster"))
        rows.append(
            (
                f"{rng.choice(_EVENT_KINDS)} on {rng.choice(_TOPICS)}",
                _date_text(rng, day),
                place,
                info,
            )
        )
    return rows


#: Invented partnership names, clearly marked, so that a large benchmark has distinct reports.
SYNTHETIC_PARTNERSHIPS: tuple[str, ...] = tuple(
    f"Synthetic Partnership {n:03d}" for n in range(1, 1000)
)
#: The half-years ``synth_report`` draws from: 2019-H1 to 2024-H2.
YEARS = range(2019, 2025)
HALVES_PER_NAME = 2 * len(YEARS)


def distinct_report(i: int) -> tuple[str, int, int]:
    """(partnership, year, half) of the ``i``-th of a run of reports that are all distinct.

    The first ``len(PARTNERSHIPS) * HALVES_PER_NAME`` use the real partnership names, later
    ones the names of :data:`SYNTHETIC_PARTNERSHIPS`.
    """
    names = PARTNERSHIPS + SYNTHETIC_PARTNERSHIPS
    name, slot = divmod(i, HALVES_PER_NAME)
    if name >= len(names):
        raise ValueError(f"at most {len(names) * HALVES_PER_NAME} distinct reports, not {i + 1}")
    return names[name], YEARS[0] + slot // 2, 1 + slot % 2


def synth_report(i: int, rng: random.Random, *, distinct: bool = False) -> str:
    """A clean synthetic report: ``i`` numbers it (in the text), ``rng`` draws the rest.

    With ``distinct``, the partnership and half-year come from :func:`distinct_report` instead of
    ``rng``, so reports ``0 .. n-1`` are ``n`` different reports (different named graphs).
    """
    partnership = rng.choice(PARTNERSHIPS)
    year, half = rng.randrange(YEARS[0], YEARS[-1] + 1), rng.randrange(1, 3)
    if distinct:
        partnership, year, half = distinct_report(i)
    start = date(year, 1 if half == 1 else 7, 1)
    regions = rng.sample(REGIONS, rng.randint(5, 15))
    leaders = regions[: rng.randint(1, 3)]
    others = [p for p in PARTNERSHIPS if p != partnership]  # real names only
    areas: list[Row] = [
        (
            f"Working area {n}: {rng.choice(_TOPICS)}",
            rng.choice(regions)[0],
            ", ".join(r[0] for r in rng.sample(regions, 2)),
            f"{rng.choice(_ACTORS)}s",
        )
        for n in range(1, rng.randint(2, 6))
    ]
    past_start = start - timedelta(days=182) if rng.random() < 0.3 else start
    return render(
        partnership=partnership,
        period=period_label(year, half),
        start_date=f"{rng.choice(MONTH_NAMES)} {rng.randrange(2016, year + 1)}",
        webpage=f"https://s3platform.example.org/partnership-{i}",
        summary=[
            f"Synthetic report number {i}. " + _sentence(rng, partnership),
            _sentence(rng, partnership),
        ],
        leading=" and ".join(f"{name} ({country})" for name, country, _ in leaders),
        regions=[f"{name} ({country}) {code}" for name, country, code in regions],
        interested=f"A {rng.choice(_ACTORS)} from Norway follows the partnership as an observer.",
        working_areas=areas,
        past_events=_events(rng, regions, past_start, rng.randint(0, 8)),
        planned_events=_events(rng, regions, start + timedelta(days=183), rng.randint(0, 6)),
        section_two={
            **{key: _sentence(rng, partnership) for key, _, _ in SECTION_TWO if rng.random() < 0.8},
            "inter_partnership_results": f"Joint session with the {rng.choice(others)} partners.",
        },
        sdg=[rng.choice(SDG_COLUMNS) for _ in SDG_GOALS],
    )
