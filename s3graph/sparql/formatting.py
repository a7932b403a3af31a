"""Formatting the results of a named query: aligned text, CSV, SPARQL JSON.

What ``s3graph query --format`` prints and ``/api/queries`` serves. CSV and JSON are the writers
of :mod:`s3graph.rdf.results` (the ones ``/sparql`` uses), in the forms these two have always
written: JSON indented, CSV as Python's ``csv`` module writes it. The aligned table needs every
row before its first line, so it is written here.
"""

from __future__ import annotations

from collections.abc import Sequence

from s3graph.rdf.results import CsvWriter, JsonWriter, ResultsWriter, plain, write
from s3graph.sparql.running import QueryResult

__all__ = ["format_csv", "format_json", "format_table", "plain"]


def format_table(result: QueryResult) -> str:
    """The result as aligned text columns under a header and a rule, ending with a newline."""
    cells = [[plain(term) for term in row] for row in result.rows]
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)
    ]
    lines = [_table_line(result.columns, widths), _table_line(["-" * w for w in widths], widths)]
    lines.extend(_table_line(row, widths) for row in cells)
    return "\n".join(lines) + "\n"


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def format_csv(result: QueryResult) -> str:
    """The result as CSV with a header row (RFC 4180, CRLF line ends as the csv module writes)."""
    return _written(CsvWriter(lone_empty_quoted=True), result)


def format_json(result: QueryResult) -> str:
    """The result in the SPARQL 1.1 Query Results JSON format (unbound values left out)."""
    return _written(JsonWriter(indent=True), result)


def _written(writer: ResultsWriter, result: QueryResult) -> str:
    return "".join(write(writer, result.columns, result.rows))
