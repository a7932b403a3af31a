"""From bytes to clean, numbered lines.

Decoding and the export's typographic noise (BOM, CRLF, form feeds, non-breaking spaces, Markdown
bold markers, trailing white space) are dealt with here once, so that the rest of the parser only
sees text. Line numbers always refer to the file as the user sees it in an editor.

Everything here works on the whole text at once (C-speed string methods, patterns that never
backtrack), and a run of blank lines becomes one blank ``Line``: a report padded with millions of
empty lines costs what its words cost. Reports over :data:`MAX_REPORT_BYTES` (or the caller's
``max_bytes``, the CLI's ``--max-bytes``) are refused before any of that work.
"""

from __future__ import annotations

import hashlib
import re
from itertools import compress, count, repeat
from typing import NamedTuple

from s3graph.errors import ReportError
from s3graph.model import SourceFile

_INVISIBLE_CHARS = "\ufeff\u200b\u200c\u200d\u2060\f\v"
_SPACE_CHARS = "\u00a0\u2007\u202f\u2002\u2003\u2009"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_SPACES = dict.fromkeys(map(ord, _SPACE_CHARS), " ")
# The same as patterns, for whole texts (str.translate is slow on non-ASCII text).
_INVISIBLE_RUN = re.compile(f"[{_INVISIBLE_CHARS}]+")
_ODD_SPACE = re.compile(f"[{_SPACE_CHARS}]")
_BOLD = re.compile(r"\*\*")
#: White space ending a line (a run is tried once, from its first character, and never backtracks).
_TRAILING_SPACE = re.compile(r"(?<![^\S\n])[^\S\n]++$", re.MULTILINE)
_SPACE_RUN = re.compile(r" {2,}")

#: Refused above this size: a real report is 30-60 KB, so 2 MB is no report but bounds the work
#: (and the memory: a 20 MB file of one report repeated once took 3.8 GB to ingest).
MAX_REPORT_BYTES = 2 * 1024 * 1024
#: The most ``--max-bytes`` may allow: the store keeps each report's bytes as one literal
#: (base64), which must stay well under the 16 MiB line that RDF parsers (Oxigraph's) take.
MAX_BYTES_CEILING = 8 * 1024 * 1024


class Line(NamedTuple):
    """A line of the report: its 1-based number and its cleaned text (tabs kept).

    A named tuple: a report may have a million lines, and this is the cheapest immutable record.
    """

    no: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def source_of(name: str, data: bytes) -> SourceFile:
    return SourceFile(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def decode(name: str, data: bytes, max_bytes: int = MAX_REPORT_BYTES) -> str:
    """Decode a report's bytes as UTF-8, refusing empty, oversized and binary files (located)."""
    refuse_oversized(name, data, max_bytes)
    if not data.strip():
        raise ReportError(
            name, 1, "a Monitoring Progress Report (EU Survey text export)", "an empty file"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ReportError(name, line_at(data, nul), "UTF-8 text", "binary data (a NUL byte)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = line_at(data, err.start)
        bad = data[err.start : err.start + 1].hex()
        raise ReportError(name, line, "UTF-8 text", f"the byte 0x{bad}") from None


def line_at(data: bytes | str, offset: int) -> int:
    """The number of the line holding ``data[offset]``, lines ended as the parser ends them: LF,
    CRLF or a lone CR (so an editor, and every other message, gives the same number)."""
    head = data[:offset]
    if isinstance(head, bytes):
        return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def refuse_oversized(name: str, data: bytes | str, max_bytes: int = MAX_REPORT_BYTES) -> None:
    """Refuse more than ``max_bytes``, naming the line where the limit is crossed."""
    if len(data) <= max_bytes:
        return
    line = line_at(data, max_bytes)
    limit = size_text(max_bytes)
    raise ReportError(
        name,
        line,
        f"a report of at most {limit} (a real report is 30-60 KB; see --max-bytes)",
        f"a file of more than {limit}",
    )


def size_text(size: int) -> str:
    """A byte count as people write it: "2 MB", "512 KB", else "1000 bytes" (powers of 1024)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def clean_line(text: str) -> str:
    """Remove what the export adds around the words: invisible characters, odd spaces, bold."""
    text = text.translate(_INVISIBLE).translate(_SPACES)
    return _BOLD.sub("", text).rstrip()


def split_lines(text: str, first: int = 1) -> list[Line]:
    """Number the lines (LF, CRLF or CR endings) and clean each one (as :func:`clean_line`).

    A run of blank lines is kept as one blank line, numbered as the last of the run: blank lines
    only ever separate paragraphs, and the last line's number still says where the file ends.
    ``first`` is the number of the text's first line: a report cut out of a longer file
    (``--split``) keeps the numbers of the file.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BOLD.sub("", _ODD_SPACE.sub(" ", _INVISIBLE_RUN.sub("", text)))
    raws = _TRAILING_SPACE.sub("", text).split("\n")
    numbers = list(compress(count(first), raws))  # of the non-empty lines (C-speed, no loop)
    made = map(tuple.__new__, repeat(Line), zip(numbers, filter(None, raws), strict=True))
    lines: list[Line] = []
    previous = first - 1
    for no, line in zip(numbers, made, strict=True):
        if no > previous + 1:
            lines.append(Line(no - 1, ""))
        lines.append(line)
        previous = no
    if first - 1 + len(raws) > previous:
        lines.append(Line(first - 1 + len(raws), ""))
    return lines


def squash(text: str) -> str:
    """Trim and collapse runs of spaces (not the tabs that separate table cells)."""
    text = text.strip()
    return _SPACE_RUN.sub(" ", text) if "  " in text else text
