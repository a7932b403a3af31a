"""Running the queries of ``queries/``: typed parameters bound, SELECT solutions checked.

Values are bound to the projected variable of the same name through pyoxigraph's
``substitutions``, never pasted into the query text; an optional parameter left out stays a free
variable. Anything with a ``query`` method runs them (:class:`Queryable`): the store, or the web
app's pooled reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin

import pyoxigraph as ox

from s3graph.errors import QueryError
from s3graph.rdf.namespaces import XSD
from s3graph.sparql import values
from s3graph.sparql.loading import NamedQuery, Parameter

if TYPE_CHECKING:
    from s3graph.store import Term

__all__ = [
    "QueryResult",
    "Queryable",
    "bind_parameters",
    "run_query",
    "select",
    "unmatched_notes",
]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Queryable(Protocol):
    """What runs a query: a :class:`~s3graph.store.Store`, or the web app's pooled reader."""

    def query(self, text: str, substitutions: Mapping[str, Term] | None = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The solutions of a SELECT: one row per solution, ``None`` where a column is unbound."""

    columns: list[str]
    rows: list[list[Term | None]]


def select(
    store: Queryable,
    text: str,
    path: Path,
    *,
    kind: str = "named query",
    substitutions: Mapping[str, Term] | None = None,
) -> ox.QuerySolutions:
    """The solutions of the SELECT ``text`` (read from ``path``), streamed from ``store``.

    ``kind`` names the query in the errors. Raises :class:`~s3graph.errors.QueryError` when the
    store rejects the query or it is no SELECT.
    """
    failed = "the query failed" if kind in ("named query", "query") else f"the {kind} failed"
    try:
        solutions = store.query(text, substitutions)
    except (SyntaxError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{path}: {failed}: {exc}") from exc
    if not isinstance(solutions, ox.QuerySolutions):
        if kind == "query":  # a user's own file
            raise QueryError(
                f"{path}: expected a SELECT query (s3graph query prints rows; ask ASK, "
                "CONSTRUCT and DESCRIBE queries at /sparql of s3graph serve)"
            )
        raise QueryError(f"{path}: a {kind} must be a SELECT query")
    return solutions


def run_query(
    store: Queryable, query: NamedQuery, params: Mapping[str, str], *, base: str
) -> QueryResult:
    """Run ``query`` on ``store`` with ``params`` bound as typed terms.

    Raises :class:`~s3graph.errors.QueryError` for an undeclared or missing required parameter,
    a value that is not of the declared type, or a query the store rejects.
    """
    substitutions = bind_parameters(query, params, base=base)
    kind = "named query" if query.declared else "query"
    solutions = select(store, query.text, query.path, kind=kind, substitutions=substitutions)
    columns = [v.value for v in solutions.variables]
    rows = [[solution[column] for column in columns] for solution in solutions]
    return QueryResult(columns=columns, rows=rows)


def bind_parameters(query: NamedQuery, params: Mapping[str, str], *, base: str) -> dict[str, Term]:
    """The typed term of each given parameter, checked against the query's declarations."""
    unknown = sorted(set(params) - {p.name for p in query.parameters})
    if unknown and not query.declared:
        raise QueryError(
            f"{query.path}: a query file takes -p values only when its header declares them "
            f"('# parameters:'); given {', '.join(unknown)}"
        )
    if unknown:
        declared = ", ".join(p.name for p in query.parameters) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)} (parameters: {declared})"
        )
    missing = [p.name for p in query.parameters if p.required and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs the parameter {', '.join(missing)}")
    return {
        p.name: _to_term(p, values.resolve(p, params[p.name], base), base=base)
        for p in query.parameters
        if p.name in params
    }


def unmatched_notes(
    store: Queryable, query: NamedQuery, params: Mapping[str, str], *, base: str
) -> list[str]:
    """One note for each given value that names nothing in the store, as a user reads it:
    ``no partnership "xyz" in the store``.

    For an answer that came back empty: it tells a typo from a true "none". A value names
    something when the store describes the resource it resolves to (the named query
    ``page-describe``, the description a resource's page shows); values that name no resource
    (a rule, a label) are not looked up.
    """
    from s3graph.sparql.loading import load_query

    describe = load_query("page-describe")
    notes = []
    for parameter in query.parameters:
        value = params.get(parameter.name)
        iri = values.resource_of(parameter, value, base) if value is not None else None
        if iri is None:
            continue
        resource = {"resource": _iri(iri, base, f"parameter {parameter.name!r}")}
        if next(iter(select(store, describe.text, describe.path, substitutions=resource)), None):
            continue
        notes.append(f'no {values.what(parameter)} "{value}" in the store')
    return notes


def _to_term(parameter: Parameter, value: str, *, base: str) -> Term:
    """The pyoxigraph term of a parameter value given as text."""
    what = f"parameter {parameter.name!r}"
    if parameter.type == "iri":
        return _iri(value, base, what)
    if parameter.type == "integer":
        if not _INTEGER.match(value.strip()):
            raise QueryError(f"{what}: expected an integer like 12, found {value!r}")
        return ox.Literal(str(int(value)), datatype=XSD.node("integer"))
    if parameter.type == "date":
        return ox.Literal(_date(value.strip(), what), datatype=XSD.node("date"))
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
