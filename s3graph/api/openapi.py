"""The OpenAPI schema of the app: FastAPI's, plus what ``openapi-fragments/*.json`` describe.

``/sparql`` is a plain Starlette route (FastAPI's request machinery cost a good share of a small
query's time), so FastAPI does not see it; its operations are written out in
``openapi-fragments/sparql.json`` and merged in. The schema is built the way FastAPI's
documentation shows for extending it: :func:`fastapi.openapi.utils.get_openapi` over the app's
routes, assigned as ``app.openapi``.

The pages that show it, ``/docs`` (Swagger UI) and ``/redoc``, load their scripts and styles
from this server, not from a CDN, so they work offline: :func:`new_app` builds the app with
``fastapi-offline``, which ships those assets and serves them under :data:`DOCS_ASSETS`.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline

__all__ = ["DOCS_ASSETS", "install", "new_app"]

FRAGMENTS = Path(__file__).parent / "openapi-fragments"

#: Where the Swagger UI and ReDoc assets are served (beside our own ``/static/``).
DOCS_ASSETS = "/static-docs"


def new_app(**options: Any) -> FastAPI:
    """A FastAPI app (``options`` as for :class:`FastAPI`) whose docs pages need no network.

    Swagger UI's validator badge would fetch an image from validator.swagger.io: it is off.
    """
    parameters = {"validatorUrl": None}
    return FastAPIOffline(static_url=DOCS_ASSETS, swagger_ui_parameters=parameters, **options)


def install(app: FastAPI) -> None:
    """Give ``app`` its schema builder (built once, on the first request for it)."""
    app.openapi = _builder(app)  # type: ignore[method-assign]


def _builder(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():  # made unique below
                warnings.filterwarnings("ignore", message="Duplicate Operation ID")
                schema = get_openapi(
                    title=app.title, version=app.version, routes=app.routes
                )
            for fragment in sorted(FRAGMENTS.glob("*.json")):
                _merge(schema, json.loads(fragment.read_text(encoding="utf-8")))
            _unique_operation_ids(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def _merge(schema: dict[str, Any], fragment: dict[str, Any]) -> None:
    schema.setdefault("paths", {}).update(fragment.get("paths", {}))
    components = schema.setdefault("components", {})
    for kind, entries in fragment.get("components", {}).items():
        components.setdefault(kind, {}).update(entries)


def _unique_operation_ids(schema: dict[str, Any]) -> None:
    """One operation id per method.

    FastAPI gives a route that serves several methods (``/store``) one id, made with its first
    method, for every operation. One route per method would keep the ids apart but break the
    ``Allow`` header of a 405, which would name one method only.
    """
    for operations in schema["paths"].values():
        ids = [operation["operationId"] for operation in operations.values()]
        for method, operation in operations.items():
            shared = operation["operationId"]
            if ids.count(shared) > 1:  # the route's one id, ending with its first method
                operation["operationId"] = f"{shared.rsplit('_', 1)[0]}_{method}"
