"""From bytes to clean, numbered lines.

Decoding and the export's typographic noise (BOM, CRLF, form feeds, non-breaking spaces, Markdown
bold markers, trailing white space) are dealt with here once, so that the rest of the parser only
sees text. Line numbers always refer to the file as the user sees it in an editor.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from s3graph.errors import ReportError
from s3graph.model import SourceFile

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\f\v"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2002\u2003\u2009"), " ")
_BOLD = re.compile(r"\*\*")


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the report: its 1-based number and its cleaned text (tabs kept)."""

    no: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def source_of(name: str, data: bytes) -> SourceFile:
    return SourceFile(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def decode(name: str, data: bytes) -> str:
    """Decode a report's bytes as UTF-8, refusing empty and binary files with a located error."""
    if not data.strip():
        raise ReportError(
            name, 1, "a Monitoring Progress Report (EU Survey text export)", "an empty file"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ReportError(name, line, "UTF-8 text", "binary data (a NUL byte)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.start + 1].hex()
        raise ReportError(name, line, "UTF-8 text", f"the byte 0x{bad}") from None


def clean_line(text: str) -> str:
    """Remove what the export adds around the words: invisible characters, odd spaces, bold."""
    text = text.translate(_INVISIBLE).translate(_SPACES)
    return _BOLD.sub("", text).rstrip()


def split_lines(text: str) -> list[Line]:
    """Number the lines (LF, CRLF or CR endings) and clean each one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Line(no, clean_line(raw)) for no, raw in enumerate(text.split("\n"), start=1)]


def squash(text: str) -> str:
    """Trim and collapse runs of spaces (not the tabs that separate table cells)."""
    return re.sub(r" {2,}", " ", text.strip())
