"""The app factory: :func:`create_app` wires routes, limits, CORS and errors around one store.

State lives on ``app.state``, nothing is global, so tests build as many apps as they like:
``store`` (written by ``/update`` and ``/store``, read for VoID), ``pool`` (the query workers that
answer every query: ``/sparql``, the named queries and the pages), ``waiters`` (the threads that
wait for the pool off the event loop), ``executor`` (threads for the server's own store work) and
``settings``. The threads of ``executor`` have no network (their own network namespace, where
the platform allows it): an update's ``LOAD`` cannot reach out from there.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from s3graph import __version__
from s3graph.api import dumps, openapi, sparql, update
from s3graph.api.arrival import Arrival
from s3graph.api.errors import ApiError, error_response, install_error_handlers
from s3graph.api.execute import handle_job, warm_up
from s3graph.api.live import AS_OF_HEADER, DataAsOf, data_as_of
from s3graph.api.settings import ApiSettings
from s3graph.querypool import QueryPool
from s3graph.querypool.isolation import leave_network
from s3graph.store import GraphStore, Store

__all__ = ["create_app"]

#: Paths that write; they get no CORS headers (browsers of other sites cannot call them).
WRITE_PATHS = ("/update", "/store")


def create_app(
    settings: ApiSettings, store: GraphStore, pool: QueryPool | None = None
) -> FastAPI:
    """The s3graph web app over ``store``; it does not close the store.

    The query workers are forked here (see :func:`query_pool`) unless ``pool`` is given: call it
    before the process starts threads of its own (uvicorn's). ``s3graph serve`` gives the pool
    of :mod:`s3graph.api.live`, which follows the store.
    """
    pool = pool or query_pool(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        _shut(app.state)

    app = openapi.new_app(title="s3graph", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.pool = pool
    app.state.waiters = ThreadPoolExecutor(WAITERS, thread_name_prefix="s3graph-wait")
    app.state.executor = ThreadPoolExecutor(
        2,
        thread_name_prefix="s3graph-store",
        # a SPARQL server as the store is reached over the network; the guard stays in front
        initializer=_offline if isinstance(store, Store) else None,
    )
    app.state.online = ThreadPoolExecutor(1, thread_name_prefix="s3graph-online")
    weakref.finalize(app, _shut, app.state)
    install_error_handlers(app)
    sparql.install(app)
    app.include_router(update.router)
    app.include_router(dumps.router)
    for router in _page_routers():
        app.include_router(router)
    openapi.install(app)
    app.add_middleware(ReadCORS)
    app.add_middleware(BodyLimit, limit=settings.max_body)
    app.add_middleware(Arrival)
    app.add_middleware(DataAsOf)
    return app


#: Threads that wait for query workers (they block, they do not compute): requests beyond this
#: many wait for a thread, within their deadline all the same.
WAITERS = 256


def query_pool(settings: ApiSettings, store: GraphStore) -> QueryPool:
    """The pool of query workers over ``store``, with the limits of ``settings``.

    An in-memory store is inherited by the workers (copy-on-write); an on-disk one is opened
    read-only in each worker, beside this process's own handle; a SPARQL server is spoken to by
    each worker over connections of its own (workers keep the network then).
    """
    if not isinstance(store, Store):
        from s3graph.remote import RemoteStore

        assert isinstance(store, RemoteStore)
        return QueryPool(
            store.another, handle_job, settings.pool_limits(), warm=warm_up, networked=True
        )
    limits, as_of = settings.pool_limits(), data_as_of(store.path)
    if store.in_memory:
        return QueryPool(lambda: store, handle_job, limits, inherit=True, warm=warm_up, as_of=as_of)
    opener = functools.partial(Store.open, store.path, read_only=True)
    return QueryPool(opener, handle_job, limits, warm=warm_up, as_of=as_of)


def _offline() -> None:
    """Take the network from a thread of ``executor``: updates (``LOAD``) run there.

    Only an update that loads from an allowlisted URL runs on the ``online`` thread instead.
    """
    leave_network(thread_only=True)


def _shut(state: Any) -> None:
    state.pool.close()
    for executor in (state.waiters, state.executor, state.online):
        executor.shutdown(wait=False, cancel_futures=True)


def _page_routers() -> list[APIRouter]:
    """The routers of the HTML pages, named queries and vocabulary (``pages`` LAST: catch-all)."""
    from s3graph.api import named, pages, search, vocabulary

    return [named.router, vocabulary.router, search.router, pages.router]


class ReadCORS:
    """CORS for the read paths only: any origin may GET/POST queries and pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "HEAD"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=[
                "X-S3graph-Truncated",
                "X-S3graph-Max-Rows",
                "X-S3graph-Waited",
                "X-S3graph-Ran",
                "X-S3graph-Note",
                AS_OF_HEADER,
            ],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(WRITE_PATHS):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "request too large", f"bodies are limited to {limit} bytes")


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            error = BodyTooLarge(self.limit)
            response = error_response(error.status, error.error, error.detail)
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)
