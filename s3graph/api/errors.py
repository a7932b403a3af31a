"""One JSON error shape for the whole API: ``{"error": ..., "detail": ...}``.

:class:`ApiError` is what routes raise for a request they refuse; FastAPI's own errors (404,
405, validation) are rewritten into the same shape; anything else is a bug: 500, logged with
its traceback, and the body says so without leaking internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from s3graph.querypool import QueryStopped, WorkerCrashed

logger = logging.getLogger(__name__)

__all__ = [
    "ApiError",
    "error_response",
    "install_error_handlers",
    "stopped_error",
    "timing_headers",
]


class ApiError(Exception):
    """A request refused with ``status``; ``error`` is a short title, ``detail`` what to do."""

    def __init__(
        self,
        status: int,
        error: str,
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = dict(headers or {})
        #: More members of the JSON body (a stopped query's ``waited`` and ``ran``).
        self.extra = dict(extra or {})


def error_response(
    status: int,
    error: str,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """The JSON error response of the API."""
    body = {"error": error, "detail": detail, **(extra or {})}
    return JSONResponse(body, status_code=status, headers=headers)


def timing_headers(waited: float, ran: float) -> dict[str, str]:
    """The headers saying how long a query waited for a worker and ran, in seconds."""
    return {"X-S3graph-Waited": f"{waited:.3f}", "X-S3graph-Ran": f"{ran:.3f}"}


def stopped_error(exc: QueryStopped) -> ApiError:
    """The answer to a query the pool stopped: 503 (500 when the engine failed), with timing."""
    headers = timing_headers(exc.waited, exc.ran)
    if not isinstance(exc, WorkerCrashed):
        headers["Retry-After"] = "1"
    extra = {"waited": round(exc.waited, 3), "ran": round(exc.ran, 3)}
    status = 500 if isinstance(exc, WorkerCrashed) else 503
    return ApiError(status, exc.title, exc.detail, headers=headers, extra=extra)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.error, exc.detail, exc.headers, exc.extra)


async def _query_stopped(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, QueryStopped)
    return await _api_error(request, stopped_error(exc))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    title = {404: "not found", 405: "method not allowed"}.get(exc.status_code, "request refused")
    return error_response(exc.status_code, title, str(exc.detail), exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(400, "bad request", str(exc.errors()))


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, "internal error", f"{type(exc).__name__}; this is a bug in s3graph, please report it"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` answer in the JSON error shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(QueryStopped, _query_stopped)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _bug)
