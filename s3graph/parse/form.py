"""The EU Survey form "Thematic Smart Specialisation Partnership Monitoring Progress Report".

Declares the form's questions (found by their labels, never by line position), its headings and the
boilerplate it prints around them. The parser reads a report against this description.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from s3graph.folding import fold_label


class Kind(StrEnum):
    TEXT = "text"  # free text, possibly several paragraphs
    REGIONS = "regions"  # one region per line
    TABLE = "table"  # numbered rows, tab-separated cells
    MATRIX = "matrix"  # the SDG radio matrix


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    label: str  # as printed, without "*" and Markdown markers
    kind: Kind
    mandatory: bool = False
    #: A prefix long enough to recognise the label when the form wraps or trims it.
    prefix: str = ""

    def matches(self, folded_line: str) -> bool:
        """True when a (folded) line is this question's label, possibly wrapped or trimmed."""
        line = folded_line.rstrip(" .:?")
        full = _folded_label(self.label)
        if self.prefix:
            return line.startswith(_folded_label(self.prefix)) and len(line) <= len(full) + 12
        return line == full


@cache
def _folded_label(label: str) -> str:
    """A label of the form, folded once (labels are few; lines are folded as they come)."""
    return fold_label(label).rstrip(" .:?")


QUESTIONS: tuple[Question, ...] = (
    Question("reporting_period", "Reporting period", Kind.TEXT, mandatory=True),
    Question(
        "partnership", "Please select the name of your partnership", Kind.TEXT, mandatory=True
    ),
    Question("start_date", "Start date of your partnership", Kind.TEXT, mandatory=True),
    Question("webpage", "Partnership's webpage", Kind.TEXT),
    Question(
        "executive_summary",
        "Please provide the executive summary and the objectives of your partnership",
        Kind.TEXT,
        mandatory=True,
    ),
    Question(
        "leading_regions", "Please provide the list of leading regions", Kind.TEXT, mandatory=True
    ),
    Question(
        "participating_regions",
        "Please provide the list of participating regions",
        Kind.REGIONS,
        mandatory=True,
    ),
    Question(
        "interested_entities",
        "Please provide the list of interested regions or other entities "
        "(other than national /regional authorities)",
        Kind.TEXT,
        prefix="Please provide the list of interested regions",
    ),
    Question(
        "working_areas",
        "Please provide an overview of the working areas of your partnership",
        Kind.TABLE,
        prefix="Please provide an overview of the working areas",
    ),
    Question(
        "past_events",
        "Please provide information regarding past meetings, workshops and dissemination "
        "activities (six months prior to filling out the survey)",
        Kind.TABLE,
        prefix="Please provide information regarding past meetings",
    ),
    Question(
        "planned_events",
        "Please provide information regarding planned future meetings, workshops and "
        "dissemination activities",
        Kind.TABLE,
        prefix="Please provide information regarding planned future meetings",
    ),
    Question(
        "innovative_results",
        "Please describe innovative results and achievements that could be attributed to the "
        "partnership (specific examples of results vs. objectives)",
        Kind.TEXT,
        prefix="Please describe innovative results and achievements",
    ),
    Question(
        "socio_economic_impacts",
        "Tangible short- and medium-term socio-economic impacts achieved or expected "
        "(specific examples)",
        Kind.TEXT,
        prefix="Tangible short- and medium-term socio-economic impacts",
    ),
    Question(
        "inter_partnership_results",
        "Additional results obtained from working with other partnerships under the thematic "
        "S3 Platforms (specific examples)",
        Kind.TEXT,
        prefix="Additional results obtained from working with other partnerships",
    ),
    Question(
        "business_involvement",
        "Evaluation of the involvement of relevant business sector (clusters, SMEs, business "
        "associations, chambers of commerce, Digital Innovation Hubs (DIHs), etcetera) in the "
        "Partnership activities (specific examples)",
        Kind.TEXT,
        prefix="Evaluation of the involvement of relevant business sector",
    ),
    Question(
        "interregional_cooperation",
        "Evaluation of whether the level of inter-regional cooperation is sufficient to "
        "potentially provide practical and relevant socio-economic impacts (specific examples)",
        Kind.TEXT,
        prefix="Evaluation of whether the level of inter-regional cooperation",
    ),
    Question(
        "eu13_involvement",
        "Involvement of regions from EU13 Member States in the Partnership, in particular with "
        "respect to scoping, mapping and/or matchmaking. In addition, justification should be "
        "provided if no EU13 regions are involved",
        Kind.TEXT,
        prefix="Involvement of regions from EU13 Member States",
    ),
    Question(
        "non_eu_involvement",
        "Involvement of regions/countries from outside of EU28 Countries. (Number of "
        "participants from non-EU countries (specify their contribution)",
        Kind.TEXT,
        prefix="Involvement of regions/countries from outside of EU28",
    ),
    Question(
        "outreach",
        "Advancement and promotion of the Partnership through publications and other "
        "communication/outreach activities (number of outreach activities that resulted from "
        "the partnership)",
        Kind.TEXT,
        prefix="Advancement and promotion of the Partnership",
    ),
    Question(
        "other_platforms_activities",
        "Activities and projects with partnerships working under other S3 Thematic Platforms "
        "(AgriFood, Energy and Industrial Modernisation)",
        Kind.TEXT,
        prefix="Activities and projects with partnerships working under other S3",
    ),
    Question(
        "sdg",
        "Please indicate to which Sustainable Development Goals and to what extent your "
        "thematic Partnership contributes?",
        Kind.MATRIX,
        prefix="Please indicate to which Sustainable Development Goals",
    ),
)

QUESTION_BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}

#: Lines the form prints that are neither questions nor answers (headings, instructions, help).
BOILERPLATE: tuple[str, ...] = tuple(
    fold_label(s)
    for s in (
        "Thematic Smart Specialisation Platforms Monitoring Progress Report",
        "Thematic Smart Specialisation Partnership Monitoring Progress Report",
        "Fields marked with * are mandatory.",
        "This report is presented to the relevant Working/Steering Committee.",
        "The report is updated every six months.",
        "Confidentiality:",
        "The management report (section I) and progress report (section II) will be made "
        "available to the public via your Partnership's web page.",
        "The part on self-assessment is confidential.",
        "Based on the monitoring results, the European Commission will decide on the following "
        "term's support.",
        "I. Management report",
        "II. Progress report",
        "Innovative results",
        "Inter-regional and inter-partnership collaborative results",
        "New activities",
        "Your Partnership and the UN 2030 Sustainable Development Goals (SDGs)",
        'If possible, please follow this format: "Name of the region in English '
        '(Country abbreviation), NUTS code".',
        "e.g.: Lapland (FI), FI1D7",
    )
)

#: Paragraphs of the form's own prose, recognised by how they start.
BOILERPLATE_PREFIXES: tuple[str, ...] = tuple(
    fold_label(s)
    for s in (
        "The EU has a strong position when it comes to sustainable development",
        "If possible, please follow this format:",
    )
)


#: The first folded word of every label and every line of the form's own text: a line starting
#: with another word is neither, and need not be folded and compared (reports can be long).
FORM_FIRST_WORDS: frozenset[str] = frozenset(
    text.split(" ", 1)[0]
    for text in (
        *BOILERPLATE,
        *BOILERPLATE_PREFIXES,
        *(fold_label(q.label) for q in QUESTIONS),
        *(fold_label(q.prefix) for q in QUESTIONS if q.prefix),
    )
)


def is_boilerplate(folded_line: str) -> bool:
    """True for the form's headings, instructions and help lines (never data)."""
    return folded_line in BOILERPLATE or folded_line.startswith(BOILERPLATE_PREFIXES)


#: Mandatory labels as the corpus contract spells them in ``missing_mandatory``.
MANDATORY_LABELS: dict[str, str] = {q.key: q.label for q in QUESTIONS if q.mandatory}
