"""CSV tables of the graph for people who do not speak RDF, described by CSVW metadata.

Each table is one SPARQL SELECT in ``queries/tables/{table}.rq`` (a subfolder, so the tables are
not among the public named queries), whose header comments declare what the CSVW metadata says
(read by :func:`s3graph.sparql.load_tables`, see :mod:`s3graph.sparql.loading`). The query's
projection gives the columns, in order, and its ``ORDER BY`` runs over a full key, so every
export of one store writes the same bytes.

:func:`write_tables` runs every table over the union of the named graphs and streams its rows
into ``{table}.csv`` (``.csv.gz`` with ``gzip``): a header row of the column names, IRIs and
literals as plain text, an empty cell where a value is unbound. Then it writes
``csv-metadata.json``, the CSVW description (https://www.w3.org/TR/tabular-metadata/) of the files,
with sorted keys.

The header row holds the column ``name``s and the metadata gives no CSVW ``titles``: a validator
checks the header against the titles, and the names (snake case, the keys other tables refer to)
are what scripts select columns by, so they stay the header. The human caption of a column is
kept as its ``dc:title``, a common property the header check ignores.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from s3graph.errors import QueryError
from s3graph.export.files import open_text_output, output_path
from s3graph.rdf.namespaces import CSVW
from s3graph.sparql import Column, TableQuery, load_tables, plain, select
from s3graph.store import GraphStore

__all__ = [
    "CSVW_CONTEXT",
    "METADATA_FILE",
    "csvw_metadata",
    "table_file_name",
    "write_csv",
    "write_metadata",
    "write_tables",
]

#: Name of the CSVW metadata file written next to the tables.
METADATA_FILE = "csv-metadata.json"
#: JSON-LD context of CSVW metadata.
CSVW_CONTEXT = CSVW.rstrip("#")
#: Title of the group of tables in the metadata.
GROUP_TITLE = "s3graph tables"

#: Called after each table with its name and its number of data rows.
Progress = Callable[[str, int], None]



def table_file_name(table: TableQuery, *, gzip: bool) -> str:
    """The name of the table's CSV file."""
    return output_path(Path(f"{table.name}.csv"), gzip=gzip).name


# -- writing -----------------------------------------------------------------------------------


def write_tables(
    store: GraphStore, out: Path, *, gzip: bool = False, progress: Progress | None = None
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


def write_csv(store: GraphStore, table: TableQuery, path: Path, *, gzip: bool) -> int:
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


def _solutions(store: GraphStore, table: TableQuery) -> Iterator[list[str]]:
    """The rows of ``table`` as plain strings ('' for unbound), checked against its columns."""
    solutions = select(store, table.text, table.path, kind="table query")
    projected = tuple(variable.value for variable in solutions.variables)
    if projected != table.column_names:
        raise QueryError(
            f"{table.path}: the SELECT projects {', '.join(projected)} but the header declares "
            f"the columns {', '.join(table.column_names)}"
        )
    return ([plain(term) for term in solution] for solution in solutions)


# -- CSVW metadata -----------------------------------------------------------------------------


def csvw_metadata(tables: Sequence[TableQuery], *, gzip: bool) -> dict[str, Any]:
    """The CSVW table group describing the CSV files of ``tables``."""
    return {
        "@context": CSVW_CONTEXT,
        "dc:title": GROUP_TITLE,
        "tables": [_table_metadata(table, gzip=gzip) for table in tables],
    }


def _table_metadata(table: TableQuery, *, gzip: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"columns": [_column_metadata(c) for c in table.columns]}
    if table.primary_key:
        key = table.primary_key
        schema["primaryKey"] = key[0] if len(key) == 1 else list(key)
    return {
        "url": table_file_name(table, gzip=gzip),
        "dc:title": table.title,
        "dc:description": table.description,
        "tableSchema": schema,
    }


def _column_metadata(column: Column) -> dict[str, str]:
    return {
        "name": column.name,
        "dc:title": column.title,
        "datatype": column.datatype,
        "dc:description": column.description,
    }


def write_metadata(path: Path, tables: Sequence[TableQuery], *, gzip: bool) -> Path:
    """Write the CSVW metadata of ``tables`` to ``path`` (sorted keys, UTF-8, LF); returns it."""
    document = csvw_metadata(tables, gzip=gzip)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path
