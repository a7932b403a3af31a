"""Cut a report into the answers of the form's questions, found by their labels.

Questions are looked for in form order; each answer is the run of lines between its label and
the next label found. The form's own headings and help lines are left out here, so that no
later step mistakes them for data.
"""

from __future__ import annotations

from dataclasses import dataclass

from s3graph.parse.form import QUESTIONS, Question, fold, is_boilerplate
from s3graph.parse.text import Line


@dataclass(frozen=True, slots=True)
class Block:
    """The answer area of one question: its label line and the lines below it."""

    question: Question
    label_line: int
    lines: tuple[Line, ...]

    @property
    def content(self) -> list[Line]:
        """The non-blank lines of the answer."""
        return [ln for ln in self.lines if not ln.blank]


@dataclass(frozen=True, slots=True)
class Sections:
    blocks: dict[str, Block]
    #: Non-blank lines that stand before the first question and are not the form's own text.
    preamble: tuple[Line, ...]
    last_line: int


def _label_positions(lines: list[Line]) -> list[tuple[int, Question]]:
    """Indexes of the label lines, questions taken in form order (a missing one is skipped)."""
    found: list[tuple[int, Question]] = []
    start = 0
    for question in QUESTIONS:
        for i in range(start, len(lines)):
            if question.matches(fold(lines[i].text)):
                found.append((i, question))
                start = i + 1
                break
    return found


def split_sections(lines: list[Line]) -> Sections:
    positions = _label_positions(lines)
    blocks: dict[str, Block] = {}
    for k, (i, question) in enumerate(positions):
        end = positions[k + 1][0] if k + 1 < len(positions) else len(lines)
        body = tuple(ln for ln in lines[i + 1 : end] if not is_boilerplate(fold(ln.text)))
        blocks[question.key] = Block(question, lines[i].no, body)
    first = positions[0][0] if positions else len(lines)
    preamble = tuple(
        ln for ln in lines[:first] if not ln.blank and not is_boilerplate(fold(ln.text))
    )
    return Sections(blocks, preamble, lines[-1].no if lines else 0)
