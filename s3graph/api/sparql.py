"""``/sparql``: the SPARQL 1.1 Protocol query operation, its service description, and VoID.

Queries run in the app's query workers (:mod:`s3graph.querypool`), waited for by a thread so the
event loop goes on; ``query_timeout`` seconds after the request arrived (time queued included)
the worker is killed and the client gets a 503 saying how long the query waited and ran.

A browser (``Accept: text/html``, or ``format=html``) gets the result as a table people read
(:mod:`s3graph.api.resultpage`), with the error in the page when the query is wrong; every other
client gets what it negotiated, as before.

``/sparql`` is served by a plain Starlette route (:func:`install`), once: FastAPI's per-request
dependency machinery cost a good share of a small query's time. Its OpenAPI description is
written out in ``openapi-fragments/sparql.json`` (see :mod:`s3graph.api.openapi`).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.datastructures import URL
from starlette.routing import Route

from s3graph.api import resultpage
from s3graph.api.arrival import arrival
from s3graph.api.describe import service_description, void_description
from s3graph.api.errors import ApiError, stopped_error, timing_headers
from s3graph.api.execute import NotAcceptable, QueryJob, QueryOutcome
from s3graph.api.guard import ForbiddenRemote, QueryTooDeep, check_depth, check_remote
from s3graph.api.negotiation import HTML, RDF_TYPES, RESULT_TYPES, negotiate
from s3graph.api.pages import Site, render
from s3graph.api.protocol import read_operation
from s3graph.api.reader import readable_json
from s3graph.api.resultview import triples_as_rows
from s3graph.api.settings import ApiSettings
from s3graph.querypool import QueryStopped
from s3graph.querypool.onloop import answer
from s3graph.rdf.formats import FORMAT_PARAMETER, format_parameter
from s3graph.rdf.graphs import Term
from s3graph.store import QueryDataset

router = APIRouter()

#: Media types offered per kind of result; booleans have no CSV/TSV form.
OFFERS: dict[str, list[str]] = {
    "solutions": list(RESULT_TYPES),
    "boolean": ["application/sparql-results+json", "application/sparql-results+xml"],
    "graph": list(RDF_TYPES),
}
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: What a worker writes for an HTML view: results this server reads back into a table.
VIEW_ACCEPT = f"{JSON_RESULTS}, {N_TRIPLES}"
VIEW_OFFERS: dict[str, list[str]] = {
    "solutions": [JSON_RESULTS], "boolean": [JSON_RESULTS], "graph": [N_TRIPLES]
}


def choose(accept: str | None, offered: Sequence[str]) -> str:
    """The negotiated media type, or a 406 listing what is on offer."""
    chosen = negotiate(accept, offered)
    if chosen is None:
        raise ApiError(
            406, "not acceptable", f"Accept {accept!r} matches none of: {', '.join(offered)}"
        )
    return chosen


def rdf_response(request: Request, triples: list[ox.Triple]) -> Response:
    """``triples`` in the RDF format the request's ``Accept`` prefers."""
    media = choose(request.headers.get("accept"), list(RDF_TYPES))
    body = ox.serialize(triples, format=RDF_TYPES[media])
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def endpoint_url(request: Request, path: str = "/sparql") -> str:
    """The URL of ``path`` on this server, as the request reached it."""
    scope = request.scope
    root = scope.get("app_root_path", scope.get("root_path", ""))
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    server = scope.get("server")
    server = None if server is None else tuple(server)  # a list, from some servers
    return _base_url(scope.get("scheme", "http"), server, root, host) + path


@functools.lru_cache(maxsize=64)
def _base_url(scheme: str, server: tuple[str, int] | None, root: str, host: bytes | None) -> str:
    """Starlette's ``request.base_url`` of a request with these parts: made once, not per
    request (its URL objects cost a few percent of a small query's time)."""
    headers = [] if host is None else [(b"host", host)]
    path = root if root.endswith("/") else root + "/"
    scope = {"type": "http", "scheme": scheme, "server": server, "path": path,
             "root_path": root, "query_string": b"", "headers": headers}  # fmt: skip
    return str(URL(scope=scope)).rstrip("/")


def install(app: FastAPI) -> None:
    """Add the routes of this module to ``app`` (before any catch-all route)."""
    for path in SPARQL_PATHS:
        route = Route(path, sparql, methods=["GET", "POST"], include_in_schema=False)
        route.methods = {"GET", "POST"}  # Starlette adds HEAD, which the protocol does not use
        app.router.routes.append(route)
    app.include_router(router)


SPARQL_PATHS = ("/sparql", "/sparql/")


async def sparql(request: Request) -> Response:
    """Answer a SPARQL query (GET ``query=``, POST form or ``application/sparql-query``)."""
    settings: ApiSettings = request.app.state.settings
    operation = await read_operation(
        request, "query", "application/sparql-query", ("default-graph-uri", "named-graph-uri")
    )
    if "update" in operation.params:
        raise ApiError(400, "update on the query endpoint", "POST updates to /update")
    if operation.text is None:
        if request.method == "GET":
            updates = settings.update_token is not None
            return rdf_response(
                request, service_description(endpoint_url(request), updates=updates)
            )
        raise ApiError(400, "no query", "give the query as query=... or in the body")
    accept = _accepted(request, operation.params)
    if _wants_html(accept):
        return await html_answer(request, operation.text, operation.dataset)
    outcome, headers = await run(request, operation.text, accept, OFFERS, operation.dataset)
    headers["Vary"] = "Accept"
    if outcome.truncated:
        headers["X-S3graph-Truncated"] = "true"
        headers["X-S3graph-Max-Rows"] = str(settings.max_rows)
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)


@functools.lru_cache(maxsize=256)
def _wants_html(accept: str | None) -> bool:
    """Whether ``accept`` prefers a page to results (the same headers come again and again)."""
    return negotiate(accept, [*OFFERS["solutions"], HTML]) == HTML


async def run(
    request: Request,
    text: str,
    accept: str | None,
    offers: dict[str, list[str]],
    dataset: QueryDataset | None = None,
) -> tuple[QueryOutcome, dict[str, str]]:
    """Check ``text``, run it in a query worker, and give its outcome and timing headers.

    Raises :class:`ApiError` for a query refused, malformed, stopped or not acceptable.
    """
    settings: ApiSettings = request.app.state.settings
    check(text)
    job = QueryJob(
        text,
        accept=accept,
        offers=offers,
        max_rows=settings.max_rows,
        dataset=dataset,
        base_iri=endpoint_url(request),
    )
    return await _evaluate(request, job, _network(text, settings))


def check(text: str) -> None:
    """Refuse a query nested too deep (400)."""
    try:
        check_depth(text)
    except QueryTooDeep as exc:
        raise ApiError(400, "query too deep", str(exc)) from exc


def _network(text: str, settings: ApiSettings) -> bool:
    """Whether the query may use the network (a SERVICE to an allowed URL), or a 400."""
    try:
        return check_remote(text, "SERVICE", settings.service_allow)
    except ForbiddenRemote as exc:
        raise ApiError(400, "federated query refused", str(exc)) from exc


async def html_answer(
    request: Request, text: str, dataset: QueryDataset | None, **context: Any
) -> Response:
    """``text``'s result as a page people read (``results.html``), or its error in the page.

    ``context`` goes to the page too (``/query`` gives its own template and form this way).
    """
    params = {"query": text}
    context = {
        "title": "Query results",
        "links": resultpage.format_links("/sparql", params),
        "query_text": text,
        "share": endpoint_url(request) + "?" + urlencode({**params, "format": "html"}),
        **context,
    }
    try:
        outcome, headers = await run(request, text, VIEW_ACCEPT, VIEW_OFFERS, dataset)
    except ApiError as exc:
        failure = resultpage.failure(exc.error, exc.detail or "", text)
        return resultpage.page(render, request, status=exc.status, error=failure, **context)
    loop = asyncio.get_running_loop()
    shown = functools.partial(_shown, request, outcome)
    shows = await loop.run_in_executor(request.app.state.waiters, shown)
    response = resultpage.page(render, request, **context, **shows)
    response.headers.update(headers)
    response.headers["Vary"] = "Accept"
    return response


def _shown(request: Request, outcome: QueryOutcome) -> dict[str, Any]:
    """The table (or yes/no) of a worker's ``outcome``, its IRIs named by the labels query."""
    if outcome.media_type == JSON_RESULTS:
        read = ox.parse_query_results(readable_json(outcome), format=ox.QueryResultsFormat.JSON)
        if isinstance(read, ox.QueryBoolean):
            return {"boolean": bool(read)}
        columns = [variable.value for variable in read.variables]
        rows: list[list[Term | None]] = [[s[c] for c in columns] for s in read]
    else:
        quads = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)
        columns = ["subject", "predicate", "object"]
        rows = triples_as_rows(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    site = Site(request.app.state.settings.base)
    view = resultpage.view_of(request, site, columns, rows, truncated=outcome.truncated)
    return {"view": view}


def _accepted(request: Request, params: dict[str, list[str]]) -> str | None:
    """What the client accepts: ``format=`` (or ``output=``), the convention of Fuseki and
    Virtuoso users, in place of the ``Accept`` header when given."""
    named = params.get("format") or params.get("output")
    if not named:
        return request.headers.get("accept")
    if named[-1].strip().lower() == "html":
        return HTML
    media = format_parameter(named[-1])
    if media is None:
        known = ", ".join([*FORMAT_PARAMETER, "html"])
        raise ApiError(
            400, "unknown format", f"format={named[-1]!r}: expected one of {known}, or a media type"
        )
    return media


async def _evaluate(
    request: Request, job: QueryJob, network: bool
) -> tuple[QueryOutcome, dict[str, str]]:
    """Run ``job`` in a query worker: its outcome and timing headers, or an :class:`ApiError`.

    The answer is awaited on the event loop (:func:`~s3graph.querypool.onloop.answer`); a
    request cancelled (its client went away) kills its worker.
    """
    state = request.app.state
    try:
        done = await answer(
            state.pool,
            job,
            arrived=arrival(request.scope),
            network=network,
            executor=state.waiters,
        )
    except QueryStopped as exc:
        raise stopped_error(exc) from None
    headers = timing_headers(done.waited, done.ran)
    try:
        return done.result(), headers
    except SyntaxError as exc:
        raise ApiError(400, "malformed query", str(exc), headers=headers) from exc
    except NotAcceptable as exc:
        raise ApiError(406, "not acceptable", str(exc), headers=headers) from exc
    except OSError as exc:  # what an allowed SERVICE answered, or that it did not
        raise ApiError(502, "federated query failed", str(exc), headers=headers) from exc


@router.get("/.well-known/void")
async def void(request: Request) -> Response:
    """The VoID description of the dataset (negotiated RDF)."""
    settings: ApiSettings = request.app.state.settings
    loop = asyncio.get_running_loop()
    job = functools.partial(
        void_description,
        request.app.state.store,
        dataset=endpoint_url(request, "/.well-known/void#dataset"),
        endpoint=endpoint_url(request),
        base=settings.base,
    )
    triples = await loop.run_in_executor(request.app.state.executor, job)
    return rdf_response(request, triples)
