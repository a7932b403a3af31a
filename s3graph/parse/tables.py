"""The form's tables: numbered rows of tab-separated cells, and the SDG radio matrix.

No pattern here can backtrack over a cell: white space is taken possessively, and the radio
buttons (``<input ...>``) are found by a scan that reads each character once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from s3graph.folding import fold_label
from s3graph.model import SDG_RATINGS, ParseWarning
from s3graph.parse.text import Line, squash

_ROW_NUMBER = re.compile(r"\s*+(\d{1,3})(?!\d)(\s*+)")
_GOAL = re.compile(r"\s*+Goal\s++(\d{1,2})\s*+[.:)]?\s*+(.*)", re.IGNORECASE)
_INPUT = re.compile(r"<input\b")
_CHECKED_WORD = re.compile(r"\bchecked\b")
_TICK = re.compile(r"\s*+(?:\[\s*+)?[xX✓✔]\s*+(?:\]\s*+)?")
_BOX = re.compile(r"\s*+\[\s*+\]\s*+")


@dataclass(frozen=True, slots=True)
class Row:
    n: int
    cells: tuple[str | None, ...]
    line: int


@dataclass(frozen=True, slots=True)
class MatrixRow:
    goal: int
    title: str
    checked: tuple[str, ...]
    line: int


def _row(text: str) -> tuple[int, str | None] | None:
    """``3\tA\tB`` -> (3, "A\tB"): the row number and its cells (the run of white space after
    the number ends at its last tab); None when the line is not a numbered row."""
    match = _ROW_NUMBER.match(text)
    if match is None:
        return None
    space, end = match.group(2), match.end()
    if "\t" in space:
        return int(match.group(1)), text[match.start(2) + space.rindex("\t") + 1 :]
    return (int(match.group(1)), None) if end == len(text) else None


def _inputs(text: str) -> list[tuple[int, int]]:
    """The spans of the ``<input ...>`` tags, left to right, each ending at the first ``>``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (found := _INPUT.search(text, pos)) is not None:
        end = text.find(">", found.end())
        if end < 0:
            break  # no ">" left: no tag can close
        spans.append((found.start(), end + 1))
        pos = end + 1
    return spans


def _is_checked(cell: str) -> bool:
    """A checked radio (``<input checked ...>``) or a ticked box (``[x]``, ``✓``)."""
    if _TICK.fullmatch(cell):
        return True
    # A tag that says "checked" before its ">"; tags may nest "<input" (the first one counts).
    pos = 0
    while (found := _INPUT.search(cell, pos)) is not None:
        end = cell.find(">", found.end())
        if end < 0:
            return False
        if _CHECKED_WORD.search(cell, found.end(), end):
            return True
        pos = end + 1
    return False


def _radios(text: str) -> tuple[list[str], str]:
    """The radio buttons of a cell without tabs, and the text left once they are taken out."""
    if _BOX.fullmatch(text):
        return [text], ""
    spans = _inputs(text)
    kept, pos = [], 0
    for start, end in spans:
        kept.append(text[pos:start])
        pos = end
    kept.append(text[pos:])
    return [text[a:b] for a, b in spans], "".join(kept)


def _cell(text: str) -> str | None:
    return squash(text) or None


def _is_header(line: Line, columns: tuple[str, ...]) -> bool:
    if "\t" not in line.text or line.text.lstrip()[:1].isdigit():
        return False  # a header row is tab-separated labels; a numbered row is data
    cells = [c for c in line.text.split("\t") if c.strip()]
    expected = _folded_columns(columns)
    if not cells or len(cells) > len(expected) or fold_label(cells[0]) != expected[0]:
        return False
    return [fold_label(c) for c in cells] == list(expected[: len(cells)])


@cache
def _folded_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold_label(c) for c in columns)


def read_rows(
    lines: list[Line], columns: tuple[str, ...], warnings: list[ParseWarning], what: str
) -> list[Row]:
    """Numbered rows with at least one non-empty cell, in order; other lines become warnings."""
    rows: list[Row] = []
    for line in lines:
        if line.blank or _is_header(line, columns):
            continue
        row = _row(line.text)
        if row is None:
            warnings.append(
                ParseWarning(line.no, f"text in the {what} table is not a row", line.text.strip())
            )
            continue
        number, rest = row
        cells = [_cell(c) for c in (rest or "").split("\t")]
        if len(cells) > len(columns):
            extra = [c for c in cells[len(columns) :] if c]
            if extra:
                warnings.append(
                    ParseWarning(
                        line.no, f"more cells than the {what} table has columns", " | ".join(extra)
                    )
                )
            cells = cells[: len(columns)]
        cells += [None] * (len(columns) - len(cells))
        if any(cells):
            rows.append(Row(number, tuple(cells), line.no))
    return rows


def _matrix_columns(lines: list[Line]) -> tuple[str, ...]:
    """The column labels from the matrix header, in their order (the form's order if absent)."""
    for line in lines:
        cells = tuple(squash(c) for c in line.text.split("\t") if c.strip())
        if cells and all(fold_label(c) in {fold_label(r) for r in SDG_RATINGS} for c in cells):
            by_fold = {fold_label(r): r for r in SDG_RATINGS}
            return tuple(by_fold[fold_label(c)] for c in cells)
    return SDG_RATINGS


def read_matrix(lines: list[Line], warnings: list[ParseWarning]) -> list[MatrixRow]:
    """Goal rows of the SDG matrix with the labels of their checked radio buttons."""
    columns = _matrix_columns(lines)
    rows: list[MatrixRow] = []
    for line in lines:
        if line.blank or _is_header(line, columns):
            continue
        match = _GOAL.match(line.text)
        if not match:
            warnings.append(
                ParseWarning(line.no, "text in the SDG matrix is not a goal row", line.text.strip())
            )
            continue
        parts = match.group(2).split("\t")
        title, cells = squash(parts[0]), parts[1:]
        if not cells:  # exports that lost the tabs still keep the inputs in order
            cells, left = _radios(match.group(2))
            title = squash(left)
        cells = [c for c in cells if c.strip()] if len(cells) > len(columns) else cells
        checked = tuple(
            columns[i] for i, cell in enumerate(cells[: len(columns)]) if _is_checked(cell)
        )
        rows.append(MatrixRow(int(match.group(1)), title, checked, line.no))
    return rows
