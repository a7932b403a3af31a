"""Cut a report into the answers of the form's questions, found by their labels.

Questions are looked for in form order; each answer is the run of lines between its label and
the next label found. The form's own headings and help lines are left out here, so that no
later step mistakes them for data.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from s3graph.folding import fold_label
from s3graph.parse.form import FORM_FIRST_WORDS, QUESTIONS, Question, is_boilerplate
from s3graph.parse.text import Line


@dataclass(frozen=True, slots=True)
class Block:
    """The answer area of one question: its label line and the lines below it."""

    question: Question
    label_line: int
    lines: tuple[Line, ...]
    #: The non-blank lines of the answer (kept, not recomputed: answers may be long).
    content: list[Line] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Sections:
    blocks: dict[str, Block]
    #: Non-blank lines that stand before the first question and are not the form's own text.
    preamble: tuple[Line, ...]
    last_line: int
    #: Line numbers of labels found again where the form has them once: (question, first, again).
    repeats: tuple[tuple[Question, int, int], ...] = ()
    #: The first line of a second report in the file (its heading, else its first label), if any.
    second_report: int | None = None


#: A line that may be a label or the form's own text: its first word (after "*" markers) is one
#: that starts one of them, or holds a "*" or a non-ASCII letter (then fold_label() decides).
#: Matched line by line at C speed, so that a long answer is not folded line by line.
_FORM_START = re.compile(
    r"[\s*]*+(?:(?:"
    + "|".join(re.escape(w) for w in sorted(FORM_FIRST_WORDS, key=len, reverse=True))
    + r")(?![^\s*])|[^\s*]*+\*|[!-)+-~]*+[^\x00-\x7f])",
    re.IGNORECASE,
)


def _label_positions(folded: dict[int, str]) -> list[tuple[int, Question]]:
    """Indexes of the label lines, questions taken in form order (a missing one is skipped).

    ``folded`` holds the folded text of the lines that may be labels, by index, in order.
    """
    found: list[tuple[int, Question]] = []
    candidates = list(folded)
    start = 0
    for question in QUESTIONS:
        for k in range(start, len(candidates)):
            if question.matches(folded[candidates[k]]):
                found.append((candidates[k], question))
                start = k + 1
                break
    return found


def _without(lines: list[Line], start: int, end: int, dropped: list[int]) -> tuple[Line, ...]:
    """``lines[start:end]`` less the lines at the (sorted) indexes ``dropped``."""
    kept: list[Line] = []
    for i in dropped[bisect_left(dropped, start) : bisect_left(dropped, end)]:
        kept.extend(lines[start:i])
        start = i + 1
    kept.extend(lines[start:end])
    return tuple(kept)


def _folded_candidates(lines: list[Line]) -> dict[int, str]:
    """The folded text of the lines that may be labels or the form's own text, by index."""
    starts = map(_FORM_START.match, [ln.text for ln in lines])
    return {i: fold_label(lines[i].text) for i, start in enumerate(starts) if start}


def report_starts(lines: list[Line]) -> list[int]:
    """The numbers of the lines where a report starts, after the first report of the text.

    A report starts where the first question's label comes again, with the form's heading
    printed above it (``cat a.txt b.txt``): what :attr:`Sections.second_report` finds, found for
    every report of the text (``--split``) in one pass. The blank lines above the heading go with
    the report they open (an export starts with some), so each report of ``cat a.txt b.txt`` is
    cut out as the bytes of its own file.
    """
    folded = _folded_candidates(lines)
    form_text = {i for i, f in folded.items() if is_boilerplate(f)}
    labels = [i for i, f in folded.items() if QUESTIONS[0].matches(f)]
    starts = []
    for label in labels[1:]:
        heading = _heading_above(lines, label, form_text)
        before = heading - 1 if heading > 0 and lines[heading - 1].blank else heading
        starts.append(lines[before - 1].no + 1 if before > 0 else lines[heading].no)
    return starts


def split_sections(lines: list[Line]) -> Sections:
    folded = _folded_candidates(lines)
    form_text = [i for i, f in folded.items() if is_boilerplate(f)]
    positions = _label_positions(folded)
    blocks: dict[str, Block] = {}
    for k, (i, question) in enumerate(positions):
        end = positions[k + 1][0] if k + 1 < len(positions) else len(lines)
        body = _without(lines, i + 1, end, form_text)
        content = [ln for ln in body if ln.text]  # lines are right-stripped: "" is blank
        blocks[question.key] = Block(question, lines[i].no, body, content)
    first = positions[0][0] if positions else len(lines)
    preamble = tuple(ln for ln in _without(lines, 0, first, form_text) if ln.text)
    repeats = _repeats(folded, positions)
    second = _second_report(lines, repeats, set(form_text))
    numbered = tuple((q, lines[i].no, lines[j].no) for q, i, j in repeats)
    return Sections(blocks, preamble, lines[-1].no if lines else 0, numbered, second)


def _repeats(
    folded: dict[int, str], positions: list[tuple[int, Question]]
) -> list[tuple[Question, int, int]]:
    """Indexes of labels found again: (question, index of its label, index of the repeat).

    Page-break headings and repeated table headers are the form's own text, never labels, so
    they are not repeats; only a question's label line printed twice is.
    """
    repeats: list[tuple[Question, int, int]] = []
    for i, question in positions:
        again = next((j for j in folded if j != i and question.matches(folded[j])), None)
        if again is not None:
            repeats.append((question, min(i, again), max(i, again)))
    return sorted(repeats, key=lambda r: r[2])


def _second_report(
    lines: list[Line], repeats: list[tuple[Question, int, int]], form_text: set[int]
) -> int | None:
    """Where a second report starts: the first question's label again, and the form's heading
    (blank lines and the form's own text) printed above it, as ``cat a.txt b.txt`` gives."""
    again = next((r[2] for r in repeats if r[0] is QUESTIONS[0]), None)
    if again is None:
        return None
    return lines[_heading_above(lines, again, form_text)].no


def _heading_above(lines: list[Line], label: int, form_text: set[int]) -> int:
    """The index of the first line of the form's heading above the label at index ``label``:
    the topmost line of the form's own text in the run of such lines and blank lines above it."""
    start = label
    for i in range(label - 1, -1, -1):
        if lines[i].text and i not in form_text:
            break
        if lines[i].text:
            start = i
    return start
