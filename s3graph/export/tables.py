"""CSV tables of the graph for people who do not speak RDF, described by CSVW metadata.

Each table is one SPARQL SELECT in ``queries/tables/{table}.rq`` (a subfolder, so the tables are
not among the public named queries of :mod:`s3graph.queries`). The query's projection gives the
columns, in order, and its ``ORDER BY`` runs over a full key, so every export of one store writes
the same bytes. The file opens with header comments that declare what the CSVW metadata says::

    # title: Memberships
    # description: Every region or organisation a report names as a member of its partnership.
    # primary key: membership
    # column: membership | anyURI | Membership | IRI of the membership.
    # column: line | integer | Line | Line of the report's text file (from 1).

``# column: name | datatype | title | description`` comes once per projected variable, in the
order of the SELECT; the datatype is one of :data:`DATATYPES` (CSVW built-in datatypes).
``# primary key:`` lists the key's columns, comma-separated (optional). A line ``#   more text``
(two spaces or more after ``#``) continues the field above it.

:func:`write_tables` runs every table over the union of the named graphs and streams its rows
into ``{table}.csv`` (``.csv.gz`` with ``gzip``): a header row of the column names, IRIs and
literals as plain text, an empty cell where a value is unbound. Then it writes
``csv-metadata.json``, the CSVW description (https://www.w3.org/TR/tabular-metadata/) of the files,
with sorted keys.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from s3graph.errors import QueryError
from s3graph.export.files import open_text_output, output_path
from s3graph.queries import header_comments, plain
from s3graph.resources import resource_dir
from s3graph.store import Store

__all__ = [
    "CSVW_CONTEXT",
    "DATATYPES",
    "METADATA_FILE",
    "Column",
    "Table",
    "csvw_metadata",
    "load_tables",
    "parse_table",
    "tables_dir",
    "write_tables",
]

#: The CSVW datatypes a column may declare.
DATATYPES: tuple[str, ...] = ("string", "anyURI", "date", "integer", "boolean")
#: Name of the CSVW metadata file written next to the tables.
METADATA_FILE = "csv-metadata.json"
#: JSON-LD context of CSVW metadata.
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
#: Title of the group of tables in the metadata.
GROUP_TITLE = "s3graph tables"

#: Called after each table with its name and its number of data rows.
Progress = Callable[[str, int], None]

_FIELDS = ("title", "description", "primary key", "column")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table: its CSV header name, CSVW datatype, title and description."""

    name: str
    datatype: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table: the SELECT query that fills it and what its header declares."""

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

    def file_name(self, *, gzip: bool) -> str:
        """The name of the table's CSV file."""
        return output_path(Path(f"{self.name}.csv"), gzip=gzip).name


# -- reading the table queries -----------------------------------------------------------------


def tables_dir() -> Path:
    """The folder of the table queries, ``queries/tables``."""
    return resource_dir("queries") / "tables"


def load_tables(folder: Path | None = None) -> list[Table]:
    """Every table of ``folder`` (default :func:`tables_dir`), sorted by name."""
    paths = sorted((folder or tables_dir()).glob("*.rq"), key=lambda p: p.stem)
    return [parse_table(path.read_text(encoding="utf-8"), path) for path in paths]


def parse_table(text: str, path: Path) -> Table:
    """The table declared by the header of the query ``text`` read from ``path``.

    Raises :class:`~s3graph.errors.QueryError` for a missing title, description or column, an
    unknown datatype, a column declared twice or a primary key naming an undeclared column.
    """
    fields = _header_fields(text, path)
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
    return Table(
        name=path.stem,
        title=fields["title"][0],
        description=fields["description"][0],
        columns=columns,
        primary_key=primary_key,
        text=text,
        path=path,
    )


def _header_fields(text: str, path: Path) -> dict[str, list[str]]:
    """The values of each ``# key: value`` comment before the SPARQL, continuations joined."""
    return header_comments(text, path, _FIELDS, repeatable=("column",))


def _column(value: str, path: Path) -> Column:
    """The column of a ``name | datatype | title | description`` header value."""
    parts = [part.strip() for part in value.split("|", 3)]
    if len(parts) != 4 or not all(parts):
        raise QueryError(
            f"{path}: expected '# column: name | datatype | title | description', found {value!r}"
        )
    name, datatype, title, description = parts
    if not _NAME.match(name):
        raise QueryError(f"{path}: column name {name!r} is not a SPARQL variable name")
    if datatype not in DATATYPES:
        raise QueryError(
            f"{path}: column {name!r} has datatype {datatype!r}; "
            f"expected one of {', '.join(DATATYPES)}"
        )
    return Column(name=name, datatype=datatype, title=title, description=description)


# -- writing -----------------------------------------------------------------------------------


def write_tables(
    store: Store, out: Path, *, gzip: bool = False, progress: Progress | None = None
) -> list[Path]:
    """Write every table as ``out/{table}.csv`` (``.csv.gz`` with ``gzip``), then the CSVW
    metadata ``out/csv-metadata.json``; returns the paths written, the metadata last.

    Rows are streamed from the store to the file, never all held in memory. ``progress`` is
    called with the table's name and its number of data rows after each table. Raises
    :class:`~s3graph.errors.QueryError` when a table query fails or its projection differs from
    its declared columns.
    """
    tables = load_tables()
    written: list[Path] = []
    for table in tables:
        path = out / f"{table.name}.csv"
        rows = write_csv(store, table, path, gzip=gzip)
        written.append(output_path(path, gzip=gzip))
        if progress is not None:
            progress(table.name, rows)
    written.append(write_metadata(out / METADATA_FILE, tables, gzip=gzip))
    return written


def write_csv(store: Store, table: Table, path: Path, *, gzip: bool) -> int:
    """Stream the rows of ``table`` into the CSV file ``path``; returns the number of rows."""
    solutions = _solutions(store, table)
    rows = 0
    with open_text_output(path, gzip=gzip) as stream:
        writer = csv.writer(stream)
        writer.writerow(table.column_names)
        for row in solutions:
            writer.writerow(row)
            rows += 1
    return rows


def _solutions(store: Store, table: Table) -> Iterator[list[str]]:
    """The rows of ``table`` as plain strings ('' for unbound), checked against its columns."""
    try:
        solutions = store.query(table.text)
    except (SyntaxError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{table.path}: the table query failed: {exc}") from exc
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"{table.path}: a table query must be a SELECT query")
    projected = tuple(variable.value for variable in solutions.variables)
    if projected != table.column_names:
        raise QueryError(
            f"{table.path}: the SELECT projects {', '.join(projected)} but the header declares "
            f"the columns {', '.join(table.column_names)}"
        )
    return ([plain(term) for term in solution] for solution in solutions)


# -- CSVW metadata -----------------------------------------------------------------------------


def csvw_metadata(tables: Sequence[Table], *, gzip: bool) -> dict[str, Any]:
    """The CSVW table group describing the CSV files of ``tables``."""
    return {
        "@context": CSVW_CONTEXT,
        "dc:title": GROUP_TITLE,
        "tables": [_table_metadata(table, gzip=gzip) for table in tables],
    }


def _table_metadata(table: Table, *, gzip: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"columns": [_column_metadata(c) for c in table.columns]}
    if table.primary_key:
        key = table.primary_key
        schema["primaryKey"] = key[0] if len(key) == 1 else list(key)
    return {
        "url": table.file_name(gzip=gzip),
        "dc:title": table.title,
        "dc:description": table.description,
        "tableSchema": schema,
    }


def _column_metadata(column: Column) -> dict[str, str]:
    return {
        "name": column.name,
        "titles": column.title,
        "datatype": column.datatype,
        "dc:description": column.description,
    }


def write_metadata(path: Path, tables: Sequence[Table], *, gzip: bool) -> Path:
    """Write the CSVW metadata of ``tables`` to ``path`` (sorted keys, UTF-8, LF); returns it."""
    document = csvw_metadata(tables, gzip=gzip)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path
