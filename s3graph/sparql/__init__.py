"""The SPARQL queries of ``queries/``: loading them (:mod:`.loading`), running them
(:mod:`.running`) and formatting their results (:mod:`.formatting`).

The package is not called ``queries`` because an installed wheel keeps the ``.rq`` files
themselves in ``s3graph/queries/`` (see :mod:`s3graph.resources`).
"""

from s3graph.sparql.formatting import format_csv, format_json, format_table, plain
from s3graph.sparql.loading import (
    DATATYPES,
    HEADER_FIELDS,
    PARAMETER_TYPES,
    Column,
    DescriptionQuery,
    NamedQuery,
    Parameter,
    ParameterType,
    TableQuery,
    header_comments,
    list_queries,
    load_description_query,
    load_query,
    load_tables,
    parse_description_query,
    parse_query,
    parse_table,
)
from s3graph.sparql.running import (
    Queryable,
    QueryResult,
    bind_parameters,
    run_query,
    select,
    unmatched_notes,
)

__all__ = [
    "DATATYPES",
    "HEADER_FIELDS",
    "PARAMETER_TYPES",
    "Column",
    "DescriptionQuery",
    "NamedQuery",
    "Parameter",
    "ParameterType",
    "QueryResult",
    "Queryable",
    "TableQuery",
    "bind_parameters",
    "format_csv",
    "format_json",
    "format_table",
    "header_comments",
    "list_queries",
    "load_description_query",
    "load_query",
    "load_tables",
    "parse_description_query",
    "parse_query",
    "parse_table",
    "plain",
    "run_query",
    "select",
    "unmatched_notes",
]
