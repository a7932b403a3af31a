"""When each request arrived: query deadlines count from it, time queued included."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["Arrival", "arrival"]


def arrival(scope: Scope) -> float:
    """When the request of ``scope`` arrived (:func:`time.monotonic`; now if not stamped)."""
    state = scope.get("state") or {}
    return float(state.get("arrived", time.monotonic()))


class Arrival:
    """Stamp each HTTP request with its arrival time (the outermost middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["arrived"] = time.monotonic()
        await self.app(scope, receive, send)
