"""SPARQL SELECT results written as they stream: one writer per format.

A writer is made per response and called as ``head(variables)``, ``row(values)`` once per
solution, then ``tail()``; each call returns the text to send next, so rows never wait for the
whole result (:func:`write` chains the calls). A row is the values of the variables in order,
``None`` where one is unbound: a pyoxigraph ``QuerySolution`` is one as it is.

* :class:`JsonWriter`: SPARQL 1.1 Query Results JSON, compact (``/sparql``: each term's JSON is
  made once per response, since rows repeat terms) or indented as ``json.dumps(indent=2)``
  (the command line and ``/api/queries``);
* :class:`XmlWriter`: SPARQL Query Results XML;
* :class:`CsvWriter`: SPARQL 1.1 CSV (plain values, CRLF line ends);
* :class:`TsvWriter`: SPARQL 1.1 TSV (terms in Turtle syntax, numbers and booleans bare);
* :class:`HtmlTableWriter`: an HTML ``<table>``, IRIs as links.

The command line's aligned text table needs every row before its first line and stays with the
query formatting (:mod:`s3graph.sparql.formatting`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from html import escape as _html
from json.encoder import encode_basestring as _json_string
from typing import Any, Protocol

import pyoxigraph as ox

from s3graph.rdf.graphs import Term
from s3graph.rdf.namespaces import XSD

__all__ = [
    "CsvWriter",
    "HtmlTableWriter",
    "JsonWriter",
    "ResultsWriter",
    "Row",
    "Term",
    "TsvWriter",
    "XmlWriter",
    "plain",
    "tsv_term",
    "write",
    "writer_for",
]

#: The values of one solution, in the order of the variables (``None``: unbound).
Row = Iterable[Term | None]

_XSD_STRING = XSD.iri("string")


class ResultsWriter(Protocol):
    """Writes one SELECT result: ``head``, then ``row`` per solution, then ``tail``."""

    media_type: str

    def head(self, variables: Sequence[str]) -> str: ...

    def row(self, values: Row) -> str: ...

    def tail(self) -> str: ...


def write(writer: ResultsWriter, variables: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    """The text of ``rows`` under ``variables``, piece by piece, as ``writer`` writes it."""
    yield writer.head(variables)
    for values in rows:
        yield writer.row(values)
    yield writer.tail()


def writer_for(media_type: str) -> ResultsWriter:
    """A fresh writer of ``media_type`` (one of ``s3graph.rdf.formats.RESULT_TYPES``, or HTML).

    Raises :class:`KeyError` for a type no writer writes.
    """
    return _WRITERS[media_type]()


def plain(term: Term | None) -> str:
    """The plain value of a term: the IRI, the lexical form, ``_:id``, or '' when unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<< {plain(term.subject)} {plain(term.predicate)} {plain(term.object)} >>"
    return str(term.value)


# -- JSON --------------------------------------------------------------------------------------


class JsonWriter:
    """SPARQL 1.1 Query Results JSON, unbound values left out.

    Compact by default; ``indent=True`` gives what ``json.dumps(document, indent=2,
    ensure_ascii=False)`` gives, plus a final newline. ``members`` are more top-level members,
    as raw ``"name":value`` JSON, written by :meth:`tail` (``/sparql`` says a cut there).
    """

    media_type = "application/sparql-results+json"

    def __init__(self, *, indent: bool = False) -> None:
        self.indent = indent
        self.members: list[str] = []
        self._keys: list[str] = []
        self._variables: Sequence[str] = ()
        self._terms: dict[Any, str] = {}  # term -> its compact JSON: rows repeat terms
        self._objects: dict[Any, dict[str, Any]] = {}
        self._rows = 0

    def head(self, variables: Sequence[str]) -> str:
        self._variables = list(variables)
        if self.indent:
            names = ",".join(f"\n      {_json_string(name)}" for name in variables)
            names = f"[{names}\n    ]" if names else "[]"
            return (
                f'{{\n  "head": {{\n    "vars": {names}\n  }},\n'
                '  "results": {\n    "bindings": ['
            )
        self._keys = [_json_string(name) + ":" for name in variables]
        names = ",".join(_json_string(name) for name in variables)
        return f'{{"head":{{"vars":[{names}]}},"results":{{"bindings":['

    def row(self, values: Row) -> str:
        self._rows += 1
        if self.indent:
            return self._indented_row(values)
        written = self._terms
        members = []
        for key, value in zip(self._keys, values, strict=True):
            if value is not None:
                term = written.get(value)
                if term is None:
                    term = written[value] = _json_term(value)
                members.append(key + term)
        comma = "," if self._rows > 1 else ""
        return comma + "{" + ",".join(members) + "}"

    def _indented_row(self, values: Row) -> str:
        objects = self._objects
        shown: dict[str, Any] = {}
        for name, value in zip(self._variables, values, strict=True):
            if value is not None:
                term = objects.get(value)
                if term is None:
                    term = objects[value] = json.loads(_json_term(value))
                shown[name] = term
        text = json.dumps(shown, indent=2, ensure_ascii=False).replace("\n", "\n      ")
        return ("," if self._rows > 1 else "") + "\n      " + text

    def tail(self) -> str:
        if self.indent:
            close = "\n    ]" if self._rows else "]"
            extra = "".join(f",\n  {member}" for member in self.members)
            return f"{close}\n  }}{extra}\n}}\n"
        return "]}" + "".join("," + member for member in self.members) + "}"


def _json_term(term: Term) -> str:
    """The SPARQL JSON results object of ``term``, written compactly (as ``json.dumps`` would)."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.Literal):
        value = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return value + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype != _XSD_STRING:
            return value + ',"datatype":' + _json_string(datatype) + "}"
        return value + "}"
    subject, predicate, object_ = (
        _json_term(t) for t in (term.subject, term.predicate, term.object)
    )
    return (
        f'{{"type":"triple","value":{{"subject":{subject},"predicate":{predicate},'
        f'"object":{object_}}}}}'
    )


# -- XML ---------------------------------------------------------------------------------------

#: Characters XML 1.0 cannot carry at all, not even as references: left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;"}
)
_SPACE = " \t\n\r"


def _xml_text(text: str) -> str:
    """``text`` escaped for XML, whitespace at either end (some readers trim it) as references."""
    text = _NOT_XML.sub("", text)
    inner = text.strip(_SPACE)
    if len(inner) == len(text):
        return text.translate(_XML_ESCAPES)
    start = len(text) - len(text.lstrip(_SPACE))
    end = start + len(inner)
    return _references(text[:start]) + inner.translate(_XML_ESCAPES) + _references(text[end:])


def _references(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


class XmlWriter:
    """SPARQL Query Results XML, on one line (as pyoxigraph writes it)."""

    media_type = "application/sparql-results+xml"

    def __init__(self) -> None:
        self._names: list[str] = []
        self._terms: dict[Any, str] = {}

    def head(self, variables: Sequence[str]) -> str:
        self._names = [f'<binding name="{_xml_text(name)}">' for name in variables]
        declared = "".join(f'<variable name="{_xml_text(name)}"/>' for name in variables)
        return (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{declared}</head><results>"
        )

    def row(self, values: Row) -> str:
        written = self._terms
        parts = ["<result>"]
        for name, value in zip(self._names, values, strict=True):
            if value is not None:
                term = written.get(value)
                if term is None:
                    term = written[value] = _xml_term(value)
                parts.append(f"{name}{term}</binding>")
        parts.append("</result>")
        return "".join(parts)

    def tail(self) -> str:
        return "</results></sparql>"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f' xml:lang="{_xml_text(term.language)}"'
        elif term.datatype.value != _XSD_STRING:
            attribute = f' datatype="{_xml_text(term.datatype.value)}"'
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


# -- CSV and TSV -------------------------------------------------------------------------------

_CSV_SPECIAL = re.compile(r'[",\r\n]')


def _csv_field(text: str) -> str:
    if _CSV_SPECIAL.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvWriter:
    """SPARQL 1.1 CSV results: plain values, quoted when they hold ``"``, ``,``, CR or LF.

    ``lone_empty_quoted`` writes a row of one empty value as ``""`` (as Python's ``csv`` module
    does, which the command line and ``/api/queries`` have always written) instead of an empty
    line.
    """

    media_type = "text/csv"

    def __init__(self, *, lone_empty_quoted: bool = False) -> None:
        self.lone_empty_quoted = lone_empty_quoted

    def head(self, variables: Sequence[str]) -> str:
        return self._line(list(variables))

    def row(self, values: Row) -> str:
        return self._line([plain(value) for value in values])

    def _line(self, fields: list[str]) -> str:
        if self.lone_empty_quoted and fields == [""]:
            return '""\r\n'
        return ",".join(_csv_field(field) for field in fields) + "\r\n"

    def tail(self) -> str:
        return ""


#: Literals TSV writes bare (as Turtle may): lexical forms of these types in Turtle's syntax.
_BARE = {
    XSD.iri("integer"): re.compile(r"[+-]?[0-9]+"),
    XSD.iri("decimal"): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.iri("double"): re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD.iri("boolean"): re.compile(r"true|false"),
}


def tsv_term(term: Term | None) -> str:
    """A term as SPARQL 1.1 TSV writes it: Turtle syntax, numbers and booleans bare."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        bare = _BARE.get(term.datatype.value)
        if bare is not None and bare.fullmatch(term.value):
            return term.value
    if isinstance(term, ox.Triple):
        parts = (tsv_term(term.subject), tsv_term(term.predicate), tsv_term(term.object))
        return f"<<( {' '.join(parts)} )>>"
    return str(term)


class TsvWriter:
    """SPARQL 1.1 TSV results: ``?name`` headers, terms in Turtle syntax, LF line ends."""

    media_type = "text/tab-separated-values"

    def __init__(self) -> None:
        self._terms: dict[Any, str] = {}

    def head(self, variables: Sequence[str]) -> str:
        return "\t".join(f"?{name}" for name in variables) + "\n"

    def row(self, values: Row) -> str:
        written = self._terms
        fields = []
        for value in values:
            if value is None:
                fields.append("")
                continue
            field = written.get(value)
            if field is None:
                field = written[value] = tsv_term(value)
            fields.append(field)
        return "\t".join(fields) + "\n"

    def tail(self) -> str:
        return ""


# -- HTML --------------------------------------------------------------------------------------


class HtmlTableWriter:
    """An HTML ``<table>`` of the results: a header row, one row per solution, IRIs as links."""

    media_type = "text/html"

    def head(self, variables: Sequence[str]) -> str:
        cells = "".join(f'<th scope="col">{_html(name)}</th>' for name in variables)
        return f'<table class="results">\n<thead><tr>{cells}</tr></thead>\n<tbody>\n'

    def row(self, values: Row) -> str:
        return "<tr>" + "".join(f"<td>{_html_cell(value)}</td>" for value in values) + "</tr>\n"

    def tail(self) -> str:
        return "</tbody>\n</table>\n"


def _html_cell(term: Term | None) -> str:
    if isinstance(term, ox.NamedNode):
        return f'<a href="{_html(term.value)}">{_html(term.value)}</a>'
    if isinstance(term, ox.Literal) and term.language:
        return f'<span lang="{_html(term.language)}">{_html(term.value)}</span>'
    return _html(plain(term))


_WRITERS: dict[str, Callable[[], ResultsWriter]] = {
    writer.media_type: writer
    for writer in (JsonWriter, XmlWriter, CsvWriter, TsvWriter, HtmlTableWriter)
}
