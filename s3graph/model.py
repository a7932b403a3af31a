"""The typed model of a Monitoring Progress Report.

Pure data: no I/O, no RDF. The parser builds these objects from text, the mapping turns them
into RDF, the JSON contract (``s3graph.contract``) into the layout of the corpus' expected files.
Every element remembers the 1-based line of the source text it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

#: Column labels of the SDG matrix, in the form's order: the one definition of the rating order
#: (the SVG chart reads it; the ontology's notations and `sdg-profile.rq` are tested against it).
SDG_RATINGS: tuple[str, ...] = (
    "Strongly agree",
    "Agree",
    "Neutral",
    "Disagree",
    "Strongly disagree",
    "Not applicable",
)


class EventKind(StrEnum):
    """Which of the two event tables a row comes from."""

    PAST = "past"
    PLANNED = "planned"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The file a report was read from: its name as given and the SHA-256 of its bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    """A half-year: ``label`` as written, ``start``/``end`` its first and last day."""

    label: str
    year: int
    half: int | None  # 1 = January-June, 2 = July-December, None = not a calendar half-year
    start: date
    end: date
    line: int

    @property
    def key(self) -> str:
        """Readable identifier used in IRIs: ``2020-H1``, or ``2020-03--2020-08`` otherwise."""
        if self.half is not None:
            return f"{self.year}-H{self.half}"
        return f"{self.start:%Y-%m}--{self.end:%Y-%m}"


@dataclass(frozen=True, slots=True)
class RegionMention:
    """One line of the participating-regions answer, split into its parts (nothing corrected)."""

    raw: str
    name: str
    country: str | None
    code_raw: str | None
    code: str | None
    line: int


@dataclass(frozen=True, slots=True)
class LeadingRegion:
    """A leading region as named in the free-text answer (country and code removed)."""

    name: str
    line: int


@dataclass(frozen=True, slots=True)
class WorkingArea:
    n: int
    area: str | None
    region_in_charge: str | None
    involved_regions: str | None
    other_actors: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    n: int
    event: str | None
    date_text: str | None
    place: str | None
    info: str | None
    line: int


@dataclass(frozen=True, slots=True)
class SdgAnswer:
    """One row of the SDG matrix: the goal and the labels of its checked columns, in order."""

    goal: int
    title: str
    checked: tuple[str, ...]
    line: int

    @property
    def rating(self) -> str | list[str] | None:
        """The contract's view: ``None`` when nothing is checked, a list when several are."""
        if not self.checked:
            return None
        if len(self.checked) == 1:
            return self.checked[0]
        return list(self.checked)


@dataclass(frozen=True, slots=True)
class Answer:
    """A free-text answer to one question of the form.

    ``key`` is the stable identifier of the question (see ``s3graph.parse.form``), ``question`` its
    label as printed, ``text`` the answer with paragraphs joined by blank lines (``None`` when left
    blank), ``line`` the line of the question and ``answer_line`` the first line of the answer.
    ``text_lines`` holds the source line of each non-blank line of ``text``, in order.
    """

    key: str
    question: str
    text: str | None
    line: int
    answer_line: int | None
    text_lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Text the parser kept but did not recognise, or a recoverable oddity, with its line."""

    line: int
    message: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a Monitoring Progress Report holds."""

    source: SourceFile
    partnership: str | None
    partnership_line: int | None
    reporting_period: ReportingPeriod | None
    start_date_text: str | None
    webpage: str | None
    leading_regions: tuple[LeadingRegion, ...]
    participating_regions: tuple[RegionMention, ...]
    working_areas: tuple[WorkingArea, ...]
    past_events: tuple[Event, ...]
    planned_events: tuple[Event, ...]
    sdg: tuple[SdgAnswer, ...]
    #: Every free-text question of the form, in form order: start date, webpage, executive summary,
    #: leading / participating regions, interested entities and every section II answer.
    answers: tuple[Answer, ...]
    missing_mandatory: tuple[str, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()

    def answer(self, key: str) -> Answer | None:
        """The answer to the question with this key, if the form had it."""
        for a in self.answers:
            if a.key == key:
                return a
        return None
