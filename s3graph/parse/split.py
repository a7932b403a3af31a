"""A file of several reports read as several reports (``--split``).

Without ``--split`` a second report header in a file is an error naming its line (one report per
file). With it, the file is cut where each report after the first starts (the form's heading
above the first question's label, as :func:`~s3graph.parse.sections.report_starts` finds it) and
each part is parsed as a report of its own. A part keeps the file's line numbers, so every
warning, error and ``s3g:sourceLine`` points at the line a user opens in an editor.

The source of a part is described as the file's name followed by its line range,
``two.txt:172-340`` (first and last line, as numbered in the whole file), with the SHA-256 and
size of those lines' bytes as they stand in the file, line breaks included; a byte order mark at
the head of the file belongs to no part. Errors still name the file itself (``two.txt:205: ...``).
A file that holds one report is described as a file, exactly as without ``--split``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from s3graph.model import Report, SourceFile
from s3graph.parse.report import parse_text, read_bytes
from s3graph.parse.sections import report_starts
from s3graph.parse.text import MAX_REPORT_BYTES, decode, source_of, split_lines

__all__ = [
    "PartReader",
    "ReportText",
    "parse_part",
    "parse_reports",
    "read_reports",
    "split_reports",
]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FINAL_BREAK = re.compile(r"(?:\r\n|\r|\n)\Z")


@dataclass(frozen=True, slots=True)
class ReportText:
    """The text of one report of a file, and where it stands in the file.

    ``name`` is the file's path as given (errors name it), ``first_line`` and ``last_line`` the
    numbers of the part's first and last lines in the file, ``source`` what the report's
    provenance says it was read from. ``ends_file`` is whether the part runs to the end of the file.
    """

    name: str
    text: str
    first_line: int
    last_line: int
    source: SourceFile
    ends_file: bool


def split_reports(name: str, text: str) -> list[ReportText]:
    """The reports of the text ``text`` of the file ``name``, in file order (one when the file
    holds one report: then described as the whole file, ``source_of(name, ...)``)."""
    starts = report_starts(split_lines(text))
    if not starts:
        data = text.encode("utf-8")
        last = _last_line(text, 1)
        return [ReportText(name, text, 1, last, source_of(name, data), ends_file=True)]
    offsets = _line_offsets(text, starts)
    bounds = [0, *offsets, len(text)]
    firsts = [1, *starts]
    parts = []
    for k in range(len(firsts)):
        part = text[bounds[k] : bounds[k + 1]]
        ends_file = k == len(firsts) - 1
        last = _last_line(part, firsts[k]) if ends_file else firsts[k + 1] - 1
        source = source_of(f"{name}:{firsts[k]}-{last}", part.encode("utf-8"))
        parts.append(ReportText(name, part, firsts[k], last, source, ends_file))
    return parts


def _last_line(text: str, first: int) -> int:
    """The number of the last line of ``text`` (a final line break ends it, opens no line)."""
    return first + len(_LINE_BREAK.findall(_FINAL_BREAK.sub("", text)))


def _line_offsets(text: str, numbers: list[int]) -> list[int]:
    """The offsets in ``text`` at which the lines numbered ``numbers`` (ascending) start."""
    wanted = iter(numbers)
    target = next(wanted, None)
    offsets: list[int] = []
    line = 1
    for match in _LINE_BREAK.finditer(text):
        line += 1
        if line == target:
            offsets.append(match.end())
            target = next(wanted, None)
            if target is None:
                break
    return offsets


def read_reports(path: Path, *, max_bytes: int = MAX_REPORT_BYTES) -> list[ReportText]:
    """The reports of the file ``path``, unparsed; the whole file is read under ``max_bytes``.

    Raises :class:`~s3graph.errors.ReportError` for a file that cannot be read or decoded, or is
    larger than ``max_bytes``.
    """
    name = str(path)
    data = read_bytes(path, max_bytes)
    text = decode(name, data, max_bytes)
    parts = split_reports(name, text)
    if len(parts) == 1:  # the file as it is (its bytes: a byte order mark included)
        return [replace(parts[0], source=source_of(name, data))]
    return parts


def parse_part(part: ReportText, *, max_bytes: int = MAX_REPORT_BYTES) -> Report:
    """The report of one part, its lines numbered as in the file.

    Raises :class:`~s3graph.errors.ReportError` naming the file and a line of the part.
    """
    text = part.text if part.ends_file else _FINAL_BREAK.sub("", part.text)
    named = replace(part.source, name=part.name)  # errors name the file itself
    report = parse_text(text, named, max_bytes=max_bytes, first_line=part.first_line)
    return replace(report, source=part.source)


def parse_reports(path: Path, *, max_bytes: int = MAX_REPORT_BYTES) -> list[Report]:
    """Every report of the file ``path`` (``--split``), all or nothing: the first part that is
    not a report raises its :class:`~s3graph.errors.ReportError`."""
    parts = read_reports(path, max_bytes=max_bytes)
    return [parse_part(part, max_bytes=max_bytes) for part in parts]


class PartReader:
    """A pipeline's parse step (``path -> Report``) for one part already cut out of its file:
    the path it is handed is that file's, and the part is parsed as :func:`parse_part` does.

    What lets one :class:`~s3graph.pipeline.Pipeline` run every report of a file
    (``dataclasses.replace(pipeline, parse=PartReader(part))``).
    """

    def __init__(self, part: ReportText, *, max_bytes: int = MAX_REPORT_BYTES) -> None:
        self.part = part
        self.max_bytes = max_bytes

    def __call__(self, path: Path, /) -> Report:
        return parse_part(self.part, max_bytes=self.max_bytes)
