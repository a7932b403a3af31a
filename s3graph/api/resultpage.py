"""The HTML view of a query result, shared by ``/api/queries/NAME``, ``/sparql`` and ``/query``.

A browser (``Accept: text/html``, or ``format=html``) gets the result as a table people read
(:mod:`s3graph.api.resultview`) in ``results.html``: the labels of the page's IRIs come from one
more query (the named query ``page-labels``), the words of ``s3g:`` terms from the vocabulary.
The page also links the same result as CSV and JSON and says its own shareable URL; an error is
shown in the page, with the status the API would answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Request, Response

from s3graph.api.reader import PooledReader, pooled_reader
from s3graph.api.resultview import (
    Namer,
    ResultView,
    best_labels,
    error_place,
    iris_of,
    labels_query,
    result_view,
)
from s3graph.errors import QueryError
from s3graph.querypool import QueryStopped
from s3graph.rdf.graphs import Term
from s3graph.rdf.results import plain
from s3graph.sparql import NamedQuery, Parameter, load_query, run_query

__all__ = [
    "Field",
    "Link",
    "failure",
    "fields_of",
    "format_links",
    "labels_for",
    "page",
    "suggestions",
    "view_of",
]

#: The ``render`` of :mod:`s3graph.api.pages` (passed in: the pages module imports this one).
Render = Callable[..., Response]

_INPUTS = {"iri": "text", "string": "text", "integer": "number", "date": "date"}


@dataclass(frozen=True, slots=True)
class Link:
    """The same result in another format."""

    label: str
    href: str
    media_type: str
    #: The file name a browser saves it under.
    download: str


@dataclass(frozen=True, slots=True)
class Field:
    """One parameter of a named query as a form field, prefilled with the current value."""

    name: str
    type: str
    input: str
    value: str
    required: bool
    description: str
    #: Values to suggest, each (what the field takes, what a reader knows it by).
    options: tuple[tuple[str, str], ...] = ()


def fields_of(
    parameters: Sequence[Parameter],
    values: Mapping[str, str],
    options: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> list[Field]:
    """The form fields of a named query's declared parameters."""
    options = options or {}
    return [
        Field(
            p.name,
            p.type,
            _INPUTS[p.type],
            values.get(p.name, ""),
            p.required,
            p.description,
            tuple(options.get(p.name, ())),
        )
        for p in parameters
    ]


#: The index query whose rows a parameter's suggestions come from: (query, column of the value
#: the parameter takes, column of the name a reader knows).
_SUGGESTED = {
    "partnership": ("partnerships", "partnership", "label"),
    "region": ("page-index-regions", "code", "title"),
    "code": ("page-index-regions", "code", "title"),
}


def suggestions(
    reader: PooledReader, parameters: Sequence[Parameter], base: str
) -> dict[str, list[tuple[str, str]]]:
    """For a ``partnership``, ``region`` or ``code`` parameter, the values the store holds.

    A partnership is suggested by its slug, a region by its NUTS code (each as the parameter
    takes it). Left out when the query is stopped: the field then takes typed values alone.
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for parameter in parameters:
        if parameter.name not in _SUGGESTED:
            continue
        name, value_column, label_column = _SUGGESTED[parameter.name]
        try:
            result = run_query(reader, load_query(name), {}, base=base)
        except (QueryStopped, QueryError):
            continue
        value_at, label_at = result.columns.index(value_column), result.columns.index(label_column)
        pairs = {
            _slug(plain(row[value_at]), base): _known_as(plain(row[label_at]), plain(row[value_at]))
            for row in result.rows
            if row[value_at] is not None
        }
        found[parameter.name] = sorted(pairs.items(), key=lambda pair: pair[1].casefold())
    return found


def _known_as(label: str, value: str) -> str:
    """How a suggestion reads: a region by its name and code ("Lappi (FI1D7)")."""
    if not label or value.startswith(("http://", "https://")):
        return label or value
    return label if value in label else f"{label} ({value})"


def _slug(value: str, base: str) -> str:
    """A partnership IRI as the slug the parameter takes; any other value as it is."""
    prefix = base + "partnership/"
    return value[len(prefix) :] if value.startswith(prefix) else value


def format_links(path: str, params: Mapping[str, str], name: str = "results") -> list[Link]:
    """Links to ``path`` with ``params`` and ``format=csv`` / ``format=json``."""
    return [
        Link(label, f"{path}?{urlencode({**params, 'format': fmt})}", media, f"{name}.{fmt}")
        for label, fmt, media in (
            ("CSV", "csv", "text/csv"),
            ("JSON", "json", "application/sparql-results+json"),
        )
    ]


@functools.cache
def _vocabulary_labels() -> dict[str, str]:
    """The label of every ``s3g:`` term (ratings, roles, classes): the ontology is not in the
    store, so a rating reads "Neutral" rather than ``s3g:neutral``."""
    # Imported here: the vocabulary module imports the pages, which import this module.
    from s3graph.api.vocabulary import vocabulary

    labels: dict[str, str] = {}
    for section in vocabulary().sections:
        for term in section.terms:
            for one in (term, *term.concepts):
                if one.label:
                    labels[one.iri] = one.label
    return labels


def labels_for(reader: PooledReader, rows: Sequence[Sequence[Term | None]]) -> dict[str, str]:
    """The label of each IRI in ``rows``: one query to the store for all of them."""
    iris = iris_of(rows)
    vocabulary = _vocabulary_labels()
    asked = [iri for iri in iris if iri not in vocabulary]
    labels = {iri: vocabulary[iri] for iri in iris if iri in vocabulary}
    if not asked:
        return labels
    text = labels_query(load_query("page-labels").text, asked)
    solutions = reader.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    found = [
        (s["resource"].value, s["property"].value, s["label"].value, s["language"].value)
        for s in solutions
    ]
    return {**labels, **best_labels(found)}


def label_reader(request: Request) -> PooledReader:
    """A reader for the labels query, apart from the result's (its cut is not the result's)."""
    return pooled_reader(request)


def view_of(
    request: Request,
    site: Namer,
    columns: Sequence[str],
    rows: Sequence[Sequence[Term | None]],
    *,
    truncated: bool,
) -> ResultView:
    """The table of ``rows``, its IRIs named (runs the labels query).

    When the labels query is stopped (the request's deadline passed, the server is busy), the
    rows are still shown, each IRI by its prefixed name.
    """
    try:
        labels = labels_for(label_reader(request), rows)
    except QueryStopped:
        labels = {}
    max_rows = request.app.state.settings.max_rows
    return result_view(columns, rows, labels, site, truncated=truncated, max_rows=max_rows)


def failure(error: str, detail: str, query: str | None = None) -> dict[str, Any]:
    """What the error box of a page shows: the kind, the message and, for a query the parser
    stopped in, the line it stopped at."""
    place = error_place(detail, query) if query else None
    return {"error": error, "detail": detail, "place": place}


def page(
    render: Render,
    request: Request,
    status: int = 200,
    template: str = "results.html",
    **context: Any,
) -> Response:
    """``template`` (``results.html``) with ``context``; by default its shareable URL is the
    request's own."""
    context.setdefault("share", str(request.url))
    return render(request, template, status=status, **context)


def named_context(
    query: NamedQuery,
    values: Mapping[str, str],
    options: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> dict[str, Any]:
    """What the page of a named query shows above its result: its header and parameter form."""
    path = f"/api/queries/{query.name}"
    return {
        "title": query.title,
        "description": query.description,
        "form": {"action": path, "fields": fields_of(query.parameters, values, options)},
        "links": format_links(path, values, query.name),
        "query_text": query.text,
    }
