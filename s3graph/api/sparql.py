"""``/sparql``: the SPARQL 1.1 Protocol query operation, its service description, and VoID.

Queries run in the app's thread pool (pyoxigraph releases the GIL), so a slow one does not hold
up the event loop; ``query_timeout`` seconds after a query started running (time queued behind
other queries does not count) the client gets a 503 and the worker is told to stop at its next
row.

``/sparql`` is served by a plain Starlette route placed before FastAPI's routes (:func:`install`):
the same handler without FastAPI's per-request dependency machinery, which cost a good share of
a small query's time. FastAPI's route stays registered behind it, for the OpenAPI schema.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.routing import Route

from s3graph.api.describe import service_description, void_description
from s3graph.api.errors import ApiError
from s3graph.api.execute import Cancelled, QueryOutcome, run_query
from s3graph.api.guard import ForbiddenRemote, check_remote
from s3graph.api.negotiation import RDF_TYPES, RESULT_TYPES, negotiate
from s3graph.api.protocol import read_operation
from s3graph.api.settings import ApiSettings
from s3graph.sparql_lex import may_hold
from s3graph.store import QueryDataset

router = APIRouter()

#: Media types offered per kind of result; booleans have no CSV/TSV form.
OFFERS: dict[str, Sequence[str]] = {
    "solutions": list(RESULT_TYPES),
    "boolean": ["application/sparql-results+json", "application/sparql-results+xml"],
    "graph": list(RDF_TYPES),
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
    return str(request.base_url).rstrip("/") + path


def install(app: FastAPI) -> None:
    """Add the routes of this module to ``app``; ``/sparql`` first, as plain Starlette routes."""
    app.include_router(router)
    plain = [Route(path, sparql, methods=["GET", "POST"]) for path in SPARQL_PATHS]
    for route in plain:
        route.methods = {"GET", "POST"}  # Starlette adds HEAD; FastAPI's route has none either
    app.router.routes[:0] = plain


SPARQL_PATHS = ("/sparql", "/sparql/")


@router.api_route(SPARQL_PATHS[0], methods=["GET", "POST"], include_in_schema=True)
@router.api_route(SPARQL_PATHS[1], methods=["GET", "POST"], include_in_schema=False)
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
    if may_hold(operation.text, "SERVICE"):
        try:
            check_remote(operation.text, "SERVICE", settings.service_allow)
        except ForbiddenRemote as exc:
            raise ApiError(400, "federated query refused", str(exc)) from exc
    outcome = await _evaluate(request, operation.text, operation.dataset, settings)
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-S3graph-Truncated"] = "true"
        headers["X-S3graph-Max-Rows"] = str(settings.max_rows)
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)


async def _evaluate(
    request: Request, text: str, dataset: QueryDataset | None, settings: ApiSettings
) -> QueryOutcome:
    accept = request.headers.get("accept")
    cancel = threading.Event()
    job = functools.partial(
        run_query,
        request.app.state.store,
        text,
        dataset=dataset,
        base_iri=endpoint_url(request),
        choose=lambda kind: choose(accept, OFFERS[kind]),
        max_rows=settings.max_rows,
        cancel=cancel,
    )
    try:
        return await run_timed(request.app.state.executor, job, settings.query_timeout, cancel)
    except QueryTimeout as exc:
        raise ApiError(
            503,
            "query timeout",
            f"the query ran longer than {settings.query_timeout:g} s;"
            " narrow it (LIMIT, more specific patterns) and try again",
            headers={"Retry-After": "1"},
        ) from exc
    except SyntaxError as exc:
        raise ApiError(400, "malformed query", str(exc)) from exc
    except Cancelled as exc:  # pragma: no cover - only after the timeout answered
        raise ApiError(503, "query cancelled", None) from exc


class QueryTimeout(Exception):
    """The query ran longer than its time."""


async def run_timed(
    executor: Executor, job: Callable[[], QueryOutcome], timeout: float, cancel: threading.Event
) -> QueryOutcome:
    """``job()`` in ``executor``; :class:`QueryTimeout` ``timeout`` seconds after it started.

    The clock starts when a worker takes the job, not when it is queued. ``cancel`` is set when
    the time is up or the caller is cancelled (the worker then stops at its next row, or skips
    the job when it had not started). No thread is woken for the clock: one timer checks the
    start the worker noted and, while the job waits or runs, sets itself again for what is left.
    """
    loop = asyncio.get_running_loop()
    started: list[float] = []  # the monotonic time the worker took the job
    expired = False

    def work() -> QueryOutcome:
        if cancel.is_set():
            raise Cancelled
        started.append(time.monotonic())
        return job()

    future = loop.run_in_executor(executor, work)
    timer: asyncio.TimerHandle

    def check() -> None:
        nonlocal timer, expired
        if future.done():
            return
        left = started[0] + timeout - time.monotonic() if started else timeout
        if left > 0:
            timer = loop.call_later(left, check)
            return
        expired = True
        cancel.set()
        future.cancel()

    timer = loop.call_later(timeout, check)
    try:
        return await future
    except asyncio.CancelledError:
        cancel.set()
        if expired:
            raise QueryTimeout from None
        raise
    finally:
        timer.cancel()


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
