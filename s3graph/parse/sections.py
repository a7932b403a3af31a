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


def _label_positions(folded: list[str]) -> list[tuple[int, Question]]:
    """Indexes of the label lines, questions taken in form order (a missing one is skipped)."""
    found: list[tuple[int, Question]] = []
    start = 0
    for question in QUESTIONS:
        for i in range(start, len(folded)):
            if question.matches(folded[i]):
                found.append((i, question))
                start = i + 1
                break
    return found


def split_sections(lines: list[Line]) -> Sections:
    folded = [fold(ln.text) for ln in lines]
    form_text = [is_boilerplate(f) for f in folded]
    positions = _label_positions(folded)
    blocks: dict[str, Block] = {}
    for k, (i, question) in enumerate(positions):
        end = positions[k + 1][0] if k + 1 < len(positions) else len(lines)
        body = tuple(lines[j] for j in range(i + 1, end) if not form_text[j])
        blocks[question.key] = Block(question, lines[i].no, body)
    first = positions[0][0] if positions else len(lines)
    preamble = tuple(lines[j] for j in range(first) if not lines[j].blank and not form_text[j])
    return Sections(blocks, preamble, lines[-1].no if lines else 0)
