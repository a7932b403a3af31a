"""SELECT results written by pyoxigraph's own serialiser, cut at the row cap as they are written.

Writing solutions row by row in Python cost a query worker 10-20 µs a row (a term object per
value, its text, a join): on a result of 2,000 rows as much as the engine's own work.
pyoxigraph's serialiser writes the same bytes in Rust, but it has no row limit. So it writes
into a :class:`_Sink` that counts a byte sequence that marks rows, 8 KB at a time, and stops
it (:class:`_Full`) once the count says more than ``max_rows`` rows were written:

- SPARQL JSON: ``},{`` stands between two rows; it may also be part of a value, so its count
  is never less than the rows'. Between rows it is followed by ``"``, or by ``}`` before a row
  with nothing bound; in a value never by ``"``, which JSON escapes there. So while every
  ``},{`` seen is a ``},{"``, the count is exact.
- CSV: ``CRLF`` ends each line; a value holding CRLF is quoted, so as long as no ``"`` was
  written the count is exact.

An exact count over the cap is cut at the row boundary, in the bytes. A count that is only a
bound (a rare result), or a format pyoxigraph writes differently from s3graph (XML and TSV: see
:mod:`s3graph.rdf.results`), is left to the Python writers: :func:`serialize` returns None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

__all__ = ["Capped", "serialize", "truncation_member", "writes"]


@dataclass(frozen=True, slots=True)
class _Marks:
    """How rows show in one format's bytes."""

    format: ox.QueryResultsFormat
    #: Between two rows (JSON) or at the end of each line (CSV): counted.
    mark: bytes
    #: The count is exact while this is seen as often as ``mark`` (JSON), or ...
    sure: bytes | None
    #: ... while this is not seen at all (CSV).
    doubt: bytes | None
    #: Past the cap once marks + ``offset`` exceed it (JSON: a row begun after each separator,
    #: and the first; CSV: a line ended per row, and the header's).
    offset: int
    #: Row ``n`` ends where mark ``n + shift`` begins (CSV: the header's line end comes first).
    shift: int


_FORMATS = {
    "application/sparql-results+json": _Marks(
        ox.QueryResultsFormat.JSON, b"},{", b'},{"', None, 1, 0
    ),
    "text/csv": _Marks(ox.QueryResultsFormat.CSV, b"\r\n", None, b'"', -1, 1),
}


@dataclass(frozen=True, slots=True)
class Capped:
    """Serialised results and whether rows were cut at the cap."""

    body: bytes
    truncated: bool


class _Full(Exception):
    """More than the cap was written: the sink stops the serialiser."""


class _Sink:
    """A binary file that keeps what pyoxigraph writes and counts the row marks in it."""

    def __init__(self, marks: _Marks, max_rows: int) -> None:
        self.marks = marks
        self.max_rows = max_rows
        self.chunks: list[bytes] = []
        self.count = 0
        self.doubtful = False
        self._sure = 0
        self._tail = b""  # the end of the last chunk: a mark may straddle two chunks

    def write(self, chunk: bytes) -> int:
        chunk = bytes(chunk)
        self.chunks.append(chunk)
        marks = self.marks
        self.count += _count(self._tail, chunk, marks.mark)
        if marks.sure is not None:
            self._sure += _count(self._tail, chunk, marks.sure)
            self.doubtful = self._sure != self.count
        if marks.doubt is not None and marks.doubt in chunk:
            self.doubtful = True
        self._tail = (self._tail + chunk)[-3:]
        if self.count + marks.offset > self.max_rows:
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        """Nothing buffered here."""


def _count(tail: bytes, chunk: bytes, mark: bytes) -> int:
    """How often ``mark`` occurs in ``chunk``, or begins in ``tail`` and ends in ``chunk``."""
    return (tail[-(len(mark) - 1) :] + chunk).count(mark)


def truncation_member(max_rows: int) -> str:
    """The top-level JSON member that says a cut (SPARQL JSON allows more members)."""
    return f'"s3graph":{{"truncated":true,"maxRows":{max_rows}}}'


def writes(media_type: str, max_rows: int) -> bool:
    """Whether :func:`serialize` takes results in ``media_type`` under a cap of ``max_rows``
    (-1: none)."""
    return media_type in _FORMATS and max_rows != 0


def serialize(solutions: ox.QuerySolutions, media_type: str, max_rows: int) -> Capped | None:
    """``solutions`` in ``media_type`` (see :func:`writes`), at most ``max_rows`` rows (-1: all),
    written by pyoxigraph; None when the count of rows over the cap is not exact: the Python
    writers must write them then, from a new run of the query (these solutions are spent)."""
    marks = _FORMATS[media_type]
    if max_rows < 0:
        body = solutions.serialize(format=marks.format)
        assert body is not None  # no output given: pyoxigraph returns the bytes
        return Capped(body, False)
    sink = _Sink(marks, max_rows)
    try:
        solutions.serialize(cast(IO[bytes], sink), format=marks.format)
    except _Full:
        return _cut(sink, marks, max_rows)
    return Capped(b"".join(sink.chunks), False)


def _cut(sink: _Sink, marks: _Marks, max_rows: int) -> Capped | None:
    """The first ``max_rows`` rows of what ``sink`` holds, closed as a whole document."""
    if sink.doubtful:
        return None
    data = b"".join(sink.chunks)
    end = -1
    for _ in range(max_rows + marks.shift):  # up to the mark that ends the last row kept
        end = data.find(marks.mark, end + 1)
    if marks.format == ox.QueryResultsFormat.CSV:
        return Capped(data[: end + len(marks.mark)], True)
    closing = "]}," + truncation_member(max_rows) + "}"
    return Capped(data[: end + 1] + closing.encode(), True)
