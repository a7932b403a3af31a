"""The named queries (``queries/*.rq``) as a JSON/CSV API under ``/api/queries``.

One route per query is generated when the router is built (:func:`build_router`), so the OpenAPI
schema documents every query as its own operation with its declared parameters (types, required,
description) and the ``format`` switch. ``GET /api/queries`` lists them all.

A query answers SPARQL 1.1 Query Results JSON, or CSV with ``?format=csv`` or ``Accept:
text/csv`` (``format`` beats ``Accept``). A browser (``Accept: text/html``, or ``?format=html``)
gets the result as a table people read, under a form of the query's parameters, with any error
in the page (:mod:`s3graph.api.resultpage`). Parameters come from the query string and are bound as
typed terms by :func:`s3graph.sparql.run_query` (a partnership by slug, name or IRI, a region or
NUTS code in any case: :mod:`s3graph.sparql.values`); an unknown, missing or badly typed
parameter is a 400 with the API's one error shape ``{"error": ..., "detail": ...}``. An empty
answer for a value that names nothing in the store says so in the ``X-S3graph-Note`` header.
The query runs in a query worker under the same timeout, memory limit and row cap as
``/sparql`` (a cut is signalled in the ``X-S3graph-Truncated`` header).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from s3graph.api import resultpage
from s3graph.api.errors import stopped_error, timing_headers
from s3graph.api.pages import Site, render
from s3graph.api.reader import pooled_reader
from s3graph.errors import QueryError
from s3graph.querypool import QueryStopped
from s3graph.rdf.formats import negotiate
from s3graph.sparql import (
    NamedQuery,
    format_csv,
    format_json,
    list_queries,
    run_query,
    unmatched_notes,
)

PREFIX = "/api/queries"
JSON_TYPE = "application/sparql-results+json"
CSV_TYPE = "text/csv"
FORMATS = {"json": JSON_TYPE, "csv": CSV_TYPE}
HTML_TYPE = "text/html"
#: Says why an answer is empty when a parameter's value names nothing in the store.
NOTE_HEADER = "X-S3graph-Note"
_OPENAPI_TYPES = {
    "iri": {"type": "string", "format": "iri-reference"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
}


def error(status: int, kind: str, detail: str) -> JSONResponse:
    """The API's one error shape."""
    return JSONResponse({"error": kind, "detail": detail}, status_code=status)


def describe(query: NamedQuery) -> dict[str, Any]:
    """What the index says about one query."""
    return {
        "name": query.name,
        "url": f"{PREFIX}/{query.name}",
        "title": query.title,
        "description": query.description,
        "columns": list(query.columns),
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "description": p.description,
            }
            for p in query.parameters
        ],
    }


def _openapi_parameters(query: NamedQuery) -> list[dict[str, Any]]:
    declared = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": f"{p.description} ({p.type})".strip(),
            "schema": _OPENAPI_TYPES[p.type],
        }
        for p in query.parameters
    ]
    fmt = {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "json (SPARQL results JSON, the default), csv, or html (a table to "
        "read, as a browser gets by Accept); beats Accept",
        "schema": {"type": "string", "enum": [*FORMATS, "html"]},
    }
    return [*declared, fmt]


def _responses(query: NamedQuery) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": f"The rows: {', '.join(query.columns)}",
            "content": {JSON_TYPE: {}, CSV_TYPE: {}, HTML_TYPE: {}},
        },
        400: {"description": "An unknown, missing or badly typed parameter"},
    }


def answer(request: Request, query: NamedQuery) -> Response:
    """Run ``query`` with the request's parameters; JSON or CSV."""
    params = dict(request.query_params)
    fmt = params.pop("format", None)
    if fmt == "html" or (fmt is None and _wants_html(request)):
        return html_answer(request, query, params)
    if fmt is not None and fmt not in FORMATS:
        return error(400, "bad format", f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    media = (
        FORMATS[fmt] if fmt else negotiate(request.headers.get("accept"), list(FORMATS.values()))
    )
    if media is None:
        return error(406, "not acceptable", f"this query answers {JSON_TYPE} or {CSV_TYPE}")
    reader = pooled_reader(request)
    base = request.app.state.settings.base
    try:
        result = run_query(reader, query, params, base=base)
        empty = not result.rows and params
        notes = unmatched_notes(reader, query, params, base=base) if empty else []
    except QueryError as exc:
        return error(400, "bad parameters", str(exc))
    headers = timing_headers(reader.waited, reader.ran)
    headers["Vary"] = "Accept"  # a browser gets this address as a page
    if notes:  # an empty answer for a value that names nothing: said as the CLI says it
        headers[NOTE_HEADER] = "; ".join(notes).encode("ascii", "backslashreplace").decode()
    if reader.truncated:
        headers["X-S3graph-Truncated"] = "true"
        headers["X-S3graph-Max-Rows"] = str(reader.max_rows)
    if media == CSV_TYPE:
        body = format_csv(result)
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
    return Response(format_json(result), media_type=JSON_TYPE, headers=headers)


def _wants_html(request: Request) -> bool:
    """Whether the client is a browser: it prefers HTML to the formats programs get."""
    offered = [*FORMATS.values(), HTML_TYPE]
    return negotiate(request.headers.get("accept"), offered) == HTML_TYPE


def html_answer(request: Request, query: NamedQuery, params: dict[str, str]) -> Response:
    """The result as a page: the parameter form, then the table, or the error in the page."""
    given = {name: value for name, value in params.items() if value.strip()}  # a form's blanks
    base = request.app.state.settings.base
    options = resultpage.suggestions(pooled_reader(request), query.parameters, base)
    context = resultpage.named_context(query, given, options)
    missing = [p.name for p in query.parameters if p.required and p.name not in given]
    if missing and not given:  # a first visit: ask, do not scold
        prompt = f"Give {', '.join(missing)} and press Run to see the rows."
        return resultpage.page(render, request, prompt=prompt, **context)
    reader = pooled_reader(request)
    try:
        result = run_query(reader, query, given, base=base)
        notes = unmatched_notes(reader, query, given, base=base) if not result.rows else []
    except QueryError as exc:
        failure = resultpage.failure("bad parameters", str(exc))
        return resultpage.page(render, request, status=400, error=failure, **context)
    except QueryStopped as exc:
        stopped = stopped_error(exc)
        failure = resultpage.failure(stopped.error, stopped.detail or "")
        response = resultpage.page(
            render, request, status=stopped.status, error=failure, **context
        )
        response.headers.update(stopped.headers)
        return response
    view = resultpage.view_of(
        request, Site(base), result.columns, result.rows, truncated=reader.truncated
    )
    note = "; ".join(notes) + "." if notes else None
    response = resultpage.page(render, request, view=view, note=note, **context)
    response.headers.update(timing_headers(reader.waited, reader.ran))
    return response


def _endpoint(query: NamedQuery) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        return answer(request, query)

    endpoint.__name__ = "query_" + query.name.replace("-", "_")
    endpoint.__doc__ = query.description
    return endpoint


def build_router(queries: Sequence[NamedQuery] | None = None) -> APIRouter:
    """A router with the index and one documented GET operation per named query."""
    queries = list(list_queries() if queries is None else queries)
    router = APIRouter(tags=["named queries"])

    @router.get(PREFIX, summary="The named queries", response_model=list[dict[str, Any]])
    def index(request: Request) -> Any:
        """Every named query with its title, description, columns and parameters (a browser
        gets them as a page, each leading to its table)."""
        if _wants_html(request):
            behind = [q for q in queries if q.name.startswith("page-")]
            asked = [q for q in queries if q not in behind]
            groups = [("Questions about the reports", asked), ("Queries behind the pages", behind)]
            return render(request, "named-queries.html", groups=groups)
        return [describe(q) for q in queries]

    for query in queries:
        router.add_api_route(
            f"{PREFIX}/{query.name}",
            _endpoint(query),
            methods=["GET"],
            summary=query.title,
            description=query.description,
            operation_id="query_" + query.name.replace("-", "_"),
            openapi_extra={"parameters": _openapi_parameters(query)},
            responses=_responses(query),
            response_class=Response,
        )

    @router.get(PREFIX + "/{name}", include_in_schema=False)
    def unknown(name: str) -> JSONResponse:
        known = ", ".join(q.name for q in queries)
        return error(404, "unknown query", f"no query {name!r}; the queries are: {known}")

    return router


router = build_router()
