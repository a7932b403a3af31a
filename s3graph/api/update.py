"""Writes: SPARQL Update at ``/update`` and the Graph Store Protocol at ``/store``.

Both need ``Authorization: Bearer TOKEN`` with the token the server was started with; without a
configured token the server is read-only and they answer 403.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from s3graph.api.errors import ApiError
from s3graph.api.guard import ForbiddenRemote, QueryTooDeep, check_depth, check_remote
from s3graph.api.negotiation import RDF_TYPES
from s3graph.api.protocol import media_type, read_operation
from s3graph.api.settings import ApiSettings
from s3graph.api.sparql import choose, endpoint_url
from s3graph.sparql_lex import has_keyword, with_using

router = APIRouter()


def check_token(request: Request) -> None:
    """Refuse the request unless it carries the configured bearer token."""
    settings: ApiSettings = request.app.state.settings
    if settings.update_token is None:
        raise ApiError(
            403, "read-only server", "start it with --update-token (or S3GRAPH_UPDATE_TOKEN)"
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            "token required",
            "send Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": 'Bearer realm="s3graph"'},
        )
    if not hmac.compare_digest(given.strip().encode(), settings.update_token.encode()):
        raise ApiError(403, "wrong token", "the bearer token does not match")


async def _in_thread(request: Request, job: Callable[[], Any], *, online: bool = False) -> Any:
    """``job()`` on a store thread: one without network unless ``online`` (an allowed LOAD)."""
    state = request.app.state
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(state.online if online else state.executor, job)


async def _write(request: Request, job: Callable[[], Any], *, online: bool = False) -> Any:
    """``job()`` that changes the store; later queries see the change."""
    try:
        return await _in_thread(request, job, online=online)
    finally:
        # On the thread that keeps the network: a zygote forked anew (in-memory store) inherits
        # its thread's network namespace, and workers asked for with network need it.
        await _in_thread(request, request.app.state.pool.refresh, online=True)


@router.post("/update")
@router.post("/update/", include_in_schema=False)
async def update(request: Request) -> Response:
    """Apply a SPARQL Update (form ``update=`` or ``application/sparql-update``)."""
    check_token(request)
    settings: ApiSettings = request.app.state.settings
    operation = await read_operation(
        request, "update", "application/sparql-update", ("using-graph-uri", "using-named-graph-uri")
    )
    text = operation.text
    if text is None:
        raise ApiError(400, "no update", "give the update as update=... or in the body")
    if operation.dataset is not None:
        if has_keyword(text, "USING", "WITH"):
            raise ApiError(
                400, "dataset given twice", "use either using-graph-uri or USING/WITH, not both"
            )
        dataset = operation.dataset
        for iri in (*dataset.default_graphs, *dataset.named_graphs):
            _check_iri(iri)
        text = with_using(text, dataset.default_graphs, dataset.named_graphs)
    try:
        check_depth(text)
    except QueryTooDeep as exc:
        raise ApiError(400, "update too deep", str(exc)) from exc
    try:
        loads = check_remote(text, "LOAD", settings.service_allow)
        online = check_remote(text, "SERVICE", settings.service_allow) or loads
    except ForbiddenRemote as exc:
        raise ApiError(400, "remote access refused", str(exc)) from exc
    store = request.app.state.store
    job = functools.partial(store.update, text, base_iri=endpoint_url(request))
    try:
        await _write(request, job, online=online)
    except SyntaxError as exc:
        raise ApiError(400, "malformed update", str(exc)) from exc
    return Response(status_code=204)


def _target(request: Request) -> str | None:
    """The graph of a Graph Store request: ``?graph=IRI`` or None for ``?default``."""
    params = request.query_params
    graphs = params.getlist("graph")
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise ApiError(400, "which graph?", "give exactly one of ?graph=IRI or ?default")
    if not graphs:
        return None
    try:
        return ox.NamedNode(graphs[0]).value
    except ValueError as exc:
        raise ApiError(400, "bad graph IRI", str(exc)) from exc


@router.api_route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
async def graph_store(request: Request) -> Response:
    """The SPARQL 1.1 Graph Store HTTP Protocol over ``?graph=IRI`` / ``?default``."""
    check_token(request)
    iri = _target(request)
    store = request.app.state.store
    exists = await _in_thread(request, functools.partial(store.has_graph, iri))
    if request.method in ("GET", "HEAD"):
        if not exists:
            raise ApiError(404, "no such graph", f"the store has no graph <{iri}>")
        media = choose(request.headers.get("accept"), list(RDF_TYPES))
        job = functools.partial(store.dump_graph, iri, RDF_TYPES[media])
        body = await _in_thread(request, job)
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    if request.method == "DELETE":
        if not exists:
            raise ApiError(404, "no such graph", f"the store has no graph <{iri}>")
        text = "CLEAR DEFAULT" if iri is None else f"DROP GRAPH <{iri}>"
        await _write(request, functools.partial(store.update, text))
        return Response(status_code=204)
    media, _ = media_type(request)
    fmt = RDF_TYPES.get(media)
    if fmt is None:
        raise ApiError(415, "unsupported media type", f"send one of: {', '.join(RDF_TYPES)}")
    data = await request.body()
    job = functools.partial(store.load_graph, iri, data, fmt, replace=request.method == "PUT")
    try:
        await _write(request, job)
    except SyntaxError as exc:
        raise ApiError(400, "malformed RDF", str(exc)) from exc
    return Response(status_code=204 if exists else 201)


def _check_iri(iri: str) -> None:
    """A protocol graph IRI must be an absolute IRI (it is written into the update's text)."""
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise ApiError(400, "bad graph IRI", f"{iri!r} is not an IRI: {exc}") from exc
    if ":" not in iri:
        raise ApiError(400, "bad graph IRI", f"{iri!r} is not an absolute IRI")
