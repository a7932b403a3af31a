"""Formatting the results of a named query: aligned text, CSV, SPARQL JSON.

What ``s3graph query --format`` prints and ``/api/queries`` serves.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from s3graph.sparql.running import QueryResult

if TYPE_CHECKING:
    from s3graph.store import Term

__all__ = ["format_csv", "format_json", "format_table", "plain"]

_XSD = "http://www.w3.org/2001/XMLSchema#"


def plain(term: Term | None) -> str:
    """The plain value of a term: the IRI, the lexical form, ``_:id``, or '' when unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<< {plain(term.subject)} {plain(term.predicate)} {plain(term.object)} >>"
    return str(term.value)


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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(result.columns)
    writer.writerows([plain(term) for term in row] for row in result.rows)
    return out.getvalue()


def format_json(result: QueryResult) -> str:
    """The result in the SPARQL 1.1 Query Results JSON format (unbound values left out)."""
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(result.columns, row, strict=True)
            if term is not None
        }
        for row in result.rows
    ]
    document = {"head": {"vars": result.columns}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in parts}}
    return _json_literal(term)


def _json_literal(term: ox.Literal) -> dict[str, Any]:
    shown: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        shown["xml:lang"] = term.language
    elif term.datatype.value != _XSD + "string":
        shown["datatype"] = term.datatype.value
    return shown
