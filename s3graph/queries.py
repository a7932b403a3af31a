"""Named SPARQL queries: the ``queries/*.rq`` files, their parameters, running and formatting.

Each ``.rq`` file opens with header comments::

    # title: Regions of a partnership
    # description: Every region that leads or takes part in the partnership.
    # columns: partnership, region, code, name, role, reports
    # parameters: partnership (iri, required) - the partnership, e.g. partnership/mining-industry

One ``# parameters:`` line per parameter (``# parameters: none`` when there is none); the type is
``iri``, ``string``, ``integer`` or ``date``, and a parameter is optional unless marked
``required``. A line ``#   more text`` continues the field above it. Values are bound to the
projected variable of the same name through pyoxigraph's ``substitutions``, never pasted into the
query text; an optional parameter left out stays a free variable.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, get_args
from urllib.parse import urljoin

import pyoxigraph as ox

from s3graph.errors import QueryError
from s3graph.resources import resource_dir

if TYPE_CHECKING:
    from s3graph.store import Term

ParameterType = Literal["iri", "string", "integer", "date"]
PARAMETER_TYPES: tuple[str, ...] = get_args(ParameterType)
HEADER_FIELDS: tuple[str, ...] = ("title", "description", "columns", "parameters")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_FIELD = re.compile(r"#\s*(?P<key>[a-z][a-z ]*?)\s*:\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)$")
_PARAMETER = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"\(\s*(?P<type>[a-z]+)\s*(?:,\s*(?P<flag>required|optional)\s*)?\)"
    r"\s*(?:-\s*(?P<description>.*))?$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Queryable(Protocol):
    """What runs a query: a :class:`~s3graph.store.Store`, or the web app's pooled reader."""

    def query(self, text: str, substitutions: Mapping[str, Term] | None = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class Parameter:
    """A value a named query takes, bound to the projected variable ``?name``."""

    name: str
    type: ParameterType
    description: str
    required: bool


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A SELECT query read from a ``.rq`` file, with what its header declares."""

    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def parameter(self, name: str) -> Parameter | None:
        """The declared parameter called ``name``, if any."""
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The solutions of a SELECT: one row per solution, ``None`` where a column is unbound."""

    columns: list[str]
    rows: list[list[Term | None]]


# -- finding and loading -----------------------------------------------------------------------


def list_queries() -> list[NamedQuery]:
    """Every named query shipped with s3graph, sorted by name."""
    return [_read(path) for path in _query_files()]


def load_query(name_or_path: str) -> NamedQuery:
    """The named query ``name_or_path`` (``partnerships``) or the one in a ``.rq`` file.

    Raises :class:`~s3graph.errors.QueryError` for an unknown name (listing the known ones), a
    missing file, or a file whose header or SPARQL is malformed.
    """
    if name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return _read(path)
    path = resource_dir("queries") / f"{name_or_path}.rq"
    if not path.is_file():
        known = ", ".join(p.stem for p in _query_files())
        raise QueryError(f"unknown query {name_or_path!r}: expected one of {known}, or a FILE.rq")
    return _read(path)


def _query_files() -> list[Path]:
    return sorted(resource_dir("queries").glob("*.rq"), key=lambda p: p.stem)


def _read(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query ({exc})") from exc
    return parse_query(text, path)


def parse_query(text: str, path: Path) -> NamedQuery:
    """Read the header of a ``.rq`` text and check its SPARQL against the header."""
    fields = _header_fields(text, path)
    missing = [key for key in HEADER_FIELDS if not fields.get(key)]
    if missing:
        raise QueryError(
            f"{path}: expected header comments {', '.join(f'# {k}:' for k in missing)} "
            "at the top of the query"
        )
    columns = tuple(c.strip() for c in fields["columns"].split(",") if c.strip())
    parameters = _parameters(fields["parameters"], path)
    _check_sparql(text, path, columns, parameters)
    return NamedQuery(
        name=path.stem,
        title=fields["title"],
        description=fields["description"],
        columns=columns,
        parameters=parameters,
        text=text,
        path=path,
    )


def header_comments(
    text: str, path: Path, keys: Collection[str], *, repeatable: Collection[str] = ()
) -> dict[str, list[str]]:
    """The ``# key: value`` comments of ``keys`` before the first line of SPARQL.

    A line ``#   more`` (two spaces or more after ``#``) continues the value above it. A key of
    ``repeatable`` may come several times (a value each); any other raises :class:`QueryError`
    when given twice. Shared by the named queries and the export's table queries.
    """
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        field, continuation = _FIELD.match(line), _CONTINUATION.match(line)
        if field and field["key"] in keys:
            last = field["key"]
            values = fields.setdefault(last, [])
            if values and last not in repeatable:
                raise QueryError(f"{path}: header field '# {last}:' given twice")
            values.append(field["value"].strip())
        elif continuation and last is not None:
            fields[last][-1] = f"{fields[last][-1]} {continuation['value'].strip()}"
    return fields


def _header_fields(text: str, path: Path) -> dict[str, str]:
    """The header of a named query; the ``parameters`` lines joined by newlines."""
    fields = header_comments(text, path, HEADER_FIELDS, repeatable=("parameters",))
    return {key: "\n".join(values) for key, values in fields.items()}


def _parameters(value: str, path: Path) -> tuple[Parameter, ...]:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if lines == ["none"]:
        return ()
    parameters = tuple(_parameter(line, path) for line in lines)
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise QueryError(f"{path}: a parameter is declared twice in {names}")
    return parameters


def _parameter(line: str, path: Path) -> Parameter:
    match = _PARAMETER.match(line)
    if match is None or match["type"] not in PARAMETER_TYPES:
        raise QueryError(
            f'{path}: expected a parameter like "name (iri, required) - what it is" '
            f"with a type among {', '.join(PARAMETER_TYPES)}, or none, found {line!r}"
        )
    return Parameter(
        name=match["name"],
        type=cast(ParameterType, match["type"]),
        description=(match["description"] or "").strip(),
        required=match["flag"] == "required",
    )


def _check_sparql(
    text: str, path: Path, columns: tuple[str, ...], parameters: tuple[Parameter, ...]
) -> None:
    """Parse the query (by running it on an empty in-memory store) and compare its projection."""
    try:
        result = ox.Store().query(text)
    except SyntaxError as exc:
        raise QueryError(f"{path}: SPARQL syntax error: {exc}") from exc
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{path}: a named query must be a SELECT query")
    projected = tuple(v.value for v in result.variables)
    if projected != columns:
        raise QueryError(
            f"{path}: '# columns: {', '.join(columns)}' does not match the SELECT projection "
            f"{', '.join(projected)}"
        )
    for parameter in parameters:
        if parameter.name not in projected:
            raise QueryError(
                f"{path}: parameter {parameter.name!r} must be a projected variable of the SELECT"
            )


# -- running -----------------------------------------------------------------------------------


def run_query(
    store: Queryable, query: NamedQuery, params: Mapping[str, str], *, base: str
) -> QueryResult:
    """Run ``query`` on ``store`` with ``params`` bound as typed terms.

    Raises :class:`~s3graph.errors.QueryError` for an undeclared or missing required parameter,
    a value that is not of the declared type, or a query the store rejects.
    """
    substitutions = bind_parameters(query, params, base=base)
    try:
        solutions = store.query(query.text, substitutions)
    except (SyntaxError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{query.path}: the query failed: {exc}") from exc
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"{query.path}: a named query must be a SELECT query")
    columns = [v.value for v in solutions.variables]
    rows = [[solution[column] for column in columns] for solution in solutions]
    return QueryResult(columns=columns, rows=rows)


def bind_parameters(query: NamedQuery, params: Mapping[str, str], *, base: str) -> dict[str, Term]:
    """The typed term of each given parameter, checked against the query's declarations."""
    unknown = sorted(set(params) - {p.name for p in query.parameters})
    if unknown:
        declared = ", ".join(p.name for p in query.parameters) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)} (parameters: {declared})"
        )
    missing = [p.name for p in query.parameters if p.required and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs the parameter {', '.join(missing)}")
    return {
        p.name: _to_term(p, params[p.name], base=base) for p in query.parameters if p.name in params
    }


def _to_term(parameter: Parameter, value: str, *, base: str) -> Term:
    """The pyoxigraph term of a parameter value given as text."""
    what = f"parameter {parameter.name!r}"
    if parameter.type == "iri":
        return _iri(value, base, what)
    if parameter.type == "integer":
        if not _INTEGER.match(value.strip()):
            raise QueryError(f"{what}: expected an integer like 12, found {value!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
    if parameter.type == "date":
        return ox.Literal(_date(value.strip(), what), datatype=ox.NamedNode(_XSD + "date"))
    return ox.Literal(value)


def _iri(value: str, base: str, what: str) -> ox.NamedNode:
    """An absolute IRI as given; anything else resolved against ``base``."""
    absolute = value if _SCHEME.match(value) else urljoin(base, value)
    try:
        return ox.NamedNode(absolute)
    except ValueError as exc:
        raise QueryError(
            f"{what}: expected an IRI, or a path like partnership/mining-industry, "
            f"found {value!r} ({exc})"
        ) from exc


def _date(value: str, what: str) -> str:
    try:
        if _DATE.match(value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise QueryError(f"{what}: expected a date like 2020-06-30, found {value!r}")


# -- formatting --------------------------------------------------------------------------------


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
