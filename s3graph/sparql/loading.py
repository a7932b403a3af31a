"""Reading the ``.rq`` files of ``queries/``: one loader, one typed header per kind of query.

Every query file opens with ``#`` comments before its SPARQL. What they say depends on the kind,
which the folder tells:

- a **named query** (``queries/*.rq``, :class:`NamedQuery`), public through ``s3graph query`` and
  ``/api/queries``::

      # title: Regions of a partnership
      # description: Every region that leads or takes part in the partnership.
      # columns: partnership, region, code, name, role, reports
      # parameters: partnership (iri, required) - the partnership, e.g. partnership/mining-industry

  One ``# parameters:`` line per parameter (``# parameters: none`` when there is none); the type
  is ``iri``, ``string``, ``integer`` or ``date``, and a parameter is optional unless marked
  ``required``. A parameter called ``partnership`` (iri), ``region`` (iri) or ``code`` (string)
  takes the spellings users type (a slug or name, a code in any case: :mod:`.values`).
  A user's own ``.rq`` file needs no header (:func:`parse_user_query`).
- an **export table** (``queries/tables/*.rq``, :class:`TableQuery`), one CSV file of
  ``s3graph export`` described by CSVW metadata (see ``queries/tables/README.md``)::

      # title: Memberships
      # description: Every region or organisation a report names as a member of its partnership.
      # primary key: membership
      # column: membership | anyURI | Membership | IRI of the membership.

  ``# column: name | datatype | title | description`` once per projected variable, in the order
  of the SELECT; the datatype is one of :data:`DATATYPES` (CSVW built-in datatypes).
- an **export description query** (``queries/dumps/*.rq``, :class:`DescriptionQuery`), what the
  DCAT description of an export measures: its opening comment is free prose.

In the keyed headers a line ``#   more text`` (two spaces or more after ``#``) continues the
field above it. A file that cannot be read, or whose header is malformed, raises
:class:`~s3graph.errors.QueryError` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar, cast, get_args

import pyoxigraph as ox

from s3graph.errors import QueryError
from s3graph.resources import resource_dir

__all__ = [
    "DATATYPES",
    "HEADER_FIELDS",
    "PARAMETER_TYPES",
    "Column",
    "DescriptionQuery",
    "NamedQuery",
    "Parameter",
    "ParameterType",
    "TableQuery",
    "description_queries_dir",
    "header_comments",
    "list_queries",
    "load_description_query",
    "load_query",
    "load_tables",
    "parse_description_query",
    "parse_query",
    "parse_table",
    "parse_user_query",
    "tables_dir",
]

ParameterType = Literal["iri", "string", "integer", "date"]
PARAMETER_TYPES: tuple[str, ...] = get_args(ParameterType)
#: The header fields of a named query, each required.
HEADER_FIELDS: tuple[str, ...] = ("title", "description", "columns", "parameters")
#: The CSVW datatypes a column of an export table may declare.
DATATYPES: tuple[str, ...] = ("string", "anyURI", "date", "integer", "boolean")

_TABLE_FIELDS = ("title", "description", "primary key", "column")
_FIELD = re.compile(r"#\s*(?P<key>[a-z][a-z ]*?)\s*:\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)$")
_PARAMETER = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"\(\s*(?P<type>[a-z]+)\s*(?:,\s*(?P<flag>required|optional)\s*)?\)"
    r"\s*(?:-\s*(?P<description>.*))?$"
)
_VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


# -- the kinds of query ------------------------------------------------------------------------


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
    #: Whether a header declares the query (ours do); a user's own file run as it is has none.
    declared: bool = True

    def parameter(self, name: str) -> Parameter | None:
        """The declared parameter called ``name``, if any."""
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an export table: its CSV header name, CSVW datatype, title and description."""

    name: str
    datatype: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class TableQuery:
    """An export table: the SELECT query that fills it and what its header declares."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    text: str
    path: Path

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order (the header row)."""
        return tuple(column.name for column in self.columns)


@dataclass(frozen=True, slots=True)
class DescriptionQuery:
    """A query the export's description runs; its header is the prose of its opening comment."""

    name: str
    description: str
    text: str
    path: Path


# -- where they are, and reading them ----------------------------------------------------------

_Query = TypeVar("_Query")


def tables_dir() -> Path:
    """The folder of the export tables, ``queries/tables``."""
    return resource_dir("queries") / "tables"


def description_queries_dir() -> Path:
    """The folder of the export description's queries, ``queries/dumps``."""
    return resource_dir("queries") / "dumps"


def _files(folder: Path) -> list[Path]:
    """The ``.rq`` files of ``folder`` (not of its subfolders), sorted by name."""
    return sorted(folder.glob("*.rq"), key=lambda p: p.stem)


def _read(path: Path, parse: Callable[[str, Path], _Query]) -> _Query:
    """The query of the file ``path``, its header read by ``parse``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query ({exc})") from exc
    return parse(text, path)


def list_queries() -> list[NamedQuery]:
    """Every named query shipped with s3graph, sorted by name."""
    return [_read(path, parse_query) for path in _files(resource_dir("queries"))]


def load_query(name_or_path: str) -> NamedQuery:
    """The named query ``name_or_path`` (``partnerships``) or the one in a ``.rq`` file.

    A file is read as :func:`parse_user_query` reads it: as it is, unless its header declares
    parameters. Raises :class:`~s3graph.errors.QueryError` for an unknown name (listing the
    known ones), a missing file, or a file whose header or SPARQL is malformed.
    """
    if name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return _read(path, parse_user_query)
    folder = resource_dir("queries")
    path = folder / f"{name_or_path}.rq"
    if not path.is_file():
        known = ", ".join(p.stem for p in _files(folder))
        raise QueryError(f"unknown query {name_or_path!r}: expected one of {known}, or a FILE.rq")
    return _read(path, parse_query)


def load_tables(folder: Path | None = None) -> list[TableQuery]:
    """Every export table of ``folder`` (default :func:`tables_dir`), sorted by name."""
    return [_read(path, parse_table) for path in _files(folder or tables_dir())]


def load_description_query(name: str) -> DescriptionQuery:
    """The export description's query ``queries/dumps/{name}.rq``."""
    return _read(description_queries_dir() / f"{name}.rq", parse_description_query)


# -- headers -----------------------------------------------------------------------------------


def header_comments(
    text: str, path: Path, keys: Collection[str], *, repeatable: Collection[str] = ()
) -> dict[str, list[str]]:
    """The ``# key: value`` comments of ``keys`` before the first line of SPARQL.

    A line ``#   more`` (two spaces or more after ``#``) continues the value above it. A key of
    ``repeatable`` may come several times (a value each); any other raises :class:`QueryError`
    when given twice.
    """
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for line in _header_lines(text):
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


def _header_lines(text: str) -> list[str]:
    """The comment lines before the first line of SPARQL, stripped (blank lines left out)."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


# -- named queries -----------------------------------------------------------------------------


def parse_query(text: str, path: Path) -> NamedQuery:
    """Read the header of a ``.rq`` text and check its SPARQL against the header."""
    fields = {
        key: "\n".join(values)
        for key, values in header_comments(
            text, path, HEADER_FIELDS, repeatable=("parameters",)
        ).items()
    }
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


def parse_user_query(text: str, path: Path) -> NamedQuery:
    """A user's own query file: run as it is, with no header needed.

    Only our named queries need ``# title:`` ... ``# parameters:``: a file that declares
    ``# parameters:`` is read as one of them (every field then required, so that ``-p`` values
    are checked and typed); any other file is its SPARQL alone, without parameters, its
    columns those of its SELECT.
    """
    if header_comments(text, path, ("parameters",), repeatable=("parameters",)):
        return parse_query(text, path)
    return NamedQuery(
        name=path.stem,
        title=path.stem,
        description="",
        columns=(),
        parameters=(),
        text=text,
        path=path,
        declared=False,
    )


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


# -- export tables -----------------------------------------------------------------------------


def parse_table(text: str, path: Path) -> TableQuery:
    """The export table declared by the header of the query ``text`` read from ``path``.

    Raises :class:`~s3graph.errors.QueryError` for a missing title, description or column, an
    unknown datatype, a column declared twice or a primary key naming an undeclared column.
    """
    fields = header_comments(text, path, _TABLE_FIELDS, repeatable=("column",))
    for key in ("title", "description", "column"):
        if not fields.get(key):
            raise QueryError(f"{path}: expected a header comment '# {key}:' at the top")
    columns = tuple(_column(value, path) for value in fields["column"])
    names = [column.name for column in columns]
    if len(set(names)) != len(names):
        raise QueryError(f"{path}: a column is declared twice in {', '.join(names)}")
    primary_key = tuple(
        n.strip() for n in fields.get("primary key", [""])[0].split(",") if n.strip()
    )
    unknown = [n for n in primary_key if n not in names]
    if unknown:
        raise QueryError(f"{path}: primary key column {', '.join(unknown)} is not a column")
    return TableQuery(
        name=path.stem,
        title=fields["title"][0],
        description=fields["description"][0],
        columns=columns,
        primary_key=primary_key,
        text=text,
        path=path,
    )


def _column(value: str, path: Path) -> Column:
    """The column of a ``name | datatype | title | description`` header value."""
    parts = [part.strip() for part in value.split("|", 3)]
    if len(parts) != 4 or not all(parts):
        raise QueryError(
            f"{path}: expected '# column: name | datatype | title | description', found {value!r}"
        )
    name, datatype, title, description = parts
    if not _VARIABLE.match(name):
        raise QueryError(f"{path}: column name {name!r} is not a SPARQL variable name")
    if datatype not in DATATYPES:
        raise QueryError(
            f"{path}: column {name!r} has datatype {datatype!r}; "
            f"expected one of {', '.join(DATATYPES)}"
        )
    return Column(name=name, datatype=datatype, title=title, description=description)


# -- export description queries ----------------------------------------------------------------


def parse_description_query(text: str, path: Path) -> DescriptionQuery:
    """The description query of ``text``: its opening comment, joined into one paragraph.

    Raises :class:`~s3graph.errors.QueryError` when the file opens without a comment saying
    what it measures.
    """
    prose = " ".join(
        words for line in _header_lines(text) if (words := line.lstrip("#").strip())
    )
    if not prose:
        raise QueryError(f"{path}: expected a comment saying what the query measures at the top")
    return DescriptionQuery(name=path.stem, description=prose, text=text, path=path)
