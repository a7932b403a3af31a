"""Assemble a ``Report`` from the sections of an EU Survey text export."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from s3graph.errors import MissingFileError, ReportError
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
from s3graph.parse import period as periods
from s3graph.parse.form import MANDATORY_LABELS, QUESTIONS, Kind
from s3graph.parse.regions import looks_like_region_line, parse_region_line, split_leading_regions
from s3graph.parse.sections import Block, Sections, split_sections
from s3graph.parse.tables import MatrixRow, Row, read_matrix, read_rows
from s3graph.parse.text import (
    MAX_REPORT_BYTES,
    Line,
    decode,
    refuse_oversized,
    source_of,
    split_lines,
    squash,
)

WORKING_AREA_COLUMNS = ("Working area", "Region in charge", "Involved regions", "Other actors")
EVENT_COLUMNS = ("Event", "Date", "Place", "Any other information")
GOALS = range(1, 18)
#: White space at either end of a line (a run is tried once, from its first character).
_LINE_EDGE_SPACE = re.compile(r"^[^\S\n]++|(?<![^\S\n])[^\S\n]++$", re.MULTILINE)
_SPACE_RUN = re.compile(r" {2,}")
_PARAGRAPH_BREAK = re.compile(r"\n\n++")


def parse_file(path: Path, *, max_bytes: int = MAX_REPORT_BYTES) -> Report:
    """Read and parse one report file; a file that is not a readable report raises ReportError.

    A file of more than ``max_bytes`` is refused having read no more than that (and a byte).
    """
    return parse_bytes(str(path), read_bytes(path, max_bytes), max_bytes=max_bytes)


def parse_bytes(
    name: str, data: bytes, *, max_bytes: int = MAX_REPORT_BYTES, first_line: int = 1
) -> Report:
    """Parse the bytes of a report file named ``name`` (``first_line``: see :func:`parse_text`)."""
    text, source = decode(name, data, max_bytes), source_of(name, data)
    return parse_text(text, source, max_bytes=max_bytes, first_line=first_line)


def read_bytes(path: Path, max_bytes: int = MAX_REPORT_BYTES) -> bytes:
    """The bytes of the file ``path``, never more than ``max_bytes`` and a byte (to notice a
    larger file); a file that cannot be read raises :class:`ReportError` naming it."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise ReportError(name, 0, "a report file, not a directory") from None
    except FileNotFoundError:
        raise MissingFileError(name) from None
    except OSError as err:
        raise ReportError(name, 0, "a readable file", err.strerror or str(err)) from None


_Region = TypeVar("_Region", LeadingRegion, RegionMention)

#: The longest line, and the longest answer, read (in characters). A real answer is a few
#: thousand; any text becomes one RDF literal, and RDF tools (Oxigraph's parser among them) refuse
#: a line of more than 16 MiB, which an escaped literal of a few MiB can reach.
MAX_LINE_CHARS = 1_048_576
MAX_ANSWER_CHARS = 2 * MAX_LINE_CHARS


def _refuse_long_lines(lines: Sequence[Line], name: str) -> None:
    """A line longer than :data:`MAX_LINE_CHARS` is an error naming it."""
    for line in lines:
        if len(line.text) > MAX_LINE_CHARS:
            raise ReportError(
                name,
                line.no,
                f"a line of at most {MAX_LINE_CHARS:,} characters",
                f"{len(line.text):,} characters",
            )


#: The most leading regions a report may name: a partnership is led by a handful of regions, so
#: more is text of another kind in that answer (each region is judged and validated, at a cost).
MAX_LEADING_REGIONS = 100
#: The most participating regions (one per line): the largest partnerships count a few dozen.
MAX_PARTICIPATING_REGIONS = 1000


def _at_most(
    regions: Sequence[_Region], limit: int, what: str, name: str
) -> tuple[_Region, ...]:
    """``regions``, unless there are more than ``limit``: an error at the first extra's line."""
    if len(regions) > limit:
        raise ReportError(
            name, regions[limit].line, f"at most {limit} {what}", f"{len(regions):,} of them"
        )
    return tuple(regions)


def parse_text(
    text: str, source: SourceFile, *, max_bytes: int = MAX_REPORT_BYTES, first_line: int = 1
) -> Report:
    """Parse the text of a report; ``source`` names it in errors and provenance.

    ``first_line`` is the number of the text's first line in its file (a report cut out of a
    file of several, :mod:`s3graph.parse.split`): every line number counts from it.
    """
    refuse_oversized(source.name, text, max_bytes)
    lines = split_lines(text, first_line)
    _refuse_long_lines(lines, source.name)
    sections = split_sections(lines)
    _check_is_report(sections, lines, source.name, first_line)
    warnings = [
        ParseWarning(ln.no, "text outside any question of the form", ln.text.strip())
        for ln in sections.preamble
    ]
    blocks = sections.blocks
    answers = tuple(_answer(blocks, q.key, source.name) for q in QUESTIONS if q.key in blocks)
    first = {a.key: _first_line(blocks[a.key]) for a in answers}
    participating = _participating(blocks.get("participating_regions"), warnings)
    leading_lines = blocks["leading_regions"].content if "leading_regions" in blocks else []
    for key in ("reporting_period", "partnership", "start_date", "webpage"):
        _warn_extra_lines(blocks.get(key), warnings)
    sdg = _sdg(blocks["sdg"], sections, source.name, warnings)
    working_areas = _working_areas(blocks.get("working_areas"), warnings)
    past_events = _events(blocks.get("past_events"), EventKind.PAST, warnings)
    planned_events = _events(blocks.get("planned_events"), EventKind.PLANNED, warnings)
    return Report(
        source=source,
        partnership=_value(first.get("partnership")),
        partnership_line=_line(first.get("partnership")),
        reporting_period=_period(first.get("reporting_period"), source.name),
        start_date_text=_value(first.get("start_date")),
        webpage=_webpage(first.get("webpage")),
        leading_regions=_at_most(
            split_leading_regions(leading_lines, [r.name for r in participating]),
            MAX_LEADING_REGIONS,
            "leading regions (names separated by commas, semicolons or 'and')",
            source.name,
        ),
        participating_regions=_at_most(
            participating, MAX_PARTICIPATING_REGIONS, "participating regions", source.name
        ),
        working_areas=working_areas,
        past_events=past_events,
        planned_events=planned_events,
        sdg=sdg,
        answers=answers,
        missing_mandatory=tuple(
            label for key, label in MANDATORY_LABELS.items() if _is_empty(blocks.get(key))
        ),
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
    )


def _check_is_report(sections: Sections, lines: list[Line], name: str, first_line: int) -> None:
    blocks = sections.blocks
    _check_one_report(sections, name)
    if "reporting_period" not in blocks and "partnership" not in blocks:
        first = next((ln for ln in lines if not ln.blank), None)
        raise ReportError(
            name,
            first.no if first else first_line,
            'the EU Survey export of a "Thematic Smart Specialisation Partnership Monitoring '
            'Progress Report" (its first question is "* Reporting period")',
            first.text.strip() if first else None,
        )
    if "sdg" not in blocks:
        missing = next(q for q in reversed(QUESTIONS) if q.key in blocks)
        following = QUESTIONS[QUESTIONS.index(missing) + 1]
        raise ReportError(
            name,
            sections.last_line,
            f'the question "{following.label}" after line {blocks[missing.key].label_line}; '
            "the report ends early (truncated?)",
        )


def _check_one_report(sections: Sections, name: str) -> None:
    """One report per file, each question once: ``cat a.txt b.txt`` is not a report."""
    if sections.second_report is not None:
        raise ReportError(
            name,
            sections.second_report,
            "one report per file, found a second report header "
            "(split it into one file per report, or read it with --split)",
        )
    for question, first, again in sections.repeats:
        raise ReportError(
            name,
            again,
            f'the question "{question.label}" once, found it again (first at line {first})',
        )


def _answer(blocks: dict[str, Block], key: str, name: str) -> Answer:
    """The answer's whole text: paragraphs for free text, the lines as they are for the rest."""
    block = blocks[key]
    content = block.content
    if block.question.kind is Kind.TEXT:
        text = _paragraphs(block.lines)
    else:
        text = "\n".join(ln.text.strip() for ln in content) or None
    first = content[0].no if content else None
    if text is not None and len(text) > MAX_ANSWER_CHARS:
        raise ReportError(
            name,
            first or block.label_line,
            f'an answer of at most {MAX_ANSWER_CHARS:,} characters to "{block.question.label}"',
            f"{len(text):,} characters",
        )
    lines = tuple(ln.no for ln in content)
    return Answer(key, block.question.label, text, block.label_line, first, lines)


def _paragraphs(lines: tuple[Line, ...]) -> str | None:
    """Each line squashed, paragraphs (runs of non-blank lines) separated by one empty line.

    Done on the joined text at once: an answer may hold a million lines.
    """
    text = "\n".join(ln.text for ln in lines).replace("\t", " ")
    text = _SPACE_RUN.sub(" ", _LINE_EDGE_SPACE.sub("", text)).strip("\n")
    return "\n\n".join(p for p in _PARAGRAPH_BREAK.split(text) if p) or None


def _first_line(block: Block) -> Line | None:
    content = block.content
    return content[0] if content else None


def _value(line: Line | None) -> str | None:
    return squash(line.text) or None if line else None


def _line(line: Line | None) -> int | None:
    return line.no if line else None


def _webpage(line: Line | None) -> str | None:
    value = _value(line)
    return value.strip("<> ") or None if value else None


def _is_empty(block: Block | None) -> bool:
    return block is None or not block.content


def _warn_extra_lines(block: Block | None, warnings: list[ParseWarning]) -> None:
    if block is None:
        return
    for ln in block.content[1:]:
        warnings.append(
            ParseWarning(ln.no, f'more than one line for "{block.question.label}"', ln.text.strip())
        )


def _period(line: Line | None, name: str) -> ReportingPeriod | None:
    if line is None:
        return None
    period = periods.read_period(line.text, line.no)
    if period is None:
        raise ReportError(name, line.no, periods.EXPECTED, line.text.strip())
    return period


def _participating(block: Block | None, warnings: list[ParseWarning]) -> list[RegionMention]:
    mentions: list[RegionMention] = []
    for ln in block.content if block else []:
        if looks_like_region_line(ln.text.strip()):
            mentions.append(parse_region_line(ln))
        else:
            warnings.append(
                ParseWarning(
                    ln.no,
                    "a line of the participating regions that is not a region",
                    ln.text.strip(),
                )
            )
    return mentions


def _working_areas(block: Block | None, warnings: list[ParseWarning]) -> tuple[WorkingArea, ...]:
    if block is None:
        return ()
    rows = read_rows(block.content, WORKING_AREA_COLUMNS, warnings, "working areas")
    return tuple(_working_area(r) for r in rows)


def _working_area(row: Row) -> WorkingArea:
    area, in_charge, involved, others = row.cells
    return WorkingArea(row.n, area, in_charge, involved, others, line=row.line)


def _events(
    block: Block | None, kind: EventKind, warnings: list[ParseWarning]
) -> tuple[Event, ...]:
    if block is None:
        return ()
    rows = read_rows(block.content, EVENT_COLUMNS, warnings, f"{kind.value} events")
    return tuple(_event(kind, r) for r in rows)


def _event(kind: EventKind, row: Row) -> Event:
    event, date_text, place, info = row.cells
    return Event(kind, row.n, event, date_text, place, info, line=row.line)


def _sdg(
    block: Block, sections: Sections, name: str, warnings: list[ParseWarning]
) -> tuple[SdgAnswer, ...]:
    rows = read_matrix(block.content, warnings)
    by_goal: dict[int, MatrixRow] = {}
    for row in rows:
        if row.goal not in GOALS:
            warnings.append(
                ParseWarning(row.line, "the SDG matrix has goals 1 to 17 only", str(row.goal))
            )
        elif row.goal in by_goal:
            warnings.append(
                ParseWarning(
                    row.line, f"Goal {row.goal} appears twice in the SDG matrix", row.title
                )
            )
        else:
            by_goal[row.goal] = row
    last = max(by_goal, default=0)
    if last < 17:
        raise ReportError(
            name,
            sections.last_line,
            f"the SDG matrix to go on to Goal 17 (it stops after Goal {last}); "
            "the report ends early (truncated?)",
        )
    answers = []
    for goal in GOALS:
        found = by_goal.get(goal)
        if found is None:
            warnings.append(
                ParseWarning(block.label_line, f"Goal {goal} is missing from the SDG matrix")
            )
            continue
        answers.append(SdgAnswer(goal, found.title, found.checked, found.line))
    return tuple(answers)
